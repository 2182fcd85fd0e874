package dev.awssandbox.core.posix;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes a directory tree that a sandboxed command wrote, without following a symbolic link
 * anywhere in it, whatever is renamed meanwhile: every step is made relative to a directory that
 * is already open ({@link SecureDirectoryStream}: {@code openat} with {@code O_NOFOLLOW},
 * {@code unlinkat}), never by a path. A path walk was led out of the tree by a process that
 * swapped a subdirectory for a symbolic link between the walk's check and its {@code unlink}
 * (red team, round 14: a root run deleted root's files that the attacker could not even list).
 */
public final class TreeDeletion {
    /** Directories deeper than this are moved up to the top of the tree (below), so descriptors stay few. */
    private static final int MAX_DEPTH = 64;
    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final java.util.concurrent.atomic.AtomicLong MOVED = new java.util.concurrent.atomic.AtomicLong();

    private TreeDeletion() {}

    /**
     * One deletion: the tree's top directory, open, and the directories moved up into it. A tree
     * of any depth is deleted with at most {@link #MAX_DEPTH} directories open at once: one found
     * deeper is moved (renamed between two open directories) to the top and deleted from there
     * later. With a fixed limit alone, a command that left a tree 258 levels deep in its
     * temporary directory kept that directory, and all it held, in /tmp for good (red team, round 15).
     */
    private static final class Pass {
        final SecureDirectoryStream<Path> top;
        final Path topPath;
        final Deque<Path> moved = new ArrayDeque<>();
        boolean incomplete;

        Pass(SecureDirectoryStream<Path> top, Path topPath) {
            this.top = top;
            this.topPath = topPath;
        }

        /** Deletes what is in the top directory, the moved directories included; whether all of it went. */
        boolean run() {
            deleteEntries(top, topPath, 1, this);
            for (Path name; (name = moved.poll()) != null; ) {
                try {
                    deleteEntry(top, topPath, name, 1, this);
                } catch (IOException e) {
                    incomplete = true; // best effort: the rest is still deleted
                }
            }
            return !incomplete;
        }
    }

    /**
     * Deletes {@code dir} (a directory, not followed if it is a link) and everything in it; best
     * effort: what cannot be deleted stays. A symbolic link is deleted, never followed.
     */
    public static void delete(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        Path name = dir.getFileName();
        if (parent == null || name == null) {
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent)) {
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                deleteEntry(secure, parent, name, 0, null);
            } // else a platform without openat: left in place rather than walked by path
        } catch (IOException e) {
            // best effort: the next JVM tries again
        }
    }

    /**
     * Deletes the entries of {@code dir} (opened without following a link), keeping {@code dir};
     * returns whether every one of them went.
     */
    public static boolean empty(Path dir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
                throw new IOException("no secure directory stream for " + dir);
            }
            return new Pass(secure, dir).run();
        }
    }

    /**
     * {@code at} is {@code in}'s path, used only to open up a directory its owner cannot read
     * (below); {@code pass} is null for the top directory itself, which starts one.
     */
    private static void deleteEntry(SecureDirectoryStream<Path> in, Path at, Path name, int depth, Pass pass)
            throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = in.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isDirectory()) {
            in.deleteFile(name);
            return;
        }
        if (pass != null && depth >= MAX_DEPTH) {
            Path up = Path.of(".aws-sandbox-deep-" + MOVED.incrementAndGet());
            in.move(name, pass.top, up); // renameat between two open directories: no path is followed
            pass.moved.add(up);
            return;
        }
        // a directory the command left read-only or unreadable: opened up for its owner, by descriptor
        PosixFileAttributeView view = in.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            Set<PosixFilePermission> mode = view.readAttributes().permissions();
            if (!mode.containsAll(OWNER_ALL)) {
                Set<PosixFilePermission> opened = EnumSet.copyOf(OWNER_ALL);
                opened.addAll(mode);
                view.setPermissions(opened);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // tried below all the same
        }
        try (SecureDirectoryStream<Path> child = open(in, at, name)) {
            if (pass == null) {
                new Pass(child, at.resolve(name)).run();
            } else {
                deleteEntries(child, at.resolve(name), depth + 1, pass);
            }
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            in.deleteDirectory(name);
        } catch (NoSuchFileException e) {
            // gone meanwhile
        }
    }

    private static SecureDirectoryStream<Path> open(SecureDirectoryStream<Path> in, Path at, Path name) throws IOException {
        try {
            return in.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        } catch (AccessDeniedException e) {
            // mode 000 and not root (root opens it anyway): chmod by path, since the JDK has no
            // fchmodat; a swap could only add owner bits to a file of this same user
            at.resolve(name).toFile().setReadable(true, true);
            at.resolve(name).toFile().setExecutable(true, true);
            return in.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void deleteEntries(SecureDirectoryStream<Path> dir, Path at, int depth, Pass pass) {
        List<Path> names = new ArrayList<>();
        try {
            for (Path entry : dir) {
                names.add(entry.getFileName());
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            pass.incomplete = true; // what was listed is still deleted
        }
        for (Path name : names) {
            try {
                deleteEntry(dir, at, name, depth, pass);
            } catch (IOException e) {
                pass.incomplete = true; // best effort: the rest is still deleted
            }
        }
    }
}
