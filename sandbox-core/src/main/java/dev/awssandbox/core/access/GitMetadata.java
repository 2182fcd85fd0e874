package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Git metadata in and below a directory: what git reads and runs later, outside any sandbox
 * ({@code .git/hooks/*}, {@code core.hooksPath} and {@code core.fsmonitor} in {@code .git/config}).
 * A sandboxed command that can write it plants code the user runs with their next
 * {@code git status} (found in review).
 *
 * <p>Looked for, cheaply and within bounds: {@code DIR/.git} and the git metadata of every
 * directory up to {@value #MAX_DEPTH} levels below (a bare {@code DIR/mirrors/github/p.git} was
 * missed at two: red team, round 2; a GOPATH's {@code src/github.com/org/repo/.git} at four: red
 * team, round 22, F5), breadth first, reading at most {@value #MAX_ENTRIES} directory entries;
 * symlinked directories are not entered. A {@code .git}
 * file (a worktree or submodule) counts, and so do the directory it points to ({@code gitdir:})
 * and that one's {@code commondir} (the main repository's {@code .git}). So does every git
 * directory whatever its name — a bare repository ({@code project.git}), a separate git
 * directory — recognised as git does, by its content ({@code HEAD} with {@code objects/} and
 * {@code refs/}, or a worktree's {@code HEAD} with {@code commondir}), and {@code DIR} itself or
 * any directory above it that is one (the red team wrote hooks into a bare repository). A scan
 * that runs out of budget within the first {@value #COMPLETE_DEPTH} levels says so ({@link
 * Scan#complete()}): a command could otherwise bury a repository made later behind ten thousand
 * directories (red team), so the caller must then treat the directory as one that may hold git
 * metadata. Below {@value #COMPLETE_DEPTH} levels the search goes on with what is left of the
 * budget and stops quietly when it runs out: a project whose dependencies (a venv, {@code
 * node_modules}) hold more than ten thousand entries within {@value #MAX_DEPTH} levels stays
 * writable as before round 22, and a repository beyond the budget there, or deeper than
 * {@value #MAX_DEPTH} levels, is not found: docs/security.md says so.
 */
final class GitMetadata {
    static final int MAX_DEPTH = 6;
    /** How deep the scan must have read everything to be {@linkplain Scan#complete() complete}. */
    static final int COMPLETE_DEPTH = 3;
    static final int MAX_ENTRIES = 10_000;

    /**
     * One thing to keep read-only.
     *
     * @param path     resolved
     * @param maskable false for a {@code .git} symlink: a read-only view of where it points does
     *                 not stop the command re-pointing the link itself, so only withholding the
     *                 writable directory that holds it protects it
     */
    record Entry(Path path, boolean maskable) {}

    /**
     * What a scan found.
     *
     * @param entries  the git metadata found
     * @param complete false when the entry budget ran out before the first {@value #COMPLETE_DEPTH}
     *                 levels were read
     */
    record Scan(List<Entry> entries, boolean complete) {
        Scan {
            entries = List.copyOf(entries);
        }
    }

    private static final Path DOT_GIT = Path.of(".git");

    private GitMetadata() {}

    /**
     * The git metadata found in and below {@code dir} (resolved). Each directory's {@code .git} is
     * looked at as soon as the directory is listed, before anything deeper is read, so a huge
     * first subdirectory ({@code node_modules}) cannot use up the budget before its siblings'
     * {@code .git} has been checked.
     */
    static Scan find(Path dir) {
        List<Entry> found = new ArrayList<>();
        for (Path up = dir; up != null; up = up.getParent()) {
            if (isGitDirectory(up)) {
                found.add(new Entry(up, true));
                return new Scan(found, true); // all of it is git metadata: nothing below needs a look
            }
        }
        inspect(dir.resolve(".git"), found);
        Deque<Path> queue = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        queue.add(dir);
        depths.add(0);
        int budget = MAX_ENTRIES;
        while (!queue.isEmpty()) {
            Path current = queue.removeFirst();
            int depth = depths.removeFirst();
            // an unreadable directory has none: nothing we can see, nothing a command could see either
            for (NativeDirectory.Entry listed : NativeDirectory.entries(current, Math.max(budget, 0) + 1).orElse(List.of())) {
                if (--budget < 0) {
                    // entries of a directory at depth d lie at d + 1: past COMPLETE_DEPTH, a best-effort search
                    return new Scan(found, depth + 1 > COMPLETE_DEPTH);
                }
                if (listed.name().equals(DOT_GIT)) {
                    continue;
                }
                Path entry = current.resolve(listed.name());
                if (!(listed.directory() || listed.typeUnknown() && FileFacts.lstatKind(entry) == FileFacts.Kind.DIRECTORY)) {
                    continue;
                }
                if (isGitDirectory(entry)) {
                    found.add(new Entry(entry, true));
                    continue;
                }
                inspect(entry.resolve(".git"), found);
                if (depth + 1 < MAX_DEPTH) {
                    queue.addLast(entry);
                    depths.addLast(depth + 1);
                }
            }
        }
        return new Scan(found, true);
    }

    /**
     * Whether git would take {@code dir} for a git directory: a {@code HEAD} (file or symlink)
     * with {@code objects/} and {@code refs/}, or with the {@code commondir} of a linked worktree.
     */
    static boolean isGitDirectory(Path dir) {
        FileFacts.Kind head = FileFacts.lstatKind(dir.resolve("HEAD")); // Files.exists(…, NOFOLLOW_LINKS), without its exception
        if (head == FileFacts.Kind.ABSENT || head == FileFacts.Kind.ERROR) {
            return false;
        }
        return Files.isDirectory(dir.resolve("objects")) && Files.isDirectory(dir.resolve("refs"))
                || FileFacts.lstatKind(dir.resolve("commondir")) == FileFacts.Kind.REGULAR;
    }

    private static void inspect(Path git, List<Entry> found) {
        FileFacts.Kind kind = FileFacts.lstatKind(git);
        if (kind == FileFacts.Kind.ABSENT || kind == FileFacts.Kind.ERROR) {
            return; // none here
        }
        if (kind == FileFacts.Kind.SYMLINK) {
            found.add(new Entry(git, false));
            real(git).ifPresent(target -> found.add(new Entry(target, true)));
            return;
        }
        found.add(new Entry(git, true));
        if (kind == FileFacts.Kind.REGULAR) {
            gitdir(git).ifPresent(gitdir -> {
                found.add(new Entry(gitdir, true));
                commondir(gitdir).ifPresent(common -> found.add(new Entry(common, true)));
            });
        }
    }

    /**
     * The repository git finds when it runs in {@code dir}, by git's own discovery through {@code .git} entries: the
     * nearest {@code DIR/.git} up from {@code dir} that is a directory or a {@code gitdir:} file, links followed (a
     * {@code .git} linked to a git directory elsewhere is that repository). A {@code .git} git cannot use as either —
     * a dangling link, a FIFO — git passes over, and so does this. (A {@code .git} directory that is no git directory,
     * which git passes over too, is taken as the repository: it is kept read-only, so a command cannot make one.) A {@code .git} file that names no git directory
     * this can read ends the search as it ends git's: {@link Found#gitDirectory()} is then empty, and the caller
     * fails closed. Shared by what names a repository's remotes ({@link GitConfig}) and what reads its configs for
     * secrets ({@link NamedFiles}): two walks of their own had treated a linked {@code .git} differently, and
     * neither as git does (review of 2026-12-04).
     */
    static Optional<Found> repositoryAround(Path dir) {
        for (Path up = dir; up != null; up = up.getParent()) {
            Path dotGit = up.resolve(".git");
            if (Files.isDirectory(dotGit)) {
                Optional<Path> real = real(dotGit);
                if (real.isPresent()) {
                    return Optional.of(new Found(up, real));
                }
            } else if (Files.isRegularFile(dotGit)) {
                return Optional.of(new Found(up, gitdir(dotGit)));
            }
        }
        return Optional.empty();
    }

    /**
     * A repository found by {@link #repositoryAround}.
     *
     * @param top          the directory whose {@code .git} it is
     * @param gitDirectory its git directory (resolved); empty when the {@code .git} file could not be read
     */
    record Found(Path top, Optional<Path> gitDirectory) {
        /** The config files git always reads there: the git directory's and the common directory's. */
        List<Path> configs() {
            List<Path> configs = new ArrayList<>();
            gitDirectory.ifPresent(git -> {
                configs.add(git.resolve("config"));
                commondir(git).ifPresent(common -> configs.add(common.resolve("config")));
            });
            return configs;
        }

        /**
         * {@link #configs()} and the worktree's own {@code config.worktree}, which git reads only under
         * {@code extensions.worktreeConfig}: for what must be found in any config git may read (a secret), never
         * for what a config must configure to be passed over (a remote's name).
         */
        List<Path> everyConfig() {
            List<Path> configs = configs();
            gitDirectory.ifPresent(git -> configs.add(git.resolve("config.worktree")));
            return configs;
        }
    }

    /** {@code gitdir: PATH} in a {@code .git} file, relative to the file's directory. */
    static Optional<Path> gitdir(Path gitFile) {
        try {
            // bounded, and only a regular file: a 1 GiB sparse .git ended the plan (red team, round 19, F8)
            String content = new String(GitConfig.readRegular(gitFile, GitConfig.MAX_BYTES), StandardCharsets.UTF_8);
            for (String line : content.lines().toList()) {
                if (line.startsWith("gitdir:")) {
                    return real(gitFile.getParent().resolve(line.substring("gitdir:".length()).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a gitdir file we understand: the file itself is still protected
        }
        return Optional.empty();
    }

    /** A worktree's {@code commondir}: the main repository's git directory. */
    static Optional<Path> commondir(Path gitdir) {
        Path file = gitdir.resolve("commondir");
        if (FileFacts.lstatKind(file) != FileFacts.Kind.REGULAR) {
            return Optional.empty();
        }
        try {
            String relative = new String(GitConfig.readRegular(file, GitConfig.MAX_BYTES), StandardCharsets.UTF_8).strip();
            return real(gitdir.resolve(relative));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> real(Path path) {
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
