package dev.awssandbox.mcp;

import java.util.Optional;

/** The reference server's hints for the AWS errors a model meets most, keyed by what the CLI prints. */
final class AwsErrorHints {
    private AwsErrorHints() {}

    static Optional<String> forStderr(String stderr) {
        if (stderr.contains("Unable to locate credentials") || stderr.contains("NoCredentialProviders")) {
            return Optional.of("no AWS credentials reached the sandbox: set AWS_PROFILE or the AWS_ACCESS_KEY_ID/"
                    + "AWS_SECRET_ACCESS_KEY variables, and check AWS_MCP_SANDBOX_CREDENTIALS (env, aws_config or both)");
        }
        if (stderr.contains("ExpiredToken") || stderr.contains("token has expired")) {
            return Optional.of("the credentials have expired: refresh them (e.g. aws sso login) and retry");
        }
        if (stderr.contains("AccessDenied") || stderr.contains("UnauthorizedOperation")) {
            return Optional.of("the credentials lack permission for this call: check the IAM policy, or try a read-only call");
        }
        if (stderr.contains("You must specify a region") || stderr.contains("NoRegion")) {
            return Optional.of("no region: add --region REGION, or set AWS_REGION for the server");
        }
        if (stderr.contains("Invalid choice") || stderr.contains("invalid choice")) {
            return Optional.of("unknown service or command: use aws_cli_help to see what the service offers");
        }
        return Optional.empty();
    }
}
