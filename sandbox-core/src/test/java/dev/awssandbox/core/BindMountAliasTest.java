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

    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path point : mounted.reversed()) {
            new ProcessBuilder("umount", "-l", point.toString()).inheritIO().start().waitFor();
        }
        for (Process daemon : daemons) {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    /** Waits (5 s at most) until {@code point} is a mount point in this namespace. */
    private static void awaitMount(Path point) throws Exception {
        String listed = " " + point + " ";
        for (int i = 0; i < 100; i++) {
            if (Files.readString(Path.of("/proc/self/mountinfo")).contains(listed)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(point + " was not mounted within 5 s");
    }

    private Path bind(Path source, Path point) throws Exception {
        if (!Files.exists(point)) {
            Files.createDirectories(point);
        }
        int status = new ProcessBuilder("mount", "--bind", source.toString(), point.toString()).inheritIO().start().waitFor();
        assertThat(status).as("mount --bind " + source + " " + point).isZero();
        mounted.add(point);
        return point;
    }

    /**
     * Mounts an overlay with {@code options} at {@code point}, typed in {@code directory} (relative
     * layers are read from there), or skips the test where this kernel cannot.
     */
    private void overlay(String options, Path point, Path directory) throws Exception {
        int status = new ProcessBuilder("mount", "-t", "overlay", "aws-sandbox-test", "-o", options, point.toString())
                .directory(directory.toFile()).inheritIO().start().waitFor();
        if (status != 0) {
            System.err.println("SKIPPED the overlay case: this kernel or file system cannot mount one here");
            assumeTrue(false, "no overlay mount here");
        }
        mounted.add(point);
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
                .hasMessageContaining("reaches " + host.home() + " through a mount");
        assertThat(host.home().resolve(".bashrc")).doesNotExist();

        Path tmpAlias = bind(Path.of("/tmp"), host.outside().resolve("tmp-alias"));
        assertThatThrownBy(() -> writeThrough(tmpAlias, tmpAlias.resolve("planted"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches /tmp through a mount");

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
                .hasMessageContaining("reaches " + host.home() + " through a mount");
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

    /**
     * Red team, round 9: what a bind mounted inside a granted directory shows from elsewhere was not
     * judged — a bind of ~/.ssh, of the one credentials file, of the JDK's conf directory — nor the
     * upper directory of an overlay. Each is refused now as if it were named; the control is a bind of
     * an ordinary directory inside a project, which is granted.
     */
    @Test
    void whatABindInsideShowsFromElsewhereIsJudgedAsIfNamed() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("project-with-binds"));
        Path keys = bind(host.home().resolve(".ssh"), project.resolve("keys"));
        assertThatThrownBy(() -> writeThrough(project, keys.resolve("authorized_keys"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + host.home().resolve(".ssh"));
        assertThat(host.home().resolve(".ssh/authorized_keys")).doesNotExist();

        Path other = Files.createDirectories(host.outside().resolve("project-with-a-file-bind"));
        Path credentials = Files.createFile(other.resolve("creds.ini"));
        Files.createDirectories(host.home().resolve(".aws"));
        if (!Files.exists(host.home().resolve(".aws/credentials"))) {
            Files.writeString(host.home().resolve(".aws/credentials"), "[default]\naws_access_key_id = AKIABINDTEST\n");
        }
        bind(host.home().resolve(".aws/credentials"), credentials);
        assertThatThrownBy(() -> writeThrough(other, credentials)).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + host.home().resolve(".aws/credentials"));

        Path third = Files.createDirectories(host.outside().resolve("project-with-jdk-conf"));
        Path conf = Path.of(System.getProperty("java.home"), "conf").toRealPath();
        bind(conf, third.resolve("conf"));
        assertThatThrownBy(() -> writeThrough(third, third.resolve("conf/planted"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + conf);
        assertThat(conf.resolve("planted")).doesNotExist();

        Path perfData = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"));
        if (Files.isDirectory(perfData)) { // truncating the JVM's file there crashed it with SIGBUS
            Path fifth = Files.createDirectories(host.outside().resolve("project-with-perf-data"));
            bind(perfData, fifth.resolve("perf"));
            assertThatThrownBy(() -> writeThrough(fifth, fifth.resolve("perf/x"))).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("reaches " + perfData);
        } else {
            System.err.println("SKIPPED the performance-data case: this JVM keeps none (" + perfData + ")");
        }

        // the control: an ordinary directory bound inside a project is granted, and written through
        Path data = Files.createDirectories(host.outside().resolve("plain-data"));
        Path fourth = Files.createDirectories(host.outside().resolve("project-with-data"));
        bind(data, fourth.resolve("data"));
        ExecResult wrote = writeThrough(fourth, fourth.resolve("data/out.txt"));
        assertThat(wrote.isSuccess()).as(wrote.stderr().text()).isTrue();
        assertThat(data.resolve("out.txt")).hasContent("planted");
    }

    /** An overlay whose upper directory is $HOME takes the writes made through it into $HOME. */
    @Test
    void anOverlayWhoseUpperDirectoryIsHomeIsRefused() throws Exception {
        Path lower = Files.createDirectories(host.outside().resolve("ovl-lower"));
        Path work = Files.createDirectories(host.home().getParent().resolve("ovl-work"));
        Path point = Files.createDirectories(host.outside().resolve("ovl"));
        overlay("lowerdir=" + lower + ",upperdir=" + host.home() + ",workdir=" + work, point, host.outside());
        assertThatThrownBy(() -> writeThrough(point, point.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("overlay mount " + point);
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
    }

    /**
     * Red team, round 10: the mount table lists an overlay's layers as they were typed, so
     * {@code upperdir=.} typed in $HOME read as a harmless relative path. An overlay at or beneath a
     * writable grant is refused whatever its layers say; the negative control is the write through
     * it unsandboxed, which lands in $HOME.
     */
    @Test
    void anOverlayWithARelativeUpperDirectoryIsRefusedToo() throws Exception {
        Path lower = Files.createDirectories(host.outside().resolve("ovl-lower-2"));
        Files.createDirectories(host.home().getParent().resolve("ovl-work-2"));
        Path project = Files.createDirectories(host.outside().resolve("project-with-overlay"));
        Path point = Files.createDirectories(project.resolve("o"));
        overlay("lowerdir=" + lower + ",upperdir=.,workdir=../ovl-work-2", point, host.home());
        assertThatThrownBy(() -> writeThrough(project, point.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("overlay mount " + point);
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
        Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("sh", "-c", "echo planted > " + point.resolve(".bashrc"));
        assertThat(host.home().resolve(".bashrc")).hasContent("planted"); // the control
    }
    /**
     * An overlay mounted above a writable grant shows the grant from its layers too: {@code --rw} of
     * a directory inside the overlay is refused like one at or holding it. The control: the same
     * directory before the overlay is mounted is granted.
     */
    @Test
    void anOverlayAboveTheGrantIsRefused() throws Exception {
        Path lower = Files.createDirectories(host.outside().resolve("ovl-lower-3"));
        Path upper = Files.createDirectories(host.outside().resolve("ovl-upper-3"));
        Path work = Files.createDirectories(host.outside().resolve("ovl-work-3"));
        Path point = Files.createDirectories(host.outside().resolve("ovl-3"));
        Path inside = Files.createDirectories(point.resolve("data"));
        ExecResult before = writeThrough(inside, inside.resolve("out.txt"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue(); // the control
        overlay("lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, point, host.outside());
        Files.createDirectories(inside);
        assertThatThrownBy(() -> writeThrough(inside, inside.resolve("out.txt"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("overlay mount " + point);
    }

    /**
     * The mount table is read again only when the kernel says it changed (a poll of
     * {@code /proc/self/mountinfo}): a directory granted in one plan and bound over $HOME before the
     * next is refused in the next. The first plan is the control.
     */
    @Test
    void aMountMadeBetweenTwoPlansIsSeenByTheSecond() throws Exception {
        Path data = Files.createDirectories(host.outside().resolve("later-alias"));
        ExecResult before = writeThrough(data, data.resolve("out.txt"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        bind(host.home(), data);
        assertThatThrownBy(() -> writeThrough(data, data.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + host.home() + " through a mount");
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
    }
    /**
     * Red team, round 11: $HOME was a bind of a directory inside a project, and the project (the
     * grant) reached it — the checks looked at mounts at or beneath the grant, not at the mounts
     * whose source the grant holds. The control: the same write unsandboxed lands in $HOME.
     */
    @Test
    void aGrantHoldingTheSourceOfABindOfHomeIsRefused() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("holds-home"));
        Path source = Files.createDirectories(project.resolve("home"));
        bind(source, host.home());
        assertThatThrownBy(() -> writeThrough(project, source.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + host.home() + " through a mount");
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
        Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("sh", "-c", "echo planted > " + source.resolve(".bashrc"));
        assertThat(host.home().resolve(".bashrc")).hasContent("planted"); // the control
    }

    /** Round 11: $HOME was an overlay whose layers lay in the project; the grant of the project reached it. */
    @Test
    void aGrantHoldingTheLayersOfAnOverlayAtHomeIsRefused() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("holds-layers"));
        Path lower = Files.createDirectories(project.resolve("low"));
        Path upper = Files.createDirectories(project.resolve("up"));
        Path work = Files.createDirectories(project.resolve("wk"));
        overlay("lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, host.home(), host.outside());
        // $HOME in an overlay: no writable directory is given at all (its layers could be anywhere)
        assertThatThrownBy(() -> writeThrough(project, upper.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("overlay mount " + host.home());
        assertThat(upper.resolve(".bashrc")).doesNotExist();
        // the control: the layer is $HOME's (a name no plan looks up: overlayfs keeps the negative entry of a name
        // looked up through it, and a file then written into the layer directly stays unseen, as the planner now looks
        // up the shells' start-up files)
        Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("sh", "-c", "echo planted > " + upper.resolve("planted-by-control"));
        assertThat(host.home().resolve("planted-by-control")).hasContent("planted");
    }

    /**
     * Round 11: a proc mount in a project (a chroot build directory) let a command write the host's
     * sysctls through it, and read every process's command line with only {@code --ro}. A kernel
     * interface beneath a grant is refused, writable or not; the control is the same project without it.
     */
    @Test
    void aKernelInterfaceMountedInAProjectIsRefusedForWritingAndReading() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("chroot-build"));
        Path proc = Files.createDirectories(project.resolve("rootfs/proc"));
        ExecResult before = writeThrough(project, project.resolve("out.txt"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue(); // the control
        int status = new ProcessBuilder("mount", "-t", "proc", "proc", proc.toString()).inheritIO().start().waitFor();
        assertThat(status).as("mount -t proc").isZero();
        mounted.add(proc);
        assertThat(proc.resolve("sys/kernel/hostname")).exists(); // the host's, through the project
        assertThatThrownBy(() -> writeThrough(project, project.resolve("out.txt"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds the proc mount " + proc);
        HostEnvironment env = host.environment();
        Sandbox reading = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addReadPath(project.toString())
                .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        assertThatThrownBy(() -> reading.run("cat", proc.resolve("1/cmdline").toString()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("holds the proc mount " + proc);
    }
    /**
     * Round 11: bindfs (FUSE) showed $HOME under a new name inside a project; what a user-space file
     * system shows cannot be told from the mount table, so one at, in or beneath a writable grant is
     * refused. The control: the write through it unsandboxed lands in $HOME.
     */
    @Test
    void aFuseMountInAProjectIsRefused() throws Exception {
        boolean fuse = Requirements.which("bindfs").isPresent() && Files.exists(Path.of("/dev/fuse"));
        if (!fuse) {
            System.err.println("SKIPPED the FUSE case: needs bindfs and /dev/fuse");
        }
        assumeTrue(fuse, "needs bindfs and /dev/fuse");
        Path project = Files.createDirectories(host.outside().resolve("with-fuse"));
        Path point = Files.createDirectories(project.resolve("fx"));
        // in the foreground, a child in the JVM's session: a daemon (setsid) is an escaped orphan to
        // the sweep that runs after commands when the JVM is the child subreaper, and was killed
        Process bindfs = new ProcessBuilder("bindfs", "-f", host.home().toString(), point.toString()).inheritIO().start();
        daemons.add(bindfs);
        awaitMount(point);
        mounted.add(point);
        assertThatThrownBy(() -> writeThrough(project, point.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds the fuse").hasMessageContaining("mount " + point + ", a user-space file system");
        assertThatThrownBy(() -> writeThrough(point, point.resolve(".bashrc"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("is the fuse").hasMessageContaining("mount " + point + ", a user-space file system");
        assertThat(host.home().resolve(".bashrc")).doesNotExist();
        Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment()), backend)
                .outside("sh", "-c", "echo planted > " + point.resolve(".bashrc"));
        assertThat(host.home().resolve(".bashrc")).hasContent("planted"); // the control
    }
    /**
     * Round 12: ~/.ssh was an overlay whose upper directory, typed relative ({@code upperdir=up}),
     * lay in the project; the mount table cannot say where an overlay's layers are, so while a
     * protected place is in one, no writable directory is given. The control: the same project
     * before the overlay is mounted.
     */
    @Test
    void whileSshIsAnOverlayNoWritableDirectoryIsGiven() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("typed-layers"));
        Files.createDirectories(project.resolve("up"));
        Files.createDirectories(project.resolve("wk"));
        Files.createDirectories(host.outside().resolve("low"));
        ExecResult before = writeThrough(project, project.resolve("out.txt"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue(); // the control
        Path ssh = host.home().resolve(".ssh");
        overlay("lowerdir=../low,upperdir=up,workdir=wk", ssh, project);
        assertThatThrownBy(() -> writeThrough(project, project.resolve("up/authorized_keys"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("overlay mount " + ssh).hasMessageContaining("no writable directory is given");
        assertThat(ssh.resolve("authorized_keys")).doesNotExist();
    }

    /**
     * Round 12: the MCP server judged with a table cached until a mount changed, and a rename
     * changes the table without one: a directory bound over ~/.ssh, moved into the workspace
     * after the first call, was written in the next. Each plan reads the table afresh.
     */
    @Test
    void aBoundDirectoryMovedIntoTheGrantBetweenTwoPlansIsSeenByTheSecond() throws Exception {
        Path project = Files.createDirectories(host.outside().resolve("receives"));
        Path keys = Files.createDirectories(host.outside().resolve("stage/keys"));
        bind(keys, host.home().resolve(".ssh"));
        ExecResult before = writeThrough(project, project.resolve("out.txt"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue(); // the control
        Files.move(keys, project.resolve("keys"));
        assertThatThrownBy(() -> writeThrough(project, project.resolve("keys/authorized_keys"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("reaches " + host.home().resolve(".ssh") + " through a mount");
        assertThat(host.home().resolve(".ssh/authorized_keys")).doesNotExist();
    }
    /**
     * Round 13: the protected places of the untraceable-mount rule were a list ($HOME, ~/.ssh, the
     * installation, …); a bindfs of a project directory over a git repository's hooks, or over a
     * directory on PATH, planted code that ran later. The rule now covers every place the working
     * directory's rule refuses, and git directories. The control: the same project before the mount.
     */
    @Test
    void whileGitHooksAreAFuseMountOfTheProjectNoWritableDirectoryIsGiven() throws Exception {
        boolean fuse = Requirements.which("bindfs").isPresent() && Files.exists(Path.of("/dev/fuse"));
        if (!fuse) {
            System.err.println("SKIPPED the FUSE case: needs bindfs and /dev/fuse");
        }
        assumeTrue(fuse, "needs bindfs and /dev/fuse");
        Path project = Files.createDirectories(host.outside().resolve("plants-hooks"));
        Path source = Files.createDirectories(project.resolve("x"));
        Path hooks = Files.createDirectories(host.outside().resolve("repo/.git/hooks"));
        ExecResult before = writeThrough(project, source.resolve("post-checkout"));
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue(); // the control
        Files.delete(source.resolve("post-checkout"));
        Process bindfs = new ProcessBuilder("bindfs", "-f", source.toString(), hooks.toString()).inheritIO().start();
        daemons.add(bindfs);
        awaitMount(hooks);
        mounted.add(hooks);
        assertThatThrownBy(() -> writeThrough(project, source.resolve("post-checkout"))).isInstanceOf(SandboxException.class)
                .hasMessageContaining("mount " + hooks).hasMessageContaining("no writable directory is given");
        assertThat(hooks.resolve("post-checkout")).doesNotExist();
    }
}
