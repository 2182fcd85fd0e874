package dev.awssandbox.mcp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices an HTTP client that has left while its request runs, from the kernel's table of TCP
 * sockets ({@code /proc/net/tcp} and {@code tcp6}).
 *
 * <p>Jetty reads nothing from a connection while its request is being handled (a blocked tool
 * call), so a client that drops the connection — a crash, an abort without
 * {@code notifications/cancelled}, a proxy's timeout — is noticed only when the answer is written,
 * after the command ran to its end or its timeout, holding a slot of the call limit for nobody. The
 * kernel knows at once: the socket leaves the established state (the client's FIN: close-wait; its
 * reset: the socket leaves the table). Like nginx, which stops a request whose client closed the
 * connection, a client that half-closes counts as gone: HTTP clients do not half-close and wait.
 *
 * <p>One virtual thread polls the table every {@link #PERIOD} while any request is watched, and
 * ends when none is. Where the table cannot be read (macOS, a {@code /proc} hidden by a container)
 * nothing is watched, and a departed client's call runs to its end as before.
 *
 * <p>A connection missing from one read of the table is not yet gone: the kernel prints the table a
 * page per {@code read}, and resumes each page at a position that a socket closed meanwhile has
 * moved, so one read can miss a connection that stays established all along (a stress run saw a live
 * client's connection missing from one read and present in the next, its call killed). A departure
 * is concluded only when a second read, made at once, misses the connection too.
 *
 * <p>A connection is the same socket only: the table names a connection by its addresses and ports, which a new
 * connection can have again at once (on loopback a local process can bind the departed client's port), so the first
 * read that has a watched connection records its socket's inode, and a later read whose connection of that name has
 * another inode does not have it (outside test RT10, F1: such a connection kept a departed client's call running
 * while it stayed open).
 */
final class ClientDepartures {
    static final Duration PERIOD = Duration.ofSeconds(1);
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String ESTABLISHED = "01";
    /** A watch's socket not known yet (the kernel prints 0 for a socket with no inode). */
    private static final long UNKNOWN = 0;
    /** Two established sockets of one name in a read (another local address): present, but not one socket. */
    private static final long AMBIGUOUS = -1;
    private static final ClientDepartures SHARED = new ClientDepartures(TABLES);

    private final Table table;
    private final boolean readable; // looked at once: not again at every request
    /** The watches, each with its socket's inode once a read has had it ({@link #UNKNOWN} until then). */
    private final Map<Watch, Long> watched = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private boolean polling;

    ClientDepartures(List<Path> tables) {
        this(() -> established(tables), Files.isReadable(tables.getFirst()));
    }

    ClientDepartures(Table table, boolean readable) {
        this.table = table;
        this.readable = readable;
    }

    /**
     * One read of the established connections ({@link #connection}), each with its socket's inode ({@link #AMBIGUOUS}
     * for a name two sockets have); null if it could not be read.
     */
    @FunctionalInterface
    interface Table {
        Map<String, Long> established();
    }

    static ClientDepartures shared() {
        return SHARED;
    }

    /**
     * A request's connection, known by its ports and its client's address (red team, 2026-12-06, R2-5: by the ports alone,
     * another client's connection from another address with the same two ports kept a departed call running).
     */
    record Watch(String connection, Runnable onDeparture) {}

    /** A watch of one request's client, ended by {@link #close}. */
    interface Watching extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code onDeparture} (once) when the TCP connection from {@code remotePort} to
     * {@code localPort} is no longer established, until the returned handle is closed.
     */
    Watching watch(int localPort, String remoteAddress, int remotePort, Runnable onDeparture) {
        byte[] address;
        try {
            address = unmapped(InetAddress.ofLiteral(remoteAddress.replace("[", "").replace("]", "")).getAddress());
        } catch (IllegalArgumentException | NullPointerException e) {
            return () -> {}; // not an address this table can name (a unix socket's peer)
        }
        if (localPort <= 0 || remotePort <= 0 || !readable) {
            return () -> {};
        }
        Watch watch = new Watch(connection(localPort, address, remotePort), onDeparture);
        watched.put(watch, UNKNOWN);
        synchronized (lock) {
            if (!polling) {
                polling = true;
                Thread.ofVirtual().name("mcp-client-departures").start(this::poll);
            }
        }
        return () -> watched.remove(watch);
    }

    private void poll() {
        while (true) {
            synchronized (lock) {
                if (watched.isEmpty()) {
                    polling = false;
                    return;
                }
            }
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                synchronized (lock) {
                    polling = false;
                }
                return;
            }
            // the watches before the read: a connection watched since is not judged by a read made before it existed
            List<Watch> watches = List.copyOf(watched.keySet());
            Map<String, Long> established = table.established();
            if (established == null) {
                continue; // the table could not be read this time: nothing is concluded from it
            }
            Map<String, Long> again = null; // the second read, made once a connection is missed (see the class comment)
            for (Watch watch : watches) {
                if (has(established, watch)) {
                    continue;
                }
                if (again == null) {
                    again = table.established();
                    if (again == null) {
                        break;
                    }
                }
                if (!has(again, watch) && watched.remove(watch) != null) {
                    watch.onDeparture().run();
                }
            }
        }
    }

    /**
     * Whether {@code read} has {@code watch}'s connection, as the same socket: the first read that has it with one inode
     * records that inode for the watch.
     */
    private boolean has(Map<String, Long> read, Watch watch) {
        Long inode = read.get(watch.connection());
        if (inode == null) {
            return false;
        }
        Long known = watched.get(watch);
        if (known == null || inode == AMBIGUOUS || inode == UNKNOWN) {
            return true; // the watch has ended, or this read cannot tell sockets apart
        }
        if (known == UNKNOWN) {
            watched.replace(watch, UNKNOWN, inode);
            return true;
        }
        return known.longValue() == inode.longValue();
    }

    /** The established TCP connections in {@code tables} ({@link Table}), or null if the first could not be read. */
    private static Map<String, Long> established(List<Path> tables) {
        Map<String, Long> pairs = new HashMap<>();
        for (Path table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                if (table.equals(tables.getFirst())) {
                    return null;
                }
                continue; // no IPv6 here
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && ESTABLISHED.equals(fields[3])) { // 9: the socket's inode
                    int local = port(fields[1]);
                    int remote = port(fields[2]);
                    byte[] address = address(fields[2]);
                    if (local > 0 && remote > 0 && address != null) {
                        pairs.merge(connection(local, address, remote), inode(fields[9]), (a, b) -> AMBIGUOUS);
                    }
                }
            }
        }
        return pairs;
    }

    /** A socket's inode as the table prints it (decimal); {@link #UNKNOWN} if it is not a number. */
    private static long inode(String field) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /** The port of an {@code ADDRESS:PORT} field, both in hexadecimal; -1 if it is not one. */
    private static int port(String field) {
        int colon = field.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(field, colon + 1, field.length(), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A connection's name: the local port, the remote address (an IPv4-mapped one as IPv4) and port. */
    static String connection(int localPort, byte[] remoteAddress, int remotePort) {
        return localPort + " " + java.util.HexFormat.of().formatHex(remoteAddress) + " " + remotePort;
    }

    /**
     * The address of an {@code ADDRESS:PORT} field: 8 or 32 hexadecimal digits, each 32-bit word in this machine's byte
     * order (as the kernel prints them); null if it is not one.
     */
    private static byte[] address(String field) {
        int colon = field.lastIndexOf(':');
        if (colon != 8 && colon != 32) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = java.util.HexFormat.of().parseHex(field, 0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
            for (int word = 0; word < bytes.length; word += 4) {
                for (int i = 0; i < 2; i++) {
                    byte b = bytes[word + i];
                    bytes[word + i] = bytes[word + 3 - i];
                    bytes[word + 3 - i] = b;
                }
            }
        }
        return unmapped(bytes);
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its IPv4 address; any other as it is. */
    private static byte[] unmapped(byte[] address) {
        if (address.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (address[i] != 0) {
                    return address;
                }
            }
            if (address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
                return java.util.Arrays.copyOfRange(address, 12, 16);
            }
        }
        return address;
    }
}
