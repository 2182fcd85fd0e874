package dev.awssandbox.core;

import java.time.Duration;
import java.util.List;

/**
 * A finished command.
 *
 * @param command     the argv that ran
 * @param status      how it ended (when it timed out: the signal that killed it)
 * @param timedOut    whether the timeout expired and the command was killed
 * @param stdout      what it wrote on stdout
 * @param stderr      what it wrote on stderr
 * @param duration    from spawn to exit
 * @param enforcement the isolation that applied, backend included
 */
public record ExecResult(
        List<String> command,
        ExitStatus status,
        boolean timedOut,
        CapturedOutput stdout,
        CapturedOutput stderr,
        Duration duration,
        EnforcementReport enforcement) {

    public ExecResult {
        command = List.copyOf(command);
    }

    /** The command exited with code 0 before any timeout. */
    public boolean isSuccess() {
        return !timedOut && status.isSuccess();
    }

    /** The status a shell would report: exit code, or 128 + signal. */
    public int exitCode() {
        return status.shellStatus();
    }

    public BackendKind backend() {
        return enforcement.backend();
    }
}
