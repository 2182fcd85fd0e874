package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression (red team, round 19): what git follows or reads from outside the repository's own
 * config — a hook, the hooks directory or {@code .git/config} that is a symbolic link into the
 * working tree (F9), what the user's global config includes (F2), a {@code ~/.gitconfig} that links
 * into a dotfiles checkout (F10) — was writable, and the next {@code git commit} or
 * {@code git status} outside ran the payload; a FIFO or a huge file planted as git metadata blocked
 * or ended every later plan (F8). With real git: each attack is shown to work unsandboxed, and to
 * fail sandboxed, on both backends.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class GitLinksAndGlobalConfigTest {
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
        return git(java.util.Map.of(), dir, args);
    }

    /** git run as the user would, with {@code environment} added to its environment. */
    private String git(java.util.Map<String, String> environment, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t",
                "-c", "user.email=t@t"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", host.home().toString());
        builder.environment().remove("XDG_CONFIG_HOME");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private Path repository(Path repo) throws Exception {
        Files.createDirectories(repo);
        git(repo, "init", "-q", ".");
        Files.writeString(repo.resolve("f.txt"), "data\n");
        git(repo, "add", "f.txt");
        git(repo, "commit", "-qm", "init");
        return repo;
    }

    private static void script(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Sandboxes from(Path dir) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        return Sandboxes.of(environment, SandboxPolicy.defaults(environment), backend);
    }

    private Sandboxes from(Path dir, SandboxPolicy.Builder policy) {
        return Sandboxes.of(host.environment().withWorkingDirectory(dir), policy.build(), backend);
    }

    private SandboxPolicy.Builder policy(Path dir) {
        return SandboxPolicy.builder(host.environment().withWorkingDirectory(dir));
    }

    private static String hookPayload(Path file, Path marker) {
        return "printf '#!/bin/sh\\necho ran > " + marker + "\\n' > " + file;
    }

    private static String fsmonitorPayload(Path file, Path marker) {
        return "printf '[core]\\n\\tfsmonitor = \"echo ran > " + marker + "; false\"\\n' >> " + file;
    }

    /** Runs the attack with an explicit --rw of {@code dir}: refused at planning, or failing. */
    private boolean writableThroughRw(Path dir, String attack) {
        try {
            return from(host.outside(), policy(host.outside()).addWritePath(dir.toString())).inside("sh", "-c", attack)
                    .isSuccess();
        } catch (IllegalStateException refused) { // Sandboxes' wrapping of the SandboxException
            assertThat(refused.getMessage()).contains("--rw " + dir).contains("symbolic link");
            return false;
        }
    }

    /** F9: {@code .git/hooks/pre-commit -> ../../scripts/pre-commit}. */
    @Test
    void aHookLinkedIntoTheWorkingTreeCannotBeRewritten() throws Exception {
        Path repo = repository(host.work().resolve("h"));
        Path hook = repo.resolve("scripts/pre-commit");
        script(hook);
        Files.createSymbolicLink(repo.resolve(".git/hooks/pre-commit"), Path.of("../../scripts/pre-commit"));
        Path marker = host.outside().resolve("hook-ran");
        String attack = hookPayload(hook, marker);

        ExecResult top = from(repo).inside("sh", "-c", attack);
        ExecResult fromScripts = from(hook.getParent()).inside("sh", "-c", attack);
        ExecResult moved = from(repo).inside("sh", "-c", "mv scripts scripts.old && mkdir scripts && " + attack);

        assertThat(top.isSuccess()).isFalse();
        assertThat(fromScripts.isSuccess()).isFalse();
        assertThat(moved.isSuccess()).isFalse();
        assertThat(repo.resolve("scripts.old")).doesNotExist();
        assertThat(writableThroughRw(hook.getParent(), attack)).isFalse();
        assertThat(Files.readString(hook)).doesNotContain("ran");
        if (masks()) { // the rest of the tree, and of scripts/, stays writable
            ExecResult other = from(hook.getParent()).inside("sh", "-c", "echo x > other.sh");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else {
            assertThat(fromScripts.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains("symbolic link").contains(".git/hooks/pre-commit"));
        }
        // control: unsandboxed, the same write makes the next commit run it
        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue();
        Files.writeString(repo.resolve("f.txt"), "more\n");
        git(repo, "commit", "-qam", "x");
        assertThat(marker).exists();
    }

    /** F9: a dangling hook link: git would run whatever a command creates at its target. */
    @Test
    void theTargetOfADanglingHookLinkCannotBeCreated() throws Exception {
        Path repo = repository(host.work().resolve("d"));
        Path scripts = Files.createDirectories(repo.resolve("scripts"));
        Files.createSymbolicLink(repo.resolve(".git/hooks/pre-commit"), Path.of("../../scripts/pre-commit"));
        Path marker = host.outside().resolve("dangling-ran");
        String attack = "cp /usr/bin/true pre-commit && " + hookPayload(scripts.resolve("pre-commit"), marker);

        ExecResult fromScripts = from(scripts).inside("sh", "-c", attack);
        ExecResult top = from(repo).inside("sh", "-c", "cd scripts && " + attack);

        assertThat(fromScripts.isSuccess()).isFalse();
        assertThat(top.isSuccess()).isFalse();
        assertThat(scripts.resolve("pre-commit")).doesNotExist();
        assertThat(fromScripts.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("symbolic link"));
        assertThat(from(scripts).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        Files.writeString(repo.resolve("f.txt"), "more\n");
        git(repo, "commit", "-qam", "x");
        assertThat(marker).exists();
    }

    /** F9: {@code .git/hooks -> ../.githooks}: no hook rewritten, none created. */
    @Test
    void aLinkedHooksDirectoryCannotBeWritten() throws Exception {
        Path repo = repository(host.work().resolve("k"));
        Path hooks = repo.resolve(".githooks");
        script(hooks.resolve("pre-commit"));
        git(repo, "add", "-A");
        git(repo, "commit", "-qm", "hooks");
        try (var old = Files.walk(repo.resolve(".git/hooks"))) {
            old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.createSymbolicLink(repo.resolve(".git/hooks"), Path.of("../.githooks"));
        Path marker = host.outside().resolve("post-ran");
        String attack = "cp /usr/bin/true " + hooks.resolve("post-commit") + " && "
                + hookPayload(hooks.resolve("post-commit"), marker);

        ExecResult top = from(repo).inside("sh", "-c", attack);
        ExecResult fromHooks = from(hooks).inside("sh", "-c", attack);

        assertThat(top.isSuccess()).isFalse();
        assertThat(fromHooks.isSuccess()).isFalse();
        assertThat(hooks.resolve("post-commit")).doesNotExist();
        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        Files.writeString(repo.resolve("f.txt"), "more\n");
        git(repo, "commit", "-qam", "x");
        assertThat(marker).exists();
    }

    /** F9: {@code .git/config -> ../shared.gitconfig}. */
    @Test
    void aLinkedRepositoryConfigCannotGainAnFsmonitor() throws Exception {
        Path repo = repository(host.work().resolve("c"));
        Path shared = repo.resolve("shared.gitconfig");
        Files.move(repo.resolve(".git/config"), shared);
        Files.createSymbolicLink(repo.resolve(".git/config"), Path.of("../shared.gitconfig"));
        Path marker = host.outside().resolve("config-ran");
        String attack = fsmonitorPayload(shared, marker);

        ExecResult inside = from(repo).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(shared)).doesNotContain("fsmonitor");
        assertThat(from(repo).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /** F2: {@code includeIf … path = ~/work/shared/.gitconfig-work} in the user's own {@code ~/.gitconfig}. */
    @Test
    void whatTheGlobalConfigIncludesCannotGainAnFsmonitor() throws Exception {
        Path repo = repository(host.work().resolve("proj"));
        Path shared = Files.createDirectories(host.work().resolve("shared"));
        Path included = shared.resolve(".gitconfig-work");
        Files.writeString(included, "[user]\n\temail = work@example.com\n");
        Files.writeString(host.home().resolve(".gitconfig"), "[includeIf \"gitdir:" + host.work() + "/\"]\n\tpath = "
                + included + "\n");
        Path marker = host.outside().resolve("global-ran");
        String attack = fsmonitorPayload(included, marker);

        ExecResult inside = from(shared).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(included)).doesNotContain("fsmonitor");
        if (masks()) {
            ExecResult other = from(shared).inside("sh", "-c", "echo x > other.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else {
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains(included.toString()).contains(".gitconfig)"));
        }
        assertThat(from(shared).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /**
     * Round 20, F1: {@code init.templateDir} in the global config names a templates directory in a
     * dotfiles checkout; git copies its {@code hooks/} into every repository it makes, so a rewritten
     * {@code post-checkout} ran at the user's next {@code git clone}.
     */
    @Test
    void aTemplateDirectoryHookCannotBeRewritten() throws Exception {
        Path source = repository(host.outside().resolve("src")); // before the template exists
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Path templates = dotfiles.resolve("git-templates");
        Path hook = templates.resolve("hooks/post-checkout");
        script(hook);
        Files.writeString(host.home().resolve(".gitconfig"), "[init]\n\ttemplateDir = " + templates + "\n");
        Path marker = host.outside().resolve("template-ran");
        String attack = hookPayload(hook, marker);

        ExecResult fromDotfiles = from(dotfiles).inside("sh", "-c", attack);
        ExecResult fromHooks = from(hook.getParent()).inside("sh", "-c", attack);
        ExecResult moved = from(dotfiles).inside("sh", "-c", "mv git-templates t.old && mkdir -p git-templates/hooks"
                + " && cp /usr/bin/true " + hook + " && " + attack);

        assertThat(fromDotfiles.isSuccess()).isFalse();
        assertThat(fromHooks.isSuccess()).isFalse();
        assertThat(moved.isSuccess()).isFalse();
        assertThat(dotfiles.resolve("t.old")).doesNotExist();
        assertThat(Files.readString(hook)).doesNotContain("ran");
        if (masks()) { // the rest of the checkout stays writable
            ExecResult other = from(dotfiles).inside("sh", "-c", "echo x > bashrc");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else {
            assertThat(fromDotfiles.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains(templates.toString()).contains("init.templateDir"));
        }
        // control: unsandboxed, the same write makes the next clone run it
        assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).isTrue();
        git(host.outside(), "clone", "-q", source.toString(), host.outside().resolve("clone").toString());
        assertThat(marker).exists();
    }

    /**
     * Round 20, F2: git expands {@code ~user/} in an include path (to that user's home directory);
     * aws-sandbox took {@code ~root/…} for a relative path, so the include target stayed writable
     * and gained an fsmonitor that the next {@code git status} ran.
     */
    @Test
    void aTildeUserIncludeTargetCannotGainAnFsmonitor() throws Exception {
        Path userHome = Path.of(System.getProperty("user.home"));
        org.junit.jupiter.api.Assumptions.assumeTrue(host.work().startsWith(userHome),
                "the test host lies in the user's home directory");
        Path repo = repository(host.work().resolve("proj"));
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Path included = dotfiles.resolve("gitconfig.local");
        Files.writeString(included, "[user]\n\tname = local\n");
        String viaUser = "~" + System.getProperty("user.name") + "/" + userHome.relativize(included);
        Files.writeString(host.home().resolve(".gitconfig"), "[include]\n\tpath = " + viaUser + "\n");
        Path marker = host.outside().resolve("tilde-user-ran");
        String attack = fsmonitorPayload(included, marker);

        ExecResult inside = from(dotfiles).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(included)).doesNotContain("fsmonitor");
        if (masks()) {
            ExecResult other = from(dotfiles).inside("sh", "-c", "echo x > other.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else {
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains(included.toString()).contains(".gitconfig)"));
        }
        // control: git expands ~user/ (the include is read), and unsandboxed the write makes it run
        assertThat(git(repo, "config", "--global", "--includes", "user.name")).isEqualTo("local\n");
        assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).isTrue();
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /** F10: {@code ~/.gitconfig -> ~/work/dotfiles/gitconfig}, the dotfiles checkout the working directory. */
    @Test
    void aGlobalConfigLinkedIntoADotfilesCheckoutCannotBeWritten() throws Exception {
        Path repo = repository(host.work().resolve("proj"));
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Path config = dotfiles.resolve("gitconfig");
        Files.writeString(config, "[user]\n\tname = me\n");
        Files.createSymbolicLink(host.home().resolve(".gitconfig"), config);
        Path marker = host.outside().resolve("dotfiles-ran");
        String attack = fsmonitorPayload(config, marker);

        ExecResult inside = from(dotfiles).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(config)).doesNotContain("fsmonitor");
        // the rest of the checkout is kept with it on both backends since round 24 (F12): git loads a relative
        // include.path from beside the config, a shell its sourced neighbours
        ExecResult other = from(dotfiles).inside("sh", "-c", "echo x > bashrc");
        assertThat(other.isSuccess()).as(other.stderr().text()).isFalse();
        assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(repo, "status", "--short");
        assertThat(marker).exists();
    }

    /**
     * F8: a FIFO as a nested repository's config and a 1 GiB sparse {@code .git} file, both planted by
     * an earlier command: the next run completes, and the nested repository stays protected.
     */
    @Test
    void aPlantedFifoOrHugeGitFileNeitherBlocksNorEndsTheNextRun() throws Exception {
        Path work = host.work();
        ExecResult plant = from(work, policy(work).allowGitWrites(true)).inside("sh", "-c",
                "mkdir -p sub/.git/objects sub/.git/refs && echo 'ref: refs/heads/main' > sub/.git/HEAD"
                        + " && mkfifo sub/.git/config && mkdir big && truncate -s 1G big/.git");
        assertThat(plant.isSuccess()).as(plant.stderr().text()).isTrue();

        ExecResult next = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> from(work).inside("sh", "-c", "echo x > sub/new.txt"));

        assertThat(next.isSuccess()).isFalse();
        assertThat(work.resolve("sub/new.txt")).doesNotExist();
        if (masks()) { // under Landlock sub/.git already holds the working directory
            assertThat(next.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("not a regular file"));
        }
        // control: with the opt-in (nothing is protected, so nothing is read) the same write succeeds
        ExecResult opted = from(work, policy(work).allowGitWrites(true)).inside("sh", "-c", "echo x > sub/new.txt");
        assertThat(opted.isSuccess()).as(opted.stderr().text()).isTrue();
    }

    /**
     * F9 and the denial hints: a forged denial of the target of a hook link, from another directory,
     * never gets a hint (it offered {@code --rw} of the directory that holds the hook); one of an
     * ordinary directory of the same repository still does.
     */
    @Test
    void aForgedDenialOfAHookTargetGetsNoHint() throws Exception {
        Path repo = repository(host.work().resolve("h"));
        Path hook = repo.resolve("scripts/pre-commit");
        script(hook);
        Files.createSymbolicLink(repo.resolve(".git/hooks/pre-commit"), Path.of("../../scripts/pre-commit"));
        Path data = Files.createDirectories(repo.resolve("data"));
        Path elsewhere = Files.createDirectories(host.outside().resolve("elsewhere"));

        ExecResult forged = from(elsewhere).inside("sh", "-c",
                "echo 'sh: 1: cannot create " + hook + ": Permission denied' >&2; exit 1");
        ExecResult ordinary = from(elsewhere).inside("sh", "-c",
                "echo 'sh: 1: cannot create " + data.resolve("x.csv") + ": Permission denied' >&2; exit 1");

        assertThat(forged.denials()).isEmpty();
        assertThat(ordinary.denials()).isNotEmpty();
    }

    /**
     * F3: a submodule a clone left uninitialised ({@code libs/foo} empty): a command that creates
     * {@code libs/foo/.git} with an fsmonitor got it run by {@code git status} in the enclosing,
     * protected repository.
     */
    @Test
    void anUninitialisedSubmoduleCannotBePopulated() throws Exception {
        Path source = repository(host.outside().resolve("subsrc"));
        Path origin = repository(host.outside().resolve("origin"));
        git(origin, "-c", "protocol.file.allow=always", "submodule", "add", "-q", source.toString(), "libs/foo");
        git(origin, "commit", "-qm", "sub");
        git(host.work(), "clone", "-q", origin.toString(), "r2");
        Path clone = host.work().resolve("r2");
        Path foo = clone.resolve("libs/foo");
        assertThat(foo).isEmptyDirectory();
        Path marker = host.outside().resolve("submodule-ran");
        String attack = "mkdir -p " + foo + "/.git/objects " + foo + "/.git/refs && echo 'ref: refs/heads/main' > "
                + foo + "/.git/HEAD && printf '[core]\\n\\trepositoryformatversion = 0\\n\\tfsmonitor = \"echo ran > "
                + marker + "; false\"\\n' > " + foo + "/.git/config";

        ExecResult top = from(clone).inside("sh", "-c", attack);
        ExecResult fromLibs = from(clone.resolve("libs")).inside("sh", "-c", attack);

        assertThat(top.isSuccess()).isFalse();
        assertThat(fromLibs.isSuccess()).isFalse();
        assertThat(foo.resolve(".git")).doesNotExist();
        if (masks()) { // kept read-only, the rest of libs/ writable
            ExecResult other = from(clone.resolve("libs")).inside("sh", "-c", "echo x > other.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else {
            assertThat(fromLibs.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("uninitialised submodule"));
        }
        assertThat(from(clone).outside("sh", "-c", attack).isSuccess()).isTrue(); // control
        git(clone, "status", "--short");
        assertThat(marker).exists();
    }

    /**
     * Round 20, F8: a {@code .git} file whose {@code gitdir:} goes through a symbolic link in the
     * writable tree ({@code work/.git} = {@code gitdir: ../gd-link/real.git}, {@code gd-link -> store}):
     * the real git directory was kept read-only, but the command re-pointed {@code gd-link} at a git
     * directory of its own with an fsmonitor, which the next {@code git status} ran. Now the link is
     * treated as a {@code .git} symlink is: a write path that holds it is not made writable.
     */
    @Test
    void aLinkOnTheWayToAGitFilesGitDirectoryCannotBeRepointed() throws Exception {
        Path r = Files.createDirectories(host.work().resolve("g/store")).getParent();
        Path work = r.resolve("work");
        git(r, "init", "-q", "--separate-git-dir=" + r.resolve("store/real.git"), work.toString());
        git(work, "commit", "-q", "--allow-empty", "-m", "init");
        Path link = Files.createSymbolicLink(r.resolve("gd-link"), Path.of("store"));
        Files.writeString(work.resolve(".git"), "gitdir: ../gd-link/real.git\n");
        assertThat(git(work, "rev-parse", "--git-dir")).isEqualTo(r.resolve("store/real.git").toRealPath() + "\n"); // through the link
        Path marker = host.outside().resolve("gitfile-link-ran");
        String attack = "mkdir -p evil && cp -r store/real.git evil/real.git && printf '[core]\\n\\tfsmonitor = \"echo ran > "
                + marker + "; false\"\\n' >> evil/real.git/config && rm gd-link && ln -s evil gd-link";

        ExecResult inside = from(r).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("store"));
        if (masks()) { // refused for the link; a write path that does not hold it stays writable
            assertThat(inside.enforcement().notes())
                    .anySatisfy(n -> assertThat(n).contains("symbolic link " + link).contains("re-point"));
            assertThat(writableThroughRw(r, attack)).isFalse();
            Path data = Files.createDirectories(r.resolve("data"));
            ExecResult other = from(data).inside("sh", "-c", "echo x > other.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } else { // under Landlock the .git file alone keeps the working directory read-only
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".git"));
        }
        // control: unsandboxed, the same re-pointing makes the next git status run the fsmonitor
        ExecResult control = from(r).outside("sh", "-c", attack);
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
        git(work, "status", "--short");
        assertThat(marker).exists();
    }

    /**
     * Round 20: {@code GIT_TEMPLATE_DIR} in the user's environment names the template directory as
     * {@code init.templateDir} does (it was not read): its {@code hooks/post-checkout} in a dotfiles
     * checkout cannot be rewritten; git copies it into the next clone, which runs it.
     */
    @Test
    void theTemplateDirectoryTheEnvironmentNamesCannotBeRewritten() throws Exception {
        Path source = repository(host.outside().resolve("src"));
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Path templates = dotfiles.resolve("git-templates");
        Path hook = templates.resolve("hooks/post-checkout");
        script(hook);
        Path marker = host.outside().resolve("env-template-ran");
        String attack = hookPayload(hook, marker);
        // control: without the variable, the checkout is an ordinary writable directory
        ExecResult before = from(dotfiles).inside("sh", "-c", "echo x > bashrc");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(from(hook.getParent()).inside("sh", "-c", "echo x > notes.txt").isSuccess()).isTrue();
        host.set("GIT_TEMPLATE_DIR", templates.toString());

        ExecResult fromDotfiles = from(dotfiles).inside("sh", "-c", attack);
        ExecResult fromHooks = from(hook.getParent()).inside("sh", "-c", attack);

        assertThat(fromDotfiles.isSuccess()).isFalse();
        assertThat(fromHooks.isSuccess()).isFalse();
        assertThat(Files.readString(hook)).doesNotContain("ran");
        assertThat(fromHooks.enforcement().notes())
                .anySatisfy(n -> assertThat(n).contains(templates.toString()).contains("GIT_TEMPLATE_DIR"));
        if (masks()) { // the rest of the checkout stays writable
            ExecResult other = from(dotfiles).inside("sh", "-c", "echo y > bashrc");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        }
        // control: unsandboxed, the same write makes the next clone (with the variable) run it
        assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).isTrue();
        git(java.util.Map.of("GIT_TEMPLATE_DIR", templates.toString()), host.outside(), "clone", "-q",
                source.toString(), host.outside().resolve("clone").toString());
        assertThat(marker).exists();
    }

    /**
     * Round 20: {@code GIT_CONFIG_COUNT}/{@code GIT_CONFIG_KEY_0}/{@code GIT_CONFIG_VALUE_0} in the
     * user's environment set {@code core.hooksPath} to a hooks directory in a checkout (they were not
     * read): its {@code pre-commit} cannot be rewritten; the next commit runs it.
     */
    @Test
    void theHooksDirectoryGitConfigCountNamesCannotBeRewritten() throws Exception {
        Path repo = repository(host.work().resolve("proj"));
        Path shared = Files.createDirectories(host.work().resolve("shared"));
        Path hook = shared.resolve("hooks/pre-commit");
        script(hook);
        Path marker = host.outside().resolve("env-count-ran");
        String attack = hookPayload(hook, marker);
        java.util.Map<String, String> variables = java.util.Map.of("GIT_CONFIG_COUNT", "2", "GIT_CONFIG_KEY_0",
                "user.name", "GIT_CONFIG_VALUE_0", "me", "GIT_CONFIG_KEY_1", "core.hooksPath", "GIT_CONFIG_VALUE_1",
                hook.getParent().toString());
        // control: without the variables, the hooks directory is an ordinary writable directory
        ExecResult before = from(hook.getParent()).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        variables.forEach(host::set);

        ExecResult fromShared = from(shared).inside("sh", "-c", attack);
        ExecResult fromHooks = from(hook.getParent()).inside("sh", "-c", attack);

        assertThat(fromShared.isSuccess()).isFalse();
        assertThat(fromHooks.isSuccess()).isFalse();
        assertThat(Files.readString(hook)).doesNotContain("ran");
        assertThat(fromHooks.enforcement().notes())
                .anySatisfy(n -> assertThat(n).contains(hook.getParent().toString()).contains("GIT_CONFIG_KEY_1"));
        if (masks()) { // the rest of the checkout stays writable
            ExecResult other = from(shared).inside("sh", "-c", "echo y > other.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        }
        // control: unsandboxed, the same write makes the next commit (with the variables) run it
        assertThat(from(shared).outside("sh", "-c", attack).isSuccess()).isTrue();
        Files.writeString(repo.resolve("f.txt"), "more\n");
        git(variables, repo, "commit", "-qam", "x");
        assertThat(marker).exists();
    }
}
