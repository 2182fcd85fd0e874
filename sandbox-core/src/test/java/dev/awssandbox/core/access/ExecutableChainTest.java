package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How programs installed under $HOME are made runnable without opening $HOME, and what no
 * program can make the planner open. The fake $HOME of {@link TestHost} is private to this user,
 * as a real one is, so programs in it are trusted; its working directory is writable, so nothing
 * in it is.
 */
@ExtendWith(TestHostExtension.class)
class ExecutableChainTest {
    private static final Optional<String> PATH = Optional.of("/usr/bin:/bin");

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
    }

    static Path executable(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private ExecutableChain.Resolution resolve(Path program) {
        return ExecutableChain.resolve(program, host.home(), PATH, List.of(host.work(), Path.of("/tmp")));
    }

    private static List<Path> granted(ExecutableChain.Resolution r) {
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

        ExecutableChain.Resolution r = resolve(link);

        assertThat(r.executable()).isEqualTo(aws); // the resolved file is what runs
        assertThat(r.chain()).containsSubsequence(link, aws, python);
        assertThat(granted(r)).contains(aws, python, venv.resolve("bin"), venv.resolve("lib"), venv.resolve("pyvenv.cfg"));
        assertThat(granted(r)).doesNotContain(host.home(), host.home().resolve(".local"), venv);
    }

    /** pip install --user: ~/.local/bin/aws run by the system Python, its packages in ~/.local/lib. */
    @Test
    void aUserInstallInDotLocalGrantsItsBinAndLibOnly() throws Exception {
        Path local = host.home().resolve(".local");
        Path aws = executable(local.resolve("bin/aws"), "#!/usr/bin/python3\nimport awscli\n");
        Files.createDirectories(local.resolve("lib/python3.11/site-packages/awscli"));
        Files.createDirectories(local.resolve("share/secrets"));

        ExecutableChain.Resolution r = resolve(aws);

        assertThat(granted(r)).contains(aws, local.resolve("bin"), local.resolve("lib"))
                .doesNotContain(local, local.resolve("share"), host.home());
        assertThat(r.chain()).contains(Path.of("/usr/bin/python3"));
    }

    @Test
    void shimDirectoryWithLibexecGrantsTheToolRoot() throws Exception {
        Path root = host.home().resolve(".pyenv");
        Files.createDirectories(root.resolve("libexec"));
        Path shim = executable(root.resolve("shims/aws"), "#!/usr/bin/env bash\nexec pyenv exec aws\n");

        ExecutableChain.Resolution r = resolve(shim);

        assertThat(granted(r)).contains(root, shim);
        assertThat(r.chain()).contains(Path.of("/usr/bin/env"));
        assertThat(r.chain().getLast().getFileName().toString()).isEqualTo("bash");
    }

    @Test
    void homeBinNeverOpensHome() throws Exception {
        Path tool = executable(host.home().resolve("bin/tool"), "#!/bin/sh\n");

        ExecutableChain.Resolution r = resolve(tool);

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

    /** Regression (review): a venv pointed lib64 at /, lib at $HOME and pyvenv.cfg at a key. */
    @Test
    void symlinksInAnInstallationCannotWidenTheGrant() throws Exception {
        Path venv = host.home().resolve("venvs/tool");
        Path python = executable(venv.resolve("bin/python"), "#!/bin/sh\n");
        Files.createSymbolicLink(venv.resolve("lib64"), Path.of("/"));
        Files.createSymbolicLink(venv.resolve("lib"), host.home());
        Files.createSymbolicLink(venv.resolve("libexec"), Path.of("/etc"));
        Files.createSymbolicLink(venv.resolve("pyvenv.cfg"), host.home().resolve(".ssh/id_ed25519"));

        ExecutableChain.Resolution r = resolve(python);

        assertThat(granted(r)).contains(python, venv.resolve("bin"))
                .doesNotContain(Path.of("/"), Path.of("/etc"), host.home(), host.home().resolve(".ssh/id_ed25519"));
    }

    /**
     * Regression (review): {@code #!/usr/bin/env -S -u FILE sh} granted FILE's directory; env only
     * unsets a variable named FILE. Control: the same file as env's program is followed.
     */
    @Test
    void envUnsetOfAnExecutableFileGrantsNothingOfIt() throws Exception {
        Path tool = executable(host.outside().resolve("prefix/bin/tool"), "#!/bin/sh\n");
        Files.createDirectories(host.outside().resolve("prefix/lib"));
        Path unsetter = executable(host.home().resolve("bin/unsetter"), "#!/usr/bin/env -S -u " + tool + " sh\n");
        Path runner = executable(host.home().resolve("bin/runner"), "#!/usr/bin/env -S " + tool + "\n");

        ExecutableChain.Resolution attack = resolve(unsetter);
        ExecutableChain.Resolution control = resolve(runner);

        assertThat(attack.chain()).contains(Path.of("/usr/bin/sh"));
        assertThat(granted(attack)).doesNotContain(tool, tool.getParent(), host.outside().resolve("prefix/lib"));
        assertThat(granted(control)).contains(tool, tool.getParent(), host.outside().resolve("prefix/lib"));
    }

    /**
     * Regression (review): an executable {@code gradlew} in a project under $HOME opened the whole
     * project (and its .env). A program outside a known installation layout grants only itself.
     */
    @Test
    void aProgramOutsideAnInstallationLayoutGrantsOnlyItself() throws Exception {
        Path project = host.home().resolve("project");
        Files.writeString(Files.createDirectories(project).resolve(".env"), "SECRET=1\n");
        Path gradlew = executable(project.resolve("gradlew"), "#!/bin/sh\nexec \"$@\"\n");

        ExecutableChain.Resolution r = resolve(gradlew);

        assertThat(granted(r)).contains(gradlew).doesNotContain(project, project.resolve(".env"));
    }

    /** Regression (review): the same gradlew in the writable working directory: no grants at all, #! not followed. */
    @Test
    void aProgramInAWritablePathDerivesNothing() throws Exception {
        Path bin = host.outside().resolve("opt/tool/bin");
        executable(bin.resolve("interp"), "#!/bin/sh\n");
        Path planted = executable(host.work().resolve("bin/gradlew"), "#!" + bin.resolve("interp") + "\n");
        Path control = executable(host.home().resolve("bin/gradlew"), "#!" + bin.resolve("interp") + "\n");

        ExecutableChain.Resolution r = resolve(planted);

        assertThat(r.grants()).isEmpty();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains(host.work().toString()));
        assertThat(granted(resolve(control))).contains(bin.resolve("interp"), bin); // the same line, trusted
    }

    /**
     * Regression (review): a {@code #!} naming a symlink in /tmp that another sandboxed process
     * flips between a key and /usr/bin/sh printed the key. The link lives where commands write, so
     * whichever way it points, nothing is derived from it.
     */
    @Test
    void aShebangThroughAWritableDirectoryDerivesNothing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "flip-");
        try {
            Path link = Files.createSymbolicLink(dir.resolve("interp"), host.home().resolve(".ssh/id_ed25519"));
            Path script = executable(host.home().resolve("bin/flipped"), "#!" + link + "\n");

            ExecutableChain.Resolution r = resolve(script);

            assertThat(granted(r)).containsExactly(script);
            assertThat(granted(r)).doesNotContain(host.home().resolve(".ssh/id_ed25519"), host.home().resolve(".ssh"));
        } finally {
            Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A key can never be a derived grant, even named directly by a trusted #! line. */
    @Test
    void nothingInsideACredentialDirectoryIsGranted() throws Exception {
        Path key = host.home().resolve(".ssh/id_ed25519");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rwx------"));
        Path script = executable(host.home().resolve("bin/keyed"), "#!" + key + "\n");

        assertThat(granted(resolve(script))).containsExactly(script);
        assertThat(granted(resolve(key))).isEmpty();
    }

    /** Files another user owns, or a group may write, could have been planted by someone else. */
    @Test
    void groupWritableOrForeignInstallationsDeriveNothing() throws Exception {
        Path bin = host.outside().resolve("shared/bin");
        Path tool = executable(bin.resolve("tool"), "#!/bin/sh\n");
        assertThat(granted(resolve(tool))).contains(tool, bin); // control: as installed

        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertThat(granted(resolve(tool))).isEmpty();

        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        var nobody = tool.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(tool, nobody);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getOwner(tool).equals(nobody), "needs root to chown");
        assertThat(granted(resolve(tool))).isEmpty();
    }

    /** env's later PATH search must not pass a directory a command could plant a program in. */
    @Test
    void envDoesNotSearchPastAnUntrustedPathEntry() throws Exception {
        Path shim = executable(host.home().resolve("bin/shim"), "#!/usr/bin/env sh\n");

        ExecutableChain.Resolution clean = ExecutableChain.resolve(shim, host.home(), Optional.of("/usr/bin:/bin"),
                List.of(host.work()));
        ExecutableChain.Resolution planted = ExecutableChain.resolve(shim, host.home(),
                Optional.of(host.work() + ":/usr/bin:/bin"), List.of(host.work()));
        ExecutableChain.Resolution relative = ExecutableChain.resolve(shim, host.home(), Optional.of(".:/usr/bin"),
                List.of(host.work()));

        assertThat(clean.chain()).contains(Path.of("/usr/bin/sh"));
        assertThat(planted.chain().getLast()).isEqualTo(Path.of("/usr/bin/env"));
        assertThat(relative.chain().getLast()).isEqualTo(Path.of("/usr/bin/env"));
    }

    @Test
    void theAwsCliV2InstallerLayoutGrantsItsDist() throws Exception {
        Path dist = host.outside().resolve("aws-cli/v2/2.15.0/dist");
        Path aws = executable(dist.resolve("aws"), "\u007fELF");
        Path current = Files.createSymbolicLink(host.outside().resolve("aws-cli/v2/current"), Path.of("2.15.0"));
        Path link = Files.createSymbolicLink(Files.createDirectories(host.outside().resolve("bin")).resolve("aws"),
                current.resolve("dist/aws"));

        ExecutableChain.Resolution r = resolve(aws);

        assertThat(r.executable()).isEqualTo(aws);
        assertThat(granted(r)).contains(aws, dist).doesNotContain(host.outside().resolve("aws-cli/v2/2.15.0"));
        // the test host lies in user.home (~/.cache), outside the tool locations: reached through
        // the installer's links, the same program is granted nothing (red team, round 18)
        ExecutableChain.Resolution throughLinks = resolve(link);
        assertThat(throughLinks.executable()).isEqualTo(aws);
        assertThat(throughLinks.grants()).isEmpty();
        assertThat(throughLinks.notes()).anySatisfy(note -> assertThat(note).contains("through a symbolic link"));
    }
}
