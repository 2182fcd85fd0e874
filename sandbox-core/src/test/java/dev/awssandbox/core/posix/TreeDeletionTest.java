package dev.awssandbox.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a tree a sandboxed command wrote never leaves it, and a sweep of leftovers never
 * enters another user's (red team, round 14: a process that swapped the tree's subdirectories for
 * symbolic links while a root run deleted a planted "stale" directory made it delete root's files
 * elsewhere).
 */
class TreeDeletionTest {
    private static final int FILES = 400;
    private static final int PAIRS = 8;

    /**
     * Swaps each subdirectory of {@code tree} with a symbolic link to {@code victim} (renameat2
     * RENAME_EXCHANGE) without pause, while the tree is deleted; the victim, which holds files of
     * the same names, keeps them all. The control: the path walk used before deletes some of them
     * under the same swapping, in one of a few tries at least.
     */
    @Test
    void aTreeWhoseDirectoriesAreSwappedForLinksIsDeletedWithoutLeavingIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 for the swapping process");
        Assumptions.assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64|aarch64"), "renameat2's number is known for x86_64 and aarch64");
        Path victim = Files.createDirectory(dir.resolve("victim"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(victim.resolve("f" + i), "keep");
        }

        for (int i = 0; i < 3; i++) {
            assertThat(swappedWhileDeleting(dir, victim, TreeDeletion::delete)).as("victim files deleted").isZero();
        }

        int deleted = 0;
        for (int i = 0; i < 8 && deleted == 0; i++) {
            deleted = swappedWhileDeleting(dir, victim, TreeDeletionTest::walkAndDelete);
            restore(victim);
        }
        assertThat(deleted).as("the control: a path walk, swapped, deletes victim files").isPositive();
    }

    /** The tree, swapped for the whole deletion; returns how many of the victim's files went. */
    private static int swappedWhileDeleting(Path dir, Path victim, Consumer<Path> deletion) throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectory(tree);
        for (int j = 0; j < PAIRS; j++) {
            Path sub = Files.createDirectory(tree.resolve("sub" + j));
            for (int i = 0; i < FILES; i++) {
                Files.writeString(sub.resolve("f" + i), "x");
            }
            Files.createSymbolicLink(tree.resolve("alt" + j), victim);
        }
        String swapper = """
                import ctypes, os, sys
                libc = ctypes.CDLL(None, use_errno=True)
                nr = 316 if os.uname().machine == "x86_64" else 276
                tree, pairs = sys.argv[1], int(sys.argv[2])
                names = [((tree + "/sub%d" % j).encode(), (tree + "/alt%d" % j).encode()) for j in range(pairs)]
                print("swapping", flush=True)
                while os.path.lexists(tree):
                    for a, b in names:
                        libc.syscall(nr, -100, a, -100, b, 2)
                """;
        Process swap = new ProcessBuilder("/usr/bin/python3", "-c", swapper, tree.toString(), Integer.toString(PAIRS))
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(swap.getInputStream().readNBytes(9))).isEqualTo("swapping\n");
            deletion.accept(tree);
            for (int round = 0; round < 5 && Files.exists(tree); round++) {
                deletion.accept(tree); // what a swap kept from one pass
            }
        } finally {
            swap.destroyForcibly();
            swap.waitFor(10, TimeUnit.SECONDS);
        }
        if (Files.exists(tree)) {
            TreeDeletion.delete(tree);
        }
        try (Stream<Path> left = Files.list(victim)) {
            return FILES - (int) left.count();
        }
    }

    private static void restore(Path victim) throws IOException {
        for (int i = 0; i < FILES; i++) {
            if (!Files.exists(victim.resolve("f" + i))) {
                Files.writeString(victim.resolve("f" + i), "keep");
            }
        }
    }

    /** The deletion used before: a walk by path, each entry checked, then deleted by its path. */
    private static void walkAndDelete(Path tree) {
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException ignored) {
                        // swapped
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort, as before
        }
    }

    /**
     * A tree deeper than a path can name (400 levels of "x", more than PATH_MAX below the top) is
     * deleted whole, and so is the same tree when only the directory's contents go (a command's
     * private temporary directory): with a fixed depth limit, 258 levels kept the directory and its
     * data in /tmp for good (red team, round 15).
     */
    @Test
    void aTreeOfAnyDepthIsDeleted(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 to make the tree");
        Path tree = Files.createDirectory(dir.resolve("tree"));
        deepTree(tree, 400);
        TreeDeletion.delete(tree);
        assertThat(tree).doesNotExist();

        Path kept = Files.createDirectory(dir.resolve("kept"));
        deepTree(kept, 1200);
        TreeDeletion.empty(kept);
        try (Stream<Path> left = Files.list(kept)) {
            assertThat(left.toList()).as("left in an emptied directory").isEmpty();
        }
    }

    /** {@code levels} nested directories "x" below {@code top}, with a file at the bottom. */
    private static void deepTree(Path top, int levels) throws Exception {
        String make = """
                import os, sys
                fd = os.open(sys.argv[1], os.O_RDONLY)
                for i in range(int(sys.argv[2])):
                    os.mkdir("x", dir_fd=fd)
                    below = os.open("x", os.O_RDONLY, dir_fd=fd)
                    os.close(fd)
                    fd = below
                f = os.open("data", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
                os.write(f, b"what the command left")
                """;
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", make, top.toString(), Integer.toString(levels))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    /** A dead JVM's directory of another user is left alone by root's sweep; the control, root's own, goes. */
    @Test
    void aSweepNeverEntersAnotherUsersDirectory(@TempDir Path base) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make a directory another user owns");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path others = Files.createDirectory(base.resolve("aws-sandbox-test-" + JvmTag.of(gone.pid()) + "-nobody"));
        Files.setAttribute(others, "unix:uid", 65534);
        Path own = Files.createDirectory(base.resolve("aws-sandbox-test-" + JvmTag.of(gone.pid()) + "-root"));

        Path created = PidDirectories.create(base, "aws-sandbox-test-");

        assertThat(created).isDirectory();
        assertThat(others).as("another user's, of a JVM that is gone").isDirectory();
        assertThat(own).as("the control: this user's, of a JVM that is gone").doesNotExist();
    }
}
