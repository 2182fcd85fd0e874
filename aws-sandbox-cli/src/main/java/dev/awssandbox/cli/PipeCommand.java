package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code aws-sandbox pipe 'aws … | jq … | head'}: a pipeline without a shell, streamed live. */
final class PipeCommand implements Callable<Integer> {
    final CommandSpec spec = Specs.command(this, "pipe",
            "Run a pipeline inside the sandbox, without a shell.",
            "Every stage starts at once, connected by OS pipes. Only '|' is supported between",
            "commands, with shell quoting ('…', \"…\", \\). The last stage's stdout and every",
            "stage's stderr are streamed; exits with the pipeline's status (pipefail: the",
            "rightmost failure; a stage cut off by an early-exiting reader, as in '… | head',",
            "is not one).");
    private final StreamedRun streamed;
    private final PositionalParamSpec pipeline = PositionalParamSpec.builder().index("0").required(true).paramLabel("PIPELINE")
            .type(String.class).description("The pipeline, as one argument (quote it).").build();

    PipeCommand(CliContext context) {
        streamed = new StreamedRun(context, spec);
        spec.addPositional(pipeline);
    }

    @Override
    public Integer call() throws SandboxException {
        Command parsed;
        try {
            parsed = Command.parse(pipeline.getValue());
        } catch (Command.SyntaxException e) {
            streamed.refusedSyntax(pipeline.getValue(), e.getMessage());
            throw CliException.usage(e.getMessage());
        }
        return streamed.run(parsed);
    }
}
