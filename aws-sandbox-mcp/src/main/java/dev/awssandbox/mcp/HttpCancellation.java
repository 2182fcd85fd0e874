package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code notifications/cancelled} over streamable HTTP, which the SDK (2.1.0) does not dispatch
 * ("No handler registered"). A request with an id runs on the thread that received its POST (the
 * server executes tools immediately), so this filter remembers that thread by session and id while
 * the request runs; a cancellation for it interrupts the thread, which kills the call's command
 * (the core's cancellation) — as {@link StdioTransport} does for stdio. The cancellation itself is
 * answered 202 here. Bodies are read whole, up to the SDK's own limit.
 */
final class HttpCancellation implements MethodFilter.Http {
    private static final System.Logger LOG = System.getLogger(HttpCancellation.class.getName());
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final McpJsonMapper json;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    HttpCancellation(McpJsonMapper json) {
        this.json = json;
    }

    /** For a {@code POST}: a request or notification of a session. */
    @Override
    public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String session = request.getHeader(HttpSessionLimit.SESSION_HEADER);
        if (session == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        HttpServletRequest replay = new Replay(request, body);
        if (body.length > MAX_BODY) {
            chain.doFilter(replay, response); // the SDK refuses it with its own error
            return;
        }
        Object message;
        try {
            message = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            chain.doFilter(replay, response); // the SDK answers a parse error
            return;
        }
        if (message instanceof Map<?, ?> m && "notifications/cancelled".equals(m.get("method"))) {
            Object id = m.get("params") instanceof Map<?, ?> p ? p.get("requestId") : null;
            Thread call = id == null ? null : running.get(key(session, id));
            if (call != null) {
                call.interrupt();
            }
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        if (message instanceof Map<?, ?> m && m.get("id") != null && m.get("method") != null) {
            String key = key(session, m.get("id"));
            Thread self = Thread.currentThread();
            if (running.putIfAbsent(key, self) != null) {
                chain.doFilter(replay, response); // a duplicate id: not cancellable by it, handled as the SDK handles it
                return;
            }
            try {
                chain.doFilter(replay, response);
            } finally {
                running.remove(key, self);
                if (Thread.interrupted()) { // a cancellation that came as the call ended must not reach the next request
                    LOG.log(System.Logger.Level.DEBUG, "request " + key + " was cancelled");
                }
            }
            return;
        }
        chain.doFilter(replay, response);
    }

    private static String key(String session, Object id) {
        return session + "\u0000" + StdioTransport.key(id);
    }

    /** The request with its body, already read, read again. */
    private static final class Replay extends HttpServletRequestWrapper {
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
