package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the spawner needs to start one child: an absolute executable, the argv it sees,
 * its whole environment, its directory, the restriction its spawning thread applies, optional
 * bytes the child can read on descriptor 3 (bubblewrap's {@code --seccomp 3}), and the limits it
 * gets before it runs.
 */
public record SpawnSpec(
        Path executable,
        List<String> argv,
        Map<String, String> environment,
        Path workingDirectory,
        ThreadRestriction restriction,
        Optional<byte[]> descriptor3,
        Limits limits) {

    /** A command started from an unrestricted thread, with no descriptor 3 and no limits. */
    public static SpawnSpec plain(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory) {
        return new SpawnSpec(executable, argv, environment, workingDirectory, ThreadRestriction.NONE, Optional.empty(),
                Limits.NONE);
    }

    public SpawnSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        java.util.Objects.requireNonNull(restriction, "restriction");
        java.util.Objects.requireNonNull(limits, "limits");
    }
}
