package dev.awssandbox.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One output stream of a finished command.
 *
 * @param bytes      what was kept (empty when the stream was sent elsewhere)
 * @param totalBytes how many bytes the command wrote in all
 * @param truncated  whether bytes past the capture limit were dropped
 */
public record CapturedOutput(byte[] bytes, long totalBytes, boolean truncated) {

    public static final CapturedOutput NONE = new CapturedOutput(new byte[0], 0, false);

    public CapturedOutput {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The kept bytes as UTF-8 text (malformed input replaced). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedOutput other && Arrays.equals(bytes, other.bytes)
                && totalBytes == other.totalBytes && truncated == other.truncated;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Long.hashCode(totalBytes) + (truncated ? 1 : 0);
    }

    @Override
    public String toString() {
        return "CapturedOutput[" + bytes.length + " of " + totalBytes + " bytes" + (truncated ? ", truncated" : "") + "]";
    }
}
