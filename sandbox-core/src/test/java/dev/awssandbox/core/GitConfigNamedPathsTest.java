package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression (red team, round 18, F1): git runs what {@code .git/config} names — an included config
 * file, the {@code core.hooksPath} directory, the {@code core.fsmonitor} script — and those commonly
 * lie in the writable working tree: a command appended an fsmonitor to an included
 * {@code .gitconfig}, rewrote {@code .githooks/pre-commit} or {@code fsmon.sh}, and the next
 * {@code git status} or {@code git commit} outside ran it. With real git: each attack is shown to
 * work unsandboxed (the payload runs with {@code git status}), and to fail sandboxed — bubblewrap
 * from the repository's top (default flags), both backends from a subdirectory that holds the
 * named file (Landlock makes such a directory writable: it holds no {@code .git}), and an explicit
 * {@code --rw} of the named directory.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class GitConfigNamedPathsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private boolean masks() {
        return backend == BackendKind.BUBBLEWRAP;
    }

    private String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", host.home().toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private Path repository() throws Exception {
        Path repo = host.work();
        git(repo, "init", "-q", ".");
        Files.writeString(repo.resolve("f.txt"), "data\n");
        return repo;
    }

    private static void script(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Sandboxes from(Path dir, SandboxPolicy.Builder policy) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        return Sandboxes.of(environment, policy.build(), backend);
    }

    private Sandboxes from(Path dir) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        return Sandboxes.of(environment, SandboxPolicy.defaults(environment), backend);
    }

    private SandboxPolicy.Builder policy(Path dir) {
        return SandboxPolicy.builder(host.environment().withWorkingDirectory(dir));
    }

    /** A line appended to a config file that makes the next {@code git status} write {@code marker}. */
    private static String fsmonitorPayload(Path file, Path marker) {
        return "printf '[core]\\n\\tfsmonitor = \"echo ran > " + marker + "; false\"\\n' >> " + file;
    }

    private static String hookPayload(Path file, Path marker) {
        return "printf '#!/bin/sh\\necho ran > " + marker + "\\n' > " + file;
    }

    @Test
    void anIncludedConfigFileCannotGainAnFsmonitor() throws Exception {
        Path repo = repository();
        Path included = repo.resolve(".gitconfig");
        Files.writeString(included, "# shared project config\n");
        git(repo, "config", "include.path", "../.gitconfig");
        Path marker = host.outside().resolve("include-ran");
        String attack = fsmonitorPayload(included, marker);

        ExecResult inside = from(repo).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(included)).doesNotContain("fsmonitor");
        if (masks()) { // the rest of the working tree stays writable
            ExecResult other = from(repo).inside("sh", "-c", "echo more >> f.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        }
        // control: unsandboxed the same write makes git run the payload
        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue();
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    @Test
    void anIncludedConfigFileInASubdirectoryCannotBeWrittenFromThere() throws Exception {
        Path repo = repository();
        Path sub = Files.createDirectories(repo.resolve("sub"));
        Path included = sub.resolve("cfg");
        Files.writeString(included, "# cfg\n");
        git(repo, "config", "include.path", "../sub/cfg");
        Path marker = host.outside().resolve("sub-ran");
        String attack = fsmonitorPayload(included, marker);

        ExecResult inside = from(sub).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(included)).doesNotContain("fsmonitor");
        if (!masks()) {
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains("include.path").contains("--allow-git-writes"));
        }
        assertThat(from(sub).outside("sh", "-c", attack).isSuccess()).isTrue();
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /** Negative control: the subdirectory is writable when the config names nothing in it. */
    @Test
    void aSubdirectoryTheConfigDoesNotNameStaysWritable() throws Exception {
        Path repo = repository();
        Path sub = Files.createDirectories(repo.resolve("sub"));
        Files.writeString(sub.resolve("cfg"), "# cfg\n");
        git(repo, "config", "core.hooksPath", ".githooks");
        script(repo.resolve(".githooks/pre-commit"));

        ExecResult inside = from(sub).inside("sh", "-c", "echo '# more' >> cfg");

        assertThat(inside.isSuccess()).as(inside.stderr().text()).isTrue();
        assertThat(Files.readString(sub.resolve("cfg"))).contains("more");
    }

    @Test
    void theHooksPathDirectoryCannotBeWritten() throws Exception {
        Path repo = repository();
        Path hook = repo.resolve(".githooks/pre-commit");
        script(hook);
        git(repo, "config", "core.hooksPath", ".githooks");
        Path marker = host.outside().resolve("hook-ran");
        String attack = hookPayload(hook, marker);

        ExecResult top = from(repo).inside("sh", "-c", attack);
        ExecResult plantNew = from(repo).inside("sh", "-c", "cp /usr/bin/true .githooks/post-checkout");
        ExecResult moved = from(repo).inside("sh", "-c", "mv .githooks .githooks.old && mkdir .githooks");
        ExecResult fromHooks = from(hook.getParent()).inside("sh", "-c", attack);

        assertThat(top.isSuccess()).isFalse();
        assertThat(plantNew.isSuccess()).isFalse();
        assertThat(moved.isSuccess()).isFalse();
        assertThat(fromHooks.isSuccess()).isFalse();
        assertThat(Files.readString(hook)).doesNotContain("ran");
        assertThat(repo.resolve(".githooks/post-checkout")).doesNotExist();
        assertThat(repo.resolve(".githooks.old")).doesNotExist();
        assertThat(fromHooks.enforcement().notes())
                .anySatisfy(n -> assertThat(n).contains("core.hooksPath").contains("--allow-git-writes"));

        assertThatThrownBy(() -> from(host.outside(), policy(host.outside()).addWritePath(hook.getParent().toString()))
                .sandboxed().run("true"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("--rw " + hook.getParent())
                .hasMessageContaining("core.hooksPath");

        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x");
        assertThat(marker).exists();
    }

    /** A hooks directory the config names but that does not exist yet must not be creatable. */
    @Test
    void aMissingHooksPathDirectoryCannotBeCreated() throws Exception {
        Path repo = repository();
        git(repo, "config", "core.hooksPath", ".githooks");

        ExecResult inside = from(repo).inside("sh", "-c", "mkdir .githooks && cp /usr/bin/true .githooks/pre-commit");

        assertThat(inside.isSuccess()).isFalse();
        assertThat(repo.resolve(".githooks")).doesNotExist();
        if (masks()) { // under Landlock the .git in it already holds the working directory
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains("core.hooksPath").contains("does not exist yet"));
        }
    }

    /** A named path reached through a link in the working tree: a mask would not stop re-pointing the link. */
    @Test
    void aHooksPathThroughALinkIsNotMadeWritable() throws Exception {
        Path repo = repository();
        script(repo.resolve("hooks-real/pre-commit"));
        Files.createSymbolicLink(repo.resolve(".githooks"), Path.of("hooks-real"));
        git(repo, "config", "core.hooksPath", ".githooks");

        ExecResult inside = from(repo).inside("sh", "-c", "rm .githooks && ln -s /tmp .githooks");

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readSymbolicLink(repo.resolve(".githooks"))).isEqualTo(Path.of("hooks-real"));
        if (masks()) {
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains("core.hooksPath").contains("symbolic link"));
        }
    }

    @Test
    void theFsmonitorScriptCannotBeRewritten() throws Exception {
        Path repo = repository();
        Path tools = Files.createDirectories(repo.resolve("tools"));
        Path fsmon = tools.resolve("fsmon.sh");
        script(fsmon);
        git(repo, "config", "core.fsmonitor", "./tools/fsmon.sh");
        Path marker = host.outside().resolve("fsmon-ran");
        String attack = hookPayload(fsmon, marker);

        ExecResult top = from(repo).inside("sh", "-c", attack);
        ExecResult fromTools = from(tools).inside("sh", "-c", attack);

        assertThat(top.isSuccess()).isFalse();
        assertThat(fromTools.isSuccess()).isFalse();
        assertThat(Files.readString(fsmon)).doesNotContain("ran");
        // the script's directory is read-only on both backends since round 24 (F12): its neighbours run with it
        assertThat(fromTools.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("core.fsmonitor"));
        ExecResult other = from(tools).inside("sh", "-c", "echo x > other.txt");
        assertThat(other.isSuccess()).as(other.stderr().text()).isFalse();
        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /** A config git could not be read as this parser reads it: the whole working tree is held. */
    @Test
    void anUnparseableConfigHoldsTheWholeWorkingTree() throws Exception {
        Path repo = repository();
        Path sub = Files.createDirectories(repo.resolve("sub"));
        Files.writeString(repo.resolve(".git/config"), "[core\n", java.nio.file.StandardOpenOption.APPEND);

        ExecResult inside = from(sub).inside("sh", "-c", "echo x > new.txt");

        assertThat(inside.isSuccess()).isFalse();
        assertThat(sub.resolve("new.txt")).doesNotExist();
        assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("cannot be parsed"));
    }

    /** --allow-git-writes lifts it, as it lifts the .git rule. */
    @Test
    void theOptInLiftsIt() throws Exception {
        Path repo = repository();
        Path sub = Files.createDirectories(repo.resolve("sub"));
        Path included = sub.resolve("cfg");
        Files.writeString(included, "# cfg\n");
        git(repo, "config", "include.path", "../sub/cfg");

        ExecResult inside = from(sub, policy(sub).allowGitWrites(true)).inside("sh", "-c", "echo '# more' >> cfg");

        assertThat(inside.isSuccess()).as(inside.stderr().text()).isTrue();
        assertThat(Files.readString(included)).contains("more");
    }
}
