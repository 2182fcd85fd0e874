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
    /**
     * Shared scratch space in the system directories: every user can write there, so it is not the
     * host's own; a directory below it may hold a person's data (the scratch directory itself does not).
     */
    private static final List<Path> SCRATCH = Stream.of("/var/tmp", "/private/tmp", "/private/var/tmp").map(Path::of).toList();
    /**
     * Other space in the system directories that is not the host's own (shared memory, the data of
     * services the host offers) and, at any depth, no person's data either.
     */
    private static final List<Path> SERVICE_SPACE = Stream.of("/dev/shm", "/srv").map(Path::of).toList();
    /** Directories shared with every process of the host. */
    private static final List<Path> SHARED = Stream.of("/", "/tmp", "/var/tmp", "/dev/shm", "/private/tmp").map(Path::of).toList();
    /** Directories that hold the users' homes. */
    private static final List<Path> HOMES = Stream.of("/home", "/Users").map(Path::of).toList();
    /**
     * Directories where other file systems are mounted (removable media, network shares): each
     * mount below may hold data, the directory itself holds all of them (red team, round 15: a
     * forged denial in {@code /media/x} suggested {@code --rw /media}).
     */
    private static final List<Path> MOUNT_ROOTS = Stream.of("/media", "/mnt", "/run/media", "/Volumes").map(Path::of).toList();

    private final List<Path> homes;
    private final List<Path> accountHomes; // the account's, when $HOME is elsewhere
    private final List<Path> executableDirectories;

    private DataDirectories(List<Path> homes, List<Path> accountHomes, List<Path> executableDirectories) {
        this.homes = homes;
        this.accountHomes = accountHomes;
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

    /**
     * The same, resolving paths with {@code real}; within a plan, {@link FileFacts#dataDirectories}
     * (its answers, and computed once).
     */
    static DataDirectories of(Path home, String pathVariable, Path workingDirectory,
                              java.util.function.UnaryOperator<Path> real) {
        List<Path> homes = Stream.of(home, real.apply(home)).distinct().toList();
        // the account's home too (Java's user.home, from the password database): with $HOME pointed elsewhere (sudo, a
        // service, an agent's launcher), its hidden directories (~/.claude, ~/.cache, ~/.npm) held settings, hooks and
        // tokens all the same, and were given as data (red team, round 46, F7)
        List<Path> accountHomes = List.of();
        String account = System.getProperty("user.home");
        if (account != null && account.startsWith("/")) {
            Path accountHome = Path.of(account).normalize();
            accountHomes = Stream.of(accountHome, real.apply(accountHome)).filter(h -> !homes.contains(h)).distinct().toList();
        }
        List<Path> bins = new ArrayList<>();
        for (String entry : pathVariable.split(":", -1)) {
            Path dir = workingDirectory.resolve(entry).normalize(); // an absolute entry stays itself
            bins.add(dir);
            bins.add(real.apply(dir));
        }
        return new DataDirectories(homes, accountHomes, bins.stream().distinct().toList());
    }

    /**
     * Where a directory lies, by its path alone: the one definition of a system directory, which
     * both {@link #isSystem} (whose links are followed as the host's own) and {@link #whyNot} (which
     * directories can be data) use.
     */
    enum Location {
        /**
         * {@code /} or in a system directory: the host's own files and its own symbolic links
         * ({@code /bin -> usr/bin}, {@code /var/run -> /run}, macOS's {@code /tmp -> private/tmp});
         * never data.
         */
        SYSTEM,
        /**
         * In a system directory, but space that others write: a scratch directory itself
         * ({@code /var/tmp}), {@code /dev/shm} and {@code /srv} and everything below them. Not the
         * host's own (round 6 planted links there), and not data either.
         */
        SHARED_IN_SYSTEM,
        /**
         * Below a scratch directory ({@code /var/tmp/project}), or outside every system directory:
         * data or not as the other rules decide.
         */
        ELSEWHERE
    }

    /** Where {@code dir} (absolute, resolved) lies. */
    static Location location(Path dir) {
        if (dir.getNameCount() == 0) {
            return Location.SYSTEM;
        }
        boolean belowScratch = SCRATCH.stream().anyMatch(s -> dir.startsWith(s) && !dir.equals(s));
        if (belowScratch || SYSTEM.stream().noneMatch(dir::startsWith)) {
            return Location.ELSEWHERE;
        }
        if (SCRATCH.contains(dir) || SERVICE_SPACE.stream().anyMatch(dir::startsWith)) {
            return Location.SHARED_IN_SYSTEM;
        }
        return Location.SYSTEM;
    }

    /**
     * Whether {@code dir} (absolute, resolved) is {@code /} or a system directory where the host's
     * own symbolic links lie: {@link Location#SYSTEM}.
     */
    public static boolean isSystem(Path dir) {
        return location(dir) == Location.SYSTEM;
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
        if (MOUNT_ROOTS.contains(dir)) {
            return Optional.of("it holds the file systems mounted on the host (" + dir + ")");
        }
        if (location(dir) != Location.ELSEWHERE) {
            Optional<Path> system = SYSTEM.stream().filter(dir::startsWith).findFirst(); // "/" is shared, above
            if (system.isPresent()) {
                return Optional.of("it is a system directory (" + system.get() + ")");
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
        for (Path account : accountHomes) {
            if (account.startsWith(dir)) {
                return Optional.of("it is the account's home (" + account + ") or above it");
            }
            // the hidden directories right below it: the programs' own (~/.claude, ~/.cache); deeper names are the user's
            // projects' ($HOME elsewhere, a project below the account's home is still data)
            if (dir.startsWith(account) && !dir.equals(account) && account.relativize(dir).getName(0).toString().startsWith(".")) {
                Path inside = account.resolve(account.relativize(dir).getName(0));
                return Optional.of("it is in " + inside + ", another program's settings, tokens or tools");
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
