package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
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

    private static HttpResponse<String> post(int port, String body, String session) throws Exception {
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
