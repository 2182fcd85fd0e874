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
     * By default only what a TLS client reads of {@code /etc/ssl} is given: a key put straight into
     * {@code /etc/ssl}, or into a directory of it not named {@code private} (as libvirt does in
     * {@code /etc/pki/qemu}), was readable by every command (red team, round 20, F10).
     */
    @Test
    void keysOutsideAPrivateDirectoryAreNotReadableByDefault() throws Exception {
        Path loose = Path.of("/etc/ssl", "aws-sandbox-test-" + ProcessHandle.current().pid() + "-server.key");
        Path serviceDir = Path.of("/etc/ssl", "aws-sandbox-test-" + ProcessHandle.current().pid() + "-qemu");
        Path serviceKey = serviceDir.resolve("server-key.pem");
        try {
            Files.writeString(loose, "LOOSE-KEY-BAIT");
            Files.createDirectory(serviceDir);
            Files.writeString(serviceKey, "SERVICE-KEY-BAIT");
            Sandboxes sandboxes = Sandboxes.of(host, backend);

            for (Path key : java.util.List.of(loose, serviceKey)) {
                ExecResult inside = sandboxes.inside("cat", key.toString());
                assertThat(inside.stdout().text()).as(key.toString()).doesNotContain("BAIT");
                assertThat(inside.isSuccess()).isFalse();
                assertThat(sandboxes.outside("cat", key.toString()).stdout().text()).contains("BAIT"); // control
            }
            ExecResult certificates = sandboxes.inside("sh", "-c", "ls /etc/ssl/certs | head -1; cat /etc/ssl/openssl.cnf | head -1");
            assertThat(certificates.stdout().text().lines()).as(certificates.stderr().text()).hasSize(2);
        } finally {
            Files.deleteIfExists(serviceKey);
            Files.deleteIfExists(serviceDir);
            Files.deleteIfExists(loose);
        }
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

    /**
     * Regression (red team, round 20, F3): the carve-out knew only {@code /etc/ssl} and
     * {@code /etc/pki}; with {@code --ro /etc} or {@code --ro /}, certbot's keys, ssh host keys,
     * WireGuard's keys, a {@code private} directory of another service and the password hashes were
     * readable. Each is planted here under the real {@code /etc} (names unique to this run, removed
     * after; a store that already exists on the host is left alone and not planted in), readable
     * unsandboxed (control), not sandboxed; the rest of the directory that holds it stays readable
     * (control), and a grant of the store itself is refused.
     */
    @Test
    void aBroadGrantLeavesTheHostsOtherSecretStoresOut() throws Exception {
        String id = "aws-sandbox-test-" + ProcessHandle.current().pid();
        java.util.List<Path> created = new java.util.ArrayList<>(); // removed in reverse order
        java.util.List<Path> secrets = new java.util.ArrayList<>();
        try {
            secrets.add(plant(Path.of("/etc/letsencrypt/archive/" + id + ".example/privkey1.pem"), created));
            secrets.add(plant(Path.of("/etc/wireguard/" + id + ".conf"), created));
            secrets.add(plant(Path.of("/etc/" + id + "/private/service.key"), created));
            secrets.add(plant(Path.of("/etc/ssh/ssh_host_" + id.replace('-', '_') + "_key"), created));
            secrets.add(plant(Path.of("/etc/" + id + ".keytab"), created));
            Path publicKey = plant(Path.of("/etc/ssh/ssh_host_" + id.replace('-', '_') + "_key.pub"), created);
            Path renewal = plant(Path.of("/etc/letsencrypt/renewal/" + id + ".conf"), created);
            Assumptions.assumeTrue(secrets.stream().allMatch(Files::exists), "SKIPPED: cannot plant in /etc here");
            for (String granted : java.util.List.of("/etc", "/")) {
                SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(granted).build();
                Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);
                java.util.List<Path> unreadable = new java.util.ArrayList<>(secrets);
                unreadable.add(Path.of("/etc/shadow"));
                for (Path secret : unreadable) {
                    if (!Files.exists(secret)) {
                        continue;
                    }
                    ExecResult read = sandboxes.inside("head", "-c", "1", secret.toString());
                    assertThat(read.isSuccess()).as(granted + ": " + secret + " " + read.stdout().text()).isFalse();
                    assertThat(sandboxes.outside("head", "-c", "1", secret.toString()).isSuccess())
                            .as("control: readable unsandboxed " + secret).isTrue();
                }
                for (Path readable : java.util.List.of(publicKey, renewal, Path.of("/etc/passwd"))) {
                    ExecResult read = sandboxes.inside("head", "-c", "1", readable.toString());
                    assertThat(read.isSuccess()).as("control: " + granted + ": " + readable + " " + read.stderr().text())
                            .isTrue();
                }
            }
            for (String store : java.util.List.of("/etc/letsencrypt/archive", "/etc/wireguard", "/etc/" + id + "/private",
                    secrets.get(3).toString(), secrets.get(4).toString(), "/etc/shadow")) {
                if (!Files.exists(Path.of(store))) {
                    continue;
                }
                SandboxPolicy refused = SandboxPolicy.builder(host.environment()).addReadPath(store).build();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sandboxes.of(host.environment(), refused, backend)
                        .inside("true")).as(store).hasMessageContaining("which holds");
            }
            SandboxPolicy writable = SandboxPolicy.builder(host.environment()).addWritePath("/etc/ssh").build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sandboxes.of(host.environment(), writable, backend)
                    .inside("true")).hasMessageContaining("the host's secret stores");
        } finally {
            for (Path path : created.reversed()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Creates {@code file} (0600) and the directories it needs (0700), recording what did not exist before. */
    private static Path plant(Path file, java.util.List<Path> created) throws Exception {
        java.util.List<Path> missing = new java.util.ArrayList<>();
        for (Path dir = file.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
            missing.addFirst(dir);
        }
        for (Path dir : missing) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            created.add(dir);
        }
        Files.writeString(file, "SECRET-BAIT\n");
        created.add(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
