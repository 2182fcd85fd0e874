package dev.awssandbox.core.backend;

import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.process.SpawnSpec;
import java.util.function.UnaryOperator;

/**
 * What a backend prepared for one spawn: the restriction the spawning thread applies, the report
 * of what will be enforced, native resources to release after the spawn, how the command is
 * wrapped (bubblewrap starts it through {@code bwrap}), and whether that wrapper reports the
 * command's death by signal N as exit status 128+N.
 */
public record Launch(ThreadRestriction restriction, Enforcement enforcement, Runnable release,
                     UnaryOperator<SpawnSpec> wrapper, boolean wrapperFoldsSignals) implements AutoCloseable {

    /** A launch that starts the command itself (no wrapper program). */
    public Launch(ThreadRestriction restriction, Enforcement enforcement, Runnable release) {
        this(restriction, enforcement, release, UnaryOperator.identity(), false);
    }

    @Override
    public void close() {
        release.run();
    }
}
