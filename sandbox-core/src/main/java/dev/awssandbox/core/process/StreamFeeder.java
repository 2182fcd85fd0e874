package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies an {@link InputStream} (the CLI's stdin) into a command's stdin pipe on a thread of its
 * own, since reading the stream may block. When the command has exited, {@link #close()} closes
 * the pipe at once: a read that blocks then ends with the next bytes or end of file, and the
 * thread finds the pipe closed. Writes never block (a process that escaped the command may hold
 * the pipe without reading), and never touch the descriptor after {@link #close()}: its number may
 * already belong to someone else.
 */
final class StreamFeeder {
    private static final int CHUNK = 16 * 1024;
    private static final short POLLOUT = 0x4;

    private final InputStream input;
    private int fd;
    private boolean closed;

    private StreamFeeder(InputStream input, int fd) {
        this.input = input;
        this.fd = fd;
    }

    /** Starts copying {@code input} to {@code fd}, which it now owns. */
    static StreamFeeder start(InputStream input, int fd) {
        Libc.setNonBlocking(fd);
        StreamFeeder feeder = new StreamFeeder(input, fd);
        Thread.ofPlatform().name("aws-sandbox-stdin").daemon(true).start(feeder::copy);
        return feeder;
    }

    /** Closes the pipe (end of file for the command); safe to call more than once. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            fd = -1;
        }
    }

    private void copy() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            MemorySegment pollfd = arena.allocate(Libc.POLLFD);
            MemorySegment state = Libc.newCaptureState(arena);
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = input.read(chunk)) >= 0) {
                MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                for (int off = 0; off < n; ) {
                    long w;
                    int target;
                    synchronized (this) {
                        if (closed) {
                            return;
                        }
                        target = fd;
                        w = Libc.write(fd, buffer.asSlice(off), n - off, state);
                    }
                    if (w > 0) {
                        off += (int) w;
                    } else if (w == -Errno.EAGAIN) {
                        pollfd.set(ValueLayout.JAVA_INT, 0, target);
                        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLOUT);
                        Libc.poll(pollfd, 1, 100); // at worst a reused number: the next write checks closed first
                    } else if (w != -Errno.EINTR) {
                        return; // EPIPE: the first stage stopped reading
                    }
                }
            }
        } catch (IOException e) {
            // our stdin failed: the command sees end of file
        } finally {
            close();
        }
    }
}
