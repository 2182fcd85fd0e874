package dev.awssandbox.core.process;

/** posix_spawn, the restriction before it or the limits after it failed; carries the failing step and its errno. */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which step failed. */
    public enum Step {
        /**
         * The spawn could not be prepared (descriptors, memory, the spawn gate): the system refused a
         * resource, nothing was started.
         */
        PREPARE,
        /** The spawning thread could not restrict itself: nothing was started. */
        RESTRICT,
        /** posix_spawn failed (the program could not be executed): nothing of the command ran. */
        SPAWN,
        /**
         * The limits, cgroup or registration (its pidfd) could not be applied: the child was killed
         * (and reaped) before it ran.
         */
        LIMITS
    }

    private final Step step;
    private final int errno;
    private final transient java.nio.file.Path executable; // a Path is not serializable

    private final transient java.util.OptionalInt stage; // not serializable either

    public SpawnException(Step step, int errno, java.nio.file.Path executable, String message) {
        this(step, errno, executable, message, java.util.OptionalInt.empty());
    }

    private SpawnException(Step step, int errno, java.nio.file.Path executable, String message, java.util.OptionalInt stage) {
        super(message);
        this.step = step;
        this.errno = errno;
        this.executable = executable;
        this.stage = stage;
    }

    /** The same failure, said to be of the pipeline's stage {@code index} (0-based). */
    public SpawnException atStage(int index) {
        SpawnException copy = new SpawnException(step, errno, executable, getMessage(), java.util.OptionalInt.of(index));
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** Which stage of the pipeline failed to start (0-based), when the engine said so. */
    public java.util.OptionalInt stage() {
        return stage;
    }

    /** The program that was being started. */
    public java.nio.file.Path executable() {
        return executable;
    }

    public Step step() {
        return step;
    }

    public int errno() {
        return errno;
    }
}
