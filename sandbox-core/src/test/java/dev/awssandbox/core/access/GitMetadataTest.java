package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the planner looks for git metadata in a writable directory, and where it stops (as the README says). */
class GitMetadataTest {
    private TestHost host;

    @BeforeEach
    void setUp() {
        host = new TestHost();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private List<Path> found(Path dir) {
        return GitMetadata.find(dir).stream().map(GitMetadata.Entry::path).toList();
    }

    @Test
    void findsRepositoriesUpToTwoLevelsDownAndNoDeeper() throws Exception {
        Path w = host.work();
        Files.createDirectories(w.resolve(".git"));
        Files.createDirectories(w.resolve("a/.git"));
        Files.createDirectories(w.resolve("a/b/.git"));
        Files.createDirectories(w.resolve("a/b/c/.git"));

        assertThat(found(w)).containsExactlyInAnyOrder(w.resolve(".git"), w.resolve("a/.git"), w.resolve("a/b/.git"));
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

        assertThat(GitMetadata.find(host.work())).containsExactly(
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
}
