package dev.awssandbox.core.egress;

import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.LinuxPlatform;
import dev.awssandbox.core.linux.LocalRoutes;
import dev.awssandbox.core.posix.PidDirectories;
import dev.awssandbox.core.posix.TreeDeletion;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * aws-sandbox's egress proxy: one per JVM, started on first use, listening on {@code 127.0.0.1}
 * (an ephemeral port) and on a unix socket in a private directory (what bubblewrap's forwarder
 * connects to). It speaks just enough HTTP/1.1 for proxy clients: {@code CONNECT host:port}
 * (HTTPS, any TLS), and plain-HTTP requests in absolute form ({@code GET http://host:port/path}).
 * A request head that recipients may read differently (request smuggling) gets 400 and is never
 * forwarded: see {@link Head} for its lines, {@link Request#ambiguity} for {@code Host} and a
 * plain request's body framing; two {@code Proxy-Authorization} headers are no credentials. Of a
 * plain request exactly the body its framing delimits is forwarded, and nothing after it
 * ({@link RequestBody}): the connection carries one request.
 *
 * <p>Every connection names its command: each command gets a {@link Lease}, whose random token the
 * command presents as the proxy password ({@code HTTPS_PROXY=http://aws-sandbox:TOKEN@127.0.0.1:PORT});
 * a request without a live token gets 407, so no other local process can use the proxy, and a
 * command's connections are counted for that command alone. A request is forwarded only when a
 * pattern of its lease allows the host and port ({@link HostPattern}); the proxy resolves names
 * itself and never connects a name to a loopback, link-local, unspecified or multicast address, or to an address of this host's own interfaces
 * (only an address pattern reaches those), so a wildcard whose DNS an attacker controls cannot
 * point it at the host's own services or the instance metadata service. Everything else gets a 403
 * whose reason phrase says why in one line (clients show it: "Tunnel connection failed: 403 …").
 *
 * <p>Bounded: a request head of at most {@link Settings#maxHeadBytes}, read within
 * {@link Settings#headTimeout} (a client that stalls is closed then, and holds one virtual thread
 * until it is); at most {@link Settings#maxConnections} connections with a live token at once (then 503), and as many
 * waiting for their head, the oldest of which is closed when another comes; a tunnel
 * lives until either side closes it or its lease is closed (its command ended).
 */
public final class EgressProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());
    private static final String DIRECTORY_PREFIX = "aws-sandbox-egress-";
    /** The user name a command presents with its token (clients need one to send a password). */
    public static final String USER = "aws-sandbox";
    private static final int BUFFER = 64 * 1024;
    private static final Object SHARED_LOCK = new Object();
    private static EgressProxy shared;

    private final Settings settings;
    private final ServerSocketChannel tcp;
    private final ServerSocketChannel unix;
    private final Path directory;
    private final Path socket;
    private final int port;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** Connections with a live token, at most {@link Settings#maxConnections} at once. */
    private final Semaphore slots;
    /** Connections that have not yet presented a live token, oldest first (see {@link #acceptLoop}). */
    private final java.util.LinkedHashSet<SocketChannel> waiting = new java.util.LinkedHashSet<>();
    private final ScheduledExecutorService timer;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    /**
     * How the proxy bounds its clients, and how it resolves names.
     *
     * @param headTimeout    how long a client may take to send its request head
     * @param connectTimeout how long a connection to an allowed host may take
     * @param maxConnections connections with a live token handled at once (more get 503); as many may wait for their
     *                       head (another closes the oldest)
     * @param maxHeadBytes   the largest request head (more gets 431)
     * @param resolver       name to addresses (tests: fixed answers)
     * @param routes         whether the host's routing delivers an address here (tests: an answer of their own)
     */
    public record Settings(Duration headTimeout, Duration connectTimeout, int maxConnections, int maxHeadBytes,
                           Resolver resolver, Routes routes) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), 1024,
                16 * 1024, InetAddress::getAllByName);

        /** With the kernel's routing ({@link Routes#KERNEL}). */
        public Settings(Duration headTimeout, Duration connectTimeout, int maxConnections, int maxHeadBytes,
                        Resolver resolver) {
            this(headTimeout, connectTimeout, maxConnections, maxHeadBytes, resolver, Routes.KERNEL);
        }
    }

    /** Resolves a host name to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String name) throws UnknownHostException;
    }

    /**
     * Whether this host's routing delivers a TCP connection to an address and port here: the
     * question {@link #isLocal} asks last, whose failure counts as "here".
     */
    @FunctionalInterface
    public interface Routes {
        /** The kernel's routing on Linux ({@link LocalRoutes}); elsewhere never: the interfaces' addresses alone tell. */
        Routes KERNEL = (address, port) -> LinuxPlatform.isSupportedLinux() && LocalRoutes.isLocal(address, port);

        /** @throws ErrnoException when it cannot tell */
        boolean isLocal(InetAddress address, int port) throws ErrnoException;
    }

    private EgressProxy(Settings settings) throws IOException {
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConnections());
        this.directory = privateDirectory();
        this.socket = directory.resolve("proxy.sock");
        ServerSocketChannel t = null;
        ServerSocketChannel u = null;
        try {
            t = ServerSocketChannel.open(StandardProtocolFamily.INET);
            t.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 512);
            u = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            u.bind(UnixDomainSocketAddress.of(socket), 512);
        } catch (IOException | RuntimeException e) {
            closeQuietly(t);
            closeQuietly(u);
            TreeDeletion.delete(directory);
            throw e;
        }
        this.tcp = t;
        this.unix = u;
        this.port = ((InetSocketAddress) t.getLocalAddress()).getPort();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("aws-sandbox-egress-timer").unstarted(r));
        Thread.ofVirtual().name("aws-sandbox-egress-accept-tcp").start(() -> acceptLoop(tcp));
        Thread.ofVirtual().name("aws-sandbox-egress-accept-unix").start(() -> acceptLoop(unix));
    }

    /** The JVM's proxy, started on first use; it lives as long as the JVM. */
    public static EgressProxy shared() throws IOException {
        synchronized (SHARED_LOCK) {
            if (shared == null) {
                EgressProxy proxy = new EgressProxy(Settings.DEFAULT);
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("aws-sandbox-egress-cleanup")
                        .unstarted(proxy::close));
                shared = proxy;
            }
            return shared;
        }
    }

    /** The shared proxy if it was started. */
    public static Optional<EgressProxy> sharedIfStarted() {
        synchronized (SHARED_LOCK) {
            return Optional.ofNullable(shared);
        }
    }

    /** A proxy of its own (tests: other limits, a fixed resolver); close it when done. */
    public static EgressProxy start(Settings settings) throws IOException {
        return new EgressProxy(settings);
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The unix socket (in a directory only this user can enter). */
    public Path socket() {
        return socket;
    }

    /**
     * A lease for one command: the hosts it may reach, a fresh token, and its connection counts.
     * Close it when the command has ended.
     */
    public Lease open(List<HostPattern> allowed) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Lease lease = new Lease(this, token, allowed);
        leases.put(token, lease);
        return lease;
    }

    void forget(Lease lease) {
        leases.remove(lease.token(), lease);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(tcp);
        closeQuietly(unix);
        for (Lease lease : List.copyOf(leases.values())) {
            lease.close();
        }
        timer.shutdownNow(); // the heads' deadlines with it: the connections still waiting for theirs are closed here
        synchronized (waiting) {
            waiting.forEach(EgressProxy::closeQuietly);
            waiting.clear();
        }
        TreeDeletion.delete(directory);
    }

    private void acceptLoop(ServerSocketChannel server) {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "egress proxy: accept failed: " + e.getMessage());
                }
                return;
            }
            // Until it presents a live token a connection waits in a pool of its own, whose oldest is closed to make room:
            // any local process can open such connections, and when they counted against the limit they shut every
            // command out (outside test RT18, F1: 1,024 idle connections from another JVM's command, reopened as they
            // timed out). A command's client sends its head at once, so a flood would have to cycle the whole pool
            // within that moment to close it.
            SocketChannel evicted = null;
            synchronized (waiting) {
                if (waiting.size() >= settings.maxConnections()) {
                    java.util.Iterator<SocketChannel> oldest = waiting.iterator();
                    evicted = oldest.next();
                    oldest.remove();
                }
                waiting.add(client);
            }
            closeQuietly(evicted); // its thread ends on the closed channel
            Thread.ofVirtual().name("aws-sandbox-egress").start(() -> {
                try {
                    serve(client);
                } finally {
                    stopWaiting(client);
                    closeQuietly(client);
                }
            });
        }
    }

    /** Whether {@code client} was still waiting for its head (else it was closed to make room, or is served). */
    private boolean stopWaiting(SocketChannel client) {
        synchronized (waiting) {
            return waiting.remove(client);
        }
    }

    // ---- one connection ----

    private void serve(SocketChannel client) {
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> closeQuietly(client), settings.headTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the proxy closed (the JVM is exiting) after this connection was accepted: it is closed unserved
        }
        Head head;
        try {
            head = Head.read(client, settings.maxHeadBytes());
        } catch (Head.TooLarge e) {
            respond(client, 431, "aws-sandbox proxy: request head larger than " + settings.maxHeadBytes() + " bytes");
            return;
        } catch (Head.Malformed e) {
            respond(client, 400, "aws-sandbox proxy: malformed request head: " + e.getMessage());
            return;
        } catch (IOException e) {
            return; // closed, reset, or the head timed out
        } finally {
            deadline.cancel(false);
        }
        if (head == null) {
            return;
        }
        Optional<Request> parsed = Request.parse(head);
        if (parsed.isEmpty()) {
            respond(client, 400, "aws-sandbox proxy: expected CONNECT host:port or an absolute http:// URL");
            return;
        }
        Request request = parsed.get();
        Optional<String> ambiguity = request.ambiguity(head);
        if (ambiguity.isPresent()) {
            respond(client, 400, "aws-sandbox proxy: ambiguous request: " + ambiguity.get());
            return;
        }
        Optional<Lease> lease = lease(head);
        if (lease.isEmpty()) {
            respond(client, 407, "aws-sandbox proxy: no valid credentials; use the proxy variables aws-sandbox set");
            return;
        }
        if (!stopWaiting(client)) {
            return; // closed to make room meanwhile
        }
        // only a connection with a live token counts against the limit
        if (!slots.tryAcquire()) {
            respond(client, 503, "aws-sandbox proxy is busy (" + settings.maxConnections() + " connections)");
            return;
        }
        try {
            forward(client, head, request, lease.get());
        } finally {
            slots.release();
        }
    }

    /** Serves a request of {@code owner}'s command: checked against its allowed hosts, then connected and relayed. */
    private void forward(SocketChannel client, Head head, Request request, Lease owner) {
        Optional<HostPattern.Target> target = HostPattern.Target.parse(request.host());
        if (target.isEmpty()) {
            owner.record(request.host(), request.port(), false, "not a host name or IP address").connections.increment();
            respond(client, 400, "aws-sandbox proxy: '" + printable(request.host()) + "' is not a host name or IP address");
            return;
        }
        HostPattern.Target t = target.get();
        String where = t.withPort(request.port());
        if (owner.allowed().stream().noneMatch(p -> p.matches(t, request.port()))) {
            // a host a pattern names on other ports only ('127.0.0.1' is port 443): said as such (outside test WF31, F7,
            // where "not an allowed host" sent the user to the host)
            String why = owner.allowed().stream().anyMatch(p -> p.matchesHost(t)) ? PORT_NOT_ALLOWED : NOT_ALLOWED;
            owner.record(t.host(), request.port(), false, why).connections.increment();
            respond(client, 403, "aws-sandbox denied " + where + ": " + why);
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = addresses(t, request.port());
        } catch (UnknownHostException e) {
            owner.record(t.host(), request.port(), true, "cannot resolve").connections.increment();
            respond(client, 502, "aws-sandbox proxy cannot resolve " + t.host());
            return;
        }
        if (addresses.isEmpty()) {
            owner.record(t.host(), request.port(), false, "resolves only to local addresses").connections.increment();
            respond(client, 403, "aws-sandbox denied " + where + ": the name resolves only to loopback, link-local, this host's own,"
                    + " cloud metadata-service or other local addresses (allow the address itself to reach it)");
            return;
        }
        Audit counter = owner.record(t.host(), request.port(), true, "");
        counter.connections.increment();
        if (!owner.attach(client)) {
            return; // the command has ended
        }
        SocketChannel upstream = null;
        try {
            upstream = connect(addresses, request.port());
            if (upstream == null) {
                counter.reason = "cannot connect";
                respond(client, 502, "aws-sandbox proxy cannot connect to " + where);
                return;
            }
            if (!owner.attach(upstream)) {
                return;
            }
            if (request.connect()) {
                writeFully(client, ByteBuffer.wrap("HTTP/1.1 200 Connection established\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1)));
                if (head.rest().hasRemaining()) {
                    counter.sent.add(head.rest().remaining());
                    writeFully(upstream, head.rest());
                }
                relay(client, upstream, counter);
            } else {
                byte[] rewritten = request.originHead(head).getBytes(StandardCharsets.ISO_8859_1);
                writeFully(upstream, ByteBuffer.wrap(rewritten));
                counter.sent.add(rewritten.length);
                relayRequest(client, upstream, head.rest(), RequestBody.Framing.of(head), counter);
            }
        } catch (IOException e) {
            // either side went away
        } finally {
            owner.detach(client);
            if (upstream != null) {
                owner.detach(upstream);
                closeQuietly(upstream);
            }
        }
    }

    /** The addresses to try: an address as given; a name resolved here, without local addresses. */
    private List<InetAddress> addresses(HostPattern.Target target, int port) throws UnknownHostException {
        if (target.kind() == HostPattern.Kind.IPV4 || target.kind() == HostPattern.Kind.IPV6) {
            return List.of(HostPattern.address(target.host(), target.kind()));
        }
        if (target.host().equals("localhost")) {
            // allowed by name on purpose (--allow-host localhost:4566): the loopback address, no lookup
            return List.of(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        }
        List<InetAddress> usable = new ArrayList<>();
        for (InetAddress address : settings.resolver().resolve(target.host())) {
            if (!isLocal(address, port, settings.routes())) {
                usable.add(address);
            }
        }
        return usable;
    }

    /**
     * Addresses a name may not lead to: this host (loopback, its interfaces' addresses, every
     * address its routing delivers here), its links, the cloud providers' metadata and credential
     * services.
     */
    static boolean isLocal(InetAddress address, int port) {
        return isLocal(address, port, Routes.KERNEL);
    }

    /** {@link #isLocal(InetAddress, int)} with {@code routes} asked last. */
    static boolean isLocal(InetAddress address, int port, Routes routes) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress() || METADATA_SERVICES.contains(address)
                || HostAddresses.INTERFACES.contains(address) || routedToThisHost(address, port, routes)) { // the kernel asked last
            return true;
        }
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            if (localNat64(b)) {
                return true;
            }
            // an IPv6 address that carries an IPv4 one is judged as that one: ::ffff:127.0.0.1 in a
            // name's AAAA record reached this host's loopback (red team, round 3)
            int at = embeddedIpv4(b);
            if (at >= 0) {
                try {
                    return isLocal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, at, at + 4)), port, routes);
                } catch (UnknownHostException e) {
                    throw new AssertionError("four bytes are an IPv4 address", e);
                }
            }
        }
        return false;
    }

    /**
     * 64:ff9b:1::/48, NAT64 for local use (RFC 8215): a translator here may map it to any IPv4 address,
     * 169.254.169.254 among them, in a layout of its choosing (red team, round 16).
     */
    private static boolean localNat64(byte[] b) {
        return b.length == 16 && b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && b[4] == 0
                && b[5] == 1;
    }

    /**
     * Whether {@code host} (as the proxy recorded it) is an address no one should be advised to allow even where this
     * host's own loopback may be (the MCP server's local emulators): a link-local, unspecified or multicast address, a
     * cloud metadata service, or an IPv6 address that may carry one. {@link #worthSuggesting} is the stricter rule, for
     * the CLI's {@code --allow-host}.
     */
    public static boolean linkOrMetadata(String host) {
        Optional<HostPattern.Target> target = HostPattern.Target.parse(host.startsWith("[") || host.indexOf(':') < 0
                ? host : "[" + host + "]");
        return target.isPresent() && (target.get().kind() == HostPattern.Kind.IPV4 || target.get().kind() == HostPattern.Kind.IPV6)
                && linkOrMetadata(HostPattern.address(target.get().host(), target.get().kind()));
    }

    private static boolean linkOrMetadata(InetAddress address) {
        if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || METADATA_SERVICES.contains(address)) {
            return true;
        }
        byte[] b = address.getAddress();
        int at = address instanceof Inet6Address ? embeddedIpv4(b) : -1;
        try {
            return localNat64(b) || at >= 0 && linkOrMetadata(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, at, at + 4)));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are an IPv4 address", e);
        }
    }

    /** The reason of a connection no pattern allows (a {@link Connection}'s). */
    public static final String NOT_ALLOWED = "not an allowed host";
    /** The reason of a connection to a host that patterns allow on other ports only. */
    public static final String PORT_NOT_ALLOWED = "not an allowed port of this host";

    /**
     * Whether a pattern naming {@code host} and {@code port} (as the proxy recorded them) is one to suggest to a
     * user: not for a link-local, unspecified or multicast address or a cloud metadata service,
     * whose credentials are what an allow-list keeps from a command (red team, round 17: a hint
     * said "allow it with --allow-host 169.254.169.254:80"), nor for this host itself: its loopback
     * and interfaces' addresses, their mapped forms and {@code localhost} (red team, round 18: a hint
     * said "allow it with --allow-host 127.0.0.1:2375", Docker's API). Other names are.
     */
    public static boolean worthSuggesting(String host, int port) {
        Optional<HostPattern.Target> target = HostPattern.Target.parse(host.startsWith("[") || host.indexOf(':') < 0
                ? host : "[" + host + "]");
        if (target.isEmpty()) {
            return false;
        }
        HostPattern.Target t = target.get();
        if (t.kind() != HostPattern.Kind.IPV4 && t.kind() != HostPattern.Kind.IPV6) {
            return !t.host().equals("localhost"); // the one name the proxy takes for the loopback address
        }
        // what a name may never lead to is never suggested by address either: this host's own services
        // (127.0.0.1:2375 is Docker's API, [::1]:8000 a tokenless MCP server), its interfaces' addresses and
        // the mapped forms of these (red team, round 18, F2.5)
        return !isLocal(HostPattern.address(t.host(), t.kind()), port);
    }

    /**
     * The metadata and credential services of cloud providers that are not on a link-local
     * address (those, 169.254.169.254 and 169.254.170.2 among them, are refused as link-local):
     * they hand out the machine's or a pod's credentials to whoever asks from the instance (red
     * team, round 16).
     */
    private static final java.util.Set<InetAddress> METADATA_SERVICES = java.util.Set.of(
            InetAddress.ofLiteral("fd00:ec2::254"), // AWS: the instance metadata service over IPv6
            InetAddress.ofLiteral("fd00:ec2::23"), // AWS: the EKS Pod Identity Agent over IPv6
            InetAddress.ofLiteral("100.100.100.200"), // Alibaba Cloud: the ECS metadata service
            InetAddress.ofLiteral("192.0.0.192"), // Oracle Cloud: the classic metadata service
            InetAddress.ofLiteral("168.63.129.16")); // Azure: the WireServer

    /**
     * Whether this host's routing delivers a TCP connection to {@code address} and {@code port}
     * here (a {@code local} route, which no interface lists: AnyIP); where {@code routes} cannot
     * tell, counted as here.
     */
    private static boolean routedToThisHost(InetAddress address, int port, Routes routes) {
        try {
            return routes.isLocal(address, port);
        } catch (ErrnoException e) {
            return true; // cannot tell: refuse rather than connect to this host
        }
    }

    /**
     * Where an IPv6 address holds an IPv4 address the host may end up connecting to, or -1:
     * IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, IPv4-translated
     * {@code ::ffff:0:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} (a translator on this host would
     * connect to it) and 6to4 {@code 2002:a.b.c.d::}.
     */
    static int embeddedIpv4(byte[] b) {
        if (zeros(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            return 12;
        }
        if (zeros(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
            return 12;
        }
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zeros(b, 4, 12)) {
            return 12;
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return 2;
        }
        return -1;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private SocketChannel connect(List<InetAddress> addresses, int port) {
        for (InetAddress address : addresses) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open();
                channel.socket().connect(new InetSocketAddress(address, port), (int) settings.connectTimeout().toMillis());
                channel.socket().setTcpNoDelay(true);
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
            }
        }
        return null;
    }

    /** The live lease whose token the one Proxy-Authorization header carries (two are no credentials). */
    private Optional<Lease> lease(Head head) {
        List<String> credentials = head.headers("proxy-authorization");
        if (credentials.size() == 1) {
            String v = credentials.getFirst().strip();
            if (v.length() > 6 && v.substring(0, 6).equalsIgnoreCase("basic ")) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(v.substring(6).strip()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon >= 0) {
                        Lease lease = leases.get(decoded.substring(colon + 1));
                        if (lease != null && !lease.isClosed()) {
                            return Optional.of(lease);
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: no credentials
                }
            }
        }
        return Optional.empty();
    }

    /** Both directions until each has ended; then both sides are closed. */
    private static void relay(SocketChannel client, SocketChannel upstream, Audit counter) {
        Thread up = Thread.ofVirtual().name("aws-sandbox-egress-up").start(() -> pump(client, upstream, counter.sent));
        pump(upstream, client, counter.received);
        try {
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(upstream);
        closeQuietly(client);
    }

    /**
     * A plain request after its head: its body, as its framing delimits it, goes up ({@link
     * RequestBody}); the response comes down as it comes. The connection carries this one request:
     * a byte the client sends after the body is never forwarded but ends both connections at once
     * (the server of this request would read it as a further request whose head the proxy never
     * judged — request smuggling; a client that reuses the connection sees it closed and opens
     * another). A client that ends before its body does ends both connections too. Malformed
     * chunked framing gets a 400 when nothing of the response has reached the client yet, and ends
     * both connections.
     */
    private static void relayRequest(SocketChannel client, SocketChannel upstream, ByteBuffer alreadyRead,
                                     RequestBody.Framing framing, Audit counter) {
        Answer answer = new Answer();
        Thread down = Thread.ofVirtual().name("aws-sandbox-egress-down")
                .start(() -> relayResponse(upstream, client, answer, counter.received));
        ByteBuffer buffer = Buffers.take();
        try {
            RequestBody.Input in = new RequestBody.Input(client, alreadyRead, buffer);
            switch (RequestBody.forward(framing, in, upstream, counter.sent)) {
                case RequestBody.Outcome.Complete complete -> {
                    if (in.fill()) {
                        closeQuietly(upstream); // a byte after the body: never forwarded, see above
                        closeQuietly(client);
                    } else {
                        upstream.shutdownOutput(); // the client's side ended after the body, as a tunnel's does
                    }
                }
                case RequestBody.Outcome.Truncated truncated -> {
                    closeQuietly(upstream);
                    closeQuietly(client);
                }
                case RequestBody.Outcome.Malformed malformed -> {
                    // claimed before the upstream is closed: its failing read must leave the client to the 400
                    boolean refuse = answer.byRefusal();
                    closeQuietly(upstream);
                    if (refuse) {
                        respond(client, 400, "aws-sandbox proxy: malformed chunked body: " + malformed.why());
                    }
                    closeQuietly(client);
                }
            }
        } catch (IOException e) {
            closeQuietly(upstream);
            closeQuietly(client);
        } finally {
            Buffers.give(buffer);
        }
        try {
            down.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(upstream);
        closeQuietly(client);
    }

    /**
     * Who answers a plain request's client: the server's response, as it comes, or the proxy's 400
     * for a malformed body — whichever comes first, never both in one stream.
     */
    private static final class Answer {
        private enum By { NOBODY, RESPONSE, REFUSAL }

        private final java.util.concurrent.atomic.AtomicReference<By> by = new java.util.concurrent.atomic.AtomicReference<>(By.NOBODY);

        /** Whether the server's response may go on to the client. */
        boolean byResponse() {
            return by.compareAndSet(By.NOBODY, By.RESPONSE) || by.get() == By.RESPONSE;
        }

        /** Whether the proxy's refusal may be written (nothing of the response was). */
        boolean byRefusal() {
            return by.compareAndSet(By.NOBODY, By.REFUSAL);
        }
    }

    /** The response of a plain request, until the server ends it; nothing once the proxy refused the body. */
    private static void relayResponse(SocketChannel upstream, SocketChannel client, Answer answer,
                                      java.util.concurrent.atomic.LongAdder bytes) {
        ByteBuffer buffer = Buffers.take();
        try {
            while (true) {
                buffer.clear();
                int n = upstream.read(buffer);
                if (!answer.byResponse()) {
                    return; // the proxy's 400 answers the client, and its writer closes the client
                }
                if (n < 0) {
                    client.shutdownOutput();
                    return;
                }
                buffer.flip();
                bytes.add(n); // counted before it is passed on, as pump() does
                writeFully(client, buffer);
            }
        } catch (IOException e) {
            closeQuietly(upstream);
            if (answer.byResponse()) {
                closeQuietly(client); // so that the request's direction ends too
            }
        } finally {
            Buffers.give(buffer);
        }
    }

    private static void pump(SocketChannel from, SocketChannel to, java.util.concurrent.atomic.LongAdder bytes) {
        ByteBuffer buffer = Buffers.take();
        try {
            while (true) {
                buffer.clear();
                int n = from.read(buffer);
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                buffer.flip();
                // counted before it is passed on: once the other side has the bytes, a command's
                // result already counts them (counted after, a fast client's result missed them)
                bytes.add(n);
                writeFully(to, buffer);
            }
        } catch (IOException e) {
            // one side failed: close both, so that the other direction ends too
            closeQuietly(from);
            closeQuietly(to);
        } finally {
            Buffers.give(buffer);
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A response that ends the connection; the reason phrase carries the one-line message. */
    private static void respond(SocketChannel client, int status, String message) {
        String line = printable(message);
        String body = line + "\n";
        String text = "HTTP/1.1 " + status + " " + line + "\r\n"
                + (status == 407 ? "Proxy-Authenticate: Basic realm=\"aws-sandbox\"\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Connection: close\r\n\r\n" + body;
        try {
            writeFully(client, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the client left
        }
    }

    /** Visible ASCII and spaces only, at most 200 characters: safe in a status line and a terminal. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // already gone
        }
    }

    // ---- the private directory of the unix socket ----

    private static Path privateDirectory() throws IOException {
        List<String> failures = new ArrayList<>();
        List<Path> bases = new ArrayList<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
            bases.add(Path.of(runtime));
        }
        bases.add(Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
        bases.add(Path.of("/tmp"));
        for (Path base : bases) {
            try {
                Path dir = PidDirectories.create(base, DIRECTORY_PREFIX);
                String socketPath = dir.resolve("proxy.sock").toString();
                // socat reads it as an address argument, and sun_path holds 107 bytes
                if (socketPath.length() > 100 || !socketPath.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '_'
                        || c == '-')) {
                    TreeDeletion.delete(dir);
                    failures.add(base + ": the socket path " + socketPath + " is too long or has unusual characters");
                    continue;
                }
                return dir;
            } catch (IOException | UnsupportedOperationException e) {
                failures.add(base + ": " + e.getMessage());
            }
        }
        throw new IOException("cannot create the egress proxy's private directory (" + String.join("; ", failures) + ")");
    }

    // ---- leases and their counts ----

    /** Counts of one (host, port, allowed) of one lease. */
    static final class Audit {
        final java.util.concurrent.atomic.LongAdder connections = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();
        volatile String reason;

        Audit(String reason) {
            this.reason = reason;
        }
    }

    /**
     * What one command did through the proxy, per host, port and decision.
     *
     * @param host          the host as the command asked for it (lower case)
     * @param port          the port
     * @param allowed       whether the allow-list let it through
     * @param connections   how many connections asked for it
     * @param bytesSent     bytes from the command to the host (a plain-HTTP request's rewritten head included)
     * @param bytesReceived bytes from the host to the command
     * @param reason        why it was denied, or what failed ("cannot connect"); empty otherwise
     */
    public record Connection(String host, int port, boolean allowed, long connections, long bytesSent,
                             long bytesReceived, String reason) {}

    /**
     * One command's use of the proxy: its token, its allow-list, its counts. At most
     * {@link #MAX_HOSTS} hosts are counted one by one; the connections to any further host are
     * counted together under the host {@link #OTHER_HOSTS} (port 0), so that a command asking for
     * millions of names cannot grow the JVM's memory.
     */
    public static final class Lease implements AutoCloseable {
        /** Hosts (with port and decision) counted one by one per command. */
        public static final int MAX_HOSTS = 1000;
        /** The host under which connections past {@link #MAX_HOSTS} are counted. */
        public static final String OTHER_HOSTS = "(other hosts)";

        private final EgressProxy proxy;
        private final String token;
        private final List<HostPattern> allowed;
        private final Map<List<Object>, Audit> audit = new java.util.LinkedHashMap<>();
        private final java.util.Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Lease(EgressProxy proxy, String token, List<HostPattern> allowed) {
            this.proxy = proxy;
            this.token = token;
            this.allowed = List.copyOf(allowed);
        }

        public String token() {
            return token;
        }

        public List<HostPattern> allowed() {
            return allowed;
        }

        /** The proxy URL the command gets in {@code HTTPS_PROXY} and {@code HTTP_PROXY}. */
        public String url() {
            return "http://" + USER + ":" + token + "@127.0.0.1:" + proxy.port();
        }

        public int port() {
            return proxy.port();
        }

        public Path socket() {
            return proxy.socket();
        }

        boolean isClosed() {
            return closed;
        }

        Audit record(String host, int port, boolean allowed, String reason) {
            List<Object> key = List.of(host.toLowerCase(Locale.ROOT), port, allowed);
            synchronized (audit) {
                Audit a = audit.get(key);
                if (a != null) {
                    return a;
                }
                if (audit.size() >= MAX_HOSTS) {
                    return audit.computeIfAbsent(List.of(OTHER_HOSTS, 0, allowed),
                            k -> new Audit("more than " + MAX_HOSTS + " hosts: the rest counted together"));
                }
                a = new Audit(reason);
                audit.put(key, a);
                return a;
            }
        }

        boolean attach(SocketChannel channel) {
            open.add(channel);
            if (closed) {
                open.remove(channel);
                closeQuietly(channel);
                return false;
            }
            return true;
        }

        void detach(SocketChannel channel) {
            open.remove(channel);
        }

        /** The counts so far, in the order the hosts were first asked for. */
        public List<Connection> connections() {
            List<Connection> result = new ArrayList<>();
            synchronized (audit) {
                audit.forEach((key, a) -> result.add(new Connection((String) key.get(0), (Integer) key.get(1),
                        (Boolean) key.get(2), a.connections.sum(), a.sent.sum(), a.received.sum(),
                        a.reason == null ? "" : a.reason)));
            }
            return result;
        }

        /** Revokes the token and closes every connection still open (its command has ended). */
        @Override
        public void close() {
            closed = true;
            proxy.forget(this);
            for (SocketChannel channel : List.copyOf(open)) {
                closeQuietly(channel);
            }
        }
    }

    /** Pooled direct buffers for the relays (a tunnel holds two while it copies). */
    private static final class Buffers {
        private static final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> POOL =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private static final java.util.concurrent.atomic.AtomicInteger POOLED = new java.util.concurrent.atomic.AtomicInteger();
        private static final int MAX_POOLED = 128;

        static ByteBuffer take() {
            ByteBuffer b = POOL.poll();
            if (b != null) {
                POOLED.decrementAndGet();
                return b;
            }
            return ByteBuffer.allocateDirect(BUFFER);
        }

        static void give(ByteBuffer b) {
            if (POOLED.incrementAndGet() <= MAX_POOLED) {
                POOL.offer(b);
            } else {
                POOLED.decrementAndGet();
            }
        }
    }
}
