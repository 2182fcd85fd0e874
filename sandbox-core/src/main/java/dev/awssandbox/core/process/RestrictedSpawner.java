package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Long-lived platform threads (one per core, at most four) that carry one restriction (one cached Landlock ruleset) and
 * does nothing but spawn children under it, so that repeated commands with the same rules pay
 * neither for a new thread nor for a new ruleset.
 *
 * <p>Why this is safe: each thread creates no thread and runs no foreign code. It takes jobs from
 * a fair {@link SynchronousQueue}, calls {@code posix_spawn}, stores the result and unparks the
 * caller, which is always a platform thread ({@link PosixSpawner} routes virtual callers through
 * platform joiners), so that no virtual thread is ever scheduled, and no carrier thread ever
 * created, from here. Each is created by an unrestricted thread, restricts itself first, and ends
 * after {@link #IDLE_SECONDS} idle or when its ruleset is evicted.
 */
final class RestrictedSpawner {
    static final long IDLE_SECONDS = 300;
    private static final long OFFER_SECONDS = 1;

    private final ThreadRestriction restriction;
    private final SynchronousQueue<Job> jobs = new SynchronousQueue<>(true);
    private final java.util.List<Thread> threads;
    private volatile boolean alive = true;

    /** Threads per restriction: enough to spawn on every core at once, no more. */
    private static final int THREADS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));

    private static final class Job {
        final PosixSpawner.NativeArgs args;
        final Thread caller;
        volatile int[] result;
        volatile Throwable failure;
        volatile boolean done;

        Job(PosixSpawner.NativeArgs args, Thread caller) {
            this.args = args;
            this.caller = caller;
        }
    }

    private RestrictedSpawner(ThreadRestriction restriction) {
        this.restriction = restriction;
        java.util.List<Thread> list = new java.util.ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            list.add(Thread.ofPlatform().name("restricted-spawner").daemon(true).unstarted(this::loop));
        }
        this.threads = java.util.List.copyOf(list);
    }

    /** Starts the thread; call from an unrestricted platform thread. */
    static RestrictedSpawner start(ThreadRestriction restriction) {
        RestrictedSpawner spawner = new RestrictedSpawner(restriction);
        spawner.threads.forEach(Thread::start);
        return spawner;
    }

    /**
     * Spawns on the restricted thread: {0, pid}, {1, errno} or {2, errno} as
     * {@link PosixSpawner#spawnHere}; null when this spawner has ended (spawn another way).
     */
    int[] submit(PosixSpawner.NativeArgs args) {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("restricted spawns are submitted from platform threads only");
        }
        if (!alive) {
            return null;
        }
        Job job = new Job(args, Thread.currentThread());
        boolean interrupted = false;
        try {
            if (!jobs.offer(job, OFFER_SECONDS, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        while (!job.done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted(); // the child may already exist: wait for its pid
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (job.failure != null) {
            throw new IllegalStateException("restricted spawn failed", job.failure);
        }
        return job.result;
    }

    /** Ends the thread (its ruleset was evicted). */
    void retire() {
        alive = false;
        threads.forEach(Thread::interrupt);
    }

    private void loop() {
        int errno = restriction.applyToCurrentThread();
        try {
            while (alive) {
                Job job = restriction.keepThreadAlive() ? jobs.take() : jobs.poll(IDLE_SECONDS, TimeUnit.SECONDS);
                if (job == null) {
                    break;
                }
                try {
                    job.result = errno != 0 ? new int[] {1, errno} : PosixSpawner.spawnHere(null, job.args);
                } catch (Throwable t) {
                    job.failure = t;
                }
                job.done = true;
                LockSupport.unpark(job.caller);
            }
        } catch (InterruptedException e) {
            // retired
        } finally {
            alive = false;
            PosixSpawner.forget(restriction, this);
        }
    }
}
