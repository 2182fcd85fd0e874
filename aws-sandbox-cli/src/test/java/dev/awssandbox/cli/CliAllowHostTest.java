package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --allow-host}, in-process: a bad pattern or a contradiction is a usage error that says what
 * to write; with {@code --verbose} every connection through the egress proxy is listed; a refused
 * host comes back as the option that would allow it. Local servers on 127.0.0.1 only.
 */
class CliAllowHostTest {
    private TestHost host;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;
    private ServerSocket http;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        host = new TestHost();
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        http = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        Thread.ofVirtual().start(() -> {
            while (!http.isClosed()) {
                try (Socket s = http.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    served.incrementAndGet();
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        http.close();
        host.close();
    }

    private int run(String... args) {
        CliContext ctx = new CliContext(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), host.environment());
        return AwsSandboxCli.execute(ctx, args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadPatternIsAUsageErrorThatSaysWhatToWrite() {
        assertThat(run("run", "--allow-host", "s3.*.amazonaws.com", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("aws-sandbox: error: --allow-host: invalid host pattern 's3.*.amazonaws.com': a wildcard"
                + " may only be the whole first label").contains("*.amazonaws.com").contains("127.0.0.1");
    }

    @Test
    void allowHostAndNoNetworkContradictEachOther() {
        assertThat(run("run", "--no-network", "--allow-host", "*.amazonaws.com", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--allow-host cannot be combined with --no-network");
    }

    /**
     * The host of a CONNECT line is the command's own text: bytes 0x9b and 0x9d (CSI and OSC once
     * decoded) reached the terminal in the CLI's network line (red team, round 20, F5).
     */
    @Test
    void aConnectionsHostIsPrintedWithItsControlCharactersEscaped() {
        Requirements.requireLandlock();
        Requirements.requireProgram("python3");
        String script = """
                import os, socket, base64, urllib.parse
                u = urllib.parse.urlparse(os.environ['HTTPS_PROXY'])
                auth = base64.b64encode(f"{u.username}:{u.password}".encode())
                s = socket.create_connection((u.hostname, u.port))
                t = b"ev\\x9b2K\\x9d0;title\\x9cil.example:443"
                s.sendall(b"CONNECT " + t + b" HTTP/1.1\\r\\nHost: " + t + b"\\r\\nProxy-Authorization: Basic " + auth + b"\\r\\n\\r\\n")
                print(s.recv(200)[:12])
                """;

        run("--verbose", "run", "--allow-host", "127.0.0.1:" + http.getLocalPort(), "--", "python3", "-c", script);

        assertThat(out.toString(StandardCharsets.UTF_8)).as("the proxy answered").startsWith("b'HTTP/1.1 4");
        assertThat(err()).contains("aws-sandbox: network: denied ev\\u009b2k\\u009d0;title\\u009cil.example:443")
                .doesNotContain("\u009b").doesNotContain("\u009d").doesNotContain("\u009c");
    }

    @Test
    void verboseListsEachConnectionAndARefusalNamesTheOptionThatAllowsIt() {
        Requirements.requireLandlock();
        Requirements.requireProgram("curl");
        String url = "http://127.0.0.1:" + http.getLocalPort() + "/";

        assertThat(run("--verbose", "run", "--allow-host", "127.0.0.1:" + http.getLocalPort(), "--", "curl", "-sS", url))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(err()).contains("aws-sandbox: network: allowed 127.0.0.1:" + http.getLocalPort() + " (1 connection, ");
        assertThat(served.get()).isEqualTo(1);

        err.reset();
        assertThat(run("run", "--allow-host", "*.amazonaws.com", "--", "curl", "-fsS", url)).isNotZero();
        // this host's own address is never suggested (127.0.0.1:2375 is Docker's API: red team, round 18)
        assertThat(err()).doesNotContain("hint: curl was refused a connection to 127.0.0.1").doesNotContain("--allow-host 127.0.0.1");
        assertThat(served.get()).as("the refused request never arrived").isEqualTo(1);

        err.reset();
        assertThat(run("run", "--allow-host", "*.amazonaws.com", "--", "curl", "-fsS", "http://example.invalid/")).isNotZero();
        assertThat(err()).contains("aws-sandbox: hint: curl was refused a connection to example.invalid port 80: it is not"
                + " an allowed host; allow it with --allow-host example.invalid:80");
    }

    /**
     * Outside test WF31, F7: {@code --allow-host 127.0.0.1} allows port 443 only, and a request to another port of it had
     * been refused with a bare 403 ({@code --verbose}: "not an allowed host"). The refusal says the port is what is not
     * allowed, and how to name it. Control: with the port named, the request arrives.
     */
    @Test
    void aHostAllowedOnAnotherPortIsSaidToNeedItsPort() {
        Requirements.requireLandlock();
        Requirements.requireProgram("curl");
        String at = "127.0.0.1:" + http.getLocalPort();
        assertThat(run("--verbose", "run", "--allow-host", "127.0.0.1", "--", "curl", "-fsS", "http://" + at + "/")).isNotZero();
        assertThat(err()).contains("aws-sandbox: network: denied " + at + " (1 connection, not an allowed port of this host)")
                .contains("aws-sandbox: hint: " + at + " was refused: an --allow-host pattern names this host, but not port "
                        + http.getLocalPort() + " (a pattern without a port allows 443 only); to allow it, name the port:"
                        + " --allow-host " + at);
        assertThat(served.get()).as("the refused request never arrived").isZero();
        assertThat(run("run", "--allow-host", at, "--", "curl", "-fsS", "http://" + at + "/")).isZero();
        assertThat(served.get()).as("control").isEqualTo(1);
        // policy names the allowed hosts, and what a host without a port allows (F8)
        out.reset();
        assertThat(run("policy", "--allow-host", "127.0.0.1", "--allow-host", at, "--", "true")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("network: +hosts\\S* \\(through aws-sandbox's"
                + " egress proxy only, to 127\\.0\\.0\\.1, 127\\.0\\.0\\.1:" + http.getLocalPort() + "; a host without a"
                + " port: port 443\\)");
    }

    /**
     * Outside test WF29, F28: an allowed host that nothing answers at, or whose name does not resolve, gave the command's
     * "Failed to connect to proxy URL" or 502 alone, with no line of aws-sandbox's (only --verbose said why). A hint says
     * so. Control: a reachable allowed host gets no such hint.
     */
    @Test
    void anAllowedHostThatCannotBeReachedIsSaidWithoutVerbose() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("curl");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            closed = s.getLocalPort(); // free once closed: nothing listens there
        }
        assertThat(run("run", "--allow-host", "127.0.0.1:" + closed, "--", "curl", "-fsS", "http://127.0.0.1:" + closed + "/"))
                .isNotZero();
        assertThat(err()).contains("aws-sandbox: hint: 127.0.0.1:" + closed + " is allowed, but nothing answered there");

        // (a name that does not resolve is not tried here: its look-up would leave this host for a name server)
        err.reset();
        String url = "http://127.0.0.1:" + http.getLocalPort() + "/";
        assertThat(run("run", "--allow-host", "127.0.0.1:" + http.getLocalPort(), "--", "curl", "-fsS", url)).isZero();
        assertThat(err()).as("control").doesNotContain("hint:");
    }

    /**
     * Outside test WF29, F29: behind a proxy of the user's, --allow-host's own proxy connected directly, and the command
     * failed with "Failed to connect to proxy URL" and no word of why. It is said before the command runs (the password
     * in the proxy's URL left out). Control: without --allow-host, nothing is said.
     */
    @Test
    void aProxyOfTheUsersIsSaidNotToBeUsedWithAllowHost() {
        Requirements.requireLandlock();
        host.set("HTTPS_PROXY", "http://user:pa55word@proxy.example:3128");
        assertThat(run("run", "--", "true")).isZero();
        assertThat(err()).as("control").doesNotContain("HTTPS_PROXY");
        assertThat(run("run", "--allow-host", "*.amazonaws.com", "--", "true")).isZero();
        assertThat(err()).contains("aws-sandbox: warning: HTTPS_PROXY=http://***@proxy.example:3128 is set here, but with"
                + " --allow-host the command's connections go through aws-sandbox's proxy").doesNotContain("pa55word");
    }
}
