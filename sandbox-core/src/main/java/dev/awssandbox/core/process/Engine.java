package dev.awssandbox.core.process;

import dev.awssandbox.core.linux.LinuxPlatform;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What runs a pipeline of prepared stages: on Linux {@link PipelineRunner} (posix_spawn from
 * restricted threads, spawn gates, pidfds, one I/O loop), elsewhere (macOS) the portable
 * {@link JdkPipelineRunner}. Both report a death by signal as {@link ProcessExit.How#KILLED}.
 */
public sealed interface Engine permits PipelineRunner, JdkPipelineRunner {

    /** The engine of this platform, chosen once. */
    static Engine forThisPlatform() {
        return Holder.ENGINE;
    }

    /**
     * Starts every stage at once, connected by pipes, and waits for all of them: one deadline
     * for the whole pipeline; on expiry or interruption, or when a stream the output is copied
     * to throws ({@link PipelineRunner.OutputFailed}), every stage's process tree is killed.
     */
    PipelineRunner.Outcome run(List<PipelineRunner.Stage> stages, Stdin stdin, OutputTarget stdout, OutputTarget stderr,
                               Optional<Duration> timeout) throws IOException, SpawnException, PipelineRunner.Cancelled, PipelineRunner.OutputFailed;

    /** Whether commands get their limits, cgroup and the watchdog (Linux) or run through the portable engine. */
    final class Holder {
        private static final Engine ENGINE = LinuxPlatform.isSupportedLinux() ? PipelineRunner.INSTANCE : JdkPipelineRunner.INSTANCE;

        private Holder() {}
    }
}
