package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@code /etc/pki} a link to a data volume (red team, round 21, F3 c): its {@code private}
 * directory is left out of {@code --ro /etc} and {@code --ro /}, and refused when named, on both
 * backends; the certificates stay readable. An integration test because it changes the host's
 * {@code /etc/pki}, which holds default grants: the unit tests run in two JVMs at once, and the
 * other one's commands would see a grant change under them. Integration tests run it alone (@Isolated).
 */
// alone, with no other test class beside it: it makes the host's /etc/pki a link while it runs: a command planned meanwhile (another class's) sees a grant change under it and is refused (CI5: McpEndToEndIT's)
@Isolated
class KeyStoreLinkIT {

    private record Run(int code, String output) {}

    private static Run run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toAbsolutePath().toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(Path.of("/var/tmp").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aKeyStoreThatIsALinkKeepsItsPrivateDirectoryOut() throws Exception {
        Requirements.requireLandlock();
        Path store = Path.of("/etc/pki");
        Assumptions.assumeFalse(Files.exists(store, LinkOption.NOFOLLOW_LINKS),
                "SKIPPED: /etc/pki exists here; the test would make it a link");
        Assumptions.assumeTrue(Files.isWritable(Path.of("/etc")), "SKIPPED: /etc is not writable (the test runs as root)");
        Path volume = Path.of("/srv", "aws-sandbox-test-" + ProcessHandle.current().pid() + "-pki");
        try {
            Files.createDirectories(volume.resolve("tls/private"));
            Files.createDirectories(volume.resolve("tls/certs"));
            Files.writeString(volume.resolve("tls/private/server.key"), "PKI-KEY-BAIT");
            Files.writeString(volume.resolve("tls/certs/ca.pem"), "PKI-CERT");
            Files.createSymbolicLink(store, volume);
            assertThat(Files.readString(store.resolve("tls/private/server.key"))).isEqualTo("PKI-KEY-BAIT"); // control

            List<String> backends = new ArrayList<>(List.of("landlock"));
            if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
                backends.add("bubblewrap");
            } else {
                System.err.println("SKIPPED bubblewrap: not available here");
            }
            for (String backend : backends) {
                for (String grant : List.of("/etc", "/")) {
                    Run key = run("run", "--backend", backend, "--ro", grant, "--", "cat", "/etc/pki/tls/private/server.key",
                            volume.resolve("tls/private/server.key").toString());
                    assertThat(key.output()).as(backend + " --ro " + grant).doesNotContain("PKI-KEY-BAIT");
                    assertThat(key.code()).isNotZero();
                    // the certificate at its resolved path (bubblewrap does not recreate the link /etc/pki)
                    Run cert = run("run", "--backend", backend, "--ro", grant, "--", "cat", volume.resolve("tls/certs/ca.pem").toString());
                    assertThat(cert.output()).as(backend + " --ro " + grant + ": the certificate").contains("PKI-CERT");
                }
                for (String named : List.of("/etc/pki/tls/private", volume.resolve("tls/private").toString())) {
                    Run refused = run("run", "--backend", backend, "--ro", named, "--", "true");
                    assertThat(refused.code()).as(backend + " --ro " + named + ": " + refused.output()).isEqualTo(2);
                }
            }
        } finally {
            Files.deleteIfExists(store);
            if (Files.exists(volume)) {
                try (var paths = Files.walk(volume)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
