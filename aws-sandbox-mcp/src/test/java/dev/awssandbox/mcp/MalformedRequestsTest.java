package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request whose params or id have the wrong shape gets a JSON-RPC error in one plain sentence: over
 * streamable HTTP it got an empty 200 and the client waited for ever; over stdio {@code -32603} with
 * Jackson's exception text (MCP red team of 2026-12-06, MRT-1, MRT-2). Controls: a well-formed request
 * on the same connection is answered as before.
 */
class MalformedRequestsTest {
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    /** Bad requests (id, body) and the error code each gets. */
    private static final List<Map.Entry<String, Integer>> BAD = List.of(
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":[\"x\"]}}",
                    -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{},"
                    + "\"_meta\":\"notanobject\"}}", -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":[\"echo\"]}}", -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"prompts/get\",\"params\":\"x\"}", -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"resources/read\",\"params\":{\"uri\":5}}", -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"tools/list\"}", -32600),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/list\"}", -32600),
            Map.entry("{\"id\":12,\"method\":\"tools/list\"}", -32600),
            // re-attack of 2026-12-06, R2-6: an id past 64 bits, null, a response of the wrong shape, no method
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"tools/list\"}", -32600),
            Map.entry("null", -32600),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":5}", -32600),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":8}", -32600),
            // a method that is not a string (outside test RT19, F7: "Method not found: 5", -32601)
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":19,\"method\":5}", -32600),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":20,\"method\":{\"a\":1}}", -32600),
            // a level by number (the SDK took 3 for warning) or a word that is no level
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"logging/setLevel\",\"params\":{\"level\":3}}", -32602),
            Map.entry("{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"verbose\"}}", -32602));

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    /** This machine's environment, with the sandbox off: the transport is under test here, not the sandbox. */
    private static HostEnvironment unsandboxed() {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled");
        return HostEnvironment.current().withVariables(vars);
    }

    /** A streamable-HTTP session, initialized: its id. */
    private static String initializedSession(int port) throws Exception {
        HttpResponse<String> init = HttpSessionLimitTest.post(port, INITIALIZE, null);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpSessionLimitTest.post(port, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session);
        return session;
    }

    @Test
    void aLevelByItsNameIsAWellFormedSetLevel() throws Exception {
        for (String level : List.of("debug", "info", "warning", "emergency")) {
            assertThat(RequestShapes.check(JSON.readValue("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"logging/setLevel\","
                    + "\"params\":{\"level\":\"" + level + "\"}}", Map.class))).as(level).isEmpty();
        }
    }

    @Test
    void overStdioEachIsAnsweredWithItsCodeAndAPlainMessage() throws Exception {
        StringBuilder in = new StringBuilder(INITIALIZE + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
        BAD.forEach(bad -> in.append(bad.getKey()).append('\n'));
        in.append("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\"}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdioTransport transport = new StdioTransport(JSON, new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)),
                out);
        McpSchema.Tool echo = McpSchema.Tool.builder().name("echo").description("echoes")
                .inputSchema(Map.of("type", "object")).build();
        McpServer.sync(transport).serverInfo("t", "1").immediateExecution(true)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging().build())
                .tools(new McpServerFeatures.SyncToolSpecification(echo, (exchange, request) ->
                        McpSchema.CallToolResult.builder().addTextContent("ok").build()))
                .build();
        transport.serve();
        List<String> answers = out.toString(StandardCharsets.UTF_8).lines().toList();
        for (Map.Entry<String, Integer> bad : BAD) {
            Map<?, ?> message = JSON.readValue(bad.getKey(), Map.class);
            Object id = message == null || !message.containsKey("method") ? null : message.get("id");
            String expectedId = id instanceof Integer ? "\"id\":" + id : "\"id\":null";
            assertThat(answers).as(bad.getKey()).anySatisfy(a -> assertThat(a).contains(expectedId)
                    .contains("\"code\":" + bad.getValue()));
        }
        assertThat(answers).as("control: a well-formed request is answered").anyMatch(a -> a.contains("\"id\":99")
                && a.contains("\"tools\""));
        assertThat(answers).noneMatch(a -> a.contains("jackson") || a.contains("Exception") || a.contains("io.modelcontext"));
    }

    @Test
    void overStreamableHttpEachIsAnsweredNotAnEmptyStream() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(unsandboxed(),
                "127.0.0.1", 0, "test")) {
            String session = initializedSession(server.port());
            for (Map.Entry<String, Integer> bad : BAD) {
                HttpResponse<String> answer = HttpSessionLimitTest.post(server.port(), bad.getKey().replace("\"echo\"", "\"aws_cli_help\""), session);
                assertThat(answer.body()).as(bad.getKey()).contains("\"code\":" + bad.getValue())
                        .doesNotContain("jackson").doesNotContain("Exception");
                // an answer that can name the request is its answer (200); one whose id is what is wrong is a 400
                assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(answer.body().contains("\"id\":null") ? 400 : 200);
            }
            // outside test RT14, F3: a body that is not JSON is a parse error, as over stdio and SSE
            HttpResponse<String> notJson = HttpSessionLimitTest.post(server.port(), "{\"jsonrpc\":", session);
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).contains("\"code\":-32700").doesNotContain("Exception");
            HttpResponse<String> control = HttpSessionLimitTest.post(server.port(), "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\"}", session);
            assertThat(control.body()).as("control").contains("aws_cli_pipeline");
        }
    }

    /**
     * Outside test RT11, F7: a request with an {@code MCP-Protocol-Version} the server does not speak is answered 400,
     * as MCP requires; the SDK answered it as if the header were not there. Control: a version it speaks is answered.
     */
    @Test
    void anUnsupportedProtocolVersionHeaderIsA400() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(unsandboxed(), "127.0.0.1", 0, "test")) {
            String session = initializedSession(server.port());
            for (String version : List.of("1999-01-01", "latest")) {
                HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
                        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                        .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", version)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(version).isEqualTo(400);
                assertThat(answer.body()).as(version).contains("\"code\":-32600").contains("unsupported MCP-Protocol-Version")
                        .contains("2025-06-18");
            }
            HttpResponse<String> control = HttpSessionLimitTest.post(server.port(), "{\"jsonrpc\":\"2.0\",\"id\":6,"
                    + "\"method\":\"ping\"}", session);
            assertThat(control.statusCode()).as("control: 2025-06-18").isEqualTo(200);
        }
    }

    /**
     * A client's answer to a question the server no longer waits for (a consent question answered after it timed out,
     * an answer sent twice) is taken with 202: the SDK had answered it 500, "Unexpected response for unknown id", as if
     * the server had failed. Control: the session still answers a request.
     */
    @Test
    void aLateAnswerIsTakenNotAServerError() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(unsandboxed(),
                "127.0.0.1", 0, "test")) {
            String session = initializedSession(server.port());
            for (String late : List.of("{\"jsonrpc\":\"2.0\",\"id\":\"late-1\",\"result\":{\"action\":\"accept\"}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":77,\"error\":{\"code\":-1,\"message\":\"declined\"}}")) {
                HttpResponse<String> answer = HttpSessionLimitTest.post(server.port(), late, session);
                assertThat(answer.statusCode()).as(late).isEqualTo(202);
                assertThat(answer.body()).as(late).isEmpty();
            }
            HttpResponse<String> control = HttpSessionLimitTest.post(server.port(), "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/list\"}", session);
            assertThat(control.body()).as("control").contains("aws_cli_pipeline");
            // outside test RT11, F1: without a session the SDK answered 400 with its serialized exception, stack and all
            HttpResponse<String> sessionless = HttpSessionLimitTest.post(server.port(), "{\"jsonrpc\":\"2.0\",\"id\":\"q\","
                    + "\"result\":{}}", null);
            assertThat(sessionless.statusCode()).isEqualTo(202);
            assertThat(sessionless.body()).isEmpty();
        }
        try (AwsMcpServer.HttpHandle stateless = AwsMcpServer.serveHttp(unsandboxed(), "127.0.0.1", 0,
                AwsMcpServer.HttpMode.STATELESS, "test")) {
            for (String answer : List.of("{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"result\":{}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-1,\"message\":\"x\"}}")) {
                HttpResponse<String> taken = HttpSessionLimitTest.post(stateless.port(), answer, null);
                assertThat(taken.statusCode()).as(answer).isEqualTo(202);
                assertThat(taken.body()).as(answer).isEmpty();
            }
        }
    }

    /**
     * A call of a tool or prompt the server does not have names those it has (the SDK said "Unknown tool:
     * invalid_tool_name" whatever the name, and "Invalid prompt name"), over stdio and streamable HTTP. Controls: a tool
     * it has is called (its own refusal of a missing argument), a prompt it has is given.
     */
    @Test
    void anUnknownToolOrPromptIsAnsweredWithTheNamesThereAre() throws Exception {
        HostEnvironment host = unsandboxed();
        String unknownTool = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"aws_cli\",\"arguments\":{}}}";
        String unknownPrompt = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{\"name\":\"audit\"}}";
        String knownTool = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"aws_cli_pipeline\",\"arguments\":{}}}";
        String knownPrompt = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"prompts/get\",\"params\":{\"name\":\"security_audit\","
                + "\"arguments\":{\"service\":\"s3\"}}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String in = INITIALIZE + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n" + unknownTool + "\n"
                + unknownPrompt + "\n" + knownTool + "\n" + knownPrompt + "\n";
        AwsMcpServer.serveStdio(host, new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), out, "test");
        Map<Object, String> stdio = new HashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            Map<?, ?> answer = JSON.readValue(line, Map.class);
            stdio.put(answer.get("id"), line);
        }
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host, "127.0.0.1", 0, "test")) {
            String session = initializedSession(server.port());
            Map<Object, String> http = new HashMap<>();
            for (String request : List.of(unknownTool, unknownPrompt, knownTool, knownPrompt)) {
                http.put(JSON.readValue(request, Map.class).get("id"), HttpSessionLimitTest.post(server.port(), request, session).body());
            }
            for (Map<Object, String> answers : List.of(stdio, http)) {
                assertThat(answers.get(2)).contains("\"code\":-32602")
                        .contains("this server has no tool named \\\"aws_cli\\\"; its tools are aws_cli_pipeline, aws_cli_help")
                        .doesNotContain("invalid_tool_name");
                assertThat(answers.get(3)).contains("\"code\":-32602").contains("this server has no prompt named \\\"audit\\\"; its prompts are ")
                        .contains("security_audit");
                assertThat(answers.get(4)).as("control: a tool it has").contains("\"isError\":true").doesNotContain("no tool named");
                assertThat(answers.get(5)).as("control: a prompt it has").contains("\"messages\"").doesNotContain("\"error\"");
            }
        }
    }
}
