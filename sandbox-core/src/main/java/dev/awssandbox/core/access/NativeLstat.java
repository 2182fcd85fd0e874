package dev.awssandbox.core.access;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code lstat} on Linux through {@code statx(2)} directly: the same system call the JDK makes
 * for {@code Files.readAttributes(path, "unix:…", NOFOLLOW_LINKS)} (same flags, a smaller mask),
 * without the attribute map, boxing and, for a missing file, the exception the JDK builds. A plan
 * makes a few dozen of these; through the JDK each cost about twice the system call.
 *
 * <p>Only for paths whose text is ASCII (then its bytes are exactly the path's bytes, whatever
 * {@code sun.jnu.encoding} is) and shorter than {@code PATH_MAX}; {@link FileFacts} asks the JDK
 * for any other path, and for every error but {@code ENOENT} and {@code ENOTDIR}, so that exceptions stay the JDK's.
 */
final class NativeLstat {
    /** {@code ENOENT}: no such file. */
    static final int ENOENT = 2;
    /** {@code ENOTDIR}: a component of the path is not a directory. */
    static final int ENOTDIR = 20;
    /** The path cannot be passed here: ask the JDK. */
    static final int NOT_HERE = -1;

    private static final int MASK = Libc.STATX_TYPE | Libc.STATX_MODE | Libc.STATX_UID | Libc.STATX_INO | Libc.STATX_CTIME;
    private static final VarHandle STX_MASK = Libc.STATX.varHandle(groupElement("stx_mask"));
    private static final VarHandle STX_MODE = Libc.STATX.varHandle(groupElement("stx_mode"));
    private static final VarHandle STX_UID = Libc.STATX.varHandle(groupElement("stx_uid"));
    private static final VarHandle STX_INO = Libc.STATX.varHandle(groupElement("stx_ino"));
    private static final VarHandle STX_CTIME_SEC = Libc.STATX.varHandle(groupElement("stx_ctime"), groupElement("tv_sec"));
    private static final VarHandle STX_CTIME_NSEC = Libc.STATX.varHandle(groupElement("stx_ctime"), groupElement("tv_nsec"));
    private static final VarHandle STX_DEV_MAJOR = Libc.STATX.varHandle(groupElement("stx_dev_major"));
    private static final VarHandle STX_DEV_MINOR = Libc.STATX.varHandle(groupElement("stx_dev_minor"));

    /** Per thread: the path, the statx buffer and the errno capture (a plan runs on one thread). */
    private record Buffers(MemorySegment path, MemorySegment statx, MemorySegment state) {}

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new Buffers(arena.allocate(NativePath.PATH_MAX + 1), arena.allocate(Libc.STATX), Libc.newCaptureState(arena));
    });

    private NativeLstat() {}

    /**
     * {@code lstat(path)}: a {@link FileFacts.Stat}, or the {@code Integer} errno
     * ({@link #ENOENT} and {@link #ENOTDIR} are the only ones returned; {@link #NOT_HERE} for every other outcome
     * the JDK should report).
     */
    static Object lstat(Path path, long observedAt) {
        if (!NativePath.AVAILABLE) {
            return NOT_HERE;
        }
        Buffers buffers = BUFFERS.get();
        MemorySegment name = buffers.path();
        if (!NativePath.putAscii(path.toString(), name)) {
            return NOT_HERE;
        }
        MemorySegment statx = buffers.statx();
        int errno = Libc.statx(Libc.AT_FDCWD, name, Libc.AT_SYMLINK_NOFOLLOW, MASK, statx, buffers.state());
        if (errno != 0) {
            // ENOSYS too (before Linux 4.11): the JDK answers
            return errno == ENOENT || errno == ENOTDIR ? errno : NOT_HERE;
        }
        int got = (int) STX_MASK.get(statx, 0L);
        if ((got & MASK) != MASK) {
            return NOT_HERE; // a file system that did not fill a field we need
        }
        int mode = Short.toUnsignedInt((short) STX_MODE.get(statx, 0L));
        int uid = (int) STX_UID.get(statx, 0L);
        long ino = (long) STX_INO.get(statx, 0L);
        long ctime = (long) STX_CTIME_SEC.get(statx, 0L) * 1_000_000_000L
                + Integer.toUnsignedLong((int) STX_CTIME_NSEC.get(statx, 0L));
        long dev = makedev((int) STX_DEV_MAJOR.get(statx, 0L), (int) STX_DEV_MINOR.get(statx, 0L));
        return new FileFacts.Stat(mode, uid, dev, ino, ctime, observedAt);
    }

    /**
     * The type {@code lstat(path)} reports now (no memo, no cache): {@link FileFacts.Kind#ERROR}
     * where {@link Files#readAttributes} would throw anything but {@code NoSuchFileException},
     * {@link FileFacts.Kind#ABSENT} for that one.
     */
    static FileFacts.Kind kindNow(Path path) {
        Object answer = lstat(path, 0);
        if (answer instanceof FileFacts.Stat stat) {
            return stat.kind();
        }
        if (answer.equals(ENOENT) || answer.equals(ENOTDIR)) {
            return FileFacts.Kind.ABSENT; // the JDK reports ENOTDIR as NoSuchFileException too
        }

        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isSymbolicLink() ? FileFacts.Kind.SYMLINK : a.isDirectory() ? FileFacts.Kind.DIRECTORY
                    : a.isRegularFile() ? FileFacts.Kind.REGULAR : FileFacts.Kind.OTHER;
        } catch (NoSuchFileException e) {
            return FileFacts.Kind.ABSENT;
        } catch (IOException | UnsupportedOperationException e) {
            return FileFacts.Kind.ERROR;
        }
    }

    /** glibc's {@code makedev}, as the JDK encodes {@code unix:dev}. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32) | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }
}
