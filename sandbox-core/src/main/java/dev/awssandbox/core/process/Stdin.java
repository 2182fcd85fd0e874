package dev.awssandbox.core.process;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** What the first stage reads: nothing, these bytes (a read-only view, never copied whole), or a stream. */
public sealed interface Stdin {
    record Empty() implements Stdin {}

    record Bytes(ByteBuffer data) implements Stdin {}

    record Stream(InputStream input) implements Stdin {}
}
