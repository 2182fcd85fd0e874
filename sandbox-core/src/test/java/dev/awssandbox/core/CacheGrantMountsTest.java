package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 23, F6: the AWS CLI's caches ({@code ~/.aws/cli/cache}, {@code ~/.aws/sso/cache},
 * and the history when enabled) are writable by default, and were not judged by the mount table as
 * a {@code --rw} is ({@link BindMountAliasTest}): a bind of {@code ~/.ssh} made beforehand at
 * {@code ~/.aws/sso/cache} was granted read-write, and a command wrote {@code authorized_keys}.
 * Now a cache that is a mount point, has a mount beneath it or a mount on the way from
 * {@code ~/.aws} is not granted (a warning says why); the other caches are. The negative control
 * is the same write unsandboxed, which reaches {@code ~/.ssh}. Runs as root (it mounts; the unit
 * test JVMs have mount namespaces of their own, so the binds are this JVM's only).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class CacheGrantMountsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private final List<Path> mounted = new ArrayList<>();

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        boolean root = "root".equals(System.getProperty("user.name")) && Requirements.which("mount").isPresent();
        if (!root) {
            System.err.println("SKIPPED CacheGrantMountsTest: needs root and mount(8) to make bind mounts");
        }
        assumeTrue(root, "needs root and mount(8)");
        this.host = host.withAwsConfig();
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path point : mounted.reversed()) {
            new ProcessBuilder("umount", "-l", point.toString()).inheritIO().start().waitFor();
        }
    }

    private void bind(Path source, Path point) throws Exception {
        Files.createDirectories(point);
        int status = new ProcessBuilder("mount", "--bind", source.toString(), point.toString()).inheritIO().start().waitFor();
        assertThat(status).as("mount --bind " + source + " " + point).isZero();
        mounted.add(point);
    }

    private Sandboxes sandboxes() {
        HostEnvironment env = host.environment();
        return Sandboxes.of(env, SandboxPolicy.defaults(env), backend);
    }

    private static String write(Path file) {
        return "echo planted > " + file + " && echo WROTE";
    }

    /**
     * A bind of {@code ~/.ssh} at {@code ~/.aws/sso/cache}: the cache was not made writable since
     * round 23, but the read grant of {@code ~/.aws} reached the keys through it (open in round 23's
     * notes). Now {@code ~/.aws} is not granted at all while a mount beneath it shows another place.
     * Negative control: unsandboxed, the key is read and the write lands in {@code ~/.ssh}.
     */
    @Test
    void aBindOfSshAtTheSsoCacheIsNotGranted() throws Exception {
        Path ssh = host.home().resolve(".ssh");
        Path ssoCache = host.home().resolve(".aws/sso/cache");
        bind(ssh, ssoCache);
        Sandboxes sandboxes = sandboxes();

        ExecResult planted = sandboxes.inside("sh", "-c", write(ssoCache.resolve("authorized_keys")) + "; cat "
                + ssoCache.resolve("id_ed25519"));
        assertThat(planted.stdout().text()).doesNotContain("WROTE").doesNotContain("FAKE PRIVATE KEY");
        assertThat(ssh.resolve("authorized_keys")).doesNotExist();
        assertThat(planted.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("is not granted (nor its caches)")
                .contains(ssoCache + " is a mount point beneath it that shows " + ssh));
        // negative control: unsandboxed, the key is read and the write lands in ~/.ssh
        assertThat(sandboxes.outside("sh", "-c", write(ssoCache.resolve("authorized_keys")) + "; cat "
                + ssoCache.resolve("id_ed25519")).stdout().text()).contains("WROTE").contains("FAKE PRIVATE KEY");
        assertThat(ssh.resolve("authorized_keys")).exists();
    }

    /** Beneath a cache or on the way to it: {@code ~/.aws} shows places of elsewhere, and is not granted. */
    @Test
    void aMountBeneathOrOnTheWayToACacheDropsIt() throws Exception {
        Path ssh = host.home().resolve(".ssh");
        // beneath: ~/.aws/cli/cache/keys is ~/.ssh
        Path beneath = host.home().resolve(".aws/cli/cache/keys");
        bind(ssh, beneath);
        // on the way: ~/.aws/sso is a bind of a directory whose cache is a victim's
        Path elsewhere = Files.createDirectories(host.outside().resolve("elsewhere/cache"));
        bind(elsewhere.getParent(), host.home().resolve(".aws/sso"));
        Sandboxes sandboxes = sandboxes();

        ExecResult result = sandboxes.inside("sh", "-c", write(beneath.resolve("authorized_keys")) + "; "
                + write(host.home().resolve(".aws/sso/cache/token")) + "; cat " + beneath.resolve("id_ed25519"));
        assertThat(result.stdout().text()).doesNotContain("WROTE").doesNotContain("FAKE PRIVATE KEY");
        assertThat(ssh.resolve("authorized_keys")).doesNotExist();
        assertThat(elsewhere.resolve("token")).doesNotExist();
        assertThat(result.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("is not granted (nor its caches)")
                .contains("is a mount point beneath it that shows"));
        assertThat(sandboxes.outside("sh", "-c", write(host.home().resolve(".aws/sso/cache/token"))).stdout().text())
                .contains("WROTE");
        assertThat(elsewhere.resolve("token")).exists();
    }

    /**
     * A private tmpfs (seen nowhere else) beneath {@code ~/.aws} is {@code ~/.aws}'s own: the
     * directory stays readable (the mount rule above is not "any mount"); a cache that is such a
     * mount point is still not made writable (round 23, F6: the cache rule holds on its own), the
     * other cache is.
     */
    @Test
    void aPrivateTmpfsBeneathAwsKeepsTheGrantButNotThatCache() throws Exception {
        Path cliCache = Files.createDirectories(host.home().resolve(".aws/cli/cache"));
        int status = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", cliCache.toString())
                .inheritIO().start().waitFor();
        assertThat(status).as("mount -t tmpfs").isZero();
        mounted.add(cliCache);
        Sandboxes sandboxes = sandboxes();

        ExecResult result = sandboxes.inside("sh", "-c", "cat " + host.home().resolve(".aws/config") + "; "
                + write(cliCache.resolve("token")) + "; " + write(host.home().resolve(".aws/sso/cache/token")));

        assertThat(result.stdout().text()).contains("region").containsOnlyOnce("WROTE");
        assertThat(cliCache.resolve("token")).doesNotExist();
        assertThat(host.home().resolve(".aws/sso/cache/token")).exists();
        assertThat(result.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("cli/cache is not granted")
                .contains(cliCache + " is a mount point"));
    }

    @Test
    void aMountOfAwsItselfKeepsItsCaches() throws Exception {
        // a container given the host's ~/.aws: the caches are that directory's own
        Path shared = Files.createDirectories(host.outside().resolve("host-aws"));
        Files.writeString(shared.resolve("config"), "[default]\nregion = us-east-1\n");
        bind(shared, host.home().resolve(".aws"));
        ExecResult result = sandboxes().inside("sh", "-c", write(host.home().resolve(".aws/cli/cache/token")));
        assertThat(result.stdout().text()).as(result.stderr().text()).contains("WROTE");
        assertThat(shared.resolve("cli/cache/token")).exists();
    }
}
