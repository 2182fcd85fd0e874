package dev.awssandbox.core.backend;

import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.Optional;

/**
 * What a backend prepared for one spawn: the restriction the spawning thread applies (if any),
 * the report of what will be enforced, native resources to release after the spawn, and how the
 * command is wrapped (bubblewrap starts it through {@code bwrap}).
 */
public record Launch(Optional<ThreadRestriction> restriction, EnforcementReport report, Runnable release,
                     java.util.function.UnaryOperator<dev.awssandbox.core.process.SpawnSpec> wrapper)
        implements AutoCloseable {

    /** A launch that starts the command itself (no wrapper program). */
    public Launch(Optional<ThreadRestriction> restriction, EnforcementReport report, Runnable release) {
        this(restriction, report, release, java.util.function.UnaryOperator.identity());
    }

    @Override
    public void close() {
        release.run();
    }
}
