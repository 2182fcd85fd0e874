package dev.awssandbox.mcp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Guards the HTTP transport before the SDK sees a request: the Host header must name this server
 * (DNS rebinding), an Origin header, when present, must be one of ours (a web page in a browser
 * must not drive the AWS CLI), and, when a token is configured, {@code Authorization: Bearer TOKEN}
 * is required. Without this the SDK accepts any Origin.
 */
final class HttpGuard implements Filter {
    private final java.util.List<String> names;
    private final java.util.function.IntSupplier port;
    private final Optional<byte[]> token;

    /**
     * @param names the host names this server answers to (loopback names and the bind address)
     * @param port  the port it listens on, known once the server started
     */
    HttpGuard(java.util.List<String> names, java.util.function.IntSupplier port, Optional<String> token) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        this.port = port;
        this.token = token.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    private Set<String> hosts() {
        return names.stream().map(n -> n + ":" + port.getAsInt()).collect(java.util.stream.Collectors.toSet());
    }

    private Set<String> origins() {
        return names.stream().map(n -> "http://" + n + ":" + port.getAsInt()).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String host = request.getHeader("Host");
        if (host == null || !hosts().contains(host.toLowerCase(Locale.ROOT))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Host not allowed");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origins().contains(origin.toLowerCase(Locale.ROOT))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
            return;
        }
        if (token.isPresent()) {
            String auth = request.getHeader("Authorization");
            byte[] given = auth == null ? new byte[0] : auth.getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token.get())) {
                response.setHeader("WWW-Authenticate", "Bearer");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "a bearer token is required");
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
