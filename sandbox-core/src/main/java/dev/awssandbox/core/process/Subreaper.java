package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.KernelFiles;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.JvmTag;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;

/**
 * Catches processes that escape their command's process group (with {@code setsid} and a double
 * fork, as daemons do). Once the JVM is the <em>child subreaper</em>
 * ({@code PR_SET_CHILD_SUBREAPER}), such an orphan is re-parented to the JVM instead of to init.
 * After every command, {@link #sweep} kills and reaps each child of the JVM that aws-sandbox did
 * not start itself and that belongs neither to the JVM's own session (children the application
 * started with {@link ProcessBuilder} do) nor to the session of a command still running.
 *
 * <p>A child that is being spawned is a child of the JVM that nobody tracks yet: the sweep must
 * not take it for an orphan (it did, and concurrent commands killed each other). Spawns hold
 * {@link #spawnStarting()}'s shared lock from before the fork until the child is registered; the
 * sweep decides on each candidate under the exclusive lock, after every such spawn has finished.
 *
 * <p>A JVM that is pid 1 of its pid namespace (the MCP server as a container's entry point) is
 * the parent of every orphan of that namespace, not only of its commands' escapees: a daemon
 * started beside it ({@code docker exec … setsid …}) is its child too (red team, round 17: it was
 * killed at the JVM's next command). There the sweep kills only a process it can prove came from
 * a command: one in the commands' Landlock domain, which it kills from inside that domain
 * ({@link CommandDomain#killInDomain}: the kernel refuses a signal to any other process). It
 * leaves every other live child alone — the escapees of commands outside that domain (unsandboxed
 * ones, Landlock before ABI 6) too, as init would (a bubblewrap command's escapees stay in its
 * PID namespace, which ends with the command) — and, as pid 1 must, reaps every such child that is
 * already dead.
 *
 * <p>Process-wide, so opt-in: the CLI enables it; a library user enables it through
 * {@code Sandbox.enableSubreaper()} when the JVM is theirs. Without it, an escaped process is
 * re-parented to init and survives.
 */
public final class Subreaper {
    private static final int MAX_ROUNDS = 16;
    /** Passes over the threads' children files that may each meet a thread ending before every process is read. */
    private static final ReentrantReadWriteLock SPAWNS = new ReentrantReadWriteLock();
    private static final Object SWEEP = new Object();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static long sweptUpTo;
    private static volatile boolean enabled;
    /** Set once by {@link #stopSpawns()}, under the write lock of SPAWNS. */
    private static boolean spawnsStopped;

    private Subreaper() {}

    /** Makes this JVM the subreaper of its descendants. */
    public static synchronized void enable() throws ErrnoException {
        set(true);
    }

    /** Turns it on or off (tests use off as the negative control). */
    public static synchronized void set(boolean on) throws ErrnoException {
        int errno = Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, on ? 1 : 0);
        if (errno != 0) {
            throw new ErrnoException("prctl(PR_SET_CHILD_SUBREAPER)", errno);
        }
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /**
     * Called before a fork: until {@link #spawnFinished()}, no sweep decides on any child. Returns
     * false, holding nothing, once {@link #stopSpawns()} ran: the JVM is shutting down, and no spawn
     * may start.
     */
    static boolean spawnStarting() {
        SPAWNS.readLock().lock();
        if (spawnsStopped) { // written under the write lock: read under the read lock, it is exact
            SPAWNS.readLock().unlock();
            return false;
        }
        return true;
    }

    /** Called once the spawned child is registered (or the spawn failed). */
    static void spawnFinished() {
        SPAWNS.readLock().unlock();
    }

    /**
     * Stops spawning for good (the JVM's shutdown hook): returns once every spawn in flight has
     * finished, its child registered (and so killed by the hook) or killed, and no spawn starts
     * after. A spawn that went on during the hooks, as the JDK lets other threads run then, could
     * leave its child at its gate when the JVM halted: nobody to release it, nothing of the JVM to
     * kill it, and only the watchdog to find it (CliSignalIT, SIGTERM during a 30-stage pipeline).
     */
    static void stopSpawns() {
        SPAWNS.writeLock().lock();
        try {
            spawnsStopped = true;
        } finally {
            SPAWNS.writeLock().unlock();
        }
    }

    /**
     * Kills and reaps escaped orphans: children of this JVM that are not {@code tracked} (pids
     * aws-sandbox is waiting for, asked again under the lock), not in the JVM's session, not in a
     * session of a live command ({@code liveSession}) and not {@code spared} (the watchdog, the
     * commands' domain's killer); as pid 1 of its namespace, only those of them in the commands'
     * Landlock domain, and it reaps those already dead.
     * Repeats while killing one re-parents others to us. Sweeps requested while one runs are
     * served by the next one that starts after them.
     *
     * @return how many were killed
     */
    static int sweep(IntPredicate tracked, IntPredicate liveSession, IntPredicate spared) {
        if (!enabled) {
            return 0;
        }
        long ticket = REQUESTS.incrementAndGet();
        synchronized (SWEEP) {
            if (sweptUpTo >= ticket) {
                return 0; // a sweep that began after this request has just run
            }
            sweptUpTo = REQUESTS.get();
            return sweepNow(tracked, liveSession, spared);
        }
    }

    private static int sweepNow(IntPredicate tracked, IntPredicate liveSession, IntPredicate spared) {
        if (!JvmTag.procShowsThisNamespace()) {
            // A /proc of another pid namespace names other processes by the pids it lists: the sweep
            // found the host's kernel threads "children" of ours (their parent's host pid was our
            // pid here) and killed the processes that have those pids in our namespace (red team,
            // round 16). No command runs then (PosixSpawner refuses), so there is no orphan to find.
            return 0;
        }
        long self = ProcessHandle.current().pid();
        // pid 1 is every orphan's parent, not only our commands' escapees': see the class comment
        boolean everyOrphansParent = self == 1;
        Optional<Stat> me = stat(Path.of("/proc/self/stat"));
        if (me.isEmpty()) {
            return 0;
        }
        int killed = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment siginfo = arena.allocate(Libc.SIGINFO);
            for (int round = 0; round < MAX_ROUNDS; round++) {
                int found = 0;
                try {
                    for (Path proc : candidates()) {
                        Optional<Stat> st = stat(proc.resolve("stat"));
                        if (st.isEmpty() || st.get().ppid() != self) {
                            continue;
                        }
                        Stat s = st.get();
                        if (spared.test(s.pid()) || s.session() == me.get().session()) {
                            continue;
                        }
                        boolean dead;
                        SPAWNS.writeLock().lock(); // every spawn in flight has registered its child
                        try {
                            // asked again now: it may have been a command's child that was reaped since,
                            // its pid already someone else's; an unreaped child of ours keeps its pid
                            Optional<Stat> again = stat(proc.resolve("stat"));
                            if (again.isEmpty() || again.get().ppid() != self || tracked.test(s.pid())
                                    || liveSession.test(again.get().session())) {
                                continue;
                            }
                            // Our unreaped child: its pid (and its group, which it keeps alive) cannot be reused.
                            dead = again.get().state() == 'Z';
                            if (dead) {
                                // whoever it was, it is gone: only its exit status is left to collect
                            } else if (everyOrphansParent) {
                                if (CommandDomain.killInDomain(s.pid(), s.pgrp()) != 0) {
                                    continue; // not a process of our commands' domain: not ours to kill
                                }
                            } else {
                                if (s.pgrp() > 1) {
                                    Libc.kill(-s.pgrp(), Libc.SIGKILL);
                                }
                                Libc.kill(s.pid(), Libc.SIGKILL);
                            }
                        } finally {
                            SPAWNS.writeLock().unlock();
                        }
                        // a zombie is reaped without waiting: should another thread have reaped it first
                        // and its pid gone to a new child, that child is not waited for
                        int errno = dead ? Libc.reapIfExited(s.pid(), siginfo) : Libc.waitidPid(s.pid(), siginfo);
                        if (errno == 0 || errno == Errno.ECHILD) {
                            found++;
                        }
                    }
                } catch (IOException e) {
                    return killed;
                }
                killed += found;
                if (found == 0) {
                    break;
                }
            }
        }
        return killed;
    }

    /**
     * The /proc directories of this JVM's children: the pids in each of its threads'
     * {@code /proc/self/task/TID/children} (an orphan is re-parented to a thread of the subreaper, a
     * child whose spawning thread ended to another of its threads). Where one cannot be read, every
     * process in /proc: the kernel lacks CONFIG_PROC_CHILDREN. The sweep read /proc/PID/stat of every
     * process on the host after every command: 17 ms of a CLI run on a host of 100 processes, and
     * more with every process the host runs.
     *
     * <p>A thread can end during the pass; the kernel hands its children to the first live thread
     * of the process, the thread-group leader (whose task id is the pid, alive until the JVM
     * exits), before the thread's directory goes. So the leader's file is read last: a child of a
     * thread that ended before it was read is in it, and one of a thread read before it ended was
     * read with that thread. One pass is complete however many threads end (under load, sixteen
     * passes in a row met an ending thread, and the fallback read every process on the host).
     */
    static List<Path> candidates() throws IOException {
        Path leader = Path.of("/proc/self/task", Long.toString(ProcessHandle.current().pid()));
        Set<Path> found = new LinkedHashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (!task.getFileName().equals(leader.getFileName())) {
                    children(task).ifPresent(found::addAll); // empty: the thread ended meanwhile
                }
            }
        }
        Optional<List<Path>> last = children(leader);
        if (last.isEmpty()) {
            return everyProcess(); // the leader is alive: its file is missing, so is CONFIG_PROC_CHILDREN
        }
        found.addAll(last.get());
        return List.copyOf(found);
    }

    /** The children a thread's {@code children} file lists; empty when it cannot be read. */
    private static Optional<List<Path>> children(Path task) {
        return KernelFiles.pids(task.resolve("children"))
                .map(pids -> pids.stream().map(pid -> Path.of("/proc", String.valueOf(pid))).toList());
    }

    private static List<Path> everyProcess() throws IOException {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            procs.forEach(all::add);
        }
        return all;
    }

    /**
     * The fields of /proc/PID/stat we need (the start time in clock ticks since boot: field 22);
     * the command name may contain spaces and parentheses.
     */
    record Stat(int pid, char state, int ppid, int pgrp, int session, long startTime) {}

    static Optional<Stat> stat(Path file) {
        Optional<String> read = KernelFiles.readIfPresent(file);
        if (read.isEmpty()) {
            return Optional.empty(); // gone meanwhile
        }
        String text = read.get();
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = text.substring(close + 2).split(" ");
        // after "pid (comm) ": state ppid pgrp session ... (the start time is the 20th)
        try {
            int pid = Integer.parseInt(text.substring(0, text.indexOf(' ')));
            return Optional.of(new Stat(pid, f[0].charAt(0), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Long.parseLong(f[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
