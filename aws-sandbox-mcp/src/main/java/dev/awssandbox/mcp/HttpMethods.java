package dev.awssandbox.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Every path: a method this server does not serve is answered 405 with a JSON-RPC error before any servlet sees it. The
 * servlets' defaults had answered {@code TRACE} 200 with an echo of the request on every path, before the Host, Origin
 * and token checks, and an unknown method 501 or {@code PATCH} 405 with an empty body (outside test RT24, F1).
 */
final class HttpMethods implements Filter {
    /** What the transports and {@code /health} serve; {@code HEAD} and {@code OPTIONS} as the servlets answer them. */
    static final Set<String> SERVED = Set.of("GET", "HEAD", "POST", "DELETE", "OPTIONS");

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String method = ((HttpServletRequest) req).getMethod();
        if (SERVED.contains(method)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("Allow", "GET, HEAD, POST, DELETE, OPTIONS");
        HttpErrorBodies.write(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, -32600,
                "HTTP 405 Method Not Allowed: this server takes GET, HEAD, POST, DELETE and OPTIONS");
    }
}
