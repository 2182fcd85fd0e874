package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.process.Subreaper;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing a command starts outlives it: not its process group (killed at exit and at timeout),
 * and, with the JVM as child subreaper, not a daemon that left the group with setsid and a double
 * fork and ignores SIGTERM. Each check is made from outside, by pid.
 */
@ExtendWith(TestHostExtension.class)
class ProcessLifecycleTest {
    private TestHost host;
    private Sandbox sandbox;
    private Path pidFile;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        this.host = host;
        sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
        pidFile = host.work().resolve("escaped.pid");
        Subreaper.set(true);
    }

    @AfterEach
    void tearDown() throws Exception {
        Subreaper.set(true);
    }

    /** bash starts a daemon in a new session that ignores SIGTERM, waits until it wrote its pid, then exits. */
    private String daemonizing(String tail) {
        return "setsid sh -c 'trap \"\" TERM; echo $$ > " + pidFile + "; exec sleep 1000' & disown; "
                + "while [ ! -s " + pidFile + " ]; do sleep 0.01; done; " + tail;
    }

    private long escapedPid() throws Exception {
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    private static boolean gone(long pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aSetsidDaemonIsKilledWhenTheCommandExits() throws Exception {
        ExecResult result = sandbox.run("bash", "-c", daemonizing("exit 0"));

        assertThat(result.isSuccess()).isTrue();
        long daemon = escapedPid();
        assertThat(ProcessHandle.of(daemon).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L))
                .as("re-parented to the JVM, not init").isIn(ProcessHandle.current().pid(), -1L);
        assertThat(gone(daemon)).as("daemon %d killed", daemon).isTrue();
    }

    @Test
    void aSetsidDaemonIsKilledAtTimeout() throws Exception {
        ExecResult result = sandbox.run(Command.builder(List.of("bash", "-c", daemonizing("sleep 30")))
                .timeout(Duration.ofSeconds(2)).build());

        assertThat(result.timedOut()).isTrue();
        long daemon = escapedPid();
        assertThat(gone(daemon)).as("daemon %d killed", daemon).isTrue();
    }

    @Test
    void aDoubleForkedGrandchildThatIgnoresTermIsKilled() throws Exception {
        // (…&) forks twice: the grandchild's parent exits at once; it stays in the command's group
        ExecResult result = sandbox.run("sh", "-c", "( trap '' TERM; echo $$ > /dev/null; sh -c 'echo $$ > "
                + pidFile + "; trap \"\" TERM; exec sleep 1000' & ) ; while [ ! -s " + pidFile + " ]; do sleep 0.01; done");

        assertThat(result.isSuccess()).isTrue();
        assertThat(gone(escapedPid())).isTrue();
    }

    @Test
    void withoutTheSubreaperASetsidDaemonSurvives() throws Exception {
        Subreaper.set(false); // negative control: the mechanism is what kills it
        ExecResult result = sandbox.run("bash", "-c", daemonizing("exit 0"));
        long daemon = escapedPid();
        try {
            assertThat(result.isSuccess()).isTrue();
            Thread.sleep(300);
            assertThat(ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false)).isTrue();
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void childrenTheApplicationStartedItselfAreNotTouched() throws Exception {
        Process own = new ProcessBuilder("sleep", "30").start();
        try {
            sandbox.run("bash", "-c", daemonizing("exit 0"));
            assertThat(gone(escapedPid())).isTrue();
            assertThat(own.isAlive()).isTrue();
        } finally {
            own.destroyForcibly().waitFor();
        }
    }
}
