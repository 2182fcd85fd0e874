package dev.awssandbox.core.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a JVM names what it leaves in shared places (its spawn gates, private temporary root, egress
 * socket directory, MCP state, cgroups), so that a later JVM can tell the leftovers of a JVM that
 * is gone: {@code NS.PID}, the JVM's pid and the inode of its pid namespace (on Linux; the pid
 * alone where there are no pid namespaces).
 *
 * <p>A pid alone did not tell: a JVM in another pid namespace (a container or {@code unshare
 * --pid} that shares {@code /tmp}, {@code /dev/shm} or the cgroup file system) finds no process of
 * a live JVM's pid in its own namespace, took that JVM's directories for a dead one's and removed
 * them (found on 2026-12-02: a running JVM's gate directory vanished, and every later command
 * failed), and would have killed the processes in its cgroups. A tag of another namespace is
 * therefore never judged gone: its leftovers stay until a JVM of that namespace removes them.
 */
public final class JvmTag {
    private static final String NAMESPACE = pidNamespace();
    /**
     * Whether {@code /proc} is of this JVM's pid namespace ({@code /proc/self} is its pid): in a pid
     * namespace without a {@code /proc} of its own ({@code unshare --pid --fork} without
     * {@code --mount-proc}), pids read there name other processes, and a JVM took its own
     * directories for a dead JVM's (red team, round 15). Without /proc (macOS) there is nothing to read wrong.
     */
    private static final boolean PROC_IS_OWN = procIsOwn();
    private static final String CURRENT = of(ProcessHandle.current().pid());

    private JvmTag() {}

    /** This JVM's tag. */
    public static String current() {
        return CURRENT;
    }

    /** The tag of process {@code pid} of this JVM's pid namespace. */
    public static String of(long pid) {
        return (NAMESPACE.isEmpty() ? "" : NAMESPACE + ".") + pid;
    }

    /**
     * Whether {@code tag} names a JVM of this pid namespace that no longer runs. False for a live
     * pid (even one reused by another program: its leftovers then wait for a later JVM), for this
     * JVM, for a tag of another namespace, for anything that is not a tag, and for every tag when
     * {@code /proc} is not this namespace's.
     */
    public static boolean isGone(String tag) {
        int dot = tag.lastIndexOf('.');
        String namespace = dot < 0 ? "" : tag.substring(0, dot);
        String pid = tag.substring(dot + 1);
        boolean isPid = !pid.isEmpty() && pid.length() <= 10 && pid.chars().allMatch(Character::isDigit);
        if (!PROC_IS_OWN || tag.equals(CURRENT) || !namespace.equals(NAMESPACE) || !isPid) {
            return false;
        }
        // a zombie is gone too: it has exited and waits only to be reaped (a JVM killed with SIGKILL whose parent, a
        // subreaper such as a test's JVM, does not reap it until it exits itself)
        return ProcessHandle.of(Long.parseLong(pid)).isEmpty() || isZombie(pid);
    }

    /** Whether {@code /proc/PID/stat} says the process has exited and is not yet reaped (state Z). */
    private static boolean isZombie(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            int close = stat.lastIndexOf(')'); // the name, in parentheses, may hold anything
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile, or unreadable: ProcessHandle said it was there
        }
    }

    /** Whether {@code /proc} shows this JVM's pid namespace (see {@link #PROC_IS_OWN}); true without a /proc. */
    public static boolean procShowsThisNamespace() {
        return PROC_IS_OWN;
    }

    private static boolean procIsOwn() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self")).toString().equals(Long.toString(ProcessHandle.current().pid()));
        } catch (IOException | UnsupportedOperationException e) {
            return !Files.isDirectory(Path.of("/proc/1"));
        }
    }

    /** The digits of {@code pid:[4026531836]}, or "" where the kernel has no pid namespaces. */
    private static String pidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            int open = link.indexOf('[');
            int close = link.indexOf(']');
            if (link.startsWith("pid:") && open > 0 && close > open + 1) {
                String inode = link.substring(open + 1, close);
                if (inode.chars().allMatch(Character::isDigit)) {
                    return inode;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // macOS, or no /proc: pids are the whole story
        }
        return "";
    }
}
