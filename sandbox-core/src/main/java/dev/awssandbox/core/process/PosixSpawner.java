package dev.awssandbox.core.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts children with glibc {@code posix_spawn} through FFM.
 *
 * <p>Why not {@link ProcessBuilder}: a Landlock domain (and no_new_privs) belongs to the thread
 * that applied it and to every thread and process that thread creates. {@code ProcessBuilder}
 * may create the JDK's process-reaper thread from the calling thread, which would then carry the
 * domain into the rest of the JVM. {@code posix_spawn} creates no thread: it clones a child with
 * {@code CLONE_VFORK}, which execs directly (no {@code jspawnhelper} double exec), gets its own
 * session ({@code POSIX_SPAWN_SETSID}: its own process group for tree kills, no controlling
 * terminal for TIOCSTI) and closes inherited descriptors with {@code close_range}, without /proc.
 *
 * <p>A restricted spawn runs on a platform thread that carries the restriction and does nothing
 * else: the long-lived {@link RestrictedSpawner} of a reusable restriction (a cached Landlock
 * ruleset), or else a fresh thread that applies it, spawns and ends. Either is waited for by a
 * platform thread, so the restricted thread never wakes a virtual thread (which would make it
 * schedule one, and possibly create a carrier thread that inherits the domain).
 */
public final class PosixSpawner {
    private static final short SPAWN_FLAGS =
            (short) (Libc.POSIX_SPAWN_SETSID | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);

    /**
     * Joins restricted spawns on behalf of virtual callers; its threads are created unrestricted.
     * Bounded: a spawn takes a millisecond, so a few threads serve any number of commands.
     */
    private static final ExecutorService PLATFORM_JOINERS = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("aws-sandbox-spawn-joiner-", 0).daemon(true).factory());

    /** One long-lived spawner thread per reusable restriction (per cached Landlock ruleset). */
    private static final java.util.concurrent.ConcurrentHashMap<ThreadRestriction, RestrictedSpawner> SPAWNERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static volatile boolean warmedUp;

    private PosixSpawner() {}

    /**
     * Spawns a child whose stdin, stdout and stderr are the given descriptors (the caller keeps
     * and closes its own copies); every other descriptor is closed in the child. Returns the pid.
     */
    public static int spawn(SpawnSpec spec, int stdinFd, int stdoutFd, int stderrFd) throws SpawnException {
        warmUp();
        int fd3 = -1;
        try (Arena arena = Arena.ofShared()) {
            if (spec.descriptor3().isPresent()) {
                fd3 = dataPipe(spec.descriptor3().get(), spec);
            }
            NativeArgs args = NativeArgs.prepare(arena, spec, stdinFd, stdoutFd, stderrFd, fd3);
            try {
                int[] outcome = spec.restriction().isPresent()
                        ? spawnOnRestrictedThread(spec, args)
                        : spawnHere(null, args);
                return switch (outcome[0]) {
                    case 0 -> outcome[1];
                    case 1 -> throw new SpawnException(SpawnException.Step.RESTRICT, outcome[1], spec.executable(),
                            spec.restriction().map(ThreadRestriction::describe).orElse("restriction")
                                    + " failed: " + Errno.describe(outcome[1]));
                    default -> throw new SpawnException(SpawnException.Step.SPAWN, outcome[1], spec.executable(),
                            "cannot execute " + spec.executable() + ": " + Errno.describe(outcome[1]));
                };
            } finally {
                args.destroy();
            }
        } finally {
            Libc.close(fd3);
        }
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
                throw new SpawnException(SpawnException.Step.SPAWN, written < 0 ? (int) -written : Errno.E2BIG,
                        spec.executable(), "cannot pass " + data.length + " bytes on descriptor 3");
            }
            return pipe[0];
        } catch (ErrnoException e) {
            throw new SpawnException(SpawnException.Step.SPAWN, e.errno(), spec.executable(), e.getMessage());
        }
    }

    /** Returns {0, pid} on success, {1, errno} if the restriction failed, {2, errno} if the spawn failed. */
    static int[] spawnHere(ThreadRestriction restriction, NativeArgs args) {
        if (restriction != null) {
            int errno = restriction.applyToCurrentThread();
            if (errno != 0) {
                return new int[] {1, errno};
            }
        }
        int error = Libc.posixSpawn(args.pidOut, args.path, args.fileActions, args.attr, args.argv, args.envp);
        return error == 0 ? new int[] {0, args.pidOut.get(JAVA_INT, 0)} : new int[] {2, error};
    }

    private static int[] spawnOnRestrictedThread(SpawnSpec spec, NativeArgs args) throws SpawnException {
        ThreadRestriction restriction = spec.restriction().orElseThrow();
        if (Thread.currentThread().isVirtual()) {
            try {
                return PLATFORM_JOINERS.submit(() -> spawnRestricted(restriction, args)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SpawnException(SpawnException.Step.SPAWN, Errno.EINTR, spec.executable(), "interrupted while spawning");
            } catch (ExecutionException e) {
                throw new IllegalStateException("restricted spawn failed", e.getCause());
            }
        }
        return spawnRestricted(restriction, args);
    }

    /** On the restriction's long-lived spawner when it is reusable, else on a fresh thread. Platform callers only. */
    private static int[] spawnRestricted(ThreadRestriction restriction, NativeArgs args) {
        if (restriction.reusable()) {
            RestrictedSpawner spawner = SPAWNERS.computeIfAbsent(restriction, RestrictedSpawner::start);
            int[] result = spawner.submit(args);
            if (result != null) {
                return result;
            }
            SPAWNERS.remove(restriction, spawner);
        }
        return runRestrictedThread(restriction, args);
    }

    /** Ends the long-lived spawner of a restriction that will not be used again. */
    public static void retire(ThreadRestriction restriction) {
        RestrictedSpawner spawner = SPAWNERS.remove(restriction);
        if (spawner != null) {
            spawner.retire();
        }
    }

    static void forget(ThreadRestriction restriction, RestrictedSpawner spawner) {
        SPAWNERS.remove(restriction, spawner);
    }

    private static int[] runRestrictedThread(ThreadRestriction restriction, NativeArgs args) {
        int[][] result = new int[1][];
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform()
                .name("aws-sandbox-restricted-spawn")
                .daemon(true)
                .unstarted(() -> {
                    try {
                        result[0] = spawnHere(restriction, args);
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                });
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the child may already exist: we must learn its pid
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("restricted spawn thread failed", failure[0]);
        }
        return result[0];
    }

    /**
     * Runs every native call of a spawn once on this (unrestricted) thread, so that the restricted
     * thread links and loads nothing: a spawn of a path that does not exist fails with ENOENT.
     */
    private static void warmUp() {
        if (warmedUp) {
            return;
        }
        synchronized (PosixSpawner.class) {
            if (warmedUp) {
                return;
            }
            try (Arena arena = Arena.ofShared()) {
                SpawnSpec probe = new SpawnSpec(java.nio.file.Path.of("/nonexistent/aws-sandbox-warm-up"),
                        List.of("warm-up"), Map.of(), java.nio.file.Path.of("/"), java.util.Optional.empty());
                NativeArgs args = NativeArgs.prepare(arena, probe, 0, 1, 2, -1);
                try {
                    int[] outcome = spawnHere(null, args);
                    assert outcome[0] == 2 : "warm-up spawn unexpectedly succeeded";
                } finally {
                    args.destroy();
                }
            }
            try {
                Libc.noNewPrivs();
            } catch (ErrnoException ignored) {
                // only loading the call matters here
            }
            Libc.syscall(Libc.arch().landlockRestrictSelf(), -1L, 0L, 0L, 0L);
            warmedUp = true;
        }
    }

    /** The native argument block of one posix_spawn call. */
    static final class NativeArgs {
        final MemorySegment pidOut;
        final MemorySegment path;
        final MemorySegment fileActions;
        final MemorySegment attr;
        final MemorySegment argv;
        final MemorySegment envp;

        private NativeArgs(MemorySegment pidOut, MemorySegment path, MemorySegment fileActions,
                           MemorySegment attr, MemorySegment argv, MemorySegment envp) {
            this.pidOut = pidOut;
            this.path = path;
            this.fileActions = fileActions;
            this.attr = attr;
            this.argv = argv;
            this.envp = envp;
        }

        static NativeArgs prepare(Arena arena, SpawnSpec spec, int stdinFd, int stdoutFd, int stderrFd, int fd3) {
            MemorySegment pidOut = arena.allocate(JAVA_INT);
            MemorySegment path = arena.allocateFrom(spec.executable().toString());
            MemorySegment argv = stringArray(arena, spec.argv());
            MemorySegment envp = stringArray(arena, spec.environment().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());

            MemorySegment fa = arena.allocate(Libc.SPAWN_FILE_ACTIONS_SIZE, 16);
            check(Libc.fileActionsInit(fa), "posix_spawn_file_actions_init");
            check(Libc.fileActionsAddDup2(fa, stdinFd, 0), "adddup2(stdin)");
            check(Libc.fileActionsAddDup2(fa, stdoutFd, 1), "adddup2(stdout)");
            check(Libc.fileActionsAddDup2(fa, stderrFd, 2), "adddup2(stderr)");
            check(Libc.fileActionsAddChdir(fa, arena.allocateFrom(spec.workingDirectory().toString())), "addchdir_np");
            if (fd3 >= 0) {
                check(Libc.fileActionsAddDup2(fa, fd3, 3), "adddup2(3)");
            }
            check(Libc.fileActionsAddClosefrom(fa, fd3 >= 0 ? 4 : 3), "addclosefrom_np");

            MemorySegment attr = arena.allocate(Libc.SPAWNATTR_SIZE, 16);
            check(Libc.spawnAttrInit(attr), "posix_spawnattr_init");
            MemorySegment empty = arena.allocate(Libc.SIGSET_SIZE, 8);
            MemorySegment all = arena.allocate(Libc.SIGSET_SIZE, 8);
            check(Libc.sigemptyset(empty), "sigemptyset");
            check(Libc.sigfillset(all), "sigfillset");
            // The JVM ignores or blocks some signals (SIGPIPE among them); the child starts clean.
            check(Libc.spawnAttrSetSigmask(attr, empty), "setsigmask");
            check(Libc.spawnAttrSetSigdefault(attr, all), "setsigdefault");
            check(Libc.spawnAttrSetFlags(attr, SPAWN_FLAGS), "setflags");
            return new NativeArgs(pidOut, path, fa, attr, argv, envp);
        }

        void destroy() {
            Libc.fileActionsDestroy(fileActions);
            Libc.spawnAttrDestroy(attr);
        }

        private static MemorySegment stringArray(Arena arena, List<String> strings) {
            MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
            for (int i = 0; i < strings.size(); i++) {
                array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
            }
            array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
            return array;
        }

        private static void check(int error, String call) {
            if (error != 0) {
                throw new IllegalStateException(call + " failed: " + Errno.describe(error));
            }
        }
    }
}
