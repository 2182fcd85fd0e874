package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One platform thread that moves the bytes of every child's pipes: it polls all of them at
 * once, reads what is ready into the right {@link OutputSink}, and writes stdin data in chunks
 * that never block ({@code PIPE_BUF} after {@code POLLOUT}). So a running command holds no
 * thread of its own, however many run at once. Each pipe descriptor handed to the loop is owned
 * by it and closed at end of file, after the last write, or on {@link Channel#abandon()}.
 *
 * <p>A {@link OutputTarget.StreamTo} stream is written on this thread: give it streams that do not
 * block for long (a terminal, a file, a buffer).
 */
final class IoLoop {
    private static final IoLoop INSTANCE = new IoLoop();
    private static final int CHUNK = 256 * 1024;
    private static final int PIPE_BUF = 4096;
    /** Our pipes' capacity; 1 MiB is the unprivileged maximum by default (/proc/sys/fs/pipe-max-size). */
    private static final int PIPE_SIZE = 1 << 20;
    /** Reads per readiness before the loop turns to other pipes. */
    private static final int READS_PER_TURN = 16;
    private static final short POLLOUT = 0x4;

    private final ConcurrentLinkedQueue<Channel> pending = new ConcurrentLinkedQueue<>();
    private final Object startLock = new Object();
    /** Volatile: {@link Channel#abandon()} wakes the loop without taking the start lock. */
    private volatile PollSet polls;
    private Thread thread;

    private IoLoop() {}

    static IoLoop instance() {
        return INSTANCE;
    }

    /** One descriptor the loop services until it completes. */
    abstract static sealed class Channel permits Reader, Writer {
        final int fd;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean abandoned;

        Channel(int fd) {
            this.fd = fd;
        }

        /** Completes when the pipe reached end of file (reader) or all data was written (writer). */
        CompletableFuture<Void> done() {
            return done;
        }

        /** Stop servicing it and close it (a process that escaped still holds the other end). */
        void abandon() {
            abandoned = true;
            INSTANCE.wakeQuietly();
        }
    }

    static final class Reader extends Channel {
        final OutputSink sink;

        Reader(int fd, OutputSink sink) {
            super(fd);
            this.sink = sink;
        }
    }

    static final class Writer extends Channel {
        /** Read-only view of the caller's bytes: never copied whole (100 MB of stdin once cost 500 MB of heap). */
        final java.nio.ByteBuffer data;

        Writer(int fd, java.nio.ByteBuffer data) {
            super(fd);
            this.data = data;
        }
    }

    /** Reads {@code fd} to end of file into {@code sink}; the loop owns and closes {@code fd}. */
    Reader read(int fd, OutputSink sink) throws ErrnoException {
        Libc.setNonBlocking(fd);
        Libc.fcntl(fd, Libc.F_SETPIPE_SZ, PIPE_SIZE); // fewer wake-ups for big outputs; best effort
        Reader reader = new Reader(fd, sink);
        register(reader);
        return reader;
    }

    /** Writes {@code data} to {@code fd}, then closes it (also if the reader went away). */
    Writer write(int fd, java.nio.ByteBuffer data) throws ErrnoException {
        Libc.setNonBlocking(fd);
        Writer writer = new Writer(fd, data);
        register(writer);
        return writer;
    }

    private void register(Channel channel) throws ErrnoException {
        synchronized (startLock) {
            if (thread == null) {
                if (polls == null) {
                    polls = new PollSet();
                }
                // created from an ordinary, unrestricted thread
                Thread loop = Thread.ofPlatform().name("aws-sandbox-io").daemon(true).unstarted(this::loop);
                loop.start(); // may throw (no thread to be had): then the next command tries again
                thread = loop;
            }
        }
        pending.add(channel);
        wake();
    }

    private void wake() throws ErrnoException {
        int errno = polls.wake();
        if (errno != 0) {
            throw new ErrnoException("eventfd write", errno);
        }
    }

    private void wakeQuietly() {
        try {
            wake();
        } catch (ErrnoException e) {
            // the loop is gone only with the JVM
        }
    }

    private void loop() {
        List<Channel> channels = new ArrayList<>();
        byte[] heap = new byte[CHUNK];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            MemorySegment state = Libc.newCaptureState(arena);
            while (true) {
                for (Channel c; (c = pending.poll()) != null; ) {
                    channels.add(c);
                }
                channels.removeIf(c -> {
                    if (c.abandoned) {
                        finish(c);
                        return true;
                    }
                    return false;
                });
                if (!polls.poll(channels, c -> c.fd, c -> c instanceof Reader ? Libc.POLLIN : POLLOUT)) {
                    continue; // EINTR
                }
                List<Channel> still = new ArrayList<>(channels.size());
                for (int i = 0; i < channels.size(); i++) {
                    Channel c = channels.get(i);
                    boolean open = polls.revents(i) == 0 || switch (c) {
                        case Reader r -> readOnce(r, buffer, heap, state);
                        case Writer w -> writeOnce(w, buffer, state);
                    };
                    if (open) {
                        still.add(c);
                    } else {
                        finish(c);
                    }
                }
                channels = still;
            }
        }
    }

    /** Reads until the pipe is empty (it is non-blocking) or a turn is used up; false at end of file or on error. */
    private static boolean readOnce(Reader r, MemorySegment buffer, byte[] heap, MemorySegment state) {
        for (int i = 0; i < READS_PER_TURN; i++) {
            long n = Libc.read(r.fd, buffer, CHUNK, state);
            if (n > 0) {
                if (r.sink.wantsBytes()) {
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, heap, 0, (int) n);
                    r.sink.accept(heap, (int) n);
                } else {
                    r.sink.skip((int) n); // past the capture limit: count, do not copy
                }
                if (n < CHUNK) {
                    return true; // drained: back to poll without a read that would say EAGAIN
                }
            } else {
                return n == -Errno.EINTR || n == -Errno.EAGAIN;
            }
        }
        return true;
    }

    /** One write of at most PIPE_BUF bytes; false when all is written or the reader is gone. */
    private static boolean writeOnce(Writer w, MemorySegment buffer, MemorySegment state) {
        int length = Math.min(PIPE_BUF, w.data.remaining());
        if (length == 0) {
            return false;
        }
        MemorySegment.copy(MemorySegment.ofBuffer(w.data.slice(w.data.position(), length)), 0, buffer, 0, length);
        long n = Libc.write(w.fd, buffer, length, state);
        if (n > 0) {
            w.data.position(w.data.position() + (int) n);
            return w.data.hasRemaining();
        }
        return n == -Errno.EINTR || n == -Errno.EAGAIN; // EPIPE: the child stopped reading
    }


    private static void finish(Channel c) {
        Libc.close(c.fd);
        // completions run on a virtual thread, never on the loop
        Thread.startVirtualThread(() -> c.done.complete(null));
    }
}
