package dev.awssandbox.cli;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Mixin: {@code --timeout}, of {@code run} and {@code pipe}. */
final class TimeoutOption {
    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Kill the command (a pipeline: every stage) after this long: 30s, 5m, 1500ms, PT30S;"
                    + " plain numbers are seconds. Exit code 124.")
    private Duration timeout;

    Optional<Duration> value() {
        return Optional.ofNullable(timeout);
    }
}
