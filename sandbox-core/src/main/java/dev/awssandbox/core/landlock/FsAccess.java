package dev.awssandbox.core.landlock;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Landlock filesystem access rights ({@code LANDLOCK_ACCESS_FS_*} in {@code <linux/landlock.h>}),
 * each with the ABI version that introduced it.
 */
public enum FsAccess {
    EXECUTE(0, 1),
    WRITE_FILE(1, 1),
    READ_FILE(2, 1),
    READ_DIR(3, 1),
    REMOVE_DIR(4, 1),
    REMOVE_FILE(5, 1),
    MAKE_CHAR(6, 1),
    MAKE_DIR(7, 1),
    MAKE_REG(8, 1),
    MAKE_SOCK(9, 1),
    MAKE_FIFO(10, 1),
    MAKE_BLOCK(11, 1),
    MAKE_SYM(12, 1),
    REFER(13, 2),
    TRUNCATE(14, 3),
    IOCTL_DEV(15, 5);

    /** The rights the kernel accepts in a rule on a non-directory (anything else is EINVAL). */
    public static final Set<FsAccess> FILE_RIGHTS =
            EnumSet.of(EXECUTE, WRITE_FILE, READ_FILE, TRUNCATE, IOCTL_DEV);

    /** What a read-only path grants: read and execute, list directories. */
    public static final Set<FsAccess> READ = EnumSet.of(EXECUTE, READ_FILE, READ_DIR);

    /**
     * What a writable path grants: everything except creating device nodes and device ioctls,
     * which no AWS CLI command needs.
     */
    public static final Set<FsAccess> READ_WRITE = EnumSet.complementOf(EnumSet.of(MAKE_CHAR, MAKE_BLOCK, IOCTL_DEV));

    private final int bit;
    private final int abi;

    FsAccess(int bit, int abi) {
        this.bit = bit;
        this.abi = abi;
    }

    public long mask() {
        return 1L << bit;
    }

    public int abi() {
        return abi;
    }

    /** The name as the kernel header spells it, without the prefix: "read_file". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every right that the given ABI knows. */
    public static Set<FsAccess> knownBy(int abi) {
        EnumSet<FsAccess> known = EnumSet.noneOf(FsAccess.class);
        for (FsAccess access : values()) {
            if (access.abi <= abi) {
                known.add(access);
            }
        }
        return known;
    }

    public static long mask(Set<FsAccess> rights) {
        long mask = 0;
        for (FsAccess access : rights) {
            mask |= access.mask();
        }
        return mask;
    }
}
