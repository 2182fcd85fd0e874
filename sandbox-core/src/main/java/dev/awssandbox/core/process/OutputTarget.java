package dev.awssandbox.core.process;

import java.io.OutputStream;

/** Where a stream goes: kept up to a limit (the rest counted and dropped), or copied to a stream. */
public sealed interface OutputTarget {
    record Capture(long limitBytes) implements OutputTarget {}

    record StreamTo(OutputStream output) implements OutputTarget {}
}
