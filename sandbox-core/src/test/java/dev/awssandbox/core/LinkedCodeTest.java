package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 19, F10: a dotfile of $HOME managed by a link ({@code ~/.bashrc ->
 * ~/dotfiles/bashrc}) and a program on PATH that links into a project
 * ({@code /usr/local/bin/tool -> ~/src/tool/tool.sh}) were rewritten by a command run in the
 * directory that holds the target; the next login shell or run of the tool ran its code
 * unsandboxed. The target is kept as aws-sandbox's installation is: read-only inside the writable
 * working directory under bubblewrap (the rest stays writable), the directory read-only under
 * Landlock. Controls: the same write works unsandboxed, and sandboxed when no link leads there.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class LinkedCodeTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private String append(Sandboxes sandboxes, boolean inside, Path file) {
        String script = "echo '# planted' >> " + file + " && echo WROTE; echo other > " + host.work().resolve("other.txt")
                + " && echo OTHER";
        return (inside ? sandboxes.inside("sh", "-c", script) : sandboxes.outside("sh", "-c", script)).stdout().text();
    }

    @Test
    void aDotfileLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path bashrc = Files.writeString(host.work().resolve("bashrc"), "# dotfiles\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(append(sandboxes, true, bashrc)).as("control: no link leads there yet").contains("WROTE");

        Files.createSymbolicLink(host.home().resolve(".bashrc"), bashrc);
        String inside = append(sandboxes, true, bashrc);
        assertThat(inside).doesNotContain("WROTE");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(append(sandboxes, false, bashrc)).contains("WROTE");
    }

    /** The same for a known start-up file below a hidden directory: git's XDG config, linked by stow. */
    @Test
    void gitsXdgConfigLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path gitconfig = Files.writeString(host.work().resolve("gitconfig"), "[user]\n\tname = u\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(append(sandboxes, true, gitconfig)).as("control: no link leads there yet").contains("WROTE");

        Files.createDirectories(host.home().resolve(".config/git"));
        Files.createSymbolicLink(host.home().resolve(".config/git/config"), gitconfig);
        String inside = append(sandboxes, true, gitconfig);
        assertThat(inside).doesNotContain("WROTE");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(append(sandboxes, false, gitconfig)).contains("WROTE");
    }

    @Test
    void aProgramOnPathLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path tool = Files.writeString(host.work().resolve("tool.sh"), "#!/bin/sh\necho legit\n");
        Path bin = Files.createDirectories(host.outside().resolve("pbin"));
        HostEnvironment env = host.environment();
        java.util.Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PATH", bin + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withBin = env.withVariables(variables);
        Sandboxes sandboxes = Sandboxes.of(withBin, SandboxPolicy.defaults(withBin), backend);
        assertThat(append(sandboxes, true, tool)).as("control: no link leads there yet").contains("WROTE");

        Files.createSymbolicLink(bin.resolve("tool"), tool);
        String inside = append(sandboxes, true, tool);
        assertThat(inside).doesNotContain("WROTE");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(append(sandboxes, false, tool)).contains("WROTE");
    }
}
