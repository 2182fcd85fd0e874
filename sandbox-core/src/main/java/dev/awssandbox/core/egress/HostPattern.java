package dev.awssandbox.core.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of an egress allow-list: which hosts, and which port.
 *
 * <ul>
 *   <li>{@code sts.us-east-1.amazonaws.com}: that host name exactly;</li>
 *   <li>{@code *.amazonaws.com}: every name below {@code amazonaws.com}, at any depth (not
 *       {@code amazonaws.com} itself); the wildcard is only ever the whole first label, and must
 *       leave at least two labels ({@code *.com} is refused);</li>
 *   <li>{@code 127.0.0.1}, {@code [::1]}: that IP address, written as an address (a name that
 *       resolves to it does not match);</li>
 *   <li>each optionally followed by {@code :PORT} or {@code :*} (every port). Without a port, 443
 *       (HTTPS) only.</li>
 * </ul>
 * Case does not matter and a trailing dot is dropped; names are ASCII (write an international name
 * in its {@code xn--} form).
 *
 * @param host the host part, lower case: a name, {@code *.suffix}, a dotted IPv4 address or an
 *             IPv6 address without brackets
 * @param kind what {@code host} is
 * @param port the port, or empty for every port
 */
public record HostPattern(String host, Kind kind, OptionalInt port) {

    /** The port a pattern without one allows. */
    public static final int DEFAULT_PORT = 443;

    /** What the host part of a pattern is. */
    public enum Kind { NAME, WILDCARD, IPV4, IPV6 }

    /** What a pattern says, for messages. */
    private static final String FORMS = "write a host name (sts.us-east-1.amazonaws.com), a wildcard for every name"
            + " below a domain (*.amazonaws.com) or an IP address (127.0.0.1, [::1]), optionally with :PORT or :*"
            + " (every port); without a port only 443 is allowed";

    public HostPattern {
        java.util.Objects.requireNonNull(host, "host");
        port.ifPresent(p -> {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range: " + p);
            }
        });
    }

    /**
     * Parses one pattern.
     *
     * @throws IllegalArgumentException naming the pattern, what is wrong with it, and what to write instead
     */
    public static HostPattern parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        if (s.contains("://") || s.contains("/")) {
            throw invalid(text, "it is a URL or a path, not a host");
        }
        if (s.indexOf('@') >= 0) {
            throw invalid(text, "it carries user information");
        }
        String hostPart;
        String portPart = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 address opened with '[' is not closed with ']'");
            }
            hostPart = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "only :PORT may follow ']'");
                }
                portPart = rest.substring(1);
            }
            if (ipv6(hostPart).isEmpty()) {
                throw invalid(text, "'" + hostPart + "' is not an IPv6 address");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw invalid(text, "an IPv6 address must be written in brackets ([::1], [::1]:443)");
            }
            hostPart = colon >= 0 ? s.substring(0, colon) : s;
            portPart = colon >= 0 ? s.substring(colon + 1) : null;
        }
        OptionalInt port = portPart == null ? OptionalInt.of(DEFAULT_PORT) : port(text, portPart);
        if (s.startsWith("[")) {
            InetAddress address = ipv6(hostPart).orElseThrow();
            if (address.isAnyLocalAddress()) {
                throw invalid(text, UNSPECIFIED);
            }
            return new HostPattern(InetAddressText.ipv6(address), Kind.IPV6, port);
        }
        if (hostPart.endsWith(".")) {
            hostPart = hostPart.substring(0, hostPart.length() - 1);
        }
        if (hostPart.isEmpty()) {
            throw invalid(text, "it names no host");
        }
        if (hostPart.equals("*")) {
            throw invalid(text, "'*' would allow every host; name the domains instead (*.amazonaws.com), or turn the"
                    + " network on for the command");
        }
        if (hostPart.startsWith("*.")) {
            String suffix = hostPart.substring(2);
            if (suffix.indexOf('*') >= 0) {
                throw invalid(text, "a wildcard may only be the whole first label (*.amazonaws.com)");
            }
            nameProblem(suffix).ifPresent(problem -> {
                throw invalid(text, problem);
            });
            if (suffix.indexOf('.') < 0) {
                throw invalid(text, "'*." + suffix + "' would allow a whole top-level domain; name a domain below it"
                        + " (*.example." + suffix + ")");
            }
            return new HostPattern("*." + suffix, Kind.WILDCARD, port);
        }
        if (hostPart.indexOf('*') >= 0) {
            throw invalid(text, "a wildcard may only be the whole first label (*.amazonaws.com)");
        }
        if (looksNumeric(hostPart)) {
            if (ipv4(hostPart).isEmpty()) {
                throw invalid(text, "'" + hostPart + "' is not an IPv4 address (four numbers 0-255 without leading"
                        + " zeros)");
            }
            if (hostPart.equals("0.0.0.0")) {
                throw invalid(text, UNSPECIFIED);
            }
            return new HostPattern(hostPart, Kind.IPV4, port);
        }
        nameProblem(hostPart).ifPresent(problem -> {
            throw invalid(text, problem);
        });
        return new HostPattern(hostPart, Kind.NAME, port);
    }

    /**
     * Why 0.0.0.0 and [::] are no pattern: they are no host's address, and a connection to them
     * goes to this host, as to loopback — a pattern written to mean "none" or "any" opened every
     * local service (red team, round 16).
     */
    private static final String UNSPECIFIED = "the unspecified address is no host's address: a connection to it reaches"
            + " this host's own services, as loopback does; write 127.0.0.1 (or [::1]) to allow this host";

    private static OptionalInt port(String text, String portPart) {
        if (portPart.equals("*")) {
            return OptionalInt.empty();
        }
        if (portPart.isEmpty() || portPart.length() > 5 || !portPart.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(text, "'" + portPart + "' is not a port (1-65535, or * for every port)");
        }
        int p = Integer.parseInt(portPart);
        if (p < 1 || p > 65535) {
            throw invalid(text, "port " + p + " is out of range (1-65535)");
        }
        return OptionalInt.of(p);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid host pattern '" + text + "': " + why + "; " + FORMS);
    }

    /** Whether this pattern allows {@code target} on {@code port}. */
    public boolean matches(Target target, int port) {
        return (this.port.isEmpty() || this.port.getAsInt() == port) && matchesHost(target);
    }

    /** Whether this pattern names {@code target}'s host, on whatever port. */
    public boolean matchesHost(Target target) {
        return switch (kind) {
            case NAME -> target.kind() == Kind.NAME && target.host().equals(host);
            case WILDCARD -> target.kind() == Kind.NAME && target.host().endsWith(host.substring(1));
            case IPV4, IPV6 -> target.kind() == kind && target.host().equals(host);
        };
    }

    /** Whether this pattern names an address rather than names (its matches may be local addresses). */
    public boolean isAddress() {
        return kind == Kind.IPV4 || kind == Kind.IPV6;
    }

    /** The pattern as written canonically: {@code *.amazonaws.com}, {@code 127.0.0.1:4566}, {@code [::1]:*}. */
    @Override
    public String toString() {
        String h = kind == Kind.IPV6 ? "[" + host + "]" : host;
        if (port.isEmpty()) {
            return h + ":*";
        }
        return port.getAsInt() == DEFAULT_PORT ? h : h + ":" + port.getAsInt();
    }

    /**
     * A host a client asked for ({@code CONNECT host:port}, or the host of an absolute URL), in the
     * same canonical form as patterns: a lower-case name without trailing dot, a dotted IPv4
     * address, or an IPv6 address without brackets in its canonical spelling.
     */
    public record Target(String host, Kind kind) {

        /** Parses what a client sent; empty when it is neither a valid name nor an IP address. */
        public static Optional<Target> parse(String text) {
            String s = text.toLowerCase(Locale.ROOT);
            if (s.startsWith("[") && s.endsWith("]")) {
                return ipv6(s.substring(1, s.length() - 1)).map(a -> new Target(InetAddressText.ipv6(a), Kind.IPV6));
            }
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (looksNumeric(s)) {
                return ipv4(s).map(a -> new Target(a, Kind.IPV4));
            }
            return nameProblem(s).isEmpty() ? Optional.of(new Target(s, Kind.NAME)) : Optional.empty();
        }

        /** {@code host:port}, IPv6 in brackets. */
        public String withPort(int port) {
            return (kind == Kind.IPV6 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Why {@code name} is not a valid host name, if it is not. */
    private static Optional<String> nameProblem(String name) {
        if (name.length() > 253) {
            return Optional.of("a host name has at most 253 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 127) {
                return Optional.of("host names are ASCII: write an international name in its xn-- form");
            }
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.of("'" + name + "' has an empty label (two dots, or a leading dot)");
            }
            if (label.length() > 63) {
                return Optional.of("a label has at most 63 characters");
            }
            if (!label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return Optional.of("'" + label + "' is not a host name label (letters, digits and '-' only)");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return Optional.of("'" + label + "' starts or ends with '-'");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("'" + name + "' is neither an IPv4 address nor a host name (its last label is a number)");
        }
        return Optional.empty();
    }

    /** Digits and dots only: meant as an IPv4 address. */
    private static boolean looksNumeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
    }

    /** A strict dotted quad: four decimal numbers 0-255, no leading zeros (never octal or a bare number). */
    static Optional<String> ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
        }
        return Optional.of(s);
    }

    /** An IPv6 literal (no zone id), parsed without any name lookup. */
    static Optional<InetAddress> ipv6(String s) {
        if (s.isEmpty() || s.indexOf(':') < 0 || s.indexOf('%') >= 0
                || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            // a literal with ':' is never looked up; IPv4-mapped forms come back as IPv4
            InetAddress address = InetAddress.ofLiteral(s);
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Canonical text of addresses. */
    static final class InetAddressText {
        private InetAddressText() {}

        static String ipv6(InetAddress address) {
            if (address instanceof java.net.Inet4Address) {
                return "::ffff:" + address.getHostAddress();
            }
            byte[] b = address.getAddress();
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
            }
            // RFC 5952: the longest run of two or more zero groups becomes "::"
            int bestStart = -1;
            int bestLength = 1;
            for (int i = 0; i < 8; ) {
                if (groups[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    sb.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(groups[i]));
            }
            return sb.toString();
        }
    }

    /** The address an address pattern or target names (no lookup). */
    static InetAddress address(String host, Kind kind) {
        return switch (kind) {
            case IPV4 -> {
                String[] parts = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                try {
                    yield InetAddress.getByAddress(bytes);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(e); // four bytes are always an address
                }
            }
            case IPV6 -> InetAddress.ofLiteral(host);
            case NAME, WILDCARD -> throw new IllegalArgumentException("not an address: " + host);
        };
    }
}
