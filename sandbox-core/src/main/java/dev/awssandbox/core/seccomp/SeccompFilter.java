package dev.awssandbox.core.seccomp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seccomp-BPF filter every sandboxed command runs under: installed on the spawning thread
 * after no_new_privs and inherited by the child (Landlock backend), or handed to
 * {@code bwrap --seccomp} (bubblewrap backend). What it refuses depends on {@link Options}:
 *
 * <ul>
 *   <li>always: a system call of a foreign architecture or of the x32 ABI kills the process;
 *       the calls in {@link #BLOCKED} fail with EPERM; {@code clone} with namespace flags,
 *       {@code ioctl(TIOCSTI|TIOCLINUX)}, unix and netlink sockets, every {@code socketpair} but a
 *       unix stream pair, a {@code bind} with an address length only a unix address has, and
 *       {@code fcntl(F_SETLEASE)} with EPERM; reading extended attributes by path
 *       ({@link #PATH_XATTR_READS}) and {@code fallocate} that keeps the size (but for punching a
 *       hole) with EOPNOTSUPP; {@code clone3} and
 *       {@code openat2} with ENOSYS (their arguments live in memory the filter cannot read, and
 *       libc falls back to {@code clone} and {@code openat}, whose arguments it can);
 *       creating a file whose mode has a set-user-id or set-group-id bit
 *       ({@code open, creat, mknod, openat, mknodat}), and adding those bits with the
 *       {@code chmod} family, with EPERM;</li>
 *   <li>{@link Options#denyNetwork}: every socket but TCP over IPv4/IPv6 (Landlock's); TCP Fast
 *       Open sends; {@code listen},
 *       {@code accept}, {@code accept4};</li>
 *   <li>{@link Options#supervisorPid}: everything by which a command could act on the JVM, or on
 *       processes other than its own ({@link #SUPERVISOR_BLOCKED} and the argument checks
 *       described there);</li>
 *   <li>{@link Options#protectMetadata}: every change of a file's mode, owner or extended
 *       attributes ({@link #METADATA_BLOCKED}), and a {@code umask} that would let a new file be
 *       group- or world-accessible;</li>
 *   <li>{@link Options#denyHostIpc}: SysV IPC and POSIX message queues ({@link #HOST_IPC_BLOCKED}).</li>
 * </ul>
 * Everything else is allowed.
 *
 * <h2>Arguments are compared as 32-bit words</h2>
 * Classic BPF reads {@code struct seccomp_data} 32 bits at a time. Every argument the filter
 * looks at is declared {@code int}, {@code pid_t}, {@code unsigned int} or {@code umode_t} by the
 * kernel, whose system call wrappers truncate the 64-bit register to that type before the call
 * sees it ({@code SYSCALL_DEFINE}'s {@code __se_sys_*} casts; {@code fcntl}'s {@code arg} is an
 * {@code unsigned long}, but {@code F_SETOWN} uses {@code (int) arg}). So the filter compares the
 * low word only, on purpose: the kernel acts on exactly that word, whatever the high word holds.
 * Requiring the high word to be zero as well would open a bypass: {@code kill(pid | 1L << 32, …)}
 * would not match "pid equals the supervisor" but would still reach the supervisor. Both
 * architectures are little-endian (a big-endian aarch64 has another {@code AUDIT_ARCH} value
 * and is killed by the architecture check), so the low word is at {@code args[i]}'s own offset.
 */
public final class SeccompFilter {
    // struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
    static final int DATA_NR = 0;
    static final int DATA_ARCH = 4;
    static final int DATA_ARG0_LOW = 16;
    static final int DATA_ARG1_LOW = 24;
    static final int DATA_ARG2_LOW = 32;
    static final int DATA_ARG3_LOW = 40;

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
    /** EOPNOTSUPP: what a file system without extended attributes, or without a fallocate mode, answers. */
    static final int EOPNOTSUPP = 95;

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
    static final int CLONE_NAMESPACE_FLAGS =
            0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080;
    static final int TIOCSTI = 0x5412;
    static final int TIOCLINUX = 0x541C;
    /** {@code <asm-generic/sockios.h>}: set a socket's SIGIO/SIGURG owner, like {@code F_SETOWN}. */
    static final int FIOSETOWN = 0x8901;
    static final int SIOCSPGRP = 0x8902;
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_STREAM = 1;
    static final int SOCK_TYPE_MASK = 0xF;
    static final int IPPROTO_TCP = 6;
    static final int MSG_FASTOPEN = 0x20000000;
    /** {@code <asm-generic/fcntl.h>}, the same on x86_64 and aarch64. */
    static final int F_SETOWN = 8;
    static final int F_SETOWN_EX = 15;
    /** {@code <linux/fcntl.h>}: {@code F_LINUX_SPECIFIC_BASE + 0}. */
    static final int F_SETLEASE = 1024;
    /** {@code <linux/falloc.h>}: the modes a command may use (see the fallocate section). */
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;
    /**
     * {@code <linux/falloc.h>}'s preallocation ioctls ({@code _IOW('X', 40|42|57, struct space_resv)}, 48 bytes on both
     * architectures): each allocates blocks keeping the size, as {@code fallocate(FALLOC_FL_KEEP_SIZE)} does (outside
     * test RT13, F1: 200 MiB in a file of size 0 under {@code --max-file-size 1M}).
     */
    static final int FS_IOC_RESVSP = 0x40305828;
    static final int FS_IOC_RESVSP64 = 0x4030582a;
    static final int FS_IOC_ZERO_RANGE = 0x40305839;
    /**
     * The ioctls that set a file's attribute flags ({@code chattr}: nodump, sync, noatime, …) or its generation, through a
     * descriptor opened only to read: {@code FS_IOC_SETFLAGS} ({@code _IOW('f', 2, long)}) and its 32-bit twin,
     * {@code FS_IOC_FSSETXATTR} ({@code _IOW('X', 32, struct fsxattr)}, 28 bytes), {@code FS_IOC_SETVERSION}
     * ({@code _IOW('v', 2, long)}) and its twin. Landlock's ioctl right covers device files only, so {@code chattr +d} of a
     * file the command may only read ({@code ~/.aws/credentials}) took effect (outside test RT15, F1).
     */
    static final int FS_IOC_SETFLAGS = 0x40086602;
    static final int FS_IOC32_SETFLAGS = 0x40046602;
    static final int FS_IOC_FSSETXATTR = 0x401c5820;
    static final int FS_IOC_SETVERSION = 0x40087602;
    static final int FS_IOC32_SETVERSION = 0x40047602;
    /** ext4's own names for the generation's setter ({@code _IOW('f', 4, long)} and its twin), which ext4 takes too. */
    static final int EXT4_IOC_SETVERSION = 0x40086604;
    static final int EXT4_IOC32_SETVERSION = 0x40046604;
    /**
     * {@code FS_IOC_ENABLE_VERITY} ({@code _IOW('f', 133, struct fsverity_enable_arg)}, 128 bytes): through a descriptor
     * opened only to read, it makes a file the command's user owns unwritable for good (btrfs, ext4 and f2fs with
     * fs-verity): a command could so freeze {@code ~/.aws/credentials} (review of RT15, R3).
     */
    static final int FS_IOC_ENABLE_VERITY = 0x40806685;
    /**
     * fscrypt's: setting an encryption policy on an empty directory ({@code _IOR('f', 19, struct fscrypt_policy_v1)}, the
     * same number for a v2 policy) through a descriptor opened only to read, for good: the host, root too, then gets
     * "Required key not available" there (outside test RT16, F6); removing a key, which locks its directories
     * ({@code _IOWR('f', 24|25, struct fscrypt_remove_key_arg)}, 64 bytes); adding one ({@code _IOWR('f', 23, struct
     * fscrypt_add_key_arg)}, 80 bytes), which no command needs.
     */
    static final int FS_IOC_SET_ENCRYPTION_POLICY = 0x800c6613;
    static final int FS_IOC_ADD_ENCRYPTION_KEY = 0xc0506617;
    static final int FS_IOC_REMOVE_ENCRYPTION_KEY = 0xc0406618;
    static final int FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS = 0xc0406619;
    /**
     * ext4's {@code EXT4_IOC_MIGRATE} ({@code _IO('f', 9)}), which rewrites the block map of a file its user owns through a
     * descriptor opened only to read, and fscrypt's {@code FS_IOC_GET_ENCRYPTION_PWSALT} ({@code _IOW('f', 20, __u8[16])}),
     * which writes a salt to the superblock the first time it is asked (outside test RT17, F4): no command needs either.
     */
    static final int EXT4_IOC_MIGRATE = 0x6609;
    static final int FS_IOC_GET_ENCRYPTION_PWSALT = 0x40106614;
    /**
     * An ioctl's type, its second byte ({@code _IOC_TYPESHIFT} is 8), and the types of three file systems' own ioctls:
     * btrfs ({@code 0x94}), bcachefs ({@code 0xbc}) and f2fs ({@code 0xf5}). Landlock governs none of them: on btrfs a
     * command made a subvolume, or a snapshot of one it could read, in a directory it could only read, and under
     * bubblewrap a snapshot copied a subvolume whole, past the mounts that hide what the command may not read. Refused
     * but for the two clone calls the VFS took over from btrfs ({@code FICLONE}, {@code _IOW(0x94, 9, int)}, and
     * {@code FICLONERANGE}, {@code _IOW(0x94, 13, struct file_clone_range)}: {@code cp --reflink}), which need a
     * descriptor opened to write, and the label's getter ({@link #FS_IOC_GETFSLABEL}; its setter needs
     * CAP_SYS_ADMIN, which no command has); {@code FIDEDUPERANGE} goes with the rest, since it takes a file opened only to read.
     */
    static final int IOCTL_TYPE_MASK = 0xFF00;
    static final int BTRFS_IOCTL_TYPE = 0x9400;
    static final int BCACHEFS_IOCTL_TYPE = 0xbc00;
    static final int F2FS_IOCTL_TYPE = 0xf500;
    /**
     * A pidfd's ioctls ({@code <linux/pidfd.h>}, type {@code 0xFF}): {@code PIDFD_GET_INFO} gives any process's parent,
     * users, cgroup and exit status, with no permission asked, and the namespace getters. Where the command shares the
     * host's PID namespace (Landlock) a command rebuilt the host's process tree from them, {@code /proc} denied (outside
     * test RT18, F3); refused there, whatever the size of the structure asked for.
     */
    static final int PIDFD_IOCTL_TYPE = 0xFF00;
    /** The file system's label ({@code _IOR(0x94, 49, char[256])}), a getter the VFS serves for ext4, xfs, btrfs and f2fs. */
    static final int FS_IOC_GETFSLABEL = 0x81009431;
    static final int FICLONE = 0x40049409;
    static final int FICLONERANGE = 0x4020940d;
    /** The address lengths {@code bind} takes: {@code sockaddr_in}, {@code sockaddr_in6}. */
    static final int SOCKADDR_IN_LEN = 16;
    static final int SOCKADDR_IN6_LEN = 28;
    /** Longer than {@code sockaddr_un} (110 bytes), which a unix socket's bind refuses (EINVAL): {@code sockaddr_storage}. */
    static final int LONGER_THAN_SOCKADDR_UN = 111;
    /** {@code PIDFD_THREAD} is {@code O_EXCL}: a pidfd for one thread rather than a thread group leader. */
    static final int PIDFD_THREAD = 0x80;
    /** {@code setpriority(which, …)}: {@code PRIO_USER} names every process of a user. */
    static final int PRIO_USER = 2;
    /** {@code ioprio_set(which, …)}: {@code IOPRIO_WHO_USER} likewise. */
    static final int IOPRIO_WHO_USER = 3;
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;

    /**
     * Where the filter compares with the id of the thread that installs it: no pid or tid is this
     * large (the kernel's PID_MAX_LIMIT is 2^22), and each installation replaces it with the
     * installing thread's id ({@link Installed#installOnCurrentThread}).
     */
    static final int SUPERVISOR_THREAD = 0x7FFF_FFFE;
    /** The largest pid a kernel can hand out (PID_MAX_LIMIT on 64-bit). */
    static final long PID_MAX_LIMIT = 4 * 1024 * 1024;

    /** The calls refused with EPERM on every backend, and why; the README's table is this map. */
    public static final Map<Syscall, String> BLOCKED = new SyscallTable()
            .put("reading or steering other processes", Syscall.PTRACE)
            .put("reading other processes' memory", Syscall.PROCESS_VM_READV)
            .put("writing other processes' memory", Syscall.PROCESS_VM_WRITEV)
            .put("changing what the filesystem looks like (the mount family)", Syscall.MOUNT, Syscall.UMOUNT2,
                    Syscall.PIVOT_ROOT, Syscall.MOVE_MOUNT, Syscall.OPEN_TREE, Syscall.OPEN_TREE_ATTR, Syscall.FSOPEN,
                    Syscall.FSCONFIG,
                    Syscall.FSMOUNT, Syscall.FSPICK, Syscall.MOUNT_SETATTR)
            .put("new namespaces (user namespaces are a large kernel attack surface)", Syscall.UNSHARE)
            .put("entering other namespaces", Syscall.SETNS)
            .put("the kernel keyring (may hold other sessions' secrets)", Syscall.KEYCTL, Syscall.ADD_KEY,
                    Syscall.REQUEST_KEY)
            .put("loading eBPF programs", Syscall.BPF)
            .put("performance counters (side channels, kernel attack surface)", Syscall.PERF_EVENT_OPEN)
            .put("page-fault handling (a classic exploit primitive)", Syscall.USERFAULTFD)
            .put("loading a new kernel", Syscall.KEXEC_LOAD, Syscall.KEXEC_FILE_LOAD)
            .put("loading kernel modules", Syscall.INIT_MODULE, Syscall.FINIT_MODULE)
            .put("unloading kernel modules", Syscall.DELETE_MODULE)
            .put("raw I/O port access", Syscall.IOPL, Syscall.IOPERM)
            .put("rebooting the host", Syscall.REBOOT)
            .put("changing swap", Syscall.SWAPON, Syscall.SWAPOFF)
            .put("process accounting", Syscall.ACCT)
            .put("opening files by handle, around path-based rules", Syscall.OPEN_BY_HANDLE_AT)
            .put("io_uring (bypasses syscall filtering, large attack surface)", Syscall.IO_URING_SETUP,
                    Syscall.IO_URING_ENTER, Syscall.IO_URING_REGISTER)
            .toMap();

    /**
     * Refused with EPERM when the filter knows its supervisor ({@link Options#supervisorPid}).
     *
     * <p>Under Landlock the command shares the host's PID namespace, and its Landlock domain with
     * the JVM thread that spawned it, so Landlock's signal and ptrace scoping (which separate
     * domains, not processes) let it reach that thread, and through it the JVM: found in review,
     * {@code tgkill(jvm, spawner, SIGKILL)} killed the JVM and {@code pidfd_open(spawner,
     * PIDFD_THREAD)} + {@code pidfd_getfd} copied its descriptors. Landlock does not govern
     * scheduling and resource calls at all. So, besides the calls below, the filter refuses:
     * <ul>
     *   <li>{@code tgkill}, {@code rt_tgsigqueueinfo} whose thread group is the supervisor's
     *       pid (any of its threads); {@code kill}, {@code rt_sigqueueinfo} to the supervisor's
     *       pid or the installing thread's id ({@code kill(tid)} signals the whole process that
     *       thread belongs to, checked against that thread only); {@code pidfd_open} of either,
     *       or with {@code PIDFD_THREAD};</li>
     *   <li>{@code fcntl(F_SETOWN)} to either and {@code F_SETOWN_EX} always (the target sits in
     *       memory the filter cannot read), and the {@code FIOSETOWN}/{@code SIOCSPGRP} ioctls
     *       (likewise): the kernel later sends SIGIO, or the signal chosen with
     *       {@code F_SETSIG} (SIGKILL), to the owner, checked against the owner thread only;</li>
     *   <li>acting on any process but the caller: {@code prlimit64}, {@code sched_setaffinity},
     *       {@code sched_setscheduler}, {@code sched_setparam}, {@code sched_setattr},
     *       {@code get_robust_list}, {@code move_pages}, {@code migrate_pages} with a pid other
     *       than 0; {@code setpriority} and {@code ioprio_set} with a who other than 0, or for a
     *       whole user. The kernel allows these on every process of the same user (root: every
     *       root process of the host, for a command run as root): a host process was killed
     *       with RLIMIT_CPU, another left with RLIMIT_NOFILE 3, and the JVM can be pinned to one
     *       CPU or made SCHED_IDLE. {@code get_robust_list}, {@code move_pages} and
     *       {@code migrate_pages} pass the kernel's ptrace check, which Landlock's hook allows
     *       within one domain, i.e. for the spawner thread.</li>
     * </ul>
     * Of the calls refused outright, the kernel already refuses {@code process_madvise} on
     * another process without CAP_SYS_NICE (the command has no capabilities) and
     * {@code process_mrelease} on a process that is not being killed; they are refused anyway,
     * so that no capability or state decides. {@code ptrace} and {@code process_vm_*} are in
     * {@link #BLOCKED}. A signal to a host process outside the domain is Landlock's (ABI 6).
     */
    public static final Map<Syscall, String> SUPERVISOR_BLOCKED = new SyscallTable()
            .put("signalling a thread by id alone (glibc uses tgkill, whose thread group the filter checks)",
                    Syscall.TKILL)
            .put("copying another process's descriptors (the JVM's, through its spawner thread)", Syscall.PIDFD_GETFD)
            .put("comparing another process's descriptors and memory with one's own", Syscall.KCMP)
            .put("advising on another process's memory", Syscall.PROCESS_MADVISE)
            .put("releasing a dying process's memory", Syscall.PROCESS_MRELEASE)
            .toMap();

    /**
     * Refused with EPERM when {@link Options#protectMetadata}: Landlock governs reading and
     * writing files, not their metadata, so a command (even capless root, who owns the host's
     * system files) could otherwise {@code chmod 666 /etc/shadow}, make a host binary
     * world-writable, {@code chmod 644 ~/.ssh/id_*} or grant itself access with an ACL
     * ({@code system.posix_acl_access} is an extended attribute). The {@code chmod} family is not
     * in this map: a change to a private mode succeeds without effect, any other is refused (see
     * {@link #NOT_PRIVATE}); nor is {@code umask}: one that would unmask a group or other bit
     * succeeds without effect (see {@link #UMASK_KEEPS}). Timestamps are not protected: {@code utimensat} stays, since
     * {@code aws s3 cp}/{@code sync} set modification times.
     */
    public static final Map<Syscall, String> METADATA_BLOCKED = new SyscallTable()
            .put("changing a file's owner or group", Syscall.CHOWN, Syscall.FCHOWN, Syscall.LCHOWN, Syscall.FCHOWNAT)
            .put("changing a file's extended attributes (ACLs among them)", Syscall.SETXATTR, Syscall.LSETXATTR,
                    Syscall.FSETXATTR, Syscall.SETXATTRAT, Syscall.REMOVEXATTR, Syscall.LREMOVEXATTR,
                    Syscall.FREMOVEXATTR, Syscall.REMOVEXATTRAT)
            // Linux 6.17: attribute flags by path, which Landlock does not govern: nodump set on ~/.ssh/id_rsa, a file
            // the same command could not read (outside test RT15, F1); the ioctls that do the same are refused too
            .put("changing a file's attribute flags (chattr's) by path", Syscall.FILE_SETATTR)
            .toMap();

    /**
     * Refused with EOPNOTSUPP on every backend: reading a file's extended attributes by its path. Landlock does not govern
     * these calls, so a command read the attributes of files it may not open, {@code ~/.ssh}'s included: a browser's,
     * {@code curl --xattr}'s or {@code wget --xattr}'s {@code user.xdg.origin.url} of a download is its URL, a pre-signed
     * one with its signature and session token (red team, round 12, F1). By a descriptor ({@code fgetxattr},
     * {@code flistxattr}) they stay: the file was opened under the rules. EOPNOTSUPP is a file system without extended
     * attributes, which {@code ls}, {@code cp -a} and Python's {@code shutil.copystat} take as none.
     */
    public static final Map<Syscall, String> PATH_XATTR_READS = new SyscallTable()
            .put("reading a file's extended attributes by path (Landlock does not govern it)", Syscall.GETXATTR,
                    Syscall.LGETXATTR, Syscall.LISTXATTR, Syscall.LLISTXATTR, Syscall.GETXATTRAT, Syscall.LISTXATTRAT)
            // and its attribute flags and project id by path (Linux 6.17; outside test RT15, F5)
            .put("reading a file's attribute flags by path (Landlock does not govern it)", Syscall.FILE_GETATTR)
            .toMap();

    /**
     * Refused with ENOSYS on every backend: the mount table by mount id ({@code statmount}, {@code listmount}, Linux 6.8),
     * which gave a command under Landlock the host's whole mount table while {@code /proc/self/mountinfo} is denied to it
     * (outside test RT15, F5). ENOSYS is a kernel without them: libmount and others fall back to {@code /proc}, whose
     * rules then apply (bubblewrap gives the command a mount namespace of its own and that file).
     */
    public static final Map<Syscall, String> MOUNT_TABLE_READS = new SyscallTable()
            .put("reading the mount table by id, around the rules on /proc", Syscall.STATMOUNT, Syscall.LISTMOUNT)
            .toMap();

    /** Mode bits a private mode has none of: set-id, sticky, and every group and other permission. */
    static final int NOT_PRIVATE = 07077;
    /** The umask bits a command may not clear: every group and other permission. */
    static final int UMASK_KEEPS = 077;

    /**
     * Refused with EPERM when {@link Options#denyHostIpc}: without an IPC namespace of its own
     * (Landlock), a command could read a host process's 0600 shared memory segment or take its
     * messages (found in review); Landlock governs none of these.
     */
    public static final Map<Syscall, String> HOST_IPC_BLOCKED = new SyscallTable()
            .put("SysV shared memory of the host", Syscall.SHMGET, Syscall.SHMAT, Syscall.SHMDT, Syscall.SHMCTL)
            .put("SysV message queues of the host", Syscall.MSGGET, Syscall.MSGSND, Syscall.MSGRCV, Syscall.MSGCTL)
            .put("SysV semaphores of the host", Syscall.SEMGET, Syscall.SEMOP, Syscall.SEMTIMEDOP, Syscall.SEMCTL)
            .put("POSIX message queues of the host", Syscall.MQ_OPEN, Syscall.MQ_UNLINK, Syscall.MQ_TIMEDSEND,
                    Syscall.MQ_TIMEDRECEIVE, Syscall.MQ_NOTIFY, Syscall.MQ_GETSETATTR)
            .toMap();

    /**
     * Refused with EPERM when {@link Options#denyNetwork}: {@code listen()} on an unbound TCP
     * socket binds 0.0.0.0 to a free port itself, where Landlock's bind hook never sees it, and a
     * host client exchanged data with it (found in review); without listening there is nothing
     * to accept.
     */
    public static final Map<Syscall, String> OFFLINE_BLOCKED = new SyscallTable()
            .put("listening: on an unbound socket it binds a port past Landlock's bind rule", Syscall.LISTEN)
            .put("accepting connections", Syscall.ACCEPT, Syscall.ACCEPT4)
            .toMap();

    /**
     * <pre>struct sock_fprog { unsigned short len; struct sock_filter *filter; };</pre>
     */
    public static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6), ADDRESS.withName("filter"));
    private static final long FPROG_LEN = SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("len"));
    private static final long FPROG_FILTER = SOCK_FPROG.byteOffset(MemoryLayout.PathElement.groupElement("filter"));

    /**
     * What the filter refuses beyond its common rules.
     *
     * @param denyNetwork     the network is off (see {@link #OFFLINE_BLOCKED} and the socket rules)
     * @param supervisorPid   the pid of the JVM that spawns the command, when the command can see it
     *                        (Landlock; bubblewrap's PID namespace hides it): see {@link #SUPERVISOR_BLOCKED}.
     *                        The filter also protects the thread that installs it
     * @param protectMetadata refuse every mode, owner and extended-attribute change
     *                        ({@link #METADATA_BLOCKED}); set-id bits are refused either way
     * @param denyHostIpc     refuse SysV IPC and POSIX message queues ({@link #HOST_IPC_BLOCKED})
     */
    public record Options(boolean denyNetwork, OptionalLong supervisorPid, boolean protectMetadata, boolean denyHostIpc) {
        public Options {
            if (supervisorPid.isPresent() && (supervisorPid.getAsLong() < 1 || supervisorPid.getAsLong() > PID_MAX_LIMIT)) {
                throw new IllegalArgumentException("not a pid: " + supervisorPid.getAsLong());
            }
        }

        /**
         * For a command in the JVM's own PID and IPC namespaces under Landlock: the JVM
         * ({@code supervisorPid}) and the spawning thread protected, metadata and host IPC refused.
         */
        public static Options landlock(boolean denyNetwork, long supervisorPid) {
            return new Options(denyNetwork, OptionalLong.of(supervisorPid), true, true);
        }

        /**
         * For bubblewrap: the JVM is outside the command's PID namespace and SysV IPC inside its
         * IPC namespace. Metadata is protected all the same: read-only binds refuse mode changes,
         * but the device nodes bwrap binds into {@code /dev} ({@code /dev/null}, …) are the
         * host's, bound writable, and a command run as root owns them ({@code chmod 600
         * /dev/null} changed the host's /dev/null: found while testing this filter).
         */
        public static Options bubblewrap(boolean denyNetwork) {
            return new Options(denyNetwork, OptionalLong.empty(), true, false);
        }
    }

    /**
     * Builds a map from system calls to a word about each (why it is refused, or the section of
     * the program that checks its arguments), in the order written.
     */
    private static final class SyscallTable {
        private final Map<Syscall, String> words = new LinkedHashMap<>();

        SyscallTable put(String word, Syscall... calls) {
            for (Syscall call : calls) {
                words.put(call, word);
            }
            return this;
        }

        Map<Syscall, String> toMap() {
            return Collections.unmodifiableMap(words);
        }
    }

    private SeccompFilter() {}

    /**
     * The filter program for {@code arch}. With a supervisor, the installing thread's id is
     * {@link #SUPERVISOR_THREAD} here, replaced when it is installed.
     *
     * <p>The architecture check, then a binary search on the call number ({@code search} below)
     * that ends at a return or at the section checking that call's arguments, then the sections,
     * then the returns. The kernel emulates the filter for every call number when it installs it (to
     * cache the calls it always allows), so the search's depth, not the number of filtered calls,
     * sets that cost for each command (docs/decisions/seccomp-dispatch.md).
     */
    public static List<int[]> program(Arch arch, Options options) {
        boolean supervised = options.supervisorPid().isPresent();
        int supervisor = (int) options.supervisorPid().orElse(0);

        // the calls whose arguments decide, each to its section below
        SyscallTable checked = new SyscallTable().put("mode.arg3", Syscall.OPENAT)
                .put("fcntl", Syscall.FCNTL)
                .put("address", Syscall.BIND, Syscall.CONNECT)
                .put("fallocate", Syscall.FALLOCATE);
        checked.put("ioctl", Syscall.IOCTL)
                .put("socket", Syscall.SOCKET)
                .put("socketpair", Syscall.SOCKETPAIR)
                .put("clone", Syscall.CLONE)
                .put("mode.arg2", Syscall.OPEN)
                .put("mode.arg1", Syscall.CREAT, Syscall.MKNOD)
                .put("mode.arg2", Syscall.MKNODAT);
        String chmodMode = options.protectMetadata() ? "private" : "mode";
        checked.put(chmodMode + ".arg1", Syscall.CHMOD, Syscall.FCHMOD)
                .put(chmodMode + ".arg2", Syscall.FCHMODAT, Syscall.FCHMODAT2);
        if (options.protectMetadata()) {
            checked.put("umask", Syscall.UMASK);
        }
        if (options.denyNetwork()) {
            checked.put("fastopen.arg3", Syscall.SENDTO, Syscall.SENDMMSG)
                    .put("fastopen.arg2", Syscall.SENDMSG);
        }
        if (supervised) {
            checked.put("signal.pid", Syscall.KILL, Syscall.RT_SIGQUEUEINFO)
                    .put("signal.tgid", Syscall.TGKILL, Syscall.RT_TGSIGQUEUEINFO)
                    .put("pidfd_open", Syscall.PIDFD_OPEN)
                    .put("self", Syscall.PRLIMIT64, Syscall.SCHED_SETAFFINITY, Syscall.SCHED_SETSCHEDULER,
                            Syscall.SCHED_SETPARAM, Syscall.SCHED_SETATTR, Syscall.GET_ROBUST_LIST, Syscall.MOVE_PAGES,
                            Syscall.MIGRATE_PAGES)
                    .put("setpriority", Syscall.SETPRIORITY)
                    .put("ioprio_set", Syscall.IOPRIO_SET);
        }
        Map<Syscall, String> refused = new LinkedHashMap<>(BLOCKED);
        if (supervised) {
            refused.putAll(SUPERVISOR_BLOCKED);
        }
        if (options.protectMetadata()) {
            refused.putAll(METADATA_BLOCKED);
        }
        if (options.denyHostIpc()) {
            refused.putAll(HOST_IPC_BLOCKED);
        }
        if (options.denyNetwork()) {
            refused.putAll(OFFLINE_BLOCKED);
        }

        // where each call number goes: a section below, or straight to a return
        TreeMap<Long, String> targets = new TreeMap<>();
        checked.toMap().forEach((syscall, section) -> target(targets, syscall, arch, section));
        refused.keySet().forEach(syscall -> target(targets, syscall, arch, "eperm"));
        PATH_XATTR_READS.keySet().forEach(syscall -> target(targets, syscall, arch, "eopnotsupp"));
        MOUNT_TABLE_READS.keySet().forEach(syscall -> target(targets, syscall, arch, "enosys"));
        target(targets, Syscall.CLONE3, arch, "enosys");
        target(targets, Syscall.OPENAT2, arch, "enosys");
        // x32 numbers (and everything above them, unsigned) are killed, like a foreign architecture
        List<Range> ranges = ranges(targets, arch == Arch.X86_64 ? X32_SYSCALL_BIT : 1L << 32);

        Bpf bpf = new Bpf();
        bpf.load(DATA_ARCH)
                .jeq(arch == Arch.X86_64 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, null, "kill")
                .load(DATA_NR);
        search(bpf, ranges, 0, ranges.size());

        // The sections; each ends in a return or a jump to one. The returns are once, at the end: every
        // jump reaches them while the program is at most 256 instructions (a conditional jump
        // reaches 255 ahead), which Bpf.build checks and the tests build for every option set.

        // clone(flags, ...): namespace flags in the low word of args[0]
        bpf.label("clone").load(DATA_ARG0_LOW).jset(CLONE_NAMESPACE_FLAGS, "eperm", "allow");

        // fcntl(fd, cmd, arg): a lease on a file the command may only read (~/.aws/credentials) held the host's
        // writers of it for up to fs.lease-break-time (45 s) each open (red team, round 12, F4)
        bpf.label("fcntl").load(DATA_ARG1_LOW).jeq(F_SETLEASE, "eperm", supervised ? "fcntl.owner" : "allow");

        // ioctl(fd, cmd, ...): the kernel reads cmd as 32 bits
        bpf.label("ioctl").load(DATA_ARG1_LOW).jeq(TIOCSTI, "eperm", null).jeq(TIOCLINUX, "eperm", null)
                .jeq(FS_IOC_RESVSP, "eopnotsupp", null).jeq(FS_IOC_RESVSP64, "eopnotsupp", null)
                .jeq(FS_IOC_ZERO_RANGE, "eopnotsupp", null);
        if (options.protectMetadata()) {
            bpf.jeq(FS_IOC_SETFLAGS, "eperm", null).jeq(FS_IOC32_SETFLAGS, "eperm", null)
                    .jeq(FS_IOC_FSSETXATTR, "eperm", null).jeq(FS_IOC_SETVERSION, "eperm", null)
                    .jeq(FS_IOC32_SETVERSION, "eperm", null).jeq(EXT4_IOC_SETVERSION, "eperm", null)
                    .jeq(EXT4_IOC32_SETVERSION, "eperm", null).jeq(FS_IOC_ENABLE_VERITY, "eperm", null)
                    .jeq(FS_IOC_SET_ENCRYPTION_POLICY, "eperm", null).jeq(FS_IOC_ADD_ENCRYPTION_KEY, "eperm", null)
                    .jeq(FS_IOC_REMOVE_ENCRYPTION_KEY, "eperm", null)
                    .jeq(FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS, "eperm", null)
                    .jeq(EXT4_IOC_MIGRATE, "eperm", null).jeq(FS_IOC_GET_ENCRYPTION_PWSALT, "eperm", null);
        }
        if (supervised) {
            // the new owner is an int in memory: unreadable here, so refused whatever it is
            bpf.jeq(FIOSETOWN, "eperm", null).jeq(SIOCSPGRP, "eperm", null);
        }
        // a file system's own ioctls, by their type (subvolumes, snapshots: past Landlock and bubblewrap's mounts)
        bpf.jeq(FICLONE, "allow", null).jeq(FICLONERANGE, "allow", null).jeq(FS_IOC_GETFSLABEL, "allow", null)
                .and(IOCTL_TYPE_MASK)
                .jeq(BTRFS_IOCTL_TYPE, "eperm", null).jeq(BCACHEFS_IOCTL_TYPE, "eperm", null)
                .jeq(F2FS_IOCTL_TYPE, "eperm", null);
        if (supervised) {
            // a pidfd's: PIDFD_GET_INFO gave any host process's parent, users and cgroup (outside test RT18, F3)
            bpf.jeq(PIDFD_IOCTL_TYPE, "eperm", null);
        }
        bpf.ret(RET_ALLOW);

        // socket(domain, type, protocol): never a unix socket (Landlock before ABI 9 does not govern
        // connecting to one by path, so tmux, ssh-agent or D-Bus sockets in /tmp would be reachable:
        // found in review); socketpair() stays for pipes within the sandbox, stream pairs only (below)
        // Never a netlink socket either: the kernel queues a netlink socket's messages (a request's error
        // acknowledgement echoes the request) in memory that no memory cgroup is charged for, so a command
        // under --max-memory 64M held ~320 MiB of the host's (red team, round 12, F2: 40 sockets, 8 MiB each).
        // glibc's name resolution asks NETLINK_ROUTE only which address families the host has
        // (AI_ADDRCONFIG, address sorting) and takes both when it cannot; NETLINK_SOCK_DIAG would list
        // every socket of the host, the other families are kernel interfaces
        bpf.label("socket").load(DATA_ARG0_LOW).jeq(AF_UNIX, "eperm", null).jeq(AF_NETLINK, "eperm", null);
        if (options.denyNetwork()) {
            bpf.jeq(AF_INET, "inet", null)
                    .jeq(AF_INET6, "inet", "eperm")
                    .label("inet").load(DATA_ARG1_LOW).and(SOCK_TYPE_MASK).jeq(SOCK_STREAM, null, "eperm")
                    .load(DATA_ARG2_LOW).jeq(0, "allow", null).jeq(IPPROTO_TCP, "allow", "eperm");
            // sendto(fd, buf, len, flags, …) and sendmmsg(fd, vec, n, flags): flags are args[3]; sendmsg: args[2].
            // TCP Fast Open connects inside them, past Landlock's connect hook
            bpf.label("fastopen.arg3").load(DATA_ARG3_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
            bpf.label("fastopen.arg2").load(DATA_ARG2_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
        } else {
            bpf.ret(RET_ALLOW);
        }

        // socketpair(domain, type, protocol, sv): a unix stream pair only. A datagram socket of a pair
        // is not tied to its peer: sendto(addr) and connect(addr) reach any host datagram socket by path
        // (journald, syslog, systemd's notify socket; with SCM_RIGHTS too) and, under bubblewrap with the
        // network on, by abstract name (found by the red team). A stream socket of a pair refuses an
        // address (EISCONN/EOPNOTSUPP) and cannot listen; seqpacket goes too, it has no use here.
        // The type carries SOCK_NONBLOCK and SOCK_CLOEXEC above the type bits
        bpf.label("socketpair").load(DATA_ARG0_LOW).jeq(AF_UNIX, null, "eperm")
                .load(DATA_ARG1_LOW).and(SOCK_TYPE_MASK).jeq(SOCK_STREAM, "allow", "eperm");

        // bind(fd, addr, addrlen): the address is in memory, but its length tells an IP address from a unix one. A
        // socket of a stream pair took an abstract name in the host's namespace (Landlock; bubblewrap with the network
        // on), and a host service that binds that name later (an X server, a D-Bus bus, a lock) could not start while
        // the command ran (red team, round 12, F3). An IPv4 or IPv6 address passes, and any length a unix address
        // cannot have (sockaddr_storage's); a unix name of exactly 13 or 25 bytes still binds.
        // connect(fd, addr, addrlen) the same: a socket of a pair is connected already, yet the kernel looks the address
        // up before it says so (EISCONN) or asks Landlock, so its answer told a listening host socket, by path or
        // abstract name, from none (outside test RT18, F4); no other unix socket can be made
        bpf.label("address").load(DATA_ARG2_LOW).jeq(SOCKADDR_IN_LEN, "allow", null).jeq(SOCKADDR_IN6_LEN, "allow", null)
                .jge(LONGER_THAN_SOCKADDR_UN, "allow", "eperm");

        // fallocate(fd, mode, offset, len): only the modes RLIMIT_FSIZE bounds or that free space. Keeping the size while
        // allocating past the end took 200 MiB of disk in a file of size 0 under --max-file-size 1M (red team, round 12,
        // F5), and inserting a range grew a file to 200 MiB, which the kernel does not check against the limit (outside
        // test RT13, F2). Allowed: 0 (allocate, growing the size: checked), PUNCH_HOLE|KEEP_SIZE, COLLAPSE_RANGE (both
        // free space), ZERO_RANGE without KEEP_SIZE (checked); any other EOPNOTSUPP, as a file system without the mode answers
        bpf.label("fallocate").load(DATA_ARG1_LOW).jeq(0, "allow", null)
                .jeq(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, "allow", null).jeq(FALLOC_FL_COLLAPSE_RANGE, "allow", null)
                .jeq(FALLOC_FL_ZERO_RANGE, "allow", "eopnotsupp");

        // A mode with a set-id bit: as root, "cp /usr/bin/id /tmp/x && chmod 4755 /tmp/x" left a
        // setuid-root binary on the host (found in review). The modes are umode_t (16 bits).
        // open(path, flags, mode), openat(dirfd, path, flags, mode), creat(path, mode),
        // mknod(path, mode, dev), mknodat(dirfd, path, mode, dev); chmod(path, mode), fchmod(fd, mode),
        // fchmodat(dirfd, path, mode), fchmodat2(dirfd, path, mode, flags). mkdir ignores set-id bits.
        bpf.label("mode.arg1").load(DATA_ARG1_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        bpf.label("mode.arg2").load(DATA_ARG2_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        bpf.label("mode.arg3").load(DATA_ARG3_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        if (options.protectMetadata()) {
            // chmod family where the filter cannot tell a writable path from any other (Landlock does
            // not govern modes): a private mode (no group or other bit, no set-id or sticky bit) is
            // what the command's files have already (the spawning thread sets umask 077), so it
            // "succeeds" without being made, and a host file is neither exposed nor locked away
            // (aws iot create-keys-and-certificate chmods the key it wrote to 0600); any other is refused
            bpf.label("private.arg1").load(DATA_ARG1_LOW).jset(NOT_PRIVATE, "eperm", "pretend");
            bpf.label("private.arg2").load(DATA_ARG2_LOW).jset(NOT_PRIVATE, "eperm", "pretend");
            // umask(mask): the 077 every creation mode passes through (open, mkdir, mknod, O_TMPFILE, a unix
            // socket's bind) is the spawning thread's; "umask(0); open(…, 0777)" made a world-writable file
            // (found by the red team). A mask that keeps every group and other bit masked takes effect;
            // any other "succeeds" without effect and returns 0 as the old mask. Not EPERM: umask(2)
            // cannot fail, nobody checks it, and glibc's -1 would come back as umask(-1) = 0777
            bpf.label("umask").load(DATA_ARG0_LOW).and(UMASK_KEEPS).jeq(UMASK_KEEPS, "allow", "pretend");
            bpf.label("pretend").ret(RET_ERRNO); // errno 0: the call returns 0 and does nothing
        }

        if (supervised) {
            // kill(pid, sig), rt_sigqueueinfo(pid, sig, info): the JVM, or its spawner thread by id
            bpf.label("signal.pid").load(DATA_ARG0_LOW)
                    .jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            // tgkill(tgid, tid, sig), rt_tgsigqueueinfo(tgid, tid, sig, info): any thread of the JVM
            bpf.label("signal.tgid").load(DATA_ARG0_LOW).jeq(supervisor, "eperm", "allow");
            // pidfd_open(pid, flags)
            bpf.label("pidfd_open").load(DATA_ARG1_LOW).jset(PIDFD_THREAD, "eperm", null)
                    .load(DATA_ARG0_LOW).jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            // fcntl(fd, cmd, arg): the owner of a descriptor's signals (after the lease check above)
            bpf.label("fcntl.owner").jeq(F_SETOWN_EX, "eperm", null).jeq(F_SETOWN, null, "allow")
                    .load(DATA_ARG2_LOW).jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            // prlimit64(pid, …), sched_*(pid, …), get_robust_list(pid, …), move_pages(pid, …),
            // migrate_pages(pid, …): 0 is the caller
            bpf.label("self").load(DATA_ARG0_LOW).jeq(0, "allow", "eperm");
            // setpriority(which, who, prio), ioprio_set(which, who, ioprio): who 0 is the caller (its
            // process or process group); for a user, 0 would be the caller's user: every process of it
            bpf.label("setpriority").load(DATA_ARG1_LOW).jeq(0, null, "eperm")
                    .load(DATA_ARG0_LOW).jeq(PRIO_USER, "eperm", "allow");
            bpf.label("ioprio_set").load(DATA_ARG1_LOW).jeq(0, null, "eperm")
                    .load(DATA_ARG0_LOW).jeq(IOPRIO_WHO_USER, "eperm", "allow");
        }
        return bpf.label("allow").ret(RET_ALLOW)
                .label("eperm").ret(RET_ERRNO | EPERM)
                .label("enosys").ret(RET_ERRNO | ENOSYS)
                .label("eopnotsupp").ret(RET_ERRNO | EOPNOTSUPP)
                .label("kill").ret(RET_KILL_PROCESS)
                .build();
    }

    /** Sends {@code syscall}'s number on {@code arch}, if it has one, to {@code target}; one target a number. */
    private static void target(Map<Long, String> targets, Syscall syscall, Arch arch, String target) {
        syscall.number(arch).ifPresent(nr -> {
            String before = targets.put((long) nr, target);
            if (before != null) {
                throw new IllegalStateException(syscall + " would go to " + before + " and to " + target);
            }
        });
    }

    /** The call numbers from {@code first} up to the next range's first go to {@code target}. */
    private record Range(long first, String target) {}

    /**
     * Every 32-bit call number, in ranges: the numbers in {@code targets} to theirs, the gaps
     * between them to "allow", from {@code end} on to "kill"; neighbours with the same target are
     * one range (the mount family, io_uring, the SysV calls), which keeps the search short.
     */
    private static List<Range> ranges(SortedMap<Long, String> targets, long end) {
        List<Range> ranges = new ArrayList<>();
        long next = 0; // the first number not in a range yet
        for (Map.Entry<Long, String> t : targets.entrySet()) {
            if (t.getKey() > next) {
                append(ranges, next, "allow");
            }
            append(ranges, t.getKey(), t.getValue());
            next = t.getKey() + 1;
        }
        if (next < end) {
            append(ranges, next, "allow");
        }
        if (end < 1L << 32) {
            append(ranges, end, "kill");
        }
        return ranges;
    }

    private static void append(List<Range> ranges, long first, String target) {
        if (ranges.isEmpty() || !ranges.getLast().target().equals(target)) {
            ranges.add(new Range(first, target));
        }
    }

    /**
     * Jumps to the target of the call number in A, which is in one of {@code ranges[from, to)}:
     * a balanced binary search on the ranges' first numbers, so every number,
     * and the kernel's emulation of the filter for each number when it builds its cache of
     * always-allowed calls, takes about log2(ranges) unsigned comparisons, not one per filtered
     * call. Laid out in pre-order: each comparison falls through to its lower half and jumps
     * forward to its upper one; a half of a single range is its target's label itself.
     */
    private static void search(Bpf bpf, List<Range> ranges, int from, int to) {
        int mid = (from + to) >>> 1;
        String upper = to - mid == 1 ? ranges.get(mid).target() : "ranges." + mid + "-" + to;
        String lower = mid - from == 1 ? ranges.get(from).target() : null;
        bpf.jge((int) ranges.get(mid).first(), upper, lower);
        if (mid - from > 1) {
            search(bpf, ranges, from, mid);
        }
        if (to - mid > 1) {
            bpf.label(upper);
            search(bpf, ranges, mid, to);
        }
    }

    private static byte[] toBytes(List<int[]> program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(Bpf.SOCK_FILTER, program.size());
            Bpf.write(program, filter);
            return filter.toArray(JAVA_BYTE);
        }
    }

    /**
     * A filter ready to install on any thread. With a supervisor, each installation puts the
     * installing thread's own id where the program compares with {@link #SUPERVISOR_THREAD}: that
     * thread spawns the command and shares its Landlock domain, so it is the one the command could
     * otherwise signal. The thread must create no threads of its own afterwards (they would share
     * the domain under another id); the spawner threads create none.
     */
    public static final class Installed {
        private final byte[] program;
        private final boolean supervised;

        private Installed(byte[] program, boolean supervised) {
            this.program = program;
            this.supervised = supervised;
        }

        /** Installs the filter on the calling thread (no_new_privs must be set); returns 0 or errno. */
        public int installOnCurrentThread() {
            // the kernel copies the program when it installs it, so it can live in a confined arena
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment filter = arena.allocate(program.length, 8);
                MemorySegment.copy(program, 0, filter, JAVA_BYTE, 0, program.length);
                long stride = Bpf.SOCK_FILTER.byteSize();
                long count = program.length / stride;
                if (supervised) {
                    int tid = Libc.gettid();
                    for (long i = 0; i < count; i++) {
                        if (filter.get(JAVA_SHORT, i * stride + Bpf.CODE) == Bpf.JMP_JEQ_K
                                && filter.get(JAVA_INT, i * stride + Bpf.K) == SUPERVISOR_THREAD) {
                            filter.set(JAVA_INT, i * stride + Bpf.K, tid);
                        }
                    }
                }
                MemorySegment fprog = arena.allocate(SOCK_FPROG);
                fprog.set(JAVA_SHORT, FPROG_LEN, (short) count);
                fprog.set(ADDRESS, FPROG_FILTER, filter);
                return Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address());
            }
        }
    }

    private static final Map<Options, byte[]> BYTES = new ConcurrentHashMap<>();
    private static final Map<Options, Installed> INSTALLED = new ConcurrentHashMap<>();

    /**
     * The program for this JVM's architecture as {@code struct sock_filter[]} bytes, what
     * {@code bwrap --seccomp FD} reads; built once per distinct options. Not for options with a
     * supervisor: the thread to protect is known only where the filter is installed.
     */
    public static byte[] bytesForThisArch(Options options) {
        if (options.supervisorPid().isPresent()) {
            throw new IllegalArgumentException("a filter with a supervisor is installed with forThisArch, on the spawning thread");
        }
        return BYTES.computeIfAbsent(options, o -> toBytes(program(Libc.arch(), o))).clone();
    }

    /**
     * A filter that allows every call: for the tests that show what the other layers (Landlock) let through without a
     * rule of this filter, where no option turns that rule off.
     */
    public static Installed allowingEverything() {
        return new Installed(toBytes(new Bpf().ret(RET_ALLOW).build()), false);
    }

    /** The filter for this JVM's architecture, ready to install; built once per distinct options. */
    public static Installed forThisArch(Options options) {
        return INSTALLED.computeIfAbsent(options,
                o -> new Installed(toBytes(program(Libc.arch(), o)), o.supervisorPid().isPresent()));
    }
}
