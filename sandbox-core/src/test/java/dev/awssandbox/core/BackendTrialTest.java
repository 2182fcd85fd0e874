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
