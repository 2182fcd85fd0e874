package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.SandboxedSleepMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A command does not outlive its JVM, even one killed with SIGKILL (issue 14: under Landlock a
 * {@code sleep} kept running under init). The JVM under test is a separate one; its own
 * unsandboxed {@code setsid sleep} is the negative control: it survives, so the test can tell.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
class JvmDeathTest {
    @Parameter
    BackendKind backend;

    @TempDir
    Path dir;

    @Test
    void aSandboxedCommandDiesWithASigkilledJvm() throws Exception {
        Requirements.requireLandlock();
        Path sandboxedPidFile = dir.resolve("sandboxed.pid");
        Path controlPidFile = dir.resolve("control.pid");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SandboxedSleepMain.class.getName(), backend.name(), sandboxedPidFile.toString(), controlPidFile.toString()));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        long sandboxed = -1;
        long control = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()));
            String line = out.readLine();
            assertThat(line).as("the child JVM started its commands").startsWith("started");
            sandboxed = readPid(sandboxedPidFile);
            control = readPid(controlPidFile);
            // under bubblewrap the file holds the pid inside its namespace: find the host's sleep
            long sandboxedHost = backend == BackendKind.LANDLOCK ? sandboxed : hostSleepUnder(jvm.pid(), control);
            assertThat(alive(sandboxedHost)).isTrue();

            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(goneWithin(sandboxedHost, 10_000)).as("sandboxed sleep %d after its JVM was killed", sandboxedHost)
                    .isTrue();
            Thread.sleep(500);
            assertThat(alive(control)).as("the unsandboxed control %d outlives the JVM", control).isTrue();
        } finally {
            jvm.destroyForcibly();
            if (control > 0) {
                ProcessHandle.of(control).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static long hostSleepUnder(long jvmPid, long control) {
        return ProcessHandle.of(jvmPid).orElseThrow().descendants()
                .filter(p -> p.pid() != control && p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .findFirst().orElseThrow().pid();
    }

    private static long readPid(Path file) throws Exception {
        for (int i = 0; i < 400; i++) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Long.parseLong(Files.readString(file).strip());
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no pid in " + file);
    }

    /** Running, not a zombie (a zombie is dead; when this JVM is a subreaper, orphans become its zombies). */
    private static boolean alive(long pid) {
        try {
            String stat = new String(Files.newInputStream(Path.of("/proc/" + pid + "/stat")).readAllBytes());
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean goneWithin(long pid, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (!alive(pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
