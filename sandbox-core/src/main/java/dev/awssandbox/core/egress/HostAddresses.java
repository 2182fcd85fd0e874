package dev.awssandbox.core.egress;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;

/**
 * The addresses of this host's own interfaces, which a name may not lead to: a service listening
 * on every address ({@code 0.0.0.0}, {@code ::}) answers on each of them as on loopback (red team,
 * round 15: a wildcard's name pointed at the host's 10.99.0.1 reached a service bound to
 * {@code [::]}). Read again when a second has passed: interfaces change rarely, and only the
 * host's administrator can change them.
 */
final class HostAddresses {
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static volatile Snapshot snapshot = new Snapshot(Set.of(), System.nanoTime() - 2 * REFRESH_NANOS);

    private record Snapshot(Set<InetAddress> addresses, long readAt) {}

    private HostAddresses() {}

    /** Whether {@code address} is one of this host's (an unreadable interface list counts every address as one). */
    static boolean contains(InetAddress address) {
        Snapshot s = snapshot;
        if (System.nanoTime() - s.readAt() > REFRESH_NANOS) {
            Set<InetAddress> read = read();
            if (read == null) {
                return true; // cannot tell: refuse rather than connect to this host
            }
            s = new Snapshot(read, System.nanoTime());
            snapshot = s;
        }
        return s.addresses().contains(withoutScope(address));
    }

    private static Set<InetAddress> read() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var each = interfaces.nextElement().getInetAddresses();
                while (each.hasMoreElements()) {
                    addresses.add(withoutScope(each.nextElement()));
                }
            }
            return addresses;
        } catch (SocketException e) {
            return null;
        }
    }

    /** The address alone: an interface's IPv6 address carries its scope, a resolved one none. */
    private static InetAddress withoutScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }
}
