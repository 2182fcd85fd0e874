package dev.awssandbox.cli;

import dev.awssandbox.core.SandboxException;
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
        "AWS_MCP_MAX_OUTPUT, AWS_MCP_TRANSPORT, AWS_PROFILE, AWS_REGION."},
        mixinStandardHelpOptions = true)
final class McpCommand implements Callable<Integer> {
    @ParentCommand
    AwsSandboxCli parent;

    @Option(names = "--transport", paramLabel = "TRANSPORT",
            description = "stdio (default, or $AWS_MCP_TRANSPORT). streamable-http is not available yet.")
    String transport;

    @Override
    public Integer call() throws SandboxException, InterruptedException {
        CliContext ctx = parent.context();
        String chosen = (transport != null ? transport : ctx.host().get("AWS_MCP_TRANSPORT").orElse("stdio"))
                .trim().toLowerCase(Locale.ROOT);
        switch (chosen) {
            case "stdio" -> AwsMcpServer.serveStdio(ctx.host(), ctx.in(), ctx.out(), AwsSandboxCli.Version.version());
            case "streamable-http", "http" -> throw new CliException(ExitCodes.USAGE,
                    "the streamable-http transport is not available in this version yet; use stdio");
            default -> throw CliException.usage("invalid transport '" + chosen + "': expected stdio or streamable-http");
        }
        return ExitCodes.OK;
    }
}
