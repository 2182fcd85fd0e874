package dev.awssandbox.core.access;

import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
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
     * behind it as the kernel recorded it.
     */
    private record Mount(String device, String type, Path root, Path point, List<Path> layers, Optional<Path> backingFile) {
        boolean overlay() {
            return type.equals("overlay");
        }

        boolean fuse() {
            return type.equals("fuse") || type.equals("fuseblk") || type.startsWith("fuse.");
        }
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
            /** Its layers are listed as they were typed (a relative or since-moved upper directory could be $HOME). */
            OVERLAY,
            /** A user-space file system: it can show any directory under a new name (bindfs). */
            FUSE,
            /** Not a store of files but a kernel interface: writing its files acts (proc's sysctls, binfmt_misc's register). */
            KERNEL_INTERFACE
        }

        public enum Relation { AT, INSIDE, BENEATH }
    }

    /**
     * File systems that store files (disks, memory, network shares), whose content is judged by
     * the names it has. Any other type is taken for a kernel interface: proc, sysfs, devtmpfs,
     * binfmt_misc, mqueue, cgroup, debugfs, bpf, … (an allow-list: an unknown type fails closed).
     */
    private static final Set<String> STORES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "bcachefs", "f2fs", "jfs",
            "reiserfs", "zfs", "nilfs2", "vfat", "msdos", "exfat", "ntfs", "ntfs3", "hfs", "hfsplus", "udf", "iso9660",
            "squashfs", "erofs", "cramfs", "romfs", "tmpfs", "ramfs", "nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs",
            "vboxsf", "ceph", "gfs2", "ocfs2", "lustre", "afs", "orangefs", "overlay",
            "autofs"); // autofs: directories where other mounts appear on use; nothing of its own is read or written

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final MountTable NONE = new MountTable(List.of());

    private final List<Mount> mounts;
    /** Per mount (same index): where what it shows can be reached without it. */
    private final List<List<Path>> origins;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
        List<List<Path>> all = new ArrayList<>(mounts.size());
        for (int i = 0; i < mounts.size(); i++) {
            all.add(origins(i, mounts));
        }
        this.origins = List.copyOf(all);
    }

    /** Where the content of {@code mounts.get(index)} can be reached other than through it. */
    private static List<Path> origins(int index, List<Mount> mounts) {
        Mount mount = mounts.get(index);
        List<Path> found = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount other = mounts.get(i);
            if (i != index && other.device().equals(mount.device()) && mount.root().startsWith(other.root())) {
                found.add(other.point().resolve(other.root().relativize(mount.root())));
            }
        }
        for (Path layer : mount.layers()) {
            if (layer.isAbsolute()) {
                found.add(layer);
            }
        }
        mount.backingFile().ifPresent(found::add);
        return List.copyOf(found);
    }

    /** A descriptor of {@link #MOUNTINFO} kept open to be polled, or -1 before the first read. */
    private static int watched = -1;
    private static MountTable latest = NONE;

    /**
     * The mounts as they are now: a mount made a moment ago counts. The table is read again only
     * when the kernel says it changed: a descriptor of {@code mountinfo} polls ready with
     * {@code POLLPRI} after any mount or unmount in this namespace since the last poll (proc(5)),
     * and reading it costs more than the rest of a plan's mount checks (~35 µs of a ~250 µs plan).
     * A poll before the read is as fresh as the read itself: a change after the poll is seen by the
     * next one. Where the descriptor cannot be kept, every call reads afresh.
     */
    public static synchronized MountTable current() {
        if (watched < 0) {
            if (!Files.isReadable(MOUNTINFO)) {
                return NONE;
            }
            // opened before the first read: a mount between the two is in the table and polls ready once more
            watched = Libc.tryOpen(MOUNTINFO.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            return latest = read();
        }
        int events = Libc.pollNow(watched, Libc.POLLPRI);
        if (events != 0) { // changed (POLLPRI | POLLERR), or the poll failed (-errno): read it
            latest = read();
        }
        return latest;
    }

    private static MountTable read() {
        try {
            return parse(Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8), MountTable::loopBackingFile);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /**
     * The file behind a loop device ({@code major:minor}), as the kernel recorded it when it was set
     * up: empty for any other device, or when the file has been deleted. A file renamed since is
     * recorded under its old name (not judged: stated in docs/security.md).
     */
    private static Optional<Path> loopBackingFile(String device) {
        if (device.startsWith("0:")) {
            return Optional.empty(); // no block device: tmpfs, proc, overlay, fuse, …
        }
        try {
            String recorded = Files.readString(Path.of("/sys/dev/block", device, "loop", "backing_file"),
                    StandardCharsets.UTF_8).strip();
            return recorded.startsWith("/") && !recorded.endsWith(" (deleted)") ? Optional.of(Path.of(recorded))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a loop device
        }
    }

    /**
     * {@code mountinfo} lines: "ID PARENT MAJOR:MINOR ROOT POINT OPTIONS [OPTIONAL…] - TYPE SOURCE
     * SUPER-OPTIONS" (proc(5)); {@code backingFiles} answers for a device which file is behind it.
     */
    static MountTable parse(List<String> lines, Function<String, Optional<Path>> backingFiles) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields.length < 5 || dash < 5 || dash + 1 >= fields.length) {
                continue;
            }
            try {
                String type = fields[dash + 1];
                List<Path> layers = type.equals("overlay") && dash + 3 < fields.length ? layers(fields[dash + 3]) : List.of();
                mounts.add(new Mount(fields[2], type, Path.of(unescape(fields[3])), Path.of(unescape(fields[4])), layers,
                        backingFiles.apply(fields[2])));
            } catch (InvalidPathException e) {
                // a name no Java path can hold: not one a policy can name either
            }
        }
        return new MountTable(List.copyOf(mounts));
    }

    /** An overlay's upper and lower directories, from its super options ("rw,lowerdir=A:B,upperdir=C,…"). */
    private static List<Path> layers(String superOptions) {
        List<Path> dirs = new ArrayList<>();
        for (String option : unescape(superOptions).split(",")) {
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

    /** The kernel writes space, tab, newline and backslash in octal ({@code \040}). */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1) && isOctal(field, i + 2) && isOctal(field, i + 3)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
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
     * own: its other {@link #names}; behind every mount at or beneath it, what that mount shows from
     * elsewhere (its origins); and every mount an origin of which {@code real} holds or lies in —
     * a grant of the directory a bind of $HOME was made from reaches $HOME (red team, round 11).
     */
    public Set<Path> reachedElsewhere(Path real) {
        Set<Path> reached = new LinkedHashSet<>(names(real));
        for (int i = 0; i < mounts.size(); i++) {
            Path point = mounts.get(i).point();
            boolean beneath = point.startsWith(real);
            for (Path origin : origins.get(i)) {
                if (beneath) {
                    reached.add(origin);
                }
                if (origin.startsWith(real)) {
                    reached.add(point);
                } else if (real.startsWith(origin)) {
                    reached.add(point.resolve(origin.relativize(real)));
                }
            }
        }
        reached.remove(real);
        return reached;
    }

    /**
     * The mounts at, holding or beneath {@code real} whose content cannot be judged by name: an
     * overlay (its layers are listed as they were typed: a relative or since-moved upper directory
     * could be $HOME, red team round 10), a FUSE file system (bindfs shows any directory under a new
     * name, round 11) or a kernel interface (a proc or binfmt_misc mount in a project: its files are
     * sysctls and exec handlers, round 11). "Holding" means the mount {@code real} lies in; a
     * mount at {@code /} (a container's own root overlay) is never one.
     */
    public List<Opaque> opaque(Path real) {
        List<Opaque> found = new ArrayList<>();
        int holder = holder(real);
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = mounts.get(i);
            Optional<Opaque.Kind> kind = mount.overlay() ? Optional.of(Opaque.Kind.OVERLAY)
                    : mount.fuse() ? Optional.of(Opaque.Kind.FUSE)
                    : STORES.contains(mount.type()) ? Optional.empty() : Optional.of(Opaque.Kind.KERNEL_INTERFACE);
            if (kind.isEmpty() || mount.point().getNameCount() == 0) {
                continue;
            }
            if (mount.point().equals(real)) {
                found.add(new Opaque(mount.point(), mount.type(), kind.get(), Opaque.Relation.AT));
            } else if (mount.point().startsWith(real)) {
                found.add(new Opaque(mount.point(), mount.type(), kind.get(), Opaque.Relation.BENEATH));
            } else if (i == holder) {
                found.add(new Opaque(mount.point(), mount.type(), kind.get(), Opaque.Relation.INSIDE));
            }
        }
        return found;
    }

    /**
     * Whether {@code inner} is {@code outer} or beneath it under any of their names: a grant of
     * {@code outer} reaches {@code inner}.
     */
    public boolean within(Path inner, Path outer) {
        Set<Path> outerNames = names(outer);
        for (Path name : names(inner)) {
            for (Path o : outerNames) {
                if (name.startsWith(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
