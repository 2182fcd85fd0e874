package dev.awssandbox.core.seccomp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seccomp-BPF filter every sandboxed command runs under, installed on the spawning thread
 * after no_new_privs and inherited by the child. It kills a process that makes a system call for
 * a foreign architecture (or through the x32 ABI), refuses the calls in {@link #BLOCKED} with
 * EPERM, {@code clone} with namespace flags with EPERM, {@code clone3} with ENOSYS (so that libc
 * falls back to {@code clone}, whose flags the filter can see), {@code ioctl(TIOCSTI|TIOCLINUX)}
 * with EPERM, unix sockets with EPERM, and, when the network is off, every socket that is not a
 * netlink or TCP socket (TCP itself is Landlock's) and TCP Fast Open sends. Everything else is
 * allowed.
 */
public final class SeccompFilter {
    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    static final int DATA_ARG0_LOW = 16;
    static final int DATA_ARG1_LOW = 24;
    static final int DATA_ARG2_LOW = 32;

    // <linux/audit.h>, <linux/seccomp.h>
    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
    static final int X32_SYSCALL_BIT = 0x40000000;
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_ALLOW = 0x7fff0000;
    static final int PR_SET_SECCOMP = 22;
    static final int SECCOMP_MODE_FILTER = 2;

    static final int EPERM = 1;
    static final int ENOSYS = 38;

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
    static final int CLONE_NAMESPACE_FLAGS =
            0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;
    static final int TIOCSTI = 0x5412;
    static final int TIOCLINUX = 0x541C;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_STREAM = 1;
    static final int SOCK_TYPE_MASK = 0xF;
    static final int IPPROTO_TCP = 6;
    static final int MSG_FASTOPEN = 0x20000000;
    static final int DATA_ARG3_LOW = 40;

    /** The calls refused with EPERM, and why; the README's table is this map. */
    public static final Map<Syscall, String> BLOCKED = blocked();

    /**
     * <pre>struct sock_fprog { unsigned short len; struct sock_filter *filter; };</pre>
     */
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6), ADDRESS.withName("filter"));

    private static Map<Syscall, String> blocked() {
        Map<Syscall, String> m = new LinkedHashMap<>();
        m.put(Syscall.PTRACE, "reading or steering other processes");
        m.put(Syscall.PROCESS_VM_READV, "reading other processes' memory");
        m.put(Syscall.PROCESS_VM_WRITEV, "writing other processes' memory");
        for (Syscall s : List.of(Syscall.MOUNT, Syscall.UMOUNT2, Syscall.PIVOT_ROOT, Syscall.MOVE_MOUNT,
                Syscall.OPEN_TREE, Syscall.FSOPEN, Syscall.FSCONFIG, Syscall.FSMOUNT, Syscall.FSPICK,
                Syscall.MOUNT_SETATTR)) {
            m.put(s, "changing what the filesystem looks like (the mount family)");
        }
        m.put(Syscall.UNSHARE, "new namespaces (user namespaces are a large kernel attack surface)");
        m.put(Syscall.SETNS, "entering other namespaces");
        m.put(Syscall.KEYCTL, "the kernel keyring (may hold other sessions' secrets)");
        m.put(Syscall.ADD_KEY, "the kernel keyring");
        m.put(Syscall.REQUEST_KEY, "the kernel keyring");
        m.put(Syscall.BPF, "loading eBPF programs");
        m.put(Syscall.PERF_EVENT_OPEN, "performance counters (side channels, kernel attack surface)");
        m.put(Syscall.USERFAULTFD, "page-fault handling (a classic exploit primitive)");
        m.put(Syscall.KEXEC_LOAD, "loading a new kernel");
        m.put(Syscall.KEXEC_FILE_LOAD, "loading a new kernel");
        m.put(Syscall.INIT_MODULE, "loading kernel modules");
        m.put(Syscall.FINIT_MODULE, "loading kernel modules");
        m.put(Syscall.DELETE_MODULE, "unloading kernel modules");
        m.put(Syscall.IOPL, "raw I/O port access");
        m.put(Syscall.IOPERM, "raw I/O port access");
        m.put(Syscall.REBOOT, "rebooting the host");
        m.put(Syscall.SWAPON, "changing swap");
        m.put(Syscall.SWAPOFF, "changing swap");
        m.put(Syscall.ACCT, "process accounting");
        m.put(Syscall.OPEN_BY_HANDLE_AT, "opening files by handle, around path-based rules");
        m.put(Syscall.IO_URING_SETUP, "io_uring (bypasses syscall filtering, large attack surface)");
        m.put(Syscall.IO_URING_ENTER, "io_uring");
        m.put(Syscall.IO_URING_REGISTER, "io_uring");
        return java.util.Collections.unmodifiableMap(m);
    }

    private SeccompFilter() {}

    /** The filter program for {@code arch}; with {@code denyNetwork}, non-TCP inet sockets are refused too. */
    public static List<int[]> program(Arch arch, boolean denyNetwork) {
        Bpf bpf = new Bpf();
        bpf.load(DATA_ARCH)
                .jeq(arch == Arch.X86_64 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, "native", null)
                .ret(RET_KILL_PROCESS)
                .label("native")
                .load(DATA_NR);
        if (arch == Arch.X86_64) {
            bpf.jge(X32_SYSCALL_BIT, "kill", null);
        }
        for (Syscall syscall : BLOCKED.keySet()) {
            syscall.number(arch).ifPresent(nr -> bpf.jeq(nr, "eperm", null));
        }
        bpf.jeq(number(Syscall.CLONE3, arch), "enosys", null)
                .jeq(number(Syscall.CLONE, arch), "clone", null)
                .jeq(number(Syscall.IOCTL, arch), "ioctl", null)
                .jeq(number(Syscall.SOCKET, arch), "socket", null);
        if (denyNetwork) {
            // TCP Fast Open connects inside sendto/sendmsg, past Landlock's connect hook
            bpf.jeq(number(Syscall.SENDTO, arch), "fastopen3", null)
                    .jeq(number(Syscall.SENDMMSG, arch), "fastopen3", null)
                    .jeq(number(Syscall.SENDMSG, arch), "fastopen2", null);
        }
        bpf.ret(RET_ALLOW);

        // clone(flags, ...): namespace flags in the low word of args[0]
        bpf.label("clone").load(DATA_ARG0_LOW).jset(CLONE_NAMESPACE_FLAGS, "eperm", "allow");
        // ioctl(fd, cmd, ...): the kernel reads cmd as 32 bits, so compare the low word only
        bpf.label("ioctl").load(DATA_ARG1_LOW).jeq(TIOCSTI, "eperm", null).jeq(TIOCLINUX, "eperm", "allow");
        // socket(domain, type, protocol): never a unix socket (Landlock before ABI 9 does not govern
        // connecting to one by path, so tmux, ssh-agent or D-Bus sockets in /tmp would be reachable:
        // found in review); socketpair() stays for pipes within the sandbox
        bpf.label("socket").load(DATA_ARG0_LOW).jeq(AF_UNIX, "eperm", null);
        if (denyNetwork) {
            bpf.jeq(AF_NETLINK, "allow", null)
                    .jeq(AF_INET, "inet", null)
                    .jeq(AF_INET6, "inet", "eperm")
                    .label("inet").load(DATA_ARG1_LOW).and(SOCK_TYPE_MASK).jeq(SOCK_STREAM, null, "eperm")
                    .load(DATA_ARG2_LOW).jeq(0, "allow", null).jeq(IPPROTO_TCP, "allow", "eperm");
            // sendto(fd, buf, len, flags, …) and sendmmsg(fd, vec, n, flags): flags are args[3]; sendmsg: args[2]
            bpf.label("fastopen3").load(DATA_ARG3_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
            bpf.label("fastopen2").load(DATA_ARG2_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
        } else {
            bpf.ret(RET_ALLOW);
        }
        bpf.label("allow").ret(RET_ALLOW)
                .label("eperm").ret(RET_ERRNO | EPERM)
                .label("enosys").ret(RET_ERRNO | ENOSYS)
                .label("kill").ret(RET_KILL_PROCESS);
        return bpf.build();
    }

    private static int number(Syscall syscall, Arch arch) {
        return syscall.number(arch).orElseThrow();
    }

    /** A filter in native memory, ready to install on any thread; lives as long as the JVM. */
    public static final class Installed {
        private final MemorySegment fprog;

        private Installed(MemorySegment fprog) {
            this.fprog = fprog;
        }

        /** Installs the filter on the calling thread (no_new_privs must be set); returns 0 or errno. */
        public int installOnCurrentThread() {
            return Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address());
        }
    }

    private static final Installed[] INSTALLED = new Installed[2];
    private static final byte[][] BYTES = new byte[2][];

    /**
     * The program for this JVM's architecture as {@code struct sock_filter[]} bytes (what
     * {@code bwrap --seccomp FD} reads), built once per network setting.
     */
    public static synchronized byte[] bytesForThisArch(boolean denyNetwork) {
        int slot = denyNetwork ? 1 : 0;
        if (BYTES[slot] == null) {
            List<int[]> program = program(Libc.arch(), denyNetwork);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment filter = arena.allocate(Bpf.SOCK_FILTER, program.size());
                Bpf.write(program, filter);
                BYTES[slot] = filter.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            }
        }
        return BYTES[slot].clone();
    }

    /** The filter for this JVM's architecture in native memory, built once per network setting. */
    public static synchronized Installed forThisArch(boolean denyNetwork) {
        int slot = denyNetwork ? 1 : 0;
        if (INSTALLED[slot] == null) {
            byte[] bytes = bytesForThisArch(denyNetwork);
            MemorySegment filter = Arena.global().allocate(bytes.length, 8);
            MemorySegment.copy(bytes, 0, filter, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            MemorySegment fprog = Arena.global().allocate(SOCK_FPROG);
            fprog.set(JAVA_SHORT, 0, (short) (bytes.length / Bpf.SOCK_FILTER.byteSize()));
            fprog.set(ADDRESS, 8, filter);
            INSTALLED[slot] = new Installed(fprog);
        }
        return INSTALLED[slot];
    }
}
