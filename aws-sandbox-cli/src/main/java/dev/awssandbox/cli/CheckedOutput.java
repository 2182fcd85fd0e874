package dev.awssandbox.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The CLI's stdout as a stream that throws when a write fails. A {@link PrintStream} swallows its
 * errors, and the JVM ignores SIGPIPE, so without this the library never learns that the reader of
 * {@code aws-sandbox run -- yes | head -1} is gone: it read and dropped {@code yes}'s output for ever,
 * at full CPU (red team, round 27). Each write is flushed, so that the failure shows at once.
 */
final class CheckedOutput extends OutputStream {
    private final PrintStream out;

    CheckedOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        check();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        check();
    }

    @Override
    public void flush() throws IOException {
        check();
    }

    /** {@code checkError} flushes, then says whether any write or flush failed (EPIPE, or EBADF for a closed stdout). */
    private void check() throws IOException {
        if (out.checkError()) {
            throw new IOException("aws-sandbox's stdout was closed, or its reader exited");
        }
    }
}
