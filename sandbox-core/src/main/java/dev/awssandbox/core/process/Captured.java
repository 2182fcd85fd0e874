package dev.awssandbox.core.process;

/**
 * One output stream of a finished command: the bytes kept, how many it wrote in all, and whether
 * bytes past the capture limit were dropped. Owned by the engine until the API copies it.
 */
public record Captured(byte[] bytes, long totalBytes, boolean truncated) {
    public static final Captured NONE = new Captured(new byte[0], 0, false);
}
