package dev.awssandbox.core.process;

import dev.awssandbox.core.CapturedOutput;
import dev.awssandbox.core.OutputTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one child stream to its end on an I/O thread, keeping at most the capture limit and
 * counting the rest, or copying everything to a stream as it arrives.
 */
final class OutputPump implements Runnable {
    private static final int CHUNK = 64 * 1024;

    private final InputStream input;
    private final OutputTarget target;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;
    private boolean truncated;
    private IOException failure;

    OutputPump(InputStream input, OutputTarget target) {
        this.input = input;
        this.target = target;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[CHUNK];
        try (input) {
            int n;
            while ((n = input.read(buffer)) >= 0) {
                accept(buffer, n);
            }
        } catch (IOException e) {
            synchronized (this) {
                failure = e;
            }
        }
    }

    private synchronized void accept(byte[] buffer, int n) throws IOException {
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
                stream.output().write(buffer, 0, n);
                stream.output().flush();
            }
        }
    }

    synchronized CapturedOutput result() {
        return new CapturedOutput(kept.toByteArray(), total, truncated);
    }

    synchronized IOException failure() {
        return failure;
    }
}
