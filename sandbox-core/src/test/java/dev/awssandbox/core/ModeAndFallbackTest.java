package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Modes: required never runs with less than the policy; auto falls back loudly (the WARNING log
 * line is checked by the CLI tests, which install a log handler); disabled says so.
 */
@ExtendWith(TestHostExtension.class)
class ModeAndFallbackTest {
    private TestHost host;
    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
    }

    @AfterEach
    void tearDown() {
        Sandbox.resetDefault();
    }

    private Sandbox sandbox(Sandbox.Mode mode, List<dev.awssandbox.core.backend.SandboxBackend> backends, SandboxPolicy policy) {
        // every test backend here is Landlock (capped to an older ABI) or none at all
        return Sandbox.builder().host(host.environment()).policy(policy).mode(mode)
                .candidates(backends.stream().map(b -> new Backends.Candidate(BackendKind.LANDLOCK, b)).toList(), false)
                .build();
    }

    @Test
    void anUnavailableBackendIsAnErrorNamingWhy() {
        Sandbox sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED)
                .candidates(List.of(new Backends.Candidate(BackendKind.BUBBLEWRAP,
                        new dev.awssandbox.core.backend.BubblewrapBackend(java.util.Optional.empty()))), true)
                .build();
        assertThatThrownBy(() -> sandbox.run("true")).hasMessageContaining("bwrap is not installed");
    }

    @Test
    void requiredWithNoBackendFails() {
        Sandbox sandbox = sandbox(Sandbox.Mode.REQUIRED, List.of(), SandboxPolicy.defaults(host.environment()));

        assertThatThrownBy(() -> sandbox.run("true"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("required")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.UNAVAILABLE));
        assertThat(sandbox.isSandboxed()).isFalse();
    }

    @Test
    void autoWithNoBackendRunsUnsandboxedLoudly() throws Exception {
        Sandbox sandbox = sandbox(Sandbox.Mode.AUTO, List.of(), SandboxPolicy.defaults(host.environment()));

        ExecResult result = sandbox.run("true");

        assertThat(result.backend()).isEqualTo(BackendKind.NONE);
        assertThat(result.enforcement().level()).isEqualTo(EnforcementReport.Level.NONE);
        assertThat(result.enforcement().notes()).anyMatch(n -> n.contains("WITHOUT isolation"));
        assertThat(sandbox.isSandboxed()).isFalse();
    }

    @Test
    void disabledSaysSo() throws Exception {
        Sandbox sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.DISABLED).build();

        ExecResult result = sandbox.run("true");

        assertThat(result.backend()).isEqualTo(BackendKind.NONE);
        assertThat(result.enforcement().notes()).anyMatch(n -> n.contains("disabled"));
        assertThat(sandbox.isSandboxed()).isFalse();
    }

    /** A sandboxing backend asked for with mode disabled would run without it: the builder refuses. */
    @Test
    void aBackendWithModeDisabledIsRefused() {
        assertThatThrownBy(() -> Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.DISABLED)
                .backend(BackendKind.LANDLOCK).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the landlock backend was asked for with mode disabled, which runs commands without isolation");
        // the control: none with disabled agrees
        assertThat(Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.DISABLED).backend(BackendKind.NONE).build()
                .mode()).isEqualTo(Sandbox.Mode.DISABLED);
    }

    /** Workflow review of 2026-12-04, F15: the none backend with mode required would run without a sandbox. */
    @Test
    void theNoneBackendWithModeRequiredIsRefused() {
        assertThatThrownBy(() -> Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED)
                .backend(BackendKind.NONE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the none backend (no isolation) was asked for with mode required, which refuses to run"
                        + " commands without a sandbox");
    }

    @Test
    void requiredRejectsAPolicyTheKernelCannotEnforce() {
        Requirements.requireLandlock();
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        // ABI 3 has no TCP rules: "network off" cannot be enforced
        Sandbox sandbox = sandbox(Sandbox.Mode.REQUIRED, List.of(new LandlockBackend(3)), offline);

        assertThatThrownBy(() -> sandbox.run("true"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("TCP is not restricted")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.UNENFORCEABLE));
    }

    @Test
    void autoOnAnOlderAbiIsBestEffortAndSaysWhatIsMissing() throws Exception {
        Requirements.requireLandlock();
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandbox sandbox = sandbox(Sandbox.Mode.AUTO, List.of(new LandlockBackend(3)), offline);
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ExecResult result = Sandboxes.run(sandbox, "bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort());

            // honest best effort: the connect goes through, and the report says it was not enforced
            assertThat(result.isSuccess()).isTrue();
            assertThat(result.enforcement().level()).isEqualTo(EnforcementReport.Level.PARTIAL);
            assertThat(result.enforcement().network()).isEqualTo(EnforcementReport.Network.TCP_NOT_RESTRICTED);
            assertThat(result.enforcement().landlockAbi()).hasValue(3);
            assertThat(result.enforcement().isolations()).isEmpty();
            assertThat(result.enforcement().gaps()).anyMatch(g -> g.contains("network")).anyMatch(g -> g.contains("signals"));
        }
        // files are still enforced at ABI 3
        java.nio.file.Path bait = host.home().resolve(".ssh/id_ed25519");
        assertThat(Sandboxes.run(sandbox, "cat", bait.toString()).isSuccess()).isFalse();
    }

    /**
     * The report claims a killed JVM's escaped processes die only where the commands' Landlock
     * domain holds them (the red team saw doctor claim it where it did not): on an ABI without the
     * signal scope it names the watchdog's process groups, and cgroups where there are any, and
     * without them lists the escape as a gap.
     */
    @Test
    void theReportClaimsTheCommandsDomainOnlyWithTheSignalScope() throws Exception {
        Requirements.requireLandlock();
        org.junit.jupiter.api.Assumptions.assumeTrue(new LandlockBackend().abi() >= 6, "needs Landlock ABI 6");
        SandboxPolicy policy = SandboxPolicy.defaults(host.environment());
        String domain = "their Landlock domains are nested in one of the JVM's";

        EnforcementReport full = sandbox(Sandbox.Mode.AUTO, List.of(new LandlockBackend()), policy).expectedEnforcement();
        EnforcementReport abi5 = sandbox(Sandbox.Mode.AUTO, List.of(new LandlockBackend(5)), policy).expectedEnforcement();

        assertThat(full.notes()).anyMatch(n -> n.contains(domain));
        assertThat(abi5.notes()).noneMatch(n -> n.contains(domain)).anyMatch(n -> n.contains("the watchdog kills"));
        boolean cgroups = dev.awssandbox.core.linux.Cgroups.layout() instanceof dev.awssandbox.core.linux.Cgroups.Layout.Available;
        assertThat(abi5.gaps().stream().anyMatch(g -> g.contains("outlives a JVM killed with SIGKILL")))
                .as("the escape is a gap exactly where no cgroup holds it: %s", abi5.gaps()).isEqualTo(!cgroups);
    }

    @Test
    void fullAbiReportsEverything() throws Exception {
        Requirements.requireLandlock();
        LandlockBackend backend = new LandlockBackend();
        org.junit.jupiter.api.Assumptions.assumeTrue(backend.abi() >= 6, "needs Landlock ABI 6");

        ExecResult result = Sandboxes.of(host).inside("true");

        EnforcementReport report = result.enforcement();
        assertThat(report.level()).isEqualTo(EnforcementReport.Level.FULL);
        assertThat(report.landlockAbi()).hasValue(backend.abi());
        assertThat(report.landlockRights()).contains(EnforcementReport.LandlockRight.READ_FILE, EnforcementReport.LandlockRight.WRITE_FILE,
                EnforcementReport.LandlockRight.EXECUTE, EnforcementReport.LandlockRight.TRUNCATE, EnforcementReport.LandlockRight.REFER);
        assertThat(report.isolations()).containsExactlyInAnyOrder(EnforcementReport.Isolation.SIGNALS,
                EnforcementReport.Isolation.ABSTRACT_UNIX_SOCKETS);
        assertThat(report.noNewPrivs()).isTrue();
        assertThat(report.gaps()).isEmpty();
    }

    @Test
    void invalidEnvironmentValuesNameTheVariableAndTheAllowedValues() {
        assertThatThrownBy(() -> Sandbox.fromEnvironment(host.set("AWS_MCP_SANDBOX", "sometimes").environment()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("AWS_MCP_SANDBOX")
                .hasMessageContaining("sometimes")
                .hasMessageContaining("auto, disabled, required");
        assertThatThrownBy(() -> Sandbox.fromEnvironment(host.set("AWS_MCP_SANDBOX", "auto")
                        .set("AWS_MCP_SANDBOX_CREDENTIALS", "vault").environment()))
                .hasMessageContaining("AWS_MCP_SANDBOX_CREDENTIALS")
                .hasMessageContaining("env, aws_config, both, none");
    }

    @Test
    void environmentSelectsModeAndCredentials() throws Exception {
        Sandbox sandbox = Sandbox.fromEnvironment(host.environment().withVariables(Map.of(
                "HOME", host.home().toString(), "AWS_MCP_SANDBOX", "Disabled", "AWS_MCP_SANDBOX_CREDENTIALS", "aws_config")));

        assertThat(sandbox.mode()).isEqualTo(Sandbox.Mode.DISABLED);
        assertThat(sandbox.policy().passAwsEnv()).isFalse();
        assertThat(sandbox.policy().allowAwsConfig()).isTrue();
        assertThat(sandbox.policy().envPassthrough()).doesNotContain("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void defaultSandboxIsCachedUntilReset() throws Exception {
        Sandbox first = Sandbox.defaultSandbox();
        assertThat(Sandbox.defaultSandbox()).isSameAs(first);
        Sandbox.resetDefault();
        assertThat(Sandbox.defaultSandbox()).isNotSameAs(first);
        assertThat(Sandbox.sandboxAvailable()).isEqualTo(new LandlockBackend().availability().available());
    }

}
