package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.ChildJvm;
import dev.awssandbox.core.testing.FloodMain;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.StdinBytesMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Output past the capture limit is drained and counted, never stored. */
class BoundedMemoryTest {

    @Test
    void twoGibibytesThroughASandboxedPipelineInA64MibHeap() throws Exception {
        Requirements.requireLandlock();
        long bytes = 2L << 30;
        String classpath = ChildJvm.classPath();
        Process jvm = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                FloodMain.class.getName(), Long.toString(bytes)))
                .redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(300, TimeUnit.SECONDS)).isTrue();

        assertThat(jvm.exitValue()).as(out).isZero();
        assertThat(out).contains("total=" + bytes + " kept=1048576 truncated=true success=true backend=landlock");
    }

    @Test
    void aHundredMegabytesOfStdinFitInAHeapWithNoRoomForACopy() throws Exception {
        // issue 14, item 6: 100 MB of stdin bytes cost ~520 MiB (the array was copied several times)
        Requirements.requireLandlock();
        int bytes = 100_000_000;
        String heap = "-Xmx168m";
        Outcome sent = stdinBytes(heap, bytes);
        assertThat(sent.code()).as(sent.out()).isZero();
        assertThat(sent.out()).contains("counted=" + bytes + " success=true");

        // the negative control: one copy of the array, made by the caller itself, does not fit
        Outcome copied = stdinBytes(heap, bytes, "copy");
        assertThat(copied.code()).as(copied.out()).isNotZero();
        assertThat(copied.out()).contains("OutOfMemoryError");
    }

    private record Outcome(int code, String out) {}

    private static Outcome stdinBytes(String heap, int bytes, String... extra) throws Exception {
        String classpath = ChildJvm.classPath();
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                StdinBytesMain.class.getName(), Integer.toString(bytes)));
        argv.addAll(List.of(extra));
        Process jvm = new ProcessBuilder(argv).redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Outcome(jvm.exitValue(), out);
    }

    @Test
    void theDefaultLimitComesFromTheEnvironmentAndIsValidated() {
        assertThat(HostEnvironment.parseByteCount("2048", "X")).isEqualTo(2048);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostEnvironment.parseByteCount("lots", "AWS_MCP_MAX_OUTPUT"))
                .hasMessageContaining("AWS_MCP_MAX_OUTPUT").hasMessageContaining("lots");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostEnvironment.parseByteCount("0", "AWS_MCP_MAX_OUTPUT"))
                .hasMessageContaining("number of bytes");
        if (System.getenv("AWS_MCP_MAX_OUTPUT") == null) {
            assertThat(HostEnvironment.current().maxOutput()).isEqualTo(100_000);
        }
    }
}
