package dev.awssandbox.core.process;

import dev.awssandbox.core.ExitStatus;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.StdinSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The portable engine, for platforms without glibc {@code posix_spawn} and pidfds (macOS): the
 * JDK's {@link ProcessBuilder#startPipeline}. Only for backends that wrap the command in a
 * program (Seatbelt's {@code sandbox-exec}) and restrict no thread. Output is pumped on platform
 * threads; on timeout or cancellation every stage and its descendants are destroyed forcibly.
 */
public final class JdkPipelineRunner {
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
    /** What the JDK reports for a process that SIGPIPE killed (128 + 13). */
    private static final int SIGPIPE_STATUS = 141;

    private JdkPipelineRunner() {}

    public static PipelineRunner.Outcome run(List<PipelineRunner.Stage> stages, StdinSource stdin, OutputTarget stdout,
                                             OutputTarget stderr, Optional<Duration> timeout)
            throws IOException, PipelineRunner.Cancelled {
        int n = stages.size();
        List<ProcessBuilder> builders = new ArrayList<>(n);
        for (PipelineRunner.Stage stage : stages) {
            SpawnSpec spec = stage.spec();
            if (spec.restriction() != dev.awssandbox.core.linux.ThreadRestriction.NONE || spec.descriptor3().isPresent()) {
                throw new IllegalArgumentException("the JDK engine cannot restrict a thread or pass descriptors");
            }
            List<String> command = new ArrayList<>(spec.argv());
            command.set(0, spec.executable().toString());
            ProcessBuilder builder = new ProcessBuilder(command).directory(spec.workingDirectory().toFile());
            builder.environment().clear();
            builder.environment().putAll(spec.environment());
            builders.add(builder);
        }
        if (stdin instanceof StdinSource.Empty) {
            builders.getFirst().redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        long start = System.nanoTime();
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        OutputSink outSink = new OutputSink(stdout);
        List<OutputSink> errSinks = new ArrayList<>(n);
        List<Future<?>> pumps = new ArrayList<>(n + 1);
        pumps.add(pump(processes.getLast().getInputStream(), outSink));
        for (Process process : processes) {
            OutputSink sink = new OutputSink(stderr);
            errSinks.add(sink);
            pumps.add(pump(process.getErrorStream(), sink));
        }
        if (!(stdin instanceof StdinSource.Empty)) {
            OutputStream in = processes.getFirst().getOutputStream();
            Thread.ofPlatform().daemon(true).name("aws-sandbox-stdin").start(() -> feed(stdin, in));
        }
        boolean timedOut = false;
        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        try {
            for (Process process : processes) {
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    break;
                }
            }
        } catch (InterruptedException e) {
            destroyAll(processes);
            Thread.currentThread().interrupt();
            throw new PipelineRunner.Cancelled();
        }
        if (timedOut) {
            destroyAll(processes);
        }
        List<ExitStatus> statuses = new ArrayList<>(n);
        for (Process process : processes) {
            statuses.add(new ExitStatus.Exited(waitUninterruptibly(process)));
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - start);
        boolean complete = true;
        for (Future<?> pump : pumps) {
            try {
                pump.get(OUTPUT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                complete = false;
            }
        }
        boolean[] brokenPipe = new boolean[n];
        for (int i = 0; i < n - 1; i++) {
            brokenPipe[i] = !timedOut && (statuses.get(i).shellStatus() == SIGPIPE_STATUS
                    || (!statuses.get(i).isSuccess() && PipelineRunner.mentionsBrokenPipe(errSinks.get(i).excerpt())));
        }
        return PipelineRunner.assemble(stages, statuses, brokenPipe, timedOut, complete, outSink, errSinks, stderr,
                duration);
    }

    private static Future<?> pump(InputStream input, OutputSink sink) {
        FutureTask<Void> task = new FutureTask<>(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (input) {
                int r;
                while ((r = input.read(buffer)) >= 0) {
                    sink.accept(buffer, r);
                }
            }
            return null;
        });
        Thread.ofPlatform().daemon(true).name("aws-sandbox-pump").start(task);
        return task;
    }

    private static void feed(StdinSource source, OutputStream stdin) {
        try (stdin) {
            switch (source) {
                case StdinSource.Bytes bytes -> stdin.write(bytes.data());
                case StdinSource.Stream stream -> stream.input().transferTo(stdin);
                case StdinSource.Empty empty -> { }
            }
        } catch (IOException e) {
            // the first stage stopped reading
        }
    }

    private static void destroyAll(List<Process> processes) {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static int waitUninterruptibly(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
