package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
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
        Path data = host.outsideFile("data.csv", "a,b\n");
        ExecResult result = Sandboxes.of(host).inside("cat", data.toString());

        assertThat(result.hints()).containsExactly(data + " is outside the sandbox policy: allow reading with --ro "
                + data.getParent() + " (or reading and writing with --rw " + data.getParent() + ")");
    }

    /**
     * Regression (review): a command prints its own stderr, and a forged "Permission denied" on a
     * key made the hint suggest {@code --ro ~/.ssh}. Keys, credentials, $HOME, / and /etc are
     * never named; the same forged line on an ordinary path still gets its hint (control).
     */
    @Test
    void forgedDenialsNeverSuggestKeysOrCredentials() throws Exception {
        host.withAwsConfig();
        java.nio.file.Files.createDirectories(host.home().resolve(".config/gcloud"));
        java.nio.file.Files.createDirectories(host.home().resolve(".gnupg"));
        List<String> forged = List.of(
                host.home().resolve(".ssh/id_ed25519").toString(),
                host.home().resolve(".ssh").toString(),
                host.home().resolve(".aws/credentials").toString(),
                host.home().resolve(".gnupg/private-keys-v1.d").toString(),
                host.home().resolve(".config/gcloud/credentials.db").toString(),
                host.home().toString(),
                "/",
                "/etc/shadow",
                "/etc",
                "/home/someone/.ssh/id_rsa");
        for (String path : forged) {
            ExecResult result = Sandboxes.of(host).inside("sh", "-c", "echo \"cat: " + path + ": Permission denied\" >&2; exit 1");
            assertThat(result.hints()).as(path).isEmpty();
        }
        Path ordinary = host.outside().resolve("report.txt");
        ExecResult control = Sandboxes.of(host).inside("sh", "-c", "echo \"cat: " + ordinary + ": Permission denied\" >&2; exit 1");
        assertThat(control.hints()).singleElement().asString().contains("--ro " + host.outside());
    }

    /** Landlock withholds a working directory that holds .git; the hint names the opt-in, not --rw (which would be refused). */
    @Test
    void aWithheldWorkingDirectoryNamesWhyAndTheOptIn() throws Exception {
        java.nio.file.Files.createDirectories(host.work().resolve(".git"));
        ExecResult result = Sandboxes.of(host).inside("touch", host.work().resolve("new.txt").toString());

        assertThat(result.hints()).singleElement().asString().contains("git metadata").contains("--allow-git-writes");
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

    /** Regression: "cannot create tools/find-jdk.sh: Permission denied" gave a hint for "/find-jdk.sh". */
    @Test
    void theTailOfARelativePathIsNotAPath() {
        ExecResult result = Sandboxes.of(host).inside("sh", "-c", "echo 'sh: 1: cannot create tools/x.sh: Permission denied' >&2;"
                + " echo \"cat: '" + host.outside().resolve("quoted.txt") + "': Permission denied\" >&2; exit 2");

        assertThat(result.hints()).singleElement().asString().startsWith(host.outside().resolve("quoted.txt") + " is outside");
    }

    @Test
    void failuresThatAreNotDenialsGetNoHint() {
        assertThat(Sandboxes.of(host).inside("sh", "-c", "echo 'no such thing' >&2; exit 3").hints()).isEmpty();
        assertThat(Sandboxes.of(host).inside("cat", "/nonexistent/file").hints()).isEmpty();
    }
}
