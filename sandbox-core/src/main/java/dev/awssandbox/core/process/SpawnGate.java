package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds a child between fork and exec until its parent has set its limits: one of the last
 * {@code posix_spawn} file actions opens a FIFO for reading, which blocks until a writer appears,
 * and only we ever open it for writing. While the child waits there it has its new session, its
 * restriction, its standard descriptors and the JVM's memory (a vfork child), but has run none of
 * its own code; we find its pid, apply the resource limits, place it in its cgroup and register
 * it, then release it. So limits hold from the command's first instruction without an extra exec
 * (util-linux's {@code prlimit} used to cost one per command).
 *
 * <p>Why each step is safe:
 * <ul>
 *   <li>The FIFO is fresh for every spawn, created in a private directory that no policy may make
 *       writable, opened {@code O_PATH} (as a descriptor numbered 16 or more) and unlinked at once:
 *       no other process can name it, and only this JVM can open its write side. The child copies
 *       it to descriptor {@link #CHILD_FD} (or the one after, when descriptor 3 carries data),
 *       closes every other one above, and opens it through {@code /proc/self/fd/K}: no name is
 *       looked up while it waits. (An anonymous pipe would not do: reopened through /proc, a pipe
 *       never blocks.)</li>
 *   <li>The child is identified exactly, among the pids allocated since just before the spawn
 *       ({@code ns_last_pid}): its descriptor {@code K} is our FIFO. Other children of this JVM
 *       that are between fork and exec hold our FIFO too, but at its own number (16 or more),
 *       and ours hold their own gate at {@code K}; no process of a command's making ever held it.</li>
 *   <li>If the spawn fails or the child dies first, the spawning thread returns and the search
 *       stops: nothing waits forever.</li>
 * </ul>
 */
final class SpawnGate implements AutoCloseable {
    /** Where the child keeps its gate while it waits (3, or 4 when descriptor 3 carries data). */
    static final int CHILD_FD = 3;
    private static final int HIGH_FD = 16;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    private final int pathFd;
    private final Object fifoKey;
    private int writerFd = -1;

    private SpawnGate(int pathFd, Object fifoKey) {
        this.pathFd = pathFd;
        this.fifoKey = fifoKey;
    }

    /** A fresh gate: a FIFO known only by our descriptor. */
    static SpawnGate create() throws ErrnoException {
        Path fifo = GateDirectory.path().resolve("g" + SEQUENCE.incrementAndGet());
        Libc.mkfifo(fifo.toString(), 0600);
        int fd;
        try {
            int opened = Libc.open(fifo.toString(), Libc.O_PATH | Libc.O_CLOEXEC);
            try {
                fd = Libc.duplicateFrom(opened, HIGH_FD); // never K: see the class comment
            } finally {
                Libc.close(opened);
            }
        } finally {
            try {
                Files.deleteIfExists(fifo);
            } catch (IOException e) {
                // a leftover empty FIFO in our private directory is harmless; the directory goes at exit
            }
        }
        try {
            Object key = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey();
            return new SpawnGate(fd, key);
        } catch (IOException e) {
            Libc.close(fd);
            throw new ErrnoException("stat(gate fifo)", Errno.EIO);
        }
    }

    /** Our descriptor of the FIFO, which the child copies to its gate descriptor. */
    int fd() {
        return pathFd;
    }

    /** The highest pid allocated in our pid namespace so far, when the kernel tells. */
    static OptionalInt lastPid() {
        try (InputStream in = Files.newInputStream(NS_LAST_PID)) {
            return OptionalInt.of(Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Finds the child at this gate: a pid allocated after {@code base} (any child of this JVM when
     * the kernel does not tell its last pid) whose descriptor {@code childFd} is our FIFO. Returns
     * empty once {@code spawnEnded} says the spawn returned without it (it failed, or died).
     */
    OptionalInt awaitChild(OptionalInt base, int childFd, java.util.function.BooleanSupplier spawnEnded) {
        int spins = 0;
        while (true) {
            boolean ended = spawnEnded.getAsBoolean(); // read first: a last look follows the end
            OptionalInt found = base.isPresent() ? scanAfter(base.getAsInt(), childFd) : scanChildren(childFd);
            if (found.isPresent() || ended) {
                return found;
            }
            // the child needs a CPU to get here: give ours away rather than spin (2-core hosts)
            if (++spins < 200) {
                Thread.yield();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000);
            }
        }
    }

    private OptionalInt scanAfter(int base, int childFd) {
        OptionalInt last = lastPid();
        if (last.isEmpty()) {
            return scanChildren(childFd);
        }
        int end = last.getAsInt();
        if (end >= base) {
            return scanRange(base + 1, end, childFd);
        }
        OptionalInt high = scanRange(base + 1, PidMax.value(), childFd); // wrapped around
        return high.isPresent() ? high : scanRange(1, end, childFd);
    }

    private OptionalInt scanRange(int from, int to, int childFd) {
        for (int pid = from; pid <= to; pid++) {
            if (holdsOurFifo(pid, childFd)) {
                return OptionalInt.of(pid);
            }
        }
        return OptionalInt.empty();
    }

    private OptionalInt scanChildren(int childFd) {
        long self = ProcessHandle.current().pid();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                int pid = Integer.parseInt(proc.getFileName().toString());
                if (Subreaper.stat(proc.resolve("stat")).map(s -> s.ppid() == self).orElse(false)
                        && holdsOurFifo(pid, childFd)) {
                    return OptionalInt.of(pid);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not found this round
        }
        return OptionalInt.empty();
    }

    private boolean holdsOurFifo(int pid, int childFd) {
        try {
            Object key = Files.readAttributes(Path.of("/proc/" + pid + "/fd/" + childFd), BasicFileAttributes.class)
                    .fileKey();
            return fifoKey.equals(key);
        } catch (IOException e) {
            return false; // gone, not a process of ours to look into, or no such descriptor
        }
    }

    /**
     * Lets the waiting child go on: opens the write side, which the child's blocked open meets.
     * Retries while the child has not reached its open yet; gives up when the spawn ended.
     */
    void release(java.util.function.BooleanSupplier spawnEnded) throws ErrnoException {
        String path = "/proc/self/fd/" + pathFd;
        while (true) {
            int fd = Libc.tryOpen(path, Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd >= 0) {
                writerFd = fd;
                return;
            }
            if (-fd != Errno.ENXIO || spawnEnded.getAsBoolean()) {
                if (-fd == Errno.ENXIO) {
                    return; // the child is gone: nobody to release
                }
                throw new ErrnoException("open(spawn gate, O_WRONLY)", -fd);
            }
            Thread.onSpinWait(); // no reader yet: the child is a few instructions from its open
        }
    }

    @Override
    public void close() {
        Libc.close(writerFd);
        writerFd = -1;
        Libc.close(pathFd);
    }

    /** /proc/sys/kernel/pid_max, read once. */
    private static final class PidMax {
        private static final int VALUE = read();

        static int value() {
            return VALUE;
        }

        private static int read() {
            try (InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/pid_max"))) {
                return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
            } catch (IOException | NumberFormatException e) {
                return 4_194_304; // PID_MAX_LIMIT on 64-bit
            }
        }
    }
}
