package dev.awssandbox.cli;

import dev.awssandbox.core.ExecResult;
import java.util.List;

/**
 * What the sandbox refused a command, worded for a person at a terminal: the flag that would
 * allow it, or why nothing does.
 */
final class DenialAdvice {
    private DenialAdvice() {}

    static String of(ExecResult.Denial denial, List<ExecResult.Stage> stages) {
        return switch (denial) {
            case ExecResult.Denial.NotReadable d -> d.path() + " is outside the sandbox policy: allow reading with --ro "
                    + d.allow() + " (or reading and writing with --rw " + d.allow() + ")";
            case ExecResult.Denial.NotWritable d -> d.path() + " is read-only in the sandbox: allow writing beneath "
                    + d.allow() + " with --rw " + d.allow();
            case ExecResult.Denial.Protected d -> switch (d.kind()) {
                case GIT_METADATA -> d.path() + " is read-only in the sandbox: " + d.protectedPath()
                        + " is git metadata, whose hooks and config git runs outside the sandbox;"
                        + " allow writing it with --allow-git-writes";
                case INSTALLATION -> d.path() + " is read-only in the sandbox: " + d.protectedPath()
                        + " is aws-sandbox's own installation, which no sandboxed command may change";
                case CREDENTIALS -> d.path() + " is read-only in the sandbox: " + d.protectedPath()
                        + " holds AWS credentials, which no sandboxed command may change";
            };
            case ExecResult.Denial.NetworkOff d -> program(stages, d.stage()) + " was refused a connection: the network"
                    + " is off for it (--no-network, or a per-stage policy); run it with the network on to allow it";
            case ExecResult.Denial.HostNotAllowed d -> program(stages, d.stage()) + " was refused a connection to "
                    + d.host() + " port " + d.port() + ": it is not an allowed host; allow it with --allow-host "
                    + d.pattern();
        };
    }

    private static String program(List<ExecResult.Stage> stages, int stage) {
        return stage < stages.size() ? stages.get(stage).command().getFirst() : "the command";
    }
}
