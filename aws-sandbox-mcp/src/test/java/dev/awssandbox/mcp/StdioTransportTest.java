package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The stdio transport keeps reading whatever happens to a call, and returns at EOF however many
 * calls are running (issue 14: the SDK's transport stopped reading with 50 calls in flight).
 */
class StdioTransportTest {
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    /** A tool that waits for {@code release}, counting the calls that are inside it. */
    private static McpSyncServer server(StdioTransport transport, CountDownLatch release, AtomicInteger inside) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("wait").description("waits")
                .inputSchema(Map.of("type", "object")).build();
        return McpServer.sync(transport).serverInfo("t", "1").immediateExecution(true)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) -> {
                    inside.incrementAndGet();
                    try {
                        release.await();
                        return McpSchema.CallToolResult.builder().addTextContent("done").build();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return McpSchema.CallToolResult.builder().addTextContent("interrupted").isError(true).build();
                    } finally {
                        inside.decrementAndGet();
                    }
                }))
                .build();
    }

    private static String line(Object message) throws IOException {
        return JSON.writeValueAsString(message) + "\n";
    }

    private static void send(OutputStream to, String text) throws IOException {
        to.write(text.getBytes(StandardCharsets.UTF_8));
        to.flush();
    }

    private static String initialize() throws IOException {
        return line(Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize", "params", Map.of("protocolVersion",
                "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))))
                + line(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
    }

    private static String call(int id) throws IOException {
        return line(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call",
                "params", Map.of("name", "wait", "arguments", Map.of())));
    }

    /**
     * MCP red team of 2026-12-06, MRT-7: a client that sends {@code notifications/initialized} (and its first call) without
     * waiting for the initialize answer kept its capabilities only when the initialize request, handled on another
     * thread, won the race; consent was then refused as "this client cannot ask". Twenty sessions, each written at once.
     */
    @Test
    void aClientThatDoesNotWaitForTheInitializeAnswerKeepsItsCapabilities() throws Exception {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("caps").description("the client's capabilities")
                .inputSchema(Map.of("type", "object")).build();
        for (int round = 0; round < 20; round++) {
            String in = line(Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize", "params", Map.of("protocolVersion",
                    "2025-06-18", "capabilities", Map.of("elicitation", Map.of()), "clientInfo", Map.of("name", "t", "version", "1"))))
                    + line(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))
                    + line(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call", "params", Map.of("name", "caps",
                            "arguments", Map.of())));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            PipedOutputStream client = new PipedOutputStream();
            StdioTransport transport = new StdioTransport(JSON, new PipedInputStream(client, 1 << 16), stdout);
            McpServer.sync(transport).serverInfo("t", "1").immediateExecution(true)
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                    .tools(new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) ->
                            McpSchema.CallToolResult.builder().addTextContent("elicitation=" + (exchange.getClientCapabilities() != null
                                    && exchange.getClientCapabilities().elicitation() != null)).build()))
                    .build();
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try {
                    transport.serve();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            send(client, in); // all three at once
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!stdout.toString(StandardCharsets.UTF_8).contains("elicitation=") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            client.close();
            serving.get(30, TimeUnit.SECONDS);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).as("round " + round).contains("elicitation=true");
        }
    }

    /**
     * MCP red team of 2026-12-06, MRT-7's addendum: a request sent after the initialize answer but before {@code
     * notifications/initialized} was dropped without a word, and the client hung; it is answered with an error that says
     * what to send. Control: the same request after the notification is answered.
     */
    @Test
    void aRequestBeforeInitializedIsAnsweredWithAnError() throws Exception {
        String in = line(Map.of("jsonrpc", "2.0", "id", 0, "method", "initialize", "params", Map.of("protocolVersion",
                "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "t", "version", "1"))))
                + line(Map.of("jsonrpc", "2.0", "id", 5, "method", "tools/list"))
                + line(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"))
                + line(Map.of("jsonrpc", "2.0", "id", 6, "method", "tools/list"));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PipedOutputStream client = new PipedOutputStream();
        StdioTransport transport = new StdioTransport(JSON, new PipedInputStream(client, 1 << 16), stdout);
        server(transport, new CountDownLatch(0), new AtomicInteger());
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                transport.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        send(client, in);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!stdout.toString(StandardCharsets.UTF_8).contains("\"id\":6") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.close();
        serving.get(30, TimeUnit.SECONDS);
        List<String> answers = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(answers).anySatisfy(a -> assertThat(a).contains("\"id\":5").contains("-32600")
                .contains("send notifications/initialized"));
        assertThat(answers).as("control").anySatisfy(a -> assertThat(a).contains("\"id\":6").contains("\"wait\""));
    }

    @Test
    void fiftyRunningCallsDoNotStopTheReaderAndEveryCallIsAnswered() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(client, 1 << 20);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StdioTransport transport = new StdioTransport(JSON, stdin, stdout);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        McpSyncServer server = server(transport, release, inside);
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                transport.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        send(client, initialize());
        StringBuilder calls = new StringBuilder();
        for (int id = 1; id <= 50; id++) {
            calls.append(call(id));
        }
        send(client, calls.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inside.get() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(inside.get()).as("all 50 calls run at once").isEqualTo(50);

        // the reader still reads: a malformed line is answered, and so is a cheap request
        send(client, "this is not json\n" + line(Map.of("jsonrpc", "2.0", "id", 99, "method", "tools/list")));
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(stdout.toString(StandardCharsets.UTF_8).contains("\"id\":99")
                && stdout.toString(StandardCharsets.UTF_8).contains("-32700")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String answered = stdout.toString(StandardCharsets.UTF_8);
        assertThat(answered).contains("\"id\":99").contains("-32700");

        release.countDown();
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stdout.toString(StandardCharsets.UTF_8).split("\"done\"").length - 1 < 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stdout.toString(StandardCharsets.UTF_8).split("\"done\"").length - 1).isEqualTo(50);

        client.close();
        serving.get(30, TimeUnit.SECONDS);
        server.closeGracefully();
    }

    @Test
    void endOfInputStopsTheRunningCallsAndReturns() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(client, 1 << 20);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StdioTransport transport = new StdioTransport(JSON, stdin, stdout);
        AtomicInteger inside = new AtomicInteger();
        McpSyncServer server = server(transport, new CountDownLatch(1), inside); // never released
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                transport.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        StringBuilder input = new StringBuilder(initialize());
        for (int id = 1; id <= 50; id++) {
            input.append(call(id));
        }
        send(client, input.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inside.get() < 50 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        client.close(); // EOF with 50 calls waiting forever

        serving.get(30, TimeUnit.SECONDS);
        assertThat(inside.get()).as("every call was interrupted and left the tool").isZero();
        assertThat(transport.inFlight()).isZero();
        server.closeGracefully();
    }

    /**
     * Issue 12: notifications/cancelled was ignored ("No handler registered") and the call ran to its timeout. Its id is
     * free for the next message (outside test RT19, F8).
     */
    @Test
    void aCancelledCallIsInterruptedAndNotAnswered() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(client, 1 << 20);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StdioTransport transport = new StdioTransport(JSON, stdin, stdout);
        AtomicInteger inside = new AtomicInteger();
        McpSyncServer server = server(transport, new CountDownLatch(1), inside); // released by nothing but interrupt
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                transport.serve();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        send(client, initialize() + call(7) + call(8));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inside.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(inside.get()).isEqualTo(2);

        // the id as the client's JSON had it (7.0 is the same id), and a cancellation of an unknown id (ignored)
        send(client, line(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
                "params", Map.of("requestId", 7.0, "reason", "user stopped it")))
                + line(Map.of("jsonrpc", "2.0", "method", "notifications/cancelled", "params", Map.of("requestId", 42)))
                + line(Map.of("jsonrpc", "2.0", "id", 7, "method", "ping"))
                + line(Map.of("jsonrpc", "2.0", "id", 9, "method", "ping")));
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((inside.get() > 1 || !stdout.toString(StandardCharsets.UTF_8).contains("\"id\":9")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(inside.get()).as("call 7 was interrupted; call 8 still runs").isEqualTo(1);
        String out = stdout.toString(StandardCharsets.UTF_8);
        assertThat(out).as("the server still answers").contains("\"id\":9");
        assertThat(out).as("no answer to the cancelled call").doesNotContain("interrupted").doesNotContain("\"result\":{\"content");
        // outside test RT19, F8: a request that reused the id at once was refused as "in use" while the call ended
        assertThat(out).as("its id, reused at once, is free").contains("\"id\":7,\"result\":{}").doesNotContain("in use");
        assertThat(transport.inFlight()).isEqualTo(1);

        client.close();
        serving.get(30, TimeUnit.SECONDS);
        server.closeGracefully();
    }

    @Test
    void requestIdsAreKeyedAsTheClientMeantThem() {
        assertThat(StdioTransport.key(7)).isEqualTo(StdioTransport.key(7L)).isEqualTo(StdioTransport.key(7.0));
        assertThat(StdioTransport.key("7")).isNotEqualTo(StdioTransport.key(7));
        assertThat(StdioTransport.key(7.5)).isNotEqualTo(StdioTransport.key(7));
    }

    @Test
    void linesAreSplitOnNewlinesAndOversizedOnesAreSkipped() throws Exception {
        byte[] input = ("a\r\nb\n" + "x".repeat(100) + "\nc").getBytes(StandardCharsets.UTF_8);
        StdioTransport.LineReader reader = new StdioTransport.LineReader(new java.io.ByteArrayInputStream(input), 50);
        assertThat(List.of(reader.next().orElseThrow(), reader.next().orElseThrow(), reader.next().orElseThrow(),
                reader.next().orElseThrow())).containsExactly(new StdioTransport.Line("a", false),
                new StdioTransport.Line("b", false), new StdioTransport.Line("", true), new StdioTransport.Line("c", false));
        assertThat(reader.next()).isEmpty();
    }
}
