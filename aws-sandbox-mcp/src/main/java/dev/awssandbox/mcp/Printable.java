package dev.awssandbox.mcp;

/**
 * Text the model chose, made safe to show the user. The consent question embeds the command's
 * argument values: a value with CR, LF, {@code ESC[2K ESC[1A} (erase, cursor up) or a bidirectional
 * override redrew the question on a terminal client as "wants to run s3:ls (read)" while the call
 * was {@code s3 rm --recursive} (red team, mcp round 8, F3). The same goes for the log and progress
 * notifications, which show the command and the reason it was refused.
 */
final class Printable {
    private Printable() {}

    /**
     * {@code text} with every character a terminal or a text renderer acts on escaped: C0 and C1
     * controls and DEL ({@code \r}, {@code \n}, {@code \t}, else {@code \}{@code u001b}), format
     * characters (bidirectional overrides and isolates, zero-width characters, tag characters) and
     * line and paragraph separators. Other characters stay as they are (names in other scripts).
     * A backslash stays too: a literal {@code \n} in a value then reads as the escape does, which
     * shows no control character and so spoofs nothing.
     */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            int type = Character.getType(c);
            boolean unsafe = c < 0x20 || c >= 0x7f && c < 0xa0 || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE; // a lone surrogate: no character at all
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!unsafe) {
                    out.appendCodePoint(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c > 0xffff) {
                    out.append(String.format("\\U%08x", c));
                } else {
                    out.append(String.format("\\u%04x", c));
                }
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }
}
