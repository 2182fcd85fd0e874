package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * <p>Looked for, cheaply and within bounds: {@code DIR/.git}, {@code DIR/*}{@code /.git} and
 * {@code DIR/*}{@code /*}{@code /.git} (depth {@value #MAX_DEPTH}), breadth first, reading at most
 * {@value #MAX_ENTRIES} directory entries; symlinked directories are not entered. A {@code .git}
 * file (a worktree or submodule) counts, and so do the directory it points to ({@code gitdir:})
 * and that one's {@code commondir} (the main repository's {@code .git}). Deeper repositories, or
 * ones past the entry budget, are not found: the README says so.
 */
final class GitMetadata {
    static final int MAX_DEPTH = 2;
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

    private GitMetadata() {}

    /**
     * The git metadata found in and below {@code dir} (resolved). Each directory's {@code .git} is
     * looked at as soon as the directory is listed, before anything deeper is read, so a huge
     * first subdirectory ({@code node_modules}) cannot use up the budget before its siblings'
     * {@code .git} has been checked.
     */
    static List<Entry> find(Path dir) {
        List<Entry> found = new ArrayList<>();
        inspect(dir.resolve(".git"), found);
        Deque<Path> queue = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        queue.add(dir);
        depths.add(0);
        int budget = MAX_ENTRIES;
        while (!queue.isEmpty()) {
            Path current = queue.removeFirst();
            int depth = depths.removeFirst();
            // the same entries in the same order, with the kernel's d_type: no lstat per entry
            List<NativeDirectory.Entry> listed = NativeDirectory.list(current, Math.max(budget, 0) + 1);
            if (listed != null) {
                for (NativeDirectory.Entry listedEntry : listed) {
                    if (--budget < 0) {
                        return found;
                    }
                    if (listedEntry.name().equals(".git")) {
                        continue;
                    }
                    Path entry = current.resolve(listedEntry.name());
                    if (!(listedEntry.directory()
                            || listedEntry.typeUnknown() && NativeLstat.kindNow(entry) == FileFacts.Kind.DIRECTORY)) {
                        continue;
                    }
                    inspect(entry.resolve(".git"), found);
                    if (depth + 1 < MAX_DEPTH) {
                        queue.addLast(entry);
                        depths.addLast(depth + 1);
                    }
                }
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(current)) {
                for (Path entry : entries) {
                    if (--budget < 0) {
                        return found;
                    }
                    if (entry.getFileName().toString().equals(".git")
                            || NativeLstat.kindNow(entry) != FileFacts.Kind.DIRECTORY) {
                        continue;
                    }
                    inspect(entry.resolve(".git"), found);
                    if (depth + 1 < MAX_DEPTH) {
                        queue.addLast(entry);
                        depths.addLast(depth + 1);
                    }
                }
            } catch (IOException | SecurityException e) {
                // unreadable: nothing we can see, nothing the command could see either
            }
        }
        return found;
    }

    private static void inspect(Path git, List<Entry> found) {
        FileFacts.Kind kind = NativeLstat.kindNow(git);
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

    /** {@code gitdir: PATH} in a {@code .git} file, relative to the file's directory. */
    private static Optional<Path> gitdir(Path gitFile) {
        try {
            String content = Files.readString(gitFile, StandardCharsets.UTF_8);
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
    private static Optional<Path> commondir(Path gitdir) {
        Path file = gitdir.resolve("commondir");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            String relative = Files.readString(file, StandardCharsets.UTF_8).strip();
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
