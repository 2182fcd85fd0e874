package dev.awssandbox.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One command to run: argv (never a joined string), stdin, an optional timeout and directory,
 * and where stdout and stderr go.
 */
public record ExecRequest(
        List<String> command,
        StdinSource stdin,
        Optional<Duration> timeout,
        Optional<Path> workingDirectory,
        OutputTarget stdout,
        OutputTarget stderr) {

    public ExecRequest {
        command = List.copyOf(command);
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        RequestChecks.noNul(command);
        workingDirectory = RequestChecks.io(stdin, stdout, stderr, timeout, workingDirectory);
    }

    public static ExecRequest of(String... command) {
        return builder(List.of(command)).build();
    }

    public static ExecRequest of(List<String> command) {
        return builder(command).build();
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    public Builder toBuilder() {
        return new Builder(command).stdin(stdin).workingDirectory(workingDirectory.orElse(null))
                .stdout(stdout).stderr(stderr).timeout(timeout.orElse(null));
    }

    /** Builds requests; every field but the command has a default. */
    public static final class Builder {
        private final List<String> command;
        private StdinSource stdin = StdinSource.empty();
        private Duration timeout;
        private Path workingDirectory;
        private OutputTarget stdout = OutputTarget.capture();
        private OutputTarget stderr = OutputTarget.capture();

        private Builder(List<String> command) {
            this.command = List.copyOf(command);
        }

        public Builder stdin(StdinSource stdin) {
            this.stdin = stdin;
            return this;
        }

        public Builder stdin(byte[] data) {
            return stdin(StdinSource.of(data));
        }

        /** {@code null} means no timeout. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** {@code null} means the sandbox's current directory. */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        public Builder stdout(OutputTarget target) {
            this.stdout = target;
            return this;
        }

        public Builder stderr(OutputTarget target) {
            this.stderr = target;
            return this;
        }

        public ExecRequest build() {
            return new ExecRequest(command, stdin, Optional.ofNullable(timeout), Optional.ofNullable(workingDirectory),
                    stdout, stderr);
        }
    }
}
