package dev.awssandbox.core.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One command's cgroup (a directory in each hierarchy we use). The command's first process is
 * placed in it before it runs; everything it starts stays in it, whatever it does with sessions
 * and process groups.
 */
public final class CommandCgroup implements AutoCloseable {
    private static final int KILL_ROUNDS = 200;

    private final List<Path> dirs;
    private final boolean v2;
    private final boolean boundsProcesses;
    private boolean closed;

    CommandCgroup(List<Path> dirs, boolean v2, boolean boundsProcesses) {
        this.dirs = List.copyOf(dirs);
        this.v2 = v2;
        this.boundsProcesses = boundsProcesses;
    }

    /** Its directory in each hierarchy. */
    List<Path> directories() {
        return dirs;
    }

    /** Whether its pids controller bounds the command's process count (then RLIMIT_NPROC is not needed). */
    public boolean boundsProcesses() {
        return boundsProcesses;
    }

    /** Moves {@code pid} (a process that has not run yet) into this cgroup. */
    public void place(int pid) throws IOException {
        for (Path dir : dirs) {
            Cgroups.write(dir.resolve("cgroup.procs"), Integer.toString(pid));
        }
    }

    /** Sends SIGKILL to every process in the cgroup (cgroup v2's {@code cgroup.kill} when the kernel has it). */
    public void killAll() {
        Path first = dirs.isEmpty() ? null : dirs.getFirst();
        if (first == null) {
            return;
        }
        if (v2 && Files.exists(first.resolve("cgroup.kill"))) {
            try {
                Cgroups.write(first.resolve("cgroup.kill"), "1");
                return;
            } catch (IOException e) {
                // fall back to one by one
            }
        }
        for (int pid : pids(first)) {
            Libc.kill(pid, Libc.SIGKILL);
        }
    }

    /** Whether no process is left in it. */
    public boolean isEmpty() {
        return dirs.isEmpty() || pids(dirs.getFirst()).length == 0;
    }

    private static int[] pids(Path dir) {
        try {
            String text = KernelFiles.read(dir.resolve("cgroup.procs")).strip();
            return text.isEmpty() ? new int[0] : text.lines().mapToInt(Integer::parseInt).toArray();
        } catch (IOException | NumberFormatException e) {
            return new int[0];
        }
    }

    /**
     * What the kernel has counted in this cgroup so far, summed over its hierarchies: processes
     * that the memory bound's OOM killer killed ({@code oom_kill} in v2's {@code memory.events},
     * v1's {@code memory.oom_control}) and forks that the process bound refused ({@code max} in
     * {@code pids.events}). A counter the kernel does not keep reads as 0.
     */
    public Events events() {
        long oomKills = 0;
        long forksRefused = 0;
        for (Path dir : dirs) {
            oomKills += counter(dir.resolve(v2 ? "memory.events" : "memory.oom_control"), "oom_kill");
            forksRefused += counter(dir.resolve("pids.events"), "max");
        }
        return new Events(oomKills, forksRefused);
    }

    /** Counters of a command's cgroup: see {@link #events()}. */
    public record Events(long oomKills, long forksRefused) {
        public static final Events NONE = new Events(0, 0);
    }

    /** The value of {@code name} in a flat-keyed cgroup file ("name value" lines); 0 when absent. */
    private static long counter(Path file, String name) {
        try {
            for (String line : KernelFiles.read(file).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0 && line.regionMatches(0, name, 0, space) && space == name.length()) {
                    return Long.parseLong(line.substring(space + 1).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no such controller here, or a kernel without the counter
        }
        return 0;
    }

    /**
     * Kills what is left and waits (briefly) for it to go. The reaper calls it before it tells a
     * command's exit, and {@link #close()} again after: no process of the command outlives its
     * result, while removing the directories is left out of the command's time.
     */
    public synchronized void killRemaining() {
        if (closed) {
            return;
        }
        for (int round = 0; round < KILL_ROUNDS && !isEmpty(); round++) {
            killAll(); // again: a fork between reading cgroup.procs and the kill (v1) is caught next round
            if (!isEmpty()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Kills what is left, waits (briefly) for it to go and removes the directories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        killRemaining();
        boolean removed = true;
        for (Path dir : dirs.reversed()) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                removed = false; // a task in uninterruptible sleep; the JVM's exit (or the next JVM) retries
            }
        }
        if (removed) {
            closed = true;
            Cgroups.forget(this);
        }
    }

    @Override
    public String toString() {
        return dirs.toString();
    }
}
