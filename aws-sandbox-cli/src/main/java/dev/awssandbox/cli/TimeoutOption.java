package dev.awssandbox.cli;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --timeout}, of {@code run} and {@code pipe}. */
final class TimeoutOption {
    private final OptionSpec timeout = Specs.option("--timeout", "DURATION", Duration.class,
            "Kill the command (a pipeline: every stage) after this long: 30s, 5m, 1500ms, PT30S; plain numbers are"
            + " seconds. Exit code 124.")
            .converters(new DurationConverter()).build();

    TimeoutOption(CommandSpec command) {
        command.addOption(timeout);
    }

    Optional<Duration> value() {
        return Optional.ofNullable(timeout.getValue());
    }
}
