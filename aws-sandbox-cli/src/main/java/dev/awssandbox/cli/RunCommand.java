package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** {@code aws-sandbox run [options] -- CMD [ARGS...]}: one command, output streamed live. */
@CommandLine.Command(name = "run", description = {
        "Run one command inside the sandbox.",
        "Its stdout and stderr are streamed as they come; aws-sandbox exits with its exit code (128+N if signal N"
                + " killed it)."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    StreamedRun streamed;

    @Mixin
    CommandArguments command;

    @Override
    public Integer call() throws SandboxException {
        return streamed.run(Command.of(command.argv()));
    }
}
