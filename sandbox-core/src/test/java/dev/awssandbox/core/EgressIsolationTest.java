package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.HelloServer;
import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Network mode hosts on every backend, against local servers only (127.0.0.1): the real AWS CLI
 * reaches a real moto_server through the egress proxy when its address is allowed and gets the
 * proxy's refusal when it is not; a command that ignores the proxy variables reaches nothing
 * directly, allowed host or not; UDP (a DNS query) is refused. Each refusal has its control: the
 * same attempt unsandboxed, or with the host allowed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class EgressIsolationTest {
    /** The host's python3 past its pyenv shim ({@link Requirements#hostProgram}): a probe, not the shim's chain under test. */
    private static final String PYTHON = Requirements.hostProgram("python3");

    @AutoClose
    private static MotoServer moto;

    @Parameter
    BackendKind backend;

    private TestHost host;
    private HelloServer listener;

    @BeforeAll
    static void startMoto() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        moto = MotoServer.start();
    }

    @BeforeEach
    void setUp(TestHost host, HelloServer listener) {
        Requirements.requireLandlockAbi(backend, 4, "TCP rules need Landlock ABI 4");
        this.host = host.withMotoCredentials();
        this.listener = listener;
    }

    private Sandboxes allowing(String... patterns) {
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).allowHosts(patterns).build();
        return Sandboxes.of(host.environment(), policy, backend);
    }

    private static String[] aws(String... args) {
        List<String> argv = new ArrayList<>(List.of("aws", "--endpoint-url", moto.endpoint(), "--cli-read-timeout", "20",
                "--cli-connect-timeout", "10"));
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    private EnforcementReport.Network expectedNetwork() {
        return backend == BackendKind.LANDLOCK ? EnforcementReport.Network.HOSTS_BY_PORT : EnforcementReport.Network.HOSTS;
    }

    @Test
    void theAwsCliReachesAnAllowedHostThroughTheProxyAndIsCounted() {
        Sandboxes sandboxes = allowing("127.0.0.1:" + moto.port());

        ExecResult mb = sandboxes.inside(aws("s3", "mb", "s3://egress-" + backend.label()));

        assertThat(mb.isSuccess()).as(mb.stderr().text()).isTrue();
        assertThat(mb.enforcement().network()).isEqualTo(expectedNetwork());
        assertThat(mb.connections()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.stage()).isZero();
            assertThat(c.host()).isEqualTo("127.0.0.1");
            assertThat(c.port()).isEqualTo(moto.port());
            assertThat(c.allowed()).isTrue();
            assertThat(c.count()).isPositive();
            assertThat(c.bytesSent()).isPositive();
            assertThat(c.bytesReceived()).isPositive();
        });
        ExecResult ls = sandboxes.inside(aws("s3", "ls"));
        assertThat(ls.stdout().text()).contains("egress-" + backend.label());
    }

    /**
     * HTTPS, as the AWS CLI talks to AWS: through a CONNECT tunnel (moto_server with TLS here, its
     * certificate not verified), end to end through the proxy; refused, the CLI cannot say why, the
     * result's denial does.
     */
    @Test
    void theAwsCliTunnelsHttpsThroughTheProxy() throws Exception {
        try (MotoServer tls = MotoServer.startTls()) {
            String[] ls = {"aws", "--no-verify-ssl", "--endpoint-url", tls.endpoint(), "--cli-read-timeout", "20", "s3", "ls"};
            String[] mb = {"aws", "--no-verify-ssl", "--endpoint-url", tls.endpoint(), "s3", "mb", "s3://tunnelled"};

            ExecResult made = allowing("127.0.0.1:" + tls.port()).inside(mb);
            assertThat(made.isSuccess()).as(made.stderr().text()).isTrue();
            assertThat(made.connections()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.allowed()).isTrue();
                assertThat(c.hostAndPort()).isEqualTo("127.0.0.1:" + tls.port());
                assertThat(c.bytesReceived()).as("a TLS handshake and a response").isGreaterThan(1000);
            });

            int other = tls.port() == 65535 ? 1 : tls.port() + 1;
            ExecResult denied = allowing("127.0.0.1:" + other).inside(ls);
            assertThat(denied.isSuccess()).isFalse();
            // the CLI says only "Failed to connect to proxy URL" (the password masked): the proxy's record says which
            // host; this host's own address is no denial to lift (red team, round 18, F2.5)
            assertThat(denied.stderr().text()).contains("Failed to connect to proxy URL").contains("***");
            assertThat(denied.connections()).anySatisfy(c -> assertThat(c.hostAndPort()).isEqualTo("127.0.0.1:" + tls.port()));
            assertThat(denied.denials()).noneMatch(d -> d instanceof ExecResult.Denial.HostNotAllowed);
        }
    }

    /**
     * A refused connection to the instance metadata service is stated as a fact of the proxy's but
     * never as a denial that a pattern would lift: the CLI's hint said "allow it with --allow-host
     * 169.254.169.254:80" (red team, round 17), nor is one to this host's loopback ("--allow-host
     * 127.0.0.1:2375" is Docker's API: red team, round 18). The control: a refused name is a denial.
     */
    @Test
    void aRefusedMetadataServiceIsNoDenialToLift() {
        int other = moto.port() == 65535 ? 1 : moto.port() + 1;
        String fetch = "import urllib.request, sys\nfor url in sys.argv[1:]:\n    try: urllib.request.urlopen(url, timeout=10)\n"
                + "    except Exception as e: print(e)\nsys.exit(1)";
        ExecResult refused = allowing("127.0.0.1:" + other).inside(PYTHON, "-c", fetch,
                "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:" + moto.port() + "/", "http://example.invalid/");
        assertThat(refused.connections()).extracting(ExecResult.Connection::hostAndPort)
                .contains("169.254.169.254:80", "127.0.0.1:" + moto.port(), "example.invalid:80");
        assertThat(refused.denials()).contains(new ExecResult.Denial.HostNotAllowed(0, "example.invalid", 80))
                .noneMatch(d -> d instanceof ExecResult.Denial.HostNotAllowed h && !h.host().equals("example.invalid"));
    }

    @Test
    void theAwsCliGetsTheProxysRefusalForAHostThatIsNotAllowed() {
        int other = moto.port() == 65535 ? 1 : moto.port() + 1;
        Sandboxes sandboxes = allowing("127.0.0.1:" + other, "*.amazonaws.com");

        ExecResult denied = sandboxes.inside(aws("s3", "ls"));

        assertThat(denied.isSuccess()).isFalse();
        assertThat(denied.stderr().text()).contains("403");
        assertThat(denied.connections()).singleElement().satisfies(c -> {
            assertThat(c.allowed()).isFalse();
            assertThat(c.hostAndPort()).isEqualTo("127.0.0.1:" + moto.port());
            assertThat(c.reason()).isEqualTo("not an allowed port of this host"); // 127.0.0.1 is allowed on another
            assertThat(c.notAllowed()).isTrue();
        });
        assertThat(denied.denials()).as("this host's own address is no denial to lift")
                .noneMatch(d -> d instanceof ExecResult.Denial.HostNotAllowed);

        // control: the same command, with moto's address allowed
        ExecResult control = allowing("127.0.0.1:" + moto.port()).inside(aws("s3", "ls"));
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
    }

    /**
     * bash's {@code /dev/tcp} is a plain connect(2) that knows nothing of proxies. Under Landlock the
     * port rule refuses it (EACCES), while the proxy's own port is reachable: the TCP socket itself is
     * allowed, the port is what decides. Under bubblewrap nothing listens in the command's own
     * network namespace but the forwarder to the proxy.
     */
    @Test
    void aCommandThatIgnoresTheProxyReachesNothingDirectly() {
        Sandboxes sandboxes = allowing("127.0.0.1:" + moto.port(), "127.0.0.1:" + listener.port());
        String refused = backend == BackendKind.LANDLOCK ? "Permission denied" : "Connection refused";

        for (int port : new int[] {listener.port(), moto.port()}) {
            ExecResult direct = sandboxes.inside("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected");
            assertThat(direct.stdout().text()).doesNotContain("connected");
            assertThat(direct.stderr().text()).contains(refused);
        }
        assertThat(listener.accepted()).isZero();

        // controls: unsandboxed the same connection is made; inside, the proxy's port is reachable
        ExecResult outside = sandboxes.outside("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + listener.port()
                + " && head -1 <&3");
        assertThat(outside.stdout().text()).isEqualTo("hello\n");
        ExecResult proxy = sandboxes.inside("bash", "-c", "p=${HTTPS_PROXY##*:}; exec 3<>/dev/tcp/127.0.0.1/$p"
                + " && echo connected");
        assertThat(proxy.stdout().text()).as(proxy.stderr().text()).isEqualTo("connected\n");
    }

    /**
     * A DNS query over UDP to a resolver on 127.0.0.1 (the test's own socket): the seccomp filter
     * refuses the datagram socket itself (PermissionError at socket()), on both backends.
     */
    @Test
    void udpAndDnsAreRefused() throws Exception {
        Requirements.requireProgram("python3");
        try (DatagramSocket resolver = new DatagramSocket(0, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            resolver.setSoTimeout(2000);
            String query = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);"
                    + " s.sendto(bytes.fromhex('12340100000100000000000007616d617a6f6e61777303636f6d0000010001'),"
                    + " ('127.0.0.1', " + resolver.getLocalPort() + ")); print('sent')";
            Sandboxes sandboxes = allowing("*.amazonaws.com");

            ExecResult denied = sandboxes.inside(PYTHON, "-c", query);
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stderr().text()).contains("PermissionError");
            assertThat(received(resolver)).as("the resolver got nothing").isFalse();

            ExecResult control = sandboxes.outside(PYTHON, "-c", query);
            assertThat(control.stdout().text()).isEqualTo("sent\n");
            assertThat(received(resolver)).as("unsandboxed, the query arrives").isTrue();
        }
    }

    private static boolean received(DatagramSocket socket) throws Exception {
        try {
            socket.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
