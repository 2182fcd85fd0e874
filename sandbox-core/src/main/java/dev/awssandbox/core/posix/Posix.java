package dev.awssandbox.core.posix;

import static dev.awssandbox.core.posix.Downcalls.captureState;
import static dev.awssandbox.core.posix.Downcalls.errno;
import static dev.awssandbox.core.posix.Downcalls.plain;
import static dev.awssandbox.core.posix.Downcalls.rethrow;
import static dev.awssandbox.core.posix.Downcalls.withErrno;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few POSIX calls the portable engine makes, through FFM, for both C libraries it runs on:
 * macOS's libSystem and glibc. Only the calls and constants that are the same, or whose
 * difference is spelled out here, are used; every structure is either opaque (allocated
 * generously) or identical on both ({@code int[2]}, {@code struct pollfd}, {@code struct rlimit}).
 *
 * <p>Where the two differ:
 * <table>
 *   <caption>values that differ between Darwin and glibc</caption>
 *   <tr><th>what</th><th>Darwin</th><th>glibc</th></tr>
 *   <tr><td>{@code POSIX_SPAWN_SETSID}</td><td>0x400 (macOS 10.15+)</td><td>0x80 (2.26+)</td></tr>
 *   <tr><td>closing inherited descriptors</td><td>{@code POSIX_SPAWN_CLOEXEC_DEFAULT} (0x4000)</td>
 *       <td>{@code posix_spawn_file_actions_addclosefrom_np} (2.34+)</td></tr>
 *   <tr><td>{@code WNOWAIT}</td><td>0x20</td><td>0x01000000</td></tr>
 *   <tr><td>{@code RLIMIT_NPROC}</td><td>7</td><td>6</td></tr>
 *   <tr><td>{@code RLIM_INFINITY}</td><td>2<sup>63</sup>-1</td><td>2<sup>64</sup>-1</td></tr>
 *   <tr><td>{@code nfds_t} (poll)</td><td>unsigned int</td><td>unsigned long</td></tr>
 *   <tr><td>{@code EAGAIN}</td><td>35</td><td>11</td></tr>
 *   <tr><td>poll of a pipe's write end without reader</td><td>POLLHUP</td><td>POLLERR</td></tr>
 * </table>
 * Variadic calls ({@code fcntl}) declare their first variadic argument: Apple's arm64 ABI passes
 * variadic arguments on the stack, not in registers.
 *
 * <p>Errors come back as errno values captured by the linker, never read from a thread-local
 * afterwards.
 */
public final class Posix {
    /** The C library this JVM runs on. */
    public enum Os { LINUX, DARWIN }

    public static final Os OS = detect();

    // <signal.h>
    public static final int SIGKILL = 9;
    public static final int SIGPIPE = 13;

    // <errno.h>
    public static final int EINTR = 4;
    public static final int ESRCH = 3;
    public static final int EAGAIN = OS == Os.DARWIN ? 35 : 11;

    // <poll.h>
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;

    /** siginfo_t: 104 bytes on Darwin, 128 on Linux; only filled, never read. */
    private static final long SIGINFO_SIZE = 256;

    /** <pre>struct pollfd { int fd; short events; short revents; };</pre> the same on Darwin and Linux. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    private static final VarHandle POLLFD_FD = POLLFD.varHandle(groupElement("fd"));
    private static final VarHandle POLLFD_EVENTS = POLLFD.varHandle(groupElement("events"));
    private static final VarHandle POLLFD_REVENTS = POLLFD.varHandle(groupElement("revents"));

    /** <pre>struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; };</pre> {@code rlim_t} is 64 bits on both. */
    public static final StructLayout RLIMIT = MemoryLayout.structLayout(
            JAVA_LONG.withName("rlim_cur"), JAVA_LONG.withName("rlim_max"));
    private static final VarHandle RLIMIT_CUR = RLIMIT.varHandle(groupElement("rlim_cur"));
    private static final VarHandle RLIMIT_MAX = RLIMIT.varHandle(groupElement("rlim_max"));

    /**
     * The portable engine's calls, linked when it first runs: a Linux JVM loads this class for its
     * layouts and for posix_spawn, and runs the portable engine only when asked to.
     */
    private static final class Engine {
        static final MethodHandle PIPE = withErrno("pipe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle FCNTL = withErrno("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        static final MethodHandle READ = withErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        /** {@code nfds_t} is an unsigned int on Darwin, an unsigned long on glibc. */
        static final MethodHandle POLL = withErrno("poll", OS == Os.DARWIN
                ? FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)
                : FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle WAITID = withErrno("waitid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle WAITPID = withErrno("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

        // <sys/wait.h>, <fcntl.h>: the arguments these calls take here
        static final int P_PID = 1;
        static final int WEXITED = 4;
        static final int WNOWAIT = OS == Os.DARWIN ? 0x20 : 0x01000000;
        static final int F_SETFD = 2;
        static final int FD_CLOEXEC = 1;
    }

    /** getrlimit(2), for Seatbelt's shell limits: linked when first used. */
    private static final class Getrlimit {
        static final MethodHandle HANDLE = withErrno("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** strerror(3), for messages: linked when first used. */
    private static final class Strerror {
        static final MethodHandle HANDLE = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Posix() {}

    private static Os detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("mac") || os.startsWith("darwin") ? Os.DARWIN : Os.LINUX;
    }

    /** The C library's message for an errno value. */
    public static String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return message.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "unknown error " + errno + " (strerror failed)";
        }
    }

    /** A pipe whose two ends are closed on exec; {read, write}. */
    public static int[] pipe() throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = captureState(arena);
            int r = (int) Engine.PIPE.invokeExact(state, fds);
            if (r != 0) {
                throw new PosixException("pipe", errno(state));
            }
            int[] pipe = {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
            // not atomic with pipe(): our own spawns close every inherited descriptor anyway (see spawn)
            for (int fd : pipe) {
                fcntl(fd, Engine.F_SETFD, Engine.FD_CLOEXEC, arena);
            }
            return pipe;
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int fcntl(int fd, int cmd, int arg, Arena arena) {
        try {
            return (int) Engine.FCNTL.invokeExact(Downcalls.threadCaptureState(), fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a descriptor, ignoring errors; negative values are ignored. */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int unused = (int) Engine.CLOSE.invokeExact(Downcalls.threadCaptureState(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read(2)}: bytes read, 0 at end of file, or minus errno. */
    public static long read(int fd, MemorySegment buffer, long count, MemorySegment state) {
        return transfer(Engine.READ, fd, buffer, count, state);
    }

    /** {@code write(2)}: bytes written, or minus errno. */
    public static long write(int fd, MemorySegment buffer, long count, MemorySegment state) {
        return transfer(Engine.WRITE, fd, buffer, count, state);
    }

    /** {@code read} or {@code write}, which have the same signature and result. */
    private static long transfer(MethodHandle function, int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long r = (long) function.invokeExact(state, fd, buffer, count);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A state segment for {@link #read} and {@link #write} in a loop. */
    public static MemorySegment newCaptureState(Arena arena) {
        return captureState(arena);
    }

    /** {@code poll(2)} on one descriptor: its revents (0 on timeout), or minus errno. */
    public static int poll(int fd, short events, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(POLLFD);
            POLLFD_FD.set(pollfd, 0L, fd);
            POLLFD_EVENTS.set(pollfd, 0L, events);
            MemorySegment state = captureState(arena);
            int r = OS == Os.DARWIN
                    ? (int) Engine.POLL.invokeExact(state, pollfd, 1, timeoutMillis)
                    : (int) Engine.POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (r < 0) {
                return -errno(state);
            }
            return r == 0 ? 0 : (short) POLLFD_REVENTS.get(pollfd, 0L) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Whether the pipe whose write end is {@code fd} has no reader left: Linux reports that as
     * POLLERR, macOS as POLLHUP.
     */
    public static boolean pipeHasNoReader(int fd) {
        int revents = poll(fd, POLLOUT, 0);
        return revents > 0 && (revents & (POLLERR | POLLHUP)) != 0;
    }

    /** {@code kill(2)}: 0, or the errno. A negative pid names a process group. */
    public static int kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int r = (int) Engine.KILL.invokeExact(state, pid, signal);
            return r == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Waits until the child {@code pid} has exited <em>without reaping it</em> ({@code WNOWAIT}):
     * while it stays a zombie its pid, and so its process group id, cannot be reused. Returns 0,
     * or the errno; EINTR is retried.
     */
    public static int awaitExitKeepingZombie(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment siginfo = arena.allocate(SIGINFO_SIZE, 8);
            MemorySegment state = captureState(arena);
            while (true) {
                int r = (int) Engine.WAITID.invokeExact(state, Engine.P_PID, pid, siginfo, Engine.WEXITED | Engine.WNOWAIT);
                if (r == 0) {
                    return 0;
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    return errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reaps the child {@code pid} and returns its raw wait status, or minus errno. */
    public static int reap(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment state = captureState(arena);
            while (true) {
                int r = (int) Engine.WAITPID.invokeExact(state, pid, status, 0);
                if (r == pid) {
                    return status.get(JAVA_INT, 0);
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    return -errno;
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A resource whose limit the JVM can read (to cap a child's limits at what it may set). */
    public enum Resource {
        CPU(0, 0), FSIZE(1, 1), CORE(4, 4), NPROC(6, 7);

        private final int linux;
        private final int darwin;

        Resource(int linux, int darwin) {
            this.linux = linux;
            this.darwin = darwin;
        }

        int number() {
            return OS == Os.DARWIN ? darwin : linux;
        }
    }

    /** This process's {soft, hard} limit; {@link Long#MAX_VALUE} means unlimited. */
    public static long[] limit(Resource resource) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(RLIMIT);
            MemorySegment state = captureState(arena);
            int r = (int) Getrlimit.HANDLE.invokeExact(state, resource.number(), rlimit);
            if (r != 0) {
                throw new PosixException("getrlimit", errno(state));
            }
            return new long[] {unlimitedAsMax((long) RLIMIT_CUR.get(rlimit, 0L)), unlimitedAsMax((long) RLIMIT_MAX.get(rlimit, 0L))};
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** RLIM_INFINITY is 2^64-1 (glibc, read as -1 here) or 2^63-1 (Darwin). */
    private static long unlimitedAsMax(long value) {
        return value < 0 || value == Long.MAX_VALUE ? Long.MAX_VALUE : value;
    }

    /** {@code <fcntl.h>}: the same on both. */
    private static final int O_RDONLY = 0;

    /**
     * {@code posix_spawn} of an absolute {@code path} as the leader of a new session (and so of a
     * new process group whose id is its pid): stdin from {@code stdinFd} (or {@code /dev/null}
     * when negative), stdout and stderr to the given descriptors, every other descriptor closed
     * (where glibc can: 2.34+), default signal dispositions, an empty signal mask, in
     * {@code directory}. Returns the pid.
     */
    public static int spawnSessionLeader(String path, String[] argv, String[] envp, String directory, int stdinFd,
                                         int stdoutFd, int stderrFd) throws PosixException {
        List<PosixSpawn.FileAction> actions = new ArrayList<>();
        actions.add(stdinFd >= 0 ? new PosixSpawn.Dup2(stdinFd, 0) : new PosixSpawn.Open(0, "/dev/null", O_RDONLY));
        actions.add(new PosixSpawn.Dup2(stdoutFd, 1));
        actions.add(new PosixSpawn.Dup2(stderrFd, 2));
        actions.add(new PosixSpawn.Chdir(directory));
        if (OS == Os.LINUX && PosixSpawn.canCloseFrom()) {
            actions.add(new PosixSpawn.CloseFrom(3));
        }
        try (Arena arena = Arena.ofConfined()) {
            PosixSpawn spawn = PosixSpawn.prepare(arena, path, List.of(argv), List.of(envp), actions);
            try {
                int error = spawn.start();
                if (error != 0) {
                    throw new PosixException("posix_spawn " + path, error);
                }
                return spawn.pid();
            } finally {
                spawn.destroy();
            }
        }
    }
}
