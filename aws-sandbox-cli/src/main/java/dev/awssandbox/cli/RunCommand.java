package dev.awssandbox.cli;

import dev.awssandbox.core.ExecRequest;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.StdinSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code aws-sandbox run [options] -- CMD [ARGS...]}: one command, output streamed live. */
@Command(name = "run", description = {
        "Run one command inside the sandbox. Its stdout and stderr are streamed as they come;",
        "aws-sandbox exits with its exit code (128+N if signal N killed it)."},
        mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    AwsSandboxCli parent;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Kill the command after this long (30s, 5m, 1500ms; plain numbers are seconds).")
    Duration timeout;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    List<String> command;

    @Override
    public Integer call() throws SandboxException {
        CliContext ctx = parent.context();
        Sandbox sandbox = policy.sandbox(ctx.host());
        ExecRequest request = ExecRequest.builder(command)
                .stdin(StdinSource.from(ctx.in()))
                .stdout(OutputTarget.streamTo(ctx.out()))
                .stderr(OutputTarget.streamTo(ctx.err()))
                .timeout(timeout)
                .build();
        ExecResult result = sandbox.run(request);
        ctx.out().flush();
        for (String hint : result.hints()) {
            ctx.err().println("aws-sandbox: hint: " + hint);
        }
        if (result.timedOut()) {
            ctx.err().println("aws-sandbox: " + command.getFirst() + " timed out after "
                    + DurationFormat.format(timeout) + " and was killed");
            return ExitCodes.TIMED_OUT;
        }
        return result.exitCode();
    }
}
