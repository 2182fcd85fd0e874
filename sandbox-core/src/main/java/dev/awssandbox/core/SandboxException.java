package dev.awssandbox.core;

import java.util.List;
import java.util.Optional;

/**
 * A command could not be run as asked: no backend, a policy the kernel cannot enforce in
 * {@code required} mode, a program that cannot be found or executed. Messages name the program,
 * the backend and the cause; they never contain environment values.
 */
public class SandboxException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that map errors to exit codes. */
    public enum Kind {
        /** No backend can run the command at the isolation the mode asks for. */
        UNAVAILABLE,
        /** The policy asks for something the backend cannot enforce ({@code required} mode). */
        UNENFORCEABLE,
        /** The program was not found. */
        NOT_FOUND,
        /** The program was found but could not be executed (including: the policy denies it). */
        NOT_EXECUTABLE,
        /** The request itself is invalid. */
        INVALID_REQUEST,
        /** The system refused a resource (pipes, processes) or failed unexpectedly. */
        SYSTEM
    }

    private final Kind kind;
    private final BackendKind backend; // null when none was involved (an Optional is not serializable)

    public SandboxException(Kind kind, String message, Optional<BackendKind> backend, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.backend = backend.orElse(null);
    }

    public SandboxException(Kind kind, String message, Optional<BackendKind> backend) {
        this(kind, message, backend, null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<BackendKind> backend() {
        return Optional.ofNullable(backend);
    }

    /** "aws" from ["aws", "s3", "ls"]: error messages name the program, not its arguments, which may hold secrets. */
    static String program(List<String> command) {
        return command.isEmpty() ? "(empty command)" : command.getFirst();
    }
}
