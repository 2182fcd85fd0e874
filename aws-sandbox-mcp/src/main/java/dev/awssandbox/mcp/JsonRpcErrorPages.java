package dev.awssandbox.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers, given as JSON-RPC errors like every other error of this server: a body too large (413), a
 * URI Jetty will not route ({@code //mcp}: 400), a method or path no servlet serves (405, 404), a chunked body that ends
 * early. Jetty wrote them as HTML (over SSE, with the request's whole URI, its session id included) or as JSON of its
 * own shape (outside test RT19, F4). The answer keeps the status and its reason, never the URI or a stack.
 */
final class JsonRpcErrorPages {
    private JsonRpcErrorPages() {}

    /** For the server: the errors Jetty answers before a request reaches the servlet context (bad messages). */
    static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                List<Charset> charsets, int code, String message, Throwable cause) {
            return writeJsonRpc(response, callback, code, message);
        }
    }

    /** For the servlet context: the errors of a request that reached it (no servlet, a method a servlet does not serve). */
    static final class ForContext extends org.eclipse.jetty.ee11.servlet.ErrorHandler {
        private final String serves;

        /** {@code serves}: what this server serves, said with a 404 or 405 (a client at the wrong path or transport). */
        ForContext(String serves) {
            this.serves = serves;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                List<Charset> charsets, int code, String message, Throwable cause) {
            boolean misdirected = code == HttpStatus.NOT_FOUND_404 || code == HttpStatus.METHOD_NOT_ALLOWED_405;
            return writeJsonRpc(response, callback, code, misdirected ? withServes(code, message, serves) : message);
        }
    }

    /** {@code message} (or the status's reason) and what the server serves. */
    private static String withServes(int code, String message, String serves) {
        String reason = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() || message.equals(reason) ? "" : message + "; ";
        return detail + serves;
    }

    private static boolean writeJsonRpc(Response response, Callback callback, int code, String message) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        return true;
    }

    /**
     * -32600 for a client's error, -32603 for the server's; the status, its reason and the error's message (the Host
     * check's, Jetty's "Ambiguous URI empty segment"), cut at 300 characters.
     */
    static byte[] body(int status, String detail) {
        int code = status >= 500 ? -32603 : -32600;
        String reason = HttpStatus.getMessage(status);
        String message = "HTTP " + status + " " + (reason == null ? "" : reason);
        if (detail != null && !detail.isBlank() && !detail.equals(reason)) {
            message += ": " + (detail.length() > 300 ? detail.substring(0, 300) + "…" : detail);
        } else if (status == 413) {
            message += ": the request is larger than this server takes";
        }
        return HttpErrorBodies.body(code, message);
    }
}
