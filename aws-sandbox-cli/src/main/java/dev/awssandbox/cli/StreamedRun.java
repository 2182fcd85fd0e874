package dev.awssandbox.cli;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import java.time.Duration;

/** What {@code run} and {@code pipe} share: stream a pipeline through the CLI's streams, then report. */
final class StreamedRun {
    private StreamedRun() {}

    /** Runs {@code command} with our stdin, stdout and stderr; returns the exit code to exit with. */
    static int run(CliContext ctx, Sandbox sandbox, Command command, Duration timeout) throws SandboxException {
        ExecResult result = sandbox.run(command.toBuilder()
                .stdin(Command.Input.from(ctx.in()))
                .stdout(Command.Output.streamTo(ctx.out()))
                .stderr(Command.Output.streamTo(ctx.err()))
                .timeout(timeout)
                .build());
        ctx.out().flush();
        for (ExecResult.Denial denial : result.denials()) {
            ctx.err().println("aws-sandbox: hint: " + DenialAdvice.of(denial, result.stages()));
        }
        if (result.timedOut()) {
            ctx.err().println("aws-sandbox: " + (command.stages().size() == 1
                    ? command.argvs().getFirst().getFirst() + " timed out after " + DurationFormat.format(timeout)
                            + " and was killed"
                    : "the pipeline timed out after " + DurationFormat.format(timeout) + "; every stage was killed"));
            return ExitCodes.TIMED_OUT;
        }
        if (!result.isSuccess() && command.stages().size() > 1) {
            ctx.err().println("aws-sandbox: " + result.failureSummary());
        }
        return result.exitCode();
    }
}
