package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.KernelFiles;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *       writable, opened {@code O_PATH} (as a descriptor numbered 256 or more) and unlinked at once:
 *       no other process can name it, and only this JVM can open its write side. The child copies
 *       it to descriptor {@link #CHILD_FD} (or the one after, when descriptor 3 carries data, or
 *       after the inherited descriptors), closes every other one above, and opens it through
 *       {@code /proc/self/fd/K}: no name is looked up while it waits. (An anonymous pipe would not
 *       do: reopened through /proc, a pipe never blocks.)</li>
 *   <li>The child is identified exactly, among the pids allocated since just before the spawn
 *       ({@code ns_last_pid}): its descriptor {@code K} is our FIFO. Other children of this JVM
 *       that are between fork and exec hold our FIFO too, but at its number in the JVM, which is
 *       256 or more ({@link SpawnSpec#MIN_INHERITED_SOURCE}), while every child's {@code K} is
 *       below 256 (at most {@link SpawnSpec#MAX_INHERITED} inherited descriptors come before it);
 *       and ours hold their own gate at {@code K}. No process of a command's making ever held it.
 *       (With gates numbered from 16, a bubblewrap command's {@code K} of about 30 could be
 *       another spawn's gate in the JVM: that spawn took the child of this one for its own, and
 *       released this one's child without its limits; under load, one command in a few
 *       thousand.)</li>
 *   <li>If the spawn fails or the child dies first, the spawning thread returns and the search
 *       stops. A child that is alive but does not come through its gate in time
 *       ({@link PosixSpawner#GATE_DEADLINE}) is found among the spawning thread's children
 *       ({@link ThreadChildren}) and killed. Only where the kernel lists no thread's children
 *       ({@code CONFIG_PROC_CHILDREN} off) can such a child not be told apart, and the spawn
 *       waits for it.</li>
 * </ul>
 */
final class SpawnGate implements AutoCloseable {
    /** Where the child keeps its gate while it waits (3, or 4 when descriptor 3 carries data). */
    static final int CHILD_FD = 3;
    /** Where our descriptors of gates are numbered from: above every child's {@code K}. */
    private static final int HIGH_FD = SpawnSpec.MIN_INHERITED_SOURCE;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");

    private int pathFd;
    private final FileId fifo;
    private int writerFd = -1;

    private SpawnGate(int pathFd, FileId fifo) {
        this.pathFd = pathFd;
        this.fifo = fifo;
    }

    /** A fresh gate: a FIFO known only by our descriptor. */
    static SpawnGate create() throws ErrnoException {
        Path fifo = GateDirectory.path().resolve("g" + SEQUENCE.incrementAndGet());
        Libc.mkfifo(fifo.toString(), 0600);
        int fd;
        try {
            int opened = Libc.open(fifo.toString(), Libc.O_PATH | Libc.O_CLOEXEC);
            try {
                fd = Libc.duplicateFrom(opened, HIGH_FD); // never any child's K: see the class comment
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINVAL) { // F_DUPFD above the descriptor limit
                    throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC, " + HIGH_FD + "): the descriptor limit (ulimit -n) must be"
                            + " above " + HIGH_FD, e.errno());
                }
                throw e;
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
        try (Probe probe = new Probe()) {
            FileId id = probe.identify("/proc/self/fd/" + fd);
            if (id == null) {
                throw new ErrnoException("statx(gate fifo)", Errno.EIO);
            }
            return new SpawnGate(fd, id);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Our descriptor of the FIFO, which the child copies to its gate descriptor. */
    int fd() {
        return pathFd;
    }

    /** The highest pid allocated in our pid namespace so far, when the kernel tells. */
    static OptionalInt lastPid() {
        try (Probe probe = new Probe()) {
            return probe.lastPid();
        }
    }

    /**
     * Finds the child at this gate: a pid allocated after {@code base} (any child of this JVM when
     * the kernel does not tell its last pid) whose descriptor {@code childFd} is our FIFO. Returns
     * empty once {@code spawnEnded} says the spawn returned without it (it failed, or died).
     *
     * <p>A child that has not come to its gate by {@code deadline} ({@link System#nanoTime()}) is
     * {@link Late}: it was stopped, or is blocked in an earlier file action (a working directory on
     * a file system that does not answer). Its spawn would never end, and the search with it (a CI
     * run once waited here for eight minutes), so it is told to the caller, who kills it: it is the
     * spawning thread's child that the reaper does not watch and that still runs the JVM's image.
     * When the kernel does not list a thread's children (no {@code CONFIG_PROC_CHILDREN}) it cannot
     * be told apart from other spawns' children, and the search goes on.
     */
    OptionalInt awaitChild(OptionalInt base, int childFd, java.util.function.BooleanSupplier spawnEnded, int spawnerTid,
                           long deadline) throws Late {
        try (Probe probe = new Probe()) {
            int rounds = 0;
            while (true) {
                boolean ended = spawnEnded.getAsBoolean(); // read first: a last look follows the end
                OptionalInt found = base.isPresent() ? scanAfter(probe, base.getAsInt(), childFd) : scanChildren(probe, childFd);
                if (found.isEmpty() && rounds >= SPIN_ROUNDS && rounds % 64 == 0) {
                    // slow to appear: look among the spawning thread's children too, which rests on no pid counter
                    found = ThreadChildren.of(spawnerTid).stream().filter(pid -> holdsOurFifo(probe, pid, childFd))
                            .findFirst().map(OptionalInt::of).orElse(OptionalInt.empty());
                }
                if (found.isPresent() || ended) {
                    return found;
                }
                if (System.nanoTime() - deadline > 0) {
                    OptionalInt late = ThreadChildren.unreleased(spawnerTid);
                    if (late.isPresent()) {
                        throw new Late(late.getAsInt(), "did not reach its spawn gate");
                    }
                    deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(1); // not told: look again
                }
                // the child needs a CPU to get here: give ours away rather than spin (2-core hosts)
                if (++rounds < SPIN_ROUNDS) {
                    Thread.yield();
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000);
                }
            }
        }
    }

    /** Rounds of the search in which it yields its CPU; it parks briefly after them. */
    private static final int SPIN_ROUNDS = 200;

    /**
     * A child that did not come to its gate, or did not open it, by the spawn's deadline: it has run
     * none of its command's code, and its spawn does not end until it is killed.
     */
    static final class Late extends Exception {
        private static final long serialVersionUID = 1L;
        private final int pid;

        Late(int pid, String what) {
            super("the new process " + pid + " " + what + " in time (" + ThreadChildren.state(pid) + ")", null, false, false);
            this.pid = pid;
        }

        int pid() {
            return pid;
        }
    }

    private OptionalInt scanAfter(Probe probe, int base, int childFd) {
        OptionalInt last = probe.lastPid();
        if (last.isEmpty()) {
            return scanChildren(probe, childFd);
        }
        int end = last.getAsInt();
        if (end >= base) {
            return scanRange(probe, base + 1, end, childFd);
        }
        OptionalInt high = scanRange(probe, base + 1, PidMax.value(), childFd); // wrapped around
        return high.isPresent() ? high : scanRange(probe, 1, end, childFd);
    }

    private OptionalInt scanRange(Probe probe, int from, int to, int childFd) {
        for (int pid = from; pid <= to; pid++) {
            if (holdsOurFifo(probe, pid, childFd)) {
                return OptionalInt.of(pid);
            }
        }
        return OptionalInt.empty();
    }

    private OptionalInt scanChildren(Probe probe, int childFd) {
        long self = ProcessHandle.current().pid();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                int pid = Integer.parseInt(proc.getFileName().toString());
                if (Subreaper.stat(proc.resolve("stat")).map(s -> s.ppid() == self).orElse(false)
                        && holdsOurFifo(probe, pid, childFd)) {
                    return OptionalInt.of(pid);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not found this round
        }
        return OptionalInt.empty();
    }

    private boolean holdsOurFifo(Probe probe, int pid, int childFd) {
        // gone, not a process of ours to look into, or no such descriptor: null
        return fifo.equals(probe.identify("/proc/" + pid + "/fd/" + childFd));
    }

    /**
     * Lets the waiting child go on: opens the write side, which the child's blocked open meets.
     * Retries while the child has not reached its open yet; gives up when the spawn ended. A child
     * that has not opened its gate by {@code deadline} is {@link Late} (stopped between the copy
     * of its gate and the open, say).
     */
    void release(java.util.function.BooleanSupplier spawnEnded, int pid, long deadline) throws ErrnoException, Late {
        String path = "/proc/self/fd/" + pathFd;
        int rounds = 0;
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
            if (System.nanoTime() - deadline > 0) {
                throw new Late(pid, "did not open its spawn gate");
            }
            // no reader yet: the child is a few instructions from its open, unless it was stopped on its way
            if (++rounds < 1_000) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000);
            }
        }
    }

    @Override
    public void close() {
        Libc.close(writerFd);
        writerFd = -1;
        Libc.close(pathFd);
        pathFd = -1; // a second close must not close a number that is someone else's by then
    }

    /** A file's identity: its device and inode. */
    private record FileId(int major, int minor, long inode) {}

    /**
     * The search's system calls with buffers made once per search: it runs a few hundred times
     * while the child makes its way to the gate, so each look is one {@code statx} or one
     * {@code pread}, without the JDK's path objects, attribute maps and exceptions.
     */
    private static final class Probe implements AutoCloseable {
        private static final int MASK = Libc.STATX_INO;
        private static final VarHandle STX_INO = Libc.STATX.varHandle(groupElement("stx_ino"));
        private static final VarHandle STX_DEV_MAJOR = Libc.STATX.varHandle(groupElement("stx_dev_major"));
        private static final VarHandle STX_DEV_MINOR = Libc.STATX.varHandle(groupElement("stx_dev_minor"));
        private static final int PATH_BYTES = 64;

        private final Arena arena = Arena.ofConfined();
        private final MemorySegment path = arena.allocate(PATH_BYTES);
        private final MemorySegment statx = arena.allocate(Libc.STATX);
        private final MemorySegment number = arena.allocate(32);
        private final MemorySegment state = Libc.newCaptureState(arena);

        /** What {@code path} (ASCII, a link followed) is, or null when it cannot be looked at. */
        FileId identify(String text) {
            if (text.length() >= PATH_BYTES) {
                throw new IllegalArgumentException(text);
            }
            for (int i = 0; i < text.length(); i++) {
                path.set(ValueLayout.JAVA_BYTE, i, (byte) text.charAt(i));
            }
            path.set(ValueLayout.JAVA_BYTE, text.length(), (byte) 0);
            if (Libc.statx(Libc.AT_FDCWD, path, 0, MASK, statx, state) != 0) {
                return null;
            }
            return new FileId((int) STX_DEV_MAJOR.get(statx, 0L), (int) STX_DEV_MINOR.get(statx, 0L),
                    (long) STX_INO.get(statx, 0L));
        }

        /** {@code /proc/sys/kernel/ns_last_pid}, read from offset 0 of a descriptor kept open. */
        OptionalInt lastPid() {
            int fd = LastPid.FD;
            if (fd < 0) {
                return OptionalInt.empty();
            }
            long n = Libc.pread(fd, number, number.byteSize(), 0, state);
            int value = 0;
            int digits = 0;
            for (long i = 0; i < n; i++) {
                byte b = number.get(ValueLayout.JAVA_BYTE, i);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                digits++;
            }
            return digits > 0 && digits < 10 ? OptionalInt.of(value) : OptionalInt.empty();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** {@code ns_last_pid}, opened once for the JVM's life (-1 where the kernel has no such file). */
    private static final class LastPid {
        static final int FD = Libc.tryOpen(NS_LAST_PID.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
    }

    /** /proc/sys/kernel/pid_max, read once. */
    private static final class PidMax {
        private static final int VALUE = read();

        static int value() {
            return VALUE;
        }

        private static int read() {
            return KernelFiles.readInt(Path.of("/proc/sys/kernel/pid_max"), 4_194_304); // else PID_MAX_LIMIT on 64-bit
        }
    }
}
