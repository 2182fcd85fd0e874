package dev.awssandbox.mcp;

import dev.awssandbox.core.ExecResult;
import java.util.List;

/**
 * What the sandbox refused a command, in sentences a model can act on: it cannot change the
 * server's policy, so the advice is what to do instead, or what to ask the user.
 */
final class DenialSentences {
    private DenialSentences() {}

    static String of(ExecResult.Denial denial, List<String> argv) {
        String program = argv.isEmpty() ? "the command" : argv.getFirst();
        return switch (denial) {
            case ExecResult.Denial.NotReadable d -> program + " could not read " + d.path()
                    + ": it is outside what this server's sandbox lets commands read; work with the AWS APIs instead,"
                    + " or ask the user to allow " + d.allow() + " in the server's configuration";
            case ExecResult.Denial.NotWritable d -> program + " could not write " + d.path()
                    + ": it is read-only in this server's sandbox; write into the working directory instead";
            case ExecResult.Denial.NotCreatable d -> program + " could not create " + d.path()
                    + ": it is outside what this server's sandbox lets commands write; write into the working directory"
                    + " instead";
            case ExecResult.Denial.Protected d -> switch (d.kind()) {
                case GIT_METADATA -> program + " could not write " + d.path() + ": it is git metadata ("
                        + d.protectedPath() + "), which sandboxed commands may not change";
                case INSTALLATION -> program + " could not write " + d.path()
                        + ": it belongs to aws-sandbox's own installation, which sandboxed commands never change";
                case CREDENTIALS -> program + " could not write " + d.path()
                        + ": it is where AWS credentials are kept, which sandboxed commands never change";
            };
            case ExecResult.Denial.InWithheldWorkingDirectory d -> program + " could not open " + d.path()
                    + ": it is in the workspace, which the sandbox does not give the AWS CLI (the sandbox note says why)";
            case ExecResult.Denial.NetworkOff d -> program + " was refused a connection: the network is off for this"
                    + " stage (filters run offline); fetch data in the aws stage and pipe it in";
            case ExecResult.Denial.HostNotAllowed d -> program + " was refused a connection to " + d.host() + " port "
                    + d.port() + ": this server lets the AWS CLI reach only AWS endpoints and the endpoints it allows;"
                    + " use an AWS endpoint, or ask the user to allow " + d.pattern() + " (AWS_MCP_ALLOWED_ENDPOINTS)";
            case ExecResult.Denial.LimitReached d -> switch (d.limit()) {
                case MEMORY -> program + " was killed: it used more than the " + size(d.value())
                        + " of memory this server allows each program of a command (with all its processes); work on"
                        + " less data at once (paginate with"
                        + " --max-items and --starting-token, narrow with --query or the service's filters)";
                case PROCESS_MEMORY -> program + " ran out of memory: it asked for more than the " + size(d.value())
                        + " of memory this server allows each process; work on less data at once (paginate with"
                        + " --max-items and --starting-token, narrow with --query or the service's filters)";
                case PROCESSES -> program + " could not start another process: the command reached this server's"
                        + " limit of " + d.value() + " processes and threads; run fewer processes at once";
                case CPU_TIME -> program + " was stopped: it used the " + d.value() + " seconds of CPU time this"
                        + " server allows a process; do less work in one command";
                case FILE_SIZE -> program + " could not write a file larger than " + size(d.value())
                        + ", this server's limit; write less (filter the data, or split it into several files)";
            };
        };
    }

    /** A byte count for a sentence: "2 GiB", "512 MiB", "100 KiB", or bytes. */
    static String size(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (3 - i));
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + " " + units[i];
            }
        }
        return bytes + " bytes";
    }
}
