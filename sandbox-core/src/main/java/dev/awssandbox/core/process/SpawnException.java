package dev.awssandbox.core.process;

/** posix_spawn, the restriction before it or the limits after it failed; carries the failing step and its errno. */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which step failed. */
    public enum Step {
        /** The spawning thread could not restrict itself: nothing was started. */
        RESTRICT,
        /** posix_spawn failed (the program could not be executed): nothing of the command ran. */
        SPAWN,
        /** The limits, cgroup or registration could not be applied: the child was killed before it ran. */
        LIMITS
    }

    private final Step step;
    private final int errno;
    private final transient java.nio.file.Path executable; // a Path is not serializable

    public SpawnException(Step step, int errno, java.nio.file.Path executable, String message) {
        super(message);
        this.step = step;
        this.errno = errno;
        this.executable = executable;
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
