package dev.awssandbox.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Resource limits (rlimits) applied to every sandboxed command and inherited by what it starts.
 *
 * <p>Scope, as the kernel defines it: {@code processes} (RLIMIT_NPROC) counts every process of
 * the command's <em>user</em>, not only the command's, and does not apply to root at all (the
 * kernel exempts uid 0); CPU time and file size apply per process; core dumps are disabled.
 * Soft and hard limits are equal, so the command cannot raise them. They are set by starting the
 * command through util-linux's {@code prlimit} (see {@code LimitWrapper}): no race, one extra
 * exec per command; {@link #NONE} skips it.
 *
 * @param processes    RLIMIT_NPROC: at most this many processes for the user
 * @param cpuTime      RLIMIT_CPU: CPU seconds per process (SIGXCPU, then SIGKILL)
 * @param fileSizeBytes RLIMIT_FSIZE: largest file a process may write (SIGXFSZ/EFBIG)
 * @param coreDumps    whether RLIMIT_CORE is left alone (false: 0, no core files)
 */
public record ResourceLimits(
        Optional<Long> processes,
        Optional<Duration> cpuTime,
        Optional<Long> fileSizeBytes,
        boolean coreDumps) {

    /** 4096 processes per user, 600 CPU seconds per process, 4 GiB files, no core dumps. */
    public static final ResourceLimits DEFAULT =
            new ResourceLimits(Optional.of(4096L), Optional.of(Duration.ofSeconds(600)), Optional.of(4L << 30), false);

    /** Leaves every limit as the JVM has it. */
    public static final ResourceLimits NONE = new ResourceLimits(Optional.empty(), Optional.empty(), Optional.empty(), true);

    public ResourceLimits {
        processes.ifPresent(p -> {
            if (p < 1) {
                throw new IllegalArgumentException("process limit must be at least 1: " + p);
            }
        });
        cpuTime.ifPresent(t -> {
            if (t.toSeconds() < 1) {
                throw new IllegalArgumentException("CPU time limit must be at least 1 s: " + t);
            }
        });
        fileSizeBytes.ifPresent(s -> {
            if (s < 1) {
                throw new IllegalArgumentException("file size limit must be at least 1 byte: " + s);
            }
        });
    }

    public ResourceLimits withProcesses(long limit) {
        return new ResourceLimits(Optional.of(limit), cpuTime, fileSizeBytes, coreDumps);
    }

    public ResourceLimits withCpuTime(Duration limit) {
        return new ResourceLimits(processes, Optional.of(limit), fileSizeBytes, coreDumps);
    }

    public ResourceLimits withFileSize(long bytes) {
        return new ResourceLimits(processes, cpuTime, Optional.of(bytes), coreDumps);
    }
}
