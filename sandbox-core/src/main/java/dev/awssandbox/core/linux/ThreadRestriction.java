package dev.awssandbox.core.linux;

/**
 * What a spawning thread applies to itself before it spawns a child, which inherits it, and how
 * long that thread lives. Implementations must not create threads, load classes or take JVM-wide
 * locks that other threads hold for long: they run on a thread that carries the restriction.
 */
public interface ThreadRestriction {
    /** How long a spawning thread lives. */
    enum Lifetime {
        /**
         * A fresh platform thread applies the restriction, spawns one child and ends: every child
         * gets a Landlock domain of its own, shared with no other command and, once the thread has
         * ended, with no thread of the JVM.
         */
        ONE_SPAWN,
        /**
         * A few threads apply it once and live as long as the JVM: bubblewrap's
         * {@code --die-with-parent} fires when the parent <em>thread</em> ends (bubblewrap #692).
         */
        FOREVER
    }

    /** The step that failed and its errno. */
    record Failure(String step, int errno) {}

    /** One call a restriction makes on the current thread, named for messages: it returns 0 or an errno. */
    record Step(String call, java.util.function.IntSupplier apply) {}

    /** Makes {@code steps} in order; the first that fails stops the rest. Made before the thread runs them. */
    static java.util.Optional<Failure> applyInOrder(java.util.List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            int errno = steps.get(i).apply().getAsInt();
            if (errno != 0) {
                return java.util.Optional.of(new Failure(steps.get(i).call(), errno));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * A restriction that is only its steps.
     *
     * @param describe a short name for messages
     */
    record Steps(String describe, Lifetime lifetime, java.util.List<Step> steps) implements ThreadRestriction {
        public Steps {
            steps = java.util.List.copyOf(steps);
        }

        @Override
        public java.util.Optional<Failure> applyToCurrentThread() {
            return applyInOrder(steps);
        }
    }

    /** Nothing to apply: children spawned from a fresh, unrestricted thread. */
    ThreadRestriction NONE = new Steps("no restriction", Lifetime.ONE_SPAWN, java.util.List.of());

    /** Applies the restriction to the calling thread; empty when every step succeeded. */
    java.util.Optional<Failure> applyToCurrentThread();

    /** A short name for messages: "landlock_restrict_self". */
    String describe();

    Lifetime lifetime();

    /**
     * Whether the spawning thread is to be created inside the commands' Landlock domain (see
     * {@code process.CommandDomain}), so that the restriction it applies nests there: true for a
     * Landlock restriction that scopes signals itself (a one-spawn thread only).
     */
    default boolean nestsInCommandDomain() {
        return false;
    }
}
