package dev.awssandbox.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's command model built in code, not read from annotations: reading them was most of the
 * 80–160 ms picocli took at start-up (the JDK makes a proxy class for every annotation type, which
 * the AOT cache cannot hold, and picocli reflects over every field, method and constructor). Each
 * option keeps its own value ({@link OptionSpec#getValue()}); a command reads it from there.
 */
final class Specs {
    private Specs() {}

    /**
     * A command that runs {@code command} (a {@link Runnable} or {@link java.util.concurrent.Callable}),
     * with {@code -h/--help} and {@code -V/--version}: what {@code @Command(mixinStandardHelpOptions = true)}
     * adds, without picocli reading its own annotations for it. Each command has its own (not options
     * the root's subcommands inherit), as with picocli's: its {@code help} command has a {@code -h} of
     * its own.
     */
    static CommandSpec command(Object command, String name, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        return spec;
    }

    /** An option that takes one value of {@code type}, shown as {@code name=label}. */
    static OptionSpec.Builder option(String name, String label, Class<?> type, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(type).description(description);
    }

    /** An option that takes a string each time it is given, repeatable. */
    static OptionSpec.Builder repeatable(String name, String label, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class).description(description);
    }

    /** An option without a value: false unless given. */
    static OptionSpec.Builder flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).initialValue(false).description(description);
    }

    /** Whether the {@link #flag} was given. */
    static boolean given(OptionSpec flag) {
        return Boolean.TRUE.equals(flag.getValue());
    }

    /** The values of a {@link #repeatable} option, in order; none when it was not given. */
    static List<String> values(OptionSpec repeatable) {
        List<String> values = repeatable.getValue();
        return values == null ? List.of() : values;
    }
}
