package dev.awssandbox.core.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;

/**
 * Asks the kernel's routing whether a connection to an address would stay on this host, as
 * {@code ip route get ADDRESS} shows it: the route the connection would take is of type
 * {@code local} (or {@code broadcast}, {@code multicast}). That is what "this host's own address"
 * means to the kernel: its interfaces' addresses, and every address a {@code local} route covers
 * ({@code ip route add local 10.50.0.0/16 dev lo}, "AnyIP"), which no list of interface addresses
 * shows — a name pointed into such a range reached a service listening on every address (red team,
 * round 16). One {@code RTM_GETROUTE} request over a route netlink socket, for TCP to the
 * destination port, so that policy routing ({@code ip rule … ipproto tcp dport 8080 lookup local})
 * is followed as for the real connection of this process: asked without them, the kernel answered
 * for another flow than the one the proxy then opened (red team, round 17).
 */
public final class LocalRoutes {
    private static final int NLMSG_HEADER = 16;
    private static final int RTMSG = 12;
    private static final int RTA_HEADER = 4;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_GETROUTE = 26;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final short RTA_DST = 1;
    private static final short RTA_IP_PROTO = 27;
    private static final short RTA_DPORT = 29;
    private static final int IPPROTO_TCP = 6;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int RTN_LOCAL = 2;
    private static final int RTN_BROADCAST = 3;
    private static final int RTN_MULTICAST = 5;
    private static final int SEQUENCE = 0x61777373; // any number: the reply must carry it back
    private static final int REPLY_BYTES = 4096;

    private LocalRoutes() {}

    /**
     * Whether a TCP connection to {@code address} and {@code port} would be delivered to this host.
     *
     * @throws ErrnoException when the kernel cannot be asked or its answer is not understood:
     *     callers must then treat the address as this host's
     */
    public static boolean isLocal(InetAddress address, int port) throws ErrnoException {
        byte[] bytes = address.getAddress();
        int destination = NLMSG_HEADER + RTMSG;
        int protocol = destination + RTA_HEADER + bytes.length; // 4 or 16 bytes: already 4-aligned
        int destinationPort = protocol + 8; // a one-byte attribute, padded to 4
        int length = destinationPort + 8; // a two-byte attribute, padded to 4
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW, Libc.NETLINK_ROUTE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(length); // zeroed: no table, protocol, scope or flags asked for
            request.set(JAVA_INT_UNALIGNED, 0, length);
            request.set(JAVA_SHORT_UNALIGNED, 4, RTM_GETROUTE);
            request.set(JAVA_SHORT_UNALIGNED, 6, NLM_F_REQUEST);
            request.set(JAVA_INT_UNALIGNED, 8, SEQUENCE);
            request.set(JAVA_BYTE, NLMSG_HEADER, (byte) (bytes.length == 4 ? AF_INET : AF_INET6));
            request.set(JAVA_BYTE, NLMSG_HEADER + 1, (byte) (bytes.length * 8)); // the whole address
            request.set(JAVA_SHORT_UNALIGNED, destination, (short) (RTA_HEADER + bytes.length));
            request.set(JAVA_SHORT_UNALIGNED, destination + 2, RTA_DST);
            MemorySegment.copy(bytes, 0, request, JAVA_BYTE, destination + RTA_HEADER, bytes.length);
            request.set(JAVA_SHORT_UNALIGNED, protocol, (short) (RTA_HEADER + 1));
            request.set(JAVA_SHORT_UNALIGNED, protocol + 2, RTA_IP_PROTO);
            request.set(JAVA_BYTE, protocol + RTA_HEADER, (byte) IPPROTO_TCP);
            request.set(JAVA_SHORT_UNALIGNED, destinationPort, (short) (RTA_HEADER + 2));
            request.set(JAVA_SHORT_UNALIGNED, destinationPort + 2, RTA_DPORT);
            request.set(JAVA_BYTE, destinationPort + RTA_HEADER, (byte) (port >> 8)); // network byte order
            request.set(JAVA_BYTE, destinationPort + RTA_HEADER + 1, (byte) port);
            MemorySegment state = Libc.newCaptureState(arena);
            long sent = Libc.write(fd, request, length, state);
            if (sent != length) {
                throw new ErrnoException("netlink RTM_GETROUTE", sent < 0 ? (int) -sent : Errno.EIO);
            }
            // the kernel answers a route request before the write returns: nothing to wait for
            MemorySegment reply = arena.allocate(REPLY_BYTES);
            long read = Libc.read(fd, reply, REPLY_BYTES, state);
            if (read < 0) {
                throw new ErrnoException("netlink RTM_GETROUTE reply", (int) -read);
            }
            if (read < NLMSG_HEADER + 4 || reply.get(JAVA_INT_UNALIGNED, 8) != SEQUENCE) {
                throw new ErrnoException("netlink RTM_GETROUTE reply", Errno.EIO);
            }
            short type = reply.get(JAVA_SHORT_UNALIGNED, 4);
            if (type == NLMSG_ERROR) {
                int error = -reply.get(JAVA_INT_UNALIGNED, NLMSG_HEADER);
                if (error == Errno.ENETUNREACH || error == Errno.EHOSTUNREACH) {
                    return false; // no route at all: a connection goes nowhere, least of all here
                }
                throw new ErrnoException("netlink RTM_GETROUTE", error == 0 ? Errno.EIO : error);
            }
            if (type != RTM_NEWROUTE || read < NLMSG_HEADER + RTMSG) {
                throw new ErrnoException("netlink RTM_GETROUTE reply", Errno.EIO);
            }
            int routeType = reply.get(JAVA_BYTE, NLMSG_HEADER + 7) & 0xff;
            return routeType == RTN_LOCAL || routeType == RTN_BROADCAST || routeType == RTN_MULTICAST;
        } finally {
            Libc.close(fd);
        }
    }
}
