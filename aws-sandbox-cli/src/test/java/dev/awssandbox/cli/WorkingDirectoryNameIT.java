package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A working directory the CLI cannot use is said so, with what to do, and nothing runs. Red team, round 73, F19: a
 * directory whose name is not valid UTF-8 (Java reads it with U+FFFD in place of the bytes, a name that does not exist)
 * failed every command as "cannot execute /usr/bin/true: ENOENT". A directory removed after the shell entered it made the
 * JVM fail to start, with a stack trace. Controls: the same commands in a directory that is there, and whose UTF-8 name
 * has the same letter, run. Each command is started by a shell, so that the name's bytes reach the CLI whatever this
 * JVM's own encoding is.
 */
class WorkingDirectoryNameIT {

    private static final Path LAUNCHER = Path.of("../aws-sandbox").toAbsolutePath().normalize();

    private record Run(int code, String output) {}

    private static Run sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** The CLI's jar run in the directory {@code printf} makes of {@code name} below {@code dir}, with a UTF-8 locale. */
    private static Run runIn(Path dir, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/aws-sandbox.jar").toAbsolutePath().toString();
        String directory = "\"$(printf '" + dir + "/" + name + "')\"";
        return sh("mkdir " + directory + " && cd " + directory + " && exec env LC_ALL=C.UTF-8 '" + java
                + "' --enable-native-access=ALL-UNNAMED -jar '" + jar + "' run -- true");
    }

    @Test
    void aWorkingDirectoryWhoseNameIsNotUtf8IsSaidSo(@TempDir Path dir) throws Exception {
        Requirements.requireLandlock();

        Run latin1 = runIn(dir, "w\\351"); // "wé" in ISO 8859-1: not valid UTF-8

        assertThat(latin1.code()).as(latin1.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(latin1.output()).contains("is not a directory this user can reach").contains("not valid UTF-8")
                .doesNotContain("cannot execute").doesNotContain("Exception");
        // control: the same letter in UTF-8 runs
        Run utf8 = runIn(dir, "w\\303\\251");
        assertThat(utf8.code()).as(utf8.output()).isZero();
    }

    /**
     * Outside test WF25, F15: a working directory the sandboxed command cannot enter (mode 000; root passes outside only by
     * a capability the command does not keep) was diagnosed as an unreadable '#!' interpreter of /usr/bin/true, exit 126.
     * It is a usage error now, said as such. Control: with search permission (mode 100) it runs.
     */
    @Test
    void aWorkingDirectoryTheCommandCannotEnterIsSaidSo(@TempDir Path dir) throws Exception {
        Requirements.requireLandlock();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/aws-sandbox.jar").toAbsolutePath().toString();
        String run = "exec '" + java + "' --enable-native-access=ALL-UNNAMED -jar '" + jar + "' run -- true";
        try {
            Run closed = sh("mkdir '" + dir + "/closed' && cd '" + dir + "/closed' && chmod 000 . && " + run);

            assertThat(closed.code()).as(closed.output()).isEqualTo(ExitCodes.USAGE);
            assertThat(closed.output()).contains("cannot be entered by the command").doesNotContain("#!")
                    .doesNotContain("Exception");
            Run searchable = sh("mkdir '" + dir + "/open' && cd '" + dir + "/open' && chmod 100 . && " + run);
            assertThat(searchable.code()).as("control: " + searchable.output()).isZero();
        } finally {
            sh("chmod 700 '" + dir + "/closed' '" + dir + "/open' 2>/dev/null; true");
        }
    }

    @Test
    void aWorkingDirectoryRemovedAfterTheShellEnteredItIsSaidSo(@TempDir Path dir) throws Exception {
        // the launcher's check comes before it looks for a JDK or builds: AWS_SANDBOX_AOT=off keeps the control from
        // making the start-up cache
        String launch = "AWS_SANDBOX_AOT=off '" + LAUNCHER + "' --version";

        Run removed = sh("mkdir '" + dir + "/gone' && cd '" + dir + "/gone' && rmdir '" + dir + "/gone' && " + launch);

        assertThat(removed.code()).as(removed.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(removed.output()).contains("aws-sandbox: error: the current directory no longer exists")
                .doesNotContain("java.lang").doesNotContain("Exception");
        // control: the same launch in a directory that is there
        Run there = sh("mkdir '" + dir + "/here' && cd '" + dir + "/here' && " + launch);
        assertThat(there.code()).as(there.output()).isZero();
        assertThat(there.output()).contains("aws-sandbox");
    }
}
