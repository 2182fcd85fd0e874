package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The working directory is given to a command only when it is a place for data. The red team ran
 * from {@code /etc} and from {@code ~/.ssh} and wrote there, and read and appended to a credentials
 * file that {@code AWS_SHARED_CREDENTIALS_FILE} named in the working directory. Each refusal is
 * paired with the same attempt unsandboxed, and with an ordinary project directory, where it works.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class WorkingDirectoryTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private Sandboxes from(HostEnvironment env) {
        return Sandboxes.of(env, SandboxPolicy.defaults(env), backend);
    }

    private static final String WRITE = "echo planted > planted.txt";

    /**
     * Neither written nor read: under Landlock the command cannot open it; under bubblewrap it
     * sees an empty, read-only stand-in (a write fails there too, rather than landing in a
     * directory that vanishes with the sandbox: red team, round 11).
     */
    private void assertNotGiven(HostEnvironment env, Path dir, String why) throws Exception {
        Path visible = dir.resolve("visible.txt");
        Files.writeString(visible, "host data");
        try {
            Sandboxes sandboxes = from(env);
            ExecResult write = sandboxes.inside("sh", "-c", WRITE);
            ExecResult list = sandboxes.inside("ls", "-A", dir.toString());

            assertThat(write.isSuccess()).as(dir.toString()).isFalse();
            assertThat(dir.resolve("planted.txt")).doesNotExist();
            assertThat(list.stdout().text()).as("listing " + dir).doesNotContain("visible.txt");
            assertThat(write.enforcement().notes()).anySatisfy(n -> assertThat(n)
                    .contains("the working directory " + dir + " is not given to the command").contains(why));
            // negative control: unsandboxed the same write and listing work
            assertThat(sandboxes.outside("ls", "-A", dir.toString()).stdout().text()).contains("visible.txt");
            assertThat(sandboxes.outside("sh", "-c", WRITE).isSuccess()).isTrue();
            assertThat(dir.resolve("planted.txt")).exists();
        } finally {
            Files.deleteIfExists(visible);
            Files.deleteIfExists(dir.resolve("planted.txt"));
        }
    }

    @Test
    void aProjectDirectoryIsWritable() {
        ExecResult write = from(host.environment()).inside("sh", "-c", WRITE);

        assertThat(write.isSuccess()).as(write.stderr().text()).isTrue();
        assertThat(host.work().resolve("planted.txt")).exists();
    }

    /**
     * $HOME as the working directory is not given, and a program installed below it (a pyenv shim, run from the home)
     * still runs: it is no file this command could have written, so its chain is granted as from anywhere else (it was
     * not, and {@code aws} run from the home could not be executed). The home's own files stay unreadable.
     */
    @Test
    void aProgramBelowTheHomeRunsFromTheHome() throws Exception {
        Path bin = Files.createDirectories(host.home().resolve("tools/bin"));
        Path hello = bin.resolve("hello");
        Files.writeString(hello, "#!/bin/sh\necho hello from the home\n");
        Files.setPosixFilePermissions(hello, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(host.home().resolve("notes.txt"), "private notes\n");
        HostEnvironment fromHome = host.environment().withWorkingDirectory(host.home());

        ExecResult run = from(fromHome).inside(hello.toString());
        ExecResult read = from(fromHome).inside("cat", host.home().resolve("notes.txt").toString());

        assertThat(run.isSuccess()).as(run.stderr().text()).isTrue();
        assertThat(run.stdout().text()).contains("hello from the home");
        assertThat(run.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("is not given to the command"));
        assertThat(read.stdout().text()).doesNotContain("private notes");
        assertThat(from(fromHome).outside("cat", host.home().resolve("notes.txt").toString()).stdout().text())
                .contains("private notes");
    }

    @Test
    void aHiddenDirectoryOfHomeIsNotGiven() throws Exception {
        Path config = Files.createDirectories(host.home().resolve(".cargo/bin"));
        assertNotGiven(host.environment().withWorkingDirectory(config), config, "another program's settings, tokens or tools");

        Path ssh = host.home().resolve(".ssh");
        assertNotGiven(host.environment().withWorkingDirectory(ssh), ssh, "");
        ExecResult keys = from(host.environment().withWorkingDirectory(ssh)).inside("cat", "id_ed25519");
        assertThat(keys.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
    }

    @Test
    void aDirectoryOnPathIsNotGiven() throws Exception {
        Path bin = Files.createDirectories(host.outside().resolve("bin"));
        Map<String, String> variables = new HashMap<>(host.environment().variables());
        variables.put("PATH", bin + ":" + variables.getOrDefault("PATH", "/usr/bin"));
        HostEnvironment env = host.environment().withVariables(variables).withWorkingDirectory(bin);

        assertNotGiven(env, bin, "a directory on PATH");
    }

    /** A relative PATH entry (".", an empty one) puts the working directory itself on PATH (red team, round 2). */
    @Test
    void aWorkingDirectoryOnPathThroughARelativeEntryIsNotGiven() throws Exception {
        for (String path : new String[] {".:/usr/bin:/bin", "/usr/bin:/bin:"}) {
            Map<String, String> variables = new HashMap<>(host.environment().variables());
            variables.put("PATH", path);
            assertNotGiven(host.environment().withVariables(variables), host.work(), "a directory on PATH");
        }
    }

    @Test
    void aSystemDirectoryIsNotGiven() throws Exception {
        Path system = Files.createTempDirectory(Path.of("/var/lib"), "aws-sandbox-test-");
        try {
            assertNotGiven(host.environment().withWorkingDirectory(system), system, "a system directory (/var)");
        } finally {
            Files.deleteIfExists(system);
        }
    }

    /**
     * The same file named as botocore expands it, {@code $VAR/awscreds} and {@code ${VAR}/awscreds}
     * written where no shell expands them (an MCP client's {@code env}): it was taken for a path
     * that does not exist, and read and rewritten (red team, round 20, F7).
     */
    @Test
    void aCredentialsFileNamedWithAVariableIsNeitherLeakedNorChanged() throws Exception {
        Path credentials = host.work().resolve("awscreds");
        Files.writeString(credentials, "[default]\naws_secret_access_key = SECRET-IN-WORKDIR\n");
        for (String named : List.of("$CREDS_HOME/awscreds", "${CREDS_HOME}/awscreds")) {
            Map<String, String> variables = new HashMap<>(host.environment().variables());
            variables.put("CREDS_HOME", host.work().toString());
            variables.put("AWS_SHARED_CREDENTIALS_FILE", named);
            HostEnvironment env = host.environment().withVariables(variables);

            Sandboxes none = Sandboxes.of(env, SandboxPolicy.defaults(env, SandboxPolicy.Credentials.NONE), backend);
            ExecResult read = none.inside("cat", credentials.toString());
            assertThat(read.stdout().text()).as(named).doesNotContain("SECRET-IN-WORKDIR");
            assertThat(read.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("holds the AWS credentials"));
            assertThat(none.outside("cat", credentials.toString()).stdout().text()).contains("SECRET-IN-WORKDIR"); // control

            Sandboxes both = Sandboxes.of(env, SandboxPolicy.defaults(env), backend);
            assertThat(both.inside("sh", "-c", "echo '[evil]' >> awscreds").isSuccess()).as(named).isFalse();
            assertThat(Files.readString(credentials)).doesNotContain("evil");
        }
    }

    /**
     * A credential file an AWS_* variable names that is not there yet — missing, or an empty
     * directory the command can remove — was created by the command, with a {@code credential_process}
     * the next unsandboxed {@code aws} ran (red team, round 21, F1). Control: without the variable,
     * the same command creates the file.
     */
    @Test
    void aCredentialFileNamedButNotThereYetCannotBeCreated() throws Exception {
        String plant = "rmdir awsconf 2>/dev/null; echo '[default]' > awsconf && echo WROTE";
        assertThat(from(host.environment()).inside("sh", "-c", plant).stdout().text()).as("control").contains("WROTE");
        Files.delete(host.work().resolve("awsconf"));
        for (String variable : List.of("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")) {
            for (boolean directory : List.of(false, true)) {
                if (directory) {
                    Files.createDirectory(host.work().resolve("awsconf"));
                }
                Map<String, String> variables = new HashMap<>(host.environment().variables());
                variables.put(variable, host.work().resolve("awsconf").toString());
                HostEnvironment env = host.environment().withVariables(variables);
                for (SandboxPolicy policy : List.of(SandboxPolicy.defaults(env),
                        SandboxPolicy.defaults(env, SandboxPolicy.Credentials.NONE))) {
                    ExecResult result = Sandboxes.of(env, policy, backend).inside("sh", "-c", plant);
                    assertThat(result.stdout().text()).as(variable + (directory ? " (a directory)" : "")).doesNotContain("WROTE");
                    assertThat(Files.isRegularFile(host.work().resolve("awsconf"))).isFalse();
                }
                Files.deleteIfExists(host.work().resolve("awsconf"));
            }
        }
    }

    /** A credentials file in the working directory: unreadable where the policy withholds credentials, never writable. */
    @Test
    void aCredentialsFileInTheWorkingDirectoryIsNeitherLeakedNorChanged() throws Exception {
        Path credentials = host.work().resolve("awscreds");
        Files.writeString(credentials, "[default]\naws_secret_access_key = SECRET-IN-WORKDIR\n");
        Map<String, String> variables = new HashMap<>(host.environment().variables());
        variables.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        HostEnvironment env = host.environment().withVariables(variables);
        String append = "echo '[evil]' >> awscreds";

        Sandboxes none = Sandboxes.of(env, SandboxPolicy.defaults(env, SandboxPolicy.Credentials.NONE), backend);
        ExecResult read = none.inside("cat", credentials.toString());
        assertThat(read.stdout().text()).doesNotContain("SECRET-IN-WORKDIR");
        assertThat(read.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("holds the AWS credentials"));
        assertThat(none.outside("cat", credentials.toString()).stdout().text()).contains("SECRET-IN-WORKDIR"); // control

        Sandboxes config = Sandboxes.of(env, SandboxPolicy.defaults(env, SandboxPolicy.Credentials.AWS_CONFIG), backend);
        assertThat(config.inside("cat", "awscreds").stdout().text()).contains("SECRET-IN-WORKDIR"); // its mode allows reading
        assertThat(config.inside("sh", "-c", append).isSuccess()).isFalse();
        assertThat(Files.readString(credentials)).doesNotContain("evil");
        assertThat(config.outside("sh", "-c", append).isSuccess()).isTrue(); // control
        assertThat(Files.readString(credentials)).contains("evil");

        SandboxPolicy explicit = SandboxPolicy.builder(env).credentials(SandboxPolicy.Credentials.NONE)
                .addReadPath(host.work().toString()).build();
        Sandbox sandbox = Sandbox.builder().host(env.withWorkingDirectory(host.outside())).policy(explicit)
                .mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        assertThatThrownBy(() -> sandbox.run("true")).isInstanceOf(SandboxException.class)
                .hasMessageContaining("holds the AWS credentials " + credentials);
    }

    /**
     * A grant that goes through a symbolic link in a writable directory is refused: an earlier
     * command planted {@code out -> ~/.ssh} and {@code data/cfg -> ~}, and a later {@code --rw ./out
     * --ro ./data/cfg} read the key and wrote authorized_keys (red team, round 2). A link the
     * commands could not have made (outside their writable paths) is still followed (control).
     */
    @Test
    void aGrantThroughALinkPlantedInAWritableDirectoryIsRefused() throws Exception {
        HostEnvironment env = host.environment();
        Sandboxes.of(env, SandboxPolicy.defaults(env), backend).inside("sh", "-c",
                "ln -s " + host.home().resolve(".ssh") + " out && mkdir data && ln -s " + host.home() + " data/cfg");
        assertThat(host.work().resolve("out")).isSymbolicLink();

        for (SandboxPolicy policy : List.of(SandboxPolicy.builder(env).addWritePath("./out").build(),
                SandboxPolicy.builder(env).addReadPath("./data/cfg").build())) {
            Sandbox sandbox = Sandbox.builder().host(env).policy(policy).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            assertThatThrownBy(() -> sandbox.run("cat", host.home().resolve(".ssh/id_ed25519").toString()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("goes through the symbolic link")
                    .hasMessageContaining("could have planted it");
        }

        assertThat(linkOutsideDataIsFollowed(env)).isEqualTo("followed");
    }

    /**
     * The host's own links in / ({@code /bin -> usr/bin} on a merged-/usr host) are followed: the
     * control for the refusals.
     */
    private String linkOutsideDataIsFollowed(HostEnvironment env) throws Exception {
        Path link = java.util.stream.Stream.of("/bin", "/lib", "/sbin", "/lib64").map(Path::of)
                .filter(Files::isSymbolicLink).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(link != null, "no symbolic link among /bin, /lib, /sbin, /lib64 here");
        SandboxPolicy control = SandboxPolicy.builder(env).addReadPath(link.toString()).build();
        ExecResult followed = Sandboxes.of(env, control, backend).inside("ls", link + "/");
        assertThat(followed.isSuccess()).as(followed.stderr().text()).isTrue();
        return "followed";
    }

    /**
     * The link was planted by an earlier command with another policy (its --rw, or its working
     * directory), and the later command's policy does not make that directory writable: still
     * refused, however the path is spelled ({@code out/.}, {@code d/../out}: policy paths are
     * normalised before they are resolved). Red team, round 3.
     */
    @Test
    void aLinkPlantedByACommandWithAnotherPolicyIsRefusedToo() throws Exception {
        HostEnvironment env = host.environment();
        Path scratch = Files.createDirectories(host.outside().resolve("scratch"));
        SandboxPolicy earlier = SandboxPolicy.builder(env).addWritePath(scratch.toString()).build();
        ExecResult planted = Sandboxes.of(env, earlier, backend).inside("sh", "-c",
                "ln -s " + host.home().resolve(".ssh") + " " + scratch.resolve("out")
                        + " && ln -s " + host.home().resolve(".ssh/sub") + " "
                        + scratch.resolve("d"));
        assertThat(planted.isSuccess()).as(planted.stderr().text()).isTrue();
        Files.createDirectories(host.home().resolve(".ssh/sub"));

        for (String grant : List.of(scratch.resolve("out").toString(), scratch.resolve("out/.").toString(),
                scratch.resolve("d/../out").toString(), scratch.resolve("d").toString())) {
            Sandbox sandbox = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addReadPath(grant).build())
                    .mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            assertThatThrownBy(() -> sandbox.run("cat", host.home().resolve(".ssh/id_ed25519").toString()))
                    .as(grant).isInstanceOf(SandboxException.class).hasMessageContaining("goes through the symbolic link")
                    .hasMessageContaining("could have planted it");
        }
        assertThat(linkOutsideDataIsFollowed(env)).isEqualTo("followed"); // control: the host's own links work
    }

    /**
     * Red team, round 46, F7: with {@code $HOME} pointed elsewhere (as here: the test host's), a working directory in a
     * hidden directory of the account's own home ({@code ~/.cache}, {@code ~/.claude}) was given read-write as data.
     * It is another program's settings, tokens or tools whichever home {@code $HOME} names. Control: the same write in
     * a directory of the test host's work.
     */
    @Test
    void aHiddenDirectoryOfTheAccountsHomeIsNoDataDirectoryWhenHomeIsElsewhere() throws Exception {
        Path accountHome = Path.of(System.getProperty("user.home"));
        org.junit.jupiter.api.Assumptions.assumeFalse(host.home().startsWith(accountHome.resolve(".cache")),
                "the test home is itself below the account's ~/.cache");
        Path cache = Files.createDirectories(accountHome.resolve(".cache"));
        Path mine = Files.createTempDirectory(cache, "aws-sandbox-f7-");
        try {
            HostEnvironment there = host.environment().withWorkingDirectory(mine);
            ExecResult write = Sandboxes.of(there, SandboxPolicy.builder(there).build(), backend)
                    .inside("sh", "-c", "echo x > probe");
            assertThat(write.isSuccess()).isFalse();
            assertThat(mine.resolve("probe")).doesNotExist();
            assertThat(write.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("another program's"));
        } finally {
            Files.deleteIfExists(mine.resolve("probe"));
            Files.deleteIfExists(mine);
        }
        Path data = Files.createDirectories(host.work().resolve("f7"));
        HostEnvironment control = host.environment().withWorkingDirectory(data);
        assertThat(Sandboxes.of(control, SandboxPolicy.builder(control).build(), backend).inside("sh", "-c", "echo x > probe")
                .isSuccess()).isTrue();
    }

    /**
     * Red team, round 5: a --rw of a hidden directory of $HOME (not a data directory) let one
     * command plant a link there that a later --ro followed to ~/.ssh; and AWS_CONFIG_FILE naming a
     * planted link granted the key as "AWS configuration". Both are refused now.
     */
    @Test
    void aLinkPlantedInAnyDirectoryTheUserCanWriteIsRefusedAndSoIsAnAwsVariableNamingOne() throws Exception {
        HostEnvironment env = host.environment();
        Path cache = Files.createDirectories(host.home().resolve(".cache"));
        SandboxPolicy earlier = SandboxPolicy.builder(env).addWritePath(cache.toString()).build();
        ExecResult planted = Sandboxes.of(env, earlier, backend).inside("ln", "-s", host.home().resolve(".ssh").toString(),
                cache.resolve("k").toString());
        assertThat(planted.isSuccess()).as(planted.stderr().text()).isTrue();
        Sandbox later = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addReadPath(cache.resolve("k").toString())
                .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        assertThatThrownBy(() -> later.run("cat", host.home().resolve(".ssh/id_ed25519").toString()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("could have planted it");

        Path config = Files.createSymbolicLink(host.work().resolve("cfg"), host.home().resolve(".ssh/id_ed25519"));
        HostEnvironment named = env.withVariables(java.util.Map.of("AWS_CONFIG_FILE", config.toString(),
                "HOME", host.home().toString(), "PATH", env.get("PATH").orElse("/usr/bin:/bin")));
        Sandbox withConfig = Sandbox.builder().host(named).policy(SandboxPolicy.builder(named)
                .credentials(SandboxPolicy.Credentials.AWS_CONFIG).build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        assertThatThrownBy(() -> withConfig.run("cat", host.home().resolve(".ssh/id_ed25519").toString()))
                .isInstanceOf(SandboxException.class).hasMessageContaining("AWS_* variable");
        assertThat(linkOutsideDataIsFollowed(env)).isEqualTo("followed"); // control
    }

    /**
     * Red team, round 6: /var/tmp (shared scratch space, counted as a system directory) was exempt,
     * and a --rw of it let one command plant a link a later --ro followed. Scratch space is
     * plantable now; the host's links in / and system directories are still followed (control).
     */
    @Test
    void aLinkPlantedInScratchSpaceIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/var/tmp")), "/var/tmp not writable here");
        HostEnvironment env = host.environment();
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-link-test-");
        try {
            Path link = Files.createSymbolicLink(dir.resolve("k"), host.home().resolve(".ssh"));
            Sandbox later = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addReadPath(link.toString())
                    .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            assertThatThrownBy(() -> later.run("cat", host.home().resolve(".ssh/id_ed25519").toString()))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("could have planted it");
        } finally {
            Files.deleteIfExists(dir.resolve("k"));
            Files.deleteIfExists(dir);
        }
        assertThat(linkOutsideDataIsFollowed(env)).isEqualTo("followed"); // control
    }

    /**
     * A refusal is a typed fact with its reason, for each caller to word as its own advice (the CLI's --ro, the MCP
     * server's "ask the user"), and a warning that states it; a project directory has none.
     */
    @Test
    void everyRefusalIsAFactWithItsReason() throws Exception {
        Path system = host.home().resolve(".config");
        Files.createDirectories(system);
        Sandbox.Preview preview = Sandbox.builder().host(host.environment().withWorkingDirectory(system)).backend(backend)
                .build().preview(List.of("true"));

        assertThat(preview.grants()).noneMatch(g -> g.resolved().equals(system));
        assertThat(preview.workingDirectoryWithheld()).hasValueSatisfying(why -> assertThat(why).isNotBlank());
        assertThat(preview.warnings()).anySatisfy(w -> assertThat(w)
                .contains("the working directory " + system + " is not given to the command")
                .contains(preview.workingDirectoryWithheld().orElseThrow()).doesNotContain("--ro"));

        Path project = host.home().resolve("project");
        Files.createDirectories(project);
        Sandbox.Preview given = Sandbox.builder().host(host.environment().withWorkingDirectory(project)).backend(backend)
                .build().preview(List.of("true"));
        assertThat(given.workingDirectoryWithheld()).isEmpty();
        assertThat(given.canWrite(project)).isTrue();
    }
}
