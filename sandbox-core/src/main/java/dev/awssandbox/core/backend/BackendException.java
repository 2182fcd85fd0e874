package dev.awssandbox.core.backend;

/** A backend cannot run this plan here; the reason says which kind of failure it is. */
public final class BackendException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The mechanism is missing or cannot start on this host. */
        UNAVAILABLE,
        /** In required mode: the kernel cannot enforce the whole policy with this backend. */
        UNENFORCEABLE,
        /** The plan itself cannot be honoured (e.g. it would make a private directory writable). */
        INVALID_REQUEST,
        /** A system call failed. */
        SYSTEM
    }

    private final Reason reason;

    public BackendException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BackendException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
