package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aws-sandbox run [options] -- CMD [ARGS...]}: one command, output streamed live. */
final class RunCommand implements Callable<Integer> {
    final CommandSpec spec = Specs.command(this, "run",
            "Run one command inside the sandbox.",
            "Its stdout and stderr are streamed as they come; aws-sandbox exits with its exit code (128+N if signal N"
                    + " killed it).");
    private final StreamedRun streamed;
    private final CommandArguments command;

    RunCommand(CliContext context) {
        streamed = new StreamedRun(context, spec);
        command = new CommandArguments(spec);
    }

    @Override
    public Integer call() throws SandboxException {
        return streamed.run(Command.of(command.argv()));
    }
}
