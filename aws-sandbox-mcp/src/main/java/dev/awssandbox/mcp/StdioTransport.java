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
import java.util.Set;
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
 *   <li>{@code notifications/cancelled} interrupts the call it names: its command's process group
 *       is killed and reaped, and no answer is sent;</li>
 *   <li>at EOF the calls still running are interrupted (their commands are killed), given a
 *       second to finish, and {@link #serve()} returns.</li>
 * </ul>
 * How many calls may run at once is decided by the tools ({@link CallGate}), which answer beyond
 * the cap at once with a "busy, retry" JSON-RPC error.
 */
final class StdioTransport implements McpServerTransportProvider {
    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());

    /** Longest message accepted on one line. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    /**
     * How long calls still running at EOF get to end: an interrupted call kills its command's
     * process group at once, and whatever is still running when the JVM exits dies with it (the
     * core's watchdog), so the server is gone within about a second of its client.
     */
    private static final Duration DRAIN = Duration.ofSeconds(1);

    /** The MCP notification that cancels a request. */
    static final String CANCELLED = "notifications/cancelled";

    private final McpJsonMapper json;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    /** Requests being handled, by JSON-RPC id ({@link #key}): interrupted at EOF or when the client cancels them. */
    private final Map<Object, Thread> inFlight = new ConcurrentHashMap<>();
    /** Whether the client has sent {@code notifications/initialized} (read and written on the reader thread only). */
    private boolean initialized;

    /** Requests the client cancelled: their answers are not sent (the client has stopped waiting for them). */
    private final Set<Object> cancelled = ConcurrentHashMap.newKeySet();
    private volatile McpServerSession session;
    private volatile boolean closed;

    /** The tools and prompts a call may name; null: any (a test's own server). */
    private final RequestShapes.Names names;

    StdioTransport(McpJsonMapper json, InputStream in, OutputStream out) {
        this(json, in, out, null);
    }

    StdioTransport(McpJsonMapper json, InputStream in, OutputStream out, RequestShapes.Names names) {
        this.json = json;
        this.in = in;
        this.out = out;
        this.names = names;
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
        Object parsed;
        try {
            parsed = json.readValue(text, Object.class);
        } catch (IOException | RuntimeException e) {
            writeError(null, McpSchema.ErrorCodes.PARSE_ERROR, "parse error: the line is not valid JSON");
            return;
        }
        if (!(parsed instanceof Map<?, ?>)) { // null, a number, a batch: no JSON-RPC message (re-attack, R2-6)
            writeError(null, McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: a JSON-RPC message is an object");
            return;
        }
        Optional<RequestShapes.Problem> problem = RequestShapes.check(parsed, names);
        if (problem.isPresent()) {
            writeError(problem.get().id(), problem.get().code(), problem.get().message());
            return;
        }
        if (RequestShapes.isUnused(parsed)) {
            return; // not for the SDK: it would wait on this thread for an answer only this thread can read
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (IOException | RuntimeException e) {
            // the SDK's binding failed: its text names Java classes, which say nothing to a client (MRT-2)
            writeError(null, McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: not a JSON-RPC request,"
                    + " notification or response");
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            // on this thread, before the next message: a client may send notifications/initialized without waiting
            // for the answer, and the session must know its capabilities by then (MCP red team of 2026-12-06, MRT-7:
            // consent was refused as "this client cannot ask")
            handle(request);
        } else if (message instanceof McpSchema.JSONRPCRequest request && request.id() != null && !initialized
                && McpSchema.METHOD_PING.equals(request.method())) {
            // answered here: the SDK holds every request until notifications/initialized, and a client that pings before
            // it sends that waited for ever (outside test RT11, F2); MCP allows a ping at any time
            Map<String, Object> pong = new java.util.LinkedHashMap<>();
            pong.put("jsonrpc", McpSchema.JSONRPC_VERSION);
            pong.put("id", request.id());
            pong.put("result", Map.of());
            try {
                write(pong);
            } catch (UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
            }
        } else if (message instanceof McpSchema.JSONRPCRequest request && request.id() != null && !initialized) {
            // the SDK drops a request that comes before notifications/initialized, silently: the client hung (MCP red team
            // of 2026-12-06, MRT-7)
            writeError(request.id(), McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: the session is not"
                    + " initialized; send notifications/initialized after the initialize answer, then this request again");
        } else if (message instanceof McpSchema.JSONRPCRequest request && request.id() != null) {
            Thread worker = Thread.ofVirtual().name("mcp-call-" + request.id()).unstarted(() -> handle(request));
            Thread previous = inFlight.putIfAbsent(key(request.id()), worker);
            if (previous != null) {
                writeError(request.id(), McpSchema.ErrorCodes.INVALID_REQUEST,
                        "request id " + request.id() + " is already in use by a call that has not finished");
                return;
            }
            worker.start();
        } else if (message instanceof McpSchema.JSONRPCNotification n && CANCELLED.equals(n.method())) {
            // The SDK (2.1.0) has no handler for it and would only log "No handler registered".
            cancel(n.params());
        } else {
            if (message instanceof McpSchema.JSONRPCNotification n && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(n.method())) {
                initialized = true;
            }
            // responses (e.g. to an elicitation) and notifications: in order, on this thread; each is quick (none waits
            // for the client: RequestShapes.isUnused)
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
            inFlight.remove(key(request.id()), Thread.currentThread());
            cancelled.remove(key(request.id()));
        }
    }

    /**
     * {@code notifications/cancelled}: interrupts the call, which kills its command's process
     * group and reaps it (the core's cancellation), and drops its answer, as the protocol asks. A
     * cancellation of a request that is not running (finished, unknown, or an initialize) is
     * ignored, as the protocol also asks.
     */
    private void cancel(Object params) {
        Object id = params instanceof Map<?, ?> m ? m.get("requestId") : null;
        if (id == null) {
            LOG.log(System.Logger.Level.DEBUG, "notifications/cancelled without a requestId ignored");
            return;
        }
        Object key = key(id);
        Thread call = inFlight.get(key);
        if (call != null) {
            cancelled.add(key);
            call.interrupt();
            // the next message may reuse the id: it is free once the call has ended, within milliseconds of the kill
            // (outside test RT19, F8, over HTTP: a request that reused it at once was refused as "in use")
            try {
                call.join(Duration.ofSeconds(RunningCalls.CANCELLED_CALL_END_WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A request id as a map key: the client's 7 and 7.0 are one id, and never the string "7". */
    static Object key(Object id) {
        return switch (id) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> d.longValue();
            case Float f when f == Math.rint(f) && Math.abs(f) < 1e7 -> (long) f.floatValue();
            case java.math.BigInteger b when b.bitLength() < 63 -> b.longValue();
            default -> id;
        };
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
            return Mono.fromRunnable(() -> {
                if (message instanceof McpSchema.JSONRPCResponse r && r.id() != null && cancelled.contains(key(r.id()))) {
                    return; // the client cancelled it: no answer
                }
                write(message);
            });
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
