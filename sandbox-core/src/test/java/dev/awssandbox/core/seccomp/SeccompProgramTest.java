package dev.awssandbox.core.seccomp;

import static dev.awssandbox.core.seccomp.InstalledProgram.SPAWNER;
import static dev.awssandbox.core.seccomp.InstalledProgram.audit;
import static dev.awssandbox.core.seccomp.InstalledProgram.installed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.linux.Arch;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The filter program for both architectures and every option set, run through a classic-BPF
 * interpreter written from the kernel's semantics ({@code net/core/filter.c}: 32-bit loads from
 * {@code struct seccomp_data}, unsigned compares, forward jumps). The kernel tests
 * ({@code SeccompTest}, {@code SupervisorSeparationTest}) run the x86_64 program for real; this
 * one is where the aarch64 program runs at all, and where the 64-bit argument cases are pinned.
 */
class SeccompProgramTest {
    private static final int ALLOW = SeccompFilter.RET_ALLOW;
    private static final int EPERM = SeccompFilter.RET_ERRNO | SeccompFilter.EPERM;
    private static final int ENOSYS = SeccompFilter.RET_ERRNO | SeccompFilter.ENOSYS;
    private static final int KILL = SeccompFilter.RET_KILL_PROCESS;
    /** errno 0: the call returns 0 without being made. */
    private static final int PRETEND = SeccompFilter.RET_ERRNO;
    private static final long JVM = 4242;

    static List<SeccompFilter.Options> allOptions() {
        List<SeccompFilter.Options> all = new ArrayList<>();
        for (int bits = 0; bits < 16; bits++) {
            all.add(new SeccompFilter.Options((bits & 1) != 0, (bits & 2) != 0 ? OptionalLong.of(JVM) : OptionalLong.empty(),
                    (bits & 4) != 0, (bits & 8) != 0));
        }
        return all;
    }

    /** Runs {@code program} on one system call; returns the action. */
    static int run(List<int[]> program, int auditArch, int nr, long... args) {
        long[] a = new long[6];
        System.arraycopy(args, 0, a, 0, args.length);
        int acc = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            int[] insn = program.get(pc);
            int code = insn[0];
            int k = insn[3];
            switch (code) {
                case Bpf.LD_W_ABS -> acc = word(k, nr, auditArch, a);
                case Bpf.ALU_AND_K -> acc &= k;
                case Bpf.JMP_JA -> pc += k;
                case Bpf.JMP_JEQ_K -> pc += acc == k ? insn[1] : insn[2];
                case Bpf.JMP_JGE_K -> pc += Integer.compareUnsigned(acc, k) >= 0 ? insn[1] : insn[2];
                case Bpf.JMP_JSET_K -> pc += (acc & k) != 0 ? insn[1] : insn[2];
                case Bpf.RET_K -> {
                    return k;
                }
                default -> throw new IllegalStateException("instruction " + code + " at " + pc);
            }
        }
        throw new IllegalStateException("fell off the end of the program");
    }

    /** The 32-bit word at {@code offset} of struct seccomp_data (little-endian). */
    private static int word(int offset, int nr, int auditArch, long[] args) {
        if (offset == SeccompFilter.DATA_NR) {
            return nr;
        }
        if (offset == SeccompFilter.DATA_ARCH) {
            return auditArch;
        }
        int arg = (offset - 16) / 8;
        long value = args[arg];
        return (offset - 16) % 8 == 0 ? (int) value : (int) (value >>> 32);
    }

    private static int call(Arch arch, SeccompFilter.Options options, Syscall syscall, long... args) {
        return run(installed(SeccompFilter.program(arch, options)), audit(arch), syscall.number(arch).orElseThrow(), args);
    }

    /** A call by its number, as the kernel headers give it (not through {@link Syscall}), without arguments. */
    private static int runNumber(Arch arch, SeccompFilter.Options options, int number) {
        return run(installed(SeccompFilter.program(arch, options)), audit(arch), number);
    }

    @ParameterizedTest
    @MethodSource("allOptions")
    void everyOptionSetBuildsForBothArchitecturesWithinTheKernelsLimits(SeccompFilter.Options options) {
        for (Arch arch : Arch.values()) {
            List<int[]> program = SeccompFilter.program(arch, options); // the assembler checks every jump
            assertThat(program.size()).isLessThanOrEqualTo(4096); // BPF_MAXINSNS
            long placeholders = program.stream()
                    .filter(i -> i[0] == Bpf.JMP_JEQ_K && i[3] == SeccompFilter.SUPERVISOR_THREAD).count();
            assertThat(placeholders).isEqualTo(options.supervisorPid().isPresent() ? 3 : 0);
            // a call the filter does not know is allowed, read, write and openat with a plain mode too
            assertThat(run(program, audit(arch), 0, 0)).isEqualTo(ALLOW);
            assertThat(call(arch, options, Syscall.OPENAT, -100, 0, 0x41, 0644)).isEqualTo(ALLOW);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aForeignArchitectureIsKilled(Arch arch) {
        List<int[]> program = SeccompFilter.program(arch, SeccompFilter.Options.bubblewrap(false));
        int foreign = arch == Arch.X86_64 ? SeccompFilter.AUDIT_ARCH_AARCH64 : SeccompFilter.AUDIT_ARCH_X86_64;
        assertThat(run(program, foreign, 0)).isEqualTo(KILL);
        if (arch == Arch.X86_64) {
            assertThat(run(program, audit(arch), SeccompFilter.X32_SYSCALL_BIT | 39)).isEqualTo(KILL);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theSupervisorCannotBeSignalledWhateverTheHighWord(Arch arch) {
        SeccompFilter.Options o = SeccompFilter.Options.landlock(true, JVM);
        long high = 1L << 32;
        for (long jvm : new long[] {JVM, JVM | high, JVM | 0xFFFF_FFFF_0000_0000L}) {
            assertThat(call(arch, o, Syscall.TGKILL, jvm, SPAWNER, 9)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.RT_TGSIGQUEUEINFO, jvm, 1, 9, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.KILL, jvm, 9)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.RT_SIGQUEUEINFO, jvm, 9, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.PIDFD_OPEN, jvm, 0)).isEqualTo(EPERM);
        }
        for (long spawner : new long[] {SPAWNER, SPAWNER | high}) {
            assertThat(call(arch, o, Syscall.KILL, spawner, 9)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.RT_SIGQUEUEINFO, spawner, 9, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.PIDFD_OPEN, spawner, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETOWN, spawner)).isEqualTo(EPERM);
        }
        assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETOWN, JVM | high)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETOWN_EX, 0)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETOWN_EX | high, 0)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.IOCTL, 3, SeccompFilter.FIOSETOWN, 0)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.IOCTL, 3, SeccompFilter.SIOCSPGRP, 0)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.PIDFD_OPEN, 77, SeccompFilter.PIDFD_THREAD)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.TKILL, 77, 0)).isEqualTo(EPERM);
        for (Syscall s : SeccompFilter.SUPERVISOR_BLOCKED.keySet()) {
            assertThat(call(arch, o, s, 0)).as(s.name()).isEqualTo(EPERM);
        }
        // the same calls at other processes (its own children) stay the kernel's and Landlock's
        assertThat(call(arch, o, Syscall.TGKILL, 77, 78, 9)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.KILL, 77, 9)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.KILL, 0, 9)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.PIDFD_OPEN, 77, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETOWN, 77)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.FCNTL, 3, 4, 0x800)).isEqualTo(ALLOW); // F_SETFL O_NONBLOCK
        // without a supervisor (bubblewrap) none of this is refused
        SeccompFilter.Options bwrap = SeccompFilter.Options.bubblewrap(true);
        assertThat(call(arch, bwrap, Syscall.TGKILL, JVM, SPAWNER, 9)).isEqualTo(ALLOW);
        assertThat(call(arch, bwrap, Syscall.PIDFD_GETFD, 3, 3, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, bwrap, Syscall.PRLIMIT64, JVM, 7, 0, 0)).isEqualTo(ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void processCallsReachOnlyTheCaller(Arch arch) {
        SeccompFilter.Options o = SeccompFilter.Options.landlock(false, JVM);
        for (Syscall s : List.of(Syscall.PRLIMIT64, Syscall.SCHED_SETAFFINITY, Syscall.SCHED_SETSCHEDULER,
                Syscall.SCHED_SETPARAM, Syscall.SCHED_SETATTR, Syscall.GET_ROBUST_LIST, Syscall.MOVE_PAGES,
                Syscall.MIGRATE_PAGES)) {
            assertThat(call(arch, o, s, 0, 7, 0)).as(s.name()).isEqualTo(ALLOW);
            assertThat(call(arch, o, s, 1L << 32, 7, 0)).as(s.name() + " truncated to 0 by the kernel").isEqualTo(ALLOW);
            assertThat(call(arch, o, s, 77, 7, 0)).as(s.name()).isEqualTo(EPERM);
            assertThat(call(arch, o, s, 77 | 1L << 32, 7, 0)).as(s.name()).isEqualTo(EPERM);
        }
        assertThat(call(arch, o, Syscall.SETPRIORITY, 0, 0, 10)).isEqualTo(ALLOW); // nice
        assertThat(call(arch, o, Syscall.SETPRIORITY, 1, 0, 10)).isEqualTo(ALLOW); // its own process group
        assertThat(call(arch, o, Syscall.SETPRIORITY, 0, 77, 10)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.SETPRIORITY, 2, 0, 10)).isEqualTo(EPERM); // PRIO_USER
        assertThat(call(arch, o, Syscall.IOPRIO_SET, 1, 0, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, o, Syscall.IOPRIO_SET, 1, 77, 0)).isEqualTo(EPERM);
        assertThat(call(arch, o, Syscall.IOPRIO_SET, 3, 0, 0)).isEqualTo(EPERM); // IOPRIO_WHO_USER
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void setIdBitsAreRefusedOnEveryBackendAndOtherModesOnlyWithMetadataProtected(Arch arch) {
        SeccompFilter.Options open = new SeccompFilter.Options(false, OptionalLong.empty(), false, false);
        SeccompFilter.Options bwrap = SeccompFilter.Options.bubblewrap(false);
        SeccompFilter.Options landlock = SeccompFilter.Options.landlock(false, JVM);
        for (SeccompFilter.Options o : List.of(open, bwrap, landlock)) {
            assertThat(call(arch, o, Syscall.FCHMODAT, -100, 0, 04755)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.FCHMODAT2, -100, 0, 02755, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.FCHMOD, 3, 06755 | 1L << 32)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.OPENAT, -100, 0, 0x41, 04755)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.MKNODAT, -100, 0, 0100000 | 04755, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.OPENAT2, -100, 0, 0, 24)).isEqualTo(ENOSYS);
            assertThat(call(arch, o, Syscall.OPENAT, -100, 0, 0x41, 0755)).isEqualTo(ALLOW);
            if (arch == Arch.X86_64) {
                assertThat(call(arch, o, Syscall.OPEN, 0, 0x41, 04755)).isEqualTo(EPERM);
                assertThat(call(arch, o, Syscall.CREAT, 0, 02755)).isEqualTo(EPERM);
                assertThat(call(arch, o, Syscall.MKNOD, 0, 0100000 | 04755, 0)).isEqualTo(EPERM);
                assertThat(call(arch, o, Syscall.CHMOD, 0, 04755)).isEqualTo(EPERM);
                assertThat(call(arch, o, Syscall.OPEN, 0, 0x41, 0644)).isEqualTo(ALLOW);
            }
            int plainChmod = call(arch, o, Syscall.FCHMODAT, -100, 0, 0644);
            assertThat(plainChmod).isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
            // a private mode is what the command's files have already: accepted without effect
            assertThat(call(arch, o, Syscall.FCHMODAT, -100, 0, 0600)).isEqualTo(o.protectMetadata() ? PRETEND : ALLOW);
            assertThat(call(arch, o, Syscall.FCHMOD, 3, 0700)).isEqualTo(o.protectMetadata() ? PRETEND : ALLOW);
            assertThat(call(arch, o, Syscall.FCHMOD, 3, 01700)).isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
            assertThat(call(arch, o, Syscall.FCHMODAT2, -100, 0, 0400, 0)).isEqualTo(o.protectMetadata() ? PRETEND : ALLOW);
            for (Syscall s : SeccompFilter.METADATA_BLOCKED.keySet()) {
                if (s.number(arch).isPresent()) {
                    assertThat(call(arch, o, s, 0, 0, 0644, 0)).as(s.name()).isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
                }
            }
        }
        assertThat(call(arch, landlock, Syscall.SETXATTR, 0, 0, 0, 0)).isEqualTo(EPERM);
        assertThat(call(arch, open, Syscall.SETXATTR, 0, 0, 0, 0)).isEqualTo(ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aUmaskThatUnmasksGroupOrOtherBitsDoesNothingWithMetadataProtected(Arch arch) {
        SeccompFilter.Options open = new SeccompFilter.Options(false, OptionalLong.empty(), false, false);
        for (SeccompFilter.Options o : List.of(SeccompFilter.Options.bubblewrap(false), SeccompFilter.Options.landlock(true, JVM))) {
            for (long keeps : new long[] {077, 0777, 0177, 077 | 1L << 32}) {
                assertThat(call(arch, o, Syscall.UMASK, keeps)).as("umask(0%o)", keeps).isEqualTo(ALLOW);
            }
            // the kernel reads an int and masks it with 0777: the high word cannot help
            for (long unmasks : new long[] {0, 022, 027, 070, 0700, 0777L << 32, 1L << 32 | 076}) {
                assertThat(call(arch, o, Syscall.UMASK, unmasks)).as("umask(0%o)", unmasks).isEqualTo(PRETEND);
            }
        }
        assertThat(call(arch, open, Syscall.UMASK, 0)).isEqualTo(ALLOW);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void onlyAUnixStreamSocketpairIsAllowed(Arch arch) {
        int unix = SeccompFilter.AF_UNIX;
        int cloexecNonblock = 02000000 | 04000;
        for (SeccompFilter.Options o : allOptions()) {
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 1, 0, 0)).as("stream %s", o).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 1 | cloexecNonblock, 0, 0)).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix | 1L << 32, 1 | 1L << 32, 0, 0)).isEqualTo(ALLOW);
            // datagram and seqpacket, with or without flags: sendto(addr)/connect(addr) reach host sockets
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 2, 0, 0)).as("dgram %s", o).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 2 | cloexecNonblock, 0, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 5, 0, 0)).as("seqpacket").isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, unix, 3, 0, 0)).as("raw").isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, SeccompFilter.AF_INET, 1, 0, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.SOCKETPAIR, SeccompFilter.AF_NETLINK, 1, 0, 0)).isEqualTo(EPERM);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void networkOffAllowsOnlyTcpAndNetlinkNever(Arch arch) {
        SeccompFilter.Options off = SeccompFilter.Options.landlock(true, JVM);
        SeccompFilter.Options on = SeccompFilter.Options.landlock(false, JVM);
        assertThat(call(arch, off, Syscall.SOCKET, 2, 1, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, off, Syscall.SOCKET, 10, 1 | 0x80000, 6)).isEqualTo(ALLOW);
        assertThat(call(arch, off, Syscall.SOCKET, 2, 2, 0)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.SOCKET, 16, 3, 0)).isEqualTo(EPERM); // NETLINK_ROUTE (red team, round 12, F2)
        assertThat(call(arch, off, Syscall.SOCKET, 16, 3, 4)).isEqualTo(EPERM); // NETLINK_SOCK_DIAG
        assertThat(call(arch, off, Syscall.SOCKET, 16, 3, 4 | 1L << 32)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.SOCKET, 1, 1, 0)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.LISTEN, 3, 5)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.ACCEPT, 3, 0, 0)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.ACCEPT4, 3, 0, 0, 0)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.SENDTO, 3, 0, 0, SeccompFilter.MSG_FASTOPEN, 0, 0)).isEqualTo(EPERM);
        assertThat(call(arch, off, Syscall.SENDTO, 3, 0, 0, 0, 0, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, on, Syscall.SOCKET, 16, 3, 4)).isEqualTo(EPERM);
        assertThat(call(arch, on, Syscall.SOCKET, 16, 3, 0)).isEqualTo(EPERM);
        assertThat(call(arch, on, Syscall.SOCKET, 2, 2, 0)).isEqualTo(ALLOW);
        assertThat(call(arch, on, Syscall.LISTEN, 3, 5)).isEqualTo(ALLOW);
        assertThat(call(arch, on, Syscall.SOCKET, 1, 1, 0)).isEqualTo(EPERM);
    }

    /**
     * Red team, round 12: a bind with a unix address's length (F3), a lease (F4), fallocate keeping the size (F5) and
     * extended attributes read by path (F1), on every option set; the calls' other uses pass.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void bindLeasesFallocateAndXattrReadsOnEveryOptionSet(Arch arch) {
        int eopnotsupp = SeccompFilter.RET_ERRNO | SeccompFilter.EOPNOTSUPP;
        for (SeccompFilter.Options o : allOptions()) {
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 16)).as("sockaddr_in %s", o).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 28)).as("sockaddr_in6").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 128)).as("sockaddr_storage").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 111)).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 110)).as("a whole sockaddr_un").isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 20)).as("an abstract name of 17 bytes").isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.BIND, 3, 0, 2)).as("autobind").isEqualTo(EPERM);
            // connect the same (outside test RT18, F4): an IP address or sockaddr_storage passes, a unix one does not
            for (int length : new int[] {16, 28, 128}) {
                assertThat(call(arch, o, Syscall.CONNECT, 3, 0, length)).as("connect %d %s", length, o).isEqualTo(ALLOW);
            }
            for (int length : new int[] {110, 20, 3}) {
                assertThat(call(arch, o, Syscall.CONNECT, 3, 0, length)).as("connect %d %s", length, o).isEqualTo(EPERM);
            }
            assertThat(call(arch, o, Syscall.FCNTL, 3, SeccompFilter.F_SETLEASE, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.FCNTL, 3, 1025, 0)).as("F_GETLEASE").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FCNTL, 3, 4, 0)).as("F_SETFL").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 1, 0, 1 << 20)).as("keep size").isEqualTo(eopnotsupp);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0x11, 0, 1 << 20)).as("zero range, keep size").isEqualTo(eopnotsupp);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0, 0, 1 << 20)).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 3, 0, 4096)).as("punch a hole").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0x08, 0, 4096)).as("collapse a range").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0x10, 0, 4096)).as("zero a range").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0x20, 0, 4096)).as("insert a range").isEqualTo(eopnotsupp);
            assertThat(call(arch, o, Syscall.FALLOCATE, 3, 0x40, 0, 4096)).as("unshare").isEqualTo(eopnotsupp);
            for (int preallocate : List.of(SeccompFilter.FS_IOC_RESVSP, SeccompFilter.FS_IOC_RESVSP64,
                    SeccompFilter.FS_IOC_ZERO_RANGE)) {
                assertThat(call(arch, o, Syscall.IOCTL, 3, preallocate, 0)).as("ioctl %x", preallocate).isEqualTo(eopnotsupp);
            }
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x5401, 0)).as("TCGETS").isEqualTo(ALLOW);
            for (Syscall read : SeccompFilter.PATH_XATTR_READS.keySet()) {
                assertThat(call(arch, o, read, 0, 0, 0, 0)).as(read.name()).isEqualTo(eopnotsupp);
            }
        }
    }

    /**
     * Outside test RT15, F1 and F5, and its review (R3, R8): the ioctls that set attribute flags, the generation or
     * fs-verity, by their numbers in {@code <linux/fs.h>} and {@code <linux/fsverity.h>} (written here, not the filter's
     * constants), wherever metadata is protected; reading the flags passes; file_setattr (469) is refused, file_getattr
     * (468) answers EOPNOTSUPP, statmount and listmount (457, 458) ENOSYS, on every option set.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void attributeFlagsAndTheMountTableOnEveryOptionSet(Arch arch) {
        int eopnotsupp = SeccompFilter.RET_ERRNO | SeccompFilter.EOPNOTSUPP;
        for (SeccompFilter.Options o : allOptions()) {
            // and fscrypt's policy and keys (outside test RT16, F6)
            for (int setter : List.of(0x40086602, 0x40046602, 0x401c5820, 0x40087602, 0x40047602, 0x40086604, 0x40046604,
                    0x40806685, 0x800c6613, 0xc0506617, 0xc0406618, 0xc0406619)) {
                assertThat(call(arch, o, Syscall.IOCTL, 3, setter, 0)).as("ioctl %x %s", setter, o)
                        .isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
            }
            // ext4's block-map migration and fscrypt's salt, which write to a file or the superblock (RT17, F4)
            for (int writer : List.of(0x6609, 0x40106614)) {
                assertThat(call(arch, o, Syscall.IOCTL, 3, writer, 0)).as("ioctl %x %s", writer, o)
                        .isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
            }
            // a file system's own ioctls by their type, on every option set: btrfs's subvolume create, snapshot (v1, v2),
            // destroy, read-only flag, received uuid, dedupe and search; bcachefs's subvolume create; f2fs's pin
            for (int own : List.of(0x5000940e, 0x50009401, 0x50009417, 0x5000940f, 0x4008941a, 0xc0c89425, 0xc0189436,
                    0xd0009411, 0x4020bc10, 0x4004f50d)) {
                assertThat(call(arch, o, Syscall.IOCTL, 3, own, 0)).as("ioctl %x %s", own, o).isEqualTo(EPERM);
            }
            // a pidfd's PIDFD_GET_INFO (v0 and a later size) and a namespace getter, where the PID namespace is the host's
            for (int pidfd : List.of(0xc040ff0b, 0xc088ff0b, 0xff01)) {
                assertThat(call(arch, o, Syscall.IOCTL, 3, pidfd, 0)).as("ioctl %x %s", pidfd, o)
                        .isEqualTo(o.supervisorPid().isPresent() ? EPERM : ALLOW);
            }
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x40049409, 0)).as("FICLONE").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x4020940d, 0)).as("FICLONERANGE").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x81009431, 0)).as("FS_IOC_GETFSLABEL").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x80086601, 0)).as("FS_IOC_GETFLAGS").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x801c581f, 0)).as("FS_IOC_FSGETXATTR").isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 3, 0x400c6615, 0)).as("FS_IOC_GET_ENCRYPTION_POLICY").isEqualTo(ALLOW);
            assertThat(runNumber(arch, o, 467)).as("open_tree_attr (RT16, F5)").isEqualTo(EPERM);
            assertThat(runNumber(arch, o, 469)).as("file_setattr").isEqualTo(o.protectMetadata() ? EPERM : ALLOW);
            assertThat(runNumber(arch, o, 468)).as("file_getattr").isEqualTo(eopnotsupp);
            assertThat(runNumber(arch, o, 457)).as("statmount").isEqualTo(ENOSYS);
            assertThat(runNumber(arch, o, 458)).as("listmount").isEqualTo(ENOSYS);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void hostIpcIsRefusedOnlyWhereTheCommandSharesIt(Arch arch) {
        for (Syscall s : SeccompFilter.HOST_IPC_BLOCKED.keySet()) {
            assertThat(call(arch, SeccompFilter.Options.landlock(false, JVM), s, 0)).as(s.name()).isEqualTo(EPERM);
            assertThat(call(arch, SeccompFilter.Options.bubblewrap(false), s, 0)).as(s.name()).isEqualTo(ALLOW);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theAlwaysBlockedCallsAreRefusedWithEveryOptionSet(Arch arch) {
        for (SeccompFilter.Options o : allOptions()) {
            for (Syscall s : SeccompFilter.BLOCKED.keySet()) {
                if (s.number(arch).isPresent()) {
                    assertThat(call(arch, o, s, 0)).as(s.name() + " " + o).isEqualTo(EPERM);
                }
            }
            assertThat(call(arch, o, Syscall.CLONE3, 0, 0)).isEqualTo(ENOSYS);
            assertThat(call(arch, o, Syscall.CLONE, 0x10000000, 0)).isEqualTo(EPERM);
            assertThat(call(arch, o, Syscall.CLONE, 0x11, 0)).isEqualTo(ALLOW);
            assertThat(call(arch, o, Syscall.IOCTL, 0, SeccompFilter.TIOCSTI, 0)).isEqualTo(EPERM);
        }
    }

    @Test
    void theAssemblerJumpsToTheNearestDefinitionAheadAndRefusesLongConditionalJumps() {
        Bpf near = new Bpf().load(0).jeq(1, "out", null).label("out").ret(7).label("out").ret(8);
        assertThat(run(near.build(), 0, 1)).isEqualTo(7);
        Bpf far = new Bpf().load(0).jeq(1, null, "next").ja("out").label("next");
        for (int i = 0; i < 300; i++) {
            far.ret(i);
        }
        far.label("out").ret(-1);
        assertThat(run(far.build(), 0, 1)).isEqualTo(-1);
        assertThat(run(far.build(), 0, 2)).isEqualTo(0);
        Bpf tooFar = new Bpf().load(0).jeq(1, "out", null);
        for (int i = 0; i < 256; i++) {
            tooFar.ret(i);
        }
        tooFar.label("out").ret(-1);
        assertThatThrownBy(tooFar::build).hasMessageContaining("out of range");
        Bpf backwards = new Bpf().label("back").load(0).jeq(1, "back", null).ret(0);
        assertThatThrownBy(backwards::build).hasMessageContaining("only forward");
    }

    @Test
    void bubblewrapBytesCannotCarryASupervisor() {
        assertThatThrownBy(() -> SeccompFilter.bytesForThisArch(SeccompFilter.Options.landlock(false, JVM)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SeccompFilter.Options(false, OptionalLong.of(0), true, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
