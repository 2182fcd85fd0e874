package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the spawner needs to start one child: an absolute executable, the argv it sees,
 * its whole environment, its directory, the restriction its spawning thread applies, optional
 * bytes the child can read on descriptor 3 (bubblewrap's {@code --seccomp 3}), the limits it
 * gets before it runs, and descriptors it inherits as 4, 5, … (bubblewrap's {@code --bind-fd}:
 * the caller keeps its own copies and closes them after the spawn).
 */
public record SpawnSpec(
        Path executable,
        List<String> argv,
        Map<String, String> environment,
        Path workingDirectory,
        ThreadRestriction restriction,
        Optional<byte[]> descriptor3,
        Limits limits,
        List<Integer> inherited) {

    /** The first descriptor number the child sees its inherited ones at. */
    public static final int FIRST_INHERITED = 4;

    /**
     * The lowest number the caller's copy of an inherited descriptor may have, and the lowest a
     * {@link SpawnGate}'s descriptor has: above every number a child copies anything to.
     */
    public static final int MIN_INHERITED_SOURCE = 256;

    /** At most this many inherited descriptors: their copies (4, 5, …) and the gate's after them stay below 256. */
    public static final int MAX_INHERITED = MIN_INHERITED_SOURCE - 8;

    /** A spec that hands the child no descriptor beyond the standard ones (and 3). */
    public SpawnSpec(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory,
                     ThreadRestriction restriction, Optional<byte[]> descriptor3, Limits limits) {
        this(executable, argv, environment, workingDirectory, restriction, descriptor3, limits, List.of());
    }

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
        inherited = List.copyOf(inherited);
        if (inherited.size() > MAX_INHERITED) {
            throw new IllegalArgumentException("at most " + MAX_INHERITED + " inherited descriptors: " + inherited.size());
        }
        for (int fd : inherited) {
            if (fd < MIN_INHERITED_SOURCE) {
                // below it, a source could be overwritten by an earlier copy into the child's 4, 5, …
                throw new IllegalArgumentException("an inherited descriptor must be numbered "
                        + MIN_INHERITED_SOURCE + " or more: " + fd);
            }
        }
        if (!inherited.isEmpty() && descriptor3.isEmpty()) {
            throw new IllegalArgumentException("inherited descriptors start at 4: descriptor 3 must carry data");
        }
    }
}
