package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.PathGrant;
import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How programs installed under $HOME are made runnable without opening $HOME. */
class ExecutableChainTest {
    private TestHost host;

    @BeforeEach
    void setUp() {
        host = new TestHost();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private Path executable(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private List<Path> granted(ExecutableChain.Resolution r) {
        return r.grants().stream().map(PathGrant::resolved).toList();
    }

    @Test
    void venvScriptGrantsItsPrefixAndInterpreter() throws Exception {
        Path venv = host.home().resolve(".local/pipx/venvs/awscli");
        Path python = executable(venv.resolve("bin/python"), "#!/bin/sh\n");
        Path aws = executable(venv.resolve("bin/aws"), "#!" + python + "\nprint('x')\n");
        Files.createDirectories(venv.resolve("lib/python3.11/site-packages"));
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\n");
        Path link = host.home().resolve(".local/bin/aws");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, aws);

        ExecutableChain.Resolution r = ExecutableChain.resolve(link, host.home(), "/usr/bin:/bin");

        assertThat(r.chain()).containsSubsequence(link, aws, python);
        assertThat(granted(r)).contains(aws, python, venv.resolve("bin"), venv.resolve("lib"), venv.resolve("pyvenv.cfg"));
        assertThat(granted(r)).doesNotContain(host.home(), host.home().resolve(".local"), venv);
    }

    @Test
    void shimDirectoryWithLibexecGrantsTheToolRoot() throws Exception {
        Path root = host.home().resolve(".pyenv");
        Files.createDirectories(root.resolve("libexec"));
        Path shim = executable(root.resolve("shims/aws"), "#!/usr/bin/env bash\nexec pyenv exec aws\n");

        ExecutableChain.Resolution r = ExecutableChain.resolve(shim, host.home(), "/usr/bin:/bin");

        assertThat(granted(r)).contains(root, shim);
        assertThat(r.chain()).contains(Path.of("/usr/bin/env"));
        assertThat(r.chain().getLast().getFileName().toString()).isEqualTo("bash");
    }

    @Test
    void homeBinNeverOpensHome() throws Exception {
        Path tool = executable(host.home().resolve("bin/tool"), "#!/bin/sh\n");

        ExecutableChain.Resolution r = ExecutableChain.resolve(tool, host.home(), "/usr/bin:/bin");

        assertThat(granted(r)).contains(tool).doesNotContain(host.home(), host.home().resolve("bin"));
    }

    @Test
    void locateSearchesPathAndSkipsNonExecutables() throws Exception {
        Path dir1 = Files.createDirectories(host.outside().resolve("d1"));
        Path dir2 = Files.createDirectories(host.outside().resolve("d2"));
        Files.writeString(dir1.resolve("prog"), "not executable");
        Path real = executable(dir2.resolve("prog"), "#!/bin/sh\n");

        assertThat(ExecutableChain.locate("prog", dir1 + ":" + dir2, host.work())).contains(real);
        assertThat(ExecutableChain.locate("missing", dir1 + ":" + dir2, host.work())).isEmpty();
    }

    /** Regression (review): a writable project could point a venv's lib64 at / or pyvenv.cfg at a key. */
    @Test
    void symlinksInAnInstallationCannotWidenTheGrant() throws Exception {
        Path venv = host.work().resolve(".venv");
        Path python = executable(venv.resolve("bin/python"), "#!/bin/sh\n");
        Files.createSymbolicLink(venv.resolve("lib64"), Path.of("/"));
        Files.createSymbolicLink(venv.resolve("lib"), host.home());
        Files.createSymbolicLink(venv.resolve("pyvenv.cfg"), host.home().resolve(".ssh/id_ed25519"));

        ExecutableChain.Resolution r = ExecutableChain.resolve(python, host.home(), "/usr/bin:/bin");

        assertThat(granted(r)).doesNotContain(Path.of("/"), host.home(), host.home().resolve(".ssh/id_ed25519"))
                .contains(python);
    }
}
