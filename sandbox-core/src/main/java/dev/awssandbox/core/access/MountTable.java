package dev.awssandbox.core.access;

import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The mounts of this process's mount namespace, as {@code /proc/self/mountinfo} lists them, to
 * answer what comparing paths cannot: a bind mount gives a directory a second name, and a grant
 * of one name is a grant of the directory (Landlock's rules and bubblewrap's binds follow the
 * directory, not the spelling). The red team bound aws-sandbox's installation, {@code /tmp} and an
 * audit log's directory under other names and granted those (round 8), granted the directory a
 * bind of $HOME was made from (round 11), and mounted kernel interfaces (proc, binfmt_misc) in a
 * project (round 11). Empty where there is no such file (macOS): every path then has its one name.
 *
 * <p>Each mount's <em>origins</em> are where what it shows can be reached without it: the other
 * names of the directory a bind shows (the same file system mounted elsewhere), an overlay's upper
 * and lower directories, and a loop device's backing file. A grant that holds an origin reaches
 * the whole mount; a grant inside an origin reaches the matching place in the mount.
 */
public final class MountTable {
    /**
     * One mount: its file system ({@code major:minor}) and type, the directory of it mounted, and
     * where; for an overlay, its upper and lower directories as listed; for a loop device, the file
     * behind it; and why its content cannot be judged by name ({@link #opaqueKind}), null if it can
     * (worked out once, by {@link #of}, when the table is read: each read grant asks).
     */
    private record Mount(String device, String type, Path root, Path point, List<Path> layers, Backing backing,
                         Opaque.Kind opaque) {
        static Mount of(String device, String type, Path root, Path point, List<Path> layers, Backing backing) {
            return new Mount(device, type, root, point, layers, backing, opaqueKind(type, backing));
        }

        /** What cannot be traced to the directories that hold its content, if anything. */
        Optional<Opaque.Kind> untraceable() {
            return untraceable(type, backing);
        }

        private static Optional<Opaque.Kind> untraceable(String type, Backing backing) {
            if (type.equals("overlay")) {
                return Optional.of(Opaque.Kind.OVERLAY);
            }
            if (type.equals("fuse") || type.equals("fuseblk") || type.startsWith("fuse.")) {
                return Optional.of(Opaque.Kind.FUSE);
            }
            return backing.loop() && backing.file().isEmpty() ? Optional.of(Opaque.Kind.LOOP) : Optional.empty();
        }

        /** {@link #untraceable}, or a kernel interface: any type that is not a store of files. */
        private static Opaque.Kind opaqueKind(String type, Backing backing) {
            return untraceable(type, backing).orElse(STORES.contains(type) ? null : Opaque.Kind.KERNEL_INTERFACE);
        }
    }

    /**
     * The device behind a mount, when it is a loop device: the regular file that holds its content
     * (through a loop device over another loop device too), or empty when that cannot be found —
     * deleted, or named in a mount namespace or a detached mount this process cannot see.
     */
    record Backing(boolean loop, Optional<Path> file) {
        static final Backing NONE = new Backing(false, Optional.empty());
    }

    /**
     * A mount whose content cannot be judged by name, at, holding or beneath a path.
     *
     * @param point    where it is mounted
     * @param type     its file system type ({@code overlay}, {@code fuse.bindfs}, {@code proc}, …)
     * @param kind     why it cannot be judged
     * @param relation where it lies: the path is its mount point, inside it, or holds it
     */
    public record Opaque(Path point, String type, Kind kind, Relation relation) {
        public enum Kind {
            /** Its layers are listed as they were typed: relative, renamed since or through a link repointed since (red team, rounds 10 and 12). */
            OVERLAY,
            /** A user-space file system: it can show any directory under a new name (bindfs). */
            FUSE,
            /** A loop device whose backing file cannot be found (deleted, or in a detached mount). */
            LOOP,
            /** Not a store of files but a kernel interface: writing its files acts (proc's sysctls, binfmt_misc's register). */
            KERNEL_INTERFACE
        }

        public enum Relation { AT, INSIDE, BENEATH }
    }

    /**
     * A mount whose content may lie in directories no one can name: an overlay, a FUSE mount, a
     * loop device whose file is lost. Where one holds a protected place, any directory could hold
     * that place's content.
     */
    public record Untraceable(Path point, String type, Opaque.Kind kind) {}

    /**
     * File systems that store files (disks, memory, network shares), whose content is judged by
     * the names it has. Any other type is taken for a kernel interface: proc, sysfs, devtmpfs,
     * binfmt_misc, mqueue, cgroup, debugfs, bpf, … (an allow-list: an unknown type fails closed).
     */
    private static final Set<String> STORES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "bcachefs", "f2fs", "jfs",
            "reiserfs", "zfs", "nilfs2", "vfat", "msdos", "exfat", "ntfs", "ntfs3", "hfs", "hfsplus", "udf", "iso9660",
            "squashfs", "erofs", "cramfs", "romfs", "tmpfs", "ramfs", "nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs",
            "vboxsf", "ceph", "gfs2", "ocfs2", "lustre", "afs", "orangefs", "overlay", "hugetlbfs",
            "autofs"); // autofs: directories where other mounts appear on use; nothing of its own is read or written

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final MountTable NONE = new MountTable(List.of());

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
    }

    /**
     * The mounts as they are now, read afresh: a mount made a moment ago counts, and so does a
     * rename (a bind's root is named as it is now). A cache kept fresh by polling the file for
     * {@code POLLPRI} missed renames, which change the table without an event (red team, round 12:
     * the MCP server kept judging a moved directory by its old name).
     */
    public static MountTable current() {
        byte[] text = MountInfo.read(MOUNTINFO);
        if (text == null) {
            return NONE;
        }
        try {
            return parse(text, new LoopBackings());
        } catch (RuntimeException e) {
            return NONE;
        }
    }

    /**
     * Reads {@code /proc/self/mountinfo} whole: on Linux with {@code read(2)} into a buffer of this
     * reading's own (the kernel writes the table afresh for each reading of the file, so each plan
     * sees the mounts as they are; a buffer kept per thread was made again for every command run on
     * a virtual thread of its own), elsewhere through the JDK. Null where it cannot be read.
     */
    static final class MountInfo {
        private static final int CHUNK = 64 * 1024;

        private MountInfo() {}

        static byte[] read(Path file) {
            if (NativePath.AVAILABLE) {
                byte[] text = readNative(file);
                if (text != null) {
                    return text;
                }
            }
            try {
                return Files.isReadable(file) ? Files.readAllBytes(file) : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        private static byte[] readNative(Path file) {
            try (Arena arena = Arena.ofConfined()) {
                return readNative(file, arena.allocate(NativePath.PATH_MAX + 1), arena.allocate(CHUNK));
            }
        }

        private static byte[] readNative(Path file, MemorySegment path, MemorySegment chunk) {
            MemorySegment state = Downcalls.threadCaptureState();
            if (!NativePath.putAscii(file.toString(), path)) {
                return null;
            }
            int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, state);
            if (fd < 0) {
                return null;
            }
            try {
                byte[] text = new byte[0];
                int length = 0;
                while (true) {
                    long got = Libc.read(fd, chunk, CHUNK, state);
                    if (got < 0) {
                        return null;
                    }
                    if (got == 0) {
                        return length == text.length ? text : java.util.Arrays.copyOf(text, length);
                    }
                    if (length + got > text.length) {
                        text = java.util.Arrays.copyOf(text, Math.max(length + (int) got, text.length * 2));
                    }
                    MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, text, length, (int) got);
                    length += (int) got;
                }
            } finally {
                Libc.close(fd, state);
            }
        }
    }

    private static final Path LOOP_DEVICES = Path.of("/dev");
    private static final int LOOP_CHAIN_LIMIT = 8;

    /**
     * What is behind the block device {@code major:minor}: for a loop device, its backing file as
     * the kernel names it now ({@code /sys/…/loop/backing_file}, which follows renames); a loop
     * device over another one is followed to the file (red team, round 12). A file the kernel
     * names that is not a regular file here (deleted, or named in a detached mount) is lost.
     */
    private static Backing loopBacking(String device) {
        if (device.startsWith("0:")) {
            return Backing.NONE; // no block device: tmpfs, proc, overlay, fuse, …
        }
        Path attribute = Path.of("/sys/dev/block", device, "loop", "backing_file");
        // most block devices are no loop device: ask whether the attribute exists without the
        // exception a failed read costs (~10 µs a plan); a device detached in between is read as before
        if (NativeLstat.kindNow(attribute) == FileFacts.Kind.ABSENT) {
            return Backing.NONE;
        }
        for (int depth = 0; depth < LOOP_CHAIN_LIMIT; depth++) {
            String named;
            try {
                named = Files.readString(attribute, StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                return depth == 0 ? Backing.NONE : new Backing(true, Optional.empty()); // not a loop device
            }
            Path file;
            try {
                file = Path.of(named);
            } catch (InvalidPathException e) {
                return new Backing(true, Optional.empty());
            }
            if (file.isAbsolute() && file.startsWith(LOOP_DEVICES) && file.getNameCount() == 2
                    && file.getFileName().toString().startsWith("loop")) {
                attribute = Path.of("/sys/block", file.getFileName().toString(), "loop", "backing_file");
                continue; // a loop device over a loop device
            }
            boolean found = file.isAbsolute() && !named.endsWith(" (deleted)")
                    && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return new Backing(true, found ? Optional.of(file) : Optional.empty());
        }
        return new Backing(true, Optional.empty());
    }

    /** {@link #loopBacking}, asked once per device in one reading of the table (binds share a device). */
    private static final class LoopBackings implements Function<String, Backing> {
        private final java.util.HashMap<String, Backing> known = new java.util.HashMap<>();

        @Override
        public Backing apply(String device) {
            Backing backing = known.get(device);
            if (backing == null) {
                backing = loopBacking(device);
                known.put(device, backing);
            }
            return backing;
        }
    }

    /**
     * {@code mountinfo} as read, lines of "ID PARENT MAJOR:MINOR ROOT POINT OPTIONS [OPTIONAL…] -
     * TYPE SOURCE SUPER-OPTIONS" (proc(5)); {@code backings} answers for a device what is behind it.
     * Each line is split at spaces where it lies, and only the fields a mount needs are decoded
     * (each as UTF-8 on its own: a name that is not valid UTF-8 no longer makes the whole table
     * unreadable, as decoding the file at once did).
     */
    static MountTable parse(byte[] text, Function<String, Backing> backings) {
        List<Mount> mounts = new ArrayList<>();
        int[] starts = new int[16];
        int[] ends = new int[16];
        int lineStart = 0;
        while (lineStart < text.length) {
            int lineEnd = lineStart;
            while (lineEnd < text.length && text[lineEnd] != '\n') {
                lineEnd++;
            }
            // the fields, as String.split(" ") makes them: empty ones between two spaces count,
            // trailing empty ones do not (the "-" is never empty, so it is never one of them)
            int count = 0;
            int dash = -1;
            int fieldStart = lineStart;
            for (int i = lineStart; i <= lineEnd; i++) {
                if (i == lineEnd || text[i] == ' ') {
                    if (count == starts.length) {
                        starts = java.util.Arrays.copyOf(starts, count * 2);
                        ends = java.util.Arrays.copyOf(ends, count * 2);
                    }
                    starts[count] = fieldStart;
                    ends[count] = i;
                    if (dash < 0 && i - fieldStart == 1 && text[fieldStart] == '-') {
                        dash = count;
                    }
                    count++;
                    fieldStart = i + 1;
                }
            }
            while (count > 0 && starts[count - 1] == ends[count - 1]) {
                count--;
            }
            lineStart = lineEnd + 1;
            // the five fields before the "-" (an empty line, or one without it, has no dash), and the type after it
            if (dash < 5 || dash + 1 >= count) {
                continue;
            }
            try {
                String type = field(text, starts[dash + 1], ends[dash + 1]);
                String deviceField = field(text, starts[2], ends[2]);
                // the kernel names a bind whose source was deleted "SOURCE//deleted": nothing else names
                // that content now (a hard link aside), so it shares no name with its file system's mounts
                String root = unescape(text, starts[3], ends[3]);
                String device = root.endsWith("//deleted") ? deviceField + " deleted" : deviceField;
                List<Path> layers = type.equals("overlay") && dash + 3 < count
                        ? layers(unescape(text, starts[dash + 3], ends[dash + 3])) : List.of();
                mounts.add(Mount.of(device, type, Path.of(root), Path.of(unescape(text, starts[4], ends[4])), layers,
                        backings.apply(deviceField)));
            } catch (InvalidPathException e) {
                // a name no Java path can hold: not one a policy can name either
            }
        }
        return new MountTable(List.copyOf(mounts));
    }

    private static String field(byte[] text, int start, int end) {
        return new String(text, start, end - start, StandardCharsets.UTF_8);
    }

    /** A field with the kernel's octal escapes ({@code \040} for a space) undone, as UTF-8. */
    private static String unescape(byte[] text, int start, int end) {
        int escape = -1;
        for (int i = start; i < end && escape < 0; i++) {
            if (text[i] == '\\') {
                escape = i;
            }
        }
        if (escape < 0) {
            return field(text, start, end);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            byte c = text[i];
            if (c == '\\' && isOctal(text, i + 1, end) && isOctal(text, i + 2, end) && isOctal(text, i + 3, end)) {
                out[n++] = (byte) ((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
                i += 3;
            } else {
                out[n++] = c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] text, int i, int end) {
        return i < end && text[i] >= '0' && text[i] <= '7';
    }

    /** An overlay's upper and lower directories, from its super options ("rw,lowerdir=A:B,upperdir=C,…"), unescaped. */
    private static List<Path> layers(String superOptions) {
        List<Path> dirs = new ArrayList<>();
        for (String option : superOptions.split(",")) {
            if (option.startsWith("upperdir=")) {
                dirs.add(Path.of(option.substring("upperdir=".length())));
            } else if (option.startsWith("lowerdir=")) {
                for (String lower : option.substring("lowerdir=".length()).split(":")) {
                    if (!lower.isEmpty()) {
                        dirs.add(Path.of(lower));
                    }
                }
            }
        }
        return List.copyOf(dirs);
    }

    /** The mount that holds {@code real}: the last-mounted one with the longest mount point above it (a later mount hides an earlier one). */
    private int holder(Path real) {
        int holder = -1;
        for (int i = 0; i < mounts.size(); i++) {
            Path point = mounts.get(i).point();
            if (real.startsWith(point) && (holder < 0 || point.getNameCount() >= mounts.get(holder).point().getNameCount())) {
                holder = i;
            }
        }
        return holder;
    }

    /**
     * Every name of {@code real} (absolute, resolved): itself, and the same place seen through
     * every other mount of its file system that shows it, or in the overlay's layers when it lies
     * in an overlay (those this namespace can see: a container's own root is an overlay of
     * directories of the host's namespace).
     */
    public Set<Path> names(Path real) {
        Set<Path> names = new LinkedHashSet<>();
        names.add(real);
        int index = holder(real);
        if (index < 0) {
            return names;
        }
        Mount holder = mounts.get(index);
        Path inside = holder.point().relativize(real);
        Path inFileSystem = holder.root().resolve(inside);
        for (Mount mount : mounts) {
            if (mount.device().equals(holder.device()) && inFileSystem.startsWith(mount.root())) {
                names.add(mount.point().resolve(mount.root().relativize(inFileSystem)));
            }
        }
        for (Path layer : holder.layers()) {
            if (layer.isAbsolute() && Files.isDirectory(layer)) {
                names.add(layer.resolve(inside));
            }
        }
        return names;
    }

    /**
     * The places (directories or files) a grant of {@code real} reaches under names other than its
     * own: its other {@link #names}; what every mount at or beneath it shows from elsewhere; and
     * every mount whose content a name of {@code real} holds or lies in — a grant of the directory
     * a bind of $HOME was made from reaches $HOME, a grant of an overlay's upper directory or of a
     * loop device's file reaches what they are mounted at (red team, rounds 11 and 12). Linear in
     * the mounts for each name: thousands of binds of one directory cost no more than thousands
     * of mounts.
     */
    public Set<Path> reachedElsewhere(Path real) {
        Set<Path> names = names(real);
        Set<Path> reached = new LinkedHashSet<>(names);
        for (Path name : names) {
            int index = holder(name);
            if (index < 0) {
                continue;
            }
            Mount holder = mounts.get(index);
            Path inFileSystem = holder.root().resolve(holder.point().relativize(name));
            for (Mount mount : mounts) {
                if (mount.device().equals(holder.device())) {
                    if (mount.root().startsWith(inFileSystem)) {
                        reached.add(mount.point()); // this name holds what that mount shows
                    } else if (inFileSystem.startsWith(mount.root())) {
                        reached.add(mount.point().resolve(mount.root().relativize(inFileSystem)));
                    }
                }
                for (Path layer : mount.layers()) {
                    if (layer.isAbsolute() && layer.startsWith(name)) {
                        reached.add(mount.point());
                    } else if (layer.isAbsolute() && name.startsWith(layer)) {
                        reached.add(mount.point().resolve(layer.relativize(name)));
                    }
                }
                if (mount.backing().file().filter(file -> file.startsWith(name)).isPresent()) {
                    reached.add(mount.point());
                }
            }
        }
        // a loop device's file is not reached from what is mounted from it: writing the file system
        // changes the image's bytes, which is what mounting it is for (round 13: a project on an
        // image in /var/lib was refused as if /var/lib were granted)
        for (Mount mount : mounts) {
            if (mount.point().startsWith(real) && !mount.point().equals(real)) {
                Set<Path> behind = names(mount.point());
                behind.remove(mount.point()); // inside the grant: judged with it
                reached.addAll(behind);
            }
        }
        reached.remove(real);
        return reached;
    }

    /**
     * The mounts at, holding or beneath {@code real} whose content cannot be judged by name: an
     * {@link #untraceable} one, or a kernel interface (a proc or binfmt_misc mount in a project:
     * its files are sysctls and exec handlers, round 11). "Holding" means the mount {@code real}
     * lies in; a mount at {@code /} (a container's own root overlay) is never one.
     */
    public List<Opaque> opaque(Path real) {
        List<Opaque> found = new ArrayList<>();
        int holder = holder(real);
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = mounts.get(i);
            Opaque.Kind kind = mount.opaque();
            if (kind == null || mount.point().getNameCount() == 0) {
                continue;
            }
            if (mount.point().equals(real)) {
                found.add(new Opaque(mount.point(), mount.type(), kind, Opaque.Relation.AT));
            } else if (mount.point().startsWith(real)) {
                found.add(new Opaque(mount.point(), mount.type(), kind, Opaque.Relation.BENEATH));
            } else if (i == holder) {
                found.add(new Opaque(mount.point(), mount.type(), kind, Opaque.Relation.INSIDE));
            }
        }
        return found;
    }

    /**
     * Every mount whose content may lie in directories no one can name (an overlay, FUSE, a loop
     * device whose file is lost), but the one at {@code /} (a container's own root overlay, whose
     * layers are the host's).
     */
    public List<Untraceable> untraceable() {
        List<Untraceable> found = new ArrayList<>();
        for (Mount mount : mounts) {
            if (mount.point().getNameCount() > 0) {
                mount.untraceable().ifPresent(kind -> found.add(new Untraceable(mount.point(), mount.type(), kind)));
            }
        }
        return found;
    }

    /**
     * The mounts at {@code real}, beneath it, or on the way to it below {@code outer} (a mount at
     * {@code outer} itself or above it is not one): where a directory below {@code outer} shows
     * content from another place. The AWS CLI's caches below {@code ~/.aws} are writable by
     * default; a bind of {@code ~/.ssh} made at {@code ~/.aws/sso/cache} was granted read-write
     * (red team, round 23, F6).
     */
    public List<Path> mountedBelow(Path outer, Path real) {
        List<Path> found = new ArrayList<>();
        for (Mount mount : mounts) {
            Path point = mount.point();
            if (point.startsWith(outer) && !point.equals(outer) && (real.startsWith(point) || point.startsWith(real))) {
                found.add(point);
            }
        }
        return found;
    }

    /**
     * Whether {@code inner} is {@code outer} or beneath it under any of their names, or lies in a
     * mount whose content {@code outer} holds (a loop device's file, an overlay's layer): a grant
     * of {@code outer} reaches {@code inner}.
     */
    public boolean within(Path inner, Path outer) {
        Set<Path> reached = reachedElsewhere(outer); // its other names among them
        reached.add(outer);
        for (Path name : names(inner)) {
            for (Path o : reached) {
                if (name.startsWith(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
