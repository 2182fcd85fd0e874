package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where programs live whose code runs later, outside the sandbox: the installations the plan
 * derived for the command's program and its interpreters (a venv's {@code lib/python3.11/site-packages},
 * {@code ~/miniconda3/lib}), every directory on {@code PATH}, and the prefix of each one named
 * {@code bin} or {@code sbin} ({@code ~/go} of {@code ~/go/bin}, which holds the module cache
 * {@code ~/go/pkg/mod} that {@code go build} compiles and runs). Red team, round 19, F1: a forged
 * "Permission denied" on a file of the running program's own venv got the hint {@code --rw} of its
 * {@code site-packages}; the user followed it, and the code a later command planted there ran
 * unsandboxed.
 *
 * <p>A denial hint never names a directory that is, lies in or holds one of them; an explicit
 * {@code --rw} of one is given with a warning ({@link #warnings}), as other explicit grants that
 * reach what other programs use are (the caller's choice, said).
 */
public final class ProgramLocations {
    /** The reasons {@link ExecutableChain} gives its grants: the program, its interpreters, their installations. */
    private static final Set<String> DERIVED = Set.of("executable", "interpreter", "executable installation");
    /** Installation directories whose parent is the installation's root ({@code <prefix>/lib}). */
    private static final Set<String> LAYOUT_DIRECTORIES = Set.of("bin", "sbin", "lib", "lib64", "libexec");

    /** A place, resolved, with what it is (for a warning). */
    record Location(Path path, String what) {}

    private final List<Location> locations;

    private ProgramLocations(List<Location> locations) {
        this.locations = List.copyOf(locations);
    }

    /**
     * The locations for a plan's {@code grants} and the {@code PATH} entries in
     * {@code pathVariable} (absolute ones only), for a user whose resolved homes are {@code homes}:
     * a {@code bin} prefix that is {@code /}, a home or above ({@code ~/bin}) is left out (it would
     * be everything), so is a derived directory's parent that is.
     */
    public static ProgramLocations of(List<PathGrant> grants, String pathVariable, List<Path> homes) {
        return of(grants, pathVariable, homes, ProgramLocations::realOrSelf);
    }

    /** The same, resolving {@code PATH}'s entries with {@code resolve} (a plan's: one answer per path and plan). */
    static ProgramLocations of(List<PathGrant> grants, String pathVariable, List<Path> homes,
                               java.util.function.UnaryOperator<Path> resolve) {
        List<Location> found = new ArrayList<>();
        for (PathGrant grant : grants) {
            if (!DERIVED.contains(grant.reason())) {
                continue;
            }
            Path real = grant.resolved();
            found.add(new Location(real, "the installation of the command's program or interpreter (" + real + ")"));
            Path parent = real.getParent();
            if (grant.directory() && real.getFileName() != null
                    && LAYOUT_DIRECTORIES.contains(real.getFileName().toString()) && parent != null && !everything(parent, homes)) {
                found.add(new Location(parent, "the installation of the command's program or interpreter (" + parent + ")"));
            }
        }
        Set<Path> seen = new LinkedHashSet<>();
        for (String entry : pathVariable.split(":", -1)) {
            if (!entry.startsWith("/")) {
                continue;
            }
            Path dir = resolve.apply(Path.of(entry).normalize());
            if (!seen.add(dir)) {
                continue;
            }
            found.add(new Location(dir, "a directory on PATH (" + dir + ")"));
            Path name = dir.getFileName();
            Path prefix = dir.getParent();
            if (name != null && (name.toString().equals("bin") || name.toString().equals("sbin")) && prefix != null
                    && !everything(prefix, homes)) {
                found.add(new Location(prefix, "the installation whose programs " + dir + " on PATH holds (" + prefix + ")"));
            }
        }
        // where tools install themselves in a home (pyenv's versions, conda, nvm): their code runs
        // whenever the tool does, on PATH or not
        for (Path home : homes) {
            for (String tool : ExecutableChain.TOOL_LOCATIONS) {
                found.add(new Location(home.resolve(tool), "a directory where tools install themselves ("
                        + home.resolve(tool) + ")"));
            }
        }
        // where language runtimes load modules from in a home, on PATH or not: code planted there runs
        // with the user's next script (a hint advised --rw ~/perl5/lib/perl5: red team, round 22, F7)
        for (Path home : homes) {
            for (String dir : MODULE_DIRECTORIES) {
                found.add(new Location(home.resolve(dir), "a directory language runtimes load modules from ("
                        + home.resolve(dir) + ")"));
            }
            // R's user library, R_LIBS_USER's default ~/R/<platform>-library/<version>; an lstat first: the
            // exception of a missing ~/R cost ~5% of a plan
            if (NativeLstat.kindNow(home.resolve("R")) == FileFacts.Kind.ABSENT) {
                continue;
            }
            try (var entries = java.nio.file.Files.newDirectoryStream(home.resolve("R"), "*-library")) {
                for (Path library : entries) {
                    found.add(new Location(resolve.apply(library), "R's user library (" + library + ")"));
                }
            } catch (java.io.IOException | java.nio.file.DirectoryIteratorException | SecurityException e) {
                // no ~/R: no R user library
            }
        }
        return new ProgramLocations(found);
    }

    /**
     * A home's directories language runtimes load modules from without their being on {@code PATH}:
     * local::lib's {@code ~/perl5} ({@code PERL5LIB}), macOS's {@code ~/Library/Python} and
     * {@code ~/Library/R}, and a {@code node_modules} right in the home. Every {@code node_modules},
     * wherever it is, is such a place too ({@link #NODE_MODULES}). (Python's user site
     * {@code ~/.local/lib/python3.x/site-packages} is in {@code ~/.local}, a tool location.)
     */
    private static final List<String> MODULE_DIRECTORIES = List.of("perl5", "Library/Python",
            "Library/R", "node_modules");

    /**
     * Node's {@code require()} searches {@code node_modules} in the script's directory and every
     * directory above it: {@code ~/node_modules/lodash} is loaded by every script below {@code $HOME}
     * without its own copy (red team, round 22, F7). A path with such a component lies in one.
     */
    private static final String NODE_MODULES = "node_modules";

    private static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException | SecurityException e) {
            return path;
        }
    }

    /** Whether {@code dir} is {@code /}, a home or above one: as a location it would take in every file. */
    private static boolean everything(Path dir, List<Path> homes) {
        return dir.getParent() == null || homes.stream().anyMatch(home -> home.startsWith(dir));
    }

    /** Why {@code real} (resolved) is, lies in or holds a location, if it does. */
    public Optional<String> why(Path real) {
        for (int i = 0; i < real.getNameCount(); i++) {
            if (real.getName(i).toString().equals(NODE_MODULES)) {
                Path modules = real.getRoot().resolve(real.subpath(0, i + 1));
                return Optional.of("it is or lies in " + modules + " (Node loads modules from there for every script"
                        + " below " + modules.getParent() + ")");
            }
        }
        for (Location location : locations) {
            if (real.startsWith(location.path())) {
                return Optional.of("it is or lies in " + location.what());
            }
        }
        for (Location location : locations) {
            if (location.path().startsWith(real)) {
                return Optional.of("it holds " + location.what());
            }
        }
        return Optional.empty();
    }

    /**
     * A warning for each explicit writable grant ({@code reason} "policy": {@code --rw}, the MCP
     * workspace, the working directory, resolved as {@code workingDirectory}) among {@code grants}
     * that is, lies in or holds a location: the command can change code that runs later, outside
     * the sandbox ({@code --rw ~/.cargo/bin}, {@code --rw ~/.pyenv/versions}, {@code --rw} of the
     * program's own {@code site-packages}: red team, round 19, F1 and INFO). Said, not refused, as
     * for other explicit grants.
     */
    public List<String> warnings(List<PathGrant> grants, Path workingDirectory) {
        List<String> warnings = new ArrayList<>();
        for (PathGrant grant : grants) {
            if (grant.access() != PathGrant.Access.READ_WRITE || !grant.reason().equals("policy")) {
                continue;
            }
            String which = grant.resolved().equals(workingDirectory) ? "the working directory " + grant.path()
                    : "--rw " + grant.path();
            why(grant.resolved()).ifPresent(why -> warnings.add(which + ": " + why
                    + ", whose code runs later outside the sandbox, so the command can change what runs there;"
                    + " grant only the directories the command needs"));
        }
        return warnings;
    }
}
