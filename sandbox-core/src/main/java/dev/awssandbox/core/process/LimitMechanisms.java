package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Cgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How resource limits and the command's lifetime are enforced on this Linux host: the facts that
 * {@code doctor} and reports show (which mechanism holds a fork bomb, the memory, a killed JVM's
 * commands), and the gap when none holds a root fork bomb.
 */
public final class LimitMechanisms {
    private LimitMechanisms() {}

    /** One line per mechanism, for the limits of {@code limits}. */
    public static List<String> describe(Limits limits, boolean bubblewrap) {
        List<String> facts = new ArrayList<>();
        Cgroups.Layout layout = Cgroups.layout();
        Optional<Cgroups.Layout.Available> cgroups = layout instanceof Cgroups.Layout.Available a ? Optional.of(a)
                : Optional.empty();
        limits.processes().ifPresent(n -> facts.add(cgroups.isPresent()
                ? "processes: at most " + n + " per command, by a pids cgroup per command (" + cgroups.get().description() + ")"
                : "processes: RLIMIT_NPROC = the user's processes + " + n + ", which does not bind root (no cgroup: "
                        + ((Cgroups.Layout.Unavailable) layout).reason() + ")"));
        limits.memoryBytes().ifPresent(n -> facts.add(cgroups.isPresent() && cgroups.get().memory()
                ? "memory: " + n + " bytes per command (memory cgroup) and per process (RLIMIT_DATA)"
                : "memory: " + n + " bytes per process (RLIMIT_DATA); no memory cgroup here, so a command of many"
                        + " processes may use that much in each"));
        facts.add("limits are set on the new process before it runs (it waits at a spawn gate; no extra exec)");
        facts.add(bubblewrap ? "commands die with the JVM: bwrap --die-with-parent, and the watchdog process"
                : "commands die with the JVM, SIGKILL included: a watchdog process kills them");
        return facts;
    }

    /** What is not held at all here, if anything. */
    public static Optional<String> gap(Limits limits) {
        if (limits.processes().isPresent() && !(Cgroups.layout() instanceof Cgroups.Layout.Available) && isRoot()) {
            return Optional.of("a fork bomb run as root is not held (the kernel exempts root from RLIMIT_NPROC and no pids"
                    + " cgroup can be made here); it dies with its command at the timeout");
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
