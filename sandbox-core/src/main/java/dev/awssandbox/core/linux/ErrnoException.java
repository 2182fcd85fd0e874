package dev.awssandbox.core.linux;

import java.io.IOException;

/** A failed native call: the call's name, its subject (path, pid, …) and the errno it returned. */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
