package dev.awssandbox.core.process;

import dev.awssandbox.core.posix.PidDirectories;
import dev.awssandbox.core.posix.TreeDeletion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The temporary directory a sandboxed command gets instead of the host's {@code /tmp}: fresh and
 * owner-only for each stage, named by {@code TMPDIR} (bubblewrap also mounts it at {@code /tmp}),
 * removed with everything in it when the command has ended.
 *
 * <p>Why not the host's {@code /tmp}: it is shared with every process of the host. The JVM keeps
 * its performance counters in {@code /tmp/hsperfdata_USER/PID}, mapped in memory; a command that
 * truncated that file crashed the JVM running it (and any other JVM of the user) with SIGBUS, and
 * read the command lines of the user's other JVMs ({@code -Dsecret=…}) from the files beside it
 * (found by the red team). Sockets, other programs' scratch files and other commands' files live
 * there too.
 *
 * <p>The directories live under one root per JVM, {@code java.io.tmpdir/aws-sandbox-tmp-PID-*}
 * (owner-only, random name), which no grant may open; roots left by JVMs that were killed are
 * removed when the next one starts.
 *
 * <p>An emptied directory is used again by a later command: a Landlock ruleset names its paths by
 * inode, so a fresh directory per command would make every ruleset new (a few system calls per
 * path, and a cache entry each). It is emptied once its command has ended and every process of
 * it is gone, and only a directory emptied completely, still ours alone, is used again.
 */
public final class PrivateTemp implements AutoCloseable {
    private static final String PREFIX = "aws-sandbox-tmp-";
    private static final int KEPT = 64;
    private static final java.util.concurrent.ConcurrentLinkedDeque<Path> FREE = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private static volatile Path root;

    private final Path path;

    private PrivateTemp(Path path) {
        this.path = path;
    }

    /** An empty, owner-only directory for one stage of a command; {@link #close()} hands it back. */
    public static PrivateTemp create() throws IOException {
        Path free = FREE.pollFirst(); // the most recently used: its ruleset is the likeliest to be cached
        return new PrivateTemp(free != null ? free : PidDirectories.fresh(root(), "c"));
    }

    /** The resolved path of the directory. */
    public Path path() {
        return path;
    }

    /**
     * Empties the directory (symbolic links are removed, never followed) for a later command, or
     * removes it. Call it only when every process of the command is gone.
     */
    @Override
    public void close() {
        try {
            boolean empty = TreeDeletion.empty(path);
            boolean ours = Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    .equals(PosixFilePermissions.fromString("rwx------"));
            if (empty && ours && FREE.size() < KEPT) {
                FREE.addFirst(path);
                return;
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not reusable: removed below
        }
        TreeDeletion.delete(path);
    }

    /** This JVM's root of private temporary directories, created on first use. */
    public static Path root() throws IOException {
        Path r = root;
        if (r == null) {
            synchronized (PrivateTemp.class) {
                r = root;
                if (r == null) {
                    Path base = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
                    r = PidDirectories.create(base, PREFIX); // and removes this user's of JVMs that are gone
                    Path created = r;
                    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("aws-sandbox-tmp-cleanup")
                            .unstarted(() -> TreeDeletion.delete(created)));
                    root = r;
                }
            }
        }
        return r;
    }

    /** The root if it has been created (for the checks that keep every grant out of it). */
    public static java.util.Optional<Path> existingRoot() {
        return java.util.Optional.ofNullable(root);
    }
}
