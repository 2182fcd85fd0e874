package dev.awssandbox.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Resource limits for every sandboxed command and everything it starts, in place before the
 * command's first instruction (the spawner holds the new process until they are set; no extra
 * exec). Soft and hard limits are equal, so the command cannot raise them.
 *
 * <p>Scope, as the kernel defines it:
 * <ul>
 *   <li>{@code processes}: with a pids cgroup (aws-sandbox creates one per command where the host
 *       lets it: as root, or in a delegated cgroup v2 subtree) at most this many processes and
 *       threads in the command's tree, root included. Without one, RLIMIT_NPROC = the user's
 *       current process count plus this many; RLIMIT_NPROC does not bind root at all.</li>
 *   <li>{@code memoryBytes}: with a memory cgroup, the memory of the command's whole tree;
 *       always also RLIMIT_DATA (heap and private writable mappings) per process.</li>
 *   <li>{@code cpuTime} (RLIMIT_CPU) and {@code fileSizeBytes} (RLIMIT_FSIZE): per process.</li>
 *   <li>core dumps are disabled unless {@code coreDumps}.</li>
 * </ul>
 * {@code doctor} says which mechanism holds on the host.
 *
 * @param processes     processes (and threads) per command
 * @param cpuTime       CPU seconds per process (SIGXCPU, then SIGKILL)
 * @param fileSizeBytes largest file a process may write (SIGXFSZ/EFBIG)
 * @param memoryBytes   memory per command (cgroup) and per process (RLIMIT_DATA)
 * @param coreDumps     whether RLIMIT_CORE is left alone (false: 0, no core files)
 */
public record ResourceLimits(
        Optional<Long> processes,
        Optional<Duration> cpuTime,
        Optional<Long> fileSizeBytes,
        Optional<Long> memoryBytes,
        boolean coreDumps) {

    /** 512 processes, 600 CPU seconds per process, 4 GiB files, 2 GiB of memory, no core dumps. */
    public static final ResourceLimits DEFAULT = new ResourceLimits(Optional.of(512L), Optional.of(Duration.ofSeconds(600)),
            Optional.of(4L << 30), Optional.of(2L << 30), false);

    /** Leaves every limit as the JVM has it. */
    public static final ResourceLimits NONE =
            new ResourceLimits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);

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
        memoryBytes.ifPresent(s -> {
            if (s < (16L << 20)) {
                throw new IllegalArgumentException("memory limit must be at least 16 MiB: " + s);
            }
        });
    }

    public ResourceLimits withProcesses(long limit) {
        return new ResourceLimits(Optional.of(limit), cpuTime, fileSizeBytes, memoryBytes, coreDumps);
    }

    public ResourceLimits withCpuTime(Duration limit) {
        return new ResourceLimits(processes, Optional.of(limit), fileSizeBytes, memoryBytes, coreDumps);
    }

    public ResourceLimits withFileSize(long bytes) {
        return new ResourceLimits(processes, cpuTime, Optional.of(bytes), memoryBytes, coreDumps);
    }

    public ResourceLimits withMemory(long bytes) {
        return new ResourceLimits(processes, cpuTime, fileSizeBytes, Optional.of(bytes), coreDumps);
    }
}
