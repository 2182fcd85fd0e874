package dev.awssandbox.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.backend.SandboxBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Skips a test, printing why, when the machine lacks what it needs; under {@code CI=true} a
 * missing Landlock fails instead, so that CI can never pass with the sandbox tests skipped.
 */
public final class Requirements {
    private Requirements() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void requireLandlock() {
        SandboxBackend.Availability availability = new LandlockBackend().availability();
        if (!availability.available()) {
            String reason = "Landlock is not available here: " + availability.detail();
            if (inCi()) {
                fail(reason + " (CI must run the sandbox tests)");
            }
            System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
    }

    /** Skips (printing why) when the Landlock backend is under test and the kernel's ABI is older than {@code abi}. */
    public static void requireLandlockAbi(dev.awssandbox.core.BackendKind backend, int abi, String why) {
        if (backend != dev.awssandbox.core.BackendKind.LANDLOCK) {
            return;
        }
        int have = new LandlockBackend().abi();
        if (have < abi) {
            String reason = why + "; this kernel has ABI " + have;
            System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
    }

    /** The absolute path of a program on PATH, or a skip naming it. */
    public static Path requireProgram(String name) {
        Optional<Path> found = which(name);
        if (found.isEmpty()) {
            String reason = name + " is not on PATH";
            System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
        return found.orElseThrow();
    }

    public static Optional<Path> which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
