package dev.awssandbox.mcp;

/**
 * Text the model chose, made safe to show the user. The consent question embeds the command's
 * argument values: a value with CR, LF, {@code ESC[2K ESC[1A} (erase, cursor up) or a bidirectional
 * override redrew the question on a terminal client as "wants to run s3:ls (read)" while the call
 * was {@code s3 rm --recursive} (red team, mcp round 8, F3). The same goes for the log and progress
 * notifications, which show the command and the reason it was refused. Characters that show as
 * nothing, or as a blank that is not a space, are escaped too: {@code --role-name Admin} and
 * {@code Admin\u3164} (a Hangul filler) looked the same in the question (red team, mcp round 9, F5).
 */
final class Printable {
    private Printable() {}

    /**
     * {@code text} with every character a terminal or a text renderer acts on escaped: C0 and C1
     * controls and DEL ({@code \r}, {@code \n}, {@code \t}, else {@code \}{@code u001b}), format
     * characters (bidirectional overrides and isolates, zero-width characters, tag characters) and
     * line and paragraph separators; and what shows as nothing or as a blank ({@link #invisible}).
     * Other characters stay as they are (names in other scripts).
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
                    || type == Character.SURROGATE // a lone surrogate: no character at all
                    || invisible(c, type);
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

    /**
     * Characters that are not controls or format characters but still show as nothing, as a blank
     * other than a space, or change how the character before them looks, so that two different
     * values read the same (red team, mcp round 9, F5): combining marks (U+0336 strikes the letter
     * before it through; U+034F, the variation selectors U+FE00–FE0F and U+E0100–E01EF, the Mongolian
     * selectors U+180B–180F and the Khmer vowels U+17B4–17B5 show as nothing), spaces other than U+0020 (U+00A0,
     * U+3000, …), the Hangul fillers and the blank braille pattern, and unassigned code points (a later
     * Unicode version may make them invisible; the ones reserved as default-ignorable already render
     * as nothing). The cost: text in scripts written with combining marks (Thai vowels, Devanagari
     * virama, decomposed accents) shows some of its marks escaped.
     */
    private static boolean invisible(int c, int type) {
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.SPACE_SEPARATOR && c != ' '
                || type == Character.UNASSIGNED
                || c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0 // Hangul fillers, letters that show as nothing
                || c == 0x2800; // braille pattern blank
    }
}
