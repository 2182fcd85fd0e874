package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Cgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How resource limits and the commands' lifetime are enforced on this Linux host: the facts that
 * {@code doctor} and reports show (which mechanism holds a fork bomb, the memory, a killed JVM's
 * commands), and the gaps where none holds (a root fork bomb without a pids cgroup, a command's
 * total memory without a memory cgroup, an escaped process of a killed JVM without a cgroup or
 * the commands' Landlock domain). Each sentence says what holds exactly, never more: the red
 * team found "commands die with the JVM, SIGKILL included" shown where it did not hold.
 */
public final class LimitMechanisms {
    private LimitMechanisms() {}

    /** The kind of command the facts are about. */
    public enum Commands {
        LANDLOCK,
        /** Landlock before ABI 6 (or capped below it): no signal scope, so no commands' domain. */
        LANDLOCK_WITHOUT_SIGNAL_SCOPE,
        BUBBLEWRAP,
        UNSANDBOXED
    }

    /** The facts and the gaps for {@code limits} and {@code commands} here. */
    public record Facts(List<String> notes, List<String> gaps) {
        public Facts {
            notes = List.copyOf(notes);
            gaps = List.copyOf(gaps);
        }
    }

    /** What holds, one sentence per mechanism, and what does not. Sets up the commands' domain for Landlock. */
    public static Facts describe(Limits limits, Commands commands) {
        List<String> notes = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        Cgroups.Layout layout = Cgroups.layout();
        Optional<Cgroups.Layout.Available> cgroups = layout instanceof Cgroups.Layout.Available a ? Optional.of(a)
                : Optional.empty();
        String noCgroup = layout instanceof Cgroups.Layout.Unavailable u ? "no cgroup: " + u.reason() : "";
        limits.processes().ifPresent(n -> notes.add(cgroups.isPresent()
                ? "processes: at most " + n + " per command, by a pids cgroup per command (" + cgroups.get().description() + ")"
                : "processes: RLIMIT_NPROC = the user's processes + " + n + ", which does not bind root (" + noCgroup + ")"));
        if (limits.processes().isPresent() && cgroups.isEmpty() && isRoot() && commands != Commands.UNSANDBOXED) {
            gaps.add("a fork bomb run as root is not held (the kernel exempts root from RLIMIT_NPROC and no pids"
                    + " cgroup can be made here); it dies with its command at the timeout");
        }
        limits.memoryBytes().ifPresent(n -> {
            if (cgroups.isPresent() && cgroups.get().memory()) {
                notes.add("memory: " + n + " bytes per command, by a memory cgroup (every page its processes use, shared"
                        + " memory and the tmpfs files they write included" + (cgroups.get().v2() ? ", socket buffers too"
                        : "; cgroup v1 bounds TCP socket buffers apart, at the same size and loosely, so the command's"
                        + " total can pass it") + "), and RLIMIT_DATA per process");
            } else {
                notes.add("memory: RLIMIT_DATA = " + n + " bytes per process: each process's heap and private mappings");
                String gap = "memory: a command's total memory is not bounded here (" + (cgroups.isEmpty() ? noCgroup
                        : "the cgroups here have no memory controller") + "): RLIMIT_DATA does not count shared memory"
                        + " (MAP_SHARED, memfd, /dev/shm), files written to tmpfs or kernel buffers, and each process of"
                        + " a command has its own " + n + " bytes";
                if (commands == Commands.UNSANDBOXED) {
                    notes.add(gap);
                } else {
                    gaps.add(gap);
                }
            }
        });
        notes.add("limits are set on the new process before it runs (it waits at a spawn gate; no extra exec)");
        lifetime(commands, cgroups, noCgroup, notes, gaps);
        return new Facts(notes, gaps);
    }

    private static void lifetime(Commands commands, Optional<Cgroups.Layout.Available> cgroups, String noCgroup,
                                 List<String> notes, List<String> gaps) {
        String cgroupKill = cgroups.isPresent() ? " and their cgroups (which hold processes that left the group)" : "";
        switch (commands) {
            case BUBBLEWRAP -> notes.add("commands die with the JVM, SIGKILL included, with every process they started:"
                    + " each runs in a PID namespace of its own, which ends when bwrap's init dies, and bwrap dies with"
                    + " its spawner thread (--die-with-parent); the watchdog also kills their process groups" + cgroupKill);
            case UNSANDBOXED -> notes.add("unsandboxed commands: when the JVM dies, the watchdog kills their process groups"
                    + cgroupKill + (cgroups.isPresent() ? "" : "; a process that left its group (setsid) survives"));
            case LANDLOCK, LANDLOCK_WITHOUT_SIGNAL_SCOPE -> {
                CommandDomain.State domain = commands == Commands.LANDLOCK ? CommandDomain.state()
                        : new CommandDomain.State.Off("the Landlock ABI in use has no signal scope (ABI 6)");
                if (domain instanceof CommandDomain.State.Armed) {
                    notes.add("commands die with the JVM, SIGKILL included, with every process they started (setsid,"
                            + " double forks and fork chains too): their Landlock domains are nested in one of the JVM's,"
                            + " whose killer process signals all of it, and nothing else, when the JVM is gone"
                            + (cgroups.isPresent() ? "; the watchdog also kills their process groups" + cgroupKill : ""));
                } else if (cgroups.isPresent()) {
                    notes.add("commands die with the JVM, SIGKILL included: the watchdog kills their process groups"
                            + cgroupKill);
                } else {
                    notes.add("when the JVM dies, the watchdog kills the commands' process groups");
                    gaps.add("a process that leaves its command's process group (setsid, a double fork) outlives a JVM"
                            + " killed with SIGKILL (" + noCgroup + "; no commands' Landlock domain: "
                            + ((CommandDomain.State.Off) domain).reason() + ")");
                }
            }
        }
    }

    private static boolean isRoot() {
        return dev.awssandbox.core.linux.ProcessIds.current().root();
    }
}
