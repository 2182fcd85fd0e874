package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads {@code posix_spawn} runs on. Each is created from an unrestricted thread (a
 * caller's) or, for a restriction that nests in the commands' Landlock domain, by the
 * {@link CommandDomain}'s thread; it restricts only itself, and never creates a thread or wakes a
 * virtual one.
 */
final class SpawnThreads {
    /** Long-lived spawning threads per FOREVER restriction: enough to spawn on every core at once. */
    private static final int POOL_THREADS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    private static final ConcurrentHashMap<ThreadRestriction, Pool> POOLS = new ConcurrentHashMap<>();

    private SpawnThreads() {}

    /** One-shot threads started ahead of need: starting a platform thread is the slowest step of a spawn. */
    private static final int ARMED = 2;
    /** Created by callers: in no Landlock domain. */
    private static final Armed PLAIN = new Armed();
    /** Created by the domain thread: in the commands' domain (see {@link CommandDomain}). */
    private static final Armed NESTED = new Armed();

    /** Hands {@code job} to a thread of its restriction's kind. */
    static void start(SpawnJob job) {
        reserve(job.restriction()).give(job);
    }

    /**
     * A thread of {@code restriction}'s kind for one spawn, which starts restricting itself now,
     * while the caller prepares the spawn; the caller then {@link Spawner#give gives} it the job,
     * or {@link Spawner#abandon abandons} it.
     */
    static Spawner reserve(ThreadRestriction restriction) {
        return switch (restriction.lifetime()) {
            case ONE_SPAWN -> {
                boolean nested = nested(restriction);
                OneShot thread = (nested ? NESTED : PLAIN).poll();
                if (thread == null) {
                    thread = nested ? CommandDomain.call(OneShot::start) : OneShot.start();
                }
                thread.restrict(restriction);
                yield thread;
            }
            case FOREVER -> POOLS.computeIfAbsent(restriction, Pool::new);
        };
    }

    /** A spawning thread reserved for one spawn. */
    interface Spawner {
        /** Runs {@code job} (of the restriction it was reserved for) on this thread. */
        void give(SpawnJob job);

        /** Lets the thread go without a job (the spawn failed before it began); nothing once given. */
        void abandon();
    }

    private static boolean nested(ThreadRestriction restriction) {
        return restriction.nestsInCommandDomain() && CommandDomain.armed();
    }

    /**
     * Starts one-shot threads of {@code restriction}'s kind for the next spawns; called by a caller
     * once its own spawn is done. Nested ones are started by the domain thread, later.
     */
    static void rearm(ThreadRestriction restriction) {
        if (restriction.lifetime() != ThreadRestriction.Lifetime.ONE_SPAWN) {
            return;
        }
        if (nested(restriction)) {
            int wanted = NESTED.reserve();
            if (wanted > 0) {
                CommandDomain.execute(() -> {
                    for (int i = 0; i < wanted; i++) {
                        NESTED.threads.add(OneShot.start());
                    }
                });
            }
        } else {
            for (int wanted = PLAIN.reserve(); wanted > 0; wanted--) {
                PLAIN.threads.add(OneShot.start());
            }
        }
    }

    /** Idle one-shot threads of one kind, and how many are there or on their way. */
    private static final class Armed {
        final ConcurrentLinkedQueue<OneShot> threads = new ConcurrentLinkedQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        OneShot poll() {
            OneShot thread = threads.poll();
            if (thread != null) {
                count.decrementAndGet();
            }
            return thread;
        }

        /** Claims the places up to {@link #ARMED}; returns how many threads the caller is to start. */
        int reserve() {
            int claimed = 0;
            while (true) {
                int now = count.get();
                if (now >= ARMED) {
                    return claimed;
                }
                if (count.compareAndSet(now, now + 1)) {
                    claimed++;
                }
            }
        }
    }

    /**
     * An unrestricted platform thread that waits for one job, then restricts itself, spawns and
     * ends. It is woken by {@link LockSupport#unpark} of a platform thread: a futex, no scheduler.
     */
    private static final class OneShot implements Spawner {
        /** The job of an abandoned thread: it ends without spawning. */
        private static final Object ABANDONED = new Object();
        private volatile ThreadRestriction restriction;
        private volatile Object job;
        private Thread thread;

        static OneShot start() {
            OneShot oneShot = new OneShot();
            oneShot.thread = Thread.ofPlatform().name("aws-sandbox-spawn").daemon(true).start(oneShot::await);
            return oneShot;
        }

        void restrict(ThreadRestriction restriction) {
            this.restriction = restriction;
            LockSupport.unpark(thread);
        }

        @Override
        public void give(SpawnJob job) {
            if (job.restriction() != restriction) {
                throw new IllegalArgumentException("a job of another restriction: " + job.restriction().describe());
            }
            this.job = job;
            LockSupport.unpark(thread);
        }

        @Override
        public void abandon() {
            if (job == null) {
                job = ABANDONED;
                LockSupport.unpark(thread);
            }
        }

        private void await() {
            ThreadRestriction r;
            while ((r = restriction) == null) {
                LockSupport.park(this);
            }
            Optional<ThreadRestriction.Failure> applied = r.applyToCurrentThread();
            Object j;
            while ((j = job) == null) {
                LockSupport.park(this);
            }
            if (j instanceof SpawnJob spawn) {
                spawn.run(applied);
            }
        }
    }

    /** Threads that applied one restriction once and serve its spawns until the JVM exits. */
    private static final class Pool implements Spawner {
        private final LinkedBlockingQueue<SpawnJob> jobs = new LinkedBlockingQueue<>();

        Pool(ThreadRestriction restriction) {
            for (int i = 0; i < POOL_THREADS; i++) {
                Thread.ofPlatform().name("aws-sandbox-spawner-" + i).daemon(true).start(() -> serve(restriction));
            }
        }

        @Override
        public void give(SpawnJob job) {
            jobs.add(job);
        }

        @Override
        public void abandon() {
            // its threads serve the next job
        }

        private void serve(ThreadRestriction restriction) {
            Optional<ThreadRestriction.Failure> applied = restriction.applyToCurrentThread();
            while (true) {
                try {
                    jobs.take().run(applied);
                } catch (InterruptedException e) {
                    // nobody interrupts these threads; keep serving
                }
            }
        }
    }
}
