package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The call's {@code timeout} bounds the consent question and the command together (re-attack of 2026-12-06, R2-9: an
 * answer just before the timeout let the command run a whole timeout more, holding its slot of the call limit that long).
 * The command is a write the user must consent to, sent to a local endpoint that answers after 4.5 s.
 */
class ConsentTimeoutTest {
    private static final long ENDPOINT_DELAY_MILLIS = 4_500;

    @Test
    void theTimeWaitedForConsentIsTakenFromTheCommands() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        slow.createContext("/", exchange -> {
            try {
                Thread.sleep(ENDPOINT_DELAY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1); // DeleteObject's answer
            exchange.close();
        });
        slow.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        slow.start();
        String endpoint = "http://127.0.0.1:" + slow.getAddress().getPort();
        try (TestHost host = McpToolsSandboxTest.awsHost().set("AWS_MCP_ALLOWED_ENDPOINTS", endpoint)
                .set("AWS_MCP_REQUIRE_CONSENT", "true");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            Map<String, Object> arguments = Map.of("command", "aws --endpoint-url " + endpoint + " s3 rm s3://b/k",
                    "timeout", 12);

            // control: consent given at once, and the command's 4.5 s fit in the call's 12 (with the AWS CLI's own
            // start-up, which on a loaded CI host took 2 s and more: with a timeout of 7 s the control once failed)
            long started = System.nanoTime();
            McpSchema.CallToolResult atOnce = tools.pipeline(new Call(consentAfter(Duration.ZERO), null), arguments);
            assertThat(atOnce.isError()).as(McpToolsSandboxTest.text(atOnce)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(ENDPOINT_DELAY_MILLIS));

            // consent after 9 s: 3 s are left, and the command that needs 4.5 is ended by the call's timeout
            started = System.nanoTime();
            McpSchema.CallToolResult late = tools.pipeline(new Call(consentAfter(Duration.ofSeconds(9)), null), arguments);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(late.isError()).as(McpToolsSandboxTest.text(late)).isTrue();
            assertThat(McpToolsSandboxTest.text(late)).containsIgnoringCase("timed out");
            assertThat(took).as("the question and the command within the call's timeout").isLessThan(Duration.ofMillis(13_500));
        } finally {
            slow.stop(0);
        }
    }

    /** A client whose user confirms after {@code wait}. */
    private static McpSyncServerExchange consentAfter(Duration wait) {
        return ElicitingClient.answering(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
                Map.of("confirm", true)), wait);
    }
}
