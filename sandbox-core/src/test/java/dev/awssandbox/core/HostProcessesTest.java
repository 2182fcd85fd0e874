package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another process's command line: not readable by default on either backend. Red team, 2026-12-05, F4: under
 * Landlock, {@code --ro /} (or {@code --ro /proc}) gives the host's {@code /proc} whole, and with it every process's
 * command line (a password given as an argument); bubblewrap mounts a {@code /proc} of the command's own processes. The
 * grant is the caller's choice, as {@code --ro /}'s other warnings are: now said in a warning that names {@code /proc}
 * (docs/security.md, README's not-enforced column). Control: unsandboxed, the command line is readable.
 */
@ExtendWith(TestHostExtension.class)
class HostProcessesTest {
    private static final String MARKER = "--password=aws-sandbox-test-f4";

    private TestHost host;
    private Process hostProcess;
    private String cmdline;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        this.host = host;
        hostProcess = new ProcessBuilder("sh", "-c", "sleep 120", "sh", MARKER).start();
        cmdline = "/proc/" + hostProcess.pid() + "/cmdline";
    }

    @AfterEach
    void tearDown() throws Exception {
        hostProcess.destroyForcibly();
        hostProcess.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void anotherProcesssCommandLineIsNotReadableByDefault() {
        Requirements.requireLandlock();
        assertThat(Sandboxes.of(host, BackendKind.LANDLOCK).outside("cat", cmdline).stdout().text()).contains(MARKER);
        for (BackendKind backend : dev.awssandbox.core.testing.Backends.available()) {
            ExecResult read = Sandboxes.of(host, backend).inside("cat", cmdline);
            assertThat(read.stdout().text()).as(backend.toString()).doesNotContain(MARKER);
        }
    }

    @Test
    void aGrantOfTheWholeProcUnderLandlockIsSaid() {
        Requirements.requireLandlock();
        // re-attack of 2026-12-05, R2-F4a: a grant in /proc too
        for (String granted : java.util.List.of("/", "/proc", "/proc/" + hostProcess.pid())) {
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(granted).build();
            ExecResult read = Sandboxes.of(host.environment(), policy, BackendKind.LANDLOCK).inside("cat", cmdline);
            // what the README declares not enforced: the grant gives it
            assertThat(read.stdout().text()).as(granted).contains(MARKER);
            assertThat(read.enforcement().notes()).as(granted)
                    .anySatisfy(note -> assertThat(note).contains("--ro " + granted + ": it ")
                            .containsAnyOf("holds /proc", "lies in /proc").contains("processes' command lines"));
        }
        // bubblewrap: its own /proc, and no such warning
        if (dev.awssandbox.core.testing.Backends.available().contains(BackendKind.BUBBLEWRAP)) {
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath("/").build();
            ExecResult read = Sandboxes.of(host.environment(), policy, BackendKind.BUBBLEWRAP).inside("cat", cmdline);
            assertThat(read.stdout().text()).doesNotContain(MARKER);
            assertThat(read.enforcement().notes()).noneSatisfy(note -> assertThat(note).contains("it holds /proc"));
        }
    }
}
