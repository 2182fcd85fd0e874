package dev.awssandbox.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What to run: a pipeline of one or more stages — a single command is a pipeline of one — each
 * an argv (never a joined string) and optionally a policy of its own (e.g. a filter with the
 * network off); the first stage's standard input; where the last stage's stdout and every
 * stage's stderr go; one deadline for the whole pipeline; the directory it runs in.
 *
 * <pre>{@code
 * Command.of("aws", "s3", "ls")
 * Command.parse("aws s3api list-buckets | jq -r '.Buckets[].Name' | head -5")
 * Command.builder(List.of("tr", "a-z", "A-Z")).stdin("hello".getBytes()).timeout(Duration.ofSeconds(10)).build()
 * }</pre>
 *
 * <p>{@link #parse} reads the one piece of shell syntax supported, {@code |}, with POSIX-shell
 * word rules; no shell is ever run, and anything a shell would interpret and we would not
 * ({@code ; && || & > < ( )}, {@code $VAR}, {@code $(…)}, backticks, a leading {@code ~} …) is a
 * {@link SyntaxException} that names it.
 *
 * @param stages           the commands, stdout of each connected to stdin of the next
 * @param stdin            what the first stage reads
 * @param stdout           where the last stage's output goes
 * @param stderr           where every stage's error output goes
 * @param timeout          one deadline for the whole pipeline; absent: none
 * @param workingDirectory where it runs; absent: the sandbox host's working directory
 */
public record Command(
        List<Stage> stages,
        Input stdin,
        Output stdout,
        Output stderr,
        Optional<Duration> timeout,
        Optional<Path> workingDirectory) {

    /**
     * One stage: its argv and, when it differs from the sandbox's, its own policy.
     *
     * @param argv   program and arguments; the program is looked up on the command's PATH
     * @param policy the policy this stage runs under instead of the sandbox's
     */
    public record Stage(List<String> argv, Optional<SandboxPolicy> policy) {
        public Stage {
            argv = List.copyOf(argv);
            Objects.requireNonNull(policy, "policy");
            if (argv.isEmpty() || argv.getFirst().isEmpty()) {
                throw new IllegalArgumentException("a command is empty");
            }
            for (String arg : argv) {
                if (arg.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("an argument of " + argv.getFirst() + " contains a NUL byte");
                }
            }
        }
    }

    public Command {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least one stage");
        }
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        timeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + t);
            }
        });
        workingDirectory = workingDirectory.map(p -> p.toAbsolutePath().normalize());
    }

    /** One command with default options: no stdin, output captured, no timeout. */
    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    /** One command with default options. */
    public static Command of(List<String> argv) {
        return builder(argv).build();
    }

    /** A pipeline of these stages with default options. */
    public static Command pipeline(List<List<String>> stages) {
        return new Builder(stages).build();
    }

    /** Parses {@code a b | c 'd e' | f} (see the class comment); default options. */
    public static Command parse(String pipeline) {
        return pipeline(PipelineParser.parse(pipeline));
    }

    /** Builds a command of one stage. */
    public static Builder builder(List<String> argv) {
        return new Builder(List.of(argv));
    }

    /** A builder preloaded with this command. */
    public Builder toBuilder() {
        Builder b = new Builder(argvs());
        for (int i = 0; i < stages.size(); i++) {
            int index = i;
            stages.get(i).policy().ifPresent(p -> b.stagePolicy(index, p));
        }
        return b.stdin(stdin).stdout(stdout).stderr(stderr).timeout(timeout.orElse(null))
                .workingDirectory(workingDirectory.orElse(null));
    }

    /** The stages' argvs. */
    public List<List<String>> argvs() {
        return stages.stream().map(Stage::argv).toList();
    }

    /** The command as a string that {@link #parse} reads back to the same stages. */
    public String toCommandLine() {
        return stages.stream()
                .map(stage -> stage.argv().stream().map(PipelineParser::quote).collect(Collectors.joining(" ")))
                .collect(Collectors.joining(" | "));
    }

    /** A word quoted so that {@link #parse} reads it back unchanged. */
    public static String quote(String word) {
        return PipelineParser.quote(word);
    }

    /** Builds commands; every option has a default. */
    public static final class Builder {
        private final List<List<String>> argvs;
        private final List<SandboxPolicy> policies = new ArrayList<>();
        private Input stdin = Input.empty();
        private Duration timeout;
        private Path workingDirectory;
        private Output stdout = Output.capture();
        private Output stderr = Output.capture();

        private Builder(List<List<String>> argvs) {
            this.argvs = List.copyOf(argvs);
            for (int i = 0; i < argvs.size(); i++) {
                policies.add(null);
            }
        }

        /** Runs stage {@code index} (0-based) under this policy instead of the sandbox's. */
        public Builder stagePolicy(int index, SandboxPolicy policy) {
            policies.set(index, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public Builder stdin(Input stdin) {
            this.stdin = stdin;
            return this;
        }

        /** These bytes on stdin, then end of file; not copied (see {@link Input.Bytes}). */
        public Builder stdin(byte[] data) {
            return stdin(Input.of(data));
        }

        /** {@code null} means no timeout. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** {@code null} means the sandbox host's working directory. */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        public Builder stdout(Output target) {
            this.stdout = target;
            return this;
        }

        public Builder stderr(Output target) {
            this.stderr = target;
            return this;
        }

        public Command build() {
            List<Stage> stages = new ArrayList<>(argvs.size());
            for (int i = 0; i < argvs.size(); i++) {
                stages.add(new Stage(argvs.get(i), Optional.ofNullable(policies.get(i))));
            }
            return new Command(stages, stdin, stdout, stderr, Optional.ofNullable(timeout),
                    Optional.ofNullable(workingDirectory));
        }
    }

    /** What the first stage reads on standard input. */
    public sealed interface Input {

        /** {@code /dev/null}: the command sees end of file at once. */
        record Empty() implements Input {}

        /**
         * These bytes (the buffer's remaining ones), then end of file. Never copied, as with the
         * JDK's {@code HttpRequest.BodyPublishers.ofByteArray}: the command reads the caller's
         * memory (100 MB of stdin costs no second 100 MB), so leave it unchanged until the
         * command has ended. Each run reads from the start; the caller's buffer position is never
         * moved.
         */
        record Bytes(java.nio.ByteBuffer data) implements Input {
            public Bytes {
                data = data.slice().asReadOnlyBuffer(); // a view of the remaining bytes, position 0
            }

            /** A read-only view of the bytes, with a position of its own. */
            @Override
            public java.nio.ByteBuffer data() {
                return data.duplicate();
            }

            /** The same as {@link #data()}: the bytes without a copy, read-only. */
            public java.nio.ByteBuffer view() {
                return data.duplicate();
            }
        }

        /**
         * Copied from this stream until it ends or the command has exited (the CLI forwards its
         * own stdin this way). A thread reads it; a read that blocks when the command exits ends
         * with the next bytes or end of file, and the command's pipe is closed at once.
         */
        record Stream(InputStream input) implements Input {
            public Stream {
                Objects.requireNonNull(input, "input");
            }
        }

        static Input empty() {
            return new Empty();
        }

        /** These bytes, not copied: leave the array unchanged until the command has ended. */
        static Input of(byte[] data) {
            return new Bytes(java.nio.ByteBuffer.wrap(data));
        }

        /** The buffer's remaining bytes, not copied: leave them unchanged until the command has ended. */
        static Input of(java.nio.ByteBuffer data) {
            return new Bytes(data);
        }

        static Input from(InputStream input) {
            return new Stream(input);
        }
    }

    /** Where a command's stdout or stderr goes. */
    public sealed interface Output {

        /** The reference server's output limit, used when {@code AWS_MCP_MAX_OUTPUT} is not set. */
        long DEFAULT_CAPTURE_LIMIT = 100_000;

        /** The largest capture limit (a Java array holds the bytes). */
        long MAX_CAPTURE_LIMIT = Integer.MAX_VALUE - 8;

        /**
         * Kept in memory up to {@code limitBytes}; the rest is read, counted and dropped, and the
         * result says it was truncated.
         */
        record Capture(long limitBytes) implements Output {
            public Capture {
                if (limitBytes < 0 || limitBytes > MAX_CAPTURE_LIMIT) {
                    throw new IllegalArgumentException("capture limit must be between 0 and 2^31-9 bytes: " + limitBytes);
                }
            }
        }

        /** Copied to this stream as it arrives, flushed after every read; nothing is kept. */
        record StreamTo(OutputStream output) implements Output {
            public StreamTo {
                Objects.requireNonNull(output, "output");
            }
        }

        /** Captured up to the process's default limit ({@code AWS_MCP_MAX_OUTPUT} bytes, else 100000). */
        static Output capture() {
            return new Capture(HostEnvironment.current().maxOutput());
        }

        static Output capture(long limitBytes) {
            return new Capture(limitBytes);
        }

        static Output streamTo(OutputStream output) {
            return new StreamTo(output);
        }
    }

    /**
     * A pipeline string that aws-sandbox will not run: it uses shell syntax that only a shell
     * understands (no shell is ever involved), or it is malformed. The message names the
     * construct and its position (0-based) and says what to write instead.
     */
    public static final class SyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final int position;

        public SyntaxException(String message, int position) {
            super(message);
            this.position = position;
        }

        /** 0-based index of the offending character in the input. */
        public int position() {
            return position;
        }
    }
}
