package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resource limits reach the command (each with the same command under no limits as the control). */
class ResourceLimitsTest {
    private TestHost host;

    @BeforeEach
    void setUp() {
        Requirements.requireLandlock();
        host = new TestHost();
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private Sandboxes with(ResourceLimits limits) {
        return Sandboxes.of(host.environment(), SandboxPolicy.builder(host.environment()).limits(limits).build());
    }

    @Test
    void fileSizeIsLimited() throws Exception {
        Path big = host.work().resolve("big");
        String write = "head -c 2097152 /dev/zero > " + big;

        ExecResult limited = with(ResourceLimits.NONE.withFileSize(1 << 20)).inside("sh", "-c", write);
        assertThat(limited.isSuccess()).isFalse();
        assertThat(Files.size(big)).isEqualTo(1 << 20);

        ExecResult control = with(ResourceLimits.NONE).inside("sh", "-c", write);
        assertThat(control.isSuccess()).isTrue();
        assertThat(Files.size(big)).isEqualTo(2 << 20);
    }

    @Test
    void cpuTimeIsLimited() throws Exception {
        List<String> spin = List.of("sh", "-c", "while :; do :; done");
        Sandbox limited = with(ResourceLimits.NONE.withCpuTime(Duration.ofSeconds(1))).sandboxed();
        Sandbox control = with(ResourceLimits.NONE).sandboxed();

        ExecResult killed = limited.run(ExecRequest.builder(spin).timeout(Duration.ofSeconds(20)).build());
        assertThat(killed.timedOut()).isFalse();
        assertThat(killed.status()).isInstanceOfSatisfying(ExitStatus.Signaled.class,
                s -> assertThat(s.signal()).isIn(24, 9)); // SIGXCPU at the soft limit (SIGKILL at the hard one)

        ExecResult spun = control.run(ExecRequest.builder(spin).timeout(Duration.ofSeconds(3)).build());
        assertThat(spun.timedOut()).isTrue();
    }

    @Test
    void coreDumpsAreOffByDefaultAndCannotBeTurnedOn() {
        // soft and hard are both 0, so the command cannot raise it; without limits it can (control)
        String raise = "ulimit -c unlimited 2>/dev/null || ulimit -c $(ulimit -Hc) 2>/dev/null; ulimit -c";
        assertThat(with(ResourceLimits.DEFAULT).inside("bash", "-c", raise).stdout().text()).isEqualTo("0\n");
        assertThat(with(ResourceLimits.NONE).inside("bash", "-c", "ulimit -Hc").stdout().text()).isNotEqualTo("0\n");
        assertThat(with(ResourceLimits.NONE).inside("bash", "-c", raise).stdout().text()).isNotEqualTo("0\n");
    }

    @Test
    void defaultsReachTheCommand() {
        String limits = with(ResourceLimits.DEFAULT).inside("bash", "-c", "ulimit -u; ulimit -t; ulimit -f").stdout().text();

        assertThat(limits).isEqualTo("4096\n600\n" + (4L << 30) / 1024 + "\n"); // bash's ulimit -f counts KiB
    }
}
