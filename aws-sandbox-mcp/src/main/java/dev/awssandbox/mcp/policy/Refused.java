package dev.awssandbox.mcp.policy;

/** A call the policy does not allow, with a message the model can act on (never a secret value). */
public final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
        super(message);
    }
}
