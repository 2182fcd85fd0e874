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
import java.util.List;
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
            // the scheme in any case (RFC 9110; red team, mcp round D, D5), the token exactly
            assertThat(post(server.port(), Map.of("Authorization", "bearer s3cret"))).isEqualTo(200);
            assertThat(post(server.port(), Map.of("Authorization", "BEARER s3cret"))).isEqualTo(200);
            assertThat(post(server.port(), Map.of("Authorization", "Bearer S3CRET"))).isEqualTo(401);
            assertThat(post(server.port(), Map.of("Authorization", "s3cret"))).isEqualTo(401);
            assertThat(post(server.port(), Map.of("Authorization", "Basic s3cret"))).isEqualTo(401);
        }
    }

    private static HttpResponse<String> postFor(int port, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Outside test WF29, F8: a wrong token was told "a bearer token is required", as no token is. The two are told apart
     * (RFC 6750's invalid_token), and neither says anything of the token.
     */
    @Test
    void aWrongTokenIsToldApartFromNone() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of(AwsMcpServer.TOKEN_ENV_VAR, "s3cret")),
                "127.0.0.1", 0, "test")) {
            HttpResponse<String> none = postFor(server.port(), Map.of());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.body()).contains("a bearer token is required (Authorization: Bearer TOKEN)");
            HttpResponse<String> wrong = postFor(server.port(), Map.of("Authorization", "Bearer stale"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            assertThat(wrong.body()).contains("the bearer token is not this server's (AWS_MCP_AUTH_TOKEN)")
                    .doesNotContain("s3cret");
        }
    }

    /**
     * Outside test WF29, F18: an AWS_MCP_AUTH_TOKEN of blanks, with blanks around it or with a control character started
     * a server no client could use. Each is refused at start; an empty one is none (a non-loopback address then needs
     * one). Control: a good token, with a blank inside, serves.
     */
    @Test
    void aTokenNoClientCanSendIsRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> AwsMcpServer.serveHttp(host(Map.of(AwsMcpServer.TOKEN_ENV_VAR, "")), "0.0.0.0", 0, "test"))
                .isInstanceOf(SandboxException.class).hasMessageContaining("needs a bearer token");
        for (String bad : new String[] {"  ", " s3cret", "s3cret\n", "s3\u0001cret"}) {
            assertThatThrownBy(() -> AwsMcpServer.serveHttp(host(Map.of(AwsMcpServer.TOKEN_ENV_VAR, bad)), "127.0.0.1", 0,
                    "test")).as("[" + bad + "]").isInstanceOf(SandboxException.class)
                    .hasMessageStartingWith(AwsMcpServer.TOKEN_ENV_VAR + " ").hasMessageContaining("openssl rand -hex 32");
        }
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of(AwsMcpServer.TOKEN_ENV_VAR, "s3 cret")),
                "127.0.0.1", 0, "test")) {
            assertThat(post(server.port(), Map.of())).as("control").isEqualTo(401);
            assertThat(post(server.port(), Map.of("Authorization", "Bearer s3 cret"))).as("control").isEqualTo(200);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> AwsMcpServer.serveHttp(host(Map.of()), "0.0.0.0", 0, "test"))
                .isInstanceOf(SandboxException.class).hasMessageContaining(AwsMcpServer.TOKEN_ENV_VAR);
    }

    /** The status line of a raw request (headers as given, even twice), or of the first answer on a stream. */
    private static String statusLine(java.net.Socket socket, String request) throws Exception {
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        for (int c; (c = socket.getInputStream().read()) != -1 && c != '\r'; ) {
            line.append((char) c);
        }
        return line.toString();
    }

    private static String post(int port, String headers) {
        return "POST /mcp HTTP/1.1\r\n" + headers + "Content-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\nContent-Length: " + INITIALIZE.length()
                + "\r\nConnection: close\r\n\r\n" + INITIALIZE;
    }

    /**
     * Red team, round 4: with two Host (or Origin) headers only the first was checked. Now two of
     * either are refused (control: one good Host passes).
     */
    @Test
    void twoHostOrOriginHeadersAreRefused() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of()), "127.0.0.1", 0, "test")) {
            String good = "Host: 127.0.0.1:" + server.port() + "\r\n";
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                assertThat(statusLine(s, post(server.port(), good + "Host: evil.example\r\n"))).contains(" 400");
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                assertThat(statusLine(s, post(server.port(), good + "Origin: http://127.0.0.1:" + server.port()
                        + "\r\nOrigin: http://evil.example\r\n"))).contains(" 400");
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                assertThat(statusLine(s, post(server.port(), good))).contains(" 200");
            }
        }
    }

    /**
     * Red team, round 4: a POST without a session (not an initialize) was answered with the SDK's
     * exception serialized, stack frames and all. The answer keeps the message only.
     */
    @Test
    void anErrorAnswerCarriesNoStackTrace() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of()), "127.0.0.1", 0, "test")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}"))
                    .build();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isGreaterThanOrEqualTo(400);
            assertThat(answer.body()).startsWith("{\"jsonrpc\":\"2.0\"").doesNotContain("stackTrace")
                    .doesNotContain("dev.awssandbox").doesNotContain(".java");
        }
    }

    /**
     * Red team, round 4: the SSE transport held 3,000 streams. At most AWS_MCP_MAX_SESSIONS are open;
     * one more gets 503 (the first ones are the control: they open).
     */
    @Test
    void theSseTransportHoldsAtMostMaxSessions() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of("AWS_MCP_MAX_SESSIONS", "2")),
                "127.0.0.1", 0, AwsMcpServer.HttpMode.SSE, "test");
             java.net.Socket first = new java.net.Socket("127.0.0.1", server.port());
             java.net.Socket second = new java.net.Socket("127.0.0.1", server.port());
             java.net.Socket third = new java.net.Socket("127.0.0.1", server.port())) {
            String sse = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAccept: text/event-stream\r\n\r\n";
            assertThat(statusLine(first, sse)).contains(" 200");
            assertThat(statusLine(second, sse)).contains(" 200");
            assertThat(statusLine(third, sse)).contains(" 503");
        }
    }

    /**
     * Outside test RT19, F4: Jetty answered its own errors as HTML (over SSE a 413 page with the request's whole URI, its
     * session id included) or as JSON of its own shape. They are JSON-RPC errors now, with the status, its reason and
     * the error's message, never the URI. Control: each is the status Jetty gave.
     */
    @Test
    void jettysOwnErrorsAreJsonRpcErrors() throws Exception {
        try (AwsMcpServer.HttpHandle http = AwsMcpServer.serveHttp(host(Map.of()), "127.0.0.1", 0, "test");
             AwsMcpServer.HttpHandle sse = AwsMcpServer.serveHttp(host(Map.of()), "127.0.0.1", 0, AwsMcpServer.HttpMode.SSE,
                     "test")) {
            HttpClient client = HttpClient.newHttpClient();
            java.util.function.BiFunction<String, byte[], HttpResponse<String>> post = (url, body) -> {
                try {
                    return client.send(HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            };
            byte[] small = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] large = new byte[HttpCancellation.MAX_BODY + 1024]; // just past the limit: little left unread (R13)
            java.util.Arrays.fill(large, (byte) 'a');
            Map<String, Map.Entry<HttpResponse<String>, Integer>> answers = new java.util.LinkedHashMap<>();
            answers.put("//mcp", Map.entry(post.apply("http://127.0.0.1:" + http.port() + "//mcp", small), 400));
            answers.put("/mcp/", Map.entry(post.apply("http://127.0.0.1:" + http.port() + "/mcp/", small), 405));
            answers.put("/nothing", Map.entry(post.apply("http://127.0.0.1:" + http.port() + "/nothing", small), 405));
            answers.put("SSE 20 MB", Map.entry(post.apply("http://127.0.0.1:" + sse.port()
                    + "/messages?sessionId=secret-session-id", large), 413));
            answers.forEach((what, answer) -> {
                assertThat(answer.getKey().statusCode()).as(what).isEqualTo(answer.getValue());
                assertThat(answer.getKey().headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                assertThat(answer.getKey().body()).as(what).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,")
                        .contains("HTTP " + answer.getValue()).doesNotContain("secret-session-id").doesNotContain("<html");
            });
            // outside test WF29, F27: a path no servlet serves says what this server serves; control: a 400 does not
            assertThat(answers.get("/nothing").getKey().body()).contains("this server serves MCP over streamable HTTP at /mcp");
            assertThat(post.apply("http://127.0.0.1:" + sse.port() + "/mcp", small).body())
                    .contains("this server serves MCP over SSE: events at /sse, messages posted to /messages");
            assertThat(answers.get("//mcp").getKey().body()).as("control").doesNotContain("this server serves");
            // outside test RT24, F1: TRACE was answered 200 with an echo of the request on every path, before the Host and
            // token checks; an unknown method 501 and PATCH 405, each with an empty body
            for (int port : List.of(http.port(), sse.port())) {
                for (String request : List.of("TRACE /whatever", "TRACE /mcp", "TRACE /sse", "FOO /mcp", "PATCH /mcp")) {
                    String answer = rawExchange(port, request + " HTTP/1.1\r\nHost: evil.example\r\nX-Echo: echoed-header\r\n"
                            + "Connection: close\r\n\r\n");
                    assertThat(answer).as(request).startsWith("HTTP/1.1 405").contains("application/json")
                            .contains("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,")
                            .doesNotContain("echoed-header");
                }
                assertThat(rawExchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                        .as("control: a method it serves").startsWith("HTTP/1.1 200").contains("\"status\":\"ok\"");
            }
        }
    }

    /** The whole answer to {@code request}, sent as it is (a method java.net.http would not send). */
    private static String rawExchange(int port, String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Outside test RT16, F4: a closed event stream held its session's place until the SDK next wrote to it, 30-45 s on.
     * Its connection's departure now ends it within a few of the departure watch's one-second polls. Control: while the
     * first stream is open, a second gets 503.
     */
    @Test
    void aClosedSseStreamFreesItsPlaceAtOnce() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host(Map.of("AWS_MCP_MAX_SESSIONS", "1")),
                "127.0.0.1", 0, AwsMcpServer.HttpMode.SSE, "test")) {
            String sse = "GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAccept: text/event-stream\r\n\r\n";
            java.net.Socket first = new java.net.Socket("127.0.0.1", server.port());
            assertThat(statusLine(first, sse)).contains(" 200");
            try (java.net.Socket second = new java.net.Socket("127.0.0.1", server.port())) {
                assertThat(statusLine(second, sse)).as("control: the place is taken").contains(" 503");
            }
            first.close();
            long closed = System.nanoTime();
            String status = "";
            while (System.nanoTime() - closed < java.util.concurrent.TimeUnit.SECONDS.toNanos(10) && !status.contains(" 200")) {
                Thread.sleep(250);
                try (java.net.Socket again = new java.net.Socket("127.0.0.1", server.port())) {
                    status = statusLine(again, sse);
                }
            }
            assertThat(status).as("a new stream within 10 s of the first one's close").contains(" 200");
        }
    }
}
