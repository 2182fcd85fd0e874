package dev.awssandbox.core;

import java.io.InputStream;
import java.util.Objects;

/** What a command reads on standard input. */
public sealed interface StdinSource {

    /** {@code /dev/null}: the command sees end of file at once. */
    record Empty() implements StdinSource {}

    /** These bytes (copied once, when the source is made), then end of file. */
    record Bytes(byte[] data) implements StdinSource {
        public Bytes {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The bytes without a copy, read-only. */
        public java.nio.ByteBuffer view() {
            return java.nio.ByteBuffer.wrap(data).asReadOnlyBuffer();
        }
    }

    /**
     * Copied from this stream until it ends or the command has exited (the CLI forwards its own
     * stdin this way). A thread reads it; a read that blocks when the command exits ends with the
     * next bytes or end of file, and the command's pipe is closed at once.
     */
    record Stream(InputStream input) implements StdinSource {
        public Stream {
            Objects.requireNonNull(input, "input");
        }
    }

    static StdinSource empty() {
        return new Empty();
    }

    static StdinSource of(byte[] data) {
        return new Bytes(data);
    }

    static StdinSource from(InputStream input) {
        return new Stream(input);
    }
}
