package dev.awssandbox.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Bounds the MCP sessions of the HTTP transport: at most {@code max} at once (5,000 unbounded
 * sessions held ~29 MB, found in review), and a session unused for {@code idle} ends (one with a request
 * running is in use, and the end of a request is a use). A new session
 * beyond the cap gets HTTP 503 with a JSON-RPC error saying so; a request for an ended session gets
 * 404, which tells an MCP client to start a new one. The SDK's own sweeper, set to the same
 * interval, drops the ended sessions from memory.
 */
final class HttpSessionLimit implements Filter {
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private final int max;
    private final long idleNanos;
    private final LongSupplier clock;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final AtomicInteger opening = new AtomicInteger();
    /** Requests of each session being handled: a session is in use while one runs (MCP red team of 2026-12-06, MRT-8). */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    HttpSessionLimit(int max, Duration idle) {
        this(max, idle, System::nanoTime);
    }

    HttpSessionLimit(int max, Duration idle, LongSupplier clock) {
        this.max = max;
        this.idleNanos = idle.toNanos();
        this.clock = clock;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long now = clock.getAsLong();
        lastSeen.entrySet().removeIf(e -> now - e.getValue() > idleNanos && !running.containsKey(e.getKey()));
        String id = request.getHeader(SESSION_HEADER);
        if (id != null) {
            if (lastSeen.computeIfPresent(id, (k, v) -> now) == null) {
                HttpErrorBodies.write(response, HttpServletResponse.SC_NOT_FOUND, -32001, "MCP session " + abbreviate(id)
                        + " has ended (unknown, or unused for longer than " + idleNanos / 1_000_000_000L
                        + " s: AWS_MCP_SESSION_IDLE_TIMEOUT); start a new session");
                return;
            }
            running.merge(id, 1, Integer::sum);
            try {
                chain.doFilter(req, res);
            } finally {
                running.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
                lastSeen.computeIfPresent(id, (k, v) -> clock.getAsLong()); // its end is a use too: a long call
            }
            if ("DELETE".equals(request.getMethod()) && response.getStatus() < 300) {
                lastSeen.remove(id);
            }
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        // a request without a session: an initialize, which opens one if the SDK accepts it
        if (lastSeen.size() + opening.incrementAndGet() > max) {
            opening.decrementAndGet();
            HttpErrorBodies.write(response, 503, -32000, "too many MCP sessions: this server holds at most " + max
                    + " (AWS_MCP_MAX_SESSIONS); close an unused session or retry later");
            return;
        }
        Opening registering = new Opening(response);
        try {
            chain.doFilter(req, registering); // the SDK names the session with setHeader, on this wrapper
        } finally {
            registering.done();
        }
    }

    /**
     * An initialize's response, which registers the session it opens as the SDK names it, before the answer is sent.
     * Registered after the SDK returned, a client's first request in the new session could come first and was
     * answered 404, "has ended" (a stress run of {@link HttpClientDepartureTest} on a loaded host: the call's
     * command never started).
     */
    private final class Opening extends HttpServletResponseWrapper {
        private boolean counted = true; // one of 'opening' until its session is registered

        Opening(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                opened(value);
            }
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                opened(value);
            }
            super.addHeader(name, value);
        }

        /**
         * Registers the session once: a second time (after the SDK returned) could bring back one its client had
         * already ended with a DELETE meanwhile, holding a place for nobody until it idled out.
         */
        private synchronized void opened(String id) {
            if (counted) {
                lastSeen.putIfAbsent(id, clock.getAsLong());
                done();
            }
        }

        private synchronized void done() {
            if (counted) {
                counted = false;
                opening.decrementAndGet();
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
