package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, item 9: a script whose {@code #!} interpreter is missing was reported as a wrapper's
 * error ({@code prlimit: …}), then as the script itself missing ("cannot execute ./x.sh: ENOENT;
 * check its name"); now the interpreter is named, and the exit status is 127 as from env(1).
 */
class CliMissingInterpreterTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    /** Under bubblewrap the script is executed by bwrap, which printed its own "bwrap: execvp …" and exited 1. */
    @ParameterizedTest
    @MethodSource("dev.awssandbox.core.testing.Backends#available")
    void aScriptWhoseInterpreterIsMissingNamesTheInterpreter(BackendKind kind) throws Exception {
        String backend = kind.label();
        Path script = script("no-interpreter.sh", "#!/nonexistent/interpreter -x\necho hi\n");

        CliHarness.Run run = cli.run("run", "--backend", backend, "--", "./" + script.getFileName());
        assertThat(run.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.error()).isEqualTo("aws-sandbox: error: cannot run ./no-interpreter.sh (backend " + backend
                + "): its interpreter /nonexistent/interpreter (its #! line) does not exist; install it, or correct"
                + " the #! line");

        CliHarness.Run pipe = cli.run("pipe", "--backend", backend, "echo x | " + script);
        assertThat(pipe.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(pipe.error()).contains("cannot run " + script + " (backend " + backend + "): its interpreter"
                + " /nonexistent/interpreter (its #! line) does not exist");
    }

    /** The control: the same script with an interpreter that exists runs, and a missing script is still "not found". */
    @Test
    void anExistingInterpreterRunsAndAMissingScriptIsNotBlamedOnOne() throws Exception {
        Requirements.requireLandlock();
        script("with-interpreter.sh", "#!/bin/sh -e\necho hi\n");

        CliHarness.Run run = cli.run("run", "--backend", "landlock", "--", "./with-interpreter.sh");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("hi\n");
        CliHarness.Run missing = cli.run("run", "--backend", "landlock", "--", "./no-such-script.sh");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.error()).doesNotContain("interpreter");
    }

    /**
     * A script in the writable working directory whose interpreter lies outside the grants: no grant
     * is derived from its #! line, and the message says the interpreter is what is not readable
     * (red team, round 15: it blamed the script's directory, which is writable). With the
     * interpreter's directory granted, it runs.
     */
    @Test
    void anInterpreterOutsideTheGrantsIsNamedAsTheCause() throws Exception {
        Requirements.requireLandlock();
        Path bin = Files.createDirectories(cli.host().outside().resolve("bin"));
        Files.copy(Path.of("/bin/sh"), bin.resolve("sh"));
        bin.resolve("sh").toFile().setExecutable(true);
        script("outside-interpreter.sh", "#!" + bin.resolve("sh") + "\necho hi\n");

        CliHarness.Run denied = cli.run("run", "--backend", "landlock", "--", "./outside-interpreter.sh");
        assertThat(denied.code()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
        assertThat(denied.error()).contains("the interpreter its #! line names is not readable in the sandbox, though "
                + cli.host().work().resolve("outside-interpreter.sh") + " is").doesNotContain("its directory");

        CliHarness.Run granted = cli.run("run", "--backend", "landlock", "--ro", bin.toString(), "--",
                "./outside-interpreter.sh");
        assertThat(granted.code()).as(granted.err()).isZero();
        assertThat(granted.out()).isEqualTo("hi\n");
    }

    private Path script(String name, String text) throws Exception {
        Path script = cli.host().work().resolve(name);
        Files.writeString(script, text);
        script.toFile().setExecutable(true);
        return script;
    }
}
