package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP transport holds a bounded number of sessions and ends idle ones (issue 9). */
class HttpSessionLimitTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

    private static HostEnvironment host(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled"); // the transport is under test here, not the sandbox
        vars.putAll(extra);
        return HostEnvironment.current().withVariables(vars);
    }

    /** A POST to /mcp, in {@code session} (or none). */
    static HttpResponse<String> post(int port, String body, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int delete(int port, String session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18").DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void sessionsBeyondTheCapAreRefusedWithAClearError() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of("AWS_MCP_MAX_SESSIONS", "2")),
                "127.0.0.1", 0, "test")) {
            HttpResponse<String> first = post(server.port(), INITIALIZE, null);
            HttpResponse<String> second = post(server.port(), INITIALIZE, null);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            HttpResponse<String> third = post(server.port(), INITIALIZE, null);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.body()).contains("too many MCP sessions").contains("AWS_MCP_MAX_SESSIONS");

            String id = first.headers().firstValue("Mcp-Session-Id").orElseThrow();
            assertThat(delete(server.port(), id)).isLessThan(300);
            assertThat(post(server.port(), INITIALIZE, null).statusCode()).as("a closed session frees its place")
                    .isEqualTo(200);
        }
    }

    /**
     * MCP red team of 2026-12-06, MRT-8: a session whose own call ran longer than the idle timeout had ended when the call
     * did (404 on the next request): a running request keeps it, and its end counts as a use. The call waits on an
     * endpoint that never answers until its timeout (3 s, the idle timeout 1 s). Control: {@link #anIdleSessionEnds}.
     */
    @Test
    void aSessionWhoseCallRunsPastTheIdleTimeoutLivesOn() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            Thread.ofVirtual().start(() -> {
                List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed with the test
                }
            });
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of("AWS_MCP_SESSION_IDLE_TIMEOUT", "1",
                    "AWS_MCP_ALLOWED_ENDPOINTS", endpoint, "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true")), "127.0.0.1", 0, "test")) {
                HttpResponse<String> init = post(server.port(), INITIALIZE, null);
                String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
                post(server.port(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", id);
                HttpResponse<String> call = post(server.port(), "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"aws_cli_pipeline\",\"arguments\":{\"command\":\"aws --endpoint-url " + endpoint
                        + " --cli-read-timeout 0 s3 ls\",\"timeout\":3}}}", id);
                assertThat(call.body()).as("the call ran to its timeout").contains("timeout");
                HttpResponse<String> after = post(server.port(), PING, id);
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void anIdleSessionEnds() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of("AWS_MCP_SESSION_IDLE_TIMEOUT", "1")),
                "127.0.0.1", 0, "test")) {
            HttpResponse<String> init = post(server.port(), INITIALIZE, null);
            String id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            Thread.sleep(2500);
            HttpResponse<String> late = post(server.port(), PING, id);
            assertThat(late.statusCode()).isEqualTo(404);
            assertThat(late.body()).contains("has ended").contains("AWS_MCP_SESSION_IDLE_TIMEOUT");
        }
    }
}
