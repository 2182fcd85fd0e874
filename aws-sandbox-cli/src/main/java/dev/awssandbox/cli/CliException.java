package dev.awssandbox.cli;

import dev.awssandbox.core.SandboxException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Ends a command with a named exit code ({@link ExitCodes}) and one line that says what went
 * wrong and what to do; the cause is shown with {@code --verbose}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    int exitCode() {
        return exitCode;
    }

    static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    /**
     * What the CLI says about a failure a command did not word itself: the library's errors by
     * kind, with the CLI's advice; anything else is a bug, said as one.
     */
    static CliException of(Exception e) {
        return switch (e) {
            case CliException c -> c;
            case SandboxException s -> new CliException(exitCode(s.kind()), CliWording.of(s.getMessage()) + advice(s.kind()), s);
            case IOException io -> new CliException(ExitCodes.SANDBOX_FAILURE, "input/output error: " + io, io);
            case UncheckedIOException io -> new CliException(ExitCodes.SANDBOX_FAILURE,
                    "input/output error: " + io.getCause(), io);
            // a path this JVM cannot name (red team, round 63, FP2: it had been an internal error)
            case java.nio.file.InvalidPathException ip -> new CliException(ExitCodes.USAGE, "the path " + ip.getInput()
                    + (ip.getReason().startsWith("Malformed") ? " cannot be named in this Java's file name encoding, "
                    + System.getProperty("sun.jnu.encoding") + ": run aws-sandbox with a UTF-8 locale (for example"
                    + " LC_ALL=C.UTF-8)" : " cannot be named: " + ip.getReason()), ip);
            default -> new CliException(ExitCodes.SANDBOX_FAILURE, "internal error: " + e
                    + "; rerun with --verbose for the stack trace, and please report it", e);
        };
    }

    static int exitCode(SandboxException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> ExitCodes.NOT_FOUND;
            case NOT_EXECUTABLE -> ExitCodes.NOT_EXECUTABLE;
            case INVALID_REQUEST -> ExitCodes.USAGE;
            case UNAVAILABLE, UNENFORCEABLE, SYSTEM -> ExitCodes.SANDBOX_FAILURE;
            case OUTPUT_FAILED -> ExitCodes.BROKEN_PIPE;
        };
    }

    /** The next step, for a person at a terminal; the library's message says what happened. */
    private static String advice(SandboxException.Kind kind) {
        return switch (kind) {
            case UNAVAILABLE -> "; 'aws-sandbox doctor' shows every backend and why it is unavailable";
            case UNENFORCEABLE -> "; 'aws-sandbox doctor' shows what this kernel enforces, and --mode auto runs"
                    + " with these gaps reported";
            case NOT_EXECUTABLE -> "; 'aws-sandbox policy -- CMD' shows what the command may read and execute";
            case NOT_FOUND -> "; check its name, or give its path";
            case SYSTEM -> "; rerun with --verbose for details";
            case INVALID_REQUEST, OUTPUT_FAILED -> "";
        };
    }
}
