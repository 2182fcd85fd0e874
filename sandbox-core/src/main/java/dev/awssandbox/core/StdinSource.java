package dev.awssandbox.core;

import java.io.InputStream;
import java.util.Objects;

/** What a command reads on standard input. */
public sealed interface StdinSource {

    /** {@code /dev/null}: the command sees end of file at once. */
    record Empty() implements StdinSource {}

    /** These bytes, then end of file. */
    record Bytes(byte[] data) implements StdinSource {
        public Bytes {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /** Copied from this stream until it ends (the CLI forwards its own stdin this way). */
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
