package dev.awssandbox.cli;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.Pipeline;
import dev.awssandbox.core.PipelineRequest;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.StdinSource;
import java.time.Duration;

/** What {@code run} and {@code pipe} share: stream a pipeline through the CLI's streams, then report. */
final class StreamedRun {
    private StreamedRun() {}

    /** Runs {@code pipeline} with our stdin, stdout and stderr; returns the exit code to exit with. */
    static int run(CliContext ctx, Sandbox sandbox, Pipeline pipeline, Duration timeout) throws SandboxException {
        ExecResult result = sandbox.run(PipelineRequest.builder(pipeline)
                .stdin(StdinSource.from(ctx.in()))
                .stdout(OutputTarget.streamTo(ctx.out()))
                .stderr(OutputTarget.streamTo(ctx.err()))
                .timeout(timeout)
                .build());
        ctx.out().flush();
        for (String hint : result.hints()) {
            ctx.err().println("aws-sandbox: hint: " + hint);
        }
        if (result.timedOut()) {
            ctx.err().println("aws-sandbox: " + (pipeline.size() == 1
                    ? pipeline.stages().getFirst().getFirst() + " timed out after " + DurationFormat.format(timeout)
                            + " and was killed"
                    : "the pipeline timed out after " + DurationFormat.format(timeout) + "; every stage was killed"));
            return ExitCodes.TIMED_OUT;
        }
        if (!result.isSuccess() && pipeline.size() > 1) {
            ctx.err().println("aws-sandbox: " + result.failureSummary());
        }
        return result.exitCode();
    }
}
