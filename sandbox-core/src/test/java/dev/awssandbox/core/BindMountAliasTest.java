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
 * Red team, round 8: the checks that keep {@code /tmp}, {@code $HOME} and aws-sandbox's own
 * installation out of a writable grant compared paths, and a bind mount gives a directory a second
 * name: {@code --rw} of a bind of the installation rewrote the jar, of a bind of {@code /tmp}
 * reached the JVMs' performance data. A write grant is now judged under every name the mount table
 * gives it; the control is a bind of an ordinary directory, which is granted, and the unsandboxed
 * write through each alias, which reaches the original. Runs as root (it mounts).
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class BindMountAliasTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private final List<Path> mounted = new ArrayList<>();

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        boolean root = "root".equals(System.getProperty("user.name")) && Requirements.which("mount").isPresent();
        if (!root) {
            System.err.println("SKIPPED BindMountAliasTest: needs root and mount(8) to make bind mounts");
        }
        assumeTrue(root, "needs root and mount(8)");
        this.host = host;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path point : mounted.reversed()) {
            new ProcessBuilder("umount", "-l", point.toString()).inheritIO().start().waitFor();
        }
    }

    private Path bind(Path source, Path point) throws Exception {
        Files.createDirectories(point);
        int status = new ProcessBuilder("mount", "--bind", source.toString(), point.toString()).inheritIO().start().waitFor();
        assertThat(status).as("mount --bind " + source + " " + point).isZero();
        mounted.add(point);
        return point;
    }

    private ExecResult writeThrough(Path granted, Path file) throws Exception {
        HostEnvironment env = host.environment();
        Sandbox sandbox = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addWritePath(granted.toString())
                .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        return sandbox.run("sh", "-c", "echo planted > " + file);
    }

    @Test
    void aBindOfHomeOrOfTmpIsRefused() throws Exception {
        Path homeAlias = bind(host.home(), host.outside().resolve("home-alias"));
        assertThatThrownBy(() -> writeThrough(homeAlias, homeAlias.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("under another name (a bind mount)").hasMessageContaining(host.home().toString());
        assertThat(host.home().resolve(".bashrc")).doesNotExist();

        Path tmpAlias = bind(Path.of("/tmp"), host.outside().resolve("tmp-alias"));
        assertThatThrownBy(() -> writeThrough(tmpAlias, tmpAlias.resolve("planted"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds /tmp under another name");

        // the negative control: unsandboxed, the alias is the original
        Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("sh", "-c", "echo planted > " + homeAlias.resolve(".bashrc"));
        assertThat(host.home().resolve(".bashrc")).hasContent("planted");
    }

    /** A project directory with a bind of $HOME mounted inside it reaches $HOME too. */
    @Test
    void aDirectoryWithABindOfHomeMountedInsideIsRefused() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("project"));
        bind(host.home(), project.resolve("h"));
        assertThatThrownBy(() -> writeThrough(project, project.resolve("h/.bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds " + host.home());
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
    }

    /** The control: a bind of an ordinary directory is granted, and the write lands in the original. */
    @Test
    void aBindOfAnOrdinaryDirectoryIsGranted() throws Exception {
        Path data = Files.createDirectories(host.outside().resolve("data"));
        Path alias = bind(data, host.outside().resolve("data-alias"));
        ExecResult wrote = writeThrough(alias, alias.resolve("out.txt"));
        assertThat(wrote.isSuccess()).as(wrote.stderr().text()).isTrue();
        assertThat(data.resolve("out.txt")).hasContent("planted");
    }
}
