package dev.awssandbox.mcp;

import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.PolicyConfig;

/**
 * The server's {@code instructions}: what a model should know before its first call — the
 * workflow, the tools and their limits, the resources and prompts, the region, and what the
 * sandbox does.
 */
final class Instructions {
    private Instructions() {}

    static String of(ServerContext context) {
        PolicyConfig config = context.policy.config();
        AwsConfig aws = new AwsConfig(context.runner.host());
        AwsConfig.Region region = aws.regionFor(java.util.Optional.empty());
        String sandbox;
        try {
            sandbox = context.runner.describe().get("backend") + "";
        } catch (SandboxException e) {
            sandbox = "unavailable";
        }
        StringBuilder s = new StringBuilder();
        s.append("AWS CLI access through aws-sandbox. Workflow: read aws://config/environment and aws://config/account"
                + " to know the account, region and credentials; look commands up with aws_cli_help; discover with"
                + " read-only commands (describe, list, get) before proposing changes; run changes only when the user"
                + " asked for them.\n");
        s.append("Tools: aws_cli_help(service, command?, subcommand?) returns the AWS CLI's documentation as plain text"
                + " (three levels, e.g. ec2 wait instance-running). aws_cli_pipeline(command, timeout?, profile?, region?)"
                + " runs one 'aws ...' command, optionally piped into ").append(String.join(", ", config.filters()))
                .append(". No shell: only '|' joins commands; no ;, &&, $(...), redirections or loops (make one call per"
                        + " item). Shape output with --query, --output text|json|table, --max-items. Local files are"
                        + " relative paths in the server's workspace (aws s3 cp s3://b/k ./k, then file://k).");
        s.append(" 'timeout' is in seconds (default ").append(context.settings.defaultTimeout().toSeconds())
                .append(", at most ").append(context.settings.maxTimeout().toSeconds())
                .append("); a call that times out says so: call again with a larger timeout.\n");
        if (config.regions().isEmpty()) {
            s.append("Region: ").append(region.name()).append(" (").append(region.source())
                    .append("); pass 'region' or --region for another.\n");
        } else if (config.regions().contains(region.name())) {
            s.append("Region: ").append(region.name()).append(" (").append(region.source()).append("); allowed regions: ")
                    .append(String.join(", ", config.regions())).append(" (pass 'region' or --region for another).\n");
        } else { // the default is not allowed: the model must name one from its first call (outside test WF29, F5)
            s.append("Region: pass 'region' (or --region) in every call, one of: ").append(String.join(", ", config.regions()))
                    .append("; the default, ").append(region.name()).append(" (").append(region.source())
                    .append("), is not allowed.\n");
        }
        if (config.readOnly()) {
            s.append("This server is read-only: only operations that read are allowed.\n");
        }
        if (config.requireConsent() || !config.ask().isEmpty()) {
            s.append("Some operations need the user's consent; the client asks the user before they run.\n");
        }
        s.append("Resources: aws://config/profiles, aws://config/regions (every region with its name),"
                + " aws://config/regions/{region} (availability zones, services), aws://config/environment (credential"
                + " source, region, sandbox; never secret values), aws://config/account (account id, alias,"
                + " organization).\n");
        s.append("Prompts: task templates such as security_audit, cost_optimization, resource_inventory,"
                + " troubleshoot_service, create_resource; each starts with read-only discovery.\n");
        if (sandbox.equals("none") || sandbox.equals("unavailable")) { // review, R17
            // no OS sandbox: only what the server checks holds (outside test WF29, F25: the sandbox's promises were made)
            s.append("No sandbox: the server runs commands without OS isolation (the user turned it off); the command"
                    + " checks still apply (local files in the workspace only, the policy, redaction of secrets), but"
                    + " nothing else keeps a command from the machine. A refusal says why and what to do instead.");
        } else {
            s.append("Sandbox (").append(sandbox).append("): commands cannot read or write local files outside the"
                    + " workspace, filters run without network or credentials, secrets are redacted from output,"
                    + " --endpoint-url goes to AWS or the allowed endpoints only. A refusal says why and what to do instead.");
        }
        return s.toString();
    }
}
