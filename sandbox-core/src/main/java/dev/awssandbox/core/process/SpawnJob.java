package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.posix.PosixSpawn;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One {@code posix_spawn} call handed from a caller to a spawning thread, and its outcome. The
 * spawning thread writes the outcome and sets {@link #isDone()}; it unparks the caller only when
 * the caller is a platform thread (see {@link PosixSpawner}).
 */
final class SpawnJob {
    private final PosixSpawn args;
    private final ThreadRestriction restriction;
    private final Thread caller;
    private volatile boolean spawning;
    private volatile int spawnerTid;
    private volatile boolean done;
    private Optional<ThreadRestriction.Failure> failure = Optional.empty();
    private int spawnError;
    private int pid;
    private Throwable crash;

    SpawnJob(PosixSpawn args, ThreadRestriction restriction, Thread caller) {
        this.args = args;
        this.restriction = restriction;
        this.caller = caller;
    }

    ThreadRestriction restriction() {
        return restriction;
    }

    /** Runs on a spawning thread whose restriction is already applied (or failed: {@code applied}). */
    void run(Optional<ThreadRestriction.Failure> applied) {
        try {
            if (applied.isPresent()) {
                failure = applied;
            } else {
                spawnerTid = Libc.gettid(); // the child's parent: how a child that never reaches its gate is found
                spawning = true; // volatile write: from here on the child may exist
                if (!caller.isVirtual()) {
                    LockSupport.unpark(caller);
                }
                int error = args.start();
                if (error == 0) {
                    pid = args.pid();
                } else {
                    spawnError = error;
                }
            }
        } catch (Throwable t) {
            crash = t;
        } finally {
            done = true; // volatile write: publishes the fields above
            if (!caller.isVirtual()) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** The spawning thread's id, once {@link #awaitSpawning()} has returned without the job being done. */
    int spawnerTid() {
        return spawnerTid;
    }

    boolean isDone() {
        return done;
    }

    /**
     * Waits until the spawning thread has restricted itself and is about to call
     * {@code posix_spawn}, or is done: before that no child can exist, and a caller that looked for
     * one would only take the CPU the spawning thread needs.
     */
    void awaitSpawning() {
        parkUntil(() -> spawning || done);
    }

    /** Waits for {@link #run} to finish, whatever interrupts the caller (its status is kept). */
    void awaitUninterruptibly() {
        parkUntil(() -> done);
        if (crash != null) {
            throw new IllegalStateException("the spawning thread failed", crash);
        }
    }

    /**
     * Parks until {@code condition} holds, whatever interrupts the caller (its status is kept, and
     * cleared meanwhile: a set status would make every park return at once). A platform caller is
     * unparked by the spawning thread; a virtual one polls (that thread never wakes a virtual one).
     */
    private void parkUntil(java.util.function.BooleanSupplier condition) {
        boolean interrupted = false;
        while (!condition.getAsBoolean()) {
            if (Thread.currentThread().isVirtual()) {
                LockSupport.parkNanos(this, 50_000);
            } else {
                LockSupport.parkNanos(this, 10_000_000); // unparked; the timeout is only a safety net
            }
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    Optional<ThreadRestriction.Failure> failure() {
        return failure;
    }

    /** posix_spawn's error number, 0 when it succeeded. */
    int spawnError() {
        return spawnError;
    }

    int pid() {
        return pid;
    }
}
