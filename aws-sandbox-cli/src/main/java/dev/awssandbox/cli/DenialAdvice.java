package dev.awssandbox.cli;

import dev.awssandbox.core.ExecResult;
import java.util.List;

/**
 * What the sandbox refused a command, worded for a person at a terminal: the flag that would
 * allow it, or why nothing does. Every path, host and program name in it is {@link Printable#quoted}:
 * a denial's path comes from the command's stderr (red team, round 19, F5).
 */
final class DenialAdvice {
    private DenialAdvice() {}

    static String of(ExecResult.Denial denial, List<ExecResult.Stage> stages) {
        return switch (denial) {
            case ExecResult.Denial.NotReadable d -> Printable.quoted(d.path()) + " is outside the sandbox policy: allow reading with --ro "
                    + Printable.quoted(d.allow()) + " (or reading and writing with --rw " + Printable.quoted(d.allow()) + ")";
            case ExecResult.Denial.NotWritable d -> Printable.quoted(d.path()) + " is read-only in the sandbox: allow writing beneath "
                    + Printable.quoted(d.allow()) + " with --rw " + Printable.quoted(d.allow());
            case ExecResult.Denial.NotCreatable d -> Printable.quoted(d.path()) + " cannot be created in the sandbox: "
                    + Printable.quoted(d.allow()) + " is outside its policy; allow writing in it with --rw " + Printable.quoted(d.allow());
            case ExecResult.Denial.Protected d -> switch (d.kind()) {
                // a fact, no flag: the path is the command's own text, and --allow-git-writes is what makes
                // .git/hooks writable for the next command (red team, round 19, F7); the plan's own warning,
                // made from what the planner found, still names the opt-in
                case GIT_METADATA -> Printable.quoted(d.path()) + " is read-only in the sandbox: " + Printable.quoted(d.protectedPath())
                        + " is git metadata, whose hooks and config git runs outside the sandbox, so no sandboxed"
                        + " command may change it";
                case INSTALLATION -> Printable.quoted(d.path()) + " is read-only in the sandbox: " + Printable.quoted(d.protectedPath())
                        + " is aws-sandbox's own installation, which no sandboxed command may change";
                case CREDENTIALS -> Printable.quoted(d.path()) + " is read-only in the sandbox: " + Printable.quoted(d.protectedPath())
                        + " holds AWS credentials, which no sandboxed command may change";
            };
            case ExecResult.Denial.InWithheldWorkingDirectory d -> Printable.quoted(d.path()) + " is in the working"
                    + " directory, which the sandbox does not give the command (the warning above says why): "
                    + CliWording.WORKING_DIRECTORY_ADVICE;
            case ExecResult.Denial.NetworkOff d -> program(stages, d.stage()) + " was refused a connection: the network"
                    + " is off for it (--no-network, or a per-stage policy); allow only the hosts it needs with"
                    + " --allow-host HOST instead (or run it with the network on)";
            case ExecResult.Denial.HostNotAllowed d -> program(stages, d.stage()) + " was refused a connection to "
                    + Printable.quoted(d.host()) + " port " + d.port() + ": it is not an allowed host; allow it with --allow-host "
                    + Printable.quoted(d.pattern());
            case ExecResult.Denial.LimitReached d -> switch (d.limit()) {
                case MEMORY -> program(stages, d.stage()) + " was killed at its memory limit (--max-memory "
                        + size(d.value()) + ", for it and all its processes together): raise it with --max-memory SIZE";
                case PROCESS_MEMORY -> program(stages, d.stage()) + " was refused memory: an allocation failed at its"
                        + " per-process memory limit (--max-memory " + size(d.value()) + ", also each process's data"
                        + " limit): raise it with --max-memory SIZE";
                case PROCESSES -> program(stages, d.stage()) + " was refused a new process at its limit of "
                        + d.value() + " processes and threads: raise it with --max-processes N";
                case CPU_TIME -> program(stages, d.stage()) + " was stopped at its CPU time limit (--max-cpu "
                        + d.value() + "s, per process): raise it with --max-cpu DURATION";
                case FILE_SIZE -> program(stages, d.stage()) + " could not write a file past its size limit"
                        + " (--max-file-size " + size(d.value()) + "): raise it with --max-file-size SIZE";
            };
        };
    }

    /** A byte count as --max-memory and --max-file-size take it: 2G, 512M, 100K, or bytes. */
    static String size(long bytes) {
        String[] units = {"G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (3 - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    private static String program(List<ExecResult.Stage> stages, int stage) {
        return stage < stages.size() ? Printable.quoted(stages.get(stage).command().getFirst()) : "the command";
    }
}
