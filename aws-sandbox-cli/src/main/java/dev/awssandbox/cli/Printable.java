package dev.awssandbox.cli;

/**
 * Text from outside the CLI made safe to print on a terminal. A denial's path comes from the
 * command's own stderr: a forged one carried {@code ESC[2K}, a carriage return, SGR 8 (concealed
 * text), U+2215 (a slash look-alike) and bidirectional overrides, and rewrote the CLI's own
 * {@code aws-sandbox: hint:} line on the screen (red team, round 19, F5).
 */
final class Printable {
    private Printable() {}

    /**
     * {@code value} as is when it is printable ASCII only; otherwise in double quotes with Java
     * escapes ({@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code uXXXX}
     * for everything else outside printable ASCII), so that neither control sequences nor
     * look-alike characters reach the terminal as such.
     */
    static String quoted(Object value) {
        String text = String.valueOf(value);
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * A whole line of the CLI's own (a warning, an error) with every character a terminal acts on
     * escaped: C0 and C1 controls, DEL, and format characters (bidirectional overrides and
     * isolates, zero-width characters, tag characters), also line and paragraph separators and
     * lone surrogates; and, as the MCP server's consent question does (mcp round 9, F5), what shows
     * as nothing or as a blank other than a space ({@link #invisible}). Other characters stay (the
     * CLI's own sentences use a few, such as an ellipsis). Escapes are {@code \}{@code uXXXX}, or
     * {@code \}{@code UXXXXXXXX} beyond the BMP.
     */
    static String line(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            boolean unsafe = c < 0x20 || c >= 0x7f && c < 0xa0 || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE || invisible(c, type);
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!unsafe) {
                    out.appendCodePoint(c);
                } else {
                    out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                }
            }
            i += Character.charCount(c);
        }
        return out == null ? text : out.toString();
    }

    /**
     * Characters that show as nothing, as a blank other than a space, or change how the character
     * before them looks: combining marks (U+0336 strikes a letter through; U+034F and the variation
     * selectors show as nothing), spaces other than U+0020, the Hangul fillers, the blank braille
     * pattern, and unassigned code points. The same set as the MCP server's {@code Printable}.
     */
    private static boolean invisible(int c, int type) {
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.SPACE_SEPARATOR && c != ' '
                || type == Character.UNASSIGNED
                || c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0
                || c == 0x2800;
    }
}
