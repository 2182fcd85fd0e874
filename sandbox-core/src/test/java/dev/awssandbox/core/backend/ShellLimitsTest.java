package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.ExitStatus;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.posix.Posix;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnSpec;
import dev.awssandbox.core.testing.VarTmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ulimit wrapper that sets resource limits where there is no {@code prlimit} (macOS), run
 * here through each shell {@code /bin/sh} can be: dash (Debian's /bin/sh), bash invoked as sh
 * (macOS's default /bin/sh is bash 3.2 in this POSIX mode), bash, zsh and zsh as sh. The limits
 * are read back from {@code /proc/self/limits} of the command the shell exec'd.
 */
class ShellLimitsTest {
    @TempDir(factory = VarTmp.class)
    Path scratch;

    /** A shell, by name as tests print it, and how to make it (a symlink named sh makes bash and zsh POSIX). */
    record Variant(String name, String target, boolean asSh, int block, String processOption) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The wrapper always starts the shell with argv[0] "sh", as macOS's /bin/sh starts the shell
     * it selects, so bash and zsh run in their POSIX/sh modes whatever their file is called.
     */
    static List<Variant> shells() {
        return List.of(
                new Variant("dash", "/usr/bin/dash", false, 512, "p"),
                new Variant("bash", "/usr/bin/bash", false, 512, "u"),
                new Variant("bash through a link named sh", "/usr/bin/bash", true, 512, "u"),
                new Variant("zsh", "/usr/bin/zsh", false, 512, "u"),
                new Variant("zsh through a link named sh", "/usr/bin/zsh", true, 512, "u"));
    }

    private Path install(Variant variant) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(variant.target())), variant.target() + " is not installed");
        if (!variant.asSh()) {
            return Path.of(variant.target());
        }
        Path dir = Files.createDirectories(scratch.resolve(variant.name().replace(' ', '-')));
        return Files.createSymbolicLink(dir.resolve("sh"), Path.of(variant.target()));
    }

    private static ExecResult run(SpawnSpec spec) throws Exception {
        return dev.awssandbox.core.TestBackends.result(List.of(spec.argv()), JdkPipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)),
                dev.awssandbox.core.TestBackends.stdin(Command.Input.empty()), dev.awssandbox.core.TestBackends.target(Command.Output.capture()),
                dev.awssandbox.core.TestBackends.target(Command.Output.capture()), Optional.of(Duration.ofSeconds(30))));
    }

    private SpawnSpec command(String... argv) {
        return SpawnSpec.plain(Path.of(argv[0]), List.of(argv), Map.of("PATH", "/usr/bin:/bin"), scratch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void calibrationFindsHowTheShellSpellsTheLimits(Variant variant) throws Exception {
        ShellLimits.Shell shell = ShellLimits.calibrate(install(variant));

        assertThat(shell.fileBlockBytes()).isEqualTo(variant.block());
        assertThat(shell.processOption()).isEqualTo(variant.processOption());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void theDefaultLimitsLandOnTheCommand(Variant variant) throws Exception {
        ShellLimits.Shell shell = ShellLimits.calibrate(install(variant));
        SpawnSpec spec = ShellLimits.wrap(command("/usr/bin/cat", "/proc/self/limits"), dev.awssandbox.core.process.Limits.DEFAULT, shell,
                ShellLimits.HardLimits.unlimited());

        ExecResult result = run(spec);

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(result.stdout().text())
                .containsPattern("Max cpu time +600 +600 ")
                .containsPattern("Max file size +4294967296 +4294967296 ")
                .containsPattern("Max processes +512 +512 ")
                .containsPattern("Max core file size +0 +0 ");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void aFileSizeLimitStopsAWriterAtTheLimit(Variant variant) throws Exception {
        ShellLimits.Shell shell = ShellLimits.calibrate(install(variant));
        Path out = scratch.resolve("big");
        SpawnSpec spec = ShellLimits.wrap(command("/usr/bin/dd", "if=/dev/zero", "of=" + out, "bs=4096", "count=4"),
                new dev.awssandbox.core.process.Limits(java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                        java.util.OptionalLong.of(8192), java.util.OptionalLong.empty(), true), shell, ShellLimits.HardLimits.unlimited());

        ExecResult result = run(spec);

        assertThat(result.status()).isEqualTo(new ExitStatus.Signaled(25, false)); // SIGXFSZ
        assertThat(Files.size(out)).isEqualTo(8192);
    }

    /** A shell counting -f in 1 KiB blocks (bash outside POSIX mode): calibration notices, and the limit is still exact. */
    @Test
    void aShellWithKilobyteBlocksIsMeasuredAndGivenTheRightNumber() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bash")), "bash is not installed");
        Path fake = scratch.resolve("kilobyte-sh");
        Files.writeString(fake, "#!/usr/bin/bash\nexec -a bash /usr/bin/bash \"$@\"\n");
        fake.toFile().setExecutable(true);

        ShellLimits.Shell shell = ShellLimits.calibrate(fake);
        ExecResult result = run(ShellLimits.wrap(command("/usr/bin/cat", "/proc/self/limits"), dev.awssandbox.core.process.Limits.DEFAULT,
                shell, ShellLimits.HardLimits.unlimited()));

        assertThat(shell.fileBlockBytes()).isEqualTo(1024);
        assertThat(result.stdout().text()).containsPattern("Max file size +4294967296 +4294967296 ");
    }

    @Test
    void theScriptSetsSoftThenHardAndFailsClosed() {
        ShellLimits.Shell dash = new ShellLimits.Shell(Path.of("/bin/sh"), 512, "p");

        assertThat(ShellLimits.script(dev.awssandbox.core.process.Limits.DEFAULT, dash, ShellLimits.HardLimits.unlimited())).hasValue(
                "ulimit -S -t 600 && ulimit -H -t 600 && ulimit -S -f 8388608 && ulimit -H -f 8388608"
                        + " && ulimit -S -p 512 && ulimit -H -p 512 && ulimit -S -c 0 && ulimit -H -c 0"
                        + " || { echo 'aws-sandbox: the shell cannot set the resource limits' >&2; exit 125; }; exec \"$@\"");
        assertThat(ShellLimits.script(dev.awssandbox.core.process.Limits.NONE, dash, ShellLimits.HardLimits.unlimited())).isEmpty();
    }

    @Test
    void aLimitAboveTheHardLimitIsLoweredToIt() {
        Map<Posix.Resource, Long> hard = new EnumMap<>(Posix.Resource.class);
        hard.put(Posix.Resource.NPROC, 2666L); // a common macOS per-user hard limit, below our 4096
        hard.put(Posix.Resource.CPU, Long.MAX_VALUE);
        hard.put(Posix.Resource.FSIZE, 1L << 20);
        hard.put(Posix.Resource.CORE, 0L);
        ShellLimits.HardLimits limits = new ShellLimits.HardLimits(hard);

        String script = ShellLimits.script(dev.awssandbox.core.process.Limits.DEFAULT.withProcesses(4096),
                        new ShellLimits.Shell(Path.of("/bin/sh"), 512, "u"), limits)
                .orElseThrow();

        assertThat(script).contains("ulimit -H -u 2666").contains("ulimit -H -f 2048").contains("ulimit -H -t 600");
        assertThat(limits.describeFinite()).contains("2666 processes").contains("1048576 bytes per file");
    }

    @Test
    void theCommandAndItsArgumentsArePositionalNeverPartOfTheScript() {
        ShellLimits.Shell shell = new ShellLimits.Shell(Path.of("/bin/sh"), 512, "p");
        SpawnSpec spec = SpawnSpec.plain(Path.of("/usr/local/bin/aws"), List.of("aws", "s3", "ls", "$(reboot)", "; id"),
                Map.of("PATH", "/usr/bin"), Path.of("/"));

        SpawnSpec wrapped = ShellLimits.wrap(spec, dev.awssandbox.core.process.Limits.DEFAULT, shell, ShellLimits.HardLimits.unlimited());

        assertThat(wrapped.executable()).isEqualTo(Path.of("/bin/sh"));
        assertThat(wrapped.argv().subList(0, 2)).containsExactly("sh", "-c");
        assertThat(wrapped.argv().get(2)).doesNotContain("/usr/local/bin/aws").doesNotContain("s3").doesNotContain("reboot").endsWith("exec \"$@\"");
        assertThat(wrapped.argv().subList(3, wrapped.argv().size()))
                .containsExactly("sh", "/usr/local/bin/aws", "s3", "ls", "$(reboot)", "; id");
        assertThat(wrapped.environment()).isEqualTo(spec.environment());
        assertThat(ShellLimits.wrap(spec, dev.awssandbox.core.process.Limits.NONE, shell, ShellLimits.HardLimits.unlimited())).isSameAs(spec);
    }

    @Test
    void aShellThatCannotSetALimitDoesNotRunTheCommand() throws Exception {
        // dash's spelling given to bash: bash's -p is the read-only pipe size, so setting it fails
        ShellLimits.Shell wrong = new ShellLimits.Shell(Path.of("/usr/bin/bash"), 512, "p");
        Path marker = scratch.resolve("ran");
        SpawnSpec spec = ShellLimits.wrap(command("/usr/bin/touch", marker.toString()), dev.awssandbox.core.process.Limits.DEFAULT, wrong,
                ShellLimits.HardLimits.unlimited());

        ExecResult result = run(spec);

        assertThat(result.status()).isEqualTo(new ExitStatus.Exited(125));
        assertThat(result.stderr().text()).contains("cannot set the resource limits");
        assertThat(marker).doesNotExist();
    }
}
