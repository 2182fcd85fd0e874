package dev.awssandbox.core.posix;

/** A POSIX call failed; carries the call and its errno. */
public final class PosixException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public PosixException(String call, int errno) {
        super(call + ": " + Posix.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
