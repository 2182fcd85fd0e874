package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.SandboxException;
import picocli.CommandLine.Mixin;

/**
 * Mixin: what {@code run} and {@code pipe} share — the policy options, {@code --timeout}, and
 * running a pipeline through the CLI's stdin, stdout and stderr, streamed live, then reporting.
 */
@picocli.CommandLine.Command
final class StreamedRun {
    @Mixin
    PolicyOptions policy;

    @Mixin
    TimeoutOption timeout;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /**
     * Runs {@code command}; returns the exit code to exit with. With {@code --verbose}, every
     * connection through the egress proxy (network mode hosts) is listed on stderr afterwards,
     * allowed and denied, with its counts.
     */
    int run(Command command) throws SandboxException {
        CliContext ctx = policy.context();
        ExecResult result = policy.sandbox().run(command.toBuilder()
                .stdin(Command.Input.from(ctx.in()))
                .stdout(Command.Output.streamTo(ctx.out()))
                .stderr(Command.Output.streamTo(ctx.err()))
                .timeout(timeout.value().orElse(null))
                .build());
        ctx.out().flush();
        if (verbose()) {
            for (ExecResult.Connection c : result.connections()) {
                ctx.err().println("aws-sandbox: network: " + (command.stages().size() > 1 ? "stage " + (c.stage() + 1)
                        + " (" + command.argvs().get(c.stage()).getFirst() + ") " : "") + c.summary());
            }
        }
        for (ExecResult.Denial denial : result.denials()) {
            ctx.err().println("aws-sandbox: hint: " + DenialAdvice.of(denial, result.stages()));
        }
        if (result.timedOut()) {
            String after = timeout.value().map(DurationFormat::format).orElse("its timeout");
            ctx.err().println("aws-sandbox: " + (command.stages().size() == 1
                    ? command.argvs().getFirst().getFirst() + " timed out after " + after + " and was killed"
                    : "the pipeline timed out after " + after + "; every stage was killed"));
            return ExitCodes.TIMED_OUT;
        }
        if (!result.isSuccess() && command.stages().size() > 1) {
            ctx.err().println("aws-sandbox: " + result.failureSummary());
        }
        return result.exitCode();
    }

    /** Whether {@code --verbose} was given, before or after the subcommand's name. */
    private boolean verbose() {
        for (picocli.CommandLine.Model.CommandSpec spec = mixee; spec != null; spec = spec.parent()) {
            picocli.CommandLine.Model.OptionSpec option = spec.findOption("--verbose");
            if (option != null && Boolean.TRUE.equals(option.getValue())) {
                return true;
            }
        }
        return false;
    }
}
