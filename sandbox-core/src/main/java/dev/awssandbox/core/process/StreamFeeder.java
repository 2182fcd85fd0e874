package dev.awssandbox.core.process;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Copies an {@link InputStream} (the CLI's stdin) into a command's stdin pipe. Reading the stream
 * may block, and a blocked {@code read} cannot be taken back: so each stream has one reader
 * thread, shared by every command that reads the stream, in turn (the first to attach gets the
 * bytes until its pipe is closed, then the next). When a command has exited, {@link #close()}
 * closes its pipe at once; a read still blocked then does not hold a thread per command: its
 * bytes go to the next command that reads the stream, and the thread ends as soon as it holds
 * bytes that no command is waiting for (they are kept for the next one, at most one chunk) or the
 * stream ends. So a stream that never ends costs one thread, however many commands read it (it
 * used to be one per command, each blocked forever); a stream that nobody reads any more is not
 * kept once nothing of it is pending.
 *
 * <p>Writes never block (a process that escaped the command may hold the pipe without reading),
 * and never touch a descriptor after its {@link #close()}: its number may already belong to
 * someone else. A command that stops reading (EPIPE) loses only what was already in its pipe.
 */
final class StreamFeeder {
    private static final int CHUNK = 16 * 1024;
    private static final short POLLOUT = 0x4;
    private static final VarHandle POLLFD_FD = Posix.POLLFD.varHandle(groupElement("fd"));
    private static final VarHandle POLLFD_EVENTS = Posix.POLLFD.varHandle(groupElement("events"));
    /** The reader of each stream that has one; a reader leaves when its stream ends or fails. */
    private static final Map<InputStream, Reader> READERS = new IdentityHashMap<>();

    private int fd;
    private boolean closed;

    private StreamFeeder(int fd) {
        this.fd = fd;
    }

    /** Starts copying {@code input} to {@code fd}, which it now owns, once earlier readers of {@code input} are done. */
    static StreamFeeder start(InputStream input, int fd) {
        Libc.setNonBlocking(fd);
        StreamFeeder feeder = new StreamFeeder(fd);
        synchronized (READERS) { // lock order: READERS, then a Reader
            READERS.computeIfAbsent(input, Reader::new).attach(feeder);
        }
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

    synchronized boolean isClosed() {
        return closed;
    }

    /** How many streams have a reader now: a thread, or bytes kept for the next command (tests). */
    static int readers() {
        synchronized (READERS) {
            return READERS.size();
        }
    }

    /**
     * Writes {@code length} bytes of {@code buffer} from {@code offset}, without blocking for long;
     * returns how many were written before the pipe was closed or its reader went away (EPIPE).
     */
    private int write(MemorySegment buffer, int offset, int length, MemorySegment pollfd, MemorySegment state) {
        int off = offset;
        while (off < offset + length) {
            long w;
            int target;
            synchronized (this) {
                if (closed) {
                    break;
                }
                target = fd;
                w = Libc.write(fd, buffer.asSlice(off), offset + length - off, state);
            }
            if (w > 0) {
                off += (int) w;
            } else if (w == -Errno.EAGAIN) {
                POLLFD_FD.set(pollfd, 0L, target);
                POLLFD_EVENTS.set(pollfd, 0L, POLLOUT);
                Libc.poll(pollfd, 1, 100); // at worst a reused number: the next write checks closed first
            } else if (w != -Errno.EINTR) {
                close(); // EPIPE: the first stage stopped reading
                break;
            }
        }
        return off - offset;
    }

    /** The one thread that reads a stream, while some command waits for its bytes or a read is under way. */
    private static final class Reader {
        private final InputStream input;
        /** Commands waiting for the stream's bytes, the one being fed first. */
        private final ArrayDeque<StreamFeeder> feeders = new ArrayDeque<>();
        /** Bytes read and not yet written to any command (kept for the next one). */
        private final byte[] pending = new byte[CHUNK];
        private int pendingOffset;
        private int pendingLength;
        private boolean running;

        Reader(InputStream input) {
            this.input = input;
        }

        void attach(StreamFeeder feeder) {
            synchronized (this) {
                feeders.add(feeder);
                if (running) {
                    return;
                }
                running = true;
            }
            // created from the caller's thread (unrestricted: never a spawning thread)
            try {
                Thread.ofPlatform().name("aws-sandbox-stdin").daemon(true).start(this::run);
            } catch (Throwable e) { // no thread to be had: the next command's attach tries again
                synchronized (this) {
                    feeders.remove(feeder);
                    running = false;
                }
                throw e;
            }
        }

        /** The command to feed now, or null, in which case the thread ends ({@code running} cleared in the same step). */
        private synchronized StreamFeeder current() {
            StreamFeeder head;
            while ((head = feeders.peek()) != null && head.isClosed()) {
                feeders.poll();
            }
            if (head == null) {
                running = false;
            }
            return head;
        }

        private void run() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(CHUNK);
                MemorySegment pollfd = arena.allocate(Posix.POLLFD);
                MemorySegment state = Libc.newCaptureState(arena);
                while (true) {
                    StreamFeeder feeder = current();
                    if (feeder == null) {
                        retireIfIdle();
                        return; // nobody waits: what was read stays pending for the next command
                    }
                    if (pendingLength == 0) {
                        int n;
                        try {
                            n = input.read(pending, 0, CHUNK); // may block past the command's end: see the class comment
                        } catch (IOException e) {
                            n = -1; // our stdin failed: the commands see end of file
                        }
                        if (n < 0) {
                            end();
                            return;
                        }
                        pendingOffset = 0;
                        pendingLength = n;
                        continue; // the command may have gone meanwhile: feed whoever waits now
                    }
                    MemorySegment.copy(pending, pendingOffset, buffer, ValueLayout.JAVA_BYTE, 0, pendingLength);
                    int written = feeder.write(buffer, 0, pendingLength, pollfd, state);
                    pendingOffset += written;
                    pendingLength -= written;
                }
            } catch (RuntimeException | Error e) {
                end();
                throw e;
            }
        }

        /** Forgets this reader when it holds nothing for a later command (the stream is then not kept either). */
        private void retireIfIdle() {
            synchronized (READERS) {
                synchronized (this) {
                    if (!running && feeders.isEmpty() && pendingLength == 0) {
                        READERS.remove(input, this);
                    }
                }
            }
        }

        /** The stream ended: every waiting command sees end of file, and a later one starts a new reader. */
        private void end() {
            synchronized (READERS) {
                READERS.remove(input, this);
            }
            synchronized (this) {
                running = false;
                for (StreamFeeder feeder : feeders) {
                    feeder.close();
                }
                feeders.clear();
            }
        }
    }
}
