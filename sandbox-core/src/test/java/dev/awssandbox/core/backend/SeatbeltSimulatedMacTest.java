package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnSpec;
import dev.awssandbox.core.testing.FakeSandboxExec;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A simulated macOS host on Linux: platform MACOS (its default policy, resource limits on), a
 * {@code sandbox-exec} that is a stand-in which checks its arguments and execs the command
 * without a sandbox, and no {@code prlimit} in the command line. What this proves: the default
 * policy yields a command line that runs, the ulimit wrapper sets the limits on the command, the
 * availability probe takes the real path and reports failures with their reason. What it cannot
 * prove: that macOS accepts the profile and enforces it (README, "macOS").
 */
@ExtendWith(TestHostExtension.class)
class SeatbeltSimulatedMacTest {
    private TestHost host;
    private HostEnvironment mac;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
        mac = new HostEnvironment(host.environment().variables(), host.work(), HostEnvironment.Platform.MACOS);
    }

    @Test
    void theProbeRunsTheRealLaunchPathAndReportsAvailable() {
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());

        SandboxBackend.Availability availability = new SeatbeltBackend(sandboxExec.macProbe()).availability();

        assertThat(availability.available()).as(availability.detail()).isTrue();
        assertThat(availability.detail()).contains("ran /usr/bin/true under the generated profile")
                .contains("limits set by /bin/sh");
        List<String> args = sandboxExec.lastArguments();
        assertThat(args.getFirst()).isEqualTo("-p");
        assertThat(args.get(1)).startsWith("(version 1)\n(deny default)\n").contains("(allow network-outbound (remote ip))");
        int dashes = args.indexOf("--");
        assertThat(args.subList(dashes + 1, dashes + 3)).containsExactly("/bin/sh", "-c");
        assertThat(args.subList(args.size() - 2, args.size())).containsExactly("sh", "/usr/bin/true");
    }

    @Test
    void aParentThatIsAlreadySandboxedMakesTheBackendUnavailableWithTheReason() {
        FakeSandboxExec nested = FakeSandboxExec.failing(host.root(), "sandbox_apply: Operation not permitted");

        SandboxBackend.Availability availability = new SeatbeltBackend(nested.macProbe()).availability();

        assertThat(availability.available()).isFalse();
        assertThat(availability.detail()).contains("cannot run /usr/bin/true under the generated profile")
                .contains("exit code 71").contains("sandbox_apply: Operation not permitted");
    }

    @Test
    void aProfileMacOsRejectsMakesTheBackendUnavailableNotEveryCommandFail() throws Exception {
        FakeSandboxExec rejecting = FakeSandboxExec.failing(host.root(), "<input string>:12:1: unknown operation");
        Sandbox auto = TestBackends.first(Sandbox.builder().host(mac).mode(Sandbox.Mode.AUTO), BackendKind.SEATBELT,
                new SeatbeltBackend(rejecting.macProbe())).build();

        assertThat(auto.backend()).isEqualTo(BackendKind.NONE); // auto falls back, with the reason logged
        assertThat(auto.backendStatuses()).anyMatch(s -> s.kind() == BackendKind.SEATBELT && !s.available()
                && s.detail().contains("unknown operation"));
    }

    @Test
    void theDefaultPolicyRunsAndItsLimitsLandOnTheCommand() throws Exception {
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());
        Sandbox sandbox = TestBackends.only(Sandbox.builder().host(mac).policy(SandboxPolicy.defaults(mac)).mode(Sandbox.Mode.REQUIRED),
                BackendKind.SEATBELT, new SeatbeltBackend(sandboxExec.macProbe())).build();

        ExecResult result = sandbox.run(Command.builder(List.of("cat", "/proc/self/limits"))
                .timeout(Duration.ofSeconds(30)).build());

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(result.enforcement().backend()).isEqualTo(BackendKind.SEATBELT);
        assertThat(result.stdout().text())
                .containsPattern("Max cpu time +600 +600 ")
                .containsPattern("Max file size +4294967296 +4294967296 ")
                .containsPattern("Max processes +(5[1-9][0-9]|[6-9][0-9][0-9]|[0-9]{4,}) +\\1 ")
                .containsPattern("Max core file size +0 +0 ");
        List<String> args = sandboxExec.lastArguments();
        assertThat(args).noneMatch(a -> a.contains("prlimit"));
        int dashes = args.indexOf("--");
        assertThat(dashes).isEqualTo(2 + 2 * (int) args.stream().filter("-D"::equals).count());
        List<String> command = args.subList(dashes + 1, args.size());
        assertThat(command).hasSize(6);
        assertThat(command.subList(0, 2)).containsExactly("/bin/sh", "-c");
        assertThat(command.get(2)).startsWith("ulimit ").endsWith("exec \"$@\"");
        assertThat(command.get(3)).isEqualTo("sh");
        assertThat(command.get(4)).endsWith("/cat");
        assertThat(command.get(5)).isEqualTo("/proc/self/limits");
    }

    @Test
    void withoutLimitsNoShellIsInvolved() throws Exception {
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());
        SandboxPolicy noLimits = SandboxPolicy.builder(mac).limits(SandboxPolicy.Limits.NONE).build();
        Sandbox sandbox = TestBackends.only(Sandbox.builder().host(mac).policy(noLimits).mode(Sandbox.Mode.REQUIRED),
                BackendKind.SEATBELT, new SeatbeltBackend(sandboxExec.macProbe())).build();

        assertThat(sandbox.run("echo", "plain").stdout().text()).isEqualTo("plain\n");
        List<String> args = sandboxExec.lastArguments();
        assertThat(args.subList(args.indexOf("--") + 1, args.size())).containsExactly(
                args.get(args.indexOf("--") + 1), "plain");
        assertThat(args.get(args.indexOf("--") + 1)).endsWith("/echo");
    }

    @Test
    void aPipelineRunsOnThePortableEngineThroughTheSeatbeltLaunch() throws Exception {
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());
        SeatbeltBackend backend = new SeatbeltBackend(sandboxExec.macProbe());
        assertThat(backend.availability().available()).isTrue();
        SandboxPolicy policy = SandboxPolicy.defaults(mac);
        List<PipelineRunner.Stage> stages = new ArrayList<>();
        List<List<String>> commands = List.of(List.of("cat", "/proc/self/limits"), List.of("grep", "Max processes"));
        for (List<String> command : commands) {
            AccessPlan plan = AccessPlanner.plan(dev.awssandbox.core.TestBackends.rules(policy),
                    dev.awssandbox.core.TestBackends.host(mac), command, Optional.empty(), backend.writeProtection());
            Launch launch = backend.prepare(plan, true);
            assertThat(launch.enforcement().filesystem()).isEqualTo(dev.awssandbox.core.backend.Enforcement.Filesystem.SEATBELT_PROFILE);
            // the launch's wrapper sets the limits (ulimit in a shell inside the sandbox)
            SpawnSpec spec = launch.wrapper().apply(new SpawnSpec(plan.executable(), plan.argv(), plan.environment(),
                    plan.workingDirectory(), dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(),
                    dev.awssandbox.core.TestBackends.limits(policy.limits())));
            assertThat(spec.limits()).isEqualTo(dev.awssandbox.core.process.Limits.NONE);
            stages.add(new PipelineRunner.Stage(spec));
        }

        ExecResult result = dev.awssandbox.core.TestBackends.result(commands, JdkPipelineRunner.INSTANCE.run(stages,
                new dev.awssandbox.core.process.Stdin.Empty(), new dev.awssandbox.core.process.OutputTarget.Capture(1 << 20),
                new dev.awssandbox.core.process.OutputTarget.Capture(1 << 20), Optional.of(Duration.ofSeconds(30))));

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(result.stdout().text()).containsPattern("^Max processes +(5[1-9][0-9]|[6-9][0-9][0-9]|[0-9]{4,}) +\\1 ");
    }

    @Test
    void theMacOsDefaultsPassTheProxyVariablesAndNoLongerOpenAllOfDev() {
        HostEnvironment proxied = mac.withVariables(java.util.Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "no_proxy", "169.254.169.254", "PATH", "/usr/bin:/bin"));
        SandboxPolicy policy = SandboxPolicy.defaults(proxied);

        assertThat(policy.readPaths()).doesNotContain(Path.of("/dev"));
        assertThat(AccessPlanner.environment(dev.awssandbox.core.TestBackends.rules(policy), dev.awssandbox.core.TestBackends.host(proxied))).containsEntry("HTTPS_PROXY", "http://proxy.corp:3128")
                .containsEntry("no_proxy", "169.254.169.254");
    }

    /**
     * Network mode hosts through the Seatbelt launch (the stand-in enforces nothing): the profile
     * allows TCP to the proxy's own port on localhost and nothing else, and a plain-HTTP request
     * through the proxy variables is counted for the command.
     */
    @Test
    void modeHostsAllowsTheProxysPortOnlyAndCountsTheCommandsConnections() throws Exception {
        dev.awssandbox.core.testing.Requirements.requireProgram("curl");
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());
        try (java.net.ServerSocket http = new java.net.ServerSocket(0, 10,
                java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Thread.ofVirtual().start(() -> {
                while (!http.isClosed()) {
                    try (java.net.Socket s = http.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
                                .getBytes());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            SandboxPolicy policy = SandboxPolicy.builder(mac).allowHosts("127.0.0.1:" + http.getLocalPort())
                    .limits(SandboxPolicy.Limits.NONE).build();
            Sandbox sandbox = TestBackends.only(Sandbox.builder().host(mac).policy(policy).mode(Sandbox.Mode.REQUIRED),
                    BackendKind.SEATBELT, new SeatbeltBackend(sandboxExec.macProbe())).build();

            ExecResult result = sandbox.run(Command.builder(List.of("curl", "-sS", "http://127.0.0.1:" + http.getLocalPort()
                    + "/")).timeout(Duration.ofSeconds(30)).build());

            assertThat(result.stdout().text()).as(result.stderr().text()).isEqualTo("ok\n");
            assertThat(result.enforcement().network()).isEqualTo(dev.awssandbox.core.EnforcementReport.Network.HOSTS);
            assertThat(result.connections()).singleElement().satisfies(c -> assertThat(c.allowed()).isTrue());
            int proxyPort = dev.awssandbox.core.egress.EgressProxy.shared().port();
            String profile = sandboxExec.lastArguments().get(1);
            assertThat(profile).contains("(allow network-outbound (remote tcp \"localhost:" + proxyPort + "\"))")
                    .doesNotContain("(remote ip)").doesNotContain("mDNSResponder").doesNotContain("network-bind");
        }
    }
}
