package dev.awssandbox.core.posix;

import dev.awssandbox.core.JvmTag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Owner-only directories named after the JVM that made them ({@code PREFIX<tag>-<random>}, the
 * {@link JvmTag}), so that the next JVM can remove the ones left behind by a JVM that was killed. The spawn gates'
 * FIFOs and the egress proxy's socket each live in one.
 */
public final class PidDirectories {
    private PidDirectories() {}

    /**
     * Removes the directories under {@code base} named {@code prefix} of JVMs that no longer run,
     * then creates this JVM's own there ({@code rwx------}) and returns its real path.
     *
     * @throws UnsupportedOperationException on a file system without POSIX permissions
     */
    public static Path create(Path base, String prefix) throws IOException {
        removeStale(base, prefix);
        Path dir = Files.createTempDirectory(base, prefix + JvmTag.current() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return dir.toRealPath();
    }

    /** Deletes the directory and the files directly in it; best effort. */
    public static void deleteQuietly(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException e) {
            // best effort: an empty directory in a temporary file system
        }
    }

    private static void removeStale(Path base, String prefix) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, prefix + "*")) {
            for (Path dir : dirs) {
                String rest = dir.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                if (JvmTag.isGone(rest.substring(0, dash)) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(dir); // the owner's permissions decide (sticky /dev/shm, /tmp)
                }
            }
        } catch (IOException e) {
            // nothing to clean here
        }
    }
}
