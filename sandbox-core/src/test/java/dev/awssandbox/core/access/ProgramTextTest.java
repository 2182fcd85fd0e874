package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sed scripts only edit text (session of 2026-12-03: their words were read as paths). */
class ProgramTextTest {
    @Test
    void aSedScriptIsTextOnlyWhenItRunsNothingAndNamesNoFile() {
        for (String text : List.of("s/^/  /", "s/a/b/g;p", "/x/d", "1,/re/{s/a/b/;p;}", "$!N", ":a;N;$!ba;s/\\n/ /g",
                "y/abc/xyz/", "s|/h/|~/|2", "s/^\\([0-9a-f]*\\) .*/\\1/p", "/^#/!s/[[:space:]]*$//", "0~3 a\\\nx",
                "$a text; e x", "\\,/x,d", "s/[]a]/b/", "# comment\np", "1q", "/a/,+2 d")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.TEXT);
        }
        for (String text : List.of("s/x/y/e", "1e date", "e", "/a/{p;e\n}", "s/a/b/ge", "b end; e")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.RUNS);
        }
        // files named, a form not parsed here, where GNU and BSD sed part ways (a delimiter in a bracket expression)
        for (String text : List.of("w out", "s/x/y/w out", "r in", "R in", "W out", "1r /etc/x", "s/[/]/x/", "s/x/y",
                "v", "s/[a/b/", "k", "p x", "/x/ r in")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.OTHER);
        }
    }
}
