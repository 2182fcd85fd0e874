package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The certificate stores are readable by default, their private keys are not: root inside the
 * sandbox read {@code /etc/ssl/private} (red team, round 2; root owns the files, so dropping
 * capabilities does not help). The certificates themselves stay readable (control).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class KeyStoresTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Path bait;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        Path keys = Path.of("/etc/ssl/private");
        Assumptions.assumeTrue(Files.isDirectory(keys) && Files.isWritable(keys),
                () -> "SKIPPED: no writable /etc/ssl/private here (the test plants its own key file there, as root)");
        this.host = host;
        bait = keys.resolve("aws-sandbox-test-" + ProcessHandle.current().pid() + ".key");
        Files.writeString(bait, "PRIVATE-KEY-BAIT");
        Files.setPosixFilePermissions(bait, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bait != null) {
            Files.deleteIfExists(bait);
        }
    }

    @Test
    void privateKeysAreNotReadableButCertificatesAre() {
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult key = sandboxes.inside("cat", bait.toString());
        ExecResult listing = sandboxes.inside("ls", "/etc/ssl/private");
        ExecResult certificates = sandboxes.inside("sh", "-c", "ls /etc/ssl/certs | head -1");

        assertThat(key.stdout().text()).doesNotContain("PRIVATE-KEY-BAIT");
        assertThat(key.isSuccess()).isFalse();
        assertThat(listing.stdout().text()).doesNotContain(bait.getFileName().toString());
        assertThat(certificates.stdout().text()).as(certificates.stderr().text()).isNotBlank();
        assertThat(sandboxes.outside("cat", bait.toString()).stdout().text()).isEqualTo("PRIVATE-KEY-BAIT"); // control
    }

    /**
     * Regression (red team, round 19, F11): {@code --ro /etc} and {@code --ro /} gave
     * {@code /etc/ssl/private} whole, though the docs list the keys as an exception even for
     * explicit grants. A grant that holds a key store is granted around it, entry by entry, on
     * every backend; the rest of what it holds stays readable (controls: {@code /etc/hostname}-like
     * files and the certificates), the key is readable unsandboxed, and an explicit grant of the
     * private directory itself is refused.
     */
    @Test
    void aGrantThatHoldsAKeyStoreLeavesItsPrivateKeysOut() throws Exception {
        for (String granted : java.util.List.of("/etc", "/")) {
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(granted).build();
            Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);

            ExecResult key = sandboxes.inside("cat", bait.toString());
            assertThat(key.stdout().text()).as(granted).doesNotContain("PRIVATE-KEY-BAIT");
            assertThat(key.isSuccess()).as(granted).isFalse();
            ExecResult rest = sandboxes.inside("sh", "-c", "cat /etc/os-release | head -1; ls /etc/ssl/certs | head -1");
            assertThat(rest.stdout().text().lines().count()).as(granted + ": " + rest.stderr().text()).isEqualTo(2);
            assertThat(sandboxes.outside("cat", bait.toString()).stdout().text()).isEqualTo("PRIVATE-KEY-BAIT"); // control
        }
        for (SandboxPolicy refused : java.util.List.of(
                SandboxPolicy.builder(host.environment()).addReadPath("/etc/ssl/private").build(),
                SandboxPolicy.builder(host.environment()).addWritePath("/etc").build())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sandboxes.of(host.environment(), refused, backend)
                    .inside("cat", bait.toString())).hasMessageContaining("the host's TLS private keys");
        }
    }
}
