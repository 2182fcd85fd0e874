package dev.awssandbox.core.process;

import dev.awssandbox.core.CapturedOutput;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.ExitStatus;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.StageResult;
import dev.awssandbox.core.StdinSource;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a pipeline (a single command is a pipeline of one): every stage started at once,
 * connected by OS pipes, so data streams between stages without passing through the JVM; only
 * the first stage's stdin, the last stage's stdout and each stage's stderr are the JVM's.
 * One deadline covers the whole pipeline; on expiry or cancellation every stage's process group
 * is killed.
 */
public final class PipelineRunner {
    /** How long to wait for output once every stage has exited (a process that left its group may hold a pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /**
     * Platform threads for blocking pipe I/O. Not virtual threads: a read of a pipe blocks its
     * carrier (the JDK does not compensate for it), and two blocked pumps on a 2-core machine
     * starved the stdin feeder into a deadlock. Reused, and created by unrestricted threads.
     */
    private static final ExecutorService IO_THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("aws-sandbox-io-", 0).daemon(true).factory());

    private PipelineRunner() {}

    /** One stage ready to spawn, with the report of what it will run under. */
    public record Stage(SpawnSpec spec, EnforcementReport report) {}

    /** The pipeline was interrupted (cancelled) and killed. */
    public static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled: every stage was killed");
        }
    }

    public static ExecResult run(List<Stage> stages, StdinSource stdin, OutputTarget stdout, OutputTarget stderr,
                                 Optional<Duration> timeout) throws SpawnException, ErrnoException, Cancelled {
        int n = stages.size();
        Descriptors fds = new Descriptors();
        List<ChildReaper.Child> children = new ArrayList<>(n);
        long start = System.nanoTime();
        InputStream out;
        List<InputStream> errs = new ArrayList<>(n);
        OutputStream in = null;
        try {
            int[] stdinPipe = stdin instanceof StdinSource.Empty ? null : fds.pipe();
            int previousRead = stdinPipe != null ? stdinPipe[0] : fds.devNull();
            int[] stdoutPipe = fds.pipe();
            for (int i = 0; i < n; i++) {
                int[] link = i < n - 1 ? fds.pipe() : null;
                int[] err = fds.pipe();
                int childOut = link != null ? link[1] : stdoutPipe[1];
                int pid = PosixSpawner.spawn(stages.get(i).spec(), previousRead, childOut, err[1]);
                children.add(watch(pid));
                // the child has its copies; ours of its ends must go, or readers never see EOF
                fds.close(previousRead);
                fds.close(childOut);
                fds.close(err[1]);
                errs.add(reopenForReading(fds.take(err[0])));
                previousRead = link != null ? link[0] : -1;
            }
            out = reopenForReading(fds.take(stdoutPipe[0]));
            if (stdinPipe != null) {
                in = reopenForWriting(fds.take(stdinPipe[1]));
            }
        } catch (SpawnException | ErrnoException | RuntimeException e) {
            for (ChildReaper.Child child : children) {
                child.signalTree(Libc.SIGKILL);
            }
            for (InputStream s : errs) {
                closeQuietly(s);
            }
            throw e;
        } finally {
            fds.closeAll();
        }

        OutputPump outPump = new OutputPump(out, stdout);
        List<Future<?>> pumps = new ArrayList<>(n + 1);
        pumps.add(IO_THREADS.submit(outPump));
        List<OutputPump> errPumps = new ArrayList<>(n);
        for (InputStream err : errs) {
            OutputPump pump = new OutputPump(err, stderr);
            errPumps.add(pump);
            pumps.add(IO_THREADS.submit(pump));
        }
        if (in != null) {
            OutputStream stdinStream = in;
            IO_THREADS.submit(() -> feed(stdin, stdinStream));
        }

        boolean timedOut = false;
        List<ExitStatus> statuses;
        try {
            statuses = awaitAll(children, timeout.map(t -> System.nanoTime() + t.toNanos()));
        } catch (TimeoutException e) {
            timedOut = true;
            killAll(children);
            statuses = awaitAllUninterruptibly(children);
        } catch (InterruptedException e) {
            killAll(children);
            awaitAllUninterruptibly(children);
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        ChildReaper.instance().sweepOrphans();
        boolean complete = true;
        for (Future<?> pump : pumps) {
            complete &= join(pump);
        }

        List<StageResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ExitStatus status = statuses.get(i);
            boolean brokenPipe = i < n - 1 && !timedOut && !status.isSuccess() && (isSigpipe(status)
                    || children.get(i + 1).exitOrder() < children.get(i).exitOrder());
            EnforcementReport report = stages.get(i).report();
            if (!complete) {
                report = report.withNote("output may be incomplete: a process that left the command's process group"
                        + " still holds its output open");
            }
            results.add(new StageResult(stages.get(i).spec().argv(), status, brokenPipe, errPumps.get(i).result(), report));
        }
        OptionalInt failed = OptionalInt.empty();
        for (int i = n - 1; i >= 0; i--) {
            if (results.get(i).failed() || (timedOut && i == n - 1)) {
                failed = OptionalInt.of(i);
                break;
            }
        }
        ExitStatus overall = failed.isPresent() ? statuses.get(failed.getAsInt()) : new ExitStatus.Exited(0);
        return new ExecResult(results, overall, failed, timedOut, outPump.result(), combine(errPumps, stderr),
                duration, results.getFirst().enforcement());
    }

    private static boolean isSigpipe(ExitStatus status) {
        return status instanceof ExitStatus.Signaled s && s.signal() == Libc.SIGPIPE;
    }

    private static ChildReaper.Child watch(int pid) throws ErrnoException {
        try {
            return ChildReaper.instance().watch(pid);
        } catch (ErrnoException e) {
            Libc.kill(pid, Libc.SIGKILL); // not reaped, so the pid is still ours
            throw e;
        }
    }

    private static void killAll(List<ChildReaper.Child> children) {
        for (ChildReaper.Child child : children) {
            child.signalTree(Libc.SIGKILL);
        }
    }

    private static List<ExitStatus> awaitAll(List<ChildReaper.Child> children, Optional<Long> deadline)
            throws TimeoutException, InterruptedException {
        List<ExitStatus> statuses = new ArrayList<>(children.size());
        for (ChildReaper.Child child : children) {
            try {
                if (deadline.isPresent()) {
                    long remaining = deadline.get() - System.nanoTime();
                    statuses.add(child.onExit().get(Math.max(0, remaining), TimeUnit.NANOSECONDS));
                } else {
                    statuses.add(child.onExit().get());
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for pid " + child.pid() + " failed", e.getCause());
            }
        }
        return statuses;
    }

    private static List<ExitStatus> awaitAllUninterruptibly(List<ChildReaper.Child> children) {
        boolean interrupted = false;
        List<ExitStatus> statuses = new ArrayList<>(children.size());
        for (ChildReaper.Child child : children) {
            while (true) {
                try {
                    statuses.add(child.onExit().get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("waiting for pid " + child.pid() + " failed", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return statuses;
    }

    private static CapturedOutput combine(List<OutputPump> pumps, OutputTarget target) {
        if (pumps.size() == 1) {
            return pumps.getFirst().result();
        }
        long limit = target instanceof OutputTarget.Capture c ? c.limitBytes() : 0;
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        long total = 0;
        boolean truncated = false;
        for (OutputPump pump : pumps) {
            CapturedOutput part = pump.result();
            total += part.totalBytes();
            truncated |= part.truncated();
            byte[] bytes = part.bytes();
            int room = (int) Math.max(0, limit - kept.size());
            kept.write(bytes, 0, Math.min(room, bytes.length));
            truncated |= bytes.length > room;
        }
        return new CapturedOutput(kept.toByteArray(), total, truncated);
    }

    private static boolean join(Future<?> pump) {
        try {
            pump.get(OUTPUT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static void feed(StdinSource source, OutputStream stdin) {
        try (stdin) {
            switch (source) {
                case StdinSource.Bytes bytes -> stdin.write(bytes.data());
                case StdinSource.Stream stream -> {
                    byte[] buffer = new byte[16 * 1024];
                    int n;
                    while ((n = stream.input().read(buffer)) >= 0) {
                        stdin.write(buffer, 0, n);
                        stdin.flush();
                    }
                }
                case StdinSource.Empty empty -> { }
            }
        } catch (IOException e) {
            // EPIPE: the first stage stopped reading; that is its business
        }
    }

    /**
     * Turns a pipe descriptor into a JDK stream by opening {@code /proc/self/fd/N} (a new open
     * file description of the same pipe) and closing the original, so that reads and writes go
     * through the JDK's own file streams.
     */
    private static InputStream reopenForReading(int fd) throws ErrnoException {
        try {
            return new FileInputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            throw new ErrnoException("reopen pipe " + fd + ": " + e.getMessage(), Errno.EBADF);
        } finally {
            Libc.close(fd);
        }
    }

    private static OutputStream reopenForWriting(int fd) throws ErrnoException {
        try {
            return new FileOutputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            throw new ErrnoException("reopen pipe " + fd + ": " + e.getMessage(), Errno.EBADF);
        } finally {
            Libc.close(fd);
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
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
