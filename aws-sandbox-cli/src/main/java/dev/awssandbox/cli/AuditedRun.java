package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.AuditLog;
import dev.awssandbox.mcp.policy.Redactor;
import dev.awssandbox.mcp.policy.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code run} and {@code pipe} with an audit log ({@code --audit-log}, {@code $AWS_MCP_AUDIT_LOG}):
 * one JSON line per command, refused ones included, with the secrets the host knows redacted. A
 * class of its own, so that a command without an audit log loads none of the MCP module's classes.
 */
final class AuditedRun {
    private AuditedRun() {}

    static int run(StreamedRun streamed, Command command, CliContext ctx, AuditOption audit) throws SandboxException {
        java.util.function.Predicate<java.nio.file.Path> writable = streamed.writableBy(command);
        String source = audit.file().map(file -> "--audit-log " + file).orElse(AuditLog.ENV_VAR);
        java.util.Optional<java.nio.file.Path> named = audit.named(ctx.host()).map(name -> ctx.host().expand(name.strip()));
        if (named.isPresent()) {
            try {
                // what the path is first (a device, a link): the reason that holds whoever can write it (outside test
                // WF30, F15: /dev/null had been refused as "in a directory the sandboxed commands can write")
                AuditLog.check(named.get(), source);
                AuditLog.refuseWritable(named.get(), writable, source);
            } catch (SandboxException e) {
                throw CliException.usage(e.getMessage());
            }
        }
        try (AuditLog log = open(audit, ctx.host())) {
            Redactor redactor = log.enabled() ? new Redactor(new Secrets(ctx.host()).refresh()) : Redactor.none();
            CountingStream stdout = new CountingStream(new CheckedOutput(ctx.out()));
            long started = System.nanoTime();
            OneLine line = new OneLine(log);
            // a signal (SIGINT, SIGTERM, SIGHUP) ends the JVM while the command runs; the shutdown kills it, and this
            // hook says so: the line had been missing, for a command that may have changed the account before it was
            // killed (outside test WF25, F9)
            Thread stopped = Thread.ofPlatform().unstarted(() -> {
                Map<String, Object> record = record(command, redactor);
                record.put("decision", "allowed");
                record.put("status", "cancelled");
                record.put("reason", "aws-sandbox was stopped by a signal before the command ended (it may not have"
                        + " started); what was running was killed");
                record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
                record.put("stdoutBytes", stdout.count());
                line.write(record);
            });
            Runtime.getRuntime().addShutdownHook(stopped);
            try {
                return run(streamed, command, stdout, started, redactor, line);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopped);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs, or ran: it writes nothing once the line is written
                }
            }
        }
    }

    /** The command's one audit line: the first writer's (the run's end, or a signal's shutdown hook). */
    private static final class OneLine {
        private final AuditLog log;
        private boolean written;

        OneLine(AuditLog log) {
            this.log = log;
        }

        synchronized void write(Map<String, Object> record) {
            if (!written) {
                written = true;
                log.write(record);
            }
        }
    }

    /** Runs {@code command} and writes its line: allowed (with how it ended), or refused (with why). */
    private static int run(StreamedRun streamed, Command command, CountingStream stdout, long started, Redactor redactor,
                           OneLine log) throws SandboxException {
        ExecResult result;
        try {
            result = streamed.execute(command, stdout);
        } catch (SandboxException | RuntimeException e) {
            Map<String, Object> record = record(command, redactor);
            if (e instanceof SandboxException s && s.kind() == SandboxException.Kind.OUTPUT_FAILED) {
                // it ran, and was killed because its output had nowhere to go: not a refusal
                record.put("decision", "allowed");
                record.put("status", "error");
                record.put("exitCode", StreamedRun.outputFailedExitCode(s));
                record.put("reason", redactor.redact(String.valueOf(s.getMessage())));
                record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
                record.put("stdoutBytes", stdout.count());
                log.write(record);
                return streamed.brokenPipe(s);
            }
            record.put("decision", "refused");
            record.put("reason", redactor.redact(String.valueOf(e.getMessage())));
            record.put("durationMs", Duration.ofNanos(System.nanoTime() - started).toMillis());
            log.write(record);
            if (e instanceof SandboxException s) {
                throw StreamedRun.explained(s);
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
        return streamed.report(command, result);
    }

    /** Writes the refusal of a pipeline that did not parse: its text, redacted, and why. */
    static void refusedSyntax(String pipeline, String reason, CliContext ctx, AuditOption audit) {
        try (AuditLog log = open(audit, ctx.host())) {
            Redactor redactor = log.enabled() ? new Redactor(new Secrets(ctx.host()).refresh()) : Redactor.none();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("source", "cli");
            record.put("session", "cli-" + ProcessHandle.current().pid());
            record.put("tool", "pipe");
            record.put("pipeline", redactor.redact(pipeline));
            record.put("decision", "refused");
            record.put("reason", redactor.redact(reason));
            log.write(record);
        }
    }

    /** Opens the log {@code audit} names; a file that cannot be appended to is a usage error that names it. */
    static AuditLog open(AuditOption audit, HostEnvironment host) {
        try {
            if (audit.file().isPresent()) {
                Path file = audit.file().get();
                return AuditLog.open(host.expand(file.toString()), "--audit-log " + file);
            }
            return AuditLog.fromEnvironment(host);
        } catch (SandboxException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The host with {@code AWS_MCP_AUDIT_LOG} set to the flag's file, so that the MCP server opens it. */
    static HostEnvironment apply(AuditOption audit, HostEnvironment host) {
        if (audit.file().isEmpty()) {
            return host;
        }
        Path file = audit.file().get();
        try { // checked here, for a usage error before the server starts (nothing is created yet)
            AuditLog.check(host.expand(file.toString()), "--audit-log " + file);
        } catch (SandboxException e) {
            throw CliException.usage(e.getMessage());
        }
        Map<String, String> variables = new LinkedHashMap<>(host.variables());
        variables.put(AuditLog.ENV_VAR, host.expand(file.toString()).toString());
        return host.withVariables(variables);
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
