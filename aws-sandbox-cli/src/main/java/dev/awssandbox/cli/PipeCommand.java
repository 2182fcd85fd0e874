package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code aws-sandbox pipe 'aws … | jq … | head'}: a pipeline without a shell, streamed live. */
@CommandLine.Command(name = "pipe", description = {
        "Run a pipeline inside the sandbox, every stage at once over OS pipes; no shell is involved.",
        "Only '|' is supported between commands, with shell quoting ('…', \"…\", \\). The last stage's",
        "stdout and every stage's stderr are streamed; exits with the pipeline's status (pipefail:",
        "the rightmost failure; a stage cut off by an early-exiting reader, as in '… | head', is not one)."})
final class PipeCommand implements Callable<Integer> {
    @Mixin
    StreamedRun streamed;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline, as one argument (quote it).")
    String pipeline;

    @Override
    public Integer call() throws SandboxException {
        Command parsed;
        try {
            parsed = Command.parse(pipeline);
        } catch (Command.SyntaxException e) {
            throw CliException.usage(e.getMessage());
        }
        return streamed.run(parsed);
    }
}
