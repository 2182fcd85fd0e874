package dev.awssandbox.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command to run and its arguments, of {@code run} and {@code policy}. */
final class CommandArguments {
    private final PositionalParamSpec argv = PositionalParamSpec.builder().arity("1..*").required(true).paramLabel("CMD")
            .type(List.class).auxiliaryTypes(String.class).description("The command and its arguments (after --).").build();

    private final CommandSpec command;

    CommandArguments(CommandSpec command) {
        this.command = command;
        command.addPositional(argv);
    }

    /** The command's words; a usage error when its program's name is empty ({@code run -- ''}). */
    List<String> argv() {
        List<String> words = List.copyOf(argv.<List<String>>getValue());
        if (words.getFirst().isEmpty()) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "the command's name is empty (''): name the program to run after --");
        }
        return words;
    }
}
