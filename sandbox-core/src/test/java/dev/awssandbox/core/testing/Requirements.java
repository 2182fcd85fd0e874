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

    /**
     * The program {@code name} runs on this host, past a pyenv shim: for an oracle or a control run
     * outside the sandbox, which tests what the program does, not how a shim finds it. The shim
     * (bash running pyenv's scripts) costs ~0.5 s of CPU a call here, nine times a bare {@code python3}'s,
     * and the suite is CPU-bound; the sandboxed runs keep the shim where they test its chain.
     * The name itself where it is not on PATH or is no shim, or pyenv cannot say.
     */
    public static String hostProgram(String name) {
        return HOST_PROGRAMS.computeIfAbsent(name, Requirements::pastShim);
    }

    private static final java.util.Map<String, String> HOST_PROGRAMS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String pastShim(String name) {
        Optional<Path> found = which(name);
        if (found.isEmpty() || found.get().getParent() == null
                || !found.get().getParent().getFileName().toString().equals("shims")) {
            return name;
        }
        Path root = found.get().getParent().getParent();
        Path pyenv = root.resolve("libexec/pyenv");
        if (!Files.isExecutable(pyenv)) {
            return name;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(pyenv.toString(), "which", name).redirectErrorStream(false);
            builder.environment().put("PYENV_ROOT", root.toString());
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return process.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out)) ? out : name;
        } catch (java.io.IOException e) {
            return name;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return name;
        }
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
