package dev.awssandbox.core;

import dev.awssandbox.core.posix.PidDirectories;
import dev.awssandbox.core.posix.TreeDeletion;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An owner-only directory of this JVM in the temporary directory ({@code java.io.tmpdir}), for
 * programs built on the library that keep state of their own there (the MCP server). Named
 * {@code PREFIX<tag>-<random>} ({@link JvmTag}), so that the next JVM of the same user that makes
 * one with the same prefix removes it if this JVM was killed; directories of other users, and of
 * JVMs of other pid namespaces, are never entered. Deleting it follows no symbolic link, whatever
 * a process that wrote in it renames meanwhile.
 */
public final class PrivateDirectory implements AutoCloseable {
    private final Path path;

    private PrivateDirectory(Path path) {
        this.path = path;
    }

    /** Makes one (after removing this user's of JVMs that are gone, with the same prefix). */
    public static PrivateDirectory create(String prefix) throws IOException {
        return new PrivateDirectory(PidDirectories.create(Path.of(System.getProperty("java.io.tmpdir", "/tmp")), prefix));
    }

    /** Its real path. */
    public Path path() {
        return path;
    }

    /** Deletes it and everything in it; best effort. */
    @Override
    public void close() {
        TreeDeletion.delete(path);
    }
}
