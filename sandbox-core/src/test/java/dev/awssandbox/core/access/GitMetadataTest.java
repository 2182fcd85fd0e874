package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where the planner looks for git metadata in a writable directory, and where it stops (as the README says). */
@ExtendWith(TestHostExtension.class)
class GitMetadataTest {
    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
    }

    private List<Path> found(Path dir) {
        return GitMetadata.find(dir).entries().stream().map(GitMetadata.Entry::path).toList();
    }

    @Test
    void findsRepositoriesUpToSixLevelsDownAndNoDeeper() throws Exception {
        Path w = host.work();
        Files.createDirectories(w.resolve(".git"));
        Files.createDirectories(w.resolve("a/.git"));
        Files.createDirectories(w.resolve("a/b/.git"));
        Files.createDirectories(w.resolve("a/b/c/.git"));
        Files.createDirectories(w.resolve("a/b/c/d/.git"));
        Files.createDirectories(w.resolve("a/b/c/d/e/f/.git"));
        Files.createDirectories(w.resolve("a/b/c/d/e/f/g/.git"));
        Path bare = bare(w.resolve("mirrors/github/proj.git")); // red team, round 2

        assertThat(found(w)).containsExactlyInAnyOrder(w.resolve(".git"), w.resolve("a/.git"), w.resolve("a/b/.git"),
                w.resolve("a/b/c/.git"), w.resolve("a/b/c/d/.git"), w.resolve("a/b/c/d/e/f/.git"), bare);
    }

    /**
     * Regression (red team, round 22, F5): a GOPATH's {@code src/github.com/org/repo} is four levels
     * down and a vendored checkout's {@code vendor/github.com/x/y} five; the scan stopped at three.
     */
    @Test
    void aGopathRepositoryFourAndFiveLevelsDownIsFound() throws Exception {
        Path w = host.work();
        Files.createDirectories(w.resolve("src/github.com/org/repo/.git"));
        Files.createDirectories(w.resolve("proj/vendor/github.com/x/y/.git"));

        assertThat(found(w)).containsExactlyInAnyOrder(w.resolve("src/github.com/org/repo/.git"),
                w.resolve("proj/vendor/github.com/x/y/.git"));
    }

    /**
     * Below three levels the search is best effort: a budget that runs out there does not make the
     * scan incomplete (a project with a large venv or node_modules stays writable, as before round 22).
     */
    @Test
    void aBudgetThatRunsOutBelowThreeLevelsLeavesTheScanComplete() throws Exception {
        Path big = Files.createDirectories(host.work().resolve("a/b/c/big"));
        for (int i = 0; i <= GitMetadata.MAX_ENTRIES; i++) {
            Files.createFile(big.resolve("f" + i));
        }
        assertThat(GitMetadata.find(host.work()).complete()).isTrue();
    }

    @Test
    void aWorktreeFileBringsItsGitdirAndTheMainRepository() throws Exception {
        Path main = Files.createDirectories(host.outside().resolve("main/.git"));
        Path gitdir = Files.createDirectories(main.resolve("worktrees/wt"));
        Files.writeString(gitdir.resolve("commondir"), "../..\n");
        Files.writeString(host.work().resolve(".git"), "gitdir: " + gitdir + "\n");

        assertThat(found(host.work())).containsExactly(host.work().resolve(".git"), gitdir, main);
    }

    @Test
    void aSymlinkedGitCannotBeMasked() throws Exception {
        Path target = Files.createDirectories(host.outside().resolve("elsewhere/.git"));
        Files.createSymbolicLink(host.work().resolve(".git"), target);

        assertThat(GitMetadata.find(host.work()).entries()).containsExactly(
                new GitMetadata.Entry(host.work().resolve(".git"), false), new GitMetadata.Entry(target, true));
    }

    /** A huge subdirectory uses up the entry budget, but every first-level .git is checked before it is read. */
    @Test
    void theBudgetNeverHidesAFirstLevelRepository() throws Exception {
        Path big = Files.createDirectories(host.work().resolve("node_modules"));
        for (int i = 0; i <= GitMetadata.MAX_ENTRIES; i++) {
            Files.createFile(big.resolve("f" + i));
        }
        Files.createDirectories(host.work().resolve("zzz-service/.git"));

        assertThat(found(host.work())).contains(host.work().resolve("zzz-service/.git"));
    }

    /** A git directory of any name is found by its content, and so is one that the scanned directory is in. */
    @Test
    void bareRepositoriesAreFoundByContentAndFromInside() throws Exception {
        Path w = host.work();
        Path bare = bare(w.resolve("project.git"));
        Path deeper = bare(w.resolve("a/mirror"));
        Files.createDirectories(w.resolve("notarepo/objects"));
        Files.writeString(w.resolve("notarepo/HEAD"), "not enough\n");

        assertThat(found(w)).containsExactlyInAnyOrder(bare, deeper);
        assertThat(found(bare.resolve("hooks"))).containsExactly(bare);
        assertThat(found(bare)).containsExactly(bare);
    }

    /** The scan says when its budget ran out: the caller must not take "none found" for "none there". */
    @Test
    void aScanThatRunsOutOfBudgetSaysSo() throws Exception {
        Path big = Files.createDirectories(host.work().resolve("big"));
        assertThat(GitMetadata.find(host.work()).complete()).isTrue();
        for (int i = 0; i <= GitMetadata.MAX_ENTRIES; i++) {
            Files.createFile(big.resolve("f" + i));
        }
        assertThat(GitMetadata.find(host.work()).complete()).isFalse();
    }

    /**
     * A directory whose name is not valid UTF-8 is listed by the JDK, not by getdents64(2): its
     * name went through a String and came back as another name, and the repository in it was missed.
     */
    @Test
    void aRepositoryUnderANameThatIsNotUtf8IsFound() throws Exception {
        Path w = host.work();
        // Java cannot spell the name; the shell can (0xff is never valid UTF-8)
        Process mkdir = new ProcessBuilder("/bin/sh", "-c", "mkdir -p \"$1/$(printf '\\377')/.git\"", "sh", w.toString())
                .inheritIO().start();
        assertThat(mkdir.waitFor()).isZero();
        Path odd;
        try (var listing = Files.list(w)) {
            odd = listing.findFirst().orElseThrow(); // the JDK's Path keeps the name's bytes
        }

        assertThat(found(w)).containsExactly(odd.resolve(".git"));
    }

    private static Path bare(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("objects"));
        Files.createDirectories(dir.resolve("refs"));
        Files.writeString(dir.resolve("HEAD"), "ref: refs/heads/main\n");
        return dir;
    }
}
