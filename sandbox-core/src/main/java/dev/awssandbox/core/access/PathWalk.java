package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A path walked as the kernel walks it: component by component, each symbolic link followed where
 * it stands (a {@code ..} goes up from where the links so far lead), a missing component walked
 * lexically. One walker for what the planner asks of the way to a path: the names a secret store
 * may hide behind, the links on the way to a git directory a command could re-point, and where a
 * file created through a dangling link would land.
 *
 * @param visited      every name passed: {@code /}, each component, each link, each component of
 *                     where a link leads, and where each {@code ..} leads
 * @param links        the symbolic links followed, in order
 * @param walkedBack   every directory a {@code ..} in a link's target goes up out of, as the walk had reached
 *                     it ({@code ~/.gitconfig -> dots/b/../../gitconfig}: {@code ~/dots/b}, {@code ~/dots}): a
 *                     command that can write its parent could swap it for a link, and the {@code ..} would then
 *                     go up from wherever that leads. A {@code ..} in the path itself is the caller's to read (it
 *                     knows the path as written: {@link GitConfig#walkedBack}, {@link EnvironmentWalkBacks})
 * @param end          where the walk ends: the path's real location, or where a file created
 *                     through it would be
 * @param tooManyLinks whether more than {@link #MAX_LINKS} links were met (the kernel's ELOOP): the
 *                     walk stopped there
 */
record PathWalk(List<Path> visited, List<Path> links, List<Path> walkedBack, Path end, boolean tooManyLinks) {

    /** The kernel's limit on links followed in one resolution. */
    static final int MAX_LINKS = 40;

    /** What the walk asks of the file system. */
    interface Lookup {
        /** The entry's kind without following it. */
        FileFacts.Kind kind(Path path);

        /** A link's content. */
        Path readLink(Path path) throws IOException;
    }

    /** The walk answered from one plan's {@code facts}. */
    static PathWalk of(Path path, FileFacts facts) {
        return of(path, new Lookup() {
            @Override
            public FileFacts.Kind kind(Path p) {
                return facts.kind(p);
            }

            @Override
            public Path readLink(Path p) throws IOException {
                return facts.readLink(p);
            }
        });
    }

    static PathWalk of(Path path, Lookup lookup) {
        List<Path> visited = new ArrayList<>();
        List<Path> links = new ArrayList<>();
        List<Path> walkedBack = new ArrayList<>();
        // names as paths, never as text: a name that is not valid UTF-8 read as text (U+FFFD) names another file, and a
        // chain through such a link then led nowhere, so what it reaches was not protected (outside test RT23, F1-F3)
        Deque<Path> todo = new ArrayDeque<>();
        Deque<Boolean> fromLink = new ArrayDeque<>(); // beside todo: whether the name came from a link's target
        Path absolute = path.toAbsolutePath();
        for (int i = absolute.getNameCount() - 1; i >= 0; i--) {
            todo.push(absolute.getName(i));
            fromLink.push(false);
        }
        Path root = absolute.getRoot();
        Path at = root;
        visited.add(root);
        while (!todo.isEmpty()) {
            Path name = todo.pop();
            boolean linked = fromLink.pop();
            String text = name.toString(); // compared only: "." and ".." are ASCII
            if (text.isEmpty() || text.equals(".")) {
                continue;
            }
            if (text.equals("..")) {
                if (linked && at.getParent() != null) {
                    walkedBack.add(at);
                }
                at = at.getParent() == null ? at : at.getParent();
                visited.add(at);
                continue;
            }
            Path next = at.resolve(name);
            visited.add(next);
            if (lookup.kind(next) != FileFacts.Kind.SYMLINK) {
                at = next;
                continue;
            }
            Path to;
            try {
                to = lookup.readLink(next);
            } catch (IOException | RuntimeException e) {
                at = next; // gone meanwhile: walked lexically
                continue;
            }
            if (links.size() == MAX_LINKS) {
                return new PathWalk(List.copyOf(visited), List.copyOf(links), List.copyOf(walkedBack), next, true);
            }
            links.add(next);
            for (int i = to.getNameCount() - 1; i >= 0; i--) {
                todo.push(to.getName(i));
                fromLink.push(true);
            }
            if (to.isAbsolute()) {
                at = root;
            }
        }
        return new PathWalk(List.copyOf(visited), List.copyOf(links), List.copyOf(walkedBack), at, false);
    }
}
