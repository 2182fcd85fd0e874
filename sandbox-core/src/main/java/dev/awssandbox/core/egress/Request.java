package dev.awssandbox.core.egress;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a proxy client asked for: {@code CONNECT host:port} (a tunnel), or a plain-HTTP request in
 * absolute form ({@code GET http://host:port/path HTTP/1.1}), which is forwarded in origin form.
 *
 * @param connect whether it is a tunnel
 * @param method  the method
 * @param host    the host as written (an IPv6 address in brackets)
 * @param port    the port (80 when an http URL gives none)
 * @param path    the origin-form target of a plain request ({@code /path?query}); empty for CONNECT
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 */
record Request(boolean connect, String method, String host, int port, String path, String version) {
    /** Headers meant for the proxy or for this hop only: not forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("proxy-authorization", "proxy-connection", "connection",
            "keep-alive", "proxy-authenticate", "te", "trailer", "upgrade");

    static Optional<Request> parse(Head head) {
        String[] parts = head.requestLine().split(" ", -1);
        if (parts.length != 3 || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))
                || parts[0].isEmpty() || !parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            return Optional.empty();
        }
        String method = parts[0];
        String target = parts[1];
        if (method.equals("CONNECT")) {
            return authority(target, -1).map(a -> new Request(true, method, a.host, a.port, "", parts[2]));
        }
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            return Optional.empty(); // origin form (not a proxy request), or https:// (which needs CONNECT)
        }
        String rest = target.substring(7);
        int slash = indexOfAny(rest, "/?#");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        String p = path;
        return authority(authority, 80).map(a -> new Request(false, method, a.host, a.port, p, parts[2]));
    }

    private record Authority(String host, int port) {}

    /** {@code host:port} or {@code [v6]:port}; {@code defaultPort} when none is given (-1: required). */
    private static Optional<Authority> authority(String text, int defaultPort) {
        if (text.isEmpty() || text.indexOf('@') >= 0) {
            return Optional.empty();
        }
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            host = text.substring(0, close + 1);
            String after = text.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return Optional.empty();
                }
                port = after.substring(1);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') != colon) {
                return Optional.empty();
            }
            host = colon >= 0 ? text.substring(0, colon) : text;
            port = colon >= 0 ? text.substring(colon + 1) : null;
        }
        if (host.isEmpty() || host.equals("[]")) {
            return Optional.empty();
        }
        int p;
        if (port == null) {
            if (defaultPort < 0) {
                return Optional.empty();
            }
            p = defaultPort;
        } else {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new Authority(host, p));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why a recipient could read this request otherwise than the proxy does, if it could (request
     * smuggling; RFC 9112 §3.2, §6.1, §6.3): more than one {@code Host}, or one that names
     * another authority than the request line (HTTP/1.1 plain requests must send one; a CONNECT
     * need not: Python before 3.12 sends none); and for a plain request, whose body the upstream
     * server delimits, {@code Transfer-Encoding} together with {@code Content-Length}, in an
     * HTTP/1.0 request, or other than one {@code chunked}, and {@code Content-Length} given more
     * than once (even with equal values) or not as digits.
     */
    Optional<String> ambiguity(Head head) {
        List<String> hosts = head.headers("host");
        if (hosts.size() > 1) {
            return Optional.of("more than one Host header");
        }
        if (hosts.isEmpty()) {
            if (!connect && version.equals("HTTP/1.1")) {
                return Optional.of("an HTTP/1.1 request without a Host header");
            }
        } else if (!sameAuthority(hosts.getFirst())) {
            return Optional.of("the Host header names another authority than the request line");
        }
        if (connect) {
            return Optional.empty(); // what follows its head is the tunnel's, whatever the headers say
        }
        List<String> codings = head.headers("transfer-encoding");
        List<String> lengths = head.headers("content-length");
        if (!codings.isEmpty()) {
            if (!lengths.isEmpty()) {
                return Optional.of("both Transfer-Encoding and Content-Length");
            }
            if (!version.equals("HTTP/1.1")) {
                return Optional.of("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (codings.size() > 1 || !codings.getFirst().equalsIgnoreCase("chunked")) {
                return Optional.of("a Transfer-Encoding other than one chunked");
            }
        }
        if (lengths.size() > 1) {
            return Optional.of("more than one Content-Length");
        }
        if (lengths.size() == 1 && !lengths.getFirst().matches("[0-9]{1,18}")) {
            return Optional.of("a Content-Length that is not a number");
        }
        return Optional.empty();
    }

    /**
     * Whether a Host value names the request line's authority: the same text (any case), for a
     * plain request also with or without the default port {@code :80}; for a CONNECT to an IPv6
     * address also without the brackets, as Python since 3.12 writes it ({@code Host: ::1:443}).
     */
    private boolean sameAuthority(String value) {
        String authority = host + ":" + port;
        if (value.equalsIgnoreCase(authority)) {
            return true;
        }
        if (connect) {
            return host.startsWith("[") && value.equalsIgnoreCase(host.substring(1, host.length() - 1) + ":" + port);
        }
        return port == 80 && value.equalsIgnoreCase(host);
    }

    /**
     * The head to send upstream for a plain request: origin form, without the proxy's and this
     * hop's headers, and {@code Connection: close}: the connection carries this one request, so a
     * client that reuses it for another host never reaches that host through the first one's
     * allowance.
     */
    String originHead(Head head) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(' ').append(version).append("\r\n");
        for (String line : head.headerLines()) {
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
            if (!HOP_BY_HOP.contains(name)) {
                sb.append(line).append("\r\n");
            }
        }
        sb.append("Connection: close\r\n\r\n");
        return sb.toString();
    }
}
