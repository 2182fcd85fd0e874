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
        Path dir = fresh(base, prefix + JvmTag.current() + "-").toRealPath();
        removeStale(base, prefix, dir);
        return dir;
    }

    /**
     * A new owner-only ({@code rwx------}) directory {@code base/prefix<random>}, as
     * {@link Files#createTempDirectory(Path, String, java.nio.file.attribute.FileAttribute[])} makes it:
     * {@code mkdir(2)} never follows a link at the name and fails on a name that is taken, which is then
     * tried again with another. The random part is read from {@code /dev/urandom}: the JDK draws its
     * names from {@code SecureRandom}, whose first use loads the security providers (milliseconds of a
     * command-line run's first plan).
     */
    public static Path fresh(Path base, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path dir = base.resolve(prefix + Long.toUnsignedString(randomLong()));
            try {
                return Files.createDirectory(dir, PRIVATE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private static long randomLong() throws IOException {
        try (java.io.InputStream random = new java.io.FileInputStream("/dev/urandom")) {
            byte[] bytes = random.readNBytes(Long.BYTES);
            if (bytes.length != Long.BYTES) {
                throw new IOException("/dev/urandom gave " + bytes.length + " bytes");
            }
            return java.nio.ByteBuffer.wrap(bytes).getLong();
        }
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
