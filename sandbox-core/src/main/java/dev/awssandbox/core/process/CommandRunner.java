package dev.awssandbox.core.process;

import dev.awssandbox.core.CapturedOutput;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecRequest;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.ExitStatus;
import dev.awssandbox.core.StdinSource;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one spawned child to completion: feeds stdin, pumps stdout and stderr on I/O threads,
 * enforces the timeout by killing the child's process group, and assembles the result.
 */
public final class CommandRunner {
    /** How long to wait for output after the child's group was killed (a process that escaped the group may hold the pipes). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    /**
     * Platform threads for blocking pipe I/O. Not virtual threads: a read of a pipe blocks its
     * carrier (the JDK does not compensate for it), and two blocked pumps on a 2-core machine
     * starved the stdin feeder into a deadlock. Reused, and created by unrestricted threads.
     */
    private static final ExecutorService IO_THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("aws-sandbox-io-", 0).daemon(true).factory());

    private CommandRunner() {}

    /** The child was interrupted (cancelled) and killed. */
    public static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled: the command was killed");
        }
    }

    public static ExecResult run(SpawnSpec spec, ExecRequest request, EnforcementReport report)
            throws SpawnException, ErrnoException, Cancelled {
        long start = System.nanoTime();
        PosixSpawner.Spawned spawned = PosixSpawner.spawn(spec);
        ChildReaper.Child child;
        try {
            child = ChildReaper.instance().watch(spawned.pid());
        } catch (ErrnoException e) {
            Libc.kill(spawned.pid(), Libc.SIGKILL); // unreaped, so the pid is still ours
            closeQuietly(spawned);
            throw e;
        }
        InputStream stdout = reopenForReading(spawned.stdoutFd());
        InputStream stderr = reopenForReading(spawned.stderrFd());
        OutputPump outPump = new OutputPump(stdout, request.stdout());
        OutputPump errPump = new OutputPump(stderr, request.stderr());
        Future<?> outThread = IO_THREADS.submit(outPump);
        Future<?> errThread = IO_THREADS.submit(errPump);
        if (spawned.stdinFd() >= 0) {
            OutputStream stdin = reopenForWriting(spawned.stdinFd());
            IO_THREADS.submit(() -> feed(request.stdin(), stdin));
        }

        boolean timedOut = false;
        ExitStatus status;
        try {
            status = awaitExit(child, request.timeout());
        } catch (TimeoutException e) {
            timedOut = true;
            child.signalTree(Libc.SIGKILL);
            status = awaitUninterruptibly(child);
        } catch (InterruptedException e) {
            child.signalTree(Libc.SIGKILL);
            awaitUninterruptibly(child);
            Thread.currentThread().interrupt();
            throw new Cancelled();
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        EnforcementReport finalReport = report;
        if (!join(outThread) | !join(errThread)) {
            finalReport = report.withNote("output may be incomplete: a process that left the command's process group"
                    + " still holds its output open");
        }
        CapturedOutput out = outPump.result();
        CapturedOutput err = errPump.result();
        return new ExecResult(spec.argv(), status, timedOut, out, err, duration, finalReport);
    }

    private static ExitStatus awaitExit(ChildReaper.Child child, java.util.Optional<Duration> timeout)
            throws TimeoutException, InterruptedException {
        try {
            if (timeout.isPresent()) {
                return child.onExit().get(timeout.get().toNanos(), TimeUnit.NANOSECONDS);
            }
            return child.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + child.pid() + " failed", e.getCause());
        }
    }

    private static ExitStatus awaitUninterruptibly(ChildReaper.Child child) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.onExit().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("waiting for pid " + child.pid() + " failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
            // EPIPE: the child stopped reading; that is its business
        }
    }

    /**
     * Turns a pipe descriptor into a JDK stream by opening {@code /proc/self/fd/N} (a new open
     * file description of the same pipe) and closing the original, so that reads go through
     * {@link FileInputStream}, which the rest of the JDK understands.
     */
    private static InputStream reopenForReading(int fd) throws ErrnoException {
        try {
            return new FileInputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            throw new ErrnoException("reopen pipe " + fd + ": " + e.getMessage(), dev.awssandbox.core.linux.Errno.EBADF);
        } finally {
            Libc.close(fd);
        }
    }

    private static OutputStream reopenForWriting(int fd) throws ErrnoException {
        try {
            return new FileOutputStream("/proc/self/fd/" + fd);
        } catch (IOException e) {
            throw new ErrnoException("reopen pipe " + fd + ": " + e.getMessage(), dev.awssandbox.core.linux.Errno.EBADF);
        } finally {
            Libc.close(fd);
        }
    }

    private static void closeQuietly(PosixSpawner.Spawned spawned) {
        Libc.close(spawned.stdinFd());
        Libc.close(spawned.stdoutFd());
        Libc.close(spawned.stderrFd());
    }
}
