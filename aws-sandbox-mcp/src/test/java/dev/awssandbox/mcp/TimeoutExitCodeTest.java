package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call killed at its timeout has exit code 124, as the outputSchema says and as the CLI and
 * {@code timeout(1)} give it: it had the signal's 137 (testers' F10), with {@code timedOut: true}.
 */
class TimeoutExitCodeTest {

    @Test
    void aCallKilledAtItsTimeoutHasExitCode124() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        // listens and never answers: the kernel completes the connection, the AWS CLI waits for a reply
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            try (TestHost host = McpToolsSandboxTest.awsHost()
                         .set("AWS_MCP_ALLOWED_ENDPOINTS", endpoint);
                 ServerContext context = ServerContext.create(host.environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));

                McpSchema.CallToolResult result = tools.pipeline(Call.NONE,
                        Map.of("command", "aws --endpoint-url " + endpoint + " s3 ls", "timeout", 3));

                @SuppressWarnings("unchecked")
                Map<String, Object> structured = (Map<String, Object>) result.structuredContent();
                assertThat(structured).as(McpToolsSandboxTest.text(result))
                        .containsEntry("status", "timeout").containsEntry("timedOut", true).containsEntry("exitCode", 124);
            }
        }
    }
}
