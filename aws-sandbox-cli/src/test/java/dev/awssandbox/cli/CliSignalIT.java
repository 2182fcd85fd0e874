package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.testing.JvmLeftovers;
import dev.awssandbox.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGTERM to the packaged CLI during {@code pipe 'sleep N | cat'} leaves no stage alive (issue 14,
 * item 6: the {@code sleep} stage outlived it in 2 of ~9 tries). Several tries per backend, the
 * signal at a different moment each time; every process the CLI started, helpers included, must be
 * gone once it has exited.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
class CliSignalIT {
    private static final int TRIES = 4;

    @Parameter
    BackendKind backend;

    @Test
    void sigtermDuringAPipelineLeavesNoStageAlive() throws Exception {
        Requirements.requireLandlock();
        for (int i = 0; i < TRIES; i++) {
            String seconds = "3" + ThreadLocalRandom.current().nextInt(100, 999) + "." + i; // names this try's sleep
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(),
                    "pipe", "--backend", backend.label(), "sleep " + seconds + " | cat")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<ProcessHandle> started = List.of();
            try {
                cli.getOutputStream().close();
                Optional<ProcessHandle> sleep = awaitSleep(seconds, 60_000);
                assertThat(sleep).as("the sleep stage started (try %d)", i).isPresent();
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 400)); // not always at the same point
                started = cli.descendants().toList();
                assertThat(started).contains(sleep.get());

                cli.destroy(); // SIGTERM
                assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(cli.exitValue()).isEqualTo(143);
                assertThat(stillAlive(started)).as("processes of the CLI alive after it exited on SIGTERM (try %d)", i)
                        .isEmpty();
                assertThat(JvmLeftovers.afterHelpers(cli.pid())).as("left by the CLI (try %d)", i).isEmpty();
            } finally {
                cleanUp(cli, started);
            }
        }
    }

    /**
     * SIGTERM while a long pipeline is still being started: aws-sandbox's clean-up tears down what
     * the next spawn needs, and that failure is not the user's to read (red team, round 15: "cannot
     * prepare the spawn of …: mkfifo(…): ENOENT", or a stage "exit code 127"). The exit status
     * says it: 143, and no error, hint or stage summary of ours.
     */
    @Test
    void sigtermDuringAPipelinesStartSaysNothingMisleading() throws Exception {
        Requirements.requireLandlock();
        for (int i = 0; i < TRIES; i++) {
            String seconds = "3" + ThreadLocalRandom.current().nextInt(100, 999) + "." + i; // names this try's stages
            String stages = String.join(" | ", java.util.Collections.nCopies(30, "sleep " + seconds));
            Path err = Files.createTempFile("aws-sandbox-sigterm", ".err");
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(),
                    "pipe", "--backend", backend.label(), stages)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            List<ProcessHandle> started = List.of();
            try {
                cli.getOutputStream().close();
                Thread.sleep(ThreadLocalRandom.current().nextInt(400, 1200)); // during the JVM's start or the stages'
                started = cli.descendants().toList();
                cli.destroy(); // SIGTERM
                assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String said = Files.readString(err);
                assertThat(said).as("try %d", i).doesNotContain("aws-sandbox: error").doesNotContain("aws-sandbox: hint")
                        .doesNotContain("aws-sandbox: stage");
                assertThat(cli.exitValue()).as("try %d: %s", i, said).isEqualTo(143);
                // every process it started is gone once its helpers are done: a stage, and a child that was
                // still at its spawn gate (it runs no stage, so a look for stages never saw it; one was left
                // for an hour, this test having killed the watchdog as one of the CLI's descendants)
                assertThat(JvmLeftovers.afterHelpers(cli.pid())).as("left by the CLI (try %d)", i).isEmpty();
                assertThat(sleeps(seconds)).as("stages alive after the CLI exited on SIGTERM (try %d)", i).isEmpty();
                assertThat(stillAlive(started)).as("processes of the CLI alive after it exited on SIGTERM (try %d)", i)
                        .isEmpty();
            } finally {
                cleanUp(cli, started);
                sleeps(seconds).forEach(ProcessHandle::destroyForcibly);
                Files.deleteIfExists(err);
            }
        }
    }

    /** Kills what the CLI left, once its helpers have done their work ({@link JvmLeftovers#cleanUpCli}). */
    /**
     * Outside test WF25, F9: a run stopped by a signal (SIGTERM here; SIGINT and SIGHUP end the JVM the same way) left no
     * line in the audit log, though the command may have changed the account before it was killed. The line says it was
     * cancelled. Control: the same run to its end writes its line.
     */
    @Test
    void aRunStoppedBySigtermIsInTheAuditLog() throws Exception {
        Requirements.requireLandlock();
        java.nio.file.Path log = java.nio.file.Files.createTempFile("aws-sandbox-signal-audit", ".jsonl");
        java.nio.file.Files.delete(log); // the CLI creates it, 0600
        String seconds = "3" + ThreadLocalRandom.current().nextInt(100, 999) + ".9";
        Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(),
                "run", "--backend", backend.label(), "--audit-log", log.toString(), "--", "sleep", seconds)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<ProcessHandle> started = List.of();
        try {
            cli.getOutputStream().close();
            assertThat(awaitSleep(seconds, 60_000)).as("the command started").isPresent();
            started = cli.descendants().toList();
            cli.destroy(); // SIGTERM
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String lines = java.nio.file.Files.readString(log);
            assertThat(lines.lines()).as(lines).hasSize(1);
            assertThat(lines).contains("\"tool\":\"run\"").contains("\"decision\":\"allowed\"").contains(seconds)
                    .containsAnyOf("\"status\":\"cancelled\"", "\"status\":\"error\"");

            Process control = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(),
                    "run", "--backend", backend.label(), "--audit-log", log.toString(), "--", "true")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            control.getOutputStream().close();
            assertThat(control.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(java.nio.file.Files.readString(log).lines()).as("control: one more line").hasSize(2)
                    .last().asString().contains("\"status\":\"success\"");
        } finally {
            cleanUp(cli, started);
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    private static void cleanUp(Process cli, List<ProcessHandle> started) throws Exception {
        JvmLeftovers.cleanUpCli(cli, started);
    }

    /** Every process that runs exactly {@code sleep SECONDS}. */
    private static List<ProcessHandle> sleeps(String seconds) throws Exception {
        List<String> wanted = List.of("sleep\0" + seconds + "\0", "/usr/bin/sleep\0" + seconds + "\0", "/bin/sleep\0" + seconds + "\0");
        List<ProcessHandle> found = new java.util.ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (wanted.contains(cmdline) && JvmLeftovers.alive(Long.parseLong(proc.getFileName().toString()))) {
                        ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (java.io.IOException e) {
                    // gone, or not ours to read
                }
            }
        }
        return found;
    }

    /** The process that runs exactly {@code sleep SECONDS} (under bubblewrap the host sees it too). */
    private static Optional<ProcessHandle> awaitSleep(String seconds, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        // argv is exactly {sleep, SECONDS} (Landlock) or {/usr/bin/sleep, SECONDS} (bubblewrap; not bwrap itself)
        List<String> wanted = List.of("sleep\0" + seconds + "\0", "/usr/bin/sleep\0" + seconds + "\0", "/bin/sleep\0" + seconds + "\0");
        while (System.nanoTime() < deadline) {
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    try {
                        String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")),
                                java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (wanted.contains(cmdline)) {
                            return ProcessHandle.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    } catch (java.io.IOException e) {
                        // gone, or not ours to read
                    }
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /**
     * Those of {@code started} that still run (not zombies: a killed process's parent may not have
     * reaped it yet) once they have had ten seconds to end: a killed stage on a loaded machine is a
     * moment on its way out (CI: a zombie showed as "9970 ?").
     */
    private List<String> stillAlive(List<ProcessHandle> started) throws InterruptedException {
        java.util.function.Predicate<ProcessHandle> running = p -> p.isAlive() && JvmLeftovers.alive(p.pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (started.stream().anyMatch(running) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return started.stream().filter(running).map(this::describe).toList();
    }

    private String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().commandLine().orElse("?");
    }
}
