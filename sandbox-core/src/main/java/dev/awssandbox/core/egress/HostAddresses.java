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
    /** This host's, as {@link NetworkInterface} lists them. */
    static final HostAddresses INTERFACES = new HostAddresses(HostAddresses::interfaceAddresses);

    private static final long REFRESH_NANOS = 1_000_000_000L;

    /** Lists the addresses: {@link NetworkInterface}, or a test's listing (which can fail). */
    interface Listing {
        Set<InetAddress> addresses() throws SocketException;
    }

    private record Snapshot(Set<InetAddress> addresses, long readAt) {}

    private final Listing listing;
    private volatile Snapshot snapshot = new Snapshot(Set.of(), System.nanoTime() - 2 * REFRESH_NANOS);

    HostAddresses(Listing listing) {
        this.listing = listing;
    }

    /** Whether {@code address} is one of these (an unreadable interface list counts every address as one). */
    boolean contains(InetAddress address) {
        Snapshot s = snapshot;
        if (System.nanoTime() - s.readAt() > REFRESH_NANOS) {
            Set<InetAddress> read = new HashSet<>();
            try {
                for (InetAddress each : listing.addresses()) {
                    read.add(withoutScope(each));
                }
            } catch (SocketException e) {
                return true; // cannot tell: refuse rather than connect to this host
            }
            s = new Snapshot(read, System.nanoTime());
            snapshot = s;
        }
        return s.addresses().contains(withoutScope(address));
    }

    private static Set<InetAddress> interfaceAddresses() throws SocketException {
        Set<InetAddress> addresses = new HashSet<>();
        var interfaces = NetworkInterface.getNetworkInterfaces();
        while (interfaces != null && interfaces.hasMoreElements()) {
            var each = interfaces.nextElement().getInetAddresses();
            while (each.hasMoreElements()) {
                addresses.add(each.nextElement());
            }
        }
        return addresses;
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
