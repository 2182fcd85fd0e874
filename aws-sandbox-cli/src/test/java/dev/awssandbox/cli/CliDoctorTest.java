package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.backend.SeatbeltBackend;
import dev.awssandbox.core.testing.FakeSandboxExec;
import dev.awssandbox.core.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code aws-sandbox doctor}, in-process, on this machine's real kernel. */
class CliDoctorTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @Test
    void doctorShowsLandlockAndPassesItsSelfTest() {
        Requirements.requireLandlock();
        CliHarness.Run r = cli.run("doctor");
        String text = r.out();

        assertThat(r.code()).as(text + r.err()).isEqualTo(0);
        assertThat(text).contains("landlock   available").contains("selected:  landlock")
                .contains("landlock ABI:").contains("isolates:          signals, abstract_unix_sockets")
                .contains("seccomp filter:    yes").contains("capabilities:      all dropped")
                .contains("ok    read of a bait file outside the policy is denied")
                .contains("ok    write of a file outside the policy is denied")
                .contains("all checks passed");
        if (Requirements.which("aws").isPresent()) {
            assertThat(text).contains("ok    aws --version works sandboxed: aws-cli/");
            assertThat(text).containsPattern("aws cli: +\\S+/aws");
        }
    }

    /**
     * macOS, simulated: platform MACOS, a stand-in sandbox-exec (which isolates nothing), no
     * prlimit involved. doctor says what Seatbelt enforces and what it does not, the limits and
     * how they are set, and its self-test catches that this sandbox-exec enforces nothing.
     */
    @Test
    void doctorOnASimulatedMacSaysWhatSeatbeltEnforcesAndCatchesASandboxThatIsNot() {
        FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(cli.host().root());
        CliHarness.Run r = cli.platform(HostEnvironment.Platform.MACOS)
                .sandboxes(b -> dev.awssandbox.core.TestBackends.first(b, dev.awssandbox.core.BackendKind.SEATBELT,
                        new SeatbeltBackend(sandboxExec.macProbe())))
                .run("doctor");
        String text = r.out();

        assertThat(text).containsPattern("seatbelt +available +macOS 14.5, \\S+/sandbox-exec ran /usr/bin/true under the"
                        + " generated profile; limits set by /bin/sh \\(ulimit -p for processes, -f in 512-byte blocks\\)")
                .contains("selected:  seatbelt (mode auto)")
                .contains("enforcement (full):")
                .contains("  profile:           deny by default")
                .contains("  network:           allowed (IP sockets and DNS only; no other unix socket; bind on loopback only)")
                .contains("  isolates:          signals, unix_sockets, process_info")
                .contains("  resource limits:   512 more processes of the user, 10m CPU per process, 4294967296 bytes per file,"
                        + " no core dumps (ulimit in /bin/sh inside the sandbox")
                .contains("  note:              not enforced on macOS: a process that leaves the command's process group")
                .doesNotContain("seccomp filter:").doesNotContain("no_new_privs:");
        // the stand-in runs commands unsandboxed: the self-test must notice
        assertThat(text).contains("FAIL  read of a bait file outside the policy is denied")
                .contains("FAIL  write of a file outside the policy is denied");
        assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    }

    /**
     * Outside test WF30, F9: the network mode doctor prints is tried too. With the network off a connection to the host's
     * loopback is refused; with it on (the control, the same attempt) it works; in mode hosts a connection past the
     * egress proxy is refused.
     */
    @Test
    void doctorTriesTheNetworkModeItPrints() {
        Requirements.requireLandlock();
        CliHarness.Run off = cli.run("doctor", "--no-network");
        assertThat(off.out()).containsPattern("ok    a connection to this machine \\(127\\.0\\.0\\.1:\\d+\\) is refused:"
                + " --no-network");
        CliHarness.Run on = cli.run("doctor");
        assertThat(on.out()).containsPattern("ok    a connection to this machine \\(127\\.0\\.0\\.1:\\d+\\) works");
        CliHarness.Run hosts = cli.run("doctor", "--allow-host", "*.amazonaws.com");
        assertThat(hosts.out()).containsPattern("ok    a direct connection to this machine \\(127\\.0\\.0\\.1:\\d+\\), not"
                + " through the egress proxy, is refused");
    }

    @Test
    void doctorWithTheSandboxDisabledFailsItsSelfTest() {
        CliHarness.Run r = cli.run("doctor", "--mode", "disabled");

        assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("FAIL  read of a bait file");
    }
}
