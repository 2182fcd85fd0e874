package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Red team, round 26: which words of a command string are code that runs although they have no
 * {@code /} (F1), and which directory changes make a relative one unknowable (F2). Each case here
 * named nothing before.
 */
class CommandWordsTest {
    private static final Path HOME = Path.of("/h");
    private static final Path WORK = Path.of("/h/proj");

    private static CommandWords.Reading read(String command) {
        return CommandWords.of(command, Map.of("HOME", "/h"), HOME, WORK);
    }

    @Test
    void aScriptAnInterpreterRunsIsNamedWithoutASlash() {
        assertThat(read("sh x.sh").scripts()).containsExactly("x.sh");
        assertThat(read("bash -o pipefail -e x.sh --profile default").scripts()).containsExactly("x.sh");
        assertThat(read("timeout 5 python3 -W ignore tools/c.py --role r").scripts()).containsExactly("tools/c.py");
        assertThat(read("bash --rcfile rc -i").scripts()).containsExactly("rc");
        assertThat(read("awk -f prog.awk data").scripts()).containsExactly("prog.awk");
        assertThat(read(". ./env.sh && aws-vault x").scripts()).containsExactly("./env.sh");
        assertThat(read("sh *.sh").scripts()).containsExactly("*.sh");
        assertThat(read("sh < x.sh").scripts()).containsExactly("x.sh");
        assertThat(read("cat x.sh | sh").scripts()).containsExactly("x.sh");
        assertThat(read("sh -c 'sh inner.sh'").scripts()).containsExactly("inner.sh");
        assertThat(read("node -r ./hook.js /opt/tool.js").scripts()).containsExactly("./hook.js");
    }

    @Test
    void optionValuesAndArgumentsAreNoScripts() {
        CommandWords.Reading vault = read("aws-vault export --format=json --profile default");
        assertThat(vault.scripts()).isEmpty();
        assertThat(vault.directories()).isEmpty();
        assertThat(vault.unknown()).isEmpty();
        assertThat(vault.arguments()).contains("export", "default");
        assertThat(read("sh -c 'aws-vault exec prof -- aws sts get-caller-identity'").scripts()).isEmpty();
        assertThat(read("awk '{print $1}' data").scripts()).isEmpty();
        assertThat(read("/opt/bin/python3 /opt/cred.py --profile default").scripts()).isEmpty();
        assertThat(read("ls . && echo source").scripts()).isEmpty(); // '.' and source only as a command
    }

    @Test
    void directoriesWhoseFilesRunAreNamed() {
        assertThat(read("find . -name x.sh -exec sh {} \\;").directories()).containsExactly(".");
        assertThat(read("find /opt/t sub -exec {} \\;").directories()).containsExactly("/opt/t", "sub");
        assertThat(read("python3 -m tool").directories()).containsExactly(".");
        assertThat(read("python3 -c 'import tool'").directories()).containsExactly(".");
        assertThat(read("node -e 'require(\"x\")'").directories()).containsExactly(".");
        assertThat(read("npx tool").directories()).containsExactly(".");
        assertThat(read("make -s creds").directories()).containsExactly(".");
        assertThat(read("python3 -I -m tool").directories()).isEmpty();
        assertThat(read("python3 -sP -c 'import tool'").directories()).isEmpty();
        assertThat(CommandWords.of("python3 -m tool", Map.of("PYTHONSAFEPATH", "1"), HOME, WORK).directories()).isEmpty();
    }

    @Test
    void aRelativeScriptAfterADirectoryChangeIsUnknown() {
        for (String command : List.of("cd \"$GIT_PREFIX\" && sh x.sh", "cd ${GIT_PREFIX:-.} && sh x.sh",
                "cd s?b && sh x.sh", "cd /tmp && sh x.sh", "env -C sub sh ../x.sh", "env --chdir=sub sh x.sh",
                "cd sub && python3 -m tool", "for f in *.sh; do sh \"$f\"; done", "ls | xargs sh",
                "find . -print | xargs -I{} sh {}")) {
            assertThat(read(command).unknown()).as(command).isNotEmpty();
        }
        assertThat(read("cd /opt/t && sh /opt/t/x.sh").unknown()).isEmpty();
        assertThat(read("sh x.sh --profile \"$UNSET_IN_TEST\"").unknown()).isEmpty();
    }
}
