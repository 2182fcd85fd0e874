package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 7: the planted-link rule judged a directory by where it lies, so that every
 * directory under {@code /etc}, {@code /opt}, {@code /usr}, {@code /var} or {@code /run} was
 * "system" and its links were followed — {@code /run/lock} (1777), a service's home under
 * {@code /var/lib} owned by its user, a group-writable directory — and the links of
 * {@code /proc/PID} ({@code cwd}) led wherever another process had gone. Now a link is followed
 * only in a directory that root alone can write; the control is the same link in such a directory,
 * followed. Runs as root (the owner and mode are set by the test).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class PlantedLinkOwnershipTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Path system;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("SKIPPED PlantedLinkOwnershipTest: needs root to give directories other owners");
        }
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give directories other owners");
        this.host = host;
        // under /var/lib: a "system directory" by its place, which is what the old rule looked at
        system = Files.createTempDirectory(Path.of("/var/lib"), "aws-sandbox-link-owner-");
        Files.setPosixFilePermissions(system, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (system != null) {
            try (Stream<Path> paths = Files.walk(system)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path keyDirectory() {
        return host.home().resolve(".ssh");
    }

    private Path key() {
        return keyDirectory().resolve("id_ed25519");
    }

    /** A directory under /var/lib with this owner and mode, holding a link {@code k} to ~/.ssh. */
    private Path linkIn(String name, int uid, int mode) throws Exception {
        Path dir = Files.createDirectory(system.resolve(name));
        Path link = Files.createSymbolicLink(dir.resolve("k"), keyDirectory());
        Files.setAttribute(dir, "unix:uid", uid);
        Files.setAttribute(dir, "unix:mode", mode);
        return link;
    }

    private ExecResult readThrough(Path link) throws Exception {
        HostEnvironment env = host.environment();
        Sandbox sandbox = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addReadPath(link.toString())
                .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        return sandbox.run("cat", link.resolve("id_ed25519").toString());
    }

    @Test
    void aLinkInADirectoryAnotherUserOwnsIsRefused() throws Exception {
        Path link = linkIn("service-home", 65534, 0755);
        assertThatThrownBy(() -> readThrough(link)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("goes through the symbolic link " + link).hasMessageContaining("could have planted it");
        assertThat(Files.readString(link.resolve("id_ed25519"))).isEqualTo(Files.readString(key())); // it leads there
    }

    @Test
    void aLinkInAGroupOrWorldWritableDirectoryIsRefused() throws Exception {
        for (int mode : new int[] {0775, 01777}) {
            Path link = linkIn("shared-" + Integer.toOctalString(mode), 0, mode);
            assertThatThrownBy(() -> readThrough(link)).as(Integer.toOctalString(mode)).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("could have planted it");
        }
    }

    /** The control: the same link in a directory only root can write is the host's own, and is followed. */
    @Test
    void theSameLinkInADirectoryOnlyRootWritesIsFollowed() throws Exception {
        Path link = linkIn("root-only", 0, 0755);
        ExecResult followed = readThrough(link);
        assertThat(followed.isSuccess()).as(followed.stderr().text()).isTrue();
        assertThat(followed.stdout().text()).isEqualTo(Files.readString(key()));
    }

    /** /proc/PID/cwd leads wherever that process went: here, a process that sits in ~/.ssh. */
    @Test
    void theLinksOfAnotherProcessInProcAreRefused() throws Exception {
        Process sitting = new ProcessBuilder("sleep", "60").directory(keyDirectory().toFile()).start();
        try {
            Path cwd = Path.of("/proc", Long.toString(sitting.pid()), "cwd");
            assertThat(Files.readString(cwd.resolve("id_ed25519"))).isEqualTo(Files.readString(key())); // control
            assertThatThrownBy(() -> readThrough(cwd)).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("leads wherever that process is looking");
        } finally {
            sitting.destroyForcibly();
            sitting.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** And the unsandboxed run of each refused read works (the refusal is the sandbox's). */
    @Test
    void unsandboxedTheReadWorks() throws Exception {
        Path link = linkIn("outside-control", 65534, 0755);
        ExecResult outside = Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("cat", link.resolve("id_ed25519").toString());
        assertThat(outside.stdout().text()).isEqualTo(Files.readString(key()));
    }
}
