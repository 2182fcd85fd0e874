package dev.awssandbox.core.process;

import dev.awssandbox.core.posix.PidDirectories;
import dev.awssandbox.core.posix.TreeDeletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This JVM's private directory for {@link SpawnGate} FIFOs: owner-only, empty but for an instant
 * per spawn, removed at exit. A Landlock ruleset must let commands read beneath it (a waiting child
 * opens its FIFO under the command's own domain), and no policy may make it writable: a command
 * that could put a file of its own there could let a later child skip its gate.
 *
 * <p>It lives in {@code $XDG_RUNTIME_DIR}, else {@code /dev/shm}, else {@code java.io.tmpdir}; the
 * first place where it can be created wins. Directories left by JVMs that were killed are removed
 * when the next one starts.
 */
public final class GateDirectory {
    private static final String PREFIX = "aws-sandbox-gates-";
    private static volatile Path path;

    private GateDirectory() {}

    /** The directory, created on first use. */
    public static Path path() {
        Path p = path;
        if (p == null) {
            synchronized (GateDirectory.class) {
                p = path;
                if (p == null) {
                    p = create();
                    path = p;
                }
            }
        }
        return p;
    }

    private static Path create() {
        List<String> failures = new ArrayList<>();
        for (Path base : bases()) {
            try {
                Path real = PidDirectories.create(base, PREFIX);
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("aws-sandbox-gates-cleanup")
                        .unstarted(() -> TreeDeletion.delete(real)));
                return real;
            } catch (IOException | UnsupportedOperationException e) {
                failures.add(base + ": " + e.getMessage());
            }
        }
        throw new UncheckedIOException(new IOException("cannot create aws-sandbox's private spawn directory ("
                + String.join("; ", failures) + ")"));
    }

    private static List<Path> bases() {
        List<Path> bases = new ArrayList<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && Files.isDirectory(Path.of(runtime))) {
            bases.add(Path.of(runtime));
        }
        if (Files.isDirectory(Path.of("/dev/shm"))) {
            bases.add(Path.of("/dev/shm"));
        }
        bases.add(Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
        return bases;
    }
}
