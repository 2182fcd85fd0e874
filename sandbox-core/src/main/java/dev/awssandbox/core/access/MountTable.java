package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
    /** One mount: its file system ({@code major:minor}), the directory of it mounted, and where. */
    private record Mount(String device, Path root, Path point) {}

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final MountTable NONE = new MountTable(List.of());

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
    }

    /** The mounts as they are now (read afresh: a mount made a moment ago counts). */
    public static MountTable current() {
        if (!Files.isReadable(MOUNTINFO)) {
            return NONE;
        }
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
                mounts.add(new Mount(fields[2], Path.of(unescape(fields[3])), Path.of(unescape(fields[4]))));
            } catch (InvalidPathException e) {
                // a name no Java path can hold: not one a policy can name either
            }
        }
        return new MountTable(List.copyOf(mounts));
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
        return names;
    }

    /** Whether a mount point lies strictly beneath {@code dir}. */
    boolean hasMountBelow(Path dir) {
        for (Mount mount : mounts) {
            if (mount.point().startsWith(dir) && !mount.point().equals(dir)) {
                return true;
            }
        }
        return false;
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
