package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Red team, round 63, FP2: without a UTF-8 locale, Java names files in ASCII and cannot name a path with other
 * characters. A start-up file naming one failed every command as a bad request ("Malformed input"), and such a
 * {@code --rw} path was an "internal error ... please report it". Both now say what the path is and that a UTF-8 locale
 * names it; nothing runs. Control: the same commands with {@code LC_ALL=C.UTF-8} run. The CLI is started by a shell so
 * that the path's bytes reach it whatever this JVM's own encoding is.
 */
class AsciiLocaleIT {

    private record Run(int code, String output) {}

    private static Run run(Path home, String locale, String options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/aws-sandbox.jar").toAbsolutePath().toString();
        String script = "cd \"$HOME\" && exec env -i PATH=/usr/bin:/bin HOME=\"$HOME\" " + locale + " '" + java
                + "' --enable-native-access=ALL-UNNAMED -jar '" + jar + "' run " + options + " -- true";
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /**
     * Review of the credential-variable rules of 2026-12-05: a variable named like a credential file whose value this
     * JVM cannot name (a non-ASCII name without a UTF-8 locale) keeps the working directory from the command, where the
     * file may lie, instead of failing every command ("cannot be named"). Control: without the variable the project's
     * file is read.
     */
    @Test
    void aCredentialFileJavaCannotNameKeepsTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Requirements.requireLandlock();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path project = Files.createDirectories(home.resolve("proj"));
        Files.writeString(project.resolve("README"), "project readme");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/aws-sandbox.jar").toAbsolutePath().toString();
        java.util.function.Function<String, Run> runWith = variable -> {
            String script = "cd \"$HOME/proj\" && exec env -i PATH=/usr/bin:/bin HOME=\"$HOME\" " + variable + " '" + java
                    + "' --enable-native-access=ALL-UNNAMED -jar '" + jar + "' run -- cat README";
            try {
                ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
                builder.environment().put("HOME", home.toString());
                Process p = builder.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                return new Run(p.exitValue(), out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        Run unnamed = runWith.apply("MY_TOKEN_FILE=\"$(printf 't\\303\\266k')\"");

        assertThat(unnamed.output()).doesNotContain("project readme").doesNotContain("cannot be named")
                .contains("MY_TOKEN_FILE");
        // an absolute spelling the working directory's name does not begin (a '//'; a link does the same): the red team
        // of the credential variables, 2026-12-05, night, F14
        Run doubled = runWith.apply("MY_TOKEN_FILE=\"$(printf '" + home.getParent() + "//home/proj/t\\303\\266k')\"");
        assertThat(doubled.output()).doesNotContain("project readme").contains("MY_TOKEN_FILE");
        assertThat(runWith.apply("").output()).contains("project readme"); // control
    }

    @Test
    void aPathJavaCannotNameInAnAsciiLocaleIsSaidSoAndNothingRuns(@TempDir Path dir) throws Exception {
        Requirements.requireLandlock();
        Path home = Files.createDirectories(dir.resolve("home"));
        byte[] source = (". " + dir + "/w\u00e9/env.sh\n").getBytes(StandardCharsets.UTF_8);
        Files.write(home.resolve(".bashrc"), source);
        String rw = "--rw \"$(printf '" + dir + "/out\\303\\251')\"";

        Run named = run(home, "", "");
        Run granted = run(home, "", rw);

        assertThat(named.output()).contains("cannot be named in this Java's file name encoding");
        // an argument is refused before it is used as a path: its bytes were read as U+FFFD (workflow finding F21)
        assertThat(granted.output()).contains("argument 3").contains("not text in this locale's encoding");
        for (Run run : List.of(named, granted)) {
            assertThat(run.output()).contains("LC_ALL=C.UTF-8").doesNotContain("internal error").doesNotContain("Exception");
        }
        assertThat(named.code()).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(granted.code()).isEqualTo(ExitCodes.USAGE);
        // control: with a UTF-8 locale the same commands run (the directory made by its bytes: this JVM may not name it)
        assertThat(new ProcessBuilder("sh", "-c", "mkdir \"$(printf '" + dir + "/out\\303\\251')\"").start().waitFor()).isZero();
        for (String options : List.of("", rw)) {
            Run utf8 = run(home, "LC_ALL=C.UTF-8", options);
            assertThat(utf8.code()).as(utf8.output()).isZero();
        }
    }
}
