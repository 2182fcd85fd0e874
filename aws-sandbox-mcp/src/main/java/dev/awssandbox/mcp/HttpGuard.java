package dev.awssandbox.mcp;

import dev.awssandbox.core.SandboxException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Guards the HTTP transport before the SDK sees a request: the Host header must name this server
 * (DNS rebinding) — its loopback names and bind address with its port, or a name of
 * {@code AWS_MCP_ALLOWED_HOSTS} (a deployment behind a proxy or load balancer) — an Origin header,
 * when present, must be one of those (a web page in a browser must not drive the AWS CLI), and,
 * when a token is configured, {@code Authorization: Bearer TOKEN} is required. Without this the SDK
 * accepts any Origin.
 */
final class HttpGuard implements Filter {
    /** A host name or IPv4 address, or a bracketed IPv6 address, optionally with a port. */
    private static final Pattern ENTRY = Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\\[[0-9a-f:.]+])(?::[0-9]{1,5})?");

    private final List<String> names;
    private final IntSupplier port;
    private final Optional<byte[]> token;
    private final List<String> allowed;

    /**
     * @param names   the host names this server answers to with its own port (loopback names and the bind address)
     * @param port    the port it listens on, known once the server started
     * @param allowed further Host values ({@link #allowedHosts}): {@code name} (any port), {@code name:port},
     *                or {@code *} (any Host: the Host check is off)
     */
    HttpGuard(List<String> names, IntSupplier port, Optional<String> token, List<String> allowed) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        this.port = port;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.allowed = List.copyOf(allowed);
    }

    HttpGuard(List<String> names, IntSupplier port, Optional<String> token) {
        this(names, port, token, List.of());
    }

    /**
     * {@code AWS_MCP_ALLOWED_HOSTS}: comma-separated {@code name}, {@code name:port}, {@code [v6]:port}
     * or {@code *}; a malformed entry is an error naming it.
     */
    static List<String> allowedHosts(Optional<String> variable) throws SandboxException {
        List<String> out = new ArrayList<>();
        if (variable.isEmpty()) {
            return out;
        }
        for (String raw : variable.get().split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            boolean validPort = !entry.matches(".*:[0-9]+$") || Integer.parseInt(entry.substring(entry.lastIndexOf(':') + 1)) <= 65535;
            if (!entry.equals("*") && (!ENTRY.matcher(entry).matches() || !validPort)) {
                throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, "invalid "
                        + AwsMcpServer.ALLOWED_HOSTS_ENV_VAR + " entry '" + raw.strip() + "': expected a host name or"
                        + " address, optionally with :PORT (e.g. mcp.example.com,mcp.internal:8443), or *", Optional.empty());
            }
            out.add(entry);
        }
        return out;
    }

    private boolean hostAllowed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int p = port.getAsInt();
        if (names.stream().anyMatch(n -> h.equals(n + ":" + p))) {
            return true;
        }
        for (String entry : allowed) {
            if (entry.equals("*") || h.equals(entry) || (!hasPort(entry) && hasPort(h) && h.substring(0, h.lastIndexOf(':')).equals(entry))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPort(String host) {
        return host.matches(".*:[0-9]+$");
    }

    private boolean originAllowed(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        for (String scheme : List.of("http://", "https://")) {
            if (o.startsWith(scheme) && hostAllowed(o.substring(scheme.length()))) {
                return true;
            }
            // an origin without a port: the scheme's default port, allowed by an entry without a port
            if (o.startsWith(scheme) && !hasPort(o.substring(scheme.length()))
                    && allowed.stream().anyMatch(e -> e.equals(o.substring(scheme.length())))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // one of each: with two, the check saw the first and something after us could read the other
        for (String name : List.of("Host", "Origin", "Authorization")) {
            java.util.Enumeration<String> values = request.getHeaders(name);
            if (values != null && values.hasMoreElements()) {
                values.nextElement();
                if (values.hasMoreElements()) {
                    response.sendError(HttpServletResponse.SC_BAD_REQUEST, "more than one " + name + " header");
                    return;
                }
            }
        }
        String host = request.getHeader("Host");
        if (host == null || !(hostAllowed(host) || allowed.stream().anyMatch(e -> e.equals(host.toLowerCase(Locale.ROOT))))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Host not allowed (add it to "
                    + AwsMcpServer.ALLOWED_HOSTS_ENV_VAR + " to serve under that name)");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !originAllowed(origin)) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
            return;
        }
        if (token.isPresent()) {
            String auth = request.getHeader("Authorization");
            // the scheme in any case, as RFC 9110 has it ('bearer TOKEN' had been told a token was required: red team,
            // mcp round D, D5); the token itself exactly, in constant time
            boolean bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length());
            byte[] given = bearer ? auth.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, token.get())) {
                // a token sent and not this server's is told apart from none (outside test WF29, F8: a stale token was
                // told to send one), as RFC 6750 does; neither says anything of the token
                response.setHeader("WWW-Authenticate", bearer ? "Bearer error=\"invalid_token\"" : "Bearer");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, bearer
                        ? "the bearer token is not this server's (" + AwsMcpServer.TOKEN_ENV_VAR + ")"
                        : "a bearer token is required (Authorization: Bearer TOKEN)");
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
