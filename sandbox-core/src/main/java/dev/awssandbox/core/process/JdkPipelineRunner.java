package dev.awssandbox.core.process;


import dev.awssandbox.core.posix.Posix;
import dev.awssandbox.core.posix.PosixException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The portable engine, for macOS (and, when selected explicitly, Linux): no pidfds, no glibc
 * extensions, no restricted thread. Only for backends that wrap the command in a program
 * (Seatbelt's {@code sandbox-exec}); a spec carrying a thread restriction or descriptor 3 is
 * refused.
 *
 * <p><b>Killing whole trees.</b> The JDK cannot help here: {@link ProcessBuilder} has no way to
 * give a child its own process group or session, {@link ProcessHandle} can only kill the
 * descendants it can see in one snapshot (a command that keeps forking outruns it, and a
 * double-forked child is no descendant at all), and Java cannot signal a process group. So each
 * stage is started with {@code posix_spawn(POSIX_SPAWN_SETSID)} through FFM (macOS 10.15+,
 * glibc 2.26+): it leads a new session and process group, which everything it starts inherits.
 * {@link SessionChild} kills that group with {@code kill(-pgid, SIGKILL)} when the stage's first
 * process exits (background and double-forked children die with it), at the deadline and on
 * cancellation, while that first process is still unreaped, so the group id cannot have been
 * reused. Alternatives rejected: {@code /usr/bin/setsid} does not exist on macOS; a shell
 * ({@code set -m}) would make a group for a grandchild, not for the process we hold; setting
 * the group from the parent after the spawn races with the child's first fork.
 *
 * <p><b>Limits.</b> A process that leaves its group ({@code setsid}) is not reached: Linux's
 * engine catches those as child subreaper, macOS has no subreaper. On Linux, do not run this
 * engine while the JVM is subreaper and the Linux engine runs too: its orphan sweep would take
 * these children for escaped ones.
 *
 * <p>Statuses are the kernel's: a stage killed by a signal is {@link ProcessExit.How#KILLED}, not an
 * exit code. Output is pumped by one platform thread per pipe, which polls so that it can give up
 * on a pipe an escaped process holds open.
 */
public final class JdkPipelineRunner implements Engine {
    /** The engine; it holds no state of its own. */
    public static final JdkPipelineRunner INSTANCE = new JdkPipelineRunner();

    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
    private static final int POLL_MILLIS = 200;
    private static final int CHUNK = 64 * 1024;

    private JdkPipelineRunner() {}

    @Override
    public PipelineRunner.Outcome run(List<PipelineRunner.Stage> stages, Stdin stdin, OutputTarget stdout,
                                             OutputTarget stderr, Optional<Duration> timeout)
            throws IOException, SpawnException, PipelineRunner.Cancelled, PipelineRunner.OutputFailed {
        for (PipelineRunner.Stage stage : stages) {
            SpawnSpec spec = stage.spec();
            if (spec.restriction() != dev.awssandbox.core.linux.ThreadRestriction.NONE || spec.descriptor3().isPresent()) {
                throw new IllegalArgumentException("the portable engine cannot restrict a thread or pass descriptors");
            }
        }
        int n = stages.size();
        List<SessionChild> children = new ArrayList<>(n);
        // whether stage i+1 had stopped reading when stage i's exit was seen (see readerGone)
        boolean[] readerGone = new boolean[n];
        List<Pump> pumps = new ArrayList<>(n + 1);
        List<OutputSink> errSinks = new ArrayList<>(n);
        CompletableFuture<IOException> outputFailed = new CompletableFuture<>();
        OutputSink outSink = new OutputSink(stdout, outputFailed);
        List<Integer> open = new ArrayList<>();
        long start = System.nanoTime();
        try {
            int[] stdinPipe = stdin instanceof Stdin.Empty ? null : track(Posix.pipe(), open);
            int previousRead = stdinPipe != null ? stdinPipe[0] : -1; // -1: /dev/null
            int[] stdoutPipe = track(Posix.pipe(), open);
            for (int i = 0; i < n; i++) {
                int[] link = i < n - 1 ? track(Posix.pipe(), open) : null;
                int[] err = track(Posix.pipe(), open);
                int childOut = link != null ? link[1] : stdoutPipe[1];
                SessionChild child;
                try {
                    child = spawn(stages.get(i).spec(), previousRead, childOut, err[1]);
                } catch (SpawnException e) {
                    throw e.atStage(i); // under a wrapper (sandbox-exec) the executable alone does not say which
                }
                children.add(child);
                if (link != null) {
                    watchReader(child, take(link[1], open), readerGone, i);
                }
                // the child has its copies; ours of its ends must go, or readers never see end of file
                close(previousRead, open);
                close(childOut, open);
                close(err[1], open);
                OutputSink errSink = new OutputSink(stderr, outputFailed);
                errSinks.add(errSink);
                pumps.add(Pump.start(take(err[0], open), errSink));
                previousRead = link != null ? link[0] : -1;
            }
            pumps.add(Pump.start(take(stdoutPipe[0], open), outSink));
            if (stdinPipe != null) {
                int fd = take(stdinPipe[1], open);
                Thread.ofPlatform().daemon(true).name("aws-sandbox-stdin").start(() -> feed(stdin, fd));
            }
        } catch (SpawnException | RuntimeException e) {
            abandon(children, pumps);
            throw e;
        } catch (PosixException e) {
            abandon(children, pumps);
            throw new IOException(e.getMessage(), e);
        } finally {
            for (int fd : open) {
                Posix.close(fd);
            }
        }

        boolean timedOut = false;
        List<ProcessExit> statuses;
        try {
            statuses = awaitAll(children, timeout.map(t -> start + t.toNanos()), outputFailed);
        } catch (TimeoutException | OutputBroken e) {
            // the one kill path of a pipeline that must stop: the deadline, or nobody left to read its output
            timedOut = e instanceof TimeoutException;
            children.forEach(SessionChild::killTree);
            statuses = awaitAllUninterruptibly(children);
        } catch (InterruptedException e) {
            children.forEach(SessionChild::killTree);
            awaitAllUninterruptibly(children);
            pumps.forEach(Pump::abandon);
            Thread.currentThread().interrupt();
            throw new PipelineRunner.Cancelled();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        boolean complete = true;
        long grace = System.nanoTime() + OUTPUT_GRACE.toNanos();
        for (Pump pump : pumps) {
            complete &= pump.join(grace);
        }
        boolean[] brokenPipe = new boolean[n];
        for (int i = 0; i < n - 1; i++) {
            ProcessExit status = statuses.get(i);
            // killed by SIGPIPE, or (Python ignores SIGPIPE) it says so after its reader had gone
            brokenPipe[i] = !timedOut && !status.isSuccess()
                    && (status.killedBy(Posix.SIGPIPE)
                            || (readerGone[i] && PipelineRunner.mentionsBrokenPipe(errSinks.get(i).excerpt())));
        }
        if (outputFailed.isDone()) {
            // also when every stage had ended by itself: the caller did not get all of the output
            throw new PipelineRunner.OutputFailed(outputFailed.join());
        }
        // the JDK reports neither a child's CPU time nor cgroups (this engine runs where Linux's are not)
        List<ChildReaper.Usage> usages = java.util.Collections.nCopies(statuses.size(), ChildReaper.Usage.NONE);
        return PipelineRunner.assemble(statuses, usages, brokenPipe, timedOut, complete, outSink, errSinks, stderr,
                duration);
    }

    /**
     * Keeps the JVM's copy of a writer's end of the pipe to the next stage until the writer
     * exits, then asks whether that pipe still had a reader, and closes it. The question is exact:
     * holding a write end, the JVM keeps the reader from seeing end of file, so a reader that is
     * gone by then stopped reading on its own ({@code head}, which closes its input before it
     * exits), not because the writer failed. Exit order would not tell: {@code head} may still be
     * running when the writer it cut off has died, and a reader fed nothing exits right after its
     * writer failed.
     */
    private static void watchReader(SessionChild writer, int writeEnd, boolean[] readerGone, int index) {
        writer.whenLeaderExits(() -> {
            readerGone[index] = Posix.pipeHasNoReader(writeEnd);
            Posix.close(writeEnd);
        });
    }

    /** Thrown by the wait when the output failed: every stage is killed as on a timeout. */
    private static final class OutputBroken extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** A launch failed half-way: kill what started (their waiters reap them), stop reading. */
    private static void abandon(List<SessionChild> children, List<Pump> pumps) {
        children.forEach(SessionChild::killTree);
        pumps.forEach(Pump::abandon);
    }

    private static SessionChild spawn(SpawnSpec spec, int stdinFd, int stdoutFd, int stderrFd) throws SpawnException {
        String[] argv = spec.argv().toArray(String[]::new);
        String[] envp = spec.environment().entrySet().stream().map(Map.Entry::getKey)
                .map(k -> k + "=" + spec.environment().get(k)).toArray(String[]::new);
        try {
            return SessionChild.start(spec.executable().toString(), argv, envp, spec.workingDirectory().toString(),
                    stdinFd, stdoutFd, stderrFd);
        } catch (PosixException e) {
            // the classic errno values (ENOENT, EACCES, E2BIG, ENOEXEC) are the same on Darwin and Linux
            throw new SpawnException(SpawnException.Step.SPAWN, e.errno(), spec.executable(),
                    "cannot execute " + spec.executable() + ": " + Posix.describe(e.errno()));
        }
    }

    private static int[] track(int[] pipe, List<Integer> open) {
        open.add(pipe[0]);
        open.add(pipe[1]);
        return pipe;
    }

    private static void close(int fd, List<Integer> open) {
        if (fd >= 0 && open.remove(Integer.valueOf(fd))) {
            Posix.close(fd);
        }
    }

    private static int take(int fd, List<Integer> open) {
        open.remove(Integer.valueOf(fd));
        return fd;
    }

    /** Every child's exit, in order; gives up when the deadline passes or the output fails. */
    private static List<ProcessExit> awaitAll(List<SessionChild> children, Optional<Long> deadline,
                                              CompletableFuture<IOException> outputFailed)
            throws TimeoutException, InterruptedException, OutputBroken {
        List<ProcessExit> statuses = new ArrayList<>(children.size());
        for (SessionChild child : children) {
            CompletableFuture<ProcessExit> exit = child.onExit();
            try {
                CompletableFuture<Object> first = CompletableFuture.anyOf(exit, outputFailed);
                if (deadline.isPresent()) {
                    first.get(Math.max(0, deadline.get() - System.nanoTime()), TimeUnit.NANOSECONDS);
                } else {
                    first.get();
                }
                if (outputFailed.isDone()) {
                    throw new OutputBroken();
                }
                statuses.add(exit.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for pid " + child.pid() + " failed: " + e.getCause(), e.getCause());
            }
        }
        return statuses;
    }

    private static List<ProcessExit> awaitAllUninterruptibly(List<SessionChild> children) {
        List<ProcessExit> statuses = new ArrayList<>(children.size());
        for (SessionChild child : children) {
            try {
                statuses.add(Uninterruptibly.get(child.onExit()));
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for pid " + child.pid() + " failed: " + e.getCause(), e.getCause());
            }
        }
        return statuses;
    }

    /** Copies the request's stdin into the first stage; stops when it stops reading (EPIPE). */
    private static void feed(Stdin source, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            MemorySegment state = Posix.newCaptureState(arena);
            switch (source) {
                case Stdin.Bytes bytes -> {
                    java.nio.ByteBuffer data = bytes.data().duplicate();
                    byte[] chunk = new byte[CHUNK];
                    while (data.hasRemaining()) {
                        int r = Math.min(CHUNK, data.remaining());
                        data.get(chunk, 0, r);
                        if (!writeAll(fd, chunk, r, buffer, state)) {
                            break;
                        }
                    }
                }
                case Stdin.Stream stream -> {
                    byte[] chunk = new byte[CHUNK];
                    InputStream input = stream.input();
                    int r;
                    while ((r = input.read(chunk)) >= 0) {
                        if (!writeAll(fd, chunk, r, buffer, state)) {
                            break;
                        }
                    }
                }
                case Stdin.Empty empty -> { }
            }
        } catch (IOException e) {
            // our stdin failed: the child sees end of file
        } finally {
            Posix.close(fd);
        }
    }

    private static boolean writeAll(int fd, byte[] data, int length, MemorySegment buffer, MemorySegment state) {
        for (int off = 0; off < length; ) {
            int n = (int) Math.min(buffer.byteSize(), length - off);
            MemorySegment.copy(data, off, buffer, ValueLayout.JAVA_BYTE, 0, n);
            for (int done = 0; done < n; ) {
                long w = Posix.write(fd, buffer.asSlice(done), n - done, state);
                if (w == -Posix.EINTR) {
                    continue;
                }
                if (w < 0) {
                    return false; // EPIPE: the first stage stopped reading
                }
                done += (int) w;
            }
            off += n;
        }
        return true;
    }

    /** Drains one pipe into a sink on a platform thread; polls, so that it can be abandoned. */
    private static final class Pump {
        private final int fd;
        private final OutputSink sink;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile boolean abandoned;

        private Pump(int fd, OutputSink sink) {
            this.fd = fd;
            this.sink = sink;
        }

        static Pump start(int fd, OutputSink sink) {
            Pump pump = new Pump(fd, sink);
            Thread.ofPlatform().daemon(true).name("aws-sandbox-pump").start(pump::loop);
            return pump;
        }

        private void loop() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(CHUNK);
                MemorySegment state = Posix.newCaptureState(arena);
                byte[] bytes = new byte[CHUNK];
                while (!abandoned) {
                    int events = Posix.poll(fd, Posix.POLLIN, POLL_MILLIS);
                    if (events == 0 || events == -Posix.EINTR) {
                        continue;
                    }
                    long r = Posix.read(fd, buffer, CHUNK, state);
                    if (r == -Posix.EINTR || r == -Posix.EAGAIN) {
                        continue;
                    }
                    if (r <= 0) {
                        break; // end of file: every writer has closed the pipe
                    }
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) r);
                    sink.accept(bytes, (int) r);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            } finally {
                Posix.close(fd);
                done.complete(null);
            }
        }

        /** Waits until {@code deadline} (nanoTime) for end of file; gives up on the pipe after it. */
        boolean join(long deadline) {
            try {
                done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // fall through
            }
            abandon();
            return false;
        }

        void abandon() {
            abandoned = true;
        }
    }
}
