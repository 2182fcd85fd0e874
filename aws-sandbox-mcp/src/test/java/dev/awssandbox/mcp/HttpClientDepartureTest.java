package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A streamable-HTTP client that drops its connection while its call runs, without
 * {@code notifications/cancelled} (a crash, an abort, a proxy's timeout), ends the call's command: it
 * used to run to its timeout (here 600 s), holding a slot of the call limit for nobody. The AWS
 * CLI waits on an endpoint that accepts and never answers; its connection there closes when it is
 * killed. Control, in the same run: while the client stays connected, the command keeps running
 * past several of the watch's polls.
 */
class HttpClientDepartureTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final Pattern SESSION = Pattern.compile("(?im)^mcp-session-id:\\s*(\\S+)");

    @ParameterizedTest(name = "{0}, closed with {1}")
    @CsvSource({"STREAMABLE, FIN", "STATELESS, RST"})
    void aClientThatDropsItsConnectionEndsItsCallsCommand(AwsMcpServer.HttpMode mode, String close) throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            HostEnvironment host = hostAllowing(endpoint);
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host,
                    "127.0.0.1", 0, mode, "test")) {
                String session = null;
                try (Socket init = new Socket("127.0.0.1", server.port())) {
                    String answer = post(init, server.port(), INITIALIZE, null, true);
                    Matcher m = SESSION.matcher(answer);
                    if (m.find()) {
                        session = m.group(1);
                    }
                }
                assertThat(session != null).as("a session exactly when the server keeps them").isEqualTo(mode == AwsMcpServer.HttpMode.STREAMABLE);
                if (session != null) {
                    initialized(server.port(), session);
                }
                Socket client = new Socket("127.0.0.1", server.port());
                post(client, server.port(), hangingCall(2, endpoint), session, false);
                try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                    aws.setSoTimeout(3 * (int) ClientDepartures.PERIOD.toMillis());
                    assertThat(readsToEnd(aws)).as("control: the call runs on while its client waits").isFalse();

                    if (close.equals("RST")) {
                        client.setSoLinger(true, 0);
                    }
                    client.close();
                    aws.setSoTimeout(60_000);
                    assertThat(readsToEnd(aws)).as("the AWS CLI's connection closes: its command was killed").isTrue();
                }
            }
        }
    }

    /**
     * Red team, 2026-12-06, R2-5: a connection was known by its two ports only, and another client's connection from
     * another address with the same ports (127.0.0.2, the same source port) kept the departed client's call running.
     */
    @org.junit.jupiter.api.Test
    void anotherClientWithTheSamePortsFromAnotherAddressDoesNotKeepADepartedCall() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            HostEnvironment host = hostAllowing(endpoint);
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host, "127.0.0.1", 0, AwsMcpServer.HttpMode.STATELESS,
                    "test")) {
                Socket client = new Socket();
                client.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                client.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                try (Socket other = new Socket()) {
                    other.bind(new java.net.InetSocketAddress("127.0.0.2", client.getLocalPort()));
                    other.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                    post(client, server.port(), hangingCall(2, endpoint), null, false);
                    try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                        client.close();
                        aws.setSoTimeout(60_000);
                        assertThat(readsToEnd(aws)).as("the AWS CLI's connection closes while the other client stays").isTrue();
                    }
                }
            }
        }
    }

    /**
     * Outside test RT10, F1: a new connection from the departed client's address and port (a reset frees the port at once,
     * and any local process can bind it) had the departed connection's name in the socket table, and kept its call
     * running while it stayed open. The watch knows the connection's socket (its inode) from the first read that has it.
     */
    @org.junit.jupiter.api.Test
    void aNewConnectionFromADepartedClientsPortDoesNotKeepItsCall() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            HostEnvironment host = hostAllowing(endpoint);
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host, "127.0.0.1", 0, AwsMcpServer.HttpMode.STATELESS,
                    "test")) {
                Socket client = new Socket();
                client.setReuseAddress(true);
                client.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                client.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                post(client, server.port(), hangingCall(2, endpoint), null, false);
                try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                    aws.setSoTimeout(3 * (int) ClientDepartures.PERIOD.toMillis());
                    assertThat(readsToEnd(aws)).as("control: the call runs on while its client waits").isFalse();
                    client.setSoLinger(true, 0);
                    client.close();
                    try (Socket again = new Socket()) {
                        again.setReuseAddress(true);
                        again.bind(new java.net.InetSocketAddress("127.0.0.1", client.getLocalPort()));
                        again.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                        aws.setSoTimeout(60_000);
                        assertThat(readsToEnd(aws)).as("the AWS CLI's connection closes while the new connection stays")
                                .isTrue();
                    }
                }
            }
        }
    }

    /**
     * MCP red team of 2026-12-06, MRT-3: a client that ends its session with {@code DELETE} while a call of it runs (on
     * another connection, which stays open) ends the call's command too; it ran to its timeout.
     */
    @org.junit.jupiter.api.Test
    void aSessionEndedWithDeleteEndsItsRunningCall() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            HostEnvironment host = hostAllowing(endpoint);
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(host,
                    "127.0.0.1", 0, AwsMcpServer.HttpMode.STREAMABLE, "test");
                 Socket init = new Socket("127.0.0.1", server.port());
                 Socket client = new Socket("127.0.0.1", server.port());
                 Socket delete = new Socket("127.0.0.1", server.port())) {
                Matcher m = SESSION.matcher(post(init, server.port(), INITIALIZE, null, true));
                assertThat(m.find()).isTrue();
                String session = m.group(1);
                initialized(server.port(), session);
                post(client, server.port(), hangingCall(2, endpoint), session, false);
                try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                    delete.getOutputStream().write(("DELETE /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                            + "\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    aws.setSoTimeout(60_000);
                    assertThat(readsToEnd(aws)).as("the AWS CLI's connection closes: its command was killed").isTrue();
                }
            }
        }
    }

    /**
     * Outside test RT11: a call cancelled with {@code notifications/cancelled} is not answered (F4: the SDK sent the tool's
     * "cancelled" result, which the TypeScript client reported as a response for an unknown id), and a second call with the
     * id of one still running is refused, as over stdio (F10: both ran, and the cancellation ended the first only).
     * Control: the cancelled call's command is killed, and its POST's stream ends. Once the cancellation is answered the
     * id is free (RT19, F8).
     */
    @org.junit.jupiter.api.Test
    void aCancelledCallIsNotAnsweredAndItsIdIsNotTakenTwice() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(hostAllowing(endpoint), "127.0.0.1", 0,
                    AwsMcpServer.HttpMode.STREAMABLE, "test");
                 Socket init = new Socket("127.0.0.1", server.port());
                 Socket client = new Socket("127.0.0.1", server.port());
                 Socket again = new Socket("127.0.0.1", server.port());
                 Socket stringId = new Socket("127.0.0.1", server.port());
                 Socket cancel = new Socket("127.0.0.1", server.port())) {
                Matcher m = SESSION.matcher(post(init, server.port(), INITIALIZE, null, true));
                assertThat(m.find()).isTrue();
                String session = m.group(1);
                initialized(server.port(), session);
                String call = hangingCall(42, endpoint);
                post(client, server.port(), call, session, false);
                try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                    assertThat(post(again, server.port(), call, session, true)).as("the same id again")
                            .contains("\"id\":42").contains("\"code\":-32600").contains("already in use");
                    // JSON-RPC: the string "42" is another id than the number 42 (outside test RT14)
                    assertThat(post(stringId, server.port(), "{\"jsonrpc\":\"2.0\",\"id\":\"42\",\"method\":\"ping\"}",
                            session, true)).as("the string \"42\" while 42 runs").contains("\"id\":\"42\"")
                            .contains("\"result\"").doesNotContain("-32600");
                    assertThat(post(cancel, server.port(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                            + "\"params\":{\"requestId\":42}}", session, true)).startsWith("HTTP/1.1 202");
                    // outside test RT19, F8: the id was "in use" for a few milliseconds after the cancellation's 202
                    try (Socket reuse = new Socket("127.0.0.1", server.port())) {
                        assertThat(post(reuse, server.port(), "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"ping\"}",
                                session, true)).as("the id at once after its cancellation's answer").contains("\"id\":42")
                                .contains("\"result\"").doesNotContain("-32600");
                    }
                    aws.setSoTimeout(60_000);
                    assertThat(readsToEnd(aws)).as("control: the command was killed").isTrue();
                }
                String answer = untilStreamEnds(client);
                assertThat(answer).as("control: the POST's stream ended").contains("\r\n0\r\n\r\n");
                assertThat(answer).as("no answer to the cancelled call").doesNotContain("\"id\":42");
            }
        }
    }

    /**
     * Over the legacy SSE transport too, {@code notifications/cancelled} ends the call's command (outside test RT11, F11:
     * the SDK ignored it, and the command ran to its timeout); a second call of a running id is refused, and the string
     * "42" is another id. Control: the command runs on, past several seconds, until the cancellation comes.
     */
    @org.junit.jupiter.api.Test
    void overSseACancellationEndsTheCall() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            CompletableFuture<Socket> awsConnection = silent.awsConnection;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(hostAllowing(endpoint), "127.0.0.1", 0,
                    AwsMcpServer.HttpMode.SSE, "test")) {
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = client.send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/sse"))
                        .header("Accept", "text/event-stream").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
                java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        stream.body().filter(line -> line.startsWith("data:")).forEach(line -> events.add(line.substring(5).strip()));
                    } catch (java.io.UncheckedIOException closed) {
                        // the test closed the stream
                    }
                });
                try {
                    String path = events.poll(20, TimeUnit.SECONDS);
                    assertThat(path).startsWith("/messages");
                    java.net.URI messages = java.net.URI.create("http://127.0.0.1:" + server.port() + path);
                    java.util.function.Function<String, java.net.http.HttpResponse<String>> post = body -> {
                        try {
                            // bounded: on a server that ignores the cancellation, the call's POST is held to its end
                            return client.send(java.net.http.HttpRequest.newBuilder(messages).timeout(java.time.Duration
                                    .ofSeconds(120)).header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString());
                        } catch (IOException | InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    };
                    post.apply(INITIALIZE);
                    post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                    // its POST is held while it runs
                    CompletableFuture<java.net.http.HttpResponse<String>> call = new CompletableFuture<>();
                    Thread.ofVirtual().start(() -> {
                        try {
                            call.complete(post.apply(hangingCall(42, endpoint)));
                        } catch (Throwable e) {
                            call.completeExceptionally(e); // said at call.get, not as its timeout
                        }
                    });
                    try (Socket aws = awsConnection.get(120, TimeUnit.SECONDS)) {
                        java.net.http.HttpResponse<String> again = post.apply(hangingCall(42, endpoint));
                        assertThat(again.statusCode()).as("the same id again").isEqualTo(400);
                        assertThat(again.body()).contains("\"id\":42").contains("-32600").contains("already in use");
                        assertThat(post.apply("{\"jsonrpc\":\"2.0\",\"id\":\"42\",\"method\":\"ping\"}").statusCode())
                                .as("the string \"42\" while 42 runs").isLessThan(300);
                        aws.setSoTimeout(4_000);
                        assertThat(readsToEnd(aws)).as("control: the command runs on before the cancellation").isFalse();
                        assertThat(post.apply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                                + "\"params\":{\"requestId\":42}}").statusCode()).isEqualTo(202);
                        aws.setSoTimeout(60_000);
                        assertThat(readsToEnd(aws)).as("the command was killed").isTrue();
                    }
                    assertThat(call.get(60, TimeUnit.SECONDS).statusCode()).as("the call's POST ends").isLessThan(300);
                    // and the session's event stream still carries answers (its writer was the cancelled call's thread)
                    assertThat(post.apply("{\"jsonrpc\":\"2.0\",\"id\":43,\"method\":\"ping\"}").statusCode()).isLessThan(300);
                    String answer;
                    do {
                        answer = events.poll(30, TimeUnit.SECONDS);
                    } while (answer != null && !answer.contains("\"id\":43"));
                    assertThat(answer).as("the ping after the cancellation is answered on the stream").contains("\"result\"");
                } finally {
                    stream.body().close();
                    reader.interrupt();
                }
            }
        }
    }

    /**
     * Over SSE too, a client that leaves mid-call without a cancellation ends the call's command (outside test RT16, F4:
     * it ran to its timeout). Over SSE the answer goes on the event stream, so the client is its stream: the POST that
     * carried the call ending first (a proxy's timeout) leaves the call running (review R6), and that is the control: the
     * command runs on past several of the watch's polls after the POST's connection closed, until the stream's does.
     */
    @org.junit.jupiter.api.Test
    void overSseAClientThatLeavesEndsItsCall() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            String endpoint = silent.url;
            try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(hostAllowing(endpoint), "127.0.0.1", 0,
                    AwsMcpServer.HttpMode.SSE, "test");
                 Socket stream = new Socket("127.0.0.1", server.port());
                 Socket client = new Socket("127.0.0.1", server.port())) {
                stream.getOutputStream().write(("GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                        + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stream.setSoTimeout(20_000);
                java.io.BufferedReader events = new java.io.BufferedReader(new java.io.InputStreamReader(
                        stream.getInputStream(), StandardCharsets.UTF_8));
                String path = null;
                for (String line; path == null && (line = events.readLine()) != null; ) {
                    if (line.startsWith("data:") && line.contains("/messages")) {
                        path = line.substring(5).strip();
                    }
                }
                assertThat(path).as("the stream's endpoint event").startsWith("/messages");
                try (Socket init = new Socket("127.0.0.1", server.port())) {
                    assertThat(postTo(init, server.port(), path, INITIALIZE, true)).contains(" 200");
                }
                try (Socket init = new Socket("127.0.0.1", server.port())) {
                    assertThat(postTo(init, server.port(), path, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                            true)).contains(" 20");
                }
                postTo(client, server.port(), path, hangingCall(7, endpoint), false);
                try (Socket aws = silent.awsConnection.get(120, TimeUnit.SECONDS)) {
                    client.close();
                    aws.setSoTimeout(3 * (int) ClientDepartures.PERIOD.toMillis());
                    assertThat(readsToEnd(aws)).as("control: the call runs on when only its POST ends").isFalse();
                    stream.close();
                    aws.setSoTimeout(60_000);
                    assertThat(readsToEnd(aws)).as("the AWS CLI's connection closes once the stream ends: its command was"
                            + " killed").isTrue();
                }
            }
        }
    }

    /**
     * Outside test RT21, F1: a streamable-HTTP client that left without a {@code DELETE} (the TypeScript SDK's
     * {@code close()}) left its GET stream's socket open on the server's side for good (close-wait: the SDK writes to the
     * stream only when it has a message), and a loop of such clients used up the server's open files. The stream now
     * ends when its client leaves. Control: while the client stays, the server's side stays established.
     */
    @org.junit.jupiter.api.Test
    void aStreamableHttpClientThatLeavesItsStreamFreesItsSocket() throws Exception {
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(hostAllowing("http://127.0.0.1:9"), "127.0.0.1", 0,
                AwsMcpServer.HttpMode.STREAMABLE, "test")) {
            String session;
            try (Socket init = new Socket("127.0.0.1", server.port())) {
                Matcher m = SESSION.matcher(post(init, server.port(), INITIALIZE, null, true));
                assertThat(m.find()).isTrue();
                session = m.group(1);
            }
            initialized(server.port(), session);
            Socket stream = new Socket("127.0.0.1", server.port());
            stream.getOutputStream().write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session
                    + "\r\nMCP-Protocol-Version: 2025-06-18\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int clientPort = stream.getLocalPort();
            Thread.sleep(3 * ClientDepartures.PERIOD.toMillis());
            assertThat(serverSideState(server.port(), clientPort)).as("control: the stream is open while its client stays")
                    .isEqualTo("01");
            stream.close();
            String state = serverSideState(server.port(), clientPort);
            for (int i = 0; i < 100 && state != null; i++) {
                Thread.sleep(100);
                state = serverSideState(server.port(), clientPort);
            }
            assertThat(state).as("the server's side of the departed stream (08: close-wait)").isNull();
        }
    }

    /** The TCP state (hex, as the kernel prints it) of the server's side of the connection from {@code clientPort}, or null. */
    private static String serverSideState(int serverPort, int clientPort) throws IOException {
        String local = String.format(":%04X", serverPort);
        String remote = String.format(":%04X", clientPort);
        for (String table : java.util.List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    return f[3];
                }
            }
        }
        return null;
    }

    /** Sends a POST to {@code path} on {@code socket} (SSE's messages); with {@code answer}, returns the response's first bytes. */
    private static String postTo(Socket socket, int port, String path, String body, boolean answer) throws IOException {
        return send(socket, port, path, "", body, answer);
    }

    /** What {@code socket} receives until a chunked response's last chunk (or 60 s pass, or the peer closes). */
    private static String untilStreamEnds(Socket socket) throws IOException {
        socket.setSoTimeout(60_000);
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = socket.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
                if (received.toString(StandardCharsets.UTF_8).contains("\r\n0\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            // what came is what there is
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    /** A {@code tools/call} whose AWS CLI waits on {@code endpoint}, which never answers (up to its 600 s timeout). */
    private static String hangingCall(int id, String endpoint) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"aws_cli_pipeline\",\"arguments\":{\"command\":\"aws --endpoint-url " + endpoint
                + " --cli-read-timeout 0 s3 ls\",\"timeout\":600}}}";
    }

    /** Sends {@code notifications/initialized} in {@code session} and waits for its answer: calls come after it. */
    private static void initialized(int port, String session) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            post(socket, port, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", session, true);
        }
    }

    /** This host, its sandbox off (the transport is under test here, not the sandbox), allowing {@code endpoint}. */
    private static HostEnvironment hostAllowing(String endpoint) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled");
        vars.put("AWS_MCP_ALLOWED_ENDPOINTS", endpoint);
        vars.putAll(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true"));
        return HostEnvironment.current().withVariables(vars);
    }

    /**
     * An endpoint on loopback that accepts connections and never answers, and its first connection: the AWS CLI's. It is
     * accepted on a thread of its own (the common pool's one thread on two cores had held another test's task behind it).
     */
    private static final class SilentEndpoint implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        final String url = "http://127.0.0.1:" + socket.getLocalPort();
        final CompletableFuture<Socket> awsConnection = new CompletableFuture<>();

        SilentEndpoint() throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    awsConnection.complete(socket.accept());
                } catch (IOException e) {
                    awsConnection.completeExceptionally(e);
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
            if (awsConnection.isDone() && !awsConnection.isCompletedExceptionally()) {
                awsConnection.join().close(); // a connection the test did not take
            }
        }
    }

    /** Sends a POST on {@code socket}; with {@code answer}, reads the response's first bytes and returns them. */
    private static String post(Socket socket, int port, String body, String session, boolean answer) throws IOException {
        return send(socket, port, "/mcp", "Accept: application/json, text/event-stream\r\n"
                + (session == null ? "" : "Mcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\n"),
                body, answer);
    }

    /** Sends a POST with {@code headers} (each ending in CRLF); with {@code answer}, returns the response's first bytes. */
    private static String send(Socket socket, int port, String path, String headers, String body, boolean answer)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + headers + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        if (!answer) {
            return "";
        }
        socket.setSoTimeout(60_000);
        byte[] head = new byte[8192];
        int n = socket.getInputStream().read(head);
        return n < 0 ? "" : new String(head, 0, n, StandardCharsets.US_ASCII);
    }

    /** Whether the peer closes {@code socket} before its read timeout (what it sends is read and dropped). */
    private static boolean readsToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // an AWS CLI's request: never answered
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed too
        }
    }
}
