package dev.awssandbox.cli;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import java.time.Duration;

/** What {@code run} and {@code pipe} share: stream a pipeline through the CLI's streams, then report. */
final class StreamedRun {
    private StreamedRun() {}

    /**
     * Runs {@code command} with our stdin, stdout and stderr; returns the exit code to exit with.
     * With {@code verbose}, every connection through the egress proxy (network mode hosts) is listed
     * on stderr afterwards, allowed and denied, with its counts.
     */
    static int run(CliContext ctx, Sandbox sandbox, Command command, Duration timeout, boolean verbose)
            throws SandboxException {
        ExecResult result = sandbox.run(command.toBuilder()
                .stdin(Command.Input.from(ctx.in()))
                .stdout(Command.Output.streamTo(ctx.out()))
                .stderr(Command.Output.streamTo(ctx.err()))
                .timeout(timeout)
                .build());
        ctx.out().flush();
        if (verbose) {
            for (ExecResult.Connection c : result.connections()) {
                ctx.err().println("aws-sandbox: network: " + (command.stages().size() > 1 ? "stage " + (c.stage() + 1)
                        + " (" + command.argvs().get(c.stage()).getFirst() + ") " : "") + c.summary());
            }
        }
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
