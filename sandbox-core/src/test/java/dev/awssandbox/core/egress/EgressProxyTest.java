package dev.awssandbox.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The egress proxy as a client sees it, over real sockets on 127.0.0.1 only: tunnels to allowed
 * hosts, refusals (each with the same request allowed as its control), credentials, bounds.
 */
class EgressProxyTest {
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);

    private EgressProxy proxy;
    private ServerSocket echo;
    private final AtomicInteger echoAccepted = new AtomicInteger();
    private final List<String> upstreamHeads = new CopyOnWriteArrayList<>();
    private final AtomicInteger httpAccepted = new AtomicInteger();
    private ServerSocket http;
    /** Fixed answers instead of DNS: no name leaves the machine. */
    private final Map<String, InetAddress[]> names = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        proxy = EgressProxy.start(new EgressProxy.Settings(HEAD_TIMEOUT, Duration.ofSeconds(5), 1024, 16 * 1024,
                name -> {
                    InetAddress[] a = names.get(name);
                    if (a == null) {
                        throw new UnknownHostException(name);
                    }
                    return a;
                }));
        echo = new ServerSocket(0, 512, loopback());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    echoAccepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // client gone
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        http = new ServerSocket(0, 50, loopback());
        Thread.ofVirtual().start(() -> {
            while (!http.isClosed()) {
                try (Socket s = http.accept()) {
                    httpAccepted.incrementAndGet();
                    String head = readHead(s.getInputStream());
                    upstreamHeads.add(head);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // the response ends here; what the client sent after the head (a body) is read to its end,
                    // so that closing does not reset the connection before the proxy has the response
                    s.shutdownOutput();
                    s.setSoTimeout(5000);
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    // next
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        echo.close();
        http.close();
    }

    private static InetAddress loopback() throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    }

    private static String auth(EgressProxy.Lease lease) {
        return "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                (EgressProxy.USER + ":" + lease.token()).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    private Socket connectProxy() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(loopback(), proxy.port()), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Sends a CONNECT and returns the proxy's status line; the socket is then the tunnel (when 200). */
    private static String connect(Socket s, String authority, String authHeader) throws IOException {
        s.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + authHeader + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return readHead(s.getInputStream()).lines().findFirst().orElse("");
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String roundTrip(Socket tunnel, String text) throws IOException {
        tunnel.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        tunnel.getOutputStream().flush();
        byte[] back = tunnel.getInputStream().readNBytes(text.length());
        return new String(back, StandardCharsets.UTF_8);
    }

    @Test
    void aTunnelReachesAnAllowedHostAndIsCounted() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(lease))).startsWith("HTTP/1.1 200 ");
            assertThat(roundTrip(s, "ping through the tunnel")).isEqualTo("ping through the tunnel");
        }
        lease.close();
        assertThat(lease.connections()).singleElement().satisfies(c -> {
            assertThat(c.host()).isEqualTo("127.0.0.1");
            assertThat(c.port()).isEqualTo(echo.getLocalPort());
            assertThat(c.allowed()).isTrue();
            assertThat(c.connections()).isEqualTo(1);
            assertThat(c.bytesSent()).isEqualTo("ping through the tunnel".length());
            assertThat(c.bytesReceived()).isEqualTo("ping through the tunnel".length());
        });
    }

    @Test
    void connectToAPortTheHostIsNotAllowedOnIsRefused() throws Exception {
        int allowedPort = echo.getLocalPort() == 65535 ? 1 : echo.getLocalPort() + 1;
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + allowedPort)));
        try (Socket s = connectProxy()) {
            String status = connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(lease));
            // the host is allowed on another port: said as such (outside test WF31, F7)
            assertThat(status).startsWith("HTTP/1.1 403 aws-sandbox denied 127.0.0.1:" + echo.getLocalPort()
                    + ": not an allowed port of this host");
        }
        assertThat(echoAccepted.get()).as("the proxy never connected").isZero();
        assertThat(lease.connections()).singleElement().satisfies(c -> {
            assertThat(c.allowed()).isFalse();
            assertThat(c.reason()).isEqualTo("not an allowed port of this host");
        });

        // control: the same request, with that port allowed
        EgressProxy.Lease control = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(control))).startsWith("HTTP/1.1 200 ");
        }
        awaitAccepted(1);
    }

    /** The echo server counts a connection once its accept() returns, which may be after the proxy's 200. */
    private void awaitAccepted(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (echoAccepted.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(echoAccepted.get()).isEqualTo(expected);
    }

    @Test
    void withoutALiveTokenTheProxyAnswers407() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        String target = "127.0.0.1:" + echo.getLocalPort();
        try (Socket s = connectProxy()) {
            assertThat(connect(s, target, "")).startsWith("HTTP/1.1 407 ");
        }
        try (Socket s = connectProxy()) {
            assertThat(connect(s, target, "Proxy-Authorization: Basic "
                    + Base64.getEncoder().encodeToString("aws-sandbox:guessed".getBytes()) + "\r\n")).startsWith("HTTP/1.1 407 ");
        }
        lease.close();
        try (Socket s = connectProxy()) {
            assertThat(connect(s, target, auth(lease))).as("a closed lease's token").startsWith("HTTP/1.1 407 ");
        }
        assertThat(echoAccepted.get()).isZero();
    }

    @Test
    void aPlainHttpRequestIsForwardedInOriginFormWithoutTheProxyCredentials() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + http.getLocalPort())));
        try (Socket s = connectProxy()) {
            s.getOutputStream().write(("GET http://127.0.0.1:" + http.getLocalPort() + "/bucket/key?x=1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + http.getLocalPort() + "\r\n" + auth(lease)
                    + "Proxy-Connection: keep-alive\r\nUser-Agent: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("hello");
        }
        assertThat(upstreamHeads).singleElement().satisfies(head -> {
            assertThat(head).startsWith("GET /bucket/key?x=1 HTTP/1.1\r\n");
            assertThat(head).contains("User-Agent: test\r\n").contains("Connection: close\r\n");
            assertThat(head.toLowerCase()).doesNotContain("proxy-authorization").doesNotContain("proxy-connection")
                    .doesNotContain(lease.token().toLowerCase());
        });

        // a plain request to a host that is not allowed never leaves
        try (Socket s = connectProxy()) {
            s.getOutputStream().write(("GET http://127.0.0.1:" + echo.getLocalPort() + "/ HTTP/1.1\r\nHost: 127.0.0.1:"
                    + echo.getLocalPort() + "\r\n" + auth(lease) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 403 ");
        }
        assertThat(echoAccepted.get()).isZero();
    }

    /** Sends raw bytes to the proxy and returns the first line of the answer (empty when it closed without one). */
    private String send(String request) throws IOException {
        try (Socket s = connectProxy()) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readHead(s.getInputStream()).lines().findFirst().orElse("");
        }
    }

    /**
     * {@code refused} gets {@code status} and never reaches the HTTP server; {@code control}, the
     * same request without what is refused, is forwarded to it and answered.
     */
    private void refusedButTheControlIsForwarded(org.assertj.core.api.SoftAssertions soft, String why, String refused,
                                                 String status, String control) throws IOException {
        int before = httpAccepted.get();
        soft.assertThat(send(refused)).as("%s: refused", why).startsWith(status);
        soft.assertThat(send(control)).as("%s: the control", why).startsWith("HTTP/1.1 200 OK");
        soft.assertThat(httpAccepted.get()).as("%s: only the control reached the server", why).isEqualTo(before + 1);
    }

    /**
     * A plain request's body is delimited by the upstream server; where recipients may delimit it
     * differently (RFC 9112 §6.3), what follows could be read as a second request the proxy never
     * judged (request smuggling). Such requests were forwarded unchanged; each is now answered 400
     * and never forwarded, and the same request without the ambiguity is.
     */
    @Test
    void aPlainRequestWhoseBodyRecipientsMayDelimitDifferentlyIsRefused() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + http.getLocalPort())));
        String target = "127.0.0.1:" + http.getLocalPort();
        String head = "POST http://" + target + "/bucket/key HTTP/1.1\r\nHost: " + target + "\r\n" + auth(lease);
        String chunked = "5\r\nhello\r\n0\r\n\r\n";
        String bad = "HTTP/1.1 400 aws-sandbox proxy: ambiguous request: ";
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            try {
                refusedButTheControlIsForwarded(soft, "Transfer-Encoding and Content-Length",
                        head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + chunked, bad,
                        head + "Transfer-Encoding: chunked\r\n\r\n" + chunked);
                refusedButTheControlIsForwarded(soft, "Content-Length and Transfer-Encoding",
                        head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello", bad,
                        head + "Content-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "two different Content-Length",
                        head + "Content-Length: 5\r\nContent-Length: 0\r\n\r\nhello", bad,
                        head + "Content-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "two equal Content-Length",
                        head + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", bad,
                        head + "Content-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "a Content-Length list",
                        head + "Content-Length: 5, 5\r\n\r\nhello", bad, head + "Content-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "a signed Content-Length",
                        head + "Content-Length: +5\r\n\r\nhello", bad, head + "Content-Length: 5\r\n\r\nhello");
                for (String coding : List.of("gzip", "chunked, gzip", "gzip, chunked", "chunked, chunked", "xchunked",
                        "chunked;x=1", "identity")) {
                    refusedButTheControlIsForwarded(soft, "Transfer-Encoding: " + coding,
                            head + "Transfer-Encoding: " + coding + "\r\n\r\n" + chunked, bad,
                            head + "Transfer-Encoding: chunked\r\n\r\n" + chunked);
                }
                refusedButTheControlIsForwarded(soft, "Transfer-Encoding twice",
                        head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked, bad,
                        head + "Transfer-Encoding: chunked\r\n\r\n" + chunked);
                String head10 = head.replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n");
                refusedButTheControlIsForwarded(soft, "Transfer-Encoding in HTTP/1.0",
                        head10 + "Transfer-Encoding: chunked\r\n\r\n" + chunked, bad,
                        head10 + "Content-Length: 5\r\n\r\nhello");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(upstreamHeads).allSatisfy(h -> assertThat(h).startsWith("POST /bucket/key HTTP/1."));
    }

    /**
     * Header lines some recipients read otherwise than the proxy (RFC 9112 §2.2, §5): a bare LF
     * or CR taken for a line end, a folded line (obs-fold) unfolded or not, whitespace between a
     * name and its colon, NUL and other control characters. They were forwarded as sent; each
     * head is now answered 400 and never forwarded, and the same head written plainly is. A head
     * of LF-only lines got no answer until the head timeout; now 400 at once.
     */
    @Test
    void headerLinesRecipientsMayReadDifferentlyAreRefused() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + http.getLocalPort())));
        String target = "127.0.0.1:" + http.getLocalPort();
        String line = "GET http://" + target + "/bucket/key HTTP/1.1\r\n";
        String head = line + "Host: " + target + "\r\n" + auth(lease);
        String bad = "HTTP/1.1 400 aws-sandbox proxy: malformed request head: ";
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            try {
                refusedButTheControlIsForwarded(soft, "a folded line", head + "X-A: a\r\n b\r\n\r\n", bad,
                        head + "X-A: a b\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "a folded Transfer-Encoding",
                        head + "X-A: a\r\n\tTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", bad,
                        // no body: unfolded, the coding is X-A's value, and a byte after a request is never forwarded
                        head + "X-A: a\tTransfer-Encoding: chunked\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "whitespace before the first header",
                        line + " X-A: a\r\nHost: " + target + "\r\n" + auth(lease) + "\r\n", bad,
                        line + "X-A: a\r\nHost: " + target + "\r\n" + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "whitespace between name and colon",
                        head + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", bad,
                        head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "a name that is not a token", head + "X(A): a\r\n\r\n", bad,
                        head + "X-A: a\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "a line without a colon", head + "X-A a\r\n\r\n", bad,
                        head + "X-A: a\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "a bare LF", head + "X-A: a\nContent-Length: 5\r\n\r\nhello", bad,
                        head + "X-A: a\r\nContent-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "LF-only lines", head.replace("\r\n", "\n") + "\n", bad, head + "\r\n");
                refusedButTheControlIsForwarded(soft, "a bare CR", head + "X-A: a\rContent-Length: 5\r\n\r\nhello", bad,
                        head + "X-A: a\r\nContent-Length: 5\r\n\r\nhello");
                refusedButTheControlIsForwarded(soft, "NUL", head + "X-A: a\0b\r\n\r\n", bad, head + "X-A: ab\r\n\r\n");
                for (char c = 1; c < 0x20; c++) {
                    if (c != '\t' && c != '\r' && c != '\n') {
                        refusedButTheControlIsForwarded(soft, String.format("control character 0x%02x", (int) c),
                                head + "X-A: a" + c + "b\r\n\r\n", bad, head + "X-A: ab\r\n\r\n");
                    }
                }
                refusedButTheControlIsForwarded(soft, "DEL", head + "X-A: a\u007fb\r\n\r\n", bad, head + "X-A: ab\r\n\r\n");
                refusedButTheControlIsForwarded(soft, "a control character in the request line",
                        head.replace("/bucket/key", "/bucket/k\u0001ey") + "\r\n", bad, head + "\r\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * The Host header of a plain request selects the site at the upstream address; one naming
     * another authority than the URL the allow-list judged reached that other site (a virtual
     * host on the same server). Refused now (400, never forwarded), as are two Host headers and
     * an HTTP/1.1 request without one; the controls: the matching Host, and HTTP/1.0 without one.
     * A CONNECT's Host, when there is one, must name its authority too.
     */
    @Test
    void aHostHeaderThatNamesAnotherAuthorityIsRefused() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + http.getLocalPort()),
                HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        String target = "127.0.0.1:" + http.getLocalPort();
        String line = "GET http://" + target + "/bucket/key HTTP/1.1\r\n";
        String bad = "HTTP/1.1 400 aws-sandbox proxy: ambiguous request: ";
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            try {
                refusedButTheControlIsForwarded(soft, "another host", line + "Host: other.example\r\n" + auth(lease) + "\r\n",
                        bad, line + "Host: " + target + "\r\n" + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "another port",
                        line + "Host: 127.0.0.1:" + echo.getLocalPort() + "\r\n" + auth(lease) + "\r\n",
                        bad, line + "Host: " + target + "\r\n" + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "two Host headers",
                        line + "Host: " + target + "\r\nHost: " + target + "\r\n" + auth(lease) + "\r\n",
                        bad, line + "Host: " + target + "\r\n" + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "no Host in HTTP/1.1", line + auth(lease) + "\r\n",
                        bad, line.replace("HTTP/1.1", "HTTP/1.0") + auth(lease) + "\r\n");

                String connect = "CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n";
                soft.assertThat(send(connect + "Host: other.example:" + echo.getLocalPort() + "\r\n" + auth(lease) + "\r\n"))
                        .as("CONNECT with another Host").startsWith(bad);
                soft.assertThat(echoAccepted.get()).as("CONNECT with another Host: never connected").isZero();
                try (Socket s = connectProxy()) {
                    soft.assertThat(connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(lease))).as("CONNECT: the control")
                            .startsWith("HTTP/1.1 200 ");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }

            // which Host values name the authority, without a server: the default port, and Python's CONNECT to IPv6
            soft.assertThat(ambiguity("GET http://Example.com/ HTTP/1.1", "Host: example.com")).isEmpty();
            soft.assertThat(ambiguity("GET http://example.com/ HTTP/1.1", "Host: example.com:80")).isEmpty();
            soft.assertThat(ambiguity("GET http://example.com:80/ HTTP/1.1", "Host: example.com")).isEmpty();
            soft.assertThat(ambiguity("GET http://example.com:8080/ HTTP/1.1", "Host: example.com")).isPresent();
            soft.assertThat(ambiguity("GET http://[::1]:8080/ HTTP/1.1", "Host: [::1]:8080")).isEmpty();
            soft.assertThat(ambiguity("GET http://[::1]:8080/ HTTP/1.1", "Host: ::1:8080")).as("only for CONNECT").isPresent();
            soft.assertThat(ambiguity("CONNECT [::1]:443 HTTP/1.1", "Host: ::1:443")).as("Python 3.12").isEmpty();
            soft.assertThat(ambiguity("CONNECT [::1]:443 HTTP/1.1", "Host: [::1]:443")).isEmpty();
            soft.assertThat(ambiguity("CONNECT [::1]:443 HTTP/1.1", "Host: ::2:443")).isPresent();
            soft.assertThat(ambiguity("CONNECT example.com:443 HTTP/1.1", "Host: example.com")).isPresent();
            soft.assertThat(ambiguity("CONNECT example.com:443 HTTP/1.1")).as("Python before 3.12 sends no Host").isEmpty();
        });
        awaitAccepted(1);
    }

    private static java.util.Optional<String> ambiguity(String requestLine, String... headerLines) {
        Head head = new Head(requestLine, List.of(headerLines), java.nio.ByteBuffer.allocate(0));
        return Request.parse(head).orElseThrow().ambiguity(head);
    }

    /**
     * Two Proxy-Authorization headers were accepted when one carried a live token; which one a
     * recipient takes is not defined. Now no credentials (407, as for a wrong token), whatever the
     * other carries; the control: the same request with the one header.
     */
    @Test
    void aDuplicatedProxyAuthorizationIsNoCredentials() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + http.getLocalPort()),
                HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        String target = "127.0.0.1:" + http.getLocalPort();
        String head = "GET http://" + target + "/bucket/key HTTP/1.1\r\nHost: " + target + "\r\n";
        String other = "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString("aws-sandbox:guessed".getBytes(
                StandardCharsets.UTF_8)) + "\r\n";
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            try {
                refusedButTheControlIsForwarded(soft, "the token twice", head + auth(lease) + auth(lease) + "\r\n",
                        "HTTP/1.1 407 ", head + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "the token, then another", head + auth(lease) + other + "\r\n",
                        "HTTP/1.1 407 ", head + auth(lease) + "\r\n");
                refusedButTheControlIsForwarded(soft, "another, then the token", head + other + auth(lease) + "\r\n",
                        "HTTP/1.1 407 ", head + auth(lease) + "\r\n");
                try (Socket s = connectProxy()) {
                    soft.assertThat(connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(lease) + auth(lease)))
                            .as("CONNECT with the token twice").startsWith("HTTP/1.1 407 ");
                }
                soft.assertThat(echoAccepted.get()).as("CONNECT with the token twice: never connected").isZero();
                try (Socket s = connectProxy()) {
                    soft.assertThat(connect(s, "127.0.0.1:" + echo.getLocalPort(), auth(lease))).as("CONNECT: the control")
                            .startsWith("HTTP/1.1 200 ");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitAccepted(1);
    }

    @Test
    void aNameNeverLeadsToALocalAddressButTheAddressPatternDoes() throws Exception {
        // a wildcard whose DNS an attacker controls, pointed at this host's loopback
        names.put("rebind.attacker.example", new InetAddress[] {loopback()});
        int port = echo.getLocalPort();
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("*.attacker.example:" + port),
                HostPattern.parse("127.0.0.1:" + port), HostPattern.parse("localhost:" + port)));
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "rebind.attacker.example:" + port, auth(lease)))
                    .startsWith("HTTP/1.1 403 aws-sandbox denied rebind.attacker.example:" + port
                            + ": the name resolves only to loopback");
        }
        assertThat(echoAccepted.get()).isZero();
        // controls: the address itself, and the name localhost, are allowed by name on purpose
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "127.0.0.1:" + port, auth(lease))).startsWith("HTTP/1.1 200 ");
        }
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "localhost:" + port, auth(lease))).startsWith("HTTP/1.1 200 ");
        }
        awaitAccepted(2);
    }

    /**
     * A name whose AAAA record is an IPv6 address carrying this host's loopback (IPv4-mapped
     * ::ffff:127.0.0.1): the proxy connected it to 127.0.0.1 (red team, round 3). Refused now, like
     * the plain loopback; the other embedding forms are judged by the IPv4 address they carry.
     */
    @Test
    void aNameLeadingToAnIpv6FormOfALocalAddressIsRefused() throws Exception {
        InetAddress mapped = Inet6Address.getByAddress("mapped.attacker.example", v6("::ffff:7f00:1"), -1);
        names.put("mapped.attacker.example", new InetAddress[] {mapped});
        int port = echo.getLocalPort();
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("*.attacker.example:" + port)));
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "mapped.attacker.example:" + port, auth(lease)))
                    .startsWith("HTTP/1.1 403 aws-sandbox denied mapped.attacker.example:" + port);
        }
        assertThat(echoAccepted.get()).isZero();

        for (String local : List.of("::ffff:7f00:1", "::ffff:a9fe:a9fe", "::ffff:0:0", "::7f00:1", "::ffff:0:7f00:1",
                "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a9fe:a9fe::1")) {
            assertThat(EgressProxy.isLocal(Inet6Address.getByAddress(null, v6(local), -1), 443)).as(local).isTrue();
        }
        for (String remote : List.of("::ffff:5db8:d822", "64:ff9b::5db8:d822", "2002:5db8:d822::1", "2600:1f18::1")) {
            assertThat(EgressProxy.isLocal(Inet6Address.getByAddress(null, v6(remote), -1), 443)).as(remote).isFalse();
        }
    }

    /**
     * A name that leads to an address of one of this host's own interfaces (not loopback) is
     * refused before any connection: a service bound to every address answers there as on
     * loopback (red team, round 15: a wildcard's name pointed at the host's 10.99.0.1 reached a
     * service on [::]). Before, the proxy connected it (and got 502 from the echo listener, which
     * is on loopback only); the control: an address of no interface here is not judged local.
     */
    @Test
    void aNameLeadingToThisHostsOwnInterfaceAddressIsRefused() throws Exception {
        InetAddress own = null;
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && own == null) {
                    own = a;
                }
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(own != null, "this host has no address but loopback and link-local ones");
        names.put("own.attacker.example", new InetAddress[] {InetAddress.getByAddress("own.attacker.example", own.getAddress())});
        int port = echo.getLocalPort();
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("*.attacker.example:" + port)));
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "own.attacker.example:" + port, auth(lease)))
                    .startsWith("HTTP/1.1 403 aws-sandbox denied own.attacker.example:" + port);
        }
        assertThat(echoAccepted.get()).isZero();
        assertThat(EgressProxy.isLocal(InetAddress.getByAddress(own.getAddress()), 443)).as("%s", own).isTrue();
        assertThat(EgressProxy.isLocal(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 443)).as("TEST-NET-1").isFalse();
    }

    /**
     * Metadata and credential services that are not link-local (red team, round 16: the proxy
     * connected names that led there), and NAT64 for local use (64:ff9b:1::/48), whose translator
     * may map to any IPv4 address; the controls, their neighbours, are not refused.
     */
    @Test
    void namesLeadingToCloudMetadataServicesOrLocalUseNat64AreRefused() throws Exception {
        for (String service : List.of("fd00:ec2::254", "fd00:ec2::23", "100.100.100.200", "192.0.0.192", "168.63.129.16",
                "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:ffff::1")) {
            assertThat(EgressProxy.isLocal(InetAddress.ofLiteral(service), 443)).as(service).isTrue();
        }
        for (String neighbour : List.of("fd00:ec2::255", "100.100.100.201", "192.0.0.193", "168.63.129.17", "64:ff9b:2::1")) {
            assertThat(EgressProxy.isLocal(InetAddress.ofLiteral(neighbour), 443)).as(neighbour).isFalse();
        }
    }

    /**
     * A name leading into a range that a {@code local} route makes this host's own, with no
     * interface holding it ("AnyIP": {@code ip route add local 10.50.0.0/16 dev lo}), reached a
     * service listening on every address (red team, round 16). In a network namespace of the
     * test's own, with the route; the control, the same namespace without it.
     */
    @Test
    void anAddressALocalRouteMakesThisHostsIsLocal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "a network namespace of its own needs root here");
        dev.awssandbox.core.testing.Requirements.requireProgram("unshare");
        dev.awssandbox.core.testing.Requirements.requireProgram("ip");
        String with = dev.awssandbox.core.testing.ChildJvm.inNetworkNamespace("ip link set lo up"
                + " && ip route add local 10.50.0.0/16 dev lo && ip -6 route add local fd42:50::/64 dev lo",
                IsLocalMain.class, "10.50.1.2", "fd42:50::7", "::ffff:10.50.1.2");
        assertThat(with).contains("10.50.1.2 refused").contains("fd42:50:0:0:0:0:0:7 refused");
        String without = dev.awssandbox.core.testing.ChildJvm.inNetworkNamespace("ip link set lo up", IsLocalMain.class,
                "10.50.1.2", "fd42:50::7");
        assertThat(without).as("the control").contains("10.50.1.2 allowed").contains("fd42:50:0:0:0:0:0:7 allowed");
    }

    /**
     * When the kernel cannot say whether an address is this host's (the route question fails),
     * the address counts as this host's: a name leading only there is refused, never connected.
     * The control: the same name, the same address, with the answer "not this host", is let
     * through (and, TEST-NET-1 being nobody's, cannot be connected).
     */
    @Test
    void anAddressTheKernelCannotJudgeCountsAsThisHosts() throws Exception {
        InetAddress testNet = InetAddress.getByAddress("unsure.attacker.example", new byte[] {(byte) 192, 0, 2, 1});
        names.put("unsure.attacker.example", new InetAddress[] {testNet});
        List<String> asked = new CopyOnWriteArrayList<>();
        EgressProxy.Routes failing = (address, port) -> {
            asked.add(address.getHostAddress() + ":" + port);
            throw new dev.awssandbox.core.linux.ErrnoException("netlink RTM_GETROUTE", dev.awssandbox.core.linux.Errno.EIO);
        };
        EgressProxy.Routes elsewhere = (address, port) -> false;
        assertThat(EgressProxy.isLocal(testNet, 8443, failing)).isTrue();
        assertThat(asked).containsExactly("192.0.2.1:8443");
        assertThat(EgressProxy.isLocal(testNet, 8443, elsewhere)).as("the control").isFalse();

        String status;
        try (EgressProxy unsure = EgressProxy.start(settings(failing))) {
            EgressProxy.Lease lease = unsure.open(List.of(HostPattern.parse("*.attacker.example:8443")));
            try (Socket s = connectTo(unsure)) {
                status = connect(s, "unsure.attacker.example:8443", auth(lease));
            }
            assertThat(status).startsWith("HTTP/1.1 403 aws-sandbox denied unsure.attacker.example:8443: the name resolves only to");
            assertThat(lease.connections()).singleElement().satisfies(c -> assertThat(c.allowed()).isFalse());
        }
        try (EgressProxy sure = EgressProxy.start(settings(elsewhere))) {
            EgressProxy.Lease lease = sure.open(List.of(HostPattern.parse("*.attacker.example:8443")));
            try (Socket s = connectTo(sure)) {
                status = connect(s, "unsure.attacker.example:8443", auth(lease));
            }
            assertThat(status).as("the control").doesNotStartWith("HTTP/1.1 403 ");
            assertThat(lease.connections()).singleElement().satisfies(c -> assertThat(c.allowed()).isTrue());
        }
    }

    /** This test's settings and resolver, a short connect timeout, and {@code routes}. */
    private EgressProxy.Settings settings(EgressProxy.Routes routes) {
        return new EgressProxy.Settings(HEAD_TIMEOUT, Duration.ofMillis(300), 16, 16 * 1024, name -> {
            InetAddress[] a = names.get(name);
            if (a == null) {
                throw new UnknownHostException(name);
            }
            return a;
        }, routes);
    }

    private static Socket connectTo(EgressProxy other) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(loopback(), other.port()), 5000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Which refused hosts a hint may offer to allow: never a metadata service or an address no host has. */
    @Test
    void onlyHostsAPatternMayNameAreWorthSuggesting() throws Exception {
        for (String never : List.of("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "[fd00:ec2::254]", "100.100.100.200",
                "0.0.0.0", "::", "224.0.0.1", "64:ff9b:1::a9fe:a9fe", "::ffff:169.254.169.254", "fe80::1",
                // this host itself (red team, round 18, F2.5)
                "127.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "127.0.0.2", "localhost")) {
            assertThat(EgressProxy.worthSuggesting(never, 80)).as(never).isFalse();
        }
        for (var each : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress own : java.util.Collections.list(each.getInetAddresses())) {
                String literal = java.net.InetAddress.getByAddress(own.getAddress()).getHostAddress(); // without the scope
                assertThat(EgressProxy.worthSuggesting(literal, 8080)).as("this host's " + literal).isFalse();
            }
        }
        for (String fine : List.of("s3.amazonaws.com", "93.184.216.34", "2600:1f18::1", "example.invalid")) {
            assertThat(EgressProxy.worthSuggesting(fine, 443)).as(fine).isTrue();
        }
    }

    /**
     * The MCP server's hint for a refused endpoint may name this host's loopback (a local emulator), never a metadata
     * service or an address no host has (review: it had judged only link-local, unspecified and multicast addresses, and
     * would have offered fd00:ec2::254 or 100.100.100.200).
     */
    @Test
    void noLinkOrMetadataAddressIsEverSuggestedLoopbackMayBe() {
        for (String never : List.of("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "[fd00:ec2::254]", "100.100.100.200",
                "0.0.0.0", "::", "224.0.0.1", "64:ff9b:1::a9fe:a9fe", "::ffff:169.254.169.254", "fe80::1")) {
            assertThat(EgressProxy.linkOrMetadata(never)).as(never).isTrue();
        }
        for (String may : List.of("127.0.0.1", "::1", "[::1]", "localhost", "s3.amazonaws.com", "93.184.216.34")) {
            assertThat(EgressProxy.linkOrMetadata(may)).as(may).isFalse();
        }
    }

    /** Prints "ADDRESS refused" or "ADDRESS allowed" for each argument, as {@link EgressProxy#isLocal} judges it. */
    public static final class IsLocalMain {
        private IsLocalMain() {}

        public static void main(String[] args) {
            for (String a : args) {
                InetAddress address = InetAddress.ofLiteral(a);
                System.out.println(address.getHostAddress() + (EgressProxy.isLocal(address, 443) ? " refused" : " allowed"));
            }
        }
    }

    /** The sixteen bytes of an IPv6 literal, parsed without any lookup. */
    private static byte[] v6(String literal) throws Exception {
        byte[] b = InetAddress.getByName(literal).getAddress();
        if (b.length == 16) {
            return b;
        }
        byte[] mapped = new byte[16]; // the JDK turns ::ffff:a.b.c.d into an IPv4 address: map it back
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(b, 0, mapped, 12, 4);
        return mapped;
    }

    @Test
    void malformedAndOversizedRequestsAreRefused() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("*.amazonaws.com")));
        try (Socket s = connectProxy()) {
            s.getOutputStream().write("GET /relative HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 400 ");
        }
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "s3.amazonaws.com", auth(lease))).as("no port").startsWith("HTTP/1.1 400 ");
        }
        try (Socket s = connectProxy()) {
            assertThat(connect(s, "bad_name.amazonaws.com:443", auth(lease))).startsWith("HTTP/1.1 400 ");
        }
        try (Socket s = connectProxy()) {
            s.getOutputStream().write(("CONNECT s3.amazonaws.com:443 HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 431 ");
        }
    }

    /**
     * 200 tunnels at once, each an echo round trip, while one client stalls before its request
     * and another stops reading its tunnel: every tunnel completes, and the stalled client is cut
     * at the head timeout.
     */
    @Test
    void twoHundredConcurrentTunnelsAndAStalledClient() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        String target = "127.0.0.1:" + echo.getLocalPort();
        try (Socket stalled = connectProxy(); Socket notReading = connectProxy()) {
            stalled.getOutputStream().write("CONNECT 127.0.0.1:".getBytes(StandardCharsets.ISO_8859_1)); // and nothing more
            assertThat(connect(notReading, target, auth(lease))).startsWith("HTTP/1.1 200 ");
            byte[] flood = new byte[1 << 20];
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 64; i++) {
                        notReading.getOutputStream().write(flood); // echoed back, never read: its buffers fill up
                    }
                } catch (IOException e) {
                    // cut at the end of the test
                }
            });

            int n = 200;
            List<Socket> open = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> results = new ArrayList<>();
                java.util.concurrent.CountDownLatch allOpen = new java.util.concurrent.CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    results.add(pool.submit(() -> {
                        Socket s = connectProxy();
                        synchronized (open) {
                            open.add(s);
                        }
                        String status = connect(s, target, auth(lease));
                        allOpen.countDown();
                        allOpen.await(60, TimeUnit.SECONDS); // every tunnel open at once
                        return status.startsWith("HTTP/1.1 200 ") ? roundTrip(s, "tunnel " + id) : status;
                    }));
                }
                for (int i = 0; i < n; i++) {
                    assertThat(results.get(i).get(120, TimeUnit.SECONDS)).isEqualTo("tunnel " + i);
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }

            stalled.setSoTimeout((int) HEAD_TIMEOUT.multipliedBy(10).toMillis());
            long start = System.nanoTime();
            try {
                assertThat(stalled.getInputStream().read()).as("the proxy closes a client that stalls").isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stalled client was never cut", e);
            } catch (IOException e) {
                // reset: cut too
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEAD_TIMEOUT.multipliedBy(10));
        }
        lease.close();
        assertThat(lease.connections()).singleElement().satisfies(c -> assertThat(c.connections()).isEqualTo(201));
    }

    /** A command that asks for ever new names cannot grow the JVM's memory: past 1000 hosts they are counted together. */
    @Test
    void theCountsOfACommandAreBoundedWhateverItAsksFor() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("*.amazonaws.com")));
        int n = EgressProxy.Lease.MAX_HOSTS + 200;
        // Fewer at once than the proxy's connection limit (1024): past it the proxy rightly answers 503,
        // and this test is about the per-command counts, not that limit.
        Semaphore atOnce = new Semaphore(64);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                statuses.add(pool.submit(() -> {
                    atOnce.acquire();
                    try (Socket s = connectProxy()) {
                        return connect(s, "h" + id + ".example.com:443", auth(lease));
                    } finally {
                        atOnce.release();
                    }
                }));
            }
            for (Future<String> status : statuses) {
                assertThat(status.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 403 ");
            }
        }
        List<EgressProxy.Connection> counted = lease.connections();
        assertThat(counted).hasSize(EgressProxy.Lease.MAX_HOSTS + 1);
        assertThat(counted.stream().mapToLong(EgressProxy.Connection::connections).sum()).isEqualTo(n);
        assertThat(counted.getLast().host()).isEqualTo(EgressProxy.Lease.OTHER_HOSTS);
        assertThat(counted.getLast().connections()).isEqualTo(200);
    }

    /**
     * Connections accepted while the proxy closes (the JVM exiting) are closed unserved: no
     * exception escapes a connection's thread (red team, round 15: a RejectedExecutionException's
     * stack trace on the MCP server's stderr at SIGTERM).
     */
    @Test
    void connectionsRacingTheProxysCloseEndQuietly() throws Exception {
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> escaped.add(e));
        try {
            for (int round = 0; round < 30; round++) {
                EgressProxy racing = EgressProxy.start(new EgressProxy.Settings(HEAD_TIMEOUT, Duration.ofSeconds(5), 64,
                        16 * 1024, InetAddress::getAllByName));
                List<Socket> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 20; i++) {
                        clients.add(new Socket(loopback(), racing.port()));
                    }
                } finally {
                    racing.close();
                }
                for (Socket client : clients) {
                    client.close();
                }
            }
            Thread.sleep(200); // the last connections' threads end
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertThat(escaped).isEmpty();
    }

    @Test
    void pastItsConnectionLimitTheProxyAnswers503() throws Exception {
        try (EgressProxy small = EgressProxy.start(new EgressProxy.Settings(HEAD_TIMEOUT, Duration.ofSeconds(5), 1,
                16 * 1024, InetAddress::getAllByName))) {
            EgressProxy.Lease lease = small.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
            String connect = "CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n" + auth(lease) + "\r\n";
            try (Socket first = new Socket(loopback(), small.port())) {
                first.getOutputStream().write(connect.getBytes(StandardCharsets.ISO_8859_1));
                first.setSoTimeout(10_000);
                assertThat(readHead(first.getInputStream())).as("the tunnel holds the only slot").startsWith("HTTP/1.1 200 ");
                try (Socket second = new Socket(loopback(), small.port())) { // after the first's head: it would make room else
                    second.getOutputStream().write(connect.getBytes(StandardCharsets.ISO_8859_1));
                    second.setSoTimeout(10_000);
                    assertThat(readHead(second.getInputStream())).startsWith("HTTP/1.1 503 ");
                }
            }
        }
    }

    /**
     * Outside test RT18, F1: connections that never sent a head (any local process can open them) counted against the
     * limit, and 1,024 of them, reopened as they timed out, shut every command of that JVM out with 503. They now wait in
     * a pool of their own whose oldest is closed when another comes. Control: with the pool full of idle connections, a
     * command's request is still served, and the oldest idle connection was closed for it.
     */
    @Test
    void connectionsWithoutATokenCannotShutCommandsOut() throws Exception {
        // a head timeout far longer than the test: only making room can close an idle connection here (review R4)
        try (EgressProxy small = EgressProxy.start(new EgressProxy.Settings(Duration.ofSeconds(120), Duration.ofSeconds(5), 4,
                16 * 1024, InetAddress::getAllByName))) {
            EgressProxy.Lease lease = small.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
            List<Socket> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket(loopback(), small.port()); // one listener: accepted in this order
                    s.getOutputStream().write("CON".getBytes(StandardCharsets.ISO_8859_1)); // a head begun, never ended
                    idle.add(s);
                }
                try (Socket command = new Socket(loopback(), small.port())) {
                    command.getOutputStream().write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n"
                            + auth(lease) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    command.setSoTimeout(10_000);
                    assertThat(readHead(command.getInputStream())).as("the command's request").startsWith("HTTP/1.1 200 ");
                }
                idle.getFirst().setSoTimeout(10_000);
                assertThat(closedByPeer(idle.getFirst())).as("the oldest idle connection was closed").isTrue();
                idle.getLast().setSoTimeout(500);
                assertThatThrownBy(() -> idle.getLast().getInputStream().read()).as("the newest idle one waits on")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    /**
     * Whether the peer closed {@code socket}: the end of the stream, or a reset (a close with bytes the peer had not read
     * yet: a connection closed before its head was read sends a reset, one closed after, a FIN).
     */
    private static boolean closedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return String.valueOf(e.getMessage()).contains("reset");
        }
    }

    @Test
    void theUnixSocketServesTheSameProtocol() throws Exception {
        EgressProxy.Lease lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + echo.getLocalPort())));
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(proxy.socket()))) {
            OutputStream out = java.nio.channels.Channels.newOutputStream(channel);
            out.write(("CONNECT 127.0.0.1:" + echo.getLocalPort() + " HTTP/1.1\r\n" + auth(lease) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = java.nio.channels.Channels.newInputStream(channel);
            assertThat(readHead(in)).startsWith("HTTP/1.1 200 ");
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(proxy.socket().getParent()))
                .as("only this user can reach the socket")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
}
