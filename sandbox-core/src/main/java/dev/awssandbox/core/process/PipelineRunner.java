package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a pipeline (a single command is a pipeline of one): every stage started at once,
 * connected by OS pipes, so data streams between stages without passing through the JVM; only
 * the first stage's stdin, the last stage's stdout and each stage's stderr are the JVM's.
 * One deadline covers the whole pipeline; on expiry, cancellation, or when a stream the output
 * goes to fails, every stage's process group is killed.
 */
public final class PipelineRunner implements Engine {
    /** The engine; it holds no state of its own. */
    public static final PipelineRunner INSTANCE = new PipelineRunner();

    /** How long to wait for output once every stage has exited (a process that left its group may hold a pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    private PipelineRunner() {}

    /**
     * One stage ready to spawn: what it starts (perhaps through a wrapper program), and whether
     * that wrapper reports the command's death by signal N as exit status 128+N (bubblewrap does).
     */
    public record Stage(SpawnSpec spec, boolean wrapperFoldsSignals) {
        public Stage(SpawnSpec spec) {
            this(spec, false);
        }

        /** The command's own status: a signal death unfolded from the wrapper's exit status. */
        ProcessExit decode(ProcessExit status) {
            if (wrapperFoldsSignals && status.how() == ProcessExit.How.EXITED && status.status() > 128
                    && status.status() <= 128 + 64) {
                return new ProcessExit(ProcessExit.How.KILLED, status.status() - 128);
            }
            return status;
        }
    }

    /** The pipeline was interrupted (cancelled) and killed. */
    public static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled: every stage was killed");
        }
    }

    /**
     * A stream the pipeline's output was copied to failed (threw), so every stage was killed, as
     * SIGPIPE ends a shell's pipeline whose reader went away; the cause is the stream's exception.
     */
    public static final class OutputFailed extends Exception {
        private static final long serialVersionUID = 1L;

        OutputFailed(IOException cause) {
            super("writing its output failed (" + cause.getMessage() + "); every stage was killed", cause);
        }
    }

    /** Thrown by the wait when the output failed: every stage is killed as on a timeout. */
    private static final class OutputBroken extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * How one stage ended.
     *
     * @param status     its exit
     * @param brokenPipe it failed only because the next stage stopped reading early (killed by
     *                   SIGPIPE, or failed saying "Broken pipe" after its reader had gone)
     * @param stderr     what it wrote on stderr (when captured)
     * @param excerpt    the start of its stderr even when it was streamed elsewhere (for denial facts)
     * @param usage      what it used: CPU time, its cgroup's counters
     */
    public record StageOutcome(ProcessExit status, boolean brokenPipe, Captured stderr, String excerpt,
                               ChildReaper.Usage usage) {}

    /**
     * How a pipeline ended: each stage, the last stage's stdout, every stage's stderr together
     * (in stage order, up to the capture limit), whether the deadline killed it, and whether a
     * process that left a stage's process group still held an output open at the end.
     */
    public record Outcome(List<StageOutcome> stages, Captured stdout, Captured stderr, boolean timedOut,
                          boolean outputComplete, Duration duration) {}

    @Override
    public Outcome run(List<Stage> stages, Stdin stdin, OutputTarget stdout, OutputTarget stderr,
                              Optional<Duration> timeout)
            throws SpawnException, ErrnoException, ChildReaper.WaitFailed, Cancelled, OutputFailed {
        int n = stages.size();
        Descriptors fds = new Descriptors();
        List<ChildReaper.Child> children = new ArrayList<>(n);
        long start = System.nanoTime();
        IoLoop io = IoLoop.instance();
        CompletableFuture<IOException> outputFailed = new CompletableFuture<>();
        OutputSink outSink = new OutputSink(stdout, outputFailed);
        List<OutputSink> errSinks = new ArrayList<>(n);
        List<IoLoop.Channel> channels = new ArrayList<>(n + 2);
        Optional<StreamFeeder> feeder = Optional.empty();
        try {
            int[] stdinPipe = stdin instanceof Stdin.Empty ? null : fds.pipe();
            int previousRead = stdinPipe != null ? stdinPipe[0] : fds.devNull();
            int[] stdoutPipe = fds.pipe();
            for (int i = 0; i < n; i++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Cancelled(); // before spawning more; those already spawned are killed below
                }
                int[] link = i < n - 1 ? fds.pipe() : null;
                int[] err = fds.pipe();
                int childOut = link != null ? link[1] : stdoutPipe[1];
                // returns only once the spawn is over: no descriptor is closed while a spawning thread may use it
                try {
                    children.add(PosixSpawner.spawn(stages.get(i).spec(), previousRead, childOut, err[1]));
                } catch (SpawnException e) {
                    throw e.atStage(i); // under a wrapper (bwrap) the executable alone does not say which
                }
                // the child has its copies; ours of its ends must go, or readers never see EOF
                fds.close(previousRead);
                fds.close(childOut);
                fds.close(err[1]);
                OutputSink errSink = new OutputSink(stderr, outputFailed);
                errSinks.add(errSink);
                channels.add(io.read(fds.take(err[0]), errSink));
                previousRead = link != null ? link[0] : -1;
            }
            channels.add(io.read(fds.take(stdoutPipe[0]), outSink));
            if (stdinPipe != null) {
                feeder = feed(stdin, fds.take(stdinPipe[1]), io);
            }
        } catch (Throwable e) { // an Error too (no thread to be had for a later stage): the earlier ones must not run on
            for (ChildReaper.Child child : children) {
                child.signalTree(Libc.SIGKILL);
            }
            for (IoLoop.Channel channel : channels) {
                channel.abandon();
            }
            awaitAllQuietly(children); // killed, reaped and gone before we report why
            ChildReaper.instance().sweepOrphans();
            throw e;
        } finally {
            fds.closeAll();
        }

        boolean timedOut = false;
        List<ProcessExit> statuses;
        try {
            try {
                statuses = awaitAll(stages, children, timeout.map(t -> System.nanoTime() + t.toNanos()), outputFailed);
            } catch (TimeoutException | OutputBroken e) {
                // the one kill path of a pipeline that must stop: the deadline, or nobody left to read its output
                timedOut = e instanceof TimeoutException;
                killAll(children);
                statuses = awaitAllUninterruptibly(stages, children);
            }
        } catch (InterruptedException | ChildReaper.WaitFailed e) {
            // cancelled, or one stage's exit was lost: nothing of the pipeline may go on running
            killAll(children);
            awaitAllQuietly(children);
            feeder.ifPresent(StreamFeeder::close);
            for (IoLoop.Channel channel : channels) {
                channel.abandon();
            }
            ChildReaper.instance().sweepOrphans();
            if (e instanceof ChildReaper.WaitFailed lost) {
                throw lost;
            }
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        feeder.ifPresent(StreamFeeder::close); // the command is gone: its stdin pipe goes too
        List<ProcessExit> decoded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            decoded.add(stages.get(i).decode(statuses.get(i)));
        }
        statuses = decoded;
        ChildReaper.instance().sweepOrphans();
        boolean complete = true;
        for (IoLoop.Channel channel : channels) {
            complete &= join(channel);
        }

        boolean[] brokenPipe = new boolean[n];
        for (int i = 0; i < n - 1; i++) {
            ProcessExit status = statuses.get(i);
            // killed by SIGPIPE, or (Python ignores SIGPIPE) it says so after its reader had gone, or its
            // reader ended well (head -c 10 did its work and closed the pipe): the order alone is no proof, a
            // reader often exits right after its writer failed; nor is it sure, two exits seen in one poll
            // are reaped in the poll's order (the CI of 2026-12-04 saw python3 | head -c 10 fail so)
            brokenPipe[i] = !timedOut && !status.isSuccess() && (status.killedBy(Libc.SIGPIPE)
                    || ((children.get(i + 1).exitOrder() < children.get(i).exitOrder() || statuses.get(i + 1).isSuccess())
                            && mentionsBrokenPipe(errSinks.get(i).excerpt())));
        }
        if (outputFailed.isDone()) {
            // also when every stage had ended by itself: the caller did not get all of the output
            throw new OutputFailed(outputFailed.join());
        }
        List<ChildReaper.Usage> usages = children.stream().map(ChildReaper.Child::usage).toList();
        return assemble(statuses, usages, brokenPipe, timedOut, complete, outSink, errSinks, stderr, duration);
    }

    /** The outcome of a finished pipeline, for either engine. */
    static Outcome assemble(List<ProcessExit> statuses, List<ChildReaper.Usage> usages, boolean[] brokenPipe,
                            boolean timedOut, boolean complete,
                            OutputSink outSink, List<OutputSink> errSinks, OutputTarget stderr, Duration duration) {
        List<StageOutcome> stages = new ArrayList<>(statuses.size());
        for (int i = 0; i < statuses.size(); i++) {
            stages.add(new StageOutcome(statuses.get(i), brokenPipe[i], errSinks.get(i).result(), errSinks.get(i).excerpt(),
                    usages.get(i)));
        }
        return new Outcome(stages, outSink.result(), combine(errSinks, stderr), timedOut, complete, duration);
    }

    static boolean mentionsBrokenPipe(String stderr) {
        return stderr.contains("Broken pipe") || stderr.contains("BrokenPipeError") || stderr.contains("EPIPE");
    }

    private static void killAll(List<ChildReaper.Child> children) {
        for (ChildReaper.Child child : children) {
            child.signalTree(Libc.SIGKILL);
        }
    }

    /** Every child's exit, in order; gives up when the deadline passes or the output fails. */
    private static List<ProcessExit> awaitAll(List<Stage> stages, List<ChildReaper.Child> children, Optional<Long> deadline,
                                              CompletableFuture<IOException> outputFailed)
            throws TimeoutException, InterruptedException, ChildReaper.WaitFailed, OutputBroken {
        List<ProcessExit> statuses = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            ChildReaper.Child child = children.get(i);
            try {
                CompletableFuture<Object> first = CompletableFuture.anyOf(child.onExit(), outputFailed);
                if (deadline.isPresent()) {
                    long remaining = deadline.get() - System.nanoTime();
                    first.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                } else {
                    first.get();
                }
                if (outputFailed.isDone()) {
                    throw new OutputBroken();
                }
                statuses.add(child.onExit().get());
            } catch (ExecutionException e) {
                throw lost(stages, i, child, e);
            }
        }
        return statuses;
    }

    /** Waits for every child, however often interrupted (the interrupt is kept); the first lost exit is thrown at the end. */
    private static List<ProcessExit> awaitAllUninterruptibly(List<Stage> stages, List<ChildReaper.Child> children)
            throws ChildReaper.WaitFailed {
        ChildReaper.WaitFailed failure = null;
        List<ProcessExit> statuses = new ArrayList<>(children.size());
        for (int i = 0; i < children.size(); i++) {
            ChildReaper.Child child = children.get(i);
            try {
                statuses.add(Uninterruptibly.get(child.onExit()));
            } catch (ExecutionException e) {
                failure = failure != null ? failure : lost(stages, i, child, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return statuses;
    }

    /** Waits for every child to be gone, for a pipeline that is already failing for another reason. */
    private static void awaitAllQuietly(List<ChildReaper.Child> children) {
        for (ChildReaper.Child child : children) {
            try {
                Uninterruptibly.get(child.onExit());
            } catch (ExecutionException e) {
                // the reaper killed it and gave up on its status: nothing more to wait for
            }
        }
    }

    /** "stage 2 (/usr/bin/jq, pid 123): waitid(...) failed: ECHILD (No child processes)". */
    private static ChildReaper.WaitFailed lost(List<Stage> stages, int index, ChildReaper.Child child, ExecutionException e) {
        String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : String.valueOf(e.getCause());
        ChildReaper.WaitFailed failure = new ChildReaper.WaitFailed("lost track of stage " + (index + 1) + " ("
                + stages.get(index).spec().executable() + ", pid " + child.pid() + "): " + why
                + "; every stage was killed");
        failure.initCause(e.getCause());
        return failure;
    }

    private static Captured combine(List<OutputSink> sinks, OutputTarget target) {
        if (sinks.size() == 1) {
            return sinks.getFirst().result();
        }
        long limit = target instanceof OutputTarget.Capture c ? c.limitBytes() : 0;
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        long total = 0;
        boolean truncated = false;
        for (OutputSink sink : sinks) {
            Captured part = sink.result();
            total += part.totalBytes();
            truncated |= part.truncated();
            byte[] bytes = part.bytes();
            int room = (int) Math.max(0, limit - kept.size());
            kept.write(bytes, 0, Math.min(room, bytes.length));
            truncated |= bytes.length > room;
        }
        return new Captured(kept.toByteArray(), total, truncated);
    }

    /** Waits for a pipe to drain; gives up (and closes it) when an escaped process holds it open. */
    private static boolean join(IoLoop.Channel channel) {
        try {
            channel.done().get(OUTPUT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // fall through
        }
        channel.abandon();
        return false;
    }

    /** Bytes go through the I/O loop; a stream (the CLI's stdin) is copied by a feeder thread, since reading it may block. */
    private static Optional<StreamFeeder> feed(Stdin source, int fd, IoLoop io) throws ErrnoException {
        switch (source) {
            case Stdin.Bytes bytes -> io.write(fd, bytes.data());
            case Stdin.Stream stream -> {
                return Optional.of(StreamFeeder.start(stream.input(), fd));
            }
            case Stdin.Empty empty -> Libc.close(fd);
        }
        return Optional.empty();
    }

    /** The raw descriptors of one launch; whatever is still open at the end is closed. */
    private static final class Descriptors {
        private final List<Integer> open = new ArrayList<>();

        int[] pipe() throws ErrnoException {
            int[] p = Libc.pipe();
            open.add(p[0]);
            open.add(p[1]);
            return p;
        }

        int devNull() throws ErrnoException {
            int fd = Libc.open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC);
            open.add(fd);
            return fd;
        }

        /** Hands {@code fd} over to the caller, who closes it. */
        int take(int fd) {
            open.remove(Integer.valueOf(fd));
            return fd;
        }

        void close(int fd) {
            if (fd >= 0 && open.remove(Integer.valueOf(fd))) {
                Libc.close(fd);
            }
        }

        void closeAll() {
            for (int fd : open) {
                Libc.close(fd);
            }
            open.clear();
        }
    }
}
