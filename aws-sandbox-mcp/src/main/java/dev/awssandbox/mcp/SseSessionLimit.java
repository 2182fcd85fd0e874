package dev.awssandbox.mcp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the sessions of the legacy SSE transport: each is one open {@code GET /sse} stream, and at
 * most {@code max} are open at once (3,000 were held, with their descriptors and memory, found by
 * the red team); one more gets HTTP 503 with a JSON-RPC error, as the streamable transport answers.
 * A stream counts until it completes, times out or fails, or its client's connection leaves the kernel's table of
 * established connections ({@link ClientDepartures}), which ends it.
 */
final class SseSessionLimit implements MethodFilter.Http {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    SseSessionLimit(int max) {
        this.max = max;
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
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                AsyncContext stream = request.getAsyncContext();
                // a client that closes its stream is noticed by Jetty only when the SDK next writes to it, 30-45 s on:
                // meanwhile the stream held a session's place and its connection (outside test RT16, F4). Its
                // connection's departure from the kernel's table ends the stream at once
                ClientDepartures.Watching watching = HttpCancellation.watchClient(request, () -> {
                    release.run();
                    try {
                        stream.complete();
                    } catch (IllegalStateException alreadyEnded) {
                        // completed meanwhile
                    }
                });
                Runnable end = () -> {
                    watching.close();
                    release.run();
                };
                stream.addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        end.run();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        // the same stream goes on
                    }
                });
            } else {
                release.run();
            }
        }
    }
}
