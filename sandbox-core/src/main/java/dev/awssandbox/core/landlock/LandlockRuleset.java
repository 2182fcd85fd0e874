package dev.awssandbox.core.landlock;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * A Landlock ruleset under construction: a kernel file descriptor that holds the handled rights
 * and the rules. Built on an ordinary thread; only {@link #restrictCurrentThread()} runs on the
 * thread that is to carry the domain.
 */
public final class LandlockRuleset implements AutoCloseable {
    private static final VarHandle HANDLED_FS = Landlock.RULESET_ATTR.varHandle(groupElement("handled_access_fs"));
    private static final VarHandle HANDLED_NET = Landlock.RULESET_ATTR.varHandle(groupElement("handled_access_net"));
    private static final VarHandle SCOPED = Landlock.RULESET_ATTR.varHandle(groupElement("scoped"));
    private static final VarHandle PATH_ALLOWED = Landlock.PATH_BENEATH_ATTR.varHandle(groupElement("allowed_access"));
    private static final VarHandle PARENT_FD = Landlock.PATH_BENEATH_ATTR.varHandle(groupElement("parent_fd"));
    private static final VarHandle PORT_ALLOWED = Landlock.NET_PORT_ATTR.varHandle(groupElement("allowed_access"));
    private static final VarHandle PORT = Landlock.NET_PORT_ATTR.varHandle(groupElement("port"));

    private final int fd;
    private final Set<FsAccess> handledFs;
    private final boolean handlesTcp;

    private LandlockRuleset(int fd, Set<FsAccess> handledFs, boolean handlesTcp) {
        this.fd = fd;
        this.handledFs = handledFs;
        this.handlesTcp = handlesTcp;
    }

    /**
     * Creates a ruleset that handles {@code handledFs}, the TCP rights when {@code denyTcp}, and
     * {@code scopes}. Every right must be known by {@code abi}.
     */
    public static LandlockRuleset create(int abi, Set<FsAccess> handledFs, boolean denyTcp, Set<Scope> scopes)
            throws ErrnoException {
        long fsMask = FsAccess.mask(handledFs);
        long netMask = 0;
        if (denyTcp) {
            for (NetAccess access : NetAccess.values()) {
                netMask |= access.mask();
            }
        }
        long scopeMask = 0;
        for (Scope scope : scopes) {
            scopeMask |= scope.mask();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Landlock.RULESET_ATTR);
            HANDLED_FS.set(attr, 0L, fsMask);
            HANDLED_NET.set(attr, 0L, netMask);
            SCOPED.set(attr, 0L, scopeMask);
            int rc = Libc.landlockCreateRuleset(attr, Landlock.rulesetAttrSize(abi), 0);
            if (rc < 0) {
                throw new ErrnoException("landlock_create_ruleset", -rc);
            }
            return new LandlockRuleset(rc, EnumSet.copyOf(handledFs), denyTcp);
        }
    }

    /**
     * Allows {@code rights} beneath {@code path} (or on it, for a file). Symlinks are followed,
     * as the kernel resolves the path when the rule is added. Rights the ruleset does not handle
     * are dropped, and a file gets only the rights that apply to files (no EINVAL on /etc/hosts).
     *
     * @return false when nothing was left to allow
     */
    public boolean allowPath(Path path, Set<FsAccess> rights) throws ErrnoException {
        int parentFd = Libc.open(path.toString(), Libc.O_PATH | Libc.O_CLOEXEC);
        try {
            return allowDescriptor(parentFd, Files.isDirectory(path), rights, path.toString());
        } finally {
            Libc.close(parentFd);
        }
    }

    /**
     * Allows {@code rights} beneath the file {@code parentFd} refers to (an {@code O_PATH}
     * descriptor the caller keeps): the rule is on exactly that file, whatever its path names
     * now. {@code name} is for messages.
     */
    public boolean allowDescriptor(int parentFd, boolean directory, Set<FsAccess> rights, String name) throws ErrnoException {
        EnumSet<FsAccess> allowed = EnumSet.noneOf(FsAccess.class);
        allowed.addAll(rights);
        allowed.retainAll(handledFs);
        if (!directory) {
            allowed.retainAll(FsAccess.FILE_RIGHTS);
        }
        if (allowed.isEmpty()) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Landlock.PATH_BENEATH_ATTR);
            PATH_ALLOWED.set(attr, 0L, FsAccess.mask(allowed));
            PARENT_FD.set(attr, 0L, parentFd);
            int errno = Libc.landlockAddRule(fd, Landlock.RULE_PATH_BENEATH, attr);
            if (errno != 0) {
                throw new ErrnoException("landlock_add_rule(" + name + ")", errno);
            }
            return true;
        }
    }


    /**
     * Allows connecting TCP sockets to {@code port}, on any address: a Landlock port rule names no
     * address. The ruleset must handle the TCP rights.
     */
    public void allowConnect(int port) throws ErrnoException {
        if (!handlesTcp) {
            throw new IllegalStateException("this ruleset does not handle TCP");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Landlock.NET_PORT_ATTR);
            PORT_ALLOWED.set(attr, 0L, NetAccess.CONNECT_TCP.mask());
            PORT.set(attr, 0L, (long) port);
            int errno = Libc.landlockAddRule(fd, Landlock.RULE_NET_PORT, attr);
            if (errno != 0) {
                throw new ErrnoException("landlock_add_rule(connect tcp port " + port + ")", errno);
            }
        }
    }

    /**
     * Enforces the ruleset on the calling thread, for good (no_new_privs must be set). Returns 0
     * or an errno. Allocates nothing but what the FFM calls need: it runs on the restricted thread.
     */
    public int restrictCurrentThread() {
        return Libc.landlockRestrictSelf(fd);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
