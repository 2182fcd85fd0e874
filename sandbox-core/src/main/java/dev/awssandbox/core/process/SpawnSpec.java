package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the spawner needs to start one child: an absolute executable, the argv it sees,
 * its whole environment, its directory, an optional restriction applied on the spawning thread,
 * and optional bytes the child can read on descriptor 3 (bubblewrap's {@code --seccomp 3}).
 */
public record SpawnSpec(
        Path executable,
        List<String> argv,
        Map<String, String> environment,
        Path workingDirectory,
        Optional<ThreadRestriction> restriction,
        Optional<byte[]> descriptor3) {

    public SpawnSpec(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory,
                     Optional<ThreadRestriction> restriction) {
        this(executable, argv, environment, workingDirectory, restriction, Optional.empty());
    }

    public SpawnSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }
}
