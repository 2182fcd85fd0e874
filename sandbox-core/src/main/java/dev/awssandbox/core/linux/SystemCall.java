package dev.awssandbox.core.linux;

/**
 * The system calls {@link Libc} makes, all through the one C function {@code syscall(2)}, with
 * their numbers on x86_64 ({@code arch/x86/entry/syscalls/syscall_64.tbl}) and aarch64
 * ({@code include/uapi/asm-generic/unistd.h}). The constant's name is the kernel's name of the
 * call in upper case; {@code SystemCallTest} checks every number against the kernel headers.
 *
 * <p>Why not glibc's wrappers: each distinct C signature costs the JVM a downcall stub of its own
 * to link (a few milliseconds each at start-up), and a command's start needed about twenty;
 * {@code syscall(2)} is one signature for all of them. The calls are the ones glibc's wrappers
 * make: {@code open} is {@code openat(AT_FDCWD, …)}, {@code mkfifo} is {@code mknodat},
 * {@code eventfd} is {@code eventfd2}, {@code prlimit} is {@code prlimit64}, and {@code poll} is
 * {@code ppoll} (aarch64 has no {@code poll}).
 */
public enum SystemCall {
    READ(0, 63),
    WRITE(1, 64),
    CLOSE(3, 57),
    PREAD64(17, 67),
    PWRITE64(18, 68),
    SOCKET(41, 198),
    KILL(62, 129),
    FCNTL(72, 25),
    UMASK(95, 166),
    CAPSET(126, 91),
    PRCTL(157, 167),
    GETTID(186, 178),
    GETDENTS64(217, 61),
    WAITID(247, 95),
    OPENAT(257, 56),
    MKNODAT(259, 33),
    PPOLL(271, 73),
    UNSHARE(272, 97),
    EVENTFD2(290, 19),
    PIPE2(293, 59),
    PRLIMIT64(302, 261),
    STATX(332, 291),
    MEMFD_CREATE(319, 279),
    PIDFD_SEND_SIGNAL(424, 424),
    PIDFD_OPEN(434, 434),
    OPENAT2(437, 437),
    LANDLOCK_CREATE_RULESET(444, 444),
    LANDLOCK_ADD_RULE(445, 445),
    LANDLOCK_RESTRICT_SELF(446, 446);

    private final long x86_64;
    private final long aarch64;

    SystemCall(long x86_64, long aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    /** The number on {@code arch}. */
    public long number(Arch arch) {
        return arch == Arch.X86_64 ? x86_64 : aarch64;
    }
}
