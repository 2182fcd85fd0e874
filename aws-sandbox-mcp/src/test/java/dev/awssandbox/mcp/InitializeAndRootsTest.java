package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two ways a client was failed before any tool ran (outside test RT10, F3, and what its check found next to it), over
 * all three transports:
 * <ul>
 *   <li>an {@code initialize} without params, or with a member of the wrong JSON type, is answered {@code -32602} in
 *       one sentence naming the member; the SDK had answered a 500 with a {@code NullPointerException}'s text, or a
 *       400 (on SSE a {@code -32603}) naming Jackson's classes. Controls: a well-formed initialize, and one with empty
 *       params (the SDK fills in what is missing), are answered with the server's capabilities.</li>
 *   <li>{@code notifications/roots/list_changed}, which a client that declares {@code roots} sends: the SDK asked the
 *       client for its roots and waited, over stdio on the thread that reads the answer, so the server answered nothing
 *       more and outlived its client; over streamable HTTP without a GET stream it answered the notification 500, and
 *       over SSE it held the notification's POST until the client answered. The server uses no roots: the notification
 *       is taken, and the next request answered.</li>
 * </ul>
 */
class InitializeAndRootsTest {
    private static final String WELL_FORMED = "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":"
            + "{\"listChanged\":true}},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}";

    /** Initialize params (null: none) and what the answer must say. */
    private static final List<Map.Entry<String, String>> BAD = List.of(
            Map.entry("", "initialize needs params: protocolVersion, capabilities and clientInfo"),
            Map.entry("null", "initialize needs params"),
            Map.entry("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":[],\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}",
                    "params.capabilities of initialize does not have the shape MCP gives it (it is an array)"),
            Map.entry("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":\"x\"}",
                    "params.clientInfo of initialize does not have the shape MCP gives it (it is a string)"),
            Map.entry("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":{\"listChanged\":\"yes\"}},"
                    + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}", "params.capabilities.roots.listChanged of initialize"),
            Map.entry("{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"elicitation\":5},"
                    + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}", "params.capabilities.elicitation of initialize"));

    private static final String ROOTS_CHANGED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    private static String initialize(int id, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\"" + (params.isEmpty() ? "" : ",\"params\":" + params)
                + "}";
    }

    private static String ping(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}";
    }

    private static HostEnvironment unsandboxed() {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled");
        return HostEnvironment.current().withVariables(vars);
    }

    private static void assertPlain(String answer, String bad) {
        assertThat(answer).as(bad).contains("\"code\":-32602").doesNotContain("Exception").doesNotContain("jackson")
                .doesNotContain("io.modelcontext");
    }

    /** A server over stdio, fed {@code lines}; its output lines, or a failure if it did not end within 30 s. */
    private static List<String> overStdio(List<String> lines) throws Exception {
        byte[] in = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread server = Thread.ofVirtual().start(() -> {
            try {
                AwsMcpServer.serveStdio(unsandboxed(), new ByteArrayInputStream(in), out, "test");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(server.join(Duration.ofSeconds(30))).as("the server read its input to the end and stopped").isTrue();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void overStdioAnInitializeOfTheWrongShapeIsAnsweredInOneSentence() throws Exception {
        for (Map.Entry<String, String> bad : BAD) {
            List<String> answers = overStdio(List.of(initialize(1, bad.getKey())));
            assertThat(answers).as(bad.getKey()).hasSize(1);
            assertThat(answers.getFirst()).as(bad.getKey()).contains("\"id\":1").contains(bad.getValue());
            assertPlain(answers.getFirst(), bad.getKey());
        }
        assertThat(overStdio(List.of(initialize(1, WELL_FORMED))).getFirst()).as("control").contains("\"serverInfo\"");
        assertThat(overStdio(List.of(initialize(1, "{}"))).getFirst()).as("control: empty params").contains("\"serverInfo\"");
    }

    @Test
    void overStdioARootsNotificationIsTakenAndTheNextRequestAnswered() throws Exception {
        List<String> answers = overStdio(List.of(initialize(1, WELL_FORMED), INITIALIZED, ROOTS_CHANGED, ping(2)));
        assertThat(answers).anyMatch(a -> a.contains("\"id\":2") && a.contains("\"result\""));
        assertThat(answers).noneMatch(a -> a.contains("roots/list"));
    }

    /**
     * Outside test RT11, F2: a ping before {@code notifications/initialized} (before {@code initialize} too) is answered
     * at once: the SDK held it until the client sent that notification, and a client that waits for the ping's answer
     * first waited for ever. Control: another request then is refused, saying to send the notification.
     */
    @Test
    void overStdioAPingBeforeTheSessionIsInitializedIsAnswered() throws Exception {
        List<String> answers = overStdio(List.of(ping(1), initialize(2, WELL_FORMED), ping(3),
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}"));
        assertThat(answers).contains("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}");
        assertThat(answers).anyMatch(a -> a.contains("\"id\":4") && a.contains("-32600") && a.contains("notifications/initialized"));
    }

    @Test
    void overStreamableHttpBoth() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(unsandboxed(), "127.0.0.1", 0, "test")) {
            for (Map.Entry<String, String> bad : BAD) {
                HttpResponse<String> answer = HttpSessionLimitTest.post(server.port(), initialize(1, bad.getKey()), null);
                assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(200);
                assertThat(answer.body()).as(bad.getKey()).contains("\"id\":1").contains(bad.getValue());
                assertThat(answer.headers().firstValue("Mcp-Session-Id")).as("no session for " + bad.getKey()).isEmpty();
                assertPlain(answer.body(), bad.getKey());
            }
            assertThat(HttpSessionLimitTest.post(server.port(), initialize(1, "{}"), null).body()).as("control: empty params")
                    .contains("\"serverInfo\"");
            HttpResponse<String> init = HttpSessionLimitTest.post(server.port(), initialize(1, WELL_FORMED), null);
            assertThat(init.body()).as("control").contains("\"serverInfo\"");
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpSessionLimitTest.post(server.port(), INITIALIZED, session);
            HttpResponse<String> roots = HttpSessionLimitTest.post(server.port(), ROOTS_CHANGED, session);
            assertThat(roots.statusCode()).as(roots.body()).isEqualTo(202);
            assertThat(HttpSessionLimitTest.post(server.port(), ping(2), session).body()).contains("\"id\":2").contains("\"result\"");
        }
    }

    @Test
    void overSseBoth() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(unsandboxed(), "127.0.0.1", 0, AwsMcpServer.HttpMode.SSE,
                "test")) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/sse")).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                Iterator<String> lines = stream.body().iterator();
                try {
                    while (lines.hasNext()) {
                        String line = lines.next();
                        if (line.startsWith("data:")) {
                            events.add(line.substring(5).strip());
                        }
                    }
                } catch (java.io.UncheckedIOException closed) {
                    // the test closed the stream
                }
            });
            try {
                String endpoint = events.poll(20, TimeUnit.SECONDS);
                assertThat(endpoint).startsWith("/messages");
                URI messages = URI.create("http://127.0.0.1:" + server.port() + endpoint);
                for (Map.Entry<String, String> bad : BAD) {
                    HttpResponse<String> answer = client.send(post(messages, initialize(1, bad.getKey())),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
                    assertThat(answer.body()).as(bad.getKey()).contains("\"id\":1").contains(bad.getValue());
                    assertPlain(answer.body(), bad.getKey());
                }
                // outside test RT11, F5: not JSON, and a batch, were a 500 from the SDK
                HttpResponse<String> notJson = client.send(post(messages, "{\"jsonrpc\":"), HttpResponse.BodyHandlers.ofString());
                assertThat(notJson.statusCode()).isEqualTo(400);
                assertThat(notJson.body()).contains("\"code\":-32700");
                HttpResponse<String> batch = client.send(post(messages, "[" + ping(9) + "]"), HttpResponse.BodyHandlers.ofString());
                assertThat(batch.statusCode()).isEqualTo(400);
                assertThat(batch.body()).contains("\"code\":-32600").contains("batches");
                // outside test RT16, F3: a response of the wrong shape was a 500 with Jackson's text and the SDK's classes
                for (String response : List.of("{\"jsonrpc\":\"2.0\",\"id\":\"x3\",\"error\":null}",
                        "{\"jsonrpc\":\"2.0\",\"id\":\"x8\",\"error\":{\"code\":\"a\"}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":[1],\"result\":{}}")) {
                    HttpResponse<String> answer = client.send(post(messages, response), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(response).isEqualTo(400);
                    assertThat(answer.body()).as(response).contains("\"code\":-32600").doesNotContain("Exception")
                            .doesNotContain("jackson").doesNotContain("io.modelcontext");
                }
                // outside test RT17, F2: a byte-order mark, and UTF-16, were a 500 ("Failed to read value")
                for (byte[] encoded : List.of(("\uFEFF" + ping(9)).getBytes(StandardCharsets.UTF_8),
                        ping(9).getBytes(StandardCharsets.UTF_16LE))) {
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(messages)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(encoded)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(400);
                    assertThat(answer.body()).contains("\"code\":-32700");
                }
                // outside tests RT11, F3 and RT22, F3: a request before notifications/initialized was held, its POST
                // unanswered, until the session initialized (for ever if it never did)
                String early = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\"}";
                for (String request : List.of(early, ping(8))) {
                    HttpResponse<String> refused = client.send(post(messages, request), HttpResponse.BodyHandlers.ofString());
                    assertThat(refused.statusCode()).as(request).isEqualTo(400);
                    assertThat(refused.body()).as(request).contains("\"code\":-32600").contains("notifications/initialized")
                            .contains("\"id\":" + (request.equals(early) ? 7 : 8));
                }
                assertThat(events).as("nothing on the stream for the bad ones").isEmpty();
                client.send(post(messages, initialize(1, WELL_FORMED)), HttpResponse.BodyHandlers.discarding());
                assertThat(events.poll(20, TimeUnit.SECONDS)).as("control").contains("\"serverInfo\"");
                HttpResponse<String> beforeInitialized = client.send(post(messages, early), HttpResponse.BodyHandlers.ofString());
                assertThat(beforeInitialized.statusCode()).as("after initialize, before notifications/initialized").isEqualTo(400);
                client.send(post(messages, INITIALIZED), HttpResponse.BodyHandlers.discarding());
                client.send(post(messages, early), HttpResponse.BodyHandlers.discarding());
                assertThat(events.poll(20, TimeUnit.SECONDS)).as("control: the same request once initialized")
                        .contains("\"id\":7").contains("aws_cli_pipeline");
                HttpResponse<String> roots = client.send(post(messages, ROOTS_CHANGED), HttpResponse.BodyHandlers.ofString());
                assertThat(roots.statusCode()).isEqualTo(202);
                client.send(post(messages, ping(2)), HttpResponse.BodyHandlers.discarding());
                String next = events.poll(20, TimeUnit.SECONDS);
                assertThat(next).as("the ping's answer, and no question for the roots first").contains("\"id\":2")
                        .contains("\"result\"");
            } finally {
                stream.body().close();
                reader.interrupt();
            }
        }
    }

    /** A POST of {@code body} that fails after 15 s: the SDK held a roots notification's POST until the client answered. */
    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
