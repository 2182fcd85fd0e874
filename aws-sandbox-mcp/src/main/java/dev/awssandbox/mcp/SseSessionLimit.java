package dev.awssandbox.mcp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds the sessions of the legacy SSE transport: each is one open {@code GET /sse} stream, and at
 * most {@code max} are open at once (3,000 were held, with their descriptors and memory, found by
 * the red team); one more gets HTTP 503 with a JSON-RPC error, as the streamable transport answers.
 * A stream counts until it completes, times out or fails, or its client's connection leaves the kernel's table of
 * established connections ({@link ClientDepartures}), which ends it.
 * <p>
 * A stream's end is its client's departure: the calls of its session are interrupted then ({@link RunningCalls}), as a
 * streamable-HTTP session's are when its client leaves. Over SSE a call's answer goes on the stream, so the POST that
 * carried the call may end before it (a proxy's timeout) without the client leaving; the stream is the client.
 */
final class SseSessionLimit implements MethodFilter.Http {
    /** The endpoint event's path names the session: {@code /messages?sessionId=…}. */
    private static final Pattern SESSION = Pattern.compile("sessionId=([A-Za-z0-9_-]+)");
    /** How much of a stream's start is looked at for it: the endpoint event is its first. */
    private static final int ENDPOINT_EVENT_MAX = 4096;

    private final int max;
    private final Sessions sessions;
    private final AtomicInteger open = new AtomicInteger();

    SseSessionLimit(int max, Sessions sessions) {
        this.max = max;
        this.sessions = sessions;
    }

    /** Told of each stream's session: when the stream names it (before its client can), and when the stream ends. */
    interface Sessions {
        void opened(String session);

        void ended(String session);
    }

    /** For {@code GET /sse}, which opens a stream. */
    @Override
    public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            HttpErrorBodies.write(response, 503, -32000, "too many MCP sessions: this server holds at"
                    + " most " + max + " (AWS_MCP_MAX_SESSIONS); close an unused session or retry later");
            return;
        }
        SessionNamed named = new SessionNamed(response, sessions);
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                open.decrementAndGet();
                String session = named.session;
                if (session != null) {
                    sessions.ended(session);
                }
            }
        };
        boolean watched = false;
        try {
            chain.doFilter(request, named);
            if (request.isAsyncStarted()) {
                // a client that closes its stream is noticed by Jetty only when the SDK next writes to it, 30-45 s on:
                // meanwhile the stream held a session's place and its connection, and its calls ran on (outside test
                // RT16, F4)
                HttpCancellation.endStreamWhenClientLeaves(request, request.getAsyncContext(), end);
                watched = true;
            }
        } finally {
            if (!watched) {
                end.run(); // answered at once, or the watch could not be set up: its place is not held
            }
        }
    }

    /** The stream's response, which learns its session from the endpoint event the SDK writes first. */
    private static final class SessionNamed extends HttpServletResponseWrapper {
        private final StringBuilder start = new StringBuilder();
        private final Sessions sessions;
        volatile String session;

        SessionNamed(HttpServletResponse response, Sessions sessions) {
            super(response);
            this.sessions = sessions;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            PrintWriter writer = super.getWriter();
            return HttpCancellation.over(writer, (text, off, len) -> {
                look(text, off, len);
                writer.write(text, off, len);
            }, writer::flush);
        }

        private synchronized void look(char[] text, int off, int len) {
            if (session != null || start.length() >= ENDPOINT_EVENT_MAX) {
                return;
            }
            start.append(text, off, Math.min(len, ENDPOINT_EVENT_MAX - start.length()));
            Matcher m = SESSION.matcher(start);
            if (m.find() && m.end() < start.length()) { // the id ended: a character follows it
                session = m.group(1);
                sessions.opened(session);
            }
        }
    }
}
