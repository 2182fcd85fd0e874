package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server's AWS CLI stage runs in network mode hosts: AWS's endpoints for the configured
 * partitions and the allowed endpoints, nothing else; each call's connections are in its structured
 * result. Filters keep the network off.
 */
class McpEgressTest {

    @Test
    void theAllowedHostsFollowThePartitionsOfTheConfiguredRegionsAndTheAllowedEndpoints() {
        assertThat(ServerContext.allowedHosts(Optional.empty(), List.of(), List.of()))
                .containsExactly("*.amazonaws.com", "*.api.aws");
        assertThat(ServerContext.allowedHosts(Optional.of("cn-north-1"), List.of(), List.of()))
                .containsExactly("*.amazonaws.com.cn", "*.api.amazonwebservices.com.cn");
        assertThat(ServerContext.allowedHosts(Optional.of("us-east-1"), List.of("cn-northwest-1", "us-gov-west-1"), List.of()))
                .containsExactly("*.amazonaws.com", "*.api.aws", "*.amazonaws.com.cn", "*.api.amazonwebservices.com.cn");
        assertThat(ServerContext.allowedHosts(Optional.of("us-isob-east-1"), List.of(), List.of()))
                .containsExactly("*.sc2s.sgov.gov");
        assertThat(ServerContext.allowedHosts(Optional.empty(), List.of(),
                List.of("http://127.0.0.1:4566", "https://LocalStack.example", "http://[::1]:5000/path")))
                .containsExactly("*.amazonaws.com", "*.api.aws", "127.0.0.1:4566", "LocalStack.example:443", "[::1]:5000");
    }

    @SuppressWarnings("unchecked")
    @Test
    void theAwsStageReachesAnAllowedEndpointThroughTheProxyAndTheResultCountsIt() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = McpToolsSandboxTest.awsHost()
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            SandboxPolicy policy = context.runner.sandboxPolicy();
            assertThat(policy.network()).isEqualTo(SandboxPolicy.Network.HOSTS);
            assertThat(policy.allowedHosts()).containsExactly("*.amazonaws.com", "*.api.aws", "127.0.0.1:" + moto.port());
            AwsTools tools = new AwsTools(context, new CallGate(8));

            McpSchema.CallToolResult made = tools.pipeline(Call.NONE, Map.of("command",
                    "aws --endpoint-url " + moto.endpoint() + " s3 mb s3://egress-mcp"));

            assertThat(made.isError()).as(McpToolsSandboxTest.text(made)).isFalse();
            Map<String, Object> structured = (Map<String, Object>) made.structuredContent();
            assertThat((List<Map<String, Object>>) structured.get("connections")).singleElement().satisfies(c -> {
                assertThat(c).containsEntry("stage", 1).containsEntry("host", "127.0.0.1")
                        .containsEntry("port", moto.port()).containsEntry("allowed", true);
                assertThat((Long) c.get("bytesSent")).isPositive();
            });
            assertThat((String) structured.get("enforcement")).contains("network hosts");

            // filters keep the network off, and get no proxy at all
            McpSchema.CallToolResult piped = tools.pipeline(Call.NONE, Map.of("command",
                    "aws --endpoint-url " + moto.endpoint() + " s3api list-buckets | jq -r .Buckets[].Name"));
            assertThat(McpToolsSandboxTest.text(piped)).contains("egress-mcp");
            assertThat((List<Map<String, Object>>) ((Map<String, Object>) piped.structuredContent()).get("connections"))
                    .allSatisfy(c -> assertThat(c).containsEntry("stage", 1));
        }
    }

    /**
     * Red team, mcp round 11, F4: an allowed host that cannot be reached came back as the AWS CLI's
     * {@code Failed to connect to proxy URL: "http://***:***@127.0.0.1:PORT"}, naming the proxy, with
     * no hint. The result now has a hint naming the host, from the proxy's record of the connection.
     */
    @SuppressWarnings("unchecked")
    @Test
    void anAllowedHostThatCannotBeReachedGetsAHintNamingIt() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // free once closed: nothing listens there
        }
        String endpoint = "http://127.0.0.1:" + closed;
        try (TestHost host = McpToolsSandboxTest.awsHost()
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", endpoint);
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));

            McpSchema.CallToolResult failed = tools.pipeline(Call.NONE, Map.of("command",
                    "aws --endpoint-url " + endpoint + " s3api list-buckets"));

            Map<String, Object> structured = (Map<String, Object>) failed.structuredContent();
            assertThat(structured).as(McpToolsSandboxTest.text(failed)).containsEntry("status", "error");
            assertThat((List<String>) structured.get("hints")).as(McpToolsSandboxTest.text(failed))
                    .anySatisfy(h -> assertThat(h).startsWith("hint: 127.0.0.1:" + closed + " could not be reached: it is allowed, but nothing answered there"));
            assertThat(McpToolsSandboxTest.text(failed)).contains("127.0.0.1:" + closed + " could not be reached");
            // not the throttling hint that "502 ... reached max retries" matched before
            assertThat(McpToolsSandboxTest.text(failed)).doesNotContain("rate limiting");
        }
    }

    /**
     * Testers' F15: with an {@code endpoint_url} in the AWS config that {@code AWS_MCP_ALLOWED_ENDPOINTS}
     * does not name, the proxy refuses the connection and the AWS CLI prints {@code An error occurred
     * (403) … Forbidden}, which the hints took for missing IAM permissions. The hint now names the
     * refused host and port and how the user allows it.
     */
    @SuppressWarnings("unchecked")
    @Test
    void aRefusedHostGetsAHintNamingItAndHowToAllowItNotIam() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = McpToolsSandboxTest.awsHost()) {
            java.nio.file.Files.createDirectories(host.home().resolve(".aws"));
            java.nio.file.Files.writeString(host.home().resolve(".aws/config"),
                    "[default]\nendpoint_url = " + moto.endpoint() + "\n");
            try (ServerContext context = ServerContext.create(host.environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));

                McpSchema.CallToolResult failed = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls"));

                Map<String, Object> structured = (Map<String, Object>) failed.structuredContent();
                String text = McpToolsSandboxTest.text(failed);
                assertThat(structured).as(text).containsEntry("status", "error");
                assertThat((List<Map<String, Object>>) structured.get("connections")).as(text)
                        .anySatisfy(c -> assertThat(c).containsEntry("port", moto.port()).containsEntry("allowed", false));
                assertThat((List<String>) structured.get("hints")).as(text).singleElement().satisfies(h -> assertThat(h)
                        .startsWith("hint: 127.0.0.1:" + moto.port() + " was refused by this server's egress proxy")
                        .contains("AWS_MCP_ALLOWED_ENDPOINTS=http://127.0.0.1:" + moto.port()));
                assertThat(text).doesNotContain("IAM").doesNotContain("lack permission");
            }
        }
    }
}
