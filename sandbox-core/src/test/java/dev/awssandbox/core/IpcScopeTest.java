package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Landlock scopes (ABI 6): no signals to, and no abstract unix sockets of, outside processes. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class IpcScopeTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Sandboxes sandboxes;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        Requirements.requireLandlockAbi(backend, 6, "signal and abstract-socket scopes need Landlock ABI 6");
        this.host = host;
        sandboxes = Sandboxes.of(host, backend);
    }

    @Test
    void killOfAProcessOutsideTheSandboxIsDenied() throws Exception {
        Process victim = new ProcessBuilder("sleep", "60").start();
        try {
            ExecResult denied = sandboxes.inside("kill", "-TERM", Long.toString(victim.pid()));
            assertThat(denied.isSuccess()).isFalse();
            // Landlock's signal scope refuses it; in bubblewrap's PID namespace the pid does not exist
            assertThat(denied.stderr().text()).contains(backend == BackendKind.LANDLOCK ? "Operation not permitted" : "No such process");
            assertThat(victim.isAlive()).isTrue();

            ExecResult control = sandboxes.outside("kill", "-TERM", Long.toString(victim.pid()));
            assertThat(control.isSuccess()).isTrue();
            assertThat(victim.waitFor()).isEqualTo(143);
        } finally {
            victim.destroyForcibly();
        }
    }

    /**
     * The process that kills every command when the JVM dies ({@code CommandDomain}) sits in the
     * Landlock domain that each command's own is nested in: a command cannot signal it (a scope
     * lets a domain signal only itself and its nested ones), so it cannot disarm it. Control: the
     * same signal 0 from an unsandboxed command reaches it.
     */
    @Test
    void aCommandCannotSignalTheProcessThatKillsItWhenTheJvmDies() {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == BackendKind.LANDLOCK,
                "the commands' domain is Landlock's; bubblewrap's commands do not see host pids");
        assertThat(sandboxes.inside("true").isSuccess()).isTrue(); // the first Landlock command sets the domain up
        var state = dev.awssandbox.core.process.CommandDomain.state();
        assertThat(state).as("the commands' domain on Landlock ABI 6+").isInstanceOf(
                dev.awssandbox.core.process.CommandDomain.State.Armed.class);
        String killer = Integer.toString(((dev.awssandbox.core.process.CommandDomain.State.Armed) state).killerPid());

        ExecResult denied = sandboxes.inside("kill", "-0", killer);
        ExecResult control = sandboxes.outside("kill", "-0", killer);

        assertThat(denied.isSuccess()).isFalse();
        assertThat(denied.stderr().text()).contains("Operation not permitted");
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
    }

    @Test
    void signalsWithinTheSandboxStillWork() {
        ExecResult result = sandboxes.inside("sh", "-c", "sleep 30 & kill $!; wait $!; echo status=$?");

        assertThat(result.stdout().text()).isEqualTo("status=143\n");
    }

    @Test
    void connectToAnAbstractUnixSocketOutsideIsDenied() throws Exception {
        String name = "aws-sandbox-test-" + UUID.randomUUID();
        Process server = new ProcessBuilder("python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind('\\0' + sys.argv[1]); s.listen()
                print('ready', flush=True)
                while True:
                    c, _ = s.accept(); c.sendall(b'hello'); c.close()
                """, name).start();
        try {
            BufferedReader ready = new BufferedReader(new InputStreamReader(server.getInputStream()));
            assertThat(ready.readLine()).isEqualTo("ready");
            String[] client = {"python3", "-c", """
                    import socket, sys
                    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    c.connect('\\0' + sys.argv[1]); print(c.recv(5).decode())
                    """, name};

            assertThat(sandboxes.outside(client).stdout().text()).isEqualTo("hello\n");
            // with the network on: bubblewrap then shares the network namespace (and its abstract
            // sockets), and Landlock's scope or the seccomp filter must refuse it
            ExecResult denied = sandboxes.inside(client);
            assertThat(denied.isSuccess()).isFalse();
            // refused by the seccomp filter (no unix sockets) before any scope or namespace is consulted
            assertThat(denied.stderr().text()).contains("PermissionError");
        } finally {
            server.destroyForcibly().waitFor();
        }
    }
}
