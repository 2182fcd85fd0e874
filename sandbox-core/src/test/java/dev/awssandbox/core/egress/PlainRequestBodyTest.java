package dev.awssandbox.core.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain request's body through the egress proxy, over real sockets on 127.0.0.1: the proxy
 * forwards exactly the body its framing delimits ({@code Content-Length}, chunked, none) and
 * nothing after it. The server here reads everything it is sent until the proxy's side ends,
 * ignoring {@code Connection: close}, as a server that would read what follows the body as a
 * further request does; what it received is compared byte for byte.
 *
 * <p>Before the proxy delimited bodies, the smuggled request after each body reached this server
 * (request smuggling past the allow-list: its {@code Host} was never judged).
 */
class PlainRequestBodyTest {
    private static final String SMUGGLED = "GET / HTTP/1.1\r\nHost: other.example\r\n\r\n";
    private static final String MALFORMED = "HTTP/1.1 400 aws-sandbox proxy: malformed chunked body: ";

    private EgressProxy proxy;
    private ServerSocket server;
    private EgressProxy.Lease lease;
    /** Each connection's bytes as the server received them, once the proxy's side of it ended. */
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        proxy = EgressProxy.start(new EgressProxy.Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 64, 16 * 1024,
                name -> {
                    throw new UnknownHostException(name); // addresses only: no name leaves the machine
                }));
        server = new ServerSocket(0, 50, loopback());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> record(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + server.getLocalPort())));
    }

    /** Everything until the proxy's side ends, then an answer (which may find the proxy gone). */
    private void record(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(all);
            } catch (SocketException e) {
                // reset: what came before it counts
            }
            received.add(all.toByteArray());
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // the proxy has gone
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        lease.close();
        proxy.close();
        server.close();
    }

    private static InetAddress loopback() throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    }

    private String target() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** The head as the client sends it to the proxy, with {@code headers} (each ending in CRLF). */
    private String clientHead(String method, String headers) {
        return method + " http://" + target() + "/bucket/key HTTP/1.1\r\nHost: " + target() + "\r\n"
                + "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
                        (EgressProxy.USER + ":" + lease.token()).getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + headers + "\r\n";
    }

    /** The same head as the server must receive it: origin form, no credentials, Connection: close. */
    private String serverHead(String method, String headers) {
        return method + " /bucket/key HTTP/1.1\r\nHost: " + target() + "\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private Socket connectProxy() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(loopback(), proxy.port()), 5000);
        s.setSoTimeout(20_000); // no answer within it fails the test instead of hanging it
        return s;
    }

    /** Everything the proxy sends until it closes (a reset ends it too). */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                all.write(b, 0, n);
            }
        } catch (SocketException e) {
            // reset: what came before it counts
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code request}, ends the client's side, and returns the proxy's answer. */
    private String exchange(byte[] request) throws IOException {
        try (Socket s = connectProxy()) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.shutdownOutput();
            return readToEnd(s.getInputStream());
        }
    }

    private String exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** What the server received on its next connection. */
    private String nextReceived() throws InterruptedException {
        byte[] bytes = received.poll(20, TimeUnit.SECONDS);
        assertThat(bytes).as("the server's connection ended").isNotNull();
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestAfterAContentLengthBodyNeverReachesTheServer() throws Exception {
        exchange(clientHead("POST", "Content-Length: 5\r\n") + "hello" + SMUGGLED);
        assertThat(nextReceived()).isEqualTo(serverHead("POST", "Content-Length: 5\r\n") + "hello");

        // the same when it comes in a later packet, after the body has been forwarded
        try (Socket s = connectProxy()) {
            s.getOutputStream().write((clientHead("POST", "Content-Length: 5\r\n") + "hello")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            Thread.sleep(200);
            s.getOutputStream().write(SMUGGLED.getBytes(StandardCharsets.ISO_8859_1));
            readToEnd(s.getInputStream()); // the proxy ends the connection without the client ending its side
        }
        assertThat(nextReceived()).isEqualTo(serverHead("POST", "Content-Length: 5\r\n") + "hello");
    }

    @Test
    void aRequestAfterAChunkedBodyNeverReachesTheServer() throws Exception {
        // extensions (a token value, a quoted one with an escaped quote, none) and two trailer fields
        String body = "5;name=value;q=\"a \\\"b\\\" c\"\r\nhello\r\n"
                + "6;x\r\n world\r\n"
                + "A\r\n0123456789\r\n"
                + "0\r\nX-Amz-Checksum-Crc32: AAAAAA==\r\nX-Other: 1\r\n\r\n";
        exchange(clientHead("PUT", "Transfer-Encoding: chunked\r\n") + body + SMUGGLED);
        assertThat(nextReceived()).isEqualTo(serverHead("PUT", "Transfer-Encoding: chunked\r\n") + body);
    }

    @Test
    void aRequestAfterARequestWithoutABodyNeverReachesTheServer() throws Exception {
        exchange(clientHead("GET", "") + SMUGGLED);
        assertThat(nextReceived()).isEqualTo(serverHead("GET", ""));

        // a body the head does not announce is no body: a GET's "Content-Length: 0" neither
        exchange(clientHead("GET", "Content-Length: 0\r\n") + SMUGGLED);
        assertThat(nextReceived()).isEqualTo(serverHead("GET", "Content-Length: 0\r\n"));
    }

    @Test
    void aCompleteRequestIsAnsweredAsBefore() throws Exception {
        String answer = exchange(clientHead("POST", "Content-Length: 5\r\n") + "hello");
        assertThat(nextReceived()).isEqualTo(serverHead("POST", "Content-Length: 5\r\n") + "hello");
        assertThat(answer).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(lease.connections()).singleElement().satisfies(c -> {
            assertThat(c.bytesSent()).isEqualTo(serverHead("POST", "Content-Length: 5\r\n").length() + 5);
            assertThat(c.bytesReceived()).isEqualTo(answer.length());
        });
    }

    /**
     * Each malformed chunked body gets 400, and the server gets the head and the body up to the
     * malformed line or the bytes where a CRLF was due, not one byte of them.
     */
    @Test
    void malformedChunkedFramingGets400AndNothingOfTheMalformedPartIsForwarded() throws Exception {
        record Case(String why, String body, String forwarded, String message) {}
        List<Case> cases = List.of(
                new Case("a size that is not hex", "5x\r\nhello\r\n0\r\n\r\n", "", "a chunk size followed by 'x'"),
                new Case("a size that is no number", "g\r\nhello\r\n0\r\n\r\n", "", "does not start with a hex digit"),
                new Case("0x before the size", "0x5\r\nhello\r\n0\r\n\r\n", "", "a chunk size followed by 'x'"),
                new Case("a signed size", "+5\r\nhello\r\n0\r\n\r\n", "", "does not start with a hex digit"),
                new Case("whitespace before the size", " 5\r\nhello\r\n0\r\n\r\n", "", "does not start with a hex digit"),
                new Case("whitespace before an extension", "5 ;a=b\r\nhello\r\n0\r\n\r\n", "", "a chunk size followed by ' '"),
                new Case("an extension without a name", "5;=b\r\nhello\r\n0\r\n\r\n", "", "a chunk extension's name is not a token"),
                new Case("an unclosed quoted extension", "5;a=\"b\r\nhello\r\n0\r\n\r\n", "", "quoted value is not closed"),
                new Case("a size overflowing a long", "8000000000000000\r\nhello\r\n0\r\n\r\n", "", "a chunk size too large"),
                new Case("a size of 2^64 + 5", "10000000000000005\r\nhello\r\n0\r\n\r\n", "", "a chunk size too large"),
                new Case("a size line ending in a bare LF", "5\nhello\r\n0\r\n\r\n", "", "a bare LF"),
                new Case("a bare CR in a size line", "5\r;a\r\nhello\r\n0\r\n\r\n", "", "a CR that does not end a line"),
                new Case("NUL in a size line", "5\0\r\nhello\r\n0\r\n\r\n", "", "a control character (NUL)"),
                new Case("a size line too long", "5;a=" + "b".repeat(RequestBody.MAX_LINE) + "\r\nhello\r\n0\r\n\r\n", "",
                        "a line longer than " + RequestBody.MAX_LINE + " bytes"),
                new Case("data not followed by CRLF", "5\r\nhelloXX0\r\n\r\n", "5\r\nhello", "chunk data not followed by CRLF"),
                new Case("data followed by a bare LF", "5\r\nhello\n0\r\n\r\n", "5\r\nhello", "chunk data not followed by CRLF"),
                new Case("a second chunk's bad size", "5\r\nhello\r\nz\r\n", "5\r\nhello\r\n", "does not start with a hex digit"),
                new Case("a trailer line ending in a bare LF", "5\r\nhello\r\n0\r\nX-A: 1\n\r\n", "5\r\nhello\r\n0\r\n",
                        "a bare LF"),
                new Case("a folded trailer line", "0\r\nX-A: 1\r\n 2\r\n\r\n", "0\r\nX-A: 1\r\n", "obs-fold"),
                new Case("a trailer without a colon", "0\r\nX-A 1\r\n\r\n", "0\r\n", "without a field name and colon"),
                new Case("a Host trailer", "0\r\nHost: other.example\r\n\r\n", "0\r\n", "a host trailer field"),
                new Case("a Content-Length trailer", "0\r\nContent-Length: 5\r\n\r\n", "0\r\n", "a content-length trailer field"));
        String clientHead = clientHead("POST", "Transfer-Encoding: chunked\r\n");
        String serverHead = serverHead("POST", "Transfer-Encoding: chunked\r\n");
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            for (Case c : cases) {
                try {
                    soft.assertThat(exchange(clientHead + c.body() + SMUGGLED)).as(c.why())
                            .startsWith(MALFORMED).contains(c.message());
                    soft.assertThat(nextReceived()).as(c.why()).isEqualTo(serverHead + c.forwarded());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    @Test
    void chunkSizesAreHexDigitsThatFitALong() {
        assertThat(sizeOf("0")).isZero();
        assertThat(sizeOf("aF")).isEqualTo(0xaf);
        assertThat(sizeOf("00000000000000000000000005")).as("leading zeros").isEqualTo(5);
        assertThat(sizeOf("7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
        assertThat(sizeOf("5;a;b=c;d=\"e;f\"")).isEqualTo(5);
        for (String bad : List.of("", "8000000000000000", "ffffffffffffffff", "1_0", "-1", "5;", "5;a=", "5;a=b c", "5=a",
                "\uff15" /* a fullwidth 5 */, "5;a=\"b\\\"")) {
            assertThatThrownBy(() -> RequestBody.chunkSize(bad)).as(bad).isInstanceOf(RequestBody.Bad.class);
        }
    }

    private static long sizeOf(String line) {
        try {
            return RequestBody.chunkSize(line);
        } catch (RequestBody.Bad e) {
            throw new AssertionError(line + ": " + e.getMessage(), e);
        }
    }

    /** 8 MiB each way, to a server that reads it all: byte for byte, with Content-Length and chunked. */
    @Test
    void largeBodiesArriveIntact() throws Exception {
        byte[] data = new byte[8 << 20];
        Random random = new Random(42);
        random.nextBytes(data);

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(clientHead("PUT", "Content-Length: " + data.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.write(data);
        assertThat(exchange(request.toByteArray())).startsWith("HTTP/1.1 200 OK");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(serverHead("PUT", "Content-Length: " + data.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        expected.write(data);
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(expected.toByteArray());

        // chunks of 1 byte to 200 KiB, some with an extension; chunk lines split across the proxy's reads
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; ) {
            int n = Math.min(data.length - at, at == 0 ? 1 : 1 + random.nextInt(200 * 1024));
            chunked.write((Integer.toHexString(n) + (random.nextBoolean() ? ";sig=" + at : "") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            chunked.write(data, at, n);
            chunked.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            at += n;
        }
        chunked.write("0\r\nX-Sum: 1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        request.reset();
        request.write(clientHead("PUT", "Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.write(chunked.toByteArray());
        assertThat(exchange(request.toByteArray())).startsWith("HTTP/1.1 200 OK");
        expected.reset();
        expected.write(serverHead("PUT", "Transfer-Encoding: chunked\r\n").getBytes(StandardCharsets.ISO_8859_1));
        expected.write(chunked.toByteArray());
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(expected.toByteArray());
    }

    /**
     * A server that answers as soon as it has the head ({@code answer}), then reads everything
     * until the proxy's side ends, ignoring {@code Connection: close}; what it read after the head
     * goes to {@link #received}. Returns its port.
     */
    private int answeringServer(ServerSocket socket, String answer, int bodyBytes, String after) {
        Thread.ofVirtual().start(() -> {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(30_000);
                EgressProxyTest.readHead(s.getInputStream());
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                byte[] body = s.getInputStream().readNBytes(bodyBytes);
                s.getOutputStream().write(after.getBytes(StandardCharsets.ISO_8859_1));
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                rest.write(body);
                try {
                    s.getInputStream().transferTo(rest);
                } catch (SocketException e) {
                    // reset: what came before it counts
                }
                received.add(rest.toByteArray());
            } catch (IOException e) {
                received.add(new byte[0]);
            }
        });
        return socket.getLocalPort();
    }

    /**
     * {@code Expect: 100-continue} (botocore sends it with an S3 PUT, curl with a large upload): the
     * interim response reaches the client while the proxy waits for the body; the body follows, and
     * the final response. The client then reuses the connection, as a pooled client does when the
     * server ignored {@code Connection: close}: its next request ends the connection, unforwarded.
     */
    @Test
    void anInterimResponseComesBeforeTheBodyAndAReusedConnectionEnds() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, loopback())) {
            int port = answeringServer(socket, "HTTP/1.1 100 Continue\r\n\r\n", 5,
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            lease.close();
            lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + port)));
            String authority = "127.0.0.1:" + port;
            try (Socket s = connectProxy()) {
                s.getOutputStream().write(clientHead("PUT", "Content-Length: 5\r\nExpect: 100-continue\r\n")
                        .replace(target(), authority).getBytes(StandardCharsets.ISO_8859_1));
                assertThat(EgressProxyTest.readHead(s.getInputStream())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
                s.getOutputStream().write("hello".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(EgressProxyTest.readHead(s.getInputStream())).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(new String(s.getInputStream().readNBytes(2), StandardCharsets.ISO_8859_1)).isEqualTo("ok");

                s.getOutputStream().write(SMUGGLED.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readToEnd(s.getInputStream())).as("the proxy ended the connection").isEmpty();
            }
            assertThat(nextReceived()).as("after the head, the server read the body and nothing more").isEqualTo("hello");
        }
    }

    /** A server that answered before the body was malformed: its answer stands, no 400 follows it, the connection ends. */
    @Test
    void aMalformedBodyAfterTheResponseBeganEndsTheConnectionWithout400() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 50, loopback())) {
            String early = "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n";
            int port = answeringServer(socket, early, 0, "");
            lease.close();
            lease = proxy.open(List.of(HostPattern.parse("127.0.0.1:" + port)));
            String authority = "127.0.0.1:" + port;
            try (Socket s = connectProxy()) {
                s.getOutputStream().write(clientHead("PUT", "Transfer-Encoding: chunked\r\n")
                        .replace(target(), authority).getBytes(StandardCharsets.ISO_8859_1));
                assertThat(EgressProxyTest.readHead(s.getInputStream())).isEqualTo(early);
                s.getOutputStream().write("5\r\nhello\r\nzz\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readToEnd(s.getInputStream())).isEmpty();
            }
            assertThat(nextReceived()).isEqualTo("5\r\nhello\r\n");
        }
    }

    /** A client that ends its side before its body ends: the server's connection ends too, and the client's. */
    @Test
    void aBodyTheClientEndsEarlyEndsTheServersConnection() throws Exception {
        long start = System.nanoTime();
        assertThat(exchange(clientHead("POST", "Content-Length: 100\r\n") + "0123456789")).isEmpty();
        assertThat(nextReceived()).isEqualTo(serverHead("POST", "Content-Length: 100\r\n") + "0123456789");

        assertThat(exchange(clientHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhel")).isEmpty();
        assertThat(nextReceived()).isEqualTo(serverHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhel");

        assertThat(exchange(clientHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r")).isEmpty();
        assertThat(nextReceived()).as("no CRLF after the data, yet no malformed one either")
                .isEqualTo(serverHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhello");

        assertThat(exchange(clientHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n")).isEmpty();
        assertThat(nextReceived()).as("a trailer section that does not end")
                .isEqualTo(serverHead("POST", "Transfer-Encoding: chunked\r\n") + "5\r\nhello\r\n0\r\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no timeout was waited for").isLessThan(Duration.ofSeconds(10));
    }
}
