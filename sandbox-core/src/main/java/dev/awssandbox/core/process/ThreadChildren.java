package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.KernelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The children of one of this JVM's threads, as the kernel lists them in
 * {@code /proc/self/task/TID/children} ({@code CONFIG_PROC_CHILDREN}, which common distributions'
 * kernels have). A {@code posix_spawn} child is the child of the thread that spawned it, so this
 * finds a spawn's child without the pid counter, and tells it apart from every other spawn's.
 */
final class ThreadChildren {
    private static final Optional<Path> OWN_IMAGE = image(ProcessHandle.current().pid());

    private ThreadChildren() {}

    /** The pids of thread {@code tid}'s children; empty when the kernel does not list them. */
    static List<Integer> of(int tid) {
        if (tid <= 0) {
            return List.of();
        }
        return KernelFiles.pids(Path.of("/proc/self/task/" + tid + "/children")).orElse(List.of());
    }

    /**
     * The child that spawning thread {@code tid} has in flight: its child that the reaper does not
     * watch, that is none of the JVM's helpers and that still runs the JVM's image (it has not
     * exec'd). A spawning thread spawns one child at a time, and each earlier one was registered
     * or killed before its spawn ended, so there is at most one such child.
     */
    static OptionalInt unreleased(int tid) {
        for (int pid : of(tid)) {
            if (!ChildReaper.instance().isWatched(pid) && pid != Watchdog.pid() && pid != CommandDomain.killerPid()
                    && OWN_IMAGE.isPresent() && OWN_IMAGE.equals(image(pid))) {
                return OptionalInt.of(pid);
            }
        }
        return OptionalInt.empty();
    }

    /** What process {@code pid} is doing, from /proc: "stopped (state T), waiting in do_signal_stop". */
    static String state(int pid) {
        Optional<Subreaper.Stat> stat = Subreaper.stat(Path.of("/proc/" + pid + "/stat"));
        if (stat.isEmpty()) {
            return "gone";
        }
        char state = stat.get().state();
        String text = switch (state) {
            case 'R' -> "running";
            case 'S' -> "sleeping";
            case 'D' -> "in an uninterruptible wait";
            case 'T' -> "stopped";
            case 't' -> "stopped by a tracer";
            case 'Z' -> "dead, not yet reaped";
            default -> "in state";
        } + " (state " + state + ")";
        String wchan = KernelFiles.readIfPresent(Path.of("/proc/" + pid + "/wchan")).orElse("").strip();
        return wchan.isEmpty() || wchan.equals("0") ? text : text + ", waiting in " + wchan;
    }

    private static Optional<Path> image(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // gone, or a kernel thread
        }
    }
}
