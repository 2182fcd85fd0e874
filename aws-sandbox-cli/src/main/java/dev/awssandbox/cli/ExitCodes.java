package dev.awssandbox.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exit codes of {@code aws-sandbox} itself. A command that ran exits with its own status; these
 * follow the conventions of {@code timeout(1)} and {@code env(1)} so that scripts can tell
 * "the command failed" from "aws-sandbox could not run it". Every code comes with one line on
 * stderr, {@code aws-sandbox: error: …}, that says what to do. {@code --help} and the README list
 * them from {@link #MEANINGS}.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** A doctor check failed. */
    public static final int CHECK_FAILED = 1;
    /**
     * What the user wrote is wrong: bad flags or values, a missing {@code --ro}/{@code --rw} path,
     * pipeline syntax, an invalid {@code AWS_MCP_*} variable, an unreadable or malformed MCP policy
     * file.
     */
    public static final int USAGE = 2;
    /**
     * The MCP HTTP server cannot listen: the port is in use, or the address is not this machine's.
     * sysexits' {@code EX_TEMPFAIL}: a supervisor may retry this one (the other server may go away)
     * and not a configuration error, which no retry fixes.
     */
    public static final int CANNOT_LISTEN = 75;
    /** The command ran past its timeout and was killed. */
    public static final int TIMED_OUT = 124;
    /**
     * aws-sandbox could not sandbox or start the command: no backend available (required mode, or
     * the one asked for with {@code --backend}), a policy the kernel cannot enforce in required
     * mode, a system error; writing the command's output failed (a full disk), so it was killed.
     */
    public static final int SANDBOX_FAILURE = 125;
    /** The program exists but could not be executed (the policy may deny it). */
    public static final int NOT_EXECUTABLE = 126;
    /** The program was not found; for {@code mcp}, the AWS CLI's service models were not found. */
    public static final int NOT_FOUND = 127;
    /**
     * aws-sandbox's own stdout broke or was closed ({@code run -- yes | head -1}), so the command was
     * killed: 128+SIGPIPE, what a shell reports for {@code yes | head -1}'s {@code yes}. Said by the
     * status alone, as {@code yes} says nothing.
     */
    public static final int BROKEN_PIPE = 141;

    /** Each code and what it means, in the words of {@code --help}. */
    static final Map<String, String> MEANINGS = meanings();

    private ExitCodes() {}

    private static Map<String, String> meanings() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, OK, "success");
        put(m, CHECK_FAILED, "doctor: a check failed");
        put(m, USAGE, "usage: a bad option or value, a missing --ro/--rw path, pipeline syntax, an invalid"
                + " AWS_MCP_* variable, an unreadable or malformed MCP policy file");
        put(m, CANNOT_LISTEN, "mcp: cannot listen on --host/--port (port in use, address not this machine's)");
        put(m, TIMED_OUT, "the command or pipeline timed out and was killed");
        put(m, SANDBOX_FAILURE, "cannot sandbox it: no backend available, a policy the kernel cannot enforce in"
                + " required mode, a system error; run, pipe: writing the output failed (a full disk)");
        put(m, NOT_EXECUTABLE, "the program could not be executed (e.g. the sandbox denies it)");
        put(m, NOT_FOUND, "the program was not found (mcp: the AWS CLI's service models)");
        put(m, BROKEN_PIPE, "run, pipe: aws-sandbox's stdout broke or was closed (its reader exited); the command was"
                + " killed");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, String> meanings, int code, String meaning) {
        meanings.put(String.valueOf(code), meaning);
    }
}
