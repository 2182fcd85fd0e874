package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.backend.SeatbeltBackend;
import dev.awssandbox.core.testing.FakeSandboxExec;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code aws-sandbox doctor}, in-process, on this machine's real kernel. */
class CliDoctorTest {

    @Test
    void doctorShowsLandlockAndPassesItsSelfTest() {
        Requirements.requireLandlock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (TestHost host = new TestHost()) {
            code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    host.environment()), "doctor");
        }
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(code).as(text + err).isEqualTo(0);
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
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (TestHost host = new TestHost()) {
            FakeSandboxExec sandboxExec = FakeSandboxExec.passingThrough(host.root());
            HostEnvironment mac = new HostEnvironment(host.environment().variables(), host.work(), HostEnvironment.Platform.MACOS);
            code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), mac,
                    b -> dev.awssandbox.core.TestBackends.first(b, dev.awssandbox.core.BackendKind.SEATBELT,
                            new SeatbeltBackend(sandboxExec.macProbe()))), "doctor");
        }
        String text = out.toString(StandardCharsets.UTF_8);

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
        assertThat(code).isEqualTo(ExitCodes.CHECK_FAILED);
    }

    @Test
    void doctorWithTheSandboxDisabledFailsItsSelfTest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (TestHost host = new TestHost()) {
            code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    host.environment()), "doctor", "--mode", "disabled");
        }

        assertThat(code).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL  read of a bait file");
    }
}
