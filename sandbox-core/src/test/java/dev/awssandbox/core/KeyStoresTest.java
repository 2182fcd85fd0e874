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
}
