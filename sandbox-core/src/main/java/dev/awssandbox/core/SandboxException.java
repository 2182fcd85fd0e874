package dev.awssandbox.core;

import java.nio.file.Path;
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
        SYSTEM,
        /**
         * The command ran, but a stream its output was copied to ({@code Command.Output.streamTo})
         * threw, so every stage was killed (as SIGPIPE stops a shell pipeline whose reader went
         * away); the cause is the stream's exception.
         */
        OUTPUT_FAILED
    }

    private final Kind kind;
    private final BackendKind backend; // null when none was involved (an Optional is not serializable)
    private final String program; // null: the failure is not about one program
    private final String missingInterpreter; // null: not why
    private final String[] unreadable; // the chain's files the sandbox does not let the command read

    public SandboxException(Kind kind, String message, Optional<BackendKind> backend, Throwable cause) {
        this(kind, message, backend, cause, null, Optional.empty());
    }

    /** A program (argv[0] of one stage) that could not be run, and the missing interpreter if that is why. */
    SandboxException(Kind kind, String message, Optional<BackendKind> backend, Throwable cause, String program,
                     Optional<Path> missingInterpreter) {
        this(kind, message, backend, cause, program, missingInterpreter, java.util.List.of());
    }

    /** As above, with the files of the program's chain the sandbox does not let it read, if that is why. */
    SandboxException(Kind kind, String message, Optional<BackendKind> backend, Throwable cause, String program,
                     Optional<Path> missingInterpreter, java.util.List<Path> unreadable) {
        super(message, cause);
        this.kind = kind;
        this.backend = backend.orElse(null);
        this.program = program;
        this.missingInterpreter = missingInterpreter.map(Path::toString).orElse(null);
        this.unreadable = unreadable.stream().map(Path::toString).toArray(String[]::new);
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

    /**
     * The program (argv[0] of the stage) that could not be found or executed, for {@link
     * Kind#NOT_FOUND} and {@link Kind#NOT_EXECUTABLE} when planning a stage failed: in a pipeline,
     * which stage it was.
     */
    public Optional<String> program() {
        return Optional.ofNullable(program);
    }

    /**
     * {@link Kind#NOT_FOUND} because the program is a script whose {@code #!} interpreter does not
     * exist: that interpreter (the kernel's ENOENT would name the script as if it were missing).
     */
    public Optional<Path> missingInterpreter() {
        return Optional.ofNullable(missingInterpreter).map(Path::of);
    }

    /**
     * {@link Kind#NOT_EXECUTABLE} because the sandbox does not let the command read the program or an interpreter of
     * its chain: those files (empty when that is not why).
     */
    public java.util.List<Path> unreadable() {
        return java.util.Arrays.stream(unreadable).map(Path::of).toList();
    }
}
