package dev.awssandbox.core.process;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.CommandCgroup;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One platform thread that waits for every child at once: it polls the children's pidfds
 * (a pidfd becomes readable when its process exits) and reaps each with
 * {@code waitid(P_PIDFD)}. Waiting callers hold no thread of their own.
 *
 * <p>When a child exits, the rest of its process group (its session, since it was spawned with
 * {@code POSIX_SPAWN_SETSID}) and of its cgroup is killed before the child is reaped: while the
 * zombie exists the group id cannot be reused by an unrelated process. Its cgroup is removed
 * before its exit is reported. A JVM shutdown hook stops spawning (it waits for the spawns in
 * flight, and no spawn starts after it), then kills every live group.
 */
public final class ChildReaper {
    private static final VarHandle SI_CODE = Libc.SIGINFO.varHandle(groupElement("si_code"));
    private static final VarHandle SI_STATUS = Libc.SIGINFO.varHandle(groupElement("si_status"));
    private static final VarHandle[] CPU_TIMES = {
            Libc.RUSAGE.varHandle(groupElement("ru_utime"), groupElement("tv_sec")),
            Libc.RUSAGE.varHandle(groupElement("ru_utime"), groupElement("tv_usec")),
            Libc.RUSAGE.varHandle(groupElement("ru_stime"), groupElement("tv_sec")),
            Libc.RUSAGE.varHandle(groupElement("ru_stime"), groupElement("tv_usec"))};
    private static final ChildReaper INSTANCE = new ChildReaper();

    /** Orders exits: which of two children was reaped first (the pipeline uses it for broken pipes). */
    private static final java.util.concurrent.atomic.AtomicLong EXIT_SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final ConcurrentLinkedQueue<Child> pending = new ConcurrentLinkedQueue<>();
    private final java.util.Map<Integer, Child> live = new ConcurrentHashMap<>();
    private final Object startLock = new Object();
    private PollSet polls;
    private Thread thread;
    private volatile boolean shutdownArmed;

    private ChildReaper() {}

    public static ChildReaper instance() {
        return INSTANCE;
    }

    /** A spawned child: its pid, its pidfd and the future of its exit status. */
    public static final class Child {
        private final int pid;
        private int pidfd;
        private final Optional<CommandCgroup> cgroup;
        private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
        private volatile long exitOrder;
        private volatile Usage usage = Usage.NONE;

        private Child(int pid, int pidfd, Optional<CommandCgroup> cgroup) {
            this.pid = pid;
            this.pidfd = pidfd;
            this.cgroup = cgroup;
        }

        public int pid() {
            return pid;
        }

        /**
         * What it used, as the kernel reported it when it was reaped ({@link Usage#NONE} before): its CPU
         * time, and its cgroup's counters when it failed (none when it succeeded).
         */
        public Usage usage() {
            return usage;
        }

        /** When it was reaped relative to other children (larger is later); 0 while running. */
        public long exitOrder() {
            return exitOrder;
        }

        /**
         * Completes, on a virtual thread, when the child has exited and been reaped; fails with
         * {@link WaitFailed} (saying why) when its exit could not be collected.
         */
        public CompletableFuture<ProcessExit> onExit() {
            return exit;
        }

        /**
         * Sends {@code signal} to the child's whole process group and to the child itself (even
         * if it left the group). Does nothing once the child has been reaped, so a pid that the
         * kernel has handed to another process is never signalled.
         */
        public synchronized void signalTree(int signal) {
            if (pidfd < 0) {
                return;
            }
            Libc.kill(-pid, signal);
            Libc.pidfdSendSignal(pidfd, signal);
            if (signal == Libc.SIGKILL) {
                cgroup.ifPresent(CommandCgroup::killAll); // also what left the group
            }
        }

        /** Kills the group and reaps the child; returns its status. Runs on the reaper thread. */
        private synchronized ProcessExit reap(MemorySegment siginfo, MemorySegment rusage) throws WaitFailed {
            Libc.kill(-pid, Libc.SIGKILL);
            cgroup.ifPresent(CommandCgroup::killAll);
            // off the watchdog's list while it is a zombie, whose pid no other process can have: told
            // after the reap, a JVM stopped or killed in between left a free pid listed, and the
            // watchdog killed its next owner and that one's group (red team, round 16)
            Watchdog.untrack(pid);
            siginfo.fill((byte) 0);
            rusage.fill((byte) 0);
            int errno = Libc.waitidPidfd(pidfd, siginfo, 0, rusage);
            Libc.close(pidfd);
            pidfd = -1;
            exitOrder = EXIT_SEQUENCE.incrementAndGet();
            if (errno == Errno.ECHILD) {
                // glibc's posix_spawn reaps a child that failed to exec; the spawn reports that failure
                return ProcessExit.exited(127);
            }
            if (errno != 0) {
                throw new WaitFailed("waitid(P_PIDFD) for pid " + pid + " failed: " + Errno.describe(errno));
            }
            usage = new Usage(cpuTime(rusage), CommandCgroup.Events.NONE);
            int code = (int) SI_CODE.get(siginfo, 0L);
            int status = (int) SI_STATUS.get(siginfo, 0L);
            return switch (code) {
                case Libc.CLD_EXITED -> new ProcessExit(ProcessExit.How.EXITED, status);
                case Libc.CLD_KILLED -> new ProcessExit(ProcessExit.How.KILLED, status);
                case Libc.CLD_DUMPED -> new ProcessExit(ProcessExit.How.DUMPED, status);
                default -> throw new WaitFailed("waitid(P_PIDFD) for pid " + pid + " reported neither an exit nor a"
                        + " death by signal (si_code " + code + ")");
            };
        }
    }

    /**
     * What a child used, as the kernel reported it: its CPU time (user and system, its reaped
     * descendants' included) and the counters of its cgroup (none without one).
     */
    public record Usage(java.time.Duration cpuTime, CommandCgroup.Events cgroup) {
        public static final Usage NONE = new Usage(java.time.Duration.ZERO, CommandCgroup.Events.NONE);
    }

    private static java.time.Duration cpuTime(MemorySegment rusage) {
        long micros = 0;
        for (int i = 0; i < CPU_TIMES.length; i += 2) {
            micros += (long) CPU_TIMES[i].get(rusage, 0L) * 1_000_000 + (long) CPU_TIMES[i + 1].get(rusage, 0L);
        }
        return java.time.Duration.ofNanos(micros * 1000);
    }

    /**
     * A child's exit could not be collected: {@link Child#onExit()} fails with this, and the message
     * says why (the call and its errno). The child had been killed with its group by then.
     */
    public static final class WaitFailed extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        WaitFailed(String message) {
            super(message);
        }
    }

    /**
     * Starts watching a freshly spawned child (and its cgroup). If it cannot be watched, it is
     * killed and reaped here: an unwatched child would run unbounded and stay a zombie.
     */
    public Child watch(int pid, Optional<CommandCgroup> cgroup) throws ErrnoException {
        try {
            start();
        } catch (OutOfMemoryError e) { // "unable to create native thread": no reaper, so no child either
            discard(pid, cgroup);
            throw new ErrnoException("start the reaper's thread (" + e.getMessage() + ")", Errno.EAGAIN);
        } catch (ErrnoException e) { // its poll set: the caller counts on the child being discarded, not at its gate
            discard(pid, cgroup);
            throw e;
        }
        int pidfd;
        try {
            pidfd = Libc.pidfdOpen(pid);
        } catch (ErrnoException e) {
            discard(pid, cgroup);
            throw e;
        }
        Child child = new Child(pid, pidfd, cgroup);
        live.put(pid, child);
        pending.add(child);
        wake();
        return child;
    }

    /** Kills and reaps a child that cannot be watched, and removes its cgroup. */
    private static void discard(int pid, Optional<CommandCgroup> cgroup) {
        Libc.kill(pid, Libc.SIGKILL);
        try (Arena arena = Arena.ofConfined()) {
            Libc.waitidPid(pid, arena.allocate(Libc.SIGINFO));
        }
        cgroup.ifPresent(CommandCgroup::close);
    }

    /** Whether {@code pid} is a child being waited for. */
    boolean isWatched(int pid) {
        return live.containsKey(pid);
    }

    private void wake() throws ErrnoException {
        start();
        polls.wake(); // fails only if the counter would overflow, and the loop keeps reading it
    }

    /** Starts the reaper's thread unless it runs: the first {@link #watch} does, or {@link PosixSpawner#prepare()} before it. */
    void start() throws ErrnoException {
        synchronized (startLock) {
            if (thread == null) {
                if (polls == null) {
                    polls = new PollSet();
                }
                // Created from an ordinary, unrestricted thread: the reaper carries no domain.
                Thread reaper = Thread.ofPlatform().name("aws-sandbox-reaper").daemon(true).unstarted(this::loop);
                reaper.start(); // may throw (no thread to be had): then it is tried again by the next spawn
                thread = reaper;
            }
        }
    }

    /**
     * Registers the shutdown hook that stops spawning and kills every child; every spawn calls it
     * before its fork. Returns false when the JVM is already shutting down: the hook cannot be
     * added then, and no spawn may start (its child could be left at its gate). Registered here
     * rather than with the reaper's thread: a spawn whose {@link #watch} registered it during
     * shutdown failed, and its child stayed at its gate.
     */
    boolean armShutdown() {
        if (shutdownArmed) {
            return true; // every spawn asks: no lock once registered
        }
        synchronized (startLock) {
            if (!shutdownArmed) {
                try {
                    Runtime.getRuntime().addShutdownHook(
                            Thread.ofPlatform().name("aws-sandbox-kill-children").unstarted(this::killAll));
                } catch (IllegalStateException e) {
                    return false; // "Shutdown in progress"
                }
                shutdownArmed = true;
            }
            return true;
        }
    }

    private void killAll() {
        // First, no spawn starts any more and those in flight have registered their children: the JDK
        // runs the hooks beside the application's threads, and a child spawned after the kills below
        // was left at its gate when the JVM halted (see Subreaper.stopSpawns)
        Subreaper.stopSpawns();
        for (Child child : live.values()) {
            child.signalTree(Libc.SIGKILL);
        }
        Subreaper.sweep(pid -> false, session -> false, ChildReaper::helper);
    }

    /** The JVM's own helper processes, children of the JVM that no sweep may kill. */
    private static boolean helper(int pid) {
        return pid == Watchdog.pid() || pid == CommandDomain.killerPid();
    }

    /** Kills escaped orphans (see {@link Subreaper}), sparing every child still being waited for. */
    void sweepOrphans() {
        if (!Subreaper.isEnabled()) {
            return;
        }
        // each command child leads its own session (POSIX_SPAWN_SETSID): its pid is its session id
        Subreaper.sweep(this::isWatched, this::isWatched, ChildReaper::helper);
    }

    private void loop() {
        List<Child> watched = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment siginfo = arena.allocate(Libc.SIGINFO);
            MemorySegment rusage = arena.allocate(Libc.RUSAGE);
            while (true) {
                if (!polls.poll(watched, child -> child.pidfd, child -> Libc.POLLIN)) {
                    continue; // EINTR
                }
                List<Child> still = new ArrayList<>(watched.size());
                for (int i = 0; i < watched.size(); i++) {
                    Child child = watched.get(i);
                    if (polls.revents(i) == 0) {
                        still.add(child);
                        continue;
                    }
                    finish(child, siginfo, rusage);
                }
                watched = still;
                for (Child child; (child = pending.poll()) != null; ) {
                    watched.add(child);
                }
            }
        }
    }

    private void finish(Child child, MemorySegment siginfo, MemorySegment rusage) {
        try {
            ProcessExit status = child.reap(siginfo, rusage);
            // only now: until it is reaped, the orphan sweep must see it as ours (it once reaped it first)
            live.remove(child.pid, child);
            // Callbacks never run on the reaper thread. Every process of the cgroup is gone before
            // the exit is told; its directories are removed after, out of the command's time.
            tell(() -> {
                child.cgroup.ifPresent(cgroup -> {
                    if (!status.isSuccess()) { // read for failures only: nothing asks why a success succeeded
                        child.usage = new Usage(child.usage.cpuTime(), cgroup.events()); // published by the exit below
                    }
                    cgroup.killRemaining();
                });
                child.exit.complete(status);
                child.cgroup.ifPresent(CommandCgroup::close);
            });
        } catch (WaitFailed | RuntimeException e) {
            live.remove(child.pid, child);
            tell(() -> {
                child.cgroup.ifPresent(CommandCgroup::close);
                child.exit.completeExceptionally(e);
            });
        }
    }

    /**
     * Runs {@code telling} on a virtual thread of its own, or, when no thread can be had (the
     * process or thread limit reached), here: a reaper thread that died of it left every later
     * command unreaped and the JVM waiting for ever (red team, round 14).
     */
    private static void tell(Runnable telling) {
        try {
            Thread.startVirtualThread(telling);
        } catch (OutOfMemoryError | java.util.concurrent.RejectedExecutionException e) {
            try {
                telling.run();
            } catch (RuntimeException | Error failure) {
                // the reaper thread must go on for the other children; this one's exit is lost
                System.getLogger(ChildReaper.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot tell a command's exit: " + failure);
            }
        }
    }
}
