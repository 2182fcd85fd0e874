package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP transport's guard, against a real server on 127.0.0.1. */
class HttpGuardTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    private static HostEnvironment host(Map<String, String> extra) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled"); // the guard is under test here, not the sandbox
        vars.putAll(extra);
        return HostEnvironment.current().withVariables(vars);
    }

    private static int post(int port, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void originIsCheckedAndLoopbackNeedsNoToken() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of()), "127.0.0.1", 0, "test")) {
            assertThat(post(server.port(), Map.of())).isEqualTo(200);
            assertThat(post(server.port(), Map.of("Origin", "http://127.0.0.1:" + server.port()))).isEqualTo(200);
            assertThat(post(server.port(), Map.of("Origin", "https://evil.example"))).isEqualTo(403);
        }
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of(AwsMcpServer.TOKEN_ENV_VAR, "s3cret")),
                "127.0.0.1", 0, "test")) {
            assertThat(post(server.port(), Map.of())).isEqualTo(401);
            assertThat(post(server.port(), Map.of("Authorization", "Bearer wrong"))).isEqualTo(401);
            assertThat(post(server.port(), Map.of("Authorization", "Bearer s3cret"))).isEqualTo(200);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> AwsMcpServer.serveHttp(host(Map.of()), "0.0.0.0", 0, "test"))
                .isInstanceOf(SandboxException.class).hasMessageContaining(AwsMcpServer.TOKEN_ENV_VAR);
    }
}
