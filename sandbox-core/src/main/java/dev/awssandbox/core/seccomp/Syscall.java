package dev.awssandbox.core.seccomp;

import dev.awssandbox.core.linux.Arch;
import java.util.Optional;

/**
 * The system calls the filter looks at, with their numbers on x86_64
 * ({@code arch/x86/entry/syscalls/syscall_64.tbl}) and aarch64
 * ({@code include/uapi/asm-generic/unistd.h}); a constant with one number is a call only x86_64
 * has (aarch64 has only the {@code *at} forms of the path calls, and no I/O port calls). The
 * constant's name is the kernel's name of the call in upper case. Every number is checked against
 * the kernel headers installed on the machine by {@code SeccompLayoutTest}.
 */
public enum Syscall {
    IOCTL(16, 29),
    SOCKET(41, 198),
    SOCKETPAIR(53, 199),
    SENDTO(44, 206),
    SENDMSG(46, 211),
    SENDMMSG(307, 269),
    CLONE(56, 220),
    PTRACE(101, 117),
    CAPSET(126, 91),
    PIVOT_ROOT(155, 41),
    ACCT(163, 89),
    MOUNT(165, 40),
    UMOUNT2(166, 39),
    SWAPON(167, 224),
    SWAPOFF(168, 225),
    REBOOT(169, 142),
    IOPL(172),
    IOPERM(173),
    INIT_MODULE(175, 105),
    DELETE_MODULE(176, 106),
    KEXEC_LOAD(246, 104),
    ADD_KEY(248, 217),
    REQUEST_KEY(249, 218),
    KEYCTL(250, 219),
    UNSHARE(272, 97),
    PERF_EVENT_OPEN(298, 241),
    OPEN_BY_HANDLE_AT(304, 265),
    SETNS(308, 268),
    PROCESS_VM_READV(310, 270),
    PROCESS_VM_WRITEV(311, 271),
    FINIT_MODULE(313, 273),
    SECCOMP(317, 277),
    KEXEC_FILE_LOAD(320, 294),
    BPF(321, 280),
    USERFAULTFD(323, 282),
    IO_URING_SETUP(425, 425),
    IO_URING_ENTER(426, 426),
    IO_URING_REGISTER(427, 427),
    OPEN_TREE(428, 428),
    /** Linux 6.15: open_tree with mount attributes. */
    OPEN_TREE_ATTR(467, 467),
    MOVE_MOUNT(429, 429),
    FSOPEN(430, 430),
    FSCONFIG(431, 431),
    FSMOUNT(432, 432),
    FSPICK(433, 433),
    CLONE3(435, 435),
    MOUNT_SETATTR(442, 442),

    // acting on other processes (refused when the filter knows its supervisor)
    KILL(62, 129),
    TKILL(200, 130),
    TGKILL(234, 131),
    RT_SIGQUEUEINFO(129, 138),
    RT_TGSIGQUEUEINFO(297, 240),
    PIDFD_OPEN(434, 434),
    PIDFD_GETFD(438, 438),
    KCMP(312, 272),
    PROCESS_MADVISE(440, 440),
    PROCESS_MRELEASE(448, 448),
    PRLIMIT64(302, 261),
    SCHED_SETPARAM(142, 118),
    SCHED_SETSCHEDULER(144, 119),
    SCHED_SETAFFINITY(203, 122),
    SCHED_SETATTR(314, 274),
    SETPRIORITY(141, 140),
    IOPRIO_SET(251, 30),
    GET_ROBUST_LIST(274, 100),
    MIGRATE_PAGES(256, 238),
    MOVE_PAGES(279, 239),
    FCNTL(72, 25),
    /** Not filtered: the filter's installer asks it for its own thread id. */
    GETTID(186, 178),

    // file modes, owners and extended attributes
    CHMOD(90),
    FCHMOD(91, 52),
    FCHMODAT(268, 53),
    FCHMODAT2(452, 452),
    UMASK(95, 166),
    CHOWN(92),
    FCHOWN(93, 55),
    LCHOWN(94),
    FCHOWNAT(260, 54),
    SETXATTR(188, 5),
    LSETXATTR(189, 6),
    FSETXATTR(190, 7),
    REMOVEXATTR(197, 14),
    LREMOVEXATTR(198, 15),
    FREMOVEXATTR(199, 16),
    SETXATTRAT(463, 463),
    GETXATTR(191, 8),
    LGETXATTR(192, 9),
    LISTXATTR(194, 11),
    LLISTXATTR(195, 12),
    GETXATTRAT(464, 464),
    LISTXATTRAT(465, 465),
    REMOVEXATTRAT(466, 466),
    FILE_GETATTR(468, 468),
    FILE_SETATTR(469, 469),
    /** The mount table by id: {@code statmount}, {@code listmount} (Linux 6.8). */
    STATMOUNT(457, 457),
    LISTMOUNT(458, 458),

    /** Not filtered (timestamps stay changeable: aws s3 cp sets them); named by the tests that pin this. */
    UTIMENSAT(280, 88),

    // creating files (with a mode)
    OPEN(2),
    CREAT(85),
    MKNOD(133),
    OPENAT(257, 56),
    MKNODAT(259, 33),
    OPENAT2(437, 437),

    // SysV IPC and POSIX message queues
    SHMGET(29, 194),
    SHMAT(30, 196),
    SHMCTL(31, 195),
    SHMDT(67, 197),
    SEMGET(64, 190),
    SEMOP(65, 193),
    SEMCTL(66, 191),
    SEMTIMEDOP(220, 192),
    MSGGET(68, 186),
    MSGSND(69, 189),
    MSGRCV(70, 188),
    MSGCTL(71, 187),
    MQ_OPEN(240, 180),
    MQ_UNLINK(241, 181),
    MQ_TIMEDSEND(242, 182),
    MQ_TIMEDRECEIVE(243, 183),
    MQ_NOTIFY(244, 184),
    MQ_GETSETATTR(245, 185),

    // accepting connections
    ACCEPT(43, 202),
    LISTEN(50, 201),
    BIND(49, 200),
    CONNECT(42, 203),
    FALLOCATE(285, 47),
    ACCEPT4(288, 242);

    private final int x86_64;
    private final Optional<Integer> aarch64;

    Syscall(int x86_64, int aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = Optional.of(aarch64);
    }

    /** A call only x86_64 has. */
    Syscall(int x86_64) {
        this.x86_64 = x86_64;
        this.aarch64 = Optional.empty();
    }

    /** The number on {@code arch}, if the call exists there. */
    public Optional<Integer> number(Arch arch) {
        return switch (arch) {
            case X86_64 -> Optional.of(x86_64);
            case AARCH64 -> aarch64;
        };
    }
}
