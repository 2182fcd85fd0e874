package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.backend.BubblewrapBackend;
import dev.awssandbox.core.testing.Backends;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A sandbox chooses its backend on its first run, by a trial start of bubblewrap, and keeps the
 * answer. Red team, round 17: when that first run's thread was interrupted (the command cancelled
 * at once, or a pool thread with a stale interrupt), the trial was cut short and kept as
 * "bubblewrap is unavailable", so in mode auto, where bubblewrap is the only backend (a host
 * without Landlock), every later command of that sandbox ran without isolation. The trial now runs
 * apart from its caller. The control: a sandbox whose first run is not interrupted uses bubblewrap.
 */
class BackendTrialTest {
    @Test
    void aFirstRunOnAnInterruptedThreadDoesNotTurnTheSandboxOff() throws Exception {
        assumeBubblewrap();
        Sandbox sandbox = autoWithBubblewrapOnly();
        Thread.currentThread().interrupt();
        try {
            sandbox.run(Command.of("true")); // cancelled, or run: either is right
        } catch (SandboxException e) {
            assertThat(e.getMessage()).doesNotContain("WITHOUT isolation");
        } finally {
            Thread.interrupted();
        }
        assertThat(sandbox.run(Command.of("true")).enforcement().backend()).as("the next command's backend")
                .isEqualTo(BackendKind.BUBBLEWRAP);
    }

    @Test
    void aFirstCommandCancelledAtOnceDoesNotTurnTheSandboxOff() throws Exception {
        assumeBubblewrap();
        Sandbox sandbox = autoWithBubblewrapOnly();
        CompletableFuture<ExecResult> first = sandbox.runAsync(Command.of("sleep", "5"));
        first.cancel(true);
        assertThat(sandbox.run(Command.of("true")).enforcement().backend()).as("the next command's backend")
                .isEqualTo(BackendKind.BUBBLEWRAP);
    }

    @Test
    void theControlAFirstRunLeftAloneUsesBubblewrap() throws Exception {
        assumeBubblewrap();
        assertThat(autoWithBubblewrapOnly().run(Command.of("true")).enforcement().backend()).isEqualTo(BackendKind.BUBBLEWRAP);
    }

    /**
     * A trial that could not be told this time (here: bwrap did not finish within the trial's 10 s)
     * is not taken for a backend that cannot run: mode auto does not fall back to none for it; the
     * run fails, and the next one tries again.
     */
    @Test
    void aTrialThatTimedOutFailsTheRunInsteadOfRunningWithoutIsolation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path slow = dir.resolve("bwrap");
        java.nio.file.Path tries = dir.resolve("tries");
        java.nio.file.Files.writeString(slow, "#!/bin/sh\necho x >> " + tries + "\nexec sleep 30\n");
        java.nio.file.Files.setPosixFilePermissions(slow, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = TestBackends.first(Sandbox.builder().host(host).policy(SandboxPolicy.builder(host).build())
                .mode(Sandbox.Mode.AUTO), BackendKind.BUBBLEWRAP, new BubblewrapBackend(java.util.Optional.of(slow))).build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> sandbox.run(Command.of("true"))).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("cannot tell now whether the bubblewrap backend can run")
                    .hasMessageContaining("nothing was run");
        }
        assertThat(java.nio.file.Files.readAllLines(tries)).as("tried again by the second run").hasSize(2);
    }

    /**
     * bwrap that cannot fork or make a namespace for want of processes says so, and that was kept
     * as "bubblewrap cannot run here": mode auto then ran that command and every later one without
     * isolation (red team, round 18). A bwrap that says "Resource temporarily unavailable" now fails
     * the command, and is tried again; the control, one that says user namespaces are not permitted,
     * is a settled "no" (mode auto falls back, loudly, as documented).
     */
    @Test
    void aBwrapShortOfProcessesFailsTheRunInsteadOfRunningWithoutIsolation(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Sandbox shortOfProcesses = autoWith(fakeBwrap(dir, "short", "bwrap: Creating new namespace failed: Resource temporarily unavailable"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> shortOfProcesses.run(Command.of("true"))).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("cannot tell now whether the bubblewrap backend can run");
        }
        assertThat(java.nio.file.Files.readAllLines(dir.resolve("short.tries"))).as("tried again by the second run").hasSize(2);

        Sandbox notPermitted = autoWith(fakeBwrap(dir, "denied", "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces."));
        assertThat(notPermitted.run(Command.of("true")).enforcement().backend()).as("the control: a settled no")
                .isEqualTo(BackendKind.NONE);
    }

    /**
     * A descriptor limit of 256 or less made pinning / for bubblewrap's trial fail (F_DUPFD to 256:
     * EINVAL), which was kept as "unavailable" (red team, round 18). In a JVM of its own: its first
     * command under that limit fails, and its second, with the limit raised, runs under bubblewrap.
     */
    @Test
    void aLowDescriptorLimitAtTheFirstRunDoesNotTurnTheSandboxOff() throws Exception {
        assumeBubblewrap();
        Process jvm = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", dev.awssandbox.core.testing.ChildJvm.classPath(),
                dev.awssandbox.core.testing.LowDescriptorLimitMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("first: failed: ").doesNotContain("first: NONE").contains("second: BUBBLEWRAP");
    }

    private static java.nio.file.Path fakeBwrap(java.nio.file.Path dir, String name, String message) throws Exception {
        java.nio.file.Path fake = dir.resolve(name);
        java.nio.file.Files.writeString(fake, "#!/bin/sh\necho x >> " + dir.resolve(name + ".tries") + "\necho '" + message
                + "' >&2\nexit 1\n");
        java.nio.file.Files.setPosixFilePermissions(fake, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return fake;
    }

    private static Sandbox autoWith(java.nio.file.Path bwrap) {
        HostEnvironment host = HostEnvironment.current();
        return TestBackends.first(Sandbox.builder().host(host).policy(SandboxPolicy.builder(host).build())
                .mode(Sandbox.Mode.AUTO), BackendKind.BUBBLEWRAP, new BubblewrapBackend(java.util.Optional.of(bwrap))).build();
    }

    /** Mode auto where bubblewrap is the one backend (as on a host without Landlock): none is the fallback. */
    private static Sandbox autoWithBubblewrapOnly() {
        HostEnvironment host = HostEnvironment.current();
        return TestBackends.first(Sandbox.builder().host(host).policy(SandboxPolicy.builder(host).build())
                .mode(Sandbox.Mode.AUTO), BackendKind.BUBBLEWRAP, new BubblewrapBackend()).build();
    }

    private static void assumeBubblewrap() {
        boolean available = Backends.available().contains(BackendKind.BUBBLEWRAP);
        if (!available) {
            System.err.println("SKIPPED: bubblewrap is not available here");
        }
        Assumptions.assumeTrue(available, "bubblewrap is not available here");
    }
}
