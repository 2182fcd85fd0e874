package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.backend.BubblewrapBackend;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Network mode hosts where it cannot be held, and what a command gets: a backend that cannot enforce
 * it fails with what to do (never a silent fallback), the unsandboxed run says it is advice only,
 * the proxy variables replace every other, and each stage is counted on its own.
 */
@ExtendWith(TestHostExtension.class)
class EgressModeTest {
    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host.set("HTTPS_PROXY", "http://corporate.example:3128").set("NO_PROXY", "*")
                .set("ALL_PROXY", "socks5://corporate.example:1080");
    }

    private SandboxPolicy hosts() {
        return SandboxPolicy.builder(host.environment()).allowHosts("*.amazonaws.com")
                .addEnvPassthrough("HTTPS_PROXY").addEnvPassthrough("NO_PROXY").addEnvPassthrough("ALL_PROXY").build();
    }

    @Test
    void bubblewrapWithoutSocatRefusesModeHostsInEveryModeSayingWhatToInstall() {
        Requirements.requireLandlock(); // a Linux host where sandboxes run at all
        BubblewrapBackend noSocat = new BubblewrapBackend(Requirements.which("bwrap"), Optional.empty());
        org.junit.jupiter.api.Assumptions.assumeTrue(noSocat.availability().available(), "bwrap cannot run here");
        for (Sandbox.Mode mode : List.of(Sandbox.Mode.REQUIRED, Sandbox.Mode.AUTO)) {
            Sandbox sandbox = TestBackends.only(Sandbox.builder().host(host.environment()).policy(hosts()).mode(mode),
                    BackendKind.BUBBLEWRAP, noSocat).build();
            assertThatThrownBy(() -> sandbox.run("true"))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("needs socat")
                    .hasMessageContaining("apt-get install socat")
                    .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.UNAVAILABLE));
        }
        // the same sandbox with the network off runs: only mode hosts needs the forwarder
        Sandbox offline = TestBackends.only(Sandbox.builder().host(host.environment())
                .policy(SandboxPolicy.builder(host.environment()).allowNetwork(false).build())
                .mode(Sandbox.Mode.REQUIRED), BackendKind.BUBBLEWRAP, noSocat).build();
        assertThat(Sandboxes.run(offline, "true").isSuccess()).isTrue();
    }

    @Test
    void landlockBeforeAbi4CannotHoldModeHosts() throws Exception {
        Requirements.requireLandlock();
        Sandbox required = TestBackends.only(Sandbox.builder().host(host.environment()).policy(hosts())
                .mode(Sandbox.Mode.REQUIRED), BackendKind.LANDLOCK, new LandlockBackend(3)).build();
        assertThatThrownBy(() -> required.run("true"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("network mode hosts, TCP is not held to the egress proxy")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.UNENFORCEABLE));

        Sandbox auto = TestBackends.only(Sandbox.builder().host(host.environment()).policy(hosts())
                .mode(Sandbox.Mode.AUTO), BackendKind.LANDLOCK, new LandlockBackend(3)).build();
        ExecResult ran = Sandboxes.run(auto, "true");
        assertThat(ran.enforcement().network()).isEqualTo(EnforcementReport.Network.TCP_NOT_RESTRICTED);
        assertThat(ran.enforcement().level()).isEqualTo(EnforcementReport.Level.PARTIAL);
        assertThat(ran.enforcement().gaps()).anyMatch(g -> g.contains("not held to the egress proxy"));
    }

    @Test
    void unsandboxedTheProxyIsAdviceAndSaysSo() {
        Sandbox disabled = Sandbox.builder().host(host.environment()).policy(hosts()).mode(Sandbox.Mode.DISABLED).build();
        ExecResult result = Sandboxes.run(disabled, "sh", "-c", "echo ${HTTPS_PROXY%%:*}");
        assertThat(result.stdout().text()).isEqualTo("http\n");
        assertThat(result.enforcement().network()).isEqualTo(EnforcementReport.Network.NOT_ENFORCED);
        assertThat(result.enforcement().notes()).anyMatch(n -> n.contains("advice only"));
    }

    @Test
    void theProxyVariablesNameTheProxyAndNothingMayBypassIt() throws Exception {
        Requirements.requireLandlock();
        Sandbox sandbox = Sandbox.builder().host(host.environment()).policy(hosts()).mode(Sandbox.Mode.REQUIRED).build();

        ExecResult env = Sandboxes.run(sandbox, "env");

        List<String> lines = env.stdout().text().lines().toList();
        String url = lines.stream().filter(l -> l.startsWith("HTTPS_PROXY=")).findFirst().orElseThrow().substring(12);
        assertThat(url).matches("http://aws-sandbox:[A-Za-z0-9_-]{32}@127\\.0\\.0\\.1:\\d+");
        assertThat(lines).contains("https_proxy=" + url, "HTTP_PROXY=" + url, "http_proxy=" + url);
        assertThat(lines).noneMatch(l -> l.startsWith("NO_PROXY=") || l.startsWith("no_proxy=")
                || l.startsWith("ALL_PROXY=") || l.startsWith("all_proxy="));
        assertThat(env.stdout().text()).doesNotContain("corporate.example");
        // another command gets another token
        String again = Sandboxes.run(sandbox, "printenv", "HTTPS_PROXY").stdout().text().strip();
        assertThat(again).isNotEqualTo(url);
        // the preview names the variables, never their values
        assertThat(sandbox.preview(List.of("true")).environmentNames()).contains("HTTPS_PROXY", "http_proxy")
                .doesNotContain("NO_PROXY", "ALL_PROXY");
    }

    /**
     * A pipeline whose first stage is in mode hosts and whose second has the network off: the first
     * stage's connections are counted as stage 0, the second stage gets no proxy at all.
     */
    @Test
    void eachStageIsCountedOnItsOwn() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("curl");
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Thread.ofVirtual().start(() -> {
                while (!http.isClosed()) {
                    try (Socket s = http.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n".getBytes());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + http.getLocalPort() + "/";
            SandboxPolicy first = SandboxPolicy.builder(host.environment()).allowHosts("127.0.0.1:" + http.getLocalPort())
                    .build();
            Sandbox sandbox = Sandbox.builder().host(host.environment()).policy(first).mode(Sandbox.Mode.REQUIRED).build();
            Command pipeline = Command.pipeline(List.of(List.of("curl", "-sS", url), List.of("sh", "-c",
                            "cat; echo \"proxy=${HTTPS_PROXY:-none}\"")))
                    .toBuilder().stagePolicy(1, SandboxPolicy.builder(host.environment()).allowNetwork(false).build())
                    .timeout(Duration.ofSeconds(60)).build();

            ExecResult result = sandbox.run(pipeline);

            assertThat(result.stdout().text()).as(result.stderr().text()).isEqualTo("ok\nproxy=none\n");
            assertThat(result.connections()).singleElement().satisfies(c -> {
                assertThat(c.stage()).isZero();
                assertThat(c.allowed()).isTrue();
                assertThat(c.count()).isEqualTo(1);
                assertThat(c.summary()).startsWith("allowed 127.0.0.1:" + http.getLocalPort() + " (1 connection, ");
            });
            assertThat(result.stages().get(1).enforcement().network()).isEqualTo(EnforcementReport.Network.DENIED);
        }
    }
}
