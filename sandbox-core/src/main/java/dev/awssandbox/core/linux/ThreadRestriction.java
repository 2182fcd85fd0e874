package dev.awssandbox.core.linux;

/**
 * A restriction that a fresh platform thread applies to itself just before it spawns a child,
 * which inherits it. Implementations must not create threads, load classes or take JVM-wide
 * locks that other threads hold for long: they run on a thread that carries the restriction.
 */
public interface ThreadRestriction {
    /** Applies the restriction to the calling thread; returns 0 or an errno. */
    int applyToCurrentThread();

    /** A short name for messages: "landlock_restrict_self". */
    String describe();

    /**
     * Whether one thread may apply it once and spawn many children under it (true for a cached
     * ruleset); such a restriction is kept by identity until {@code PosixSpawner.retire}.
     */
    default boolean reusable() {
        return false;
    }

    /**
     * Whether the spawning thread must outlive every child it spawned: true for bubblewrap, whose
     * {@code --die-with-parent} fires when the parent <em>thread</em> ends (bubblewrap #692).
     */
    default boolean keepThreadAlive() {
        return false;
    }
}
