package dev.awssandbox.core;

import java.io.OutputStream;
import java.util.Objects;

/** Where a command's stdout or stderr goes. */
public sealed interface OutputTarget {

    /** The reference server's output limit, used when {@code AWS_MCP_MAX_OUTPUT} is not set. */
    long DEFAULT_CAPTURE_LIMIT = 100_000;

    /** The variable that sets the default capture limit, in bytes (the reference counts characters). */
    String MAX_OUTPUT_ENV_VAR = "AWS_MCP_MAX_OUTPUT";

    /**
     * The default cap on captured bytes per stream: {@code AWS_MCP_MAX_OUTPUT} bytes when set,
     * else 100000. An invalid value is an error that names the variable.
     */
    static long defaultCaptureLimit() {
        String value = System.getenv(MAX_OUTPUT_ENV_VAR);
        return value == null || value.isBlank() ? DEFAULT_CAPTURE_LIMIT : parseLimit(value, MAX_OUTPUT_ENV_VAR);
    }

    /** Parses a byte count; {@code source} names where it came from. */
    static long parseLimit(String value, String source) {
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0 && limit <= Integer.MAX_VALUE - 8) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value
                + "': expected a number of bytes between 1 and " + (Integer.MAX_VALUE - 8));
    }

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

    /** Captured up to {@link #defaultCaptureLimit()}. */
    static OutputTarget capture() {
        return new Capture(defaultCaptureLimit());
    }

    static OutputTarget capture(long limitBytes) {
        return new Capture(limitBytes);
    }

    static OutputTarget streamTo(OutputStream output) {
        return new StreamTo(output);
    }
}
