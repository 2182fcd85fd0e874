package dev.awssandbox.core.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Where the bytes of one child stream go: kept up to the capture limit (the rest counted and
 * dropped, so memory stays bounded whatever the command writes), or copied to a stream.
 *
 * <p>A stream that throws (the CLI's stdout after its reader, {@code head}, exited) completes
 * {@code streamFailed}, which the engine waits on beside the children: it kills the pipeline,
 * as a shell's SIGPIPE would. Until then the sink goes on draining the child, writing nothing.
 */
final class OutputSink {
    /** How much of a streamed output is remembered for denial hints. */
    private static final int EXCERPT = 64 * 1024;

    private final OutputTarget target;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream excerpt = new ByteArrayOutputStream();
    private long total;
    private boolean truncated;
    /** Shared by every sink of one run; the first failure completes it. */
    private final CompletableFuture<IOException> streamFailed;

    OutputSink(OutputTarget target, CompletableFuture<IOException> streamFailed) {
        this.target = target;
        this.streamFailed = streamFailed;
    }

    /** Whether the next bytes would be kept or written; false once a capture is full (they are only counted). */
    synchronized boolean wantsBytes() {
        return !(target instanceof OutputTarget.Capture capture) || kept.size() < capture.limitBytes();
    }

    /** Counts bytes that {@link #wantsBytes()} said would be dropped. */
    synchronized void skip(int n) {
        total += n;
        truncated = true;
    }

    synchronized void accept(byte[] buffer, int n) {
        total += n;
        switch (target) {
            case OutputTarget.Capture capture -> {
                long room = capture.limitBytes() - kept.size();
                if (room >= n) {
                    kept.write(buffer, 0, n);
                } else {
                    if (room > 0) {
                        kept.write(buffer, 0, (int) room);
                    }
                    truncated = true;
                }
            }
            case OutputTarget.StreamTo stream -> {
                if (excerpt.size() < EXCERPT) {
                    excerpt.write(buffer, 0, Math.min(n, EXCERPT - excerpt.size()));
                }
                if (streamFailed.isDone()) {
                    return; // the pipeline is being killed: drain the child, drop what cannot be written
                }
                try {
                    stream.output().write(buffer, 0, n);
                    stream.output().flush();
                } catch (IOException e) {
                    streamFailed.complete(e);
                } catch (RuntimeException e) {
                    // the caller's code, on the one I/O thread every command shares: it must not end that thread
                    streamFailed.complete(new IOException(e));
                }
            }
        }
    }

    /** The first bytes of the output, whatever the target: what denial hints read. */
    synchronized String excerpt() {
        ByteArrayOutputStream source = target instanceof OutputTarget.StreamTo ? excerpt : kept;
        return source.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    synchronized Captured result() {
        return new Captured(kept.toByteArray(), total, truncated);
    }
}
