package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file whose name is not UTF-8 (the JVM cannot give its name back as the same bytes) in a
 * directory granted whole — a {@code --ro} of it, the working directory — is the command's like
 * any other entry: the grant names the directory, never the file. (In {@code /etc}, granted entry
 * by entry around the secret stores, such an entry is left out with a warning:
 * {@code NonUtf8EtcEntryIT} in aws-sandbox-cli, since it plants in the host's {@code /etc}.)
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class NonUtf8NamesTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireProgram("python3");
        this.host = host;
    }

    /** Creates {@code dir}/data-\xff (Java's Path cannot name it) holding {@code content}. */
    private static void plantLatin1(Path dir, String content) throws Exception {
        Process p = new ProcessBuilder("python3", "-c",
                "import os,sys; open(os.fsencode(sys.argv[1]) + b'/data-\\xff', 'w').write(sys.argv[2])",
                dir.toString(), content).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void aReadGrantOfADirectoryHoldingOneGivesIt() throws Exception {
        Path dir = Files.createDirectories(host.outside().resolve("latin1"));
        plantLatin1(dir, "LATIN1-DATA");
        HostEnvironment env = host.environment();
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.builder(env).addReadPath(dir.toString()).build(), backend);
        ExecResult read = sandboxes.inside("sh", "-c", "cat " + dir + "/data-*");
        assertThat(read.isSuccess()).as(read.stderr().text()).isTrue();
        assertThat(read.stdout().text()).isEqualTo("LATIN1-DATA");
    }

    /**
     * Outside test RT18, F5: a {@code .git} in a directory whose name is not UTF-8, made by one command, failed every later
     * command there under bubblewrap with "changed while it was being granted": its read-only mask is made by name, and
     * the name names no file. The working directory is now read-only for the command, with a warning that names the
     * directory's bytes, as under Landlock, which masks nothing (its warning is about git metadata in general). Control:
     * before the {@code .git} is made, the command writes there.
     */
    @Test
    void aGitDirectoryBelowOneLeavesTheWorkingDirectoryReadOnlyWithAWarning() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        ExecResult before = sandboxes.inside("sh", "-c", "echo ran; touch before");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(host.work().resolve("before")).as("control: the working directory is writable").exists();
        Process p = new ProcessBuilder("python3", "-c",
                "import os,sys; os.makedirs(os.fsencode(sys.argv[1]) + b'/x\\xff/.git/hooks')", host.work().toString())
                .inheritIO().start();
        assertThat(p.waitFor()).isZero();

        ExecResult after = sandboxes.inside("sh", "-c", "echo ran; touch after");
        Sandbox.Preview preview = Sandbox.builder().host(host.environment()).backend(backend).build().preview(List.of("true"));

        assertThat(after.stdout().text()).as(after.stderr().text()).isEqualTo("ran\n");
        assertThat(host.work().resolve("after")).as("the working directory is read-only").doesNotExist();
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(preview.warnings()).anySatisfy(w -> assertThat(w).contains("x\\xff/.git")
                    .contains("not valid UTF-8").contains("read-only for this command"));
        }
    }

    /**
     * Outside test RT20, F4: a {@code ~/.aws} linked to a directory whose name is not UTF-8 failed every command with
     * "changed while it was being granted": the grant of where the link leads named another file. It is left out now,
     * with a warning that names its bytes, and the command runs (without the AWS configuration).
     */
    @Test
    void aGrantWhoseTargetsNameIsNotUtf8IsLeftOutWithAWarning() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", """
                import os, sys
                target = os.fsencode(sys.argv[1]) + b'/aws-\\xff'
                os.makedirs(target)
                open(target + b'/config', 'w').write('[default]\\n')
                os.symlink(target, os.fsencode(sys.argv[2]))
                """, host.outside().toString(), host.home().resolve(".aws").toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult ran = sandboxes.inside("sh", "-c", "echo ran");
        Sandbox.Preview preview = Sandbox.builder().host(host.environment()).backend(backend).build().preview(List.of("true"));

        assertThat(ran.stdout().text()).as(ran.stderr().text()).isEqualTo("ran\n");
        assertThat(preview.warnings()).anySatisfy(w -> assertThat(w).contains("aws-\\xff").contains("not valid UTF-8")
                .contains("is not granted"));
    }

    /**
     * Outside test RT22, F1: a {@code ~/.aws/credentials} linked to {@code c\xff} was granted as {@code c\uFFFD}, the
     * text the JDK reads that name as: another file, a decoy the command then read. A grant whose text holds U+FFFD is
     * left out with a warning. Control: the decoy is there, and readable outside.
     */
    @Test
    void aCredentialsLinkToANameThatIsNotUtf8GrantsNoDecoy() throws Exception {
        Path decoy = host.outsideFile("c\uFFFD", "DECOY");
        Files.createDirectories(host.home().resolve(".aws"));
        Process p = new ProcessBuilder("python3", "-c", """
                import os, sys
                target = os.fsencode(sys.argv[1]) + b'/c\\xff'
                open(target, 'w').write('[default]\\n')
                os.symlink(target, os.fsencode(sys.argv[2]))
                """, host.outside().toString(), host.home().resolve(".aws/credentials").toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult inside = sandboxes.inside("cat", decoy.toString());
        ExecResult outside = sandboxes.outside("cat", decoy.toString());
        Sandbox.Preview preview = Sandbox.builder().host(host.environment()).backend(backend).build().preview(List.of("true"));

        assertThat(outside.stdout().text()).as("control").isEqualTo("DECOY");
        assertThat(inside.stdout().text()).as(inside.stderr().text()).doesNotContain("DECOY");
        // the link's target as it is (c\xff, since RT23's fix of the link walk), or as the JDK read it (U+FFFD)
        assertThat(preview.warnings()).anySatisfy(w -> assertThat(w).containsAnyOf("U+FFFD", "c\\xff")
                .contains("is not granted"));
    }

    /**
     * Outside test RT22, F2: {@code AWS_CONFIG_FILE=g\xff} reached the command as {@code g\uFFFD} (the JDK reads
     * undecodable bytes of the environment so), and the AWS CLI read a decoy config. A variable the command would get
     * with U+FFFD in it is refused, as an argument is: nothing runs. Control: the same variable as UTF-8 runs.
     */
    @Test
    void anEnvironmentValueThatIsNotUtf8IsRefused() {
        HostEnvironment mangled = host.set("AWS_CONFIG_FILE", host.outside().resolve("g\uFFFD").toString()).environment();
        Sandboxes refused = Sandboxes.of(mangled, SandboxPolicy.defaults(mangled), backend);

        assertThatThrownBy(() -> refused.inside("true")).hasMessageContaining("environment variable AWS_CONFIG_FILE")
                .hasMessageContaining("nothing was run");
        HostEnvironment plain = host.set("AWS_CONFIG_FILE", host.outside().resolve("g-plain").toString()).environment();
        assertThat(Sandboxes.of(plain, SandboxPolicy.defaults(plain), backend).inside("true").isSuccess()).as("control")
                .isTrue();
    }

    /**
     * Outside test RT23, F1-F3: a chain of symbolic links with a hop whose name is not UTF-8 ({@code ~/.ssh/id_rsa ->
     * lnk/l\xff -> work/key}) was walked by the names' text, where that hop named no file: what the chain reaches was
     * not protected. A key it reached was read, and a {@code credential_process} script it reached rewritten, by a
     * command run where they are. Controls: outside, the key is read and the script written.
     */
    @Test
    void aLinkChainThroughANameThatIsNotUtf8StillProtectsWhereItLeads() throws Exception {
        Path script = host.work().resolve("cp.sh");
        Files.writeString(script, "#!/bin/sh\necho {}\n");
        Files.createDirectories(host.home().resolve(".aws"));
        Path links = Files.createDirectories(host.outside().resolve("lnk"));
        Files.writeString(host.home().resolve(".aws/config"), "[default]\ncredential_process = " + links.resolve("cp") + "\n");
        symlinks(links.resolve("cp\uFFFD"), script, links.resolve("cp"));
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult write = sandboxes.inside("sh", "-c", "cat cp.sh > /dev/null && echo read; echo changed >> cp.sh");

        assertThat(write.stdout().text()).as("the working directory is given: " + write.stderr().text()).isEqualTo("read\n");
        assertThat(write.isSuccess()).as("the script the AWS CLI runs is not written").isFalse();
        assertThat(Files.readString(script)).doesNotContain("changed");
        assertThat(sandboxes.outside("sh", "-c", "echo changed >> cp.sh").isSuccess()).as("control").isTrue();

        Path key = host.work().resolve("key");
        Files.writeString(key, "SSH-KEY");
        Files.createDirectories(host.home().resolve(".ssh"));
        symlinks(links.resolve("l\uFFFD"), key, host.home().resolve(".ssh/id_rsa"));

        ExecResult read = sandboxes.inside("cat", "key");

        assertThat(read.stdout().text()).as(read.stderr().text()).doesNotContain("SSH-KEY");
        assertThat(sandboxes.outside("cat", "key").stdout().text()).as("control").isEqualTo("SSH-KEY");
    }

    /**
     * Outside test RT26, F1-F4: a path a config's text names through a link whose name is not UTF-8 ({@code IdentityFile
     * lnk/k\xff} in {@code ~/.ssh/config}, {@code . lnk/r\xff} in {@code ~/.bashrc}, {@code core.hooksPath = lnk/h\xff} in
     * {@code ~/.gitconfig}) is read as text with U+FFFD, which names no file, so where the link leads (the working
     * directory) was not protected: the key was read, the sourced file and the hook written. What such a path names is
     * unknown now: the working directory is not given (a key's config), or read-only (git's). Controls: outside, each is
     * read or written.
     */
    @Test
    void aPathAConfigNamesThroughANameThatIsNotUtf8FailsClosed() throws Exception {
        Path links = Files.createDirectories(host.outside().resolve("lnk"));
        byte[] hop = "\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.createDirectories(host.home().resolve(".ssh"));
        Path key = host.work().resolve("key");
        Files.writeString(key, "SSH-KEY");
        Path hooks = Files.createDirectories(host.work().resolve("hooks"));
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        // control (review R13): with no config naming them, the same attempts succeed inside
        assertThat(sandboxes.inside("cat", "key").stdout().text()).as("control: no config names the key").isEqualTo("SSH-KEY");
        assertThat(sandboxes.inside("sh", "-c", "echo x > hooks/probe && echo x >> rc.sh").isSuccess())
                .as("control: the working directory is writable").isTrue();
        Files.delete(host.work().resolve("rc.sh"));
        record Case(String config, String text, String linkName, Path target, String[] attempt) {}
        List<Case> cases = List.of(
                new Case(".ssh/config", "Host *\n  IdentityFile %s\n", "k", key, new String[] {"cat", "key"}),
                new Case(".bashrc", ". %s\n", "r", host.work().resolve("rc.sh"), new String[] {"sh", "-c", "echo x >> rc.sh"}),
                new Case(".gitconfig", "[core]\n\thooksPath = %s\n", "h", hooks,
                        new String[] {"sh", "-c", "echo x > hooks/pre-commit"}));
        for (Case c : cases) {
            Path config = host.home().resolve(c.config());
            byte[] name = concat(links.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    ("/" + c.linkName()).getBytes(java.nio.charset.StandardCharsets.UTF_8), hop);
            Process p = new ProcessBuilder("python3", "-c", "import os, sys; os.symlink(os.fsencode(sys.argv[1]),"
                    + " bytes.fromhex(sys.argv[2]))", c.target().toString(), java.util.HexFormat.of().formatHex(name))
                    .inheritIO().start();
            assertThat(p.waitFor()).isZero();
            String[] parts = c.text().split("%s", -1);
            Files.write(config, concat(parts[0].getBytes(java.nio.charset.StandardCharsets.UTF_8), name,
                    parts[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)));

            ExecResult inside = sandboxes.inside(c.attempt());
            ExecResult outside = sandboxes.outside(c.attempt());

            assertThat(inside.isSuccess()).as(c.config() + ": " + inside.stdout().text()).isFalse();
            assertThat(inside.stdout().text()).as(c.config()).doesNotContain("SSH-KEY");
            assertThat(outside.isSuccess()).as("control: " + c.config() + " " + outside.stderr().text()).isTrue();
            Files.delete(config);
        }
    }

    /**
     * Outside test RT26, F9: a character Java's text handling splits or trims on and ssh and the shells keep in a word
     * (U+3000, {@code \\f}) in a path a config names ({@code IdentityFile lnk/k\\u3000z -> work/key}, {@code . lnk/r\\fz
     * -> work/rc.sh}) was read as another path: the key was read, the sourced file written. Such a config fails closed
     * now. Controls: outside, each works; inside, the same character in a comment withholds nothing.
     */
    @Test
    void aPathAConfigNamesWithASpaceJavaSplitsOnFailsClosed() throws Exception {
        Path links = Files.createDirectories(host.outside().resolve("lnk"));
        Files.createDirectories(host.home().resolve(".ssh"));
        Path key = Files.writeString(host.work().resolve("key"), "SSH-KEY");
        Path rc = Files.writeString(host.work().resolve("rc.sh"), "echo hi\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        Files.writeString(host.home().resolve(".bashrc"), "# a comment\u3000with an ideographic space\nexport X=1\n");
        assertThat(sandboxes.inside("sh", "-c", "echo x > other && echo WROTE").stdout().text())
                .as("control: in a comment it withholds nothing").isEqualTo("WROTE\n");

        Path keyLink = Files.createSymbolicLink(links.resolve("k\u3000z"), key);
        Path ssh = Files.writeString(host.home().resolve(".ssh/config"), "Host *\n  IdentityFile " + keyLink + "\n");
        ExecResult read = sandboxes.inside("cat", "key");
        assertThat(read.stdout().text()).as(read.stderr().text()).doesNotContain("SSH-KEY");
        assertThat(sandboxes.outside("cat", "key").stdout().text()).as("control").isEqualTo("SSH-KEY");
        Files.delete(ssh);

        Path rcLink = Files.createSymbolicLink(links.resolve("r\fz"), rc);
        Files.writeString(host.home().resolve(".bashrc"), ". " + rcLink + "\n");
        ExecResult write = sandboxes.inside("sh", "-c", "echo changed >> rc.sh");
        assertThat(write.isSuccess()).as("the sourced file is not written").isFalse();
        assertThat(Files.readString(rc)).doesNotContain("changed");
        assertThat(sandboxes.outside("sh", "-c", "echo changed >> rc.sh").isSuccess()).as("control").isTrue();

        // outside test RT27, F1: bash drops a NUL byte and reads on, so '. /h/wo\0rk/rc.sh' sources /h/work/rc.sh
        String work = host.work().toString();
        String split = work.substring(0, work.length() - 2) + "\0" + work.substring(work.length() - 2);
        Files.writeString(host.home().resolve(".bashrc"), ". " + split + "/rc.sh\n");
        ExecResult nul = sandboxes.inside("sh", "-c", "echo again >> rc.sh");
        assertThat(nul.isSuccess()).as("the file sourced through a NUL is not written").isFalse();
        assertThat(Files.readString(rc)).doesNotContain("again");
        // outside test RT28, F5: scattered NULs (over 1% of the file) had made it "binary", naming nothing
        Files.writeString(host.home().resolve(".bashrc"), ". " + split + "/rc.sh\n" + "true\0 x\n".repeat(10));
        ExecResult many = sandboxes.inside("sh", "-c", "echo many >> rc.sh");
        assertThat(many.isSuccess()).as("the file sourced through a NUL is not written, among other NULs").isFalse();
        assertThat(Files.readString(rc)).doesNotContain("many");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** {@code from -> hop -> to}, where the hop's name is {@code hop}'s with U+FFFD as the byte 0xff (not UTF-8). */
    private static void symlinks(Path hop, Path to, Path from) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", """
                import os, sys
                hop, to, frm = (os.fsencode(a) for a in sys.argv[1:])
                hop = hop.replace('\\ufffd'.encode(), b'\\xff')
                os.symlink(to, hop)
                os.symlink(hop, frm)
                """, hop.toString(), to.toString(), from.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void aWorkingDirectoryHoldingOneIsGiven() throws Exception {
        plantLatin1(host.work(), "IN-WORK");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        ExecResult write = sandboxes.inside("sh", "-c", "for f in ./data-*; do cat \"$f\" && echo more >> \"$f\"; done");
        assertThat(write.isSuccess()).as(write.stderr().text()).isTrue();
        assertThat(write.stdout().text()).isEqualTo("IN-WORK");
        assertThat(sandboxes.outside("sh", "-c", "cat ./data-*").stdout().text()).isEqualTo("IN-WORKmore\n");
    }
}
