package dev.awssandbox.core.posix;

import static dev.awssandbox.core.posix.Downcalls.captureState;
import static dev.awssandbox.core.posix.Downcalls.errno;
import static dev.awssandbox.core.posix.Downcalls.optionalPlain;
import static dev.awssandbox.core.posix.Downcalls.plain;
import static dev.awssandbox.core.posix.Downcalls.rethrow;
import static dev.awssandbox.core.posix.Downcalls.withErrno;
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
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

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

    public static final int SIGKILL = 9;
    public static final int SIGPIPE = 13;

    public static final int EINTR = 4;
    public static final int ESRCH = 3;
    public static final int EAGAIN = OS == Os.DARWIN ? 35 : 11;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;

    private static final short SPAWN_SETSIGDEF = 0x04;
    private static final short SPAWN_SETSIGMASK = 0x08;
    private static final short SPAWN_SETSID = OS == Os.DARWIN ? (short) 0x0400 : (short) 0x80;
    private static final short SPAWN_CLOEXEC_DEFAULT = 0x4000; // Darwin only
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = OS == Os.DARWIN ? 0x20 : 0x01000000;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int O_RDONLY = 0;

    /** Opaque types: Darwin's are pointers, glibc's 80, 336 and 128 bytes on LP64. */
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long SPAWNATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;
    /** siginfo_t: 104 bytes on Darwin, 128 on Linux; only filled, never read. */
    private static final long SIGINFO_SIZE = 256;

    private static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));


    private static final MethodHandle PIPE = withErrno("pipe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = withErrno("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = withErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = withErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = withErrno("poll", OS == Os.DARWIN
            ? FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)
            : FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WAITID = withErrno("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WAITPID = withErrno("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETRLIMIT = withErrno("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MethodHandle POSIX_SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_ADDDUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_ADDOPEN = plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    /** macOS 10.15+, glibc 2.29+; POSIX 2024 dropped the suffix, so either name is accepted. */
    private static final MethodHandle FA_ADDCHDIR = optionalPlain("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS))
            .or(() -> optionalPlain("posix_spawn_file_actions_addchdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)))
            .orElseThrow(() -> new UnsupportedOperationException("posix_spawn cannot change directory in this C library"));
    private static final Optional<MethodHandle> FA_ADDCLOSEFROM = OS == Os.LINUX
            ? optionalPlain("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT))
            : Optional.empty();
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** Darwin's {@code sigset_t} is one 32-bit word, filled by hand when libc has no function for it. */
    private static final Optional<MethodHandle> SIGEMPTYSET = optionalPlain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Optional<MethodHandle> SIGFILLSET = optionalPlain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Posix() {}

    private static Os detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("mac") || os.startsWith("darwin") ? Os.DARWIN : Os.LINUX;
    }

    /** The C library's message for an errno value. */
    public static String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
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
            int r = (int) PIPE.invokeExact(state, fds);
            if (r != 0) {
                throw new PosixException("pipe", errno(state));
            }
            int[] pipe = {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
            // not atomic with pipe(): our own spawns close every inherited descriptor anyway (see spawn)
            for (int fd : pipe) {
                fcntl(fd, F_SETFD, FD_CLOEXEC, arena);
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
            return (int) FCNTL.invokeExact(captureState(arena), fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a descriptor, ignoring errors; negative values are ignored. */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int unused = (int) CLOSE.invokeExact(captureState(arena), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code read(2)}: bytes read, 0 at end of file, or minus errno. */
    public static long read(int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long r = (long) READ.invokeExact(state, fd, buffer, count);
            return r < 0 ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write(2)}: bytes written, or minus errno. */
    public static long write(int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long r = (long) WRITE.invokeExact(state, fd, buffer, count);
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
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, events);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            MemorySegment state = captureState(arena);
            int r = OS == Os.DARWIN
                    ? (int) POLL.invokeExact(state, pollfd, 1, timeoutMillis)
                    : (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (r < 0) {
                return -errno(state);
            }
            return r == 0 ? 0 : pollfd.get(JAVA_SHORT, 6) & 0xffff;
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
            int r = (int) KILL.invokeExact(state, pid, signal);
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
                int r = (int) WAITID.invokeExact(state, P_PID, pid, siginfo, WEXITED | WNOWAIT);
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
                int r = (int) WAITPID.invokeExact(state, pid, status, 0);
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
            MemorySegment rlimit = arena.allocate(JAVA_LONG, 2);
            MemorySegment state = captureState(arena);
            int r = (int) GETRLIMIT.invokeExact(state, resource.number(), rlimit);
            if (r != 0) {
                throw new PosixException("getrlimit", errno(state));
            }
            return new long[] {unlimitedAsMax(rlimit.getAtIndex(JAVA_LONG, 0)), unlimitedAsMax(rlimit.getAtIndex(JAVA_LONG, 1))};
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

    /**
     * {@code posix_spawn} of an absolute {@code path} as the leader of a new session (and so of a
     * new process group whose id is its pid): stdin from {@code stdinFd} (or {@code /dev/null}
     * when negative), stdout and stderr to the given descriptors, every other descriptor closed,
     * default signal dispositions, an empty signal mask, in {@code directory}. Returns the pid.
     */
    public static int spawnSessionLeader(String path, String[] argv, String[] envp, String directory, int stdinFd,
                                         int stdoutFd, int stderrFd) throws PosixException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWNATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            try {
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
                try {
                    if (stdinFd >= 0) {
                        check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, stdinFd, 0));
                    } else {
                        check("addopen", (int) FA_ADDOPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"),
                                O_RDONLY, 0));
                    }
                    check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, stdoutFd, 1));
                    check("adddup2", (int) FA_ADDDUP2.invokeExact(actions, stderrFd, 2));
                    check("addchdir", (int) FA_ADDCHDIR.invokeExact(actions, arena.allocateFrom(directory)));
                    short flags = (short) (SPAWN_SETSID | SPAWN_SETSIGDEF | SPAWN_SETSIGMASK);
                    if (OS == Os.DARWIN) {
                        flags |= SPAWN_CLOEXEC_DEFAULT;
                    } else if (FA_ADDCLOSEFROM.isPresent()) {
                        check("addclosefrom", (int) FA_ADDCLOSEFROM.get().invokeExact(actions, 3));
                    }
                    check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr, flags));
                    MemorySegment empty = signalSet(arena, false);
                    MemorySegment all = signalSet(arena, true);
                    check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, empty));
                    check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, all));
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int error = (int) POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(path), actions, attr,
                            strings(arena, argv), strings(arena, envp));
                    if (error != 0) {
                        throw new PosixException("posix_spawn " + path, error);
                    }
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int unused = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int unused = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(String what, int error) throws PosixException {
        if (error != 0) {
            throw new PosixException(what, error);
        }
    }

    private static MemorySegment signalSet(Arena arena, boolean full) throws Throwable {
        MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
        Optional<MethodHandle> function = full ? SIGFILLSET : SIGEMPTYSET;
        if (function.isPresent()) {
            int unused = (int) function.get().invokeExact(set);
        } else {
            set.set(JAVA_INT, 0, full ? -1 : 0); // Darwin: a 32-bit mask
        }
        return set;
    }

    /** A NULL-terminated {@code char *[]}. */
    private static MemorySegment strings(Arena arena, String[] values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.length + 1L);
        for (int i = 0; i < values.length; i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values[i]));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.length, MemorySegment.NULL);
        return array;
    }
}
