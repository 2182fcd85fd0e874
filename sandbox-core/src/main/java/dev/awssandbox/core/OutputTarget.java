package dev.awssandbox.core;

import java.io.OutputStream;
import java.util.Objects;

/** Where a command's stdout or stderr goes. */
public sealed interface OutputTarget {

    /** Default cap on captured bytes per stream. */
    long DEFAULT_CAPTURE_LIMIT = 16L * 1024 * 1024;

    /**
     * Kept in memory up to {@code limitBytes}; the rest is read, counted and dropped, and the
     * result says it was truncated.
     */
    record Capture(long limitBytes) implements OutputTarget {
        public Capture {
            if (limitBytes < 0 || limitBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("capture limit must be between 0 and 2^31-9 bytes: " + limitBytes);
            }
        }
    }

    /** Copied to this stream as it arrives, flushed after every read; nothing is kept. */
    record StreamTo(OutputStream output) implements OutputTarget {
        public StreamTo {
            Objects.requireNonNull(output, "output");
        }
    }

    static OutputTarget capture() {
        return new Capture(DEFAULT_CAPTURE_LIMIT);
    }

    static OutputTarget capture(long limitBytes) {
        return new Capture(limitBytes);
    }

    static OutputTarget streamTo(OutputStream output) {
        return new StreamTo(output);
    }
}
