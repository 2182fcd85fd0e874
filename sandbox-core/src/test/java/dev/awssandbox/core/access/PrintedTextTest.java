package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the printers print, as the shells print it: checked against the real bash and zsh where they are here. */
class PrintedTextTest {

    /** Each command's text as ours and as the shell's own printer gives it (a last line end aside). */
    @Test
    void printersPrintWhatTheShellsPrint() throws Exception {
        for (String shell : List.of("/bin/bash", "/usr/bin/zsh")) {
            if (!java.nio.file.Files.isExecutable(java.nio.file.Path.of(shell))) {
                System.out.println("PrintedTextTest: " + shell + " is not here, not compared");
                continue;
            }
            for (String command : List.of("printf '%s %s\\n' . x a b", "printf -- '%s|%%\\n' . x", "printf '. x'",
                    "echo '. x'", "echo \". \"x", "echo -e '. x\\n. y'", "printf '%s\\n' '. x' \"s y\"")) {
                assertThat(PrintedText.printed(command).orElseThrow().strip()).as(shell + ": " + command)
                        .isEqualTo(shellPrints(shell, command).strip());
            }
            if (shell.endsWith("zsh")) {
                for (String command : List.of("print -r -- source x", "print -l '. x' '. y'", "print . x")) {
                    assertThat(PrintedText.printed(command).orElseThrow().strip()).as(shell + ": " + command)
                            .isEqualTo(shellPrints(shell, command).strip());
                }
            }
        }
        assertThat(PrintedText.printed("printf -v v '. %s' x")).hasValue(". x");
        assertThat(PrintedText.printed("printf '%5s|' x")).as("widths are not applied: blanks change no line's words")
                .hasValue("x|");
    }

    private static String shellPrints(String shell, String command) throws Exception {
        Process p = new ProcessBuilder(shell, "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void onlyThePrintersArePrinters() {
        assertThat(PrintedText.printed("cat x")).isEmpty();
        assertThat(PrintedText.printed("")).isEmpty();
    }

    @Test
    void wordsTakeQuotesOffAsTheShellDoes() {
        assertThat(PrintedText.words("a 'b c' \"d \\\"e\\\"\" f\\ g 'h'i ; j")).isEqualTo(List.of("a", "b c", "d \"e\"", "f g", "hi"));
    }

    @Test
    void aSubstitutionThatIsAPrinterAloneIsReplacedByItsText() {
        assertThat(PrintedText.inPlace("eval \"$(echo '. x')\"\n\"$(echo .)\" y\n`printf '%s' .` z\n"))
                .isEqualTo("eval \". x\"\n\".\" y\n. z\n");
        assertThat(PrintedText.inPlace("x=$(echo $a | sed s/a/b/)\n")).as("a pipeline is no printer alone")
                .isEqualTo("x=$(echo $a | sed s/a/b/)\n");
    }

    @Test
    void aPrintersTextIsPassedOnOnlyWhereTheLineOrTheFileSendsItSomewhere() {
        assertThat(PrintedText.passedOn("echo '. x' | dd of=f", false)).containsExactly(". x");
        assertThat(PrintedText.passedOn("echo '. x'", true)).containsExactly(". x");
        assertThat(PrintedText.passedOn("echo '. x'", false)).as("to the terminal").isEmpty();
        assertThat(PrintedText.passedOn("echo '. x' >&2", false)).as("to stderr").isEmpty();
        assertThat(PrintedText.passedOn("command -v x || echo '. x' >&2", false)).as("after ||").isEmpty();
        assertThat(PrintedText.printsIntoCode("exec 4>&1 >/tmp/g\necho '. x'\n")).isTrue();
        assertThat(PrintedText.printsIntoCode("{\n echo . x\n} > ~/.g\n. ~/.g\n")).isTrue();
        assertThat(PrintedText.printsIntoCode("f() { echo . x; }\nf > ~/.g\n. ~/.g\n")).isTrue();
        assertThat(PrintedText.printsIntoCode("exec 2>/dev/null\nexec 2>>~/.errors\n")).as("stderr only").isFalse();
        assertThat(PrintedText.printsIntoCode("starship init zsh > ~/.s.zsh\n. ~/.s.zsh\n")).as("a program's output").isFalse();
    }
}
