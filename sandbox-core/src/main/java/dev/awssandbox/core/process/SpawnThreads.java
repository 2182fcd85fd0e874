package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The threads {@code posix_spawn} runs on. Each is created from an unrestricted thread (a
 * caller's), restricts only itself, and never creates a thread or wakes a virtual one.
 */
final class SpawnThreads {
    /** Long-lived spawning threads per FOREVER restriction: enough to spawn on every core at once. */
    private static final int POOL_THREADS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    private static final ConcurrentHashMap<ThreadRestriction, Pool> POOLS = new ConcurrentHashMap<>();

    private SpawnThreads() {}

    /** Hands {@code job} to a thread of its restriction's kind. */
    static void start(SpawnJob job) {
        ThreadRestriction restriction = job.restriction();
        switch (restriction.lifetime()) {
            case ONE_SPAWN -> Thread.ofPlatform().name("aws-sandbox-spawn").daemon(true)
                    .start(() -> job.run(restriction.applyToCurrentThread()));
            case FOREVER -> POOLS.computeIfAbsent(restriction, Pool::new).submit(job);
        }
    }

    /** Threads that applied one restriction once and serve its spawns until the JVM exits. */
    private static final class Pool {
        private final LinkedBlockingQueue<SpawnJob> jobs = new LinkedBlockingQueue<>();

        Pool(ThreadRestriction restriction) {
            for (int i = 0; i < POOL_THREADS; i++) {
                Thread.ofPlatform().name("aws-sandbox-spawner-" + i).daemon(true).start(() -> serve(restriction));
            }
        }

        void submit(SpawnJob job) {
            jobs.add(job);
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
