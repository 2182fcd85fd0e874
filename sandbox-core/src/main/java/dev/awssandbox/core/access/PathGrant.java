package dev.awssandbox.core.access;

import java.nio.file.Path;

/**
 * One path the sandboxed command may use.
 *
 * @param path      the path as configured (may be a symlink)
 * @param resolved  where it leads ({@link Path#toRealPath}); rules are attached here
 * @param access    read-only or read-write
 * @param directory whether {@code resolved} is a directory (files take fewer Landlock rights)
 * @param reason    why it is granted, for {@code doctor} and debugging: "policy", "executable", …
 */
public record PathGrant(Path path, Path resolved, Access access, boolean directory, String reason) {

    /** Read (with execute), or read and write. */
    public enum Access { READ, READ_WRITE }
}
