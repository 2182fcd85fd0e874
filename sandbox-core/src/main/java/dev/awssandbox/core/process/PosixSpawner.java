package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.CommandCgroup;
import dev.awssandbox.core.linux.Cgroups;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.posix.JvmTag;
import dev.awssandbox.core.posix.PosixException;
import dev.awssandbox.core.posix.PosixSpawn;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Starts children with glibc {@code posix_spawn} through FFM, each held at a {@link SpawnGate}
 * until its limits, cgroup and registration are in place.
 *
 * <p>Why not {@link ProcessBuilder}: a Landlock domain (and no_new_privs) belongs to the thread
 * that applied it and to every thread and process that thread creates. {@code ProcessBuilder}
 * may create the JDK's process-reaper thread from the calling thread, which would then carry the
 * domain into the rest of the JVM. {@code posix_spawn} creates no thread: it clones a child with
 * {@code CLONE_VFORK}, which execs directly (no {@code jspawnhelper} double exec), gets its own
 * session ({@code POSIX_SPAWN_SETSID}: its own process group for tree kills, no controlling
 * terminal for TIOCSTI) and closes inherited descriptors with {@code close_range}, without /proc.
 *
 * <p>Threads, per spawn: the caller (any thread, virtual ones included) hands the native
 * arguments to a spawning thread — a fresh platform thread that applies a
 * {@link ThreadRestriction.Lifetime#ONE_SPAWN} restriction, spawns and ends, or one of the few
 * long-lived threads of a {@link ThreadRestriction.Lifetime#FOREVER} restriction — and meanwhile
 * finds the child at its gate, limits, places and registers it, and releases it. The spawning
 * thread never wakes a virtual thread (which would make it schedule one, and possibly create a
 * carrier thread that inherits its domain): it only sets a flag, and unparks the caller only when
 * the caller is a platform thread; a virtual caller polls.
 *
 * <p>A spawn is not interruptible once handed over: the caller waits for it to finish, so that no
 * descriptor or native argument it uses is released while a spawning thread may still use it,
 * and a child that was spawned is always known, watched and, if the caller was cancelled, killed
 * and reaped by the caller.
 */
public final class PosixSpawner {
    /**
     * How long a child may take from its fork to its gate's open: microseconds normally, seconds on
     * a loaded host. One that takes longer was stopped or is blocked before its gate, and its spawn
     * (and the caller with it) would wait for ever.
     */
    static final java.time.Duration GATE_DEADLINE = java.time.Duration.ofSeconds(15);
    private static volatile boolean warmedUp;

    private PosixSpawner() {}

    /**
     * Spawns a child whose stdin, stdout and stderr are the given descriptors (the caller keeps
     * and closes its own copies); every other descriptor is closed in the child. Returns it
     * registered with the {@link ChildReaper}. The calling thread's interrupt status is kept but
     * does not stop a spawn: the caller checks it afterwards and kills the child.
     */
    public static ChildReaper.Child spawn(SpawnSpec spec, int stdinFd, int stdoutFd, int stderrFd) throws SpawnException {
        warmUp();
        Watchdog.ensureStarted(); // before the child exists: one that waits at its gate must die with the JVM
        if (!ChildReaper.instance().armShutdown()) { // also before: the hook stops spawns, or waits for this one
            throw shuttingDown(spec);
        }
        if (!JvmTag.procShowsThisNamespace()) {
            // the gate finds its child, the reaper and the watchdog their processes, by pids read in
            // /proc: read in another namespace's, a spawn waited for ever (red team, round 15)
            throw new SpawnException(SpawnException.Step.PREPARE, Errno.EINVAL, spec.executable(),
                    "/proc is not of this process's pid namespace (/proc/self is not pid "
                    + ProcessHandle.current().pid() + "), so aws-sandbox cannot find or watch its commands;"
                    + " mount a /proc for it (unshare --pid --fork --mount-proc)");
        }
        if (spec.restriction().nestsInCommandDomain()) {
            CommandDomain.state(); // set up once, before the spawn lock below is taken
        }
        boolean interrupted = Thread.interrupted(); // restored at the end; polling must not spin on it
        int fd3 = -1;
        Optional<CommandCgroup> cgroup = Optional.empty();
        // The native arguments are read by the spawning thread, so they cannot be confined to this one;
        // closing a shared arena makes the JVM handshake with every thread (0.3 ms a spawn, measured),
        // so they are left to the garbage collector: the job and its arguments keep them reachable
        // until the spawn is over, and posix_spawn's own allocations are freed by args.destroy()
        Arena arena = Arena.ofAuto();
        try {
            if (spec.descriptor3().isPresent()) {
                fd3 = dataPipe(spec.descriptor3().get(), spec);
            }
            cgroup = cgroupFor(spec);
            // the spawning thread restricts itself (a few hundred microseconds: the seccomp filter)
            // while this thread makes the gate and the native arguments
            SpawnThreads.Spawner spawner = SpawnThreads.reserve(spec.restriction());
            try (SpawnGate gate = SpawnGate.create()) {
                PosixSpawn args = nativeArgs(arena, spec, stdinFd, stdoutFd, stderrFd, fd3, gate.fd());
                try {
                    int childGate = (fd3 >= 0 ? SpawnGate.CHILD_FD + 1 : SpawnGate.CHILD_FD) + spec.inherited().size();
                    return spawnThroughGate(spec, args, gate, childGate, cgroup, spawner, GATE_DEADLINE);
                } finally {
                    args.destroy();
                }
            } finally {
                spawner.abandon(); // when it was never given its job; nothing otherwise
            }
        } catch (ErrnoException e) {
            cgroup.ifPresent(CommandCgroup::close);
            throw new SpawnException(SpawnException.Step.PREPARE, e.errno(), spec.executable(),
                    "cannot prepare the spawn of " + spec.executable() + ": " + e.getMessage());
        } catch (SpawnException | RuntimeException e) {
            cgroup.ifPresent(CommandCgroup::close);
            throw e;
        } finally {
            Libc.close(fd3);
            SpawnThreads.rearm(spec.restriction()); // off this spawn's path: the next one finds its thread waiting
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Spawns through {@code gate}: finds the child at its gate, limits, places, registers and
     * releases it. A child that has not come through its gate {@code gateDeadline} after its fork
     * (stopped, or blocked in an earlier file action) is killed, and the spawn fails.
     */
    static ChildReaper.Child spawnThroughGate(SpawnSpec spec, PosixSpawn args, SpawnGate gate, int childGateFd,
                                              Optional<CommandCgroup> cgroup, SpawnThreads.Spawner spawner,
                                              java.time.Duration gateDeadline)
            throws SpawnException, ErrnoException {
        List<long[]> rlimits = rlimits(spec.limits(), cgroup.isPresent() && cgroup.get().boundsProcesses());
        SpawnJob job = new SpawnJob(args, spec.restriction(), Thread.currentThread());
        OptionalInt base = SpawnGate.lastPid();
        ChildReaper.Child child = null;
        ErrnoException unwatched = null;
        SpawnGate.Late late = null;
        String limitFailure = null;
        // the orphan sweep must not mistake the new child for an orphan; and the JVM's shutdown hook, which
        // stops spawning, waits for this spawn until its child is registered (or killed)
        if (!Subreaper.spawnStarting()) {
            throw shuttingDown(spec);
        }
        OptionalInt pid = OptionalInt.empty();
        try {
            spawner.give(job);
            job.awaitSpawning();
            long deadline = System.nanoTime() + gateDeadline.toNanos();
            pid = gate.awaitChild(base, childGateFd, job::isDone, job.spawnerTid(), deadline);
            if (pid.isPresent()) {
                try {
                    child = ChildReaper.instance().watch(pid.getAsInt(), cgroup);
                } catch (ErrnoException e) {
                    unwatched = e; // watch killed and reaped it at its gate: it ran nothing
                }
                if (child != null) {
                    Watchdog.track(pid.getAsInt());
                    limitFailure = applyLimits(pid.getAsInt(), rlimits, cgroup);
                    if (limitFailure != null) {
                        child.signalTree(Libc.SIGKILL); // never let it run without its limits
                    }
                    gate.release(job::isDone, pid.getAsInt(), deadline);
                }
            }
            job.awaitUninterruptibly();
        } catch (SpawnGate.Late e) {
            late = e; // it ran none of the command's code
            abort(job, child, OptionalInt.of(e.pid()));
        } catch (Throwable e) {
            // an Error too (out of memory in the search): until the spawn has ended, the spawning thread may
            // still copy the descriptors and read the arguments that the callers' finally blocks release
            abort(job, child, pid);
            throw e;
        } finally {
            Subreaper.spawnFinished();
        }

        if (unwatched != null) {
            throw new SpawnException(SpawnException.Step.LIMITS, unwatched.errno(), spec.executable(),
                    "cannot watch the new process of " + spec.executable() + " (" + unwatched.getMessage()
                            + "); it was killed and reaped before it ran");
        }
        if (late != null) {
            if (child == null && job.pid() > 0) {
                reap(job.pid());
            } else if (child != null) {
                // registered: the reaper reaps it; waited for, so that "killed before it ran" holds when this is thrown
                // (a CI run saw the killed child still a zombie of the JVM right after the exception)
                try {
                    child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // its exit is reported elsewhere; the spawn has failed all the same
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new SpawnException(SpawnException.Step.SPAWN, Errno.ETIMEDOUT, spec.executable(),
                    "cannot start " + spec.executable() + ": " + late.getMessage() + " (within "
                            + gateDeadline.toSeconds() + " s of its fork); it was killed before it ran");
        }
        if (job.failure().isPresent()) {
            ThreadRestriction.Failure f = job.failure().get();
            throw new SpawnException(SpawnException.Step.RESTRICT, f.errno(), spec.executable(),
                    f.step() + " failed: " + Errno.describe(f.errno()));
        }
        if (job.spawnError() != 0) {
            // the child ran no code of the command; glibc or our reaper reaps it
            throw new SpawnException(SpawnException.Step.SPAWN, job.spawnError(), spec.executable(),
                    "cannot execute " + spec.executable() + ": " + Errno.describe(job.spawnError())
                            + (job.spawnError() == Errno.ENOEXEC ? " (neither a binary this system runs nor a script with #!)" : ""));
        }
        if (child == null) {
            // spawned, yet never seen at its gate: cannot happen unless our FIFO was opened by another
            // process; the child may run without its limits, so it must not run at all
            reap(job.pid());
            throw new SpawnException(SpawnException.Step.LIMITS, Errno.ESRCH, spec.executable(),
                    "the new process " + job.pid() + " was not found at its spawn gate; it was killed");
        }
        if (limitFailure != null) {
            throw new SpawnException(SpawnException.Step.LIMITS, Errno.EPERM, spec.executable(),
                    "cannot apply resource limits to " + spec.executable() + ": " + limitFailure + "; it was killed");
        }
        return child;
    }

    /**
     * Kills the spawn's child, wherever it is, and waits until its spawn has ended: a child at its
     * gate or before it is never released, and its spawn would not end (the shutdown hook waited
     * for one for ever). One found but not registered is still our unreaped child, its pid its own;
     * one not found yet is the spawning thread's unreleased child.
     */
    private static void abort(SpawnJob job, ChildReaper.Child child, OptionalInt pid) {
        if (child != null) {
            child.signalTree(Libc.SIGKILL); // registered: the reaper reaps it
        } else if (pid.isPresent() && !job.isDone()) {
            Libc.kill(pid.getAsInt(), Libc.SIGKILL);
        }
        while (job.spawnerTid() != 0 && !job.isDone()) {
            ThreadChildren.unreleased(job.spawnerTid()).ifPresent(p -> Libc.kill(p, Libc.SIGKILL));
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        job.awaitUninterruptibly();
    }

    /**
     * Kills and reaps a child that glibc reported as spawned but that is registered nowhere, so
     * that nothing else would (a child that died at its gate stayed a zombie of the JVM).
     */
    private static void reap(int pid) {
        Libc.kill(pid, Libc.SIGKILL);
        try (Arena arena = Arena.ofConfined()) {
            Libc.waitidPid(pid, arena.allocate(Libc.SIGINFO)); // ECHILD if a sweep reaped it first
        }
    }

    /** The refusal of a spawn once the JVM shuts down. */
    private static SpawnException shuttingDown(SpawnSpec spec) {
        return new SpawnException(SpawnException.Step.PREPARE, Errno.EINTR, spec.executable(),
                "cannot start " + spec.executable() + ": the JVM is shutting down");
    }

    /** Soft = hard, so the command cannot raise them; {resource, value} pairs. */
    static List<long[]> rlimits(Limits limits, boolean pidsCgroup) {
        List<long[]> list = new ArrayList<>();
        if (!pidsCgroup) {
            limits.processes().ifPresent(n -> list.add(new long[] {Libc.RLIMIT_NPROC, n + UserProcesses.count()}));
        }
        limits.cpuSeconds().ifPresent(t -> list.add(new long[] {Libc.RLIMIT_CPU, t}));
        limits.fileSizeBytes().ifPresent(n -> list.add(new long[] {Libc.RLIMIT_FSIZE, n}));
        limits.memoryBytes().ifPresent(n -> list.add(new long[] {Libc.RLIMIT_DATA, n}));
        if (!limits.coreDumps()) {
            list.add(new long[] {Libc.RLIMIT_CORE, 0});
        }
        return list;
    }

    private static Optional<CommandCgroup> cgroupFor(SpawnSpec spec) throws SpawnException {
        Limits limits = spec.limits();
        if (limits.processes().isEmpty() && limits.memoryBytes().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Cgroups.create(limits.processes(), limits.memoryBytes());
        } catch (IOException e) {
            throw new SpawnException(SpawnException.Step.LIMITS, Errno.EIO, spec.executable(),
                    "cannot create the cgroup for " + spec.executable() + ": " + e.getMessage());
        }
    }

    /** Applies every limit to the waiting child; the first failure, or null. */
    private static String applyLimits(int pid, List<long[]> rlimits, Optional<CommandCgroup> cgroup) {
        for (long[] limit : rlimits) {
            int errno = Libc.setLimit(pid, (int) limit[0], limit[1]);
            if (errno != 0) {
                return "prlimit(" + pid + ", " + rlimitName((int) limit[0]) + "): " + Errno.describe(errno);
            }
        }
        if (cgroup.isPresent()) {
            try {
                cgroup.get().place(pid);
            } catch (IOException e) {
                return "cannot place process " + pid + " in " + cgroup.get() + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static String rlimitName(int resource) {
        return switch (resource) {
            case Libc.RLIMIT_NPROC -> "RLIMIT_NPROC";
            case Libc.RLIMIT_CPU -> "RLIMIT_CPU";
            case Libc.RLIMIT_FSIZE -> "RLIMIT_FSIZE";
            case Libc.RLIMIT_DATA -> "RLIMIT_DATA";
            case Libc.RLIMIT_CORE -> "RLIMIT_CORE";
            default -> "resource " + resource;
        };
    }

    /** A pipe holding {@code data} (small: it must fit the pipe buffer), read end returned. */
    private static int dataPipe(byte[] data, SpawnSpec spec) throws SpawnException {
        try (Arena arena = Arena.ofConfined()) {
            int[] pipe = Libc.pipe();
            MemorySegment buffer = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            long written = Libc.write(pipe[1], buffer, data.length, Libc.newCaptureState(arena));
            Libc.close(pipe[1]);
            if (written != data.length) {
                Libc.close(pipe[0]);
                throw new SpawnException(SpawnException.Step.PREPARE, written < 0 ? (int) -written : Errno.E2BIG,
                        spec.executable(), "cannot pass " + data.length + " bytes on descriptor 3");
            }
            return pipe[0];
        } catch (ErrnoException e) {
            throw new SpawnException(SpawnException.Step.PREPARE, e.errno(), spec.executable(), e.getMessage());
        }
    }

    /**
     * Does now what the first spawn would: {@link #warmUp()}, and the reaper's thread started. For
     * a thread of the caller's, at its start-up, so that this overlaps with the caller's own work; a
     * spawn that begins meanwhile waits for the warm-up. A reaper that cannot start now is started,
     * or its failure reported, by the first spawn.
     */
    public static void prepare() {
        try {
            warmUp();
            Watchdog.ensureStarted();
            ChildReaper.instance().armShutdown();
            ChildReaper.instance().start();
        } catch (ErrnoException | RuntimeException | OutOfMemoryError e) { // OOME: no thread to be had now
            // the first spawn warms up and watches again, and fails with the reason, as a command's failure
        }
    }

    /**
     * Runs every native call of a spawn once on this (unrestricted) thread, and starts and ends one
     * spawning thread, so that a restricted thread links and loads nothing: a spawn of a path that
     * does not exist fails with ENOENT.
     */
    static void warmUp() {
        if (warmedUp) {
            return;
        }
        synchronized (PosixSpawner.class) {
            if (warmedUp) {
                return;
            }
            try (Arena arena = Arena.ofShared()) {
                SpawnSpec probe = new SpawnSpec(java.nio.file.Path.of("/nonexistent/aws-sandbox-warm-up"),
                        List.of("warm-up"), Map.of(), java.nio.file.Path.of("/"), ThreadRestriction.NONE,
                        Optional.empty(), Limits.NONE);
                PosixSpawn args = nativeArgs(arena, probe, 0, 1, 2, -1, -1);
                try {
                    SpawnJob job = new SpawnJob(args, ThreadRestriction.NONE, Thread.currentThread());
                    SpawnThreads.start(job);
                    job.awaitUninterruptibly();
                    assert job.spawnError() == Errno.ENOENT : "warm-up spawn unexpectedly succeeded";
                } finally {
                    args.destroy();
                }
            }
            try {
                Libc.noNewPrivs();
            } catch (ErrnoException ignored) {
                // only loading the call matters here
            }
            Libc.landlockRestrictSelf(-1); // links syscall(2)'s downcall handle: EBADF, nothing restricted
            Errno.describe(Errno.ENOENT);
            // what a restricted thread allocates when a step fails: loaded here, not there
            Optional.of(new ThreadRestriction.Failure("warm-up", 0)).ifPresent(f -> { });
            warmedUp = true;
        }
    }

    /**
     * The native arguments of one posix_spawn call. File actions, in order: the standard
     * descriptors (and 3 when it carries data), the directory, then — with a gate — our FIFO
     * copied to the next descriptor, every other descriptor above closed, the FIFO opened (the
     * child waits here), and closed again. Without a gate ({@code gateFd < 0}) every descriptor
     * above the standard ones is closed.
     */
    static PosixSpawn nativeArgs(Arena arena, SpawnSpec spec, int stdinFd, int stdoutFd, int stderrFd, int fd3,
                                 int gateFd) {
        List<PosixSpawn.FileAction> actions = new ArrayList<>();
        actions.add(new PosixSpawn.Dup2(stdinFd, 0));
        actions.add(new PosixSpawn.Dup2(stdoutFd, 1));
        actions.add(new PosixSpawn.Dup2(stderrFd, 2));
        actions.add(new PosixSpawn.Chdir(spec.workingDirectory().toString()));
        int next = 3;
        if (fd3 >= 0) {
            actions.add(new PosixSpawn.Dup2(fd3, 3));
            next = 4;
        }
        // The gate is copied before the inherited descriptors (when it was numbered from 16, an
        // inherited one's target could fall on it: a bubblewrap command with a dozen pinned grants
        // overwrote it, and the child opened a directory instead of waiting). Gates and inherited
        // sources are numbered 256 or more, above every target here (SpawnSpec.MAX_INHERITED).
        int childGate = next + spec.inherited().size();
        if (gateFd >= 0) {
            actions.add(new PosixSpawn.Dup2(gateFd, childGate));
        }
        for (int inherited : spec.inherited()) {
            actions.add(new PosixSpawn.Dup2(inherited, next));
            next++;
        }
        if (gateFd >= 0) {
            actions.add(new PosixSpawn.CloseFrom(childGate + 1));
            // into the next descriptor: glibc closes an open's target descriptor before it opens the path
            actions.add(new PosixSpawn.Open(childGate + 1, "/proc/self/fd/" + childGate, Libc.O_RDONLY));
            actions.add(new PosixSpawn.Close(childGate + 1));
            actions.add(new PosixSpawn.Close(childGate));
        } else {
            actions.add(new PosixSpawn.CloseFrom(next));
        }
        List<String> environment = spec.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        try {
            return PosixSpawn.prepare(arena, spec.executable().toString(), spec.argv(), environment, actions);
        } catch (PosixException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
