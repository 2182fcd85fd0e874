package dev.awssandbox.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The checks {@link ExecRequest} and {@link PipelineRequest} share. */
final class RequestChecks {
    private RequestChecks() {}

    /** No argument may hold a NUL byte: C strings would silently cut it there. */
    static void noNul(List<String> argv) {
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an argument of " + argv.getFirst() + " contains a NUL byte");
            }
        }
    }

    /** Streams present and a positive timeout; returns the working directory made absolute. */
    static Optional<Path> io(StdinSource stdin, OutputTarget stdout, OutputTarget stderr, Optional<Duration> timeout,
                             Optional<Path> workingDirectory) {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + t);
            }
        });
        return workingDirectory.map(p -> p.toAbsolutePath().normalize());
    }
}
