package dev.awssandbox.core;

import java.util.List;

/**
 * One command of a finished pipeline (a single command is a pipeline of one).
 *
 * @param command     its argv
 * @param status      how it ended
 * @param brokenPipe  it failed only because the next stage stopped reading early (killed by
 *                    SIGPIPE, or failed after its reader had exited saying "Broken pipe", as Python's
 *                    {@code aws … | head -1} does); such a failure does not fail the pipeline
 * @param stderr      what it wrote on stderr
 * @param enforcement the isolation it ran under (stages may have their own policies)
 */
public record StageResult(
        List<String> command,
        ExitStatus status,
        boolean brokenPipe,
        CapturedOutput stderr,
        EnforcementReport enforcement) {

    public StageResult {
        command = List.copyOf(command);
    }

    /** Whether this stage counts as failed for the pipeline's status. */
    public boolean failed() {
        return !status.isSuccess() && !brokenPipe;
    }
}
