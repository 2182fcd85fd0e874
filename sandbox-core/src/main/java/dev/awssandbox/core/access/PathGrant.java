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
 * @param links     whether the command may make symbolic links there: not in the AWS CLI's caches and history,
 *                  which the host's {@code aws} opens later and follows (a {@code history.db-wal} linked to
 *                  {@code ~/.ssh/authorized_keys} made the host write its history there: red team, round 24, F9).
 *                  Landlock withholds the right; bubblewrap and Seatbelt cannot (see security.md)
 */
public record PathGrant(Path path, Path resolved, Access access, boolean directory, String reason, boolean links) {

    /** A grant in which the command may make links as it may make files. */
    public PathGrant(Path path, Path resolved, Access access, boolean directory, String reason) {
        this(path, resolved, access, directory, reason, true);
    }

    /** Read (with execute), or read and write. */
    public enum Access { READ, READ_WRITE }
}
