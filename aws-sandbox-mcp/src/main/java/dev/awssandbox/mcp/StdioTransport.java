package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * MCP over stdio: one JSON-RPC message per line on stdin, answers on stdout.
 *
 * <p>Replaces the SDK's {@code StdioServerTransportProvider}, which went deaf under load (issue 14):
 * it funnels every message through one Reactor {@code flatMap} and enqueues answers into a sink with
 * a 100 ms busy-loop; with ~50 calls answering at once an enqueue timed out ("Spec. Rule 1.3"), the
 * error ended the {@code flatMap}, its reader thread then stopped reading stdin, and a server that no
 * longer reads never sees EOF, so it outlived its client. Here nothing shared can fail:
 * <ul>
 *   <li>one platform thread reads stdin until EOF and never stops on a bad message (a line that is
 *       not JSON-RPC gets a parse error; one longer than the limit is skipped with an error);</li>
 *   <li>each request runs on a virtual thread of its own, so a slow call blocks no one; responses
 *       and notifications from the client are handled on the reader thread, in order;</li>
 *   <li>answers are written whole under a lock, and a failed write fails only its own call;</li>
 *   <li>at EOF the calls still running are interrupted (their commands are killed), given a few
 *       seconds to finish, and {@link #serve()} returns.</li>
 * </ul>
 * How many calls may run at once is decided by the tools ({@link CallGate}), which answer beyond
 * the cap at once with a "busy, retry" JSON-RPC error.
 */
final class StdioTransport implements McpServerTransportProvider {
    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());

    /** Longest message accepted on one line. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /** How long calls still running at EOF get to end (their commands are killed on interrupt). */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final McpJsonMapper json;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    /** Requests being handled, by JSON-RPC id: interrupted at EOF (and the seam for notifications/cancelled). */
    private final Map<Object, Thread> inFlight = new ConcurrentHashMap<>();
    private volatile McpServerSession session;
    private volatile boolean closed;

    StdioTransport(McpJsonMapper json, InputStream in, OutputStream out) {
        this.json = json;
        this.in = in;
        this.out = out;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory factory) {
        this.session = factory.create(new SessionTransport());
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        McpServerSession s = session;
        return s == null ? Mono.error(new IllegalStateException("no session")) : s.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> closed = true);
    }

    /** The number of requests being handled now. */
    int inFlight() {
        return inFlight.size();
    }

    /**
     * Reads and dispatches messages until stdin ends, then stops the calls still running and
     * returns. Must be called once, after the server was built on this transport.
     */
    void serve() throws IOException {
        if (session == null) {
            throw new IllegalStateException("no MCP server was built on this transport");
        }
        try (LineReader lines = new LineReader(in, MAX_LINE_BYTES)) {
            for (Optional<Line> next = lines.next(); next.isPresent(); next = lines.next()) {
                Line line = next.get();
                if (line.oversized()) {
                    writeError(null, McpSchema.ErrorCodes.INVALID_REQUEST,
                            "message longer than " + MAX_LINE_BYTES + " bytes; it was skipped");
                } else if (!line.text().isBlank()) {
                    try {
                        dispatch(line.text());
                    } catch (RuntimeException e) { // whatever one message does, the next is still read
                        LOG.log(System.Logger.Level.WARNING, "MCP message not handled: " + e);
                    }
                }
            }
        } finally {
            closed = true;
            stopCalls();
            session.close();
        }
    }

    private void dispatch(String text) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (IOException | RuntimeException e) {
            writeError(null, McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC message: " + e.getMessage());
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && request.id() != null) {
            Thread worker = Thread.ofVirtual().name("mcp-call-" + request.id()).unstarted(() -> handle(request));
            Thread previous = inFlight.putIfAbsent(request.id(), worker);
            if (previous != null) {
                writeError(request.id(), McpSchema.ErrorCodes.INVALID_REQUEST,
                        "request id " + request.id() + " is already in use by a call that has not finished");
                return;
            }
            worker.start();
        } else {
            // responses (e.g. to an elicitation) and notifications: in order, on this thread; each is quick
            try {
                session.handle(message).block();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "MCP message not handled: " + e.getMessage());
            }
        }
    }

    private void handle(McpSchema.JSONRPCRequest request) {
        try {
            session.handle(request).block();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "MCP request " + request.method() + " failed: " + e.getMessage());
            }
        } finally {
            inFlight.remove(request.id(), Thread.currentThread());
        }
    }

    private void stopCalls() {
        List<Thread> running = List.copyOf(inFlight.values());
        running.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Thread t : running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A JSON-RPC error; {@code id} is null when the message had none (the SDK's types refuse a null id). */
    private void writeError(Object id, int code, String message) {
        Map<String, Object> response = new java.util.LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", id);
        response.put("error", Map.of("code", code, "message", message));
        try {
            write(response);
        } catch (UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    private void write(Object message) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (writeLock) {
            try {
                out.write(bytes);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("cannot write to the MCP client: " + e.getMessage(), e);
                }
            }
        }
    }

    private final class SessionTransport implements McpServerTransport {
        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> write(message));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return json.convertValue(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {
            // stdout belongs to the process; it is not closed here
        }
    }

    /** One line of input: its text, or the fact that it was longer than the limit. */
    record Line(String text, boolean oversized) {}

    /** Splits a byte stream at '\n' (a trailing '\r' is dropped), never holding more than the limit. */
    static final class LineReader implements AutoCloseable {
        private final InputStream in;
        private final int limit;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        LineReader(InputStream in, int limit) {
            this.in = new BufferedInputStream(in);
            this.limit = limit;
        }

        /** The next line; empty at end of input (a last line without '\n' is returned first). */
        Optional<Line> next() throws IOException {
            buffer.reset();
            boolean oversized = false;
            boolean any = false;
            int b;
            while ((b = in.read()) >= 0) {
                any = true;
                if (b == '\n') {
                    return Optional.of(line(oversized));
                }
                if (buffer.size() < limit) {
                    buffer.write(b);
                } else {
                    oversized = true;
                }
            }
            return any ? Optional.of(line(oversized)) : Optional.empty();
        }

        private Line line(boolean oversized) {
            if (oversized) {
                return new Line("", true);
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            return new Line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, false);
        }

        @Override
        public void close() {
            // the stream belongs to the caller
        }
    }
}
