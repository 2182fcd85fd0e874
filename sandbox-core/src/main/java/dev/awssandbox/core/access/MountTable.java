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

/**
 * The mounts of this process's mount namespace, as {@code /proc/self/mountinfo} lists them, to
 * answer what comparing paths cannot: a bind mount gives a directory a second name, and a grant
 * of one name is a grant of the directory (Landlock's rules and bubblewrap's binds follow the
 * directory, not the spelling). The red team bound aws-sandbox's installation, {@code /tmp} and an
 * audit log's directory under other names and granted those (round 8). Empty where there is no
 * such file (macOS): every path then has its one name.
 */
public final class MountTable {
    /**
     * One mount: its file system ({@code major:minor}), the directory of it mounted, and where; for
     * an overlay, the directories it shows (its upper one, which takes its writes, and its lower ones).
     */
    private record Mount(String device, Path root, Path point, List<Path> overlaid, boolean overlay) {}

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final MountTable NONE = new MountTable(List.of());

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
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
            return parse(Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** {@code mountinfo} lines: "ID PARENT MAJOR:MINOR ROOT POINT OPTIONS … - TYPE SOURCE …" (proc(5)). */
    static MountTable parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            try {
                int dash = java.util.Arrays.asList(fields).indexOf("-");
                boolean overlay = dash > 0 && dash + 1 < fields.length && fields[dash + 1].equals("overlay");
                mounts.add(new Mount(fields[2], Path.of(unescape(fields[3])), Path.of(unescape(fields[4])),
                        overlaid(fields), overlay));
            } catch (InvalidPathException e) {
                // a name no Java path can hold: not one a policy can name either
            }
        }
        return new MountTable(List.copyOf(mounts));
    }

    /** An overlay's upper and lower directories, from its super options ("- overlay SOURCE rw,lowerdir=A:B,upperdir=C,…"). */
    private static List<Path> overlaid(String[] fields) {
        int dash = java.util.Arrays.asList(fields).indexOf("-");
        if (dash < 0 || dash + 3 >= fields.length || !fields[dash + 1].equals("overlay")) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (String option : unescape(fields[dash + 3]).split(",")) {
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

    /**
     * Every name of {@code real} (absolute, resolved): itself, and the same directory seen through
     * every other mount of its file system that shows it. The mount that holds {@code real} is the
     * last-mounted one with the longest mount point above it (a later mount hides an earlier one).
     */
    public Set<Path> names(Path real) {
        Set<Path> names = new LinkedHashSet<>();
        names.add(real);
        Mount holder = null;
        for (Mount mount : mounts) {
            if (real.startsWith(mount.point())
                    && (holder == null || mount.point().getNameCount() >= holder.point().getNameCount())) {
                holder = mount;
            }
        }
        if (holder == null) {
            return names;
        }
        Path inFileSystem = holder.root().resolve(holder.point().relativize(real));
        for (Mount mount : mounts) {
            if (mount.device().equals(holder.device()) && inFileSystem.startsWith(mount.root())) {
                names.add(mount.point().resolve(mount.root().relativize(inFileSystem)));
            }
        }
        // what an overlay shows there is in its upper or a lower directory — where this namespace can
        // see them: a container's own root is an overlay of directories of the host's namespace
        if (holder.point().getNameCount() > 0) {
            for (Path dir : holder.overlaid()) {
                if (dir.isAbsolute() && Files.isDirectory(dir)) {
                    names.add(dir.resolve(holder.point().relativize(real)));
                }
            }
        }
        return names;
    }

    /**
     * The directories (or files) a grant of {@code real} reaches under names other than its own:
     * behind {@code real} itself when it lies in a bind or an overlay, and behind every mount at or
     * beneath it that shows something mounted elsewhere too (a bind of a directory, or of one file)
     * or an overlay's directories. A mount of a file system seen nowhere else adds none.
     */
    public Set<Path> reachedElsewhere(Path real) {
        Set<Path> reached = new LinkedHashSet<>(names(real));
        reached.remove(real);
        for (Mount mount : mounts) {
            if (mount.point().startsWith(real) && !mount.point().equals(real)) {
                Set<Path> behind = names(mount.point());
                behind.remove(mount.point());
                reached.addAll(behind);
            }
        }
        return reached;
    }

    /**
     * An overlay mounted at, above or beneath {@code real}, if any (a container's own root, at
     * {@code /}, excepted). What it shows cannot be told from the mount table: its layers are listed
     * as they were typed (a relative {@code upperdir=.}), and a layer named through a link or a
     * directory renamed since is another directory now (red team, round 10).
     */
    public Optional<Path> overlayAround(Path real) {
        for (Mount mount : mounts) {
            if (mount.overlay() && mount.point().getNameCount() > 0
                    && (mount.point().startsWith(real) || real.startsWith(mount.point()))) {
                return Optional.of(mount.point());
            }
        }
        return Optional.empty();
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
