package dev.awssandbox.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A file system of another kind than the host's, made in a sparse image file and mounted through a loop device for one
 * test: for the ioctls of a file system this host does not run on. Root only; skips (saying why) where the kernel lacks
 * the file system, the host has no loop devices or no {@code mkfs} for it. {@link #close} unmounts it (the loop device
 * goes with it: {@code mount -o loop} sets autoclear) and deletes the image.
 */
public final class LoopFileSystem implements AutoCloseable {
    private final Path image;
    private final Path mountPoint;

    private LoopFileSystem(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** A fresh {@code type} file system of {@code megabytes} in {@code dir} (an image and a mount point there). */
    public static LoopFileSystem make(String type, int megabytes, Path dir) throws IOException {
        require("root".equals(System.getProperty("user.name")), "mounting a " + type + " image needs root");
        require(Files.readString(Path.of("/proc/filesystems")).lines().anyMatch(line -> line.strip().equals(type)),
                "this kernel has no " + type + " (/proc/filesystems)");
        require(Files.exists(Path.of("/dev/loop-control")), "this host has no loop devices (/dev/loop-control)");
        String mkfs = List.of("/usr/sbin/mkfs." + type, "/sbin/mkfs." + type, "/usr/bin/mkfs." + type).stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        require(mkfs != null, "mkfs." + type + " is not installed");
        Path image = dir.resolve(type + ".img");
        Path mountPoint = Files.createDirectories(dir.resolve(type));
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(megabytes * 1024L * 1024L);
        }
        run(List.of(mkfs, "-q", image.toString()), "mkfs." + type);
        String mounted = tryRun(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        if (mounted != null) {
            Files.deleteIfExists(image);
            require(false, "the " + type + " image could not be mounted: " + mounted);
        }
        return new LoopFileSystem(image, mountPoint);
    }

    public Path mountPoint() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException {
        String unmounted = tryRun(List.of("umount", mountPoint.toString()));
        if (unmounted != null) {
            // something still holds it (a test's leftover process): detach it now, the kernel frees it when released
            run(List.of("umount", "-l", mountPoint.toString()), "umount -l");
        }
        Files.deleteIfExists(image);
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            System.err.println("SKIPPED: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private static void run(List<String> command, String what) throws IOException {
        String failure = tryRun(command);
        if (failure != null) {
            throw new IOException(what + " failed: " + failure);
        }
    }

    /** Null when the command succeeded, else its exit status and output. */
    private static String tryRun(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
