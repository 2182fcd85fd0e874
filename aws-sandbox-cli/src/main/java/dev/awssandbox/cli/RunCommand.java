package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code aws-sandbox run [options] -- CMD [ARGS...]}: one command, output streamed live. */
@CommandLine.Command(name = "run", description = {
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
        return StreamedRun.run(ctx, policy.sandbox(ctx.host()), Command.of(command), timeout, parent.verbose);
    }
}
