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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SDK answers some bad requests (a POST without a session) with its whole exception
 * serialized: thirty stack frames, our class names, line numbers and the JDK's version (red team,
 * round 4). An error body written synchronously is replaced by a JSON-RPC error that keeps only the
 * message; successful responses and streams pass untouched.
 */
final class HttpErrorBodies implements Filter {
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,300})");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        ErrorCapture capture = new ErrorCapture((HttpServletRequest) req, (HttpServletResponse) res);
        chain.doFilter(req, capture);
        capture.finish();
    }

    /** Writes {@code {"jsonrpc":"2.0","id":null,"error":{code, message}}} with {@code status}. */
    static void write(HttpServletResponse response, int status, int code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, message));
    }

    /**
     * {@code {"jsonrpc":"2.0","id":null,"error":{code, message}}}, the message printable ({@link Printable#escape}: no
     * control character can end the JSON string or reach a terminal) and its quotes and backslashes escaped.
     */
    static byte[] body(int code, String message) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + ",\"message\":\""
                + Printable.escape(message).replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static final class ErrorCapture extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private int status = 200;
        private StringWriter buffer;
        private PrintWriter writer;

        ErrorCapture(HttpServletRequest request, HttpServletResponse response) {
            super(response);
            this.request = request;
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (status < 400 || request.isAsyncStarted()) {
                return super.getWriter();
            }
            if (writer == null) {
                buffer = new StringWriter();
                writer = new PrintWriter(buffer);
            }
            return writer;
        }

        void finish() throws IOException {
            if (buffer == null) {
                return;
            }
            writer.flush();
            Matcher m = MESSAGE.matcher(buffer.toString());
            String message = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : "bad request";
            write((HttpServletResponse) getResponse(), status, status == 404 ? -32001 : -32600, message);
        }
    }
}
