package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;

/**
 * Ends a streamable-HTTP call whose client has stopped waiting for it, as {@link StdioTransport} does
 * for stdio: a request runs on the thread that received its POST (the server executes tools
 * immediately), and interrupting that thread kills the call's command (the core's cancellation).
 * <ul>
 *   <li>{@code notifications/cancelled}, which the SDK (2.1.0) does not dispatch ("No handler
 *       registered"): this filter remembers each running request's thread by session and id, and a
 *       cancellation for it interrupts the thread. The cancellation itself is answered 202 here.
 *   <li>A client that drops its connection without a cancellation (a crash, an abort, a proxy's
 *       timeout) interrupts the thread too ({@link ClientDepartures}), with or without a session
 *       (stateless servers included). Without this the command ran to its end or its timeout,
 *       holding a slot of the call limit for nobody.
 * </ul>
 * Bodies are read whole, up to the SDK's own limit, and a request whose shape the SDK cannot bind is
 * answered here ({@link RequestShapes}).
 */
final class HttpCancellation implements MethodFilter.Http {
    private static final System.Logger LOG = System.getLogger(HttpCancellation.class.getName());
    static final int MAX_BODY = 16 * 1024 * 1024;
    static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";
    /** The protocol versions the SDK (2.1.0) negotiates. */
    static final java.util.List<String> PROTOCOL_VERSIONS = java.util.List.of(ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private final McpJsonMapper json;
    private final RunningCalls running = new RunningCalls();

    /** The tools and prompts a call may name. */
    private final RequestShapes.Names names;

    HttpCancellation(McpJsonMapper json, RequestShapes.Names names) {
        this.json = json;
        this.names = names;
    }

    /** For a {@code POST}: a request or notification, of a session or of a stateless server. */
    @Override
    public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String session = request.getHeader(HttpSessionLimit.SESSION_HEADER);
        // the SDK answered a body that is not JSON -32600 "Invalid message format" (outside test RT14, F3)
        java.util.Optional<Post> post = Post.read(json, request, response, chain);
        if (post.isEmpty()) {
            return;
        }
        byte[] body = post.get().body();
        HttpServletRequest replay = post.get().replay();
        Object message = post.get().message();
        java.util.Optional<RequestShapes.Problem> problem = RequestShapes.check(message, names);
        String version = request.getHeader(PROTOCOL_VERSION_HEADER);
        if (problem.isEmpty() && version != null && !PROTOCOL_VERSIONS.contains(version)
                && !(message instanceof Map<?, ?> m && McpSchema.METHOD_INITIALIZE.equals(m.get("method")))) {
            // MCP: a server MUST answer 400 to an invalid or unsupported version; the SDK answered as if it had none
            // (outside test RT11, F7)
            answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(null,
                    McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: unsupported " + PROTOCOL_VERSION_HEADER + " "
                    + Printable.escape(version.length() > 40 ? version.substring(0, 40) + "…" : version)
                    + "; this server speaks " + String.join(", ", PROTOCOL_VERSIONS)));
            return;
        }
        // null, a response of the wrong shape, no method (R2-6): bound once more only then, so a request (a tool call, what
        // every client sends) is not bound twice before the SDK binds it
        boolean hasMethod = message instanceof Map<?, ?> m && m.get("method") instanceof String;
        if (problem.isEmpty() && !hasMethod && !bindsAsAMessage(body)) {
            problem = java.util.Optional.of(new RequestShapes.Problem(null, io.modelcontextprotocol.spec.McpSchema.ErrorCodes
                    .INVALID_REQUEST, "invalid request: not a JSON-RPC request, notification or response"));
        }
        if (problem.isPresent()) { // the SDK would answer an empty 200, or Jackson's text (MRT-1, MRT-2)
            answerError(response, problem.get());
            return;
        }
        if (session != null && RequestShapes.isUnused(message)) { // without one, the SDK says what is wrong
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        if (isAnswer(message)) {
            answerOf(replay, response, chain, ((Map<?, ?>) message).get("id"));
            return;
        }
        if (session == null) {
            handle(replay, response, chain, null, null); // no session, no cancellation to name it by
            return;
        }
        if (running.cancelIfCancellation(session, message)) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        boolean isRequest = message instanceof Map<?, ?> m && m.get("id") != null && m.get("method") != null;
        Object id = isRequest ? ((Map<?, ?>) message).get("id") : null;
        handle(replay, response, chain, isRequest ? session : null, id);
    }

    /**
     * For a {@code DELETE} of a session: its running calls are cancelled first, as when its client leaves (MCP red team
     * of 2026-12-06, MRT-3: they ran to their timeout, and a cancellation after the DELETE was a 404).
     */
    void endSession(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String session = request.getHeader(HttpSessionLimit.SESSION_HEADER);
        if (session != null) {
            running.interruptAll(session);
        }
        chain.doFilter(request, response);
    }

    /**
     * Runs the request on this thread, interruptible by its client's cancellation (when it has a
     * {@code session} and an {@code id}) and by the failure or close of its connection.
     */
    private void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String session, Object id)
            throws IOException, ServletException {
        boolean named = session != null && id != null;
        java.util.Optional<RunningCalls.Call> started = named ? running.start(session, id) : java.util.Optional.of(new RunningCalls.Call());
        if (started.isEmpty()) {
            answerError(response, RunningCalls.inUse(id));
            return;
        }
        RunningCalls.Call self = started.get();
        ClientDepartures.Watching watching = null;
        try {
            // inside the try: a watch that fails to start must not leave the call registered (review, R5)
            watching = watchClient(request, self::interrupt);
            chain.doFilter(request, named ? new SilentOnceCancelled(response, self) : response);
        } finally {
            if (watching != null) {
                watching.close();
            }
            if (self.end()) {
                LOG.log(System.Logger.Level.DEBUG, "request " + (named ? id + " " : "") + "was cancelled");
            }
        }
    }

    /**
     * For a {@code GET} of a session's event stream: the stream ends when its client leaves. Jetty notices a closed
     * stream only when something is written to it, and the SDK writes to a streamable-HTTP session's stream only when it
     * has a message for it: a client that left without a {@code DELETE} (the TypeScript SDK's {@code close()} sends none)
     * kept its socket open on this side for good, and a loop of them used up the server's open files, after which it
     * accepted no one (outside test RT21, F1).
     */
    void openStream(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request.isAsyncStarted()) {
            endStreamWhenClientLeaves(request, request.getAsyncContext(), () -> {});
        }
    }

    /**
     * Completes {@code stream} when its client's connection leaves the kernel's table of established connections
     * ({@link ClientDepartures}), and runs {@code onEnd} once when the stream ends, whichever way.
     */
    static void endStreamWhenClientLeaves(HttpServletRequest request, jakarta.servlet.AsyncContext stream, Runnable onEnd) {
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                onEnd.run();
            }
        };
        ClientDepartures.Watching watching = watchClient(request, () -> {
            end.run();
            try {
                stream.complete();
            } catch (IllegalStateException alreadyEnded) {
                // completed meanwhile
            }
        });
        try {
            stream.addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    watching.close();
                    end.run();
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                    onComplete(event);
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    onComplete(event);
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                    // the same stream goes on
                }
            });
        } catch (IllegalStateException completed) {
            watching.close(); // it ended before it could be listened to
            end.run();
        }
    }

    /**
     * Runs {@code onDeparture} when the request's client leaves: Jetty fails the request (a write or read that
     * failed) or the kernel's socket table shows the connection is no longer established
     * ({@link ClientDepartures}: Jetty reads nothing while a request is handled, so it would not know).
     * Returns what stops the watch. Also for SSE's held POSTs and its event streams.
     */
    static ClientDepartures.Watching watchClient(HttpServletRequest request, Runnable onDeparture) {
        try {
            Request jetty = ServletContextRequest.getServletContextRequest(request);
            jetty.addFailureListener(failure -> onDeparture.run());
        } catch (IllegalStateException e) {
            // not a request Jetty dispatched: its failures are not ours to hear
        }
        return ClientDepartures.shared().watch(request.getLocalPort(), request.getRemoteAddr(), request.getRemotePort(),
                onDeparture);
    }

    /**
     * A call's response, silent from its client's cancellation on: MCP does not answer a cancelled request, and the SDK
     * sent the tool's "cancelled" result, which the TypeScript client reported as "a response for an unknown message
     * ID" (outside test RT11, F4). The POST's stream then ends without it.
     */
    private static final class SilentOnceCancelled extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final RunningCalls.Call call;

        SilentOnceCancelled(HttpServletResponse response, RunningCalls.Call call) {
            super(response);
            this.call = call;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            ServletOutputStream out = super.getOutputStream();
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(jakarta.servlet.WriteListener listener) {
                    out.setWriteListener(listener);
                }

                @Override
                public void write(int b) throws IOException {
                    if (!call.cancelled()) {
                        out.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (!call.cancelled()) {
                        out.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    if (!call.cancelled()) {
                        out.flush();
                    }
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        @Override
        public java.io.PrintWriter getWriter() throws IOException {
            java.io.PrintWriter writer = super.getWriter();
            return over(writer, (text, off, len) -> {
                if (!call.cancelled()) {
                    writer.write(text, off, len);
                }
            }, () -> {
                if (!call.cancelled()) {
                    writer.flush();
                }
            });
        }
    }

    /** Where a writer {@link #over} another puts its characters. */
    @FunctionalInterface
    interface Chars {
        void write(char[] text, int off, int len);
    }

    /**
     * A writer in front of a response's {@code writer}: its characters go to {@code write}, its flushes to {@code flush}
     * (each may pass them on or not), and it reports {@code writer}'s failed writes as its own, which is how the SDK
     * learns that its client is gone.
     */
    static java.io.PrintWriter over(java.io.PrintWriter writer, Chars write, Runnable flush) {
        return new java.io.PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] text, int off, int len) {
                write.write(text, off, len);
            }

            @Override
            public void flush() {
                flush.run();
            }

            @Override
            public void close() {
                writer.close();
            }
        }) {
            @Override
            public boolean checkError() {
                return super.checkError() || writer.checkError();
            }
        };
    }

    /** A client's answer to a request of this server's (a consent question): a response, with an id and no method. */
    private static boolean isAnswer(Object message) {
        return message instanceof Map<?, ?> m && !m.containsKey("method") && m.get("id") != null
                && (m.containsKey("result") || m.containsKey("error"));
    }

    /**
     * Hands the SDK a client's answer. The SDK (2.1.0) answers one it is not waiting for — a consent question that timed
     * out and was answered late, an answer sent twice, or any answer to a stateless server — with 500 and "Unexpected
     * response for unknown id", as if the server had failed; MCP answers a POST of responses with 202 when it takes
     * them, and the client can do nothing about a late one. Such an answer is dropped with 202, and said in the log.
     */
    private void answerOf(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Object id)
            throws IOException, ServletException {
        HeldAnswer held = new HeldAnswer(response);
        chain.doFilter(request, held);
        // 500: no request of that id waits; 400 (a stateless server, or no session named): the SDK's serialized exception,
        // stack trace and all (outside test RT11, F1). A 404 (an ended session) is clean and tells the client to start again
        if (held.status >= HttpServletResponse.SC_BAD_REQUEST && held.status != HttpServletResponse.SC_NOT_FOUND) {
            LOG.log(System.Logger.Level.INFO, "dropped a client's answer (id " + id + ") to no request this server waits for");
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        response.setStatus(held.status);
        byte[] body = held.bytes();
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    /** A response kept back from the client until the SDK is done with it: its status and body. */
    private static final class HeldAnswer extends jakarta.servlet.http.HttpServletResponseWrapper {
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        private int status = HttpServletResponse.SC_OK;
        private java.io.PrintWriter writer;

        HeldAnswer(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int code) {
            status = code;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void sendError(int code) {
            status = code;
        }

        @Override
        public void sendError(int code, String message) {
            status = code;
        }

        @Override
        public jakarta.servlet.ServletOutputStream getOutputStream() {
            return new jakarta.servlet.ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(jakarta.servlet.WriteListener listener) {
                    throw new UnsupportedOperationException("blocking writes only");
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }
            };
        }

        @Override
        public java.io.PrintWriter getWriter() {
            if (writer == null) {
                writer = new java.io.PrintWriter(new java.io.OutputStreamWriter(body, StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public void flushBuffer() {
            if (writer != null) {
                writer.flush();
            }
        }

        byte[] bytes() {
            flushBuffer();
            return body.toByteArray();
        }
    }

    /**
     * A POST's body as the SDK will read it: UTF-8 (RFC 8259's only encoding between systems), without a byte-order mark
     * or a NUL. Jackson alone would take UTF-16, UTF-32 and a mark, which the SDK then failed to read, answering 500
     * (outside test RT17, F2).
     *
     * @throws IOException when it is not such JSON
     */
    static Object parsed(McpJsonMapper json, byte[] body) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body))
                .toString();
        if (text.startsWith("\uFEFF") || text.indexOf('\0') >= 0) {
            throw new IOException("not UTF-8 JSON");
        }
        return json.readValue(text, Object.class);
    }

    /** A POST's body, read whole, and the message it holds; {@code replay} gives the SDK the same body. */
    record Post(HttpServletRequest replay, byte[] body, Object message) {
        /**
         * The POST's body read up to the SDK's limit and parsed ({@link #parsed}); empty when it is not for this filter:
         * past the limit it is handed on (the SDK refuses it with its own error), and one that is not JSON is answered
         * here with a parse error (400, {@code -32700}), as over stdio.
         */
        static java.util.Optional<Post> read(McpJsonMapper json, HttpServletRequest request, HttpServletResponse response,
                                             FilterChain chain) throws IOException, ServletException {
            byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
            HttpServletRequest replay = new Replay(request, body);
            if (body.length > MAX_BODY) {
                chain.doFilter(replay, response);
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(new Post(replay, body, parsed(json, body)));
            } catch (IOException | RuntimeException e) {
                answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(null,
                        McpSchema.ErrorCodes.PARSE_ERROR, "parse error: the body is not valid JSON"));
                return java.util.Optional.empty();
            }
        }
    }

    /** Whether the SDK can bind {@code body} to a JSON-RPC message (its own error text names Java classes). */
    private boolean bindsAsAMessage(byte[] body) {
        return bindsAsAMessage(json, body);
    }

    /** As {@link #bindsAsAMessage(byte[])}, for any filter of MCP's HTTP transports. */
    static boolean bindsAsAMessage(McpJsonMapper json, byte[] body) {
        try {
            return io.modelcontextprotocol.spec.McpSchema.deserializeJsonRpcMessage(json,
                    new String(body, StandardCharsets.UTF_8)) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A JSON-RPC error for a request the SDK cannot bind: 200 with the error as the request's answer, or 400 when its
     * id is what is wrong (no answer can name it), as the SDK answers an invalid message.
     */
    private void answerError(HttpServletResponse response, RequestShapes.Problem problem) throws IOException {
        answerError(json, response, problem.id() == null ? HttpServletResponse.SC_BAD_REQUEST : HttpServletResponse.SC_OK,
                problem);
    }

    /** A JSON-RPC error as an HTTP answer with {@code status}, for any filter of MCP's HTTP transports. */
    static void answerError(McpJsonMapper json, HttpServletResponse response, int status, RequestShapes.Problem problem)
            throws IOException {
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", problem.id());
        answer.put("error", Map.of("code", problem.code(), "message", problem.message()));
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(json.writeValueAsBytes(answer));
    }

    /** The request with its body, already read, read again. */
    static final class Replay extends HttpServletRequestWrapper {
        private final byte[] body;

        Replay(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
