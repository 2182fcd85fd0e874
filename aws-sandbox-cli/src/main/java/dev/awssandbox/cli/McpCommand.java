package dev.awssandbox.cli;

import dev.awssandbox.mcp.AwsMcpServer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code aws-sandbox mcp}: the MCP server, on stdio until the client disconnects. */
@Command(name = "mcp", description = {
        "Serve the tools aws_cli_help and aws_cli_pipeline (and aws://config resources) over MCP.",
        "Configured like the reference server: AWS_MCP_SANDBOX, AWS_MCP_SANDBOX_CREDENTIALS, AWS_MCP_TIMEOUT,",
        "AWS_MCP_MAX_OUTPUT, AWS_MCP_TRANSPORT, AWS_PROFILE, AWS_REGION. What the model may do to the AWS account:",
        "the policy file (AWS_MCP_POLICY_FILE, default ~/.config/aws-sandbox/mcp-policy.json) and AWS_MCP_READ_ONLY,",
        "AWS_MCP_REQUIRE_CONSENT, AWS_MCP_DENY, AWS_MCP_ASK, AWS_MCP_ALLOWED_PROFILES, AWS_MCP_ALLOWED_REGIONS,",
        "AWS_MCP_ALLOWED_ENDPOINTS, AWS_MCP_FILTERS; files in AWS_MCP_WORKDIR (default: a private directory)."},
        mixinStandardHelpOptions = true)
final class McpCommand implements Callable<Integer> {
    @ParentCommand
    AwsSandboxCli parent;

    @Option(names = "--transport", paramLabel = "TRANSPORT",
            description = "stdio (default, or $AWS_MCP_TRANSPORT) or streamable-http.")
    String transport;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address for streamable-http (default 127.0.0.1; others need $AWS_MCP_AUTH_TOKEN).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000",
            description = "Port for streamable-http (default 8000; 0 picks a free one).")
    int port;

    @Option(names = "--print-policy",
            description = "Print the effective AWS policy (policy file and environment, with where each value came from) and exit.")
    boolean printPolicy;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = parent.context();
        if (printPolicy) {
            ctx.out().println(io.modelcontextprotocol.json.McpJsonDefaults.getMapper()
                    .writeValueAsString(AwsMcpServer.effectivePolicy(ctx.host())));
            return ExitCodes.OK;
        }
        String chosen = (transport != null ? transport : ctx.host().get("AWS_MCP_TRANSPORT").orElse("stdio"))
                .trim().toLowerCase(Locale.ROOT);
        switch (chosen) {
            case "stdio" -> AwsMcpServer.serveStdio(ctx.host(), ctx.in(), ctx.out(), AwsSandboxCli.Version.version());
            case "streamable-http", "http" -> {
                try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(ctx.host(), host, port,
                        AwsSandboxCli.Version.version())) {
                    ctx.err().println("aws-sandbox: MCP server listening on http://"
                            + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + "/mcp");
                    server.join();
                }
            }
            default -> throw CliException.usage("invalid transport '" + chosen + "': expected stdio or streamable-http");
        }
        return ExitCodes.OK;
    }
}
