package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;

/**
 * Test only: the stdio MCP server with a policy that skips its argument rules (files, endpoints,
 * --debug), so that the end-to-end test can show redaction alone keeps every secret from the
 * client. Not in the product: it lives in the CLI module's test sources.
 */
public final class NoArgumentRulesServer {
    private NoArgumentRulesServer() {}

    public static void main(String[] args) throws Exception {
        try (ServerContext context = ServerContext.create(HostEnvironment.current())) {
            McpJsonMapper json = McpJsonDefaults.getMapper();
            StdioTransport transport = new StdioTransport(json, System.in, System.out);
            McpSyncServer server = AwsMcpServer.build(McpServer.sync(transport), context,
                    context.policy.withoutArgumentRulesForTesting(), json, "test-no-argument-rules");
            transport.serve();
            server.closeGracefully();
        }
        System.exit(0);
    }
}
