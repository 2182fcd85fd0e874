package dev.awssandbox.core.backend;

import dev.awssandbox.core.posix.Posix;
import dev.awssandbox.core.posix.PosixException;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.Limits;
import dev.awssandbox.core.process.OutputTarget;
import dev.awssandbox.core.process.Stdin;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resource limits where util-linux's {@code prlimit} does not exist (macOS): the command is
 * started as {@code /bin/sh -c 'ulimit …; exec "$@"' sh COMMAND ARGS…}, inside the sandbox, so
 * the limits hold before the command's first instruction and everything it starts inherits them.
 * Soft and hard limits are set to the same value (the command cannot raise them); a value above
 * the JVM's own hard limit, which an unprivileged process cannot exceed, is lowered to it instead
 * of failing every command. If the shell cannot set a limit, the command does not run (exit 125).
 *
 * <p>What {@code /bin/sh} is differs: bash 3.2 in POSIX mode on macOS by default, dash or zsh if
 * {@code /private/var/select/sh} says so, dash on Debian. They disagree on two things, measured
 * once per host by {@link #calibrate} instead of guessed: the option for the process limit
 * ({@code -u} in bash and zsh, {@code -p} in dash, where bash's {@code -p} is the read-only pipe
 * size), and the unit of {@code -f} (512-byte blocks by POSIX, in dash, zsh and bash's POSIX
 * mode; 1024 in bash otherwise). Soft is set before hard, each with its own flag: dash keeps only
 * the last of {@code -H}/{@code -S}, and zsh without {@code -H} sets the soft limit only.
 */
final class ShellLimits {
    static final Path SHELL = Path.of("/bin/sh");
    static final int EXIT_CANNOT_LIMIT = 125;

    private ShellLimits() {}

    /** How this host's shell spells the limits. */
    record Shell(Path path, int fileBlockBytes, String processOption) {
        Shell {
            if (fileBlockBytes != 512 && fileBlockBytes != 1024) {
                throw new IllegalArgumentException("ulimit -f block size " + fileBlockBytes);
            }
            if (!processOption.equals("u") && !processOption.equals("p")) {
                throw new IllegalArgumentException("ulimit process option " + processOption);
            }
        }

        String describe() {
            return path + " (ulimit -" + processOption + " for processes, -f in " + fileBlockBytes + "-byte blocks)";
        }
    }

    /** The JVM's hard limits, which the command's may not exceed; {@link Long#MAX_VALUE} is unlimited. */
    record HardLimits(Map<Posix.Resource, Long> values) {
        static HardLimits ofThisProcess() {
            Map<Posix.Resource, Long> values = new EnumMap<>(Posix.Resource.class);
            for (Posix.Resource resource : Posix.Resource.values()) {
                try {
                    values.put(resource, Posix.limit(resource)[1]);
                } catch (PosixException e) {
                    values.put(resource, Long.MAX_VALUE); // let the shell try, and fail loudly if it must
                }
            }
            return new HardLimits(values);
        }

        static HardLimits unlimited() {
            Map<Posix.Resource, Long> values = new EnumMap<>(Posix.Resource.class);
            for (Posix.Resource resource : Posix.Resource.values()) {
                values.put(resource, Long.MAX_VALUE);
            }
            return new HardLimits(values);
        }

        long of(Posix.Resource resource) {
            return values.getOrDefault(resource, Long.MAX_VALUE);
        }

        /** "; at most N processes, …" for the finite ones (limits above them are lowered to them), or "". */
        String describeFinite() {
            List<String> parts = new ArrayList<>();
            if (of(Posix.Resource.NPROC) != Long.MAX_VALUE) {
                parts.add(of(Posix.Resource.NPROC) + " processes");
            }
            if (of(Posix.Resource.CPU) != Long.MAX_VALUE) {
                parts.add(of(Posix.Resource.CPU) + " s CPU");
            }
            if (of(Posix.Resource.FSIZE) != Long.MAX_VALUE) {
                parts.add(of(Posix.Resource.FSIZE) + " bytes per file");
            }
            return parts.isEmpty() ? "" : "; hard limits here (higher limits are lowered to them): " + String.join(", ", parts);
        }
    }

    /**
     * Asks {@code shell} how it spells the limits: whether {@code ulimit -u} exists, and how many
     * bytes a 600-byte write leaves in a file under {@code ulimit -f 1} (512: the write was cut at
     * one 512-byte block; 600: a block is 1024 bytes). Runs the shell once, unsandboxed, in a
     * scratch directory, through the portable engine.
     */
    static Shell calibrate(Path shell) throws IOException {
        Path scratch = Files.createTempDirectory("aws-sandbox-ulimit-");
        Path probe = scratch.resolve("probe");
        try {
            String script = "ulimit -S -c 0; if ulimit -u >/dev/null 2>&1; then echo u; else echo p; fi;"
                    + " ulimit -S -f 1 && printf '%0600d' 0 > probe";
            SpawnSpec spec = new SpawnSpec(shell, List.of("sh", "-c", script), Map.of("PATH", "/usr/bin:/bin"), scratch,
                    dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(), Limits.NONE);
            PipelineRunner.Outcome result = JdkPipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)), new Stdin.Empty(),
                    new OutputTarget.Capture(4096), new OutputTarget.Capture(4096), Optional.of(Duration.ofSeconds(20)));
            String option = new String(result.stdout().bytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            long size = Files.exists(probe) ? Files.size(probe) : -1;
            if (!option.equals("u") && !option.equals("p") || size != 512 && size != 600) {
                throw new IOException("cannot tell how " + shell + " sets resource limits (said '" + option
                        + "', wrote " + size + " bytes, " + result.stages().getFirst().status() + ")");
            }
            return new Shell(shell, size == 600 ? 1024 : 512, option);
        } catch (dev.awssandbox.core.process.SpawnException e) {
            throw new IOException("cannot run " + shell + ": " + e.getMessage(), e);
        } catch (PipelineRunner.Cancelled e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + shell + " about resource limits", e);
        } catch (PipelineRunner.OutputFailed e) {
            // not expected: captured output goes to memory, which does not throw
            throw new IOException("cannot run " + shell + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(probe);
            Files.deleteIfExists(scratch);
        }
    }

    /** {@code /bin/sh -c SCRIPT sh EXECUTABLE ARGS…}, or the spec itself when no limit is asked for. */
    static SpawnSpec wrap(SpawnSpec spec, Limits limits, Shell shell, HardLimits hard) {
        Optional<String> script = script(limits, shell, hard);
        if (script.isEmpty()) {
            return spec;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script.get(), "sh", spec.executable().toString()));
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        // the shell sets them: the spec that starts it carries none of its own
        return new SpawnSpec(shell.path(), argv, spec.environment(), spec.workingDirectory(), spec.restriction(),
                spec.descriptor3(), Limits.NONE);
    }

    /** The script: each limit soft then hard, then {@code exec "$@"}; nothing but digits is interpolated. */
    static Optional<String> script(Limits limits, Shell shell, HardLimits hard) {
        List<String> steps = new ArrayList<>();
        limits.cpuSeconds().ifPresent(t -> set(steps, "t", Math.min(t, hard.of(Posix.Resource.CPU))));
        limits.fileSizeBytes().ifPresent(bytes -> set(steps, "f",
                Math.max(1, Math.min(bytes, hard.of(Posix.Resource.FSIZE)) / shell.fileBlockBytes())));
        limits.processes().ifPresent(n -> set(steps, shell.processOption(), Math.min(n, hard.of(Posix.Resource.NPROC))));
        if (!limits.coreDumps()) {
            set(steps, "c", 0);
        }
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" && ", steps) + " || { echo 'aws-sandbox: the shell cannot set the"
                + " resource limits' >&2; exit " + EXIT_CANNOT_LIMIT + "; }; exec \"$@\"");
    }

    private static void set(List<String> steps, String option, long value) {
        steps.add("ulimit -S -" + option + " " + value + " && ulimit -H -" + option + " " + value);
    }

}
