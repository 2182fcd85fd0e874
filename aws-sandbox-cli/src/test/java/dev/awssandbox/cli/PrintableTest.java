package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The CLI's own lines escape what a terminal acts on and what shows as nothing, as the MCP
 * server's consent question does (mcp round 9, F5): two names that differ by a Hangul filler or a
 * variation selector must not print the same.
 */
class PrintableTest {

    @Test
    void aLineShowsInvisibleCharactersEscaped() {
        String invisible = "\u3164\u115f\u1160\uffa0\u034f\ufe00\ufe0f\udb40\udd00\udb40\uddef\u180b\u180f\u17b4"
                + "\u17b5\u0336\u20dd\u2800\u00a0\u1680\u2000\u200a\u202f\u205f\u3000\u2065";
        assertThat(Printable.line("warning: /data/Admin" + invisible + " x")).isEqualTo("warning: /data/Admin"
                + "\\u3164\\u115f\\u1160\\uffa0\\u034f\\ufe00\\ufe0f\\U000e0100\\U000e01ef\\u180b\\u180f\\u17b4\\u17b5"
                + "\\u0336\\u20dd\\u2800\\u00a0\\u1680\\u2000\\u200a\\u202f\\u205f\\u3000\\u2065 x");
    }

    @Test
    void aLineEscapesTagCharactersAsOneCodePoint() {
        // before round 9 a character beyond the BMP was looked at as two surrogates, and a tag
        // character (format, invisible) passed
        assertThat(Printable.line("a\udb40\udc41b\ud800")).isEqualTo("a\\U000e0041b\\ud800");
    }

    @Test
    void otherCharactersStay() {
        assertThat(Printable.line("warning: /a\u001b[8m\u202e\u2028b \u2026")).isEqualTo("warning: /a\\u001b[8m\\u202e\\u2028b \u2026");
        assertThat(Printable.line("Ünïcödé ελληνικά 中文 한글 ✓")).isEqualTo("Ünïcödé ελληνικά 中文 한글 ✓");
    }
}
