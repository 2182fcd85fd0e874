package dev.awssandbox.core;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A finished command or pipeline.
 *
 * <p>The status follows {@code pipefail}: the status of the rightmost stage that failed, or
 * success; a stage that failed only because a later stage stopped reading early does not count
 * (see {@link StageResult#brokenPipe()}).
 *
 * @param stages      every stage, in order (one for a single command)
 * @param status      the pipeline's status (when it timed out: the signal that killed the last stage)
 * @param failedStage index of the stage whose status is the pipeline's, when it failed
 * @param timedOut    whether the deadline expired and everything was killed
 * @param stdout      what the last stage wrote on stdout
 * @param stderr      every stage's stderr, in stage order
 * @param duration    from the first spawn until every stage had exited
 * @param enforcement the isolation of the first stage (each stage has its own in {@link #stages})
 * @param hints       when a stage failed on a sandbox denial: one line each naming the option that
 *                    would allow it ({@code --ro PATH}, {@code --rw PATH}, the network)
 */
public record ExecResult(
        List<StageResult> stages,
        ExitStatus status,
        OptionalInt failedStage,
        boolean timedOut,
        CapturedOutput stdout,
        CapturedOutput stderr,
        Duration duration,
        EnforcementReport enforcement,
        List<String> hints) {

    public ExecResult {
        stages = List.copyOf(stages);
        hints = List.copyOf(hints);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a result has at least one stage");
        }
    }

    /** A copy with these hints. */
    public ExecResult withHints(List<String> newHints) {
        return new ExecResult(stages, status, failedStage, timedOut, stdout, stderr, duration, enforcement, newHints);
    }

    /** The argv of the first stage (the command, for a single command). */
    public List<String> command() {
        return stages.getFirst().command();
    }

    /** Every stage succeeded (or broke its pipe benignly) before any timeout. */
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

    /** "stage 2 (jq) exit code 5", or "" when nothing failed: for messages. */
    public String failureSummary() {
        if (timedOut) {
            return "timed out after " + duration.toMillis() + " ms; every stage was killed";
        }
        if (failedStage.isEmpty()) {
            return "";
        }
        int i = failedStage.getAsInt();
        StageResult stage = stages.get(i);
        return (stages.size() > 1 ? "stage " + (i + 1) + " (" + stage.command().getFirst() + ") " : "") + stage.status();
    }
}
