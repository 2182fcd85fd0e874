package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which directories hold a person's data rather than what the host trusts or runs: the only
 * places aws-sandbox gives a command without being told (the working directory) or suggests
 * allowing (a denial). Not data: {@code /}, {@code /tmp} and {@code $HOME} themselves; system
 * directories ({@code /etc}, {@code /usr}, {@code /var}, {@code /opt}, …); anything in a hidden file
 * or directory of {@code $HOME} (shell start-up files, {@code ~/.config}, {@code ~/.cargo/bin},
 * {@code ~/.npmrc}: other programs' settings, tokens and tools); a directory on {@code PATH}, or
 * one that holds one (a command writing there plants programs that run later, outside the
 * sandbox). The red team found the working directory made writable in {@code /etc} and
 * {@code ~/.ssh}, and forged denials suggesting {@code --rw ~/.bashrc} and {@code /usr/local/bin}.
 */
public final class DataDirectories {
    /** Directories whose files the host trusts or runs (macOS's too). */
    private static final List<Path> SYSTEM = Stream.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
            "/libx32", "/opt", "/proc", "/run", "/sbin", "/snap", "/srv", "/sys", "/usr", "/var", "/nix", "/Library",
            "/System", "/Applications", "/private").map(Path::of).toList();
    /** Shared scratch space beneath a system directory, whose subdirectories may be data. */
    private static final List<Path> SCRATCH = Stream.of("/var/tmp", "/private/tmp", "/private/var/tmp").map(Path::of).toList();
    private static final List<Path> SHARED = Stream.of("/", "/tmp", "/var/tmp", "/dev/shm", "/private/tmp").map(Path::of).toList();
    /** Directories that hold the users' homes. */
    private static final List<Path> HOMES = Stream.of("/home", "/Users").map(Path::of).toList();

    private final List<Path> homes;
    private final List<Path> executableDirectories;

    private DataDirectories(List<Path> homes, List<Path> executableDirectories) {
        this.homes = homes;
        this.executableDirectories = executableDirectories;
    }

    /**
     * For a host whose home is {@code home} and whose programs are found on {@code pathVariable};
     * a relative entry of it ({@code .}, an empty one, {@code bin}) names a directory below
     * {@code workingDirectory}, where the command runs.
     */
    public static DataDirectories of(Path home, String pathVariable, Path workingDirectory) {
        return of(home, pathVariable, workingDirectory, DataDirectories::real);
    }

    /** The same, resolving paths with {@code real} (a plan's memo of the file system). */
    static DataDirectories of(Path home, String pathVariable, Path workingDirectory,
                              java.util.function.UnaryOperator<Path> real) {
        List<Path> homes = Stream.of(home, real.apply(home)).distinct().toList();
        List<Path> bins = new ArrayList<>();
        for (String entry : pathVariable.split(":", -1)) {
            Path dir = workingDirectory.resolve(entry).normalize(); // an absolute entry stays itself
            bins.add(dir);
            bins.add(real.apply(dir));
        }
        return new DataDirectories(homes, bins.stream().distinct().toList());
    }

    /**
     * Whether {@code dir} (absolute, resolved) is {@code /} or a system directory where the host's
     * own symbolic links lie ({@code /bin -> usr/bin}, {@code /var/run -> /run}, macOS's
     * {@code /tmp -> private/tmp}): not the shared scratch space ({@code /var/tmp}, {@code /dev/shm}
     * and below) nor {@code /srv}, whose subdirectories hold data.
     */
    public static boolean isSystem(Path dir) {
        if (dir.getNameCount() == 0) {
            return true;
        }
        boolean scratch = SCRATCH.stream().anyMatch(dir::startsWith) || dir.startsWith("/dev/shm") || dir.startsWith("/srv");
        return !scratch && SYSTEM.stream().anyMatch(dir::startsWith);
    }

    /** Why {@code dir} (absolute, resolved) is not a data directory; empty when it is one. */
    public Optional<String> whyNot(Path dir) {
        if (SHARED.contains(dir)) {
            return Optional.of("it is " + dir + ", shared with every process of the host");
        }
        for (Path home : homes) {
            if (home.startsWith(dir)) {
                return Optional.of("it is $HOME (" + home + ") or above it");
            }
        }
        if (HOMES.contains(dir)) {
            return Optional.of("it holds the home directories of the host's users");
        }
        boolean scratch = SCRATCH.stream().anyMatch(s -> dir.startsWith(s) && !dir.equals(s));
        for (Path system : SYSTEM) {
            if (!scratch && dir.startsWith(system)) {
                return Optional.of("it is a system directory (" + system + ")");
            }
        }
        for (Path home : homes) {
            if (dir.startsWith(home)) {
                Path inside = home;
                for (Path name : home.relativize(dir)) {
                    inside = inside.resolve(name);
                    if (name.toString().startsWith(".")) {
                        return Optional.of("it is in " + inside + ", another program's settings, tokens or tools");
                    }
                }
            }
        }
        for (Path bin : executableDirectories) {
            if (dir.startsWith(bin) || bin.startsWith(dir)) {
                return Optional.of((dir.startsWith(bin) ? "it is " : "it holds ") + bin
                        + ", a directory on PATH whose programs run later outside the sandbox");
            }
        }
        return Optional.empty();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
