package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's script on its own, with real processes: at the end of its input (the JVM's
 * death) it kills a process that holds an unlinked FIFO of the gate directory, as a child waiting
 * at its spawn gate does, and spares one holding the same kind of FIFO in a sibling directory
 * whose name the gate directory's name would match as a pattern (the control: the directory is
 * named as a literal). Neither is killed before the end of input.
 */
class WatchdogTest {
    @TempDir
    Path base;

    @Test
    void atTheJvmsDeathAChildHoldingAGateFifoIsKilledAndNothingElse() throws Exception {
        Path gates = Files.createDirectory(base.resolve("gates[1]*"));
        Path sibling = Files.createDirectory(base.resolve("gates1x"));
        Process atGate = holdUnlinkedFifo(gates.resolve("g1"));
        Process control = holdUnlinkedFifo(sibling.resolve("g1"));
        Process watchdog = null;
        try {
            watchdog = watchdog(gates);
            Thread.sleep(300);
            assertThat(atGate.isAlive()).as("killed before the JVM's death").isTrue();

            watchdog.getOutputStream().close(); // end of input: the JVM is gone
            assertThat(watchdog.waitFor(20, TimeUnit.SECONDS)).as("the watchdog ends").isTrue();
            assertThat(atGate.waitFor(5, TimeUnit.SECONDS)).as("the process at the gate is killed").isTrue();
            assertThat(control.isAlive()).as("the control, holding a FIFO of another directory").isTrue();
        } finally {
            atGate.destroyForcibly();
            control.destroyForcibly();
            if (watchdog != null) {
                watchdog.destroyForcibly();
            }
        }
    }

    /**
     * A command that died with the JVM is reaped by whoever takes it in, and its pid may be given
     * again before the watchdog acts (red team, round 16, had the watchdog kill a pid's next owner
     * and its group). A listed pid is killed only while it is the process that started then: here a
     * victim of our own takes a listed pid (through {@code ns_last_pid}, as root) and must survive;
     * the control, a listed process that is still itself, is killed.
     */
    @Test
    void aListedPidThatAnotherProcessHasTakenIsSpared() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.err.println("SKIPPED: needs root to set ns_last_pid");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "needs root to set ns_last_pid");
        Process listed = new ProcessBuilder("sleep", "60").start();
        Process victim = null;
        Process watchdog = null;
        int pid = 0;
        String entry = null;
        try {
            // another test's process may take the freed number first and keep it (CI, 2026-12-06): then with a new one
            for (int round = 0; round < 5 && (victim == null || victim.pid() != pid); round++) {
                Process gone = new ProcessBuilder("sleep", "60").start();
                pid = (int) gone.pid();
                entry = pid + ":" + Watchdog.startTime(pid);
                // start times count clock ticks (10 ms): a victim started within the same tick would be the same process
                // to the watchdog (CI started one 2 ms later); a pid given again that soon would wrap around the pid space
                Thread.sleep(50);
                gone.destroyForcibly().waitFor(); // reaped: the number is free
                for (int attempt = 0; attempt < 20 && (victim == null || victim.pid() != pid); attempt++) {
                    if (victim != null) {
                        victim.destroyForcibly().waitFor();
                    }
                    Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Integer.toString(pid - 1));
                    victim = dev.awssandbox.core.testing.Victims.sleepInOwnGroup(60); // a group of its own, numbered pid
                }
            }
            assertThat(victim.pid()).as("the premise: the victim took the listed pid").isEqualTo(pid);
            watchdog = watchdog(base.resolve("no-gates"));
            String list = "+" + listed.pid() + ":" + Watchdog.startTime((int) listed.pid()) + "\n+" + entry + "\n";
            watchdog.getOutputStream().write(list.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            watchdog.getOutputStream().close(); // the JVM is gone
            assertThat(watchdog.waitFor(20, TimeUnit.SECONDS)).as("the watchdog ends").isTrue();
            assertThat(listed.waitFor(5, TimeUnit.SECONDS)).as("the control: a listed process still itself is killed").isTrue();
            assertThat(victim.isAlive()).as("the process that took listed pid %d", pid).isTrue();
        } finally {
            listed.destroyForcibly();
            if (victim != null) {
                victim.destroyForcibly();
            }
            if (watchdog != null) {
                watchdog.destroyForcibly();
            }
        }
    }

    /**
     * Only this user's processes are looked at for gate FIFOs: another user's process in a mount
     * namespace of its own could hold a file whose path reads the same (red team, round 18, had a
     * root watchdog kill one). Here nobody's process holds a FIFO in the gate directory itself (made
     * writable for it) and must survive; the control, this user's process holding one there, is killed.
     */
    @Test
    void anotherUsersProcessHoldingAFifoAtTheGatePathIsSpared() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || dev.awssandbox.core.testing.Requirements.which("runuser").isEmpty()) {
            System.err.println("SKIPPED: needs root and runuser to hold a FIFO as nobody");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root && dev.awssandbox.core.testing.Requirements.which("runuser").isPresent(),
                "needs root and runuser to hold a FIFO as nobody");
        java.nio.file.attribute.FileAttribute<?> open = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path gates = Files.createDirectory(base.resolve("gates"), open);
        Files.setPosixFilePermissions(gates, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Process ours = holdUnlinkedFifo(gates.resolve("g1"));
        Path theirs = gates.resolve("g2");
        assertThat(new ProcessBuilder("runuser", "-u", "nobody", "--", "mkfifo", theirs.toString()).start().waitFor()).isZero();
        Process nobody = new ProcessBuilder(List.of("runuser", "-u", "nobody", "--", "/bin/sh", "-c",
                "exec 7<>\"$0\"; rm \"$0\"; exec sleep 60", theirs.toString())).start();
        Process watchdog = null;
        try {
            for (int i = 0; i < 200 && Files.exists(theirs); i++) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            long nobodysSleep = nobody.toHandle().descendants().findFirst().map(ProcessHandle::pid).orElse(nobody.pid());
            watchdog = watchdog(gates);
            watchdog.getOutputStream().close(); // the JVM is gone
            assertThat(watchdog.waitFor(20, TimeUnit.SECONDS)).as("the watchdog ends").isTrue();
            assertThat(ours.waitFor(5, TimeUnit.SECONDS)).as("the control: this user's process at the gate path is killed")
                    .isTrue();
            assertThat(ProcessHandle.of(nobodysSleep).map(ProcessHandle::isAlive).orElse(false))
                    .as("nobody's process holding a FIFO at the gate path").isTrue();
        } finally {
            ours.destroyForcibly();
            // runuser reaps its sleep and ends; killed first, it left the sleep a zombie of this (subreaper) JVM
            nobody.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            nobody.waitFor(10, TimeUnit.SECONDS);
            nobody.destroyForcibly();
            if (watchdog != null) {
                watchdog.destroyForcibly();
            }
        }
    }

    /**
     * A cgroup directory the JVM removed as it exited (every exit but a kill) is not waited for: the
     * script waited for each to become removable, ten times 0.1 s, and so ran two seconds after
     * every CLI command that had limits. Counted by a {@code sleep} of its own on the script's
     * PATH; the control, a directory that stays (it holds a file, so {@code rmdir} fails), is waited
     * for ten times.
     */
    @Test
    void aCgroupDirectoryAlreadyGoneIsNotWaitedFor() throws Exception {
        Path bin = Files.createDirectory(base.resolve("bin"));
        Path sleeps = base.resolve("sleeps");
        Files.writeString(bin.resolve("sleep"), "#!/bin/sh\necho \"$*\" >> " + sleeps + "\n");
        Files.setPosixFilePermissions(bin.resolve("sleep"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path stays = Files.createDirectory(base.resolve("stays"));
        Files.writeString(stays.resolve("file"), "");

        assertThat(sleepsOfAWatchdogFor(bin, sleeps, base.resolve("gone"))).as("waits for a directory that is gone").isZero();
        assertThat(sleepsOfAWatchdogFor(bin, sleeps, stays)).as("control: waits for one that stays").isEqualTo(10);
    }

    /** How many times a watchdog whose only cgroup directory is {@code cgroup} slept before it ended. */
    private static long sleepsOfAWatchdogFor(Path bin, Path sleeps, Path cgroup) throws Exception {
        Files.deleteIfExists(sleeps);
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", Watchdog.SCRIPT, "aws-sandbox-watchdog"));
        argv.addAll(Watchdog.arguments(cgroup.resolveSibling("no-gates")));
        argv.add(cgroup.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process watchdog = builder.start();
        try {
            watchdog.getOutputStream().close(); // the JVM is gone
            assertThat(watchdog.waitFor(30, TimeUnit.SECONDS)).as("the watchdog ends").isTrue();
            return Files.exists(sleeps) ? Files.readAllLines(sleeps).size() : 0;
        } finally {
            watchdog.destroyForcibly();
        }
    }

    /** The watchdog's script for gate directory {@code gates}, as this JVM's, with stdin as its list. */
    private static Process watchdog(Path gates) throws java.io.IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", "-c", Watchdog.SCRIPT, "aws-sandbox-watchdog"));
        argv.addAll(Watchdog.arguments(gates));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    /** A process holding {@code fifo} open on descriptor 7 after it was removed. */
    private static Process holdUnlinkedFifo(Path fifo) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Process holder = new ProcessBuilder(List.of("/bin/sh", "-c", "exec 7<>\"$0\"; rm \"$0\"; exec sleep 60",
                fifo.toString())).start();
        for (int i = 0; i < 200 && Files.exists(fifo); i++) {
            Thread.sleep(10);
        }
        assertThat(fifo).as("removed by its holder").doesNotExist();
        Thread.sleep(100); // and the holder is sleep now
        return holder;
    }
}
