package dev.awssandbox.core.seccomp;

import static dev.awssandbox.core.seccomp.SeccompFilter.*;

import dev.awssandbox.core.linux.Arch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter program as {@link SeccompFilter#program} built it before it dispatched by binary
 * search (main at 0fdb34f): one {@code jeq} per call number, the checked calls first, each section
 * followed by a block of returns. Kept as it was but for the rules added since (netlink, bind, leases,
 * fallocate and extended attributes read by path: red team, round 12), for tests and the bench only: SeccompDispatchTest
 * interprets both programs and requires the same action for every call number and argument case,
 * and bench/SeccompBench.java times installing each.
 */
public final class LinearDispatchProgram {
    private LinearDispatchProgram() {}

    /** SeccompFilter's private table builder: syscall to word, in the order written. */
    private static final class SyscallTable {
        private final Map<Syscall, String> words = new LinkedHashMap<>();

        SyscallTable put(String word, Syscall... calls) {
            for (Syscall call : calls) {
                words.put(call, word);
            }
            return this;
        }

        Map<Syscall, String> toMap() {
            return words;
        }
    }

    public static List<int[]> program(Arch arch, Options options) {
        boolean supervised = options.supervisorPid().isPresent();
        int supervisor = (int) options.supervisorPid().orElse(0);

        // the calls whose arguments decide, each to its section below; the busiest first
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

        Bpf bpf = new Bpf();
        bpf.load(DATA_ARCH)
                .jeq(arch == Arch.X86_64 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, "native", null)
                .ret(RET_KILL_PROCESS)
                .label("native")
                .load(DATA_NR);
        if (arch == Arch.X86_64) {
            bpf.jge(X32_SYSCALL_BIT, "kill", null);
        }
        checked.toMap().forEach((syscall, section) -> syscall.number(arch).ifPresent(nr -> bpf.jeq(nr, null, "jeqFar.next").ja(section).label("jeqFar.next")));
        refused.keySet().forEach(syscall -> syscall.number(arch).ifPresent(nr -> bpf.jeq(nr, "eperm", null)));
        PATH_XATTR_READS.keySet().forEach(syscall -> syscall.number(arch).ifPresent(nr -> bpf.jeq(nr, "eopnotsupp", null)));
        MOUNT_TABLE_READS.keySet().forEach(syscall -> syscall.number(arch).ifPresent(nr -> bpf.jeq(nr, "enosys", null)));
        bpf.jeq(number(Syscall.CLONE3, arch), "enosys", null)
                .jeq(number(Syscall.OPENAT2, arch), "enosys", null)
                .ret(RET_ALLOW)
                .label("eperm").ret(RET_ERRNO | EPERM)
                .label("enosys").ret(RET_ERRNO | ENOSYS)
                .label("eopnotsupp").ret(RET_ERRNO | EOPNOTSUPP)
                .label("kill").ret(RET_KILL_PROCESS);

        // Each section ends in a return; "allow" and "eperm" go to the nearest block of returns
        // ahead, repeated after each section so that no jump is ever out of range.

        // clone(flags, ...): namespace flags in the low word of args[0]
        bpf.label("clone").load(DATA_ARG0_LOW).jset(CLONE_NAMESPACE_FLAGS, "eperm", "allow");
        returns(bpf);

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
        returns(bpf);

        // socket(domain, type, protocol): never a unix socket (Landlock before ABI 9 does not govern
        // connecting to one by path, so tmux, ssh-agent or D-Bus sockets in /tmp would be reachable:
        // found in review); socketpair() stays for pipes within the sandbox, stream pairs only (below)
        bpf.label("socket").load(DATA_ARG0_LOW).jeq(AF_UNIX, "eperm", null).jeq(AF_NETLINK, "eperm", null);
        if (options.denyNetwork()) {
            bpf.jeq(AF_INET, "inet", null)
                    .jeq(AF_INET6, "inet", "eperm")
                    .label("inet").load(DATA_ARG1_LOW).and(SOCK_TYPE_MASK).jeq(SOCK_STREAM, null, "eperm")
                    .load(DATA_ARG2_LOW).jeq(0, "allow", null).jeq(IPPROTO_TCP, "allow", "eperm");
            returns(bpf);
            // sendto(fd, buf, len, flags, …) and sendmmsg(fd, vec, n, flags): flags are args[3]; sendmsg: args[2].
            // TCP Fast Open connects inside them, past Landlock's connect hook
            bpf.label("fastopen.arg3").load(DATA_ARG3_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
            bpf.label("fastopen.arg2").load(DATA_ARG2_LOW).jset(MSG_FASTOPEN, "eperm", "allow");
        } else {
            bpf.ret(RET_ALLOW);
        }
        returns(bpf);

        // socketpair(domain, type, protocol, sv): a unix stream pair only. A datagram socket of a pair
        // is not tied to its peer: sendto(addr) and connect(addr) reach any host datagram socket by path
        // (journald, syslog, systemd's notify socket; with SCM_RIGHTS too) and, under bubblewrap with the
        // network on, by abstract name (found by the red team). A stream socket of a pair refuses an
        // address (EISCONN/EOPNOTSUPP) and cannot listen; seqpacket goes too, it has no use here.
        // The type carries SOCK_NONBLOCK and SOCK_CLOEXEC above the type bits
        bpf.label("socketpair").load(DATA_ARG0_LOW).jeq(AF_UNIX, null, "eperm")
                .load(DATA_ARG1_LOW).and(SOCK_TYPE_MASK).jeq(SOCK_STREAM, "allow", "eperm");
        returns(bpf);
        bpf.label("address").load(DATA_ARG2_LOW).jeq(SOCKADDR_IN_LEN, "allow", null).jeq(SOCKADDR_IN6_LEN, "allow", null)
                .jge(LONGER_THAN_SOCKADDR_UN, "allow", "eperm");
        bpf.label("fallocate").load(DATA_ARG1_LOW).jeq(0, "allow", null)
                .jeq(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, "allow", null).jeq(FALLOC_FL_COLLAPSE_RANGE, "allow", null)
                .jeq(FALLOC_FL_ZERO_RANGE, "allow", "eopnotsupp");
        bpf.label("fcntl").load(DATA_ARG1_LOW).jeq(F_SETLEASE, "eperm", supervised ? "fcntl.owner" : "allow");
        returns(bpf);

        // A mode with a set-id bit: as root, "cp /usr/bin/id /tmp/x && chmod 4755 /tmp/x" left a
        // setuid-root binary on the host (found in review). The modes are umode_t (16 bits).
        // open(path, flags, mode), openat(dirfd, path, flags, mode), creat(path, mode),
        // mknod(path, mode, dev), mknodat(dirfd, path, mode, dev); chmod(path, mode), fchmod(fd, mode),
        // fchmodat(dirfd, path, mode), fchmodat2(dirfd, path, mode, flags). mkdir ignores set-id bits.
        bpf.label("mode.arg1").load(DATA_ARG1_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        bpf.label("mode.arg2").load(DATA_ARG2_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        bpf.label("mode.arg3").load(DATA_ARG3_LOW).jset(S_ISUID | S_ISGID, "eperm", "allow");
        returns(bpf);
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
            returns(bpf);
        }

        if (supervised) {
            // kill(pid, sig), rt_sigqueueinfo(pid, sig, info): the JVM, or its spawner thread by id
            bpf.label("signal.pid").load(DATA_ARG0_LOW)
                    .jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            // tgkill(tgid, tid, sig), rt_tgsigqueueinfo(tgid, tid, sig, info): any thread of the JVM
            bpf.label("signal.tgid").load(DATA_ARG0_LOW).jeq(supervisor, "eperm", "allow");
            returns(bpf);
            // pidfd_open(pid, flags)
            bpf.label("pidfd_open").load(DATA_ARG1_LOW).jset(PIDFD_THREAD, "eperm", null)
                    .load(DATA_ARG0_LOW).jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            returns(bpf);
            // fcntl(fd, cmd, arg), after the lease check
            bpf.label("fcntl.owner").jeq(F_SETOWN_EX, "eperm", null).jeq(F_SETOWN, null, "allow")
                    .load(DATA_ARG2_LOW).jeq(supervisor, "eperm", null).jeq(SUPERVISOR_THREAD, "eperm", "allow");
            returns(bpf);
            // prlimit64(pid, …), sched_*(pid, …), get_robust_list(pid, …), move_pages(pid, …),
            // migrate_pages(pid, …): 0 is the caller
            bpf.label("self").load(DATA_ARG0_LOW).jeq(0, "allow", "eperm");
            // setpriority(which, who, prio), ioprio_set(which, who, ioprio): who 0 is the caller (its
            // process or process group); for a user, 0 would be the caller's user: every process of it
            bpf.label("setpriority").load(DATA_ARG1_LOW).jeq(0, null, "eperm")
                    .load(DATA_ARG0_LOW).jeq(PRIO_USER, "eperm", "allow");
            bpf.label("ioprio_set").load(DATA_ARG1_LOW).jeq(0, null, "eperm")
                    .load(DATA_ARG0_LOW).jeq(IOPRIO_WHO_USER, "eperm", "allow");
            returns(bpf);
        }
        return bpf.build();
    }

    private static void returns(Bpf bpf) {
        bpf.label("allow").ret(RET_ALLOW).label("eperm").ret(RET_ERRNO | EPERM).label("eopnotsupp").ret(RET_ERRNO | EOPNOTSUPP);
    }

    private static int number(Syscall syscall, Arch arch) {
        return syscall.number(arch).orElseThrow();
    }
}
