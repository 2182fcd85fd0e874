package dev.awssandbox.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command to run and its arguments, of {@code run} and {@code policy}. */
final class CommandArguments {
    private final PositionalParamSpec argv = PositionalParamSpec.builder().arity("1..*").required(true).paramLabel("CMD")
            .type(List.class).auxiliaryTypes(String.class).description("The command and its arguments (after --).").build();

    CommandArguments(CommandSpec command) {
        command.addPositional(argv);
    }

    List<String> argv() {
        return List.copyOf(argv.<List<String>>getValue());
    }
}
