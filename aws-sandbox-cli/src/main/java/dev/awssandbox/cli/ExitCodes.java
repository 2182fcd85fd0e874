package dev.awssandbox.cli;

/**
 * Exit codes of {@code aws-sandbox} itself. A command that ran exits with its own status; these
 * follow the conventions of {@code timeout(1)} and {@code env(1)} so that scripts can tell
 * "the command failed" from "aws-sandbox could not run it".
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A doctor check failed. */
    public static final int CHECK_FAILED = 1;
    /** Bad flags, a missing path, an invalid value. */
    public static final int USAGE = 2;
    /** The command ran past its timeout and was killed. */
    public static final int TIMED_OUT = 124;
    /** aws-sandbox could not sandbox or start the command (no backend in required mode, unenforceable policy, system error). */
    public static final int SANDBOX_FAILURE = 125;
    /** The program exists but could not be executed (the policy may deny it). */
    public static final int NOT_EXECUTABLE = 126;
    /** The program was not found. */
    public static final int NOT_FOUND = 127;

    private ExitCodes() {}
}
