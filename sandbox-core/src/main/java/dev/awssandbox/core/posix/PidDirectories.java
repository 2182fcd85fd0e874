package dev.awssandbox.core.posix;

import java.io.IOException;
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
        Path dir = Files.createTempDirectory(base, prefix + JvmTag.current() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toRealPath();
        removeStale(base, prefix, dir);
        return dir;
    }

    /** Those of JVMs that are gone and were this user's, like {@code own} (another user's is never entered). */
    private static void removeStale(Path base, String prefix, Path own) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, prefix + "*")) {
            java.nio.file.attribute.UserPrincipal owner = Files.getOwner(own, LinkOption.NOFOLLOW_LINKS);
            for (Path dir : dirs) {
                String rest = dir.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                if (JvmTag.isGone(rest.substring(0, dash)) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && owner.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))) {
                    TreeDeletion.delete(dir);
                }
            }
        } catch (IOException e) {
            // nothing to clean here
        }
    }
}
