package dev.awssandbox.core.backend;

import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.Optional;

/**
 * What a backend prepared for one spawn: the restriction the spawning thread applies (if any),
 * the report of what will be enforced, and native resources to release after the spawn.
 */
public record Launch(Optional<ThreadRestriction> restriction, EnforcementReport report, Runnable release)
        implements AutoCloseable {

    @Override
    public void close() {
        release.run();
    }
}
