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
     * isolates, zero-width characters), also line and paragraph separators. Other characters stay
     * (the CLI's own sentences use a few, such as an ellipsis).
     */
    static String line(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = c < 0x20 || c >= 0x7f && c < 0xa0 || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }
}
