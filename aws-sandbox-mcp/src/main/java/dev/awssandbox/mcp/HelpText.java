package dev.awssandbox.mcp;

import java.util.regex.Pattern;

/**
 * The AWS CLI's help as plain text. {@code aws … help} renders a man page with groff, whose
 * terminal output marks bold and underline either by overstrike ({@code N\bN}, {@code _\bx}) or
 * by ANSI escape sequences ({@code ESC[1m}), depending on groff's configuration; a model should
 * read neither.
 */
final class HelpText {
    /** CSI sequences (SGR and the rest), OSC sequences, and any other two-character escape. */
    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");
    /** A character struck over: the one before the backspace goes, the one after stays. */
    private static final Pattern OVERSTRIKE = Pattern.compile("[^\n]\b");
    /** Control characters left over, except tab and newline. */
    private static final Pattern CONTROLS = Pattern.compile("[\u0000-\u0008\u000B-\u001F\u007F]");

    private HelpText() {}

    static String plain(String rendered) {
        String text = ESCAPES.matcher(rendered).replaceAll("");
        text = OVERSTRIKE.matcher(text).replaceAll("");
        text = text.replace("\r\n", "\n");
        return CONTROLS.matcher(text).replaceAll("");
    }
}
