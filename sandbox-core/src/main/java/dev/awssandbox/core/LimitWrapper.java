package dev.awssandbox.core;

import dev.awssandbox.core.access.ExecutableChain;
import dev.awssandbox.core.process.SpawnSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@link ResourceLimits} without a race: the command is started through util-linux's
 * {@code prlimit}, which sets the limits on itself and then execs the command, so that nothing
 * runs before they hold. (Setting them on the child after {@code posix_spawn} returned was
 * measured to lose the race against bash's startup; setting them on the JVM is not an option,
 * as rlimits belong to the whole process.)
 */
final class LimitWrapper {
    private static final List<String> SEARCH = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin");

    private LimitWrapper() {}

    static SpawnSpec wrap(SpawnSpec spec, ResourceLimits limits, BackendKind backend) throws SandboxException {
        List<String> options = options(limits);
        if (options.isEmpty()) {
            return spec;
        }
        Path prlimit = prlimit().orElseThrow(() -> new SandboxException(SandboxException.Kind.UNAVAILABLE,
                "cannot apply resource limits to " + spec.argv().getFirst() + ": util-linux's prlimit is not installed"
                        + " (install util-linux, or run without limits: --no-limits)", Optional.of(backend)));
        List<String> argv = new ArrayList<>();
        argv.add("prlimit");
        argv.addAll(options);
        argv.add("--");
        // prlimit execvp()s its first operand, which becomes the program's argv[0]: keep the
        // caller's spelling ("cat", not "/usr/bin/cat"); the child's PATH finds the planned program
        argv.addAll(spec.argv());
        return new SpawnSpec(prlimit, argv, spec.environment(), spec.workingDirectory(), spec.restriction());
    }

    /** prlimit's options for these limits, soft = hard so the command cannot raise them. */
    static List<String> options(ResourceLimits limits) {
        List<String> options = new ArrayList<>();
        limits.processes().ifPresent(n -> options.add("--nproc=" + n + ":" + n));
        limits.cpuTime().ifPresent(t -> options.add("--cpu=" + t.toSeconds() + ":" + t.toSeconds()));
        limits.fileSizeBytes().ifPresent(n -> options.add("--fsize=" + n + ":" + n));
        if (!limits.coreDumps()) {
            options.add("--core=0:0");
        }
        return options;
    }

    /** Looked up once: this is on every spawn's path. */
    private static volatile Optional<Path> prlimit;

    private static Optional<Path> prlimit() {
        Optional<Path> found = prlimit;
        if (found == null || found.isEmpty()) {
            found = ExecutableChain.locate("prlimit", String.join(":", SEARCH), Path.of("/"));
            prlimit = found;
        }
        return found;
    }

}
