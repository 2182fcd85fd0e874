package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code aws-sandbox pipe 'aws … | jq … | head'}: a pipeline without a shell, streamed live. */
@CommandLine.Command(name = "pipe", description = {
        "Run a pipeline inside the sandbox, every stage at once over OS pipes; no shell is involved.",
        "Only '|' is supported between commands, with shell quoting ('…', \"…\", \\). The last stage's",
        "stdout and every stage's stderr are streamed; exits with the pipeline's status (pipefail:",
        "the rightmost failure; a stage cut off by an early-exiting reader, as in '… | head', is not one)."},
        mixinStandardHelpOptions = true)
final class PipeCommand implements Callable<Integer> {
    @ParentCommand
    AwsSandboxCli parent;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Kill the whole pipeline after this long (30s, 5m, 1500ms; plain numbers are seconds).")
    Duration timeout;

    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline, as one argument (quote it).")
    String pipeline;

    @Override
    public Integer call() throws SandboxException {
        CliContext ctx = parent.context();
        Command parsed;
        try {
            parsed = Command.parse(pipeline);
        } catch (Command.SyntaxException e) {
            throw CliException.usage(e.getMessage());
        }
        return StreamedRun.run(ctx, policy.sandbox(ctx.host()), parsed, timeout, parent.verbose);
    }
}
