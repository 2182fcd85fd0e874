package dev.awssandbox.core.seccomp;

import dev.awssandbox.core.linux.Arch;
import java.util.Optional;

/**
 * The system calls the filter looks at, with their numbers on x86_64
 * ({@code arch/x86/entry/syscalls/syscall_64.tbl}) and aarch64
 * ({@code include/uapi/asm-generic/unistd.h}); -1 where the call does not exist. Pinned by
 * {@code SeccompLayoutTest}.
 */
public enum Syscall {
    IOCTL(16, 29),
    SOCKET(41, 198),
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
    IOPL(172, -1),
    IOPERM(173, -1),
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
    MOVE_MOUNT(429, 429),
    FSOPEN(430, 430),
    FSCONFIG(431, 431),
    FSMOUNT(432, 432),
    FSPICK(433, 433),
    CLONE3(435, 435),
    MOUNT_SETATTR(442, 442);

    private final int x86_64;
    private final int aarch64;

    Syscall(int x86_64, int aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    /** The number on {@code arch}, if the call exists there. */
    public Optional<Integer> number(Arch arch) {
        int n = switch (arch) {
            case X86_64 -> x86_64;
            case AARCH64 -> aarch64;
        };
        return n < 0 ? Optional.empty() : Optional.of(n);
    }
}
