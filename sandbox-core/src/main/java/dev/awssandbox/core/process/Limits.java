package dev.awssandbox.core.process;

import java.util.OptionalLong;

/**
 * The resource limits the spawner sets on a waiting child (see {@link SpawnGate}); absent means
 * unlimited. The engine's copy of the policy's limits.
 *
 * @param processes     processes and threads per command (pids cgroup), else RLIMIT_NPROC above the user's count
 * @param cpuSeconds    RLIMIT_CPU
 * @param fileSizeBytes RLIMIT_FSIZE
 * @param memoryBytes   memory cgroup per command and RLIMIT_DATA per process
 * @param coreDumps     false: RLIMIT_CORE 0
 */
public record Limits(OptionalLong processes, OptionalLong cpuSeconds, OptionalLong fileSizeBytes,
                     OptionalLong memoryBytes, boolean coreDumps) {
    public static final Limits NONE =
            new Limits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), true);

    /** The defaults: 512 processes, 600 CPU seconds per process, 4 GiB files, 2 GiB of memory, no core dumps. */
    public static final Limits DEFAULT = new Limits(OptionalLong.of(512), OptionalLong.of(600), OptionalLong.of(4L << 30),
            OptionalLong.of(2L << 30), false);

    /** A copy with another process allowance. */
    public Limits withProcesses(long n) {
        return new Limits(OptionalLong.of(n), cpuSeconds, fileSizeBytes, memoryBytes, coreDumps);
    }
}
