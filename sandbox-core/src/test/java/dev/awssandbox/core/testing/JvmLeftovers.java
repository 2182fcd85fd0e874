package dev.awssandbox.core.testing;

import dev.awssandbox.core.posix.JvmTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a JVM under test (a CLI, a fixture's {@code main}) left behind once it exited, whatever its
 * commands were: a child still waiting at one of its spawn gates (between fork and exec it holds a
 * FIFO of the JVM's gate directory, named by the JVM's {@link JvmTag}), whose parent is then init.
 * Such a child runs none of its command, so a test that looks for its stages never sees it
 * (CliSignalIT left one for an hour). Only the JVM's helpers, its watchdog and its commands' domain
 * killer, clean up after a JVM's death: {@link #afterHelpers} lets them finish first (a test that
 * killed them, as one of the JVM's descendants, left the child).
 */
public final class JvmLeftovers {
    /** Generous: each helper's work after the JVM's death is a scan of /proc and at most a second for cgroups. */
    private static final long HELPERS_MILLIS = 60_000;

    private JvmLeftovers() {}

    /** Processes other than the JVM that hold a descriptor into JVM {@code jvmPid}'s gate directory. */
    public static List<Long> gateHolders(long jvmPid) throws IOException {
        String gates = "/aws-sandbox-gates-" + JvmTag.of(jvmPid) + "-";
        List<Long> holders = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == jvmPid) {
                    continue;
                }
                try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (Files.readSymbolicLink(fd).toString().contains(gates)) {
                            holders.add(pid);
                            break;
                        }
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to look into
                }
            }
        }
        return holders;
    }

    /**
     * JVM {@code jvmPid}'s helpers, alive: its watchdog (its arguments name the JVM's gate
     * directory) and its commands' domain killer (they name the JVM's pid). Found by their
     * arguments, so also once the JVM is dead and they have another parent.
     */
    public static List<ProcessHandle> helpers(long jvmPid) throws IOException {
        String gates = "/aws-sandbox-gates-" + JvmTag.of(jvmPid) + "-";
        List<ProcessHandle> found = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    List<String> argv = List.of(new String(Files.readAllBytes(proc.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    boolean watchdog = argv.size() > 4 && argv.get(3).equals("aws-sandbox-watchdog")
                            && argv.get(4).contains(gates);
                    boolean killer = argv.size() > 4 && argv.get(3).equals("aws-sandbox-killer")
                            && argv.get(4).equals(Long.toString(jvmPid));
                    if ((watchdog || killer) && alive(Long.parseLong(proc.getFileName().toString()))) {
                        ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    /**
     * Once JVM {@code jvmPid} has exited: waits until its helpers have done their work and exited
     * by themselves (a minute at most), then returns what is left — each process still holding one
     * of its gates, and each helper still running — described, for an assertion that it is empty.
     */
    public static List<String> afterHelpers(long jvmPid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HELPERS_MILLIS);
        // polled, not onExit(): a helper that ended may stay a zombie of whoever took it in (dead, as here)
        while (!helpers(jvmPid).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> left = new ArrayList<>();
        for (long pid : gateHolders(jvmPid)) {
            left.add("at a gate: " + describe(pid));
        }
        for (ProcessHandle helper : helpers(jvmPid)) {
            left.add("helper still running: " + describe(helper.pid()));
        }
        return left;
    }

    /** Kills (SIGKILL) every process that holds one of JVM {@code jvmPid}'s gates: a test's clean-up. */
    public static void killGateHolders(long jvmPid) throws IOException {
        for (long pid : gateHolders(jvmPid)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** {@code pid}, its parent, state and name, from /proc/PID/stat; "gone" once it is. */
    public static String describe(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            return pid + " " + stat.substring(stat.indexOf('(') , close + 1) + " state " + f[0] + " ppid " + f[1];
        } catch (IOException | RuntimeException e) {
            return pid + " (gone)";
        }
    }

    /** Every running process (not a zombie) whose command line ends in {@code ARGUMENT\0}, any path of the program. */
    public static List<Long> running(String program, String argument) throws IOException {
        List<Long> found = new java.util.ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.ISO_8859_1);
                    long pid = Long.parseLong(proc.getFileName().toString());
                    if (cmdline.endsWith(program + "\0" + argument + "\0") && alive(pid)) {
                        found.add(pid);
                    }
                } catch (IOException e) {
                    // gone, or not ours to read
                }
            }
        }
        return found;
    }

    /**
     * Kills what a CLI process left, once its helpers (its watchdog: the CLI's descendant) have done
     * their work: killed first, as {@code started} holds them, they left a child at its gate.
     */
    public static void cleanUpCli(Process cli, List<ProcessHandle> started) throws IOException, InterruptedException {
        cli.destroyForcibly();
        cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        afterHelpers(cli.pid());
        started.forEach(ProcessHandle::destroyForcibly);
        killGateHolders(cli.pid());
    }

    /** Running, not a zombie. */
    public static boolean alive(long pid) {
        try {
            String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.UTF_8);
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends {@code signal} (a name: STOP, CONT) to each of {@code processes}. */
    public static void signal(List<ProcessHandle> processes, String signal) throws IOException, InterruptedException {
        for (ProcessHandle p : processes) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        }
    }
}
