package dev.awssandbox.cli;

import java.util.List;
import picocli.CommandLine.Parameters;

/** Mixin: the command to run and its arguments, of {@code run} and {@code policy}. */
final class CommandArguments {
    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    private List<String> argv;

    List<String> argv() {
        return List.copyOf(argv);
    }
}
