package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failure caused by the sandbox says which option would have allowed it. */
class DenialHintsTest {
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

    @Test
    void aDeniedReadNamesTheRoOption() {
        Path key = host.home().resolve(".ssh/id_ed25519");
        ExecResult result = Sandboxes.of(host).inside("cat", key.toString());

        assertThat(result.hints()).containsExactly(key + " is outside the sandbox policy: allow reading with --ro "
                + key.getParent() + " (or reading and writing with --rw " + key.getParent() + ")");
    }

    @Test
    void aDeniedWriteToAReadOnlyPathNamesTheRwOption() {
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Path file = host.outside().resolve("new.txt");

        ExecResult result = Sandboxes.of(host.environment(), policy).inside("touch", file.toString());

        assertThat(result.hints()).containsExactly(file + " is read-only in the sandbox: allow writing beneath "
                + host.outside() + " with --rw " + host.outside());
    }

    @Test
    void homeItselfIsNeverSuggested() {
        Path file = host.home().resolve("notes.txt");
        ExecResult result = Sandboxes.of(host).inside("touch", file.toString());

        assertThat(result.hints()).singleElement().asString().contains("--ro " + file).doesNotContain("--ro " + host.home() + " ");
    }

    @Test
    void aRefusedConnectionNamesTheNetwork() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
            ExecResult result = Sandboxes.of(host.environment(), offline)
                    .inside("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort());

            assertThat(result.hints()).singleElement().asString().contains("the network is off");
        }
    }

    @Test
    void failuresThatAreNotDenialsGetNoHint() {
        assertThat(Sandboxes.of(host).inside("sh", "-c", "echo 'no such thing' >&2; exit 3").hints()).isEmpty();
        assertThat(Sandboxes.of(host).inside("cat", "/nonexistent/file").hints()).isEmpty();
    }
}
