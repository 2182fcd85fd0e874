package dev.awssandbox.core.linux;

import static dev.awssandbox.core.linux.SystemCall.CAPSET;
import static dev.awssandbox.core.linux.SystemCall.CLOSE;
import static dev.awssandbox.core.linux.SystemCall.EVENTFD2;
import static dev.awssandbox.core.linux.SystemCall.FCNTL;
import static dev.awssandbox.core.linux.SystemCall.GETDENTS64;
import static dev.awssandbox.core.linux.SystemCall.GETTID;
import static dev.awssandbox.core.linux.SystemCall.KILL;
import static dev.awssandbox.core.linux.SystemCall.LANDLOCK_ADD_RULE;
import static dev.awssandbox.core.linux.SystemCall.LANDLOCK_CREATE_RULESET;
import static dev.awssandbox.core.linux.SystemCall.LANDLOCK_RESTRICT_SELF;
import static dev.awssandbox.core.linux.SystemCall.MKNODAT;
import static dev.awssandbox.core.linux.SystemCall.OPENAT;
import static dev.awssandbox.core.linux.SystemCall.OPENAT2;
import static dev.awssandbox.core.linux.SystemCall.PIDFD_OPEN;
import static dev.awssandbox.core.linux.SystemCall.PIDFD_SEND_SIGNAL;
import static dev.awssandbox.core.linux.SystemCall.PIPE2;
import static dev.awssandbox.core.linux.SystemCall.PPOLL;
import static dev.awssandbox.core.linux.SystemCall.PRCTL;
import static dev.awssandbox.core.linux.SystemCall.PRLIMIT64;
import static dev.awssandbox.core.linux.SystemCall.READ;
import static dev.awssandbox.core.linux.SystemCall.SOCKET;
import static dev.awssandbox.core.linux.SystemCall.UMASK;
import static dev.awssandbox.core.linux.SystemCall.UNSHARE;
import static dev.awssandbox.core.linux.SystemCall.WAITID;
import static dev.awssandbox.core.linux.SystemCall.WRITE;
import static dev.awssandbox.core.posix.Downcalls.captureState;
import static dev.awssandbox.core.posix.Downcalls.threadCaptureState;
import static dev.awssandbox.core.posix.Downcalls.errno;
import static dev.awssandbox.core.posix.Downcalls.rethrow;
import static dev.awssandbox.core.posix.Downcalls.withErrno;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux engine's system calls, one typed Java method per call, every one made through the
 * one downcall handle of glibc's {@code syscall(2)} (see {@link SystemCall} for why); the FFM
 * linker and errno capture are {@link dev.awssandbox.core.posix.Downcalls}', the portable calls
 * (posix_spawn, {@code strerror}) {@link Posix}'. Struct layouts are defined here, next to their C
 * definitions; callers read and write fields through them, never at a number.
 *
 * <p>Code on a thread carrying a Landlock domain cannot load a class it has not loaded before
 * (the class files are outside its rules): the spawn warm-up makes one call here before any
 * thread is restricted, which links the handle.
 *
 * <p>Only touch this class on Linux ({@link LinuxPlatform#isSupportedLinux()}): its system call
 * numbers are Linux's.
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
 *       (a descriptor, a count, an ABI version) returns it or minus the errno.
 *   <li>{@code close} and {@code setNonBlocking} ignore errors: there is nothing useful to do
 *       about them.
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

    // <sys/wait.h>, <linux/wait.h>
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WEXITED = 4;
    public static final int WNOHANG = 1;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    // <poll.h>
    public static final short POLLIN = 0x1;

    // <fcntl.h>, <sys/stat.h>, <linux/stat.h>: statx(2), mknodat(2)
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_UID = 0x8;
    public static final int STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100;
    private static final int S_IFIFO = 0010000;

    /** <pre>struct statx_timestamp { __s64 tv_sec; __u32 tv_nsec; __s32 __reserved; };</pre> */
    private static final StructLayout STATX_TIMESTAMP = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_INT.withName("tv_nsec"), JAVA_INT.withName("__reserved"));

    /**
     * {@code struct statx} of {@code <linux/stat.h>}, the same on every architecture (fixed-size
     * fields), named up to {@code stx_dev_minor}; the rest of its 256 bytes is spare or newer
     * fields we do not read.
     */
    public static final StructLayout STATX = MemoryLayout.structLayout(
            JAVA_INT.withName("stx_mask"),
            JAVA_INT.withName("stx_blksize"),
            JAVA_LONG.withName("stx_attributes"),
            JAVA_INT.withName("stx_nlink"),
            JAVA_INT.withName("stx_uid"),
            JAVA_INT.withName("stx_gid"),
            JAVA_SHORT.withName("stx_mode"),
            MemoryLayout.paddingLayout(2), // __spare0
            JAVA_LONG.withName("stx_ino"),
            JAVA_LONG.withName("stx_size"),
            JAVA_LONG.withName("stx_blocks"),
            JAVA_LONG.withName("stx_attributes_mask"),
            STATX_TIMESTAMP.withName("stx_atime"),
            STATX_TIMESTAMP.withName("stx_btime"),
            STATX_TIMESTAMP.withName("stx_ctime"),
            STATX_TIMESTAMP.withName("stx_mtime"),
            JAVA_INT.withName("stx_rdev_major"),
            JAVA_INT.withName("stx_rdev_minor"),
            JAVA_INT.withName("stx_dev_major"),
            JAVA_INT.withName("stx_dev_minor"),
            MemoryLayout.paddingLayout(112));

    /** <pre>struct timeval { long tv_sec; long tv_usec; };</pre> on a 64-bit kernel. */
    private static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"));

    /**
     * {@code struct rusage} of {@code <linux/resource.h>} on a 64-bit kernel (144 bytes), named up
     * to its CPU times; the rest is counters we do not read.
     */
    public static final StructLayout RUSAGE = MemoryLayout.structLayout(
            TIMEVAL.withName("ru_utime"),
            TIMEVAL.withName("ru_stime"),
            MemoryLayout.paddingLayout(112));

    /**
     * <pre>struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; };</pre>
     * one record of getdents64(2); {@code d_name} is NUL-terminated within {@code d_reclen} bytes.
     */
    public static final StructLayout DIRENT64 = MemoryLayout.structLayout(
            JAVA_LONG.withName("d_ino"),
            JAVA_LONG.withName("d_off"),
            JAVA_SHORT.withName("d_reclen"),
            JAVA_BYTE.withName("d_type"),
            MemoryLayout.sequenceLayout(0, JAVA_BYTE).withName("d_name"));
    public static final int DT_UNKNOWN = 0;
    public static final int DT_DIR = 4;

    /**
     * {@code siginfo_t} on LP64 Linux as waitid(2) fills it for a child ({@code _sifields._sigchld}):
     * three ints, then the union, 8-aligned, at 16; 128 bytes in all.
     */
    public static final StructLayout SIGINFO = MemoryLayout.structLayout(
            JAVA_INT.withName("si_signo"),
            JAVA_INT.withName("si_errno"),
            JAVA_INT.withName("si_code"),
            MemoryLayout.paddingLayout(4),
            JAVA_INT.withName("si_pid"),
            JAVA_INT.withName("si_uid"),
            JAVA_INT.withName("si_status"),
            MemoryLayout.paddingLayout(100)).withByteAlignment(8);

    /** <pre>struct timespec { time_t tv_sec; long tv_nsec; };</pre> (LP64) */
    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    private static final VarHandle TIMESPEC_SEC = TIMESPEC.varHandle(groupElement("tv_sec"));
    private static final VarHandle TIMESPEC_NSEC = TIMESPEC.varHandle(groupElement("tv_nsec"));
    /** The kernel's {@code sigset_t} (64 signals), which ppoll(2) checks only with a mask. */
    private static final long KERNEL_SIGSET_SIZE = 8;

    private static final VarHandle RLIMIT_CUR = Posix.RLIMIT.varHandle(groupElement("rlim_cur"));
    private static final VarHandle RLIMIT_MAX = Posix.RLIMIT.varHandle(groupElement("rlim_max"));

    private static final Arch ARCH = Arch.current().orElseThrow(
            () -> new UnsupportedOperationException("unsupported CPU architecture: " + System.getProperty("os.arch")));

    /**
     * {@code long syscall(long number, ...)}, every variadic argument passed as a full 64-bit
     * register; linked on first use, so that loading this class for its constants links nothing.
     */
    private static final class Syscall {
        static final MethodHandle HANDLE = withErrno("syscall", FunctionDescriptor.of(JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    }

    private Libc() {}

    public static Arch arch() {
        return ARCH;
    }

    // ---- the one downcall ----

    /**
     * {@code syscall(call, a, b, c, d, e)} with the caller's errno capture (for callers that loop);
     * returns the result, or minus the errno.
     */
    private static long syscall(MemorySegment state, SystemCall call, long a, long b, long c, long d, long e) {
        try {
            long rc = (long) Syscall.HANDLE.invokeExact(state, call.number(ARCH), a, b, c, d, e);
            return rc == -1 ? -errno(state) : rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code syscall(call, a, b, c, d, e)}; returns the result, or minus the errno. */
    private static long syscall(SystemCall call, long a, long b, long c, long d, long e) {
        return syscall(threadCaptureState(), call, a, b, c, d, e);
    }

    private static long syscall(SystemCall call, long a, long b, long c, long d) {
        return syscall(call, a, b, c, d, 0L);
    }

    /** 0, or the errno of a failed call (its result is minus the errno). */
    private static int status(long result) {
        return result < 0 ? (int) -result : 0;
    }

    /** An errno capture segment for callers that loop (one serves many calls on one thread). */
    public static MemorySegment newCaptureState(Arena arena) {
        return captureState(arena);
    }

    // ---- files ----

    /** open(2); returns the new descriptor. */
    public static int open(String path, int flags) throws ErrnoException {
        int fd = tryOpen(path, flags);
        if (fd < 0) {
            throw new ErrnoException("open(" + path + ")", -fd);
        }
        return fd;
    }

    /** open(2) returning -errno instead of throwing: for callers that retry on a known errno. */
    public static int tryOpen(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return open(arena.allocateFrom(path), flags, threadCaptureState());
        }
    }

    /** open(2) of a NUL-terminated path with a caller's errno capture; returns the descriptor or -errno. */
    public static int open(MemorySegment path, int flags, MemorySegment state) {
        return (int) syscall(state, OPENAT, AT_FDCWD, path.address(), flags, 0L, 0L);
    }

    /** mkfifo(3) with the given mode (umask applies). */
    public static void mkfifo(String path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            int errno = status(syscall(MKNODAT, AT_FDCWD, arena.allocateFrom(path).address(), S_IFIFO | mode, 0L));
            if (errno != 0) {
                throw new ErrnoException("mkfifo(" + path + ")", errno);
            }
        }
    }

    /** close(2), ignoring errors: there is nothing useful to do about a failed close. */
    public static void close(int fd) {
        if (fd >= 0) {
            syscall(CLOSE, fd, 0L, 0L, 0L);
        }
    }

    /** close(2) with a caller's errno capture, ignoring errors. */
    public static void close(int fd, MemorySegment state) {
        syscall(state, CLOSE, fd, 0L, 0L, 0L, 0L);
    }

    /** fcntl(fd, cmd, arg); returns the result or -errno. */
    public static int fcntl(int fd, int cmd, int arg) {
        return (int) syscall(FCNTL, fd, cmd, arg, 0L);
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
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int errno = status(syscall(PIPE2, fds.address(), O_CLOEXEC, 0L, 0L));
            if (errno != 0) {
                throw new ErrnoException("pipe2", errno);
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** read(2) into a segment; returns bytes read (0 at end of file) or -errno. */
    public static long read(int fd, MemorySegment buffer, long count, MemorySegment state) {
        return syscall(state, READ, fd, nativeAddress(buffer, count), count, 0L, 0L);
    }

    /** pread64(2) into a segment from {@code offset}; returns bytes read (0 at end of file) or -errno. */
    public static long pread(int fd, MemorySegment buffer, long count, long offset, MemorySegment state) {
        return syscall(state, SystemCall.PREAD64, fd, nativeAddress(buffer, count), count, offset, 0L);
    }

    /**
     * A file in memory holding {@code bytes}, its offset at the start, close-on-exec
     * ({@code memfd_create(2)} and {@code pwrite(2)}): data a child reads from an inherited
     * descriptor rather than from its argv, which every local user can read.
     */
    public static int memoryFile(String name, byte[] bytes) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = newCaptureState(arena);
            long fd = syscall(state, SystemCall.MEMFD_CREATE, nativeAddress(arena.allocateFrom(name), name.length()),
                    MFD_CLOEXEC, 0L, 0L, 0L);
            if (fd < 0) {
                throw new ErrnoException("memfd_create", (int) -fd);
            }
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            long written = 0;
            while (written < bytes.length) {
                long n = syscall(state, SystemCall.PWRITE64, fd, nativeAddress(data.asSlice(written), bytes.length - written),
                        bytes.length - written, written, 0L);
                if (n < 0) {
                    close((int) fd);
                    throw new ErrnoException("pwrite", (int) -n);
                }
                written += n;
            }
            return (int) fd;
        }
    }

    private static final int MFD_CLOEXEC = 1;

    /** write(2) from a segment; returns bytes written or -errno. */
    public static long write(int fd, MemorySegment buffer, long count, MemorySegment state) {
        return syscall(state, WRITE, fd, nativeAddress(buffer, count), count, 0L, 0L);
    }

    /**
     * The address of {@code buffer}, which must be native and hold {@code count} bytes: passed to
     * {@code syscall} as a number, it is not checked by the linker as a pointer argument is.
     */
    private static long nativeAddress(MemorySegment buffer, long count) {
        if (!buffer.isNative() || count < 0 || count > buffer.byteSize()) {
            throw new IllegalArgumentException(count + " bytes at " + buffer + ": not a native segment that large");
        }
        return buffer.address();
    }

    /** O_DIRECTORY, which differs between the architectures ({@code <asm/fcntl.h>}). */
    public static int oDirectory() {
        return ARCH == Arch.AARCH64 ? 040000 : 0200000;
    }

    /** getdents64(2): {@link #DIRENT64} records into {@code buffer}; returns the bytes filled (0 at the end) or -errno. */
    public static long getdents64(int fd, MemorySegment buffer, long count, MemorySegment state) {
        return syscall(state, GETDENTS64, fd, nativeAddress(buffer, count), count, 0L, 0L);
    }

    /**
     * statx(2) into {@code buffer} (a {@link #STATX}), {@code path} a NUL-terminated string;
     * returns 0 or errno (ENOSYS before Linux 4.11). For callers that ask many times with the same
     * buffers.
     */
    public static int statx(int dirfd, MemorySegment path, int flags, int mask, MemorySegment buffer,
                            MemorySegment state) {
        return status(syscall(state, SystemCall.STATX, dirfd, path.address(), flags, mask, nativeAddress(buffer, STATX.byteSize())));
    }

    // ---- process attributes ----

    /** prctl(PR_SET_NO_NEW_PRIVS, 1); returns 0 or errno. Safe on a restricted thread. */
    public static int setNoNewPrivs() {
        return prctl(PR_SET_NO_NEW_PRIVS, 1L);
    }

    /** <sched.h> CLONE_FS: the root, working directory and umask a thread shares with the process. */
    public static final int CLONE_FS = 0x200;

    /**
     * Gives the calling thread a umask of its own, {@code mask}, for the children it spawns: it
     * first stops sharing file-system attributes ({@code unshare(CLONE_FS)}: working directory,
     * root and umask) with the rest of the JVM. Returns 0 or errno. Safe on a restricted thread.
     */
    public static int setThreadUmask(int mask) {
        int errno = status(syscall(UNSHARE, CLONE_FS, 0L, 0L, 0L));
        if (errno != 0) {
            return errno;
        }
        long previous = syscall(UMASK, mask, 0L, 0L, 0L); // cannot fail
        return 0;
    }

    /** prctl(option, arg); returns 0 or errno. */
    public static int prctl(int option, long arg) {
        return prctl(option, arg, 0L);
    }

    /** prctl(option, arg2) with the caller's errno capture segment (for loops); returns 0 or errno. */
    public static int prctl(MemorySegment state, int option, long arg2) {
        return status(syscall(state, PRCTL, option, arg2, 0L, 0L, 0L));
    }

    /** prctl(option, arg2, arg3); returns 0 or errno. */
    public static int prctl(int option, long arg2, long arg3) {
        return status(syscall(PRCTL, option, arg2, arg3, 0L, 0L));
    }

    /** prctl(PR_GET_NO_NEW_PRIVS) for the calling thread. */
    public static boolean noNewPrivs() throws ErrnoException {
        long rc = syscall(PRCTL, PR_GET_NO_NEW_PRIVS, 0L, 0L, 0L, 0L);
        if (rc < 0) {
            throw new ErrnoException("prctl(PR_GET_NO_NEW_PRIVS)", (int) -rc);
        }
        return rc == 1;
    }

    // ---- calls glibc has no wrapper for, or only a recent one ----

    /**
     * landlock_create_ruleset(attr, size, flags): the new ruleset's descriptor, or -errno. With a
     * NULL {@code attr}, size 0 and {@code LANDLOCK_CREATE_RULESET_VERSION}, the ABI version.
     */
    public static int landlockCreateRuleset(MemorySegment attr, long size, int flags) {
        return (int) syscall(LANDLOCK_CREATE_RULESET, attr.address(), size, flags, 0L);
    }

    /** landlock_add_rule(rulesetFd, ruleType, attr, 0); returns 0 or errno. */
    public static int landlockAddRule(int rulesetFd, int ruleType, MemorySegment attr) {
        return status(syscall(LANDLOCK_ADD_RULE, rulesetFd, ruleType, attr.address(), 0L));
    }

    /** landlock_restrict_self(rulesetFd, 0); returns 0 or errno. Safe on a restricted thread. */
    public static int landlockRestrictSelf(int rulesetFd) {
        return status(syscall(LANDLOCK_RESTRICT_SELF, rulesetFd, 0L, 0L, 0L));
    }

    /** gettid(2): the calling thread's id (it cannot fail). Safe on a restricted thread. */
    public static int gettid() {
        return (int) syscall(GETTID, 0L, 0L, 0L, 0L);
    }

    /**
     * capset(header, data) for {@code struct __user_cap_header_struct} and two
     * {@code struct __user_cap_data_struct}; returns 0 or errno. Safe on a restricted thread.
     */
    public static int capset(MemorySegment header, MemorySegment data) {
        return status(syscall(CAPSET, header.address(), data.address(), 0L, 0L));
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
            long rc = syscall(OPENAT2, AT_FDCWD, name.address(), how.address(), how.byteSize());
            if (rc < 0) {
                throw new ErrnoException("openat2(" + path + ")", (int) -rc);
            }
            return (int) rc;
        }
    }

    /** pidfd_open(2): a descriptor that refers to exactly this process, immune to pid reuse. */
    public static int pidfdOpen(int pid) throws ErrnoException {
        long rc = syscall(PIDFD_OPEN, pid, 0L, 0L, 0L);
        if (rc < 0) {
            throw new ErrnoException("pidfd_open(" + pid + ")", (int) -rc);
        }
        return (int) rc;
    }

    /** pidfd_send_signal(2); returns 0 or errno (ESRCH once the process has been reaped). */
    public static int pidfdSendSignal(int pidfd, int signal) {
        return status(syscall(PIDFD_SEND_SIGNAL, pidfd, signal, 0L, 0L));
    }

    // <sys/resource.h>: the same numbers on x86_64 and aarch64 (asm-generic)
    public static final int RLIMIT_CPU = 0;
    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_DATA = 2;
    public static final int RLIMIT_CORE = 4;
    public static final int RLIMIT_NPROC = 6;

    /**
     * Sets soft and hard limit of another process to {@code value} or, when that is above the hard
     * limit the process already has (inherited from ours) and raising it needs a privilege we lack,
     * to that hard limit: a tighter bound than asked. Refusing instead made every command fail
     * for a user whose hard limit was lower than the default (red team, round 14: {@code ulimit
     * -u 56} and bubblewrap). Returns 0 or errno.
     */
    public static int setLimit(int pid, int resource, long value) {
        int errno = setLimitExactly(pid, resource, value);
        if (errno != Errno.EPERM) {
            return errno;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(Posix.RLIMIT);
            if (status(syscall(PRLIMIT64, pid, resource, 0L, old.address())) != 0) {
                return errno;
            }
            long hard = (long) RLIMIT_MAX.get(old, 0L);
            return Long.compareUnsigned(hard, value) < 0 ? setLimitExactly(pid, resource, hard) : errno;
        }
    }

    /** prlimit(pid, resource, {value, value}, NULL); returns 0 or errno. */
    static int setLimitExactly(int pid, int resource, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment limit = arena.allocate(Posix.RLIMIT);
            RLIMIT_CUR.set(limit, 0L, value);
            RLIMIT_MAX.set(limit, 0L, value);
            return status(syscall(PRLIMIT64, pid, resource, limit.address(), 0L));
        }
    }

    /** kill(2); returns 0 or errno. A negative pid names a process group. */
    public static int kill(int pid, int signal) {
        return status(syscall(KILL, pid, signal, 0L, 0L));
    }

    /** waitid(P_PID, pid, info, WEXITED): reaps one child into a {@link #SIGINFO}; returns 0 or errno. */
    public static int waitidPid(int pid, MemorySegment siginfo) {
        return waitid(P_PID, pid, siginfo, WEXITED);
    }

    /**
     * waitid(P_PID, pid, info, WEXITED | WNOHANG): reaps one child that has exited, never waits for
     * one that runs (then {@code si_pid} stays 0); returns 0 or errno.
     */
    public static int reapIfExited(int pid, MemorySegment siginfo) {
        return waitid(P_PID, pid, siginfo, WEXITED | WNOHANG);
    }

    /**
     * waitid(P_PIDFD, pidfd, info, WEXITED | extraFlags, usage) into a {@link #SIGINFO} and a
     * {@link #RUSAGE} (the child's, with its reaped descendants'); returns 0 or errno.
     */
    public static int waitidPidfd(int pidfd, MemorySegment siginfo, int extraFlags, MemorySegment rusage) {
        return status(syscall(WAITID, P_PIDFD, pidfd, nativeAddress(siginfo, SIGINFO.byteSize()), WEXITED | extraFlags,
                nativeAddress(rusage, RUSAGE.byteSize())));
    }

    /** The system call has a fifth argument glibc's waitid(3) does not: the rusage, NULL here. */
    private static int waitid(int idType, int id, MemorySegment siginfo, int options) {
        return status(syscall(WAITID, idType, id, nativeAddress(siginfo, SIGINFO.byteSize()), options, 0L));
    }

    /**
     * poll(2) over {@code count} {@link Posix#POLLFD} entries, a negative timeout waiting for ever;
     * returns the ready count or -errno. Made as glibc makes it on aarch64: ppoll(2) without a
     * signal mask.
     */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeout = MemorySegment.NULL;
            if (timeoutMillis >= 0) {
                timeout = arena.allocate(TIMESPEC);
                TIMESPEC_SEC.set(timeout, 0L, timeoutMillis / 1000L);
                TIMESPEC_NSEC.set(timeout, 0L, (timeoutMillis % 1000) * 1_000_000L);
            }
            long address = nativeAddress(fds, count * Posix.POLLFD.byteSize());
            return (int) syscall(threadCaptureState(), PPOLL, address, count, timeout.address(), 0L, KERNEL_SIGSET_SIZE);
        }
    }

    /** eventfd(0, EFD_CLOEXEC). */
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int NETLINK_ROUTE = 0;

    /** socket(2), close-on-exec and non-blocking; returns the new descriptor. */
    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        long fd = syscall(SOCKET, domain, type | O_CLOEXEC | O_NONBLOCK, protocol, 0L);
        if (fd < 0) {
            throw new ErrnoException("socket", (int) -fd);
        }
        return (int) fd;
    }

    public static int eventfd() throws ErrnoException {
        long fd = syscall(EVENTFD2, 0L, O_CLOEXEC, 0L, 0L);
        if (fd < 0) {
            throw new ErrnoException("eventfd", (int) -fd);
        }
        return (int) fd;
    }
}
