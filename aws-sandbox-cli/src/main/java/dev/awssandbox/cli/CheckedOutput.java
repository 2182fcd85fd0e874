package dev.awssandbox.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The CLI's stdout as a stream that throws when a write fails. A {@link PrintStream} swallows its
 * errors, and the JVM ignores SIGPIPE, so without this the library never learns that the reader of
 * {@code aws-sandbox run -- yes | head -1} is gone: it read and dropped {@code yes}'s output for ever,
 * at full CPU (red team, round 27). Each write is flushed, so that the failure shows at once.
 * <p>
 * The JVM's own stdout is written through its descriptor, so that a failure keeps the system's reason: a reader that
 * went away (EPIPE) or a closed stdout (EBADF) is {@link ReaderGone}, which the CLI answers as {@code yes} does, by
 * the status alone; any other (a full disk, an I/O error) is an error to say, which it had taken for a gone reader
 * (outside test WF25, F1: a download into a full disk ended with 141, silently, the file cut short).
 */
final class CheckedOutput extends OutputStream {
    private final PrintStream out;
    /** The descriptor behind {@code out} when it is the JVM's stdout; null for any other stream (tests). */
    private final FileOutputStream direct;

    CheckedOutput(PrintStream out) {
        this.out = out;
        this.direct = out == System.out ? new FileOutputStream(FileDescriptor.out) : null;
    }

    /** The reader of aws-sandbox's stdout went away, or the stdout was closed: not an error to report. */
    static final class ReaderGone extends IOException {
        private static final long serialVersionUID = 1L;

        ReaderGone(String reason) {
            super("aws-sandbox's stdout was closed, or its reader exited (" + reason + ")");
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (direct == null) {
            out.write(b, off, len);
            check();
            return;
        }
        check(); // whatever was printed to it before goes first
        try {
            direct.write(b, off, len);
        } catch (IOException e) {
            String reason = String.valueOf(e.getMessage());
            if (stdoutIsAPipeOrClosed().orElseGet(() -> reason.contains("Broken pipe") || reason.contains("Bad file descriptor"))) {
                throw new ReaderGone(reason);
            }
            throw new IOException("writing to aws-sandbox's stdout failed: " + reason, e);
        }
    }

    @Override
    public void flush() throws IOException {
        check();
    }

    /** {@code checkError} flushes, then says whether any write or flush failed (EPIPE, or EBADF for a closed stdout). */
    private void check() throws IOException {
        if (out.checkError()) {
            throw new ReaderGone("a write to it failed");
        }
    }

    /**
     * Whether descriptor 1 is a pipe or a socket (a write there fails only when its reader has gone: EPIPE) or is closed
     * (EBADF), as {@code /proc} tells; empty where there is no {@code /proc} (macOS: the error's text decides). Not the
     * error's text, which is strerror's in the user's language (review: "Datenübergabe unterbrochen").
     */
    private static java.util.Optional<Boolean> stdoutIsAPipeOrClosed() {
        java.nio.file.Path fd = java.nio.file.Path.of("/proc/self/fd/1");
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd"))) {
            return java.util.Optional.empty();
        }
        try {
            String target = java.nio.file.Files.readSymbolicLink(fd).toString();
            if (target.startsWith("pipe:") || target.startsWith("socket:")) {
                return java.util.Optional.of(true);
            }
            // a stdout closed before the JVM started ('>&-'): the JVM opened a file of its own on descriptor 1, to
            // read (its module image), and a write there fails with EBADF
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/fdinfo/1"))) {
                if (line.startsWith("flags:")) {
                    return java.util.Optional.of((Integer.parseInt(line.substring(6).strip(), 8) & 3) == 0);
                }
            }
            return java.util.Optional.of(false);
        } catch (java.nio.file.NoSuchFileException closed) {
            return java.util.Optional.of(true);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether {@code e}, an output failure, is a reader's departure rather than a failed write. */
    static boolean readerGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReaderGone) {
                return true;
            }
        }
        return false;
    }
}
