package dev.awssandbox.core.linux;

import static dev.awssandbox.core.posix.Downcalls.captureState;
import static dev.awssandbox.core.posix.Downcalls.errno;
import static dev.awssandbox.core.posix.Downcalls.optionalWithErrno;
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

/**
 * The C library calls of the Linux engine (glibc), one typed Java method per native call; the FFM
 * linker and errno capture are {@link dev.awssandbox.core.posix.Downcalls}'. {@code read},
 * {@code write}, {@code close} and {@code kill} stay here although {@code posix.Posix} has them
 * too: code on a thread carrying a Landlock domain cannot load a class it has not loaded before
 * (the class files are outside its rules), and this class is loaded before such a thread starts.
 *
 * <p>Only touch this class on Linux ({@link LinuxPlatform#isLinux()}); its initialiser looks up
 * glibc-only symbols.
 *
 * <p>Errors: one rule, decided by who knows what a failure means.
 * <ul>
 *   <li>A method whose every failure ends the caller's set-up throws {@link ErrnoException}
 *       naming the call: {@code open(String, int)}, {@code mkfifo}, {@code pipe}, {@code eventfd},
 *       {@code duplicateFrom}, {@code openNoSymlinks}, {@code pidfdOpen}, {@code noNewPrivs}.
 *   <li>Every other method returns its error, because its caller decides: it runs on a thread
 *       carrying a Landlock domain (where building an exception could need a class that thread
 *       cannot load) or in a loop, where nothing may allocate more than the call needs; or its
 *       caller retries ({@code tryOpen}), probes ({@code landlockCreateRuleset}), ignores
 *       ({@code kill}, best-effort {@code fcntl}) or reports the failure as one step of a spawn
 *       ({@code setLimit}). A call without a result returns {@code 0} or the errno; a call with one
 *       (a descriptor, a count, an ABI version) returns it or minus the errno. The posix_spawn
 *       family returns its error number, which is an errno: {@code 0} or the errno too.
 *   <li>{@code close}, {@code setNonBlocking} and the posix_spawn {@code ...Destroy} methods
 *       ignore errors: there is nothing useful to do about them.
 * </ul>
 */
public final class Libc {
    // <fcntl.h>: the same values on x86_64 and aarch64.
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;
    public static final int O_NONBLOCK = 0x800;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETPIPE_SZ = 1031;

    // <sys/prctl.h>
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    public static final int PR_SET_CHILD_SUBREAPER = 36;

    // <signal.h>
    public static final int SIGKILL = 9;
    public static final int SIGPIPE = 13;
    public static final int SIGTERM = 15;

    // <spawn.h> (glibc)
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;

    // <sys/wait.h>, <linux/wait.h>
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WEXITED = 4;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    // <poll.h>
    public static final short POLLIN = 0x1;

    // <fcntl.h>, <linux/stat.h>: statx(2)
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_UID = 0x8;
    public static final int STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100;
    /**
     * struct statx (the same on every architecture: fixed-size fields): stx_mask@0, stx_uid@20,
     * stx_mode@28 (u16), stx_ino@32, stx_ctime@96 (tv_sec i64, tv_nsec u32), stx_dev_major@136,
     * stx_dev_minor@140; 256 bytes in all.
     */
    public static final long STATX_SIZE = 256;
    public static final long STATX_MASK = 0;
    public static final long STATX_UID_OFFSET = 20;
    public static final long STATX_MODE_OFFSET = 28;
    public static final long STATX_INO_OFFSET = 32;
    public static final long STATX_CTIME_SEC = 96;
    public static final long STATX_CTIME_NSEC = 104;
    public static final long STATX_DEV_MAJOR = 136;
    public static final long STATX_DEV_MINOR = 140;

    // <dirent.h>: struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    public static final long DIRENT_RECLEN = 16;
    public static final long DIRENT_TYPE = 18;
    public static final long DIRENT_NAME = 19;
    public static final int DT_UNKNOWN = 0;
    public static final int DT_DIR = 4;

    /** siginfo_t on LP64 Linux: si_signo@0, si_errno@4, si_code@8, si_pid@16, si_uid@20, si_status@24. */
    public static final long SIGINFO_SIZE = 128;
    public static final long SIGINFO_CODE = 8;
    public static final long SIGINFO_PID = 16;
    public static final long SIGINFO_STATUS = 24;

    /** struct pollfd { int fd; short events; short revents; } */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    /** Opaque glibc types; generous sizes (glibc: 80, 336 and 128 bytes on x86_64). */
    public static final long SPAWN_FILE_ACTIONS_SIZE = 256;
    public static final long SPAWNATTR_SIZE = 512;
    public static final long SIGSET_SIZE = 128;

    private static final Arch ARCH = Arch.current().orElseThrow(
            () -> new UnsupportedOperationException("unsupported CPU architecture: " + System.getProperty("os.arch")));

    // Calls that set errno: the first argument of the handle is the capture segment.
    private static final MethodHandle OPEN = withErrno("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FCNTL = withErrno("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PIPE2 = withErrno("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle PRCTL = withErrno("prctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PRLIMIT = withErrno("prlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle MKFIFO = withErrno("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle UNSHARE = withErrno("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UMASK = plain("umask", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle WAITID = withErrno("waitid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = withErrno("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = withErrno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = withErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = withErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** getdents64(2), glibc 2.30 and later; null when this libc has none. */
    private static final MethodHandle GETDENTS64 = optionalWithErrno("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG)).orElse(null);
    /** statx(2), glibc 2.28 and later; null when this libc has none. */
    private static final MethodHandle STATX = optionalWithErrno("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS)).orElse(null);
    /** long syscall(long number, ...): every variadic argument passed as a full 64-bit register. */
    private static final MethodHandle SYSCALL4 = withErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));

    // posix_spawn family: they return an error number instead of setting errno.
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
    private static final MethodHandle FA_ADDCLOSE = plain("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FA_ADDCHDIR = plain("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FA_ADDCLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
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
    private static final MethodHandle SIGEMPTYSET = plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGFILLSET = plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Libc() {}

    public static Arch arch() {
        return ARCH;
    }

    // ---- files ----

    /** open(2); returns the new descriptor. */
    public static int open(String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new ErrnoException("open(" + path + ")", errno(state));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mkfifo(3) with the given mode (umask applies). */
    public static void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) MKFIFO.invokeExact(state, arena.allocateFrom(path), mode);
            if (rc != 0) {
                throw new ErrnoException("mkfifo(" + path + ")", errno(state));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open(2) returning -errno instead of throwing: for callers that retry on a known errno. */
    public static int tryOpen(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2), ignoring errors: there is nothing useful to do about a failed close. */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(captureState(arena), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fcntl(fd, cmd, arg); returns the result or -errno. */
    public static int fcntl(int fd, int cmd, int arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) FCNTL.invokeExact(state, fd, cmd, arg);
            return rc < 0 ? -errno(state) : rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fcntl(fd, F_DUPFD_CLOEXEC, lowest): a close-on-exec copy of {@code fd} numbered {@code lowest}
     * or more; the caller still owns {@code fd}.
     */
    public static int duplicateFrom(int fd, int lowest) throws ErrnoException {
        int copy = fcntl(fd, F_DUPFD_CLOEXEC, lowest);
        if (copy < 0) {
            throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC)", -copy);
        }
        return copy;
    }

    /** Makes our end of a pipe non-blocking (the child's end is another open file description and stays blocking). */
    public static void setNonBlocking(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        if (flags >= 0) {
            fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        }
    }

    /** pipe2(O_CLOEXEC); returns {read end, write end}. */
    public static int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int rc = (int) PIPE2.invokeExact(state, fds, O_CLOEXEC);
            if (rc != 0) {
                throw new ErrnoException("pipe2", errno(state));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into a segment; returns bytes read (0 at end of file) or -errno. */
    public static long read(int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long n = (long) READ.invokeExact(state, fd, buffer, count);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) from a segment; returns bytes written or -errno. */
    public static long write(int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long n = (long) WRITE.invokeExact(state, fd, buffer, count);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** O_DIRECTORY, which differs between the architectures ({@code <asm/fcntl.h>}). */
    public static int oDirectory() {
        return ARCH == Arch.AARCH64 ? 040000 : 0200000;
    }

    /** open(2) of a NUL-terminated path with a caller's errno capture; returns the descriptor or -errno. */
    public static int open(MemorySegment path, int flags, MemorySegment state) {
        try {
            int fd = (int) OPEN.invokeExact(state, path, flags, 0);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2) with a caller's errno capture, ignoring errors. */
    public static void close(int fd, MemorySegment state) {
        try {
            int ignored = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether this libc has {@link #getdents64}. */
    public static boolean hasGetdents64() {
        return GETDENTS64 != null;
    }

    /** getdents64(2) into {@code buffer}; returns the bytes filled (0 at the end) or -errno. */
    public static long getdents64(int fd, MemorySegment buffer, long count, MemorySegment state) {
        try {
            long n = (long) GETDENTS64.invokeExact(state, fd, buffer, count);
            return n < 0 ? -errno(state) : n;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Whether this libc has {@link #statx}. */
    public static boolean hasStatx() {
        return STATX != null;
    }

    /**
     * statx(2) into {@code buffer} ({@link #STATX_SIZE} bytes), {@code path} a NUL-terminated
     * string; returns 0 or errno. For callers that ask many times with the same buffers.
     */
    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment buffer,
                            MemorySegment state) {
        try {
            int rc = (int) STATX.invokeExact(state, dirfd, path, flags, mask, buffer);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An errno capture segment for {@link #read}/{@link #write} callers that loop. */
    public static MemorySegment newCaptureState(Arena arena) {
        return captureState(arena);
    }

    // ---- process attributes ----

    /** prctl(PR_SET_NO_NEW_PRIVS, 1); returns 0 or errno. Safe on a restricted thread. */
    public static int setNoNewPrivs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) PRCTL.invokeExact(state, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** <sched.h> CLONE_FS: the root, working directory and umask a thread shares with the process. */
    public static final int CLONE_FS = 0x200;

    /**
     * Gives the calling thread a umask of its own, {@code mask}, for the children it spawns: it
     * first stops sharing file-system attributes ({@code unshare(CLONE_FS)}: working directory,
     * root and umask) with the rest of the JVM. Returns 0 or errno. Safe on a restricted thread.
     */
    public static int setThreadUmask(int mask) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) UNSHARE.invokeExact(state, CLONE_FS);
            if (rc != 0) {
                return errno(state);
            }
            int previous = (int) UMASK.invokeExact(mask);
            return 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** prctl(option, arg); returns 0 or errno. */
    public static int prctl(int option, long arg) {
        return prctl(option, arg, 0L);
    }

    /** prctl(option, arg2) with the caller's errno capture segment (for loops); returns 0 or errno. */
    public static int prctl(MemorySegment state, int option, long arg2) {
        try {
            int rc = (int) PRCTL.invokeExact(state, option, arg2, 0L, 0L, 0L);
            return rc < 0 ? errno(state) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** prctl(option, arg2, arg3); returns 0 or errno. */
    public static int prctl(int option, long arg2, long arg3) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) PRCTL.invokeExact(state, option, arg2, arg3, 0L, 0L);
            return rc < 0 ? errno(state) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** prctl(PR_GET_NO_NEW_PRIVS) for the calling thread. */
    public static boolean noNewPrivs() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) PRCTL.invokeExact(state, PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L);
            if (rc < 0) {
                throw new ErrnoException("prctl(PR_GET_NO_NEW_PRIVS)", errno(state));
            }
            return rc == 1;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- system calls through syscall(2), one typed method each ----

    /**
     * syscall(number, a, b, c, d); returns the result, or -errno. Every typed method below goes
     * through this one downcall handle, which the spawn warm-up links before any thread is
     * restricted (a restricted thread could not load what a new handle needs).
     */
    private static long syscall(long number, long a, long b, long c, long d) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            long rc = (long) SYSCALL4.invokeExact(state, number, a, b, c, d);
            return rc == -1 ? -errno(state) : rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * landlock_create_ruleset(attr, size, flags): the new ruleset's descriptor, or -errno. With a
     * NULL {@code attr}, size 0 and {@code LANDLOCK_CREATE_RULESET_VERSION}, the ABI version.
     */
    public static int landlockCreateRuleset(MemorySegment attr, long size, int flags) {
        return (int) syscall(ARCH.landlockCreateRuleset(), attr.address(), size, flags, 0L);
    }

    /** landlock_add_rule(rulesetFd, ruleType, attr, 0); returns 0 or errno. */
    public static int landlockAddRule(int rulesetFd, int ruleType, MemorySegment attr) {
        long rc = syscall(ARCH.landlockAddRule(), rulesetFd, ruleType, attr.address(), 0L);
        return rc < 0 ? (int) -rc : 0;
    }

    /** landlock_restrict_self(rulesetFd, 0); returns 0 or errno. Safe on a restricted thread. */
    public static int landlockRestrictSelf(int rulesetFd) {
        long rc = syscall(ARCH.landlockRestrictSelf(), rulesetFd, 0L, 0L, 0L);
        return rc < 0 ? (int) -rc : 0;
    }

    /** gettid(2): the calling thread's id (it cannot fail). Safe on a restricted thread. */
    public static int gettid() {
        return (int) syscall(ARCH.gettid(), 0L, 0L, 0L, 0L);
    }

    /**
     * capset(header, data) for {@code struct __user_cap_header_struct} and two
     * {@code struct __user_cap_data_struct}; returns 0 or errno. Safe on a restricted thread.
     */
    public static int capset(MemorySegment header, MemorySegment data) {
        long rc = syscall(ARCH.capset(), header.address(), data.address(), 0L, 0L);
        return rc < 0 ? (int) -rc : 0;
    }

    /** {@code RESOLVE_NO_SYMLINKS} of openat2(2). */
    public static final int RESOLVE_NO_SYMLINKS = 0x04;

    /** <pre>struct open_how { __u64 flags; __u64 mode; __u64 resolve; };</pre> (openat2(2)) */
    public static final StructLayout OPEN_HOW = MemoryLayout.structLayout(
            JAVA_LONG.withName("flags"), JAVA_LONG.withName("mode"), JAVA_LONG.withName("resolve"));
    private static final VarHandle OPEN_HOW_FLAGS = OPEN_HOW.varHandle(groupElement("flags"));
    private static final VarHandle OPEN_HOW_RESOLVE = OPEN_HOW.varHandle(groupElement("resolve"));

    /**
     * openat2(2) of {@code path} as {@code O_PATH|O_CLOEXEC} with {@code RESOLVE_NO_SYMLINKS}: a
     * descriptor of exactly the file the path names, with no symbolic link followed anywhere on
     * the way (ELOOP when there is one; ENOSYS before Linux 5.6).
     */
    public static int openNoSymlinks(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path);
            MemorySegment how = arena.allocate(OPEN_HOW); // zeroed: mode 0
            OPEN_HOW_FLAGS.set(how, 0L, (long) (O_PATH | O_CLOEXEC));
            OPEN_HOW_RESOLVE.set(how, 0L, (long) RESOLVE_NO_SYMLINKS);
            long rc = syscall(ARCH.openat2(), AT_FDCWD, name.address(), how.address(), how.byteSize());
            if (rc < 0) {
                throw new ErrnoException("openat2(" + path + ")", (int) -rc);
            }
            return (int) rc;
        }
    }

    /** pidfd_open(2): a descriptor that refers to exactly this process, immune to pid reuse. */
    public static int pidfdOpen(int pid) throws ErrnoException {
        long rc = syscall(ARCH.pidfdOpen(), pid, 0, 0, 0);
        if (rc < 0) {
            throw new ErrnoException("pidfd_open(" + pid + ")", (int) -rc);
        }
        return (int) rc;
    }

    /** pidfd_send_signal(2); returns 0 or errno (ESRCH once the process has been reaped). */
    public static int pidfdSendSignal(int pidfd, int signal) {
        long rc = syscall(ARCH.pidfdSendSignal(), pidfd, signal, 0, 0);
        return rc < 0 ? (int) -rc : 0;
    }

    // <sys/resource.h>: the same numbers on x86_64 and aarch64 (asm-generic)
    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_NPROC = 6;

    /**
     * prlimit(pid, resource, {value, value}, NULL): sets soft and hard limit of another process
     * (lowering needs no privilege for a process of our own user). Returns 0 or errno.
     */
    public static int setLimit(int pid, int resource, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            MemorySegment limit = arena.allocate(JAVA_LONG, 2); // struct rlimit { rlim_t cur, max; }
            limit.setAtIndex(JAVA_LONG, 0, value);
            limit.setAtIndex(JAVA_LONG, 1, value);
            int rc = (int) PRLIMIT.invokeExact(state, pid, resource, limit, MemorySegment.NULL);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** kill(2); returns 0 or errno. A negative pid names a process group. */
    public static int kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) KILL.invokeExact(state, pid, signal);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** waitid(P_PID, pid, info, WEXITED): reaps one child; returns 0 or errno. */
    public static int waitidPid(int pid, MemorySegment siginfo) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) WAITID.invokeExact(state, P_PID, pid, siginfo, WEXITED);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** waitid(P_PIDFD, pidfd, info, WEXITED | extraFlags); returns 0 or errno. */
    public static int waitidPidfd(int pidfd, MemorySegment siginfo, int extraFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) WAITID.invokeExact(state, P_PIDFD, pidfd, siginfo, WEXITED | extraFlags);
            return rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) over {@code count} {@link #POLLFD} entries; returns the ready count or -errno. */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int rc = (int) POLL.invokeExact(state, fds, count, timeoutMillis);
            return rc < 0 ? -errno(state) : rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** eventfd(0, EFD_CLOEXEC). */
    public static int eventfd() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = captureState(arena);
            int fd = (int) EVENTFD.invokeExact(state, 0, O_CLOEXEC);
            if (fd < 0) {
                throw new ErrnoException("eventfd", errno(state));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- posix_spawn ----

    /** posix_spawn(3); returns 0 or an error number. Safe on a restricted thread. */
    public static int posixSpawn(MemorySegment pidOut, MemorySegment path, MemorySegment fileActions,
                                 MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) POSIX_SPAWN.invokeExact(pidOut, path, fileActions, attr, argv, envp);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsInit(MemorySegment fa) {
        try {
            return (int) FA_INIT.invokeExact(fa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void fileActionsDestroy(MemorySegment fa) {
        try {
            int ignored = (int) FA_DESTROY.invokeExact(fa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsAddDup2(MemorySegment fa, int fd, int newFd) {
        try {
            return (int) FA_ADDDUP2.invokeExact(fa, fd, newFd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsAddOpen(MemorySegment fa, int fd, MemorySegment path, int flags) {
        try {
            return (int) FA_ADDOPEN.invokeExact(fa, fd, path, flags, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsAddClose(MemorySegment fa, int fd) {
        try {
            return (int) FA_ADDCLOSE.invokeExact(fa, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsAddChdir(MemorySegment fa, MemorySegment path) {
        try {
            return (int) FA_ADDCHDIR.invokeExact(fa, path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fileActionsAddClosefrom(MemorySegment fa, int from) {
        try {
            return (int) FA_ADDCLOSEFROM.invokeExact(fa, from);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int spawnAttrInit(MemorySegment attr) {
        try {
            return (int) ATTR_INIT.invokeExact(attr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void spawnAttrDestroy(MemorySegment attr) {
        try {
            int ignored = (int) ATTR_DESTROY.invokeExact(attr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int spawnAttrSetFlags(MemorySegment attr, short flags) {
        try {
            return (int) ATTR_SETFLAGS.invokeExact(attr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int spawnAttrSetSigmask(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) ATTR_SETSIGMASK.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int spawnAttrSetSigdefault(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) ATTR_SETSIGDEFAULT.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int sigemptyset(MemorySegment set) {
        try {
            return (int) SIGEMPTYSET.invokeExact(set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int sigfillset(MemorySegment set) {
        try {
            return (int) SIGFILLSET.invokeExact(set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
