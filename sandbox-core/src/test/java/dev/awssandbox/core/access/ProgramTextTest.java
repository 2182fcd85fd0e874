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
                "$a text; e x", "\\,/x,d", "s/[]a]/b/", "# comment\np", "1q", "/a/,+2 d", "v", "v 4.2\np")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.TEXT);
        }
        for (String text : List.of("s/x/y/e", "1e date", "e", "/a/{p;e\n}", "s/a/b/ge", "b end; e",
                // red team, round 39, F4: after GNU's v, after a file a command names
                "v;e", "v 4.2;s/^[$] //ep", "s/a/b/w f\ne", "r x\ne", "1w out\n$e")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.RUNS);
        }
        // files named (the rest of the script still read)
        for (String text : List.of("w out", "s/x/y/w out", "r in", "R in", "W out", "1r /etc/x", "/x/ r in",
                "s/a/b/w f\np")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.FILES);
        }
        // a form not parsed here, where GNU and BSD sed part ways (a delimiter in a bracket expression): it fails closed
        for (String text : List.of("s/[/]/x/", "s/x/y", "s/[a/b/", "k", "p x")) {
            assertThat(ProgramText.sed(text)).as(text).isEqualTo(ProgramText.Sed.OTHER);
        }
    }
}
