package dev.awssandbox.core.backend;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The granted paths, each opened once ({@code O_PATH}) with no symbolic link followed anywhere on
 * the way, so that the rules and binds are made on exactly the files the planner judged. The
 * planner resolved every grant to a path without symbolic links; a process still running could
 * swap one of its components for a link before the backend used the path again by name, and
 * bubblewrap then bound, and Landlock granted, where the link led: {@code ~/.ssh}, a repository's
 * {@code .git} (found by the red team, round 2). A link that appears meanwhile now fails the
 * command with ELOOP; nothing is run.
 */
final class PinnedPaths implements AutoCloseable {

    /**
     * One opened path.
     *
     * @param path      the resolved path it was opened by
     * @param fd        the descriptor ({@code O_PATH})
     * @param directory whether it is a directory
     * @param identity  device and inode, for the ruleset cache's key
     */
    record Pin(Path path, int fd, boolean directory, Object identity) {}

    private final List<Pin> pins;

    private PinnedPaths(List<Pin> pins) {
        this.pins = pins;
    }

    /** Opens every path of {@code paths} (resolved, absolute). */
    static PinnedPaths open(List<Path> paths) throws BackendException {
        List<Pin> pins = new ArrayList<>(paths.size());
        try {
            for (Path path : paths) {
                int fd;
                try {
                    fd = high(Libc.openNoSymlinks(path.toString()));
                } catch (ErrnoException e) {
                    throw failure(path, e);
                }
                try {
                    Path self = Path.of("/proc/self/fd/" + fd);
                    Map<String, Object> attributes = Files.readAttributes(self, "unix:dev,ino,mode");
                    boolean directory = ((Integer) attributes.get("mode") & 0170000) == 0040000;
                    pins.add(new Pin(path, fd, directory, List.of(attributes.get("dev"), attributes.get("ino"))));
                } catch (IOException | RuntimeException e) {
                    Libc.close(fd);
                    throw new BackendException(BackendException.Reason.SYSTEM, "cannot examine " + path + ": " + e.getMessage(), e);
                }
            }
            return new PinnedPaths(List.copyOf(pins));
        } catch (BackendException e) {
            pins.forEach(pin -> Libc.close(pin.fd()));
            throw e;
        }
    }

    /**
     * {@code fd} moved to 256 or more (closed where it was): a child's file actions copy the
     * inherited descriptors to 4, 5, … without overwriting one of them first.
     */
    static int high(int fd) throws ErrnoException {
        try {
            return Libc.duplicateFrom(fd, FIRST_HIGH);
        } finally {
            Libc.close(fd);
        }
    }

    private static final int FIRST_HIGH = SpawnSpec.MIN_INHERITED_SOURCE;
    /**
     * At most this many: their copies in the child (5, 6, …) stay below {@link #FIRST_HIGH}, with
     * one more descriptor, the command's environment for bwrap (the first, 4: BubblewrapBackend.ENVIRONMENT_FD).
     */
    static final int MAX = SpawnSpec.MAX_INHERITED - 1;

    private static BackendException failure(Path path, ErrnoException e) {
        return switch (e.errno()) {
            case Errno.ELOOP, Errno.ENOENT, Errno.ENOTDIR -> new BackendException(BackendException.Reason.INVALID_REQUEST,
                    path + " changed while it was being granted (a symbolic link or another file took its place);"
                            + " nothing was run: run the command again once nothing else is changing it");
            case Errno.ENOSYS -> new BackendException(BackendException.Reason.UNAVAILABLE, "this kernel has no openat2"
                    + " (Linux 5.6 or newer), which aws-sandbox needs to grant paths without a race");
            default -> new BackendException(BackendException.Reason.SYSTEM, "cannot open " + path + ": " + e.getMessage(), e);
        };
    }

    List<Pin> pins() {
        return pins;
    }

    @Override
    public void close() {
        for (Pin pin : pins) {
            Libc.close(pin.fd());
        }
    }
}
