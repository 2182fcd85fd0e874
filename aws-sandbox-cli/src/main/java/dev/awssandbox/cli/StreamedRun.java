package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.AuditLog;
import dev.awssandbox.mcp.policy.Redactor;
import dev.awssandbox.mcp.policy.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/**
 * Mixin: what {@code run} and {@code pipe} share — the policy options, {@code --timeout}, and
 * running a pipeline through the CLI's stdin, stdout and stderr, streamed live, then reporting.
 */
@picocli.CommandLine.Command
final class StreamedRun {
    @Mixin
    PolicyOptions policy;

    @Mixin
    TimeoutOption timeout;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Mixin
    AuditOption audit;

    /**
     * Runs {@code command}; returns the exit code to exit with. With {@code --verbose}, every
     * connection through the egress proxy (network mode hosts) is listed on stderr afterwards,
     * allowed and denied, with its counts.
     */
    int run(Command command) throws SandboxException {
        CliContext ctx = policy.context();
        try (AuditLog log = audit.open(ctx.host())) {
            Redactor redactor = log.enabled() ? new Redactor(new Secrets(ctx.host()).refresh()) : Redactor.none();
            CountingStream stdout = new CountingStream(ctx.out());
            long started = System.nanoTime();
            ExecResult result;
            try {
                result = policy.sandbox().run(command.toBuilder()
                        .stdin(Command.Input.from(ctx.in()))
                        .stdout(Command.Output.streamTo(stdout))
                        .stderr(Command.Output.streamTo(ctx.err()))
                        .timeout(timeout.value().orElse(null))
                        .build());
            } catch (SandboxException | RuntimeException e) {
                Map<String, Object> record = record(command, redactor);
                record.put("decision", "refused");
                record.put("reason", redactor.redact(String.valueOf(e.getMessage())));
                record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
                log.write(record);
                if (e instanceof SandboxException s && s.kind() == SandboxException.Kind.NOT_FOUND) {
                    Optional<CliException> why = missingInterpreter(command, ctx, s);
                    if (why.isPresent()) {
                        throw why.get();
                    }
                }
                throw e;
            }
            Map<String, Object> record = record(command, redactor);
            record.put("decision", "allowed");
            record.put("backend", result.backend().label());
            record.put("status", result.isSuccess() ? "success" : result.timedOut() ? "timeout" : "error");
            record.put("exitCode", result.exitCode());
            result.failedStage().ifPresent(i -> record.put("failedStage", i + 1));
            record.put("durationMs", result.duration().toMillis());
            record.put("stdoutBytes", stdout.count());
            log.write(record);
            return report(command, result);
        }
    }

    /**
     * The failure said as what it is when a stage is a script whose {@code #!} interpreter does not
     * exist (the kernel's ENOENT names the script): 127, as from env(1) and the shell.
     */
    private static Optional<CliException> missingInterpreter(Command command, CliContext ctx, SandboxException e) {
        for (List<String> argv : command.argvs()) {
            Optional<Path> interpreter = MissingInterpreter.of(argv.getFirst(), ctx.host());
            if (interpreter.isPresent()) {
                return Optional.of(new CliException(ExitCodes.NOT_FOUND, "cannot run " + argv.getFirst()
                        + e.backend().map(b -> " (backend " + b.label() + ")").orElse("") + ": its interpreter "
                        + interpreter.get() + " (its #! line) does not exist; install it, or correct the #! line", e));
            }
        }
        return Optional.empty();
    }

    /** The start of an audit line: who, and the command (secrets the host knows redacted). */
    private static Map<String, Object> record(Command command, Redactor redactor) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("source", "cli");
        record.put("session", "cli-" + ProcessHandle.current().pid());
        record.put("tool", command.stages().size() == 1 ? "run" : "pipe");
        record.put("argv", command.argvs().getFirst().stream().map(redactor::redact).toList());
        if (command.stages().size() > 1) {
            record.put("filters", command.argvs().subList(1, command.argvs().size()).stream()
                    .map(a -> a.stream().map(redactor::redact).toList()).toList());
        }
        return record;
    }

    private int report(Command command, ExecResult result) {
        CliContext ctx = policy.context();
        ctx.out().flush();
        if (verbose()) {
            for (ExecResult.Connection c : result.connections()) {
                ctx.err().println("aws-sandbox: network: " + (command.stages().size() > 1 ? "stage " + (c.stage() + 1)
                        + " (" + command.argvs().get(c.stage()).getFirst() + ") " : "") + c.summary());
            }
        }
        for (ExecResult.Denial denial : result.denials()) {
            ctx.err().println("aws-sandbox: hint: " + DenialAdvice.of(denial, result.stages()));
        }
        if (result.timedOut()) {
            String after = timeout.value().map(DurationFormat::format).orElse("its timeout");
            ctx.err().println("aws-sandbox: " + (command.stages().size() == 1
                    ? command.argvs().getFirst().getFirst() + " timed out after " + after + " and was killed"
                    : "the pipeline timed out after " + after + "; every stage was killed"));
            return ExitCodes.TIMED_OUT;
        }
        if (!result.isSuccess() && command.stages().size() > 1) {
            ctx.err().println("aws-sandbox: " + result.failureSummary());
        }
        return result.exitCode();
    }

    /** Whether {@code --verbose} was given, before or after the subcommand's name. */
    private boolean verbose() {
        for (picocli.CommandLine.Model.CommandSpec spec = mixee; spec != null; spec = spec.parent()) {
            picocli.CommandLine.Model.OptionSpec option = spec.findOption("--verbose");
            if (option != null && Boolean.TRUE.equals(option.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Counts the bytes of stdout on their way to the terminal. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private volatile long count; // one writer (the stream's thread); read once the run has ended

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        long count() {
            return count;
        }
    }
}
