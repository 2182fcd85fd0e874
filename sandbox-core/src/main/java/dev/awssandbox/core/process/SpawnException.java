package dev.awssandbox.core.process;

/** posix_spawn or the restriction before it failed; carries the failing step and its errno. */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Which step failed. */
    public enum Step { PIPES, RESTRICT, SPAWN }

    private final Step step;
    private final int errno;

    public SpawnException(Step step, int errno, String message) {
        super(message);
        this.step = step;
        this.errno = errno;
    }

    public Step step() {
        return step;
    }

    public int errno() {
        return errno;
    }
}
