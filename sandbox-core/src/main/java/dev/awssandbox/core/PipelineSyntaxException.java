package dev.awssandbox.core;

/**
 * A pipeline string that aws-sandbox will not run: it uses shell syntax that only a shell
 * understands (no shell is ever involved), or it is malformed. The message names the construct
 * and its position (0-based) and says what to write instead.
 */
public final class PipelineSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public PipelineSyntaxException(String message, int position) {
        super(message);
        this.position = position;
    }

    /** 0-based index of the offending character in the input. */
    public int position() {
        return position;
    }
}
