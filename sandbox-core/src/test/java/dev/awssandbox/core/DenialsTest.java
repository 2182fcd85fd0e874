package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A failure caused by the sandbox comes with what was denied, as facts (the CLI and the MCP server
 * word the advice: see their tests).
 */
@ExtendWith(TestHostExtension.class)
class DenialsTest {
    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    @Test
    void aDeniedReadNamesTheRoOption() {
        Path data = host.outsideFile("data.csv", "a,b\n");
        ExecResult result = Sandboxes.of(host).inside("cat", data.toString());

        assertThat(result.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
    }

    /**
     * Regression (review): a command prints its own stderr, and a forged "Permission denied" on a
     * key made the hint suggest {@code --ro ~/.ssh}. Keys, credentials, $HOME, / and /etc are
     * never named; the same forged line on an ordinary path still gets its hint (control).
     */
    @Test
    void forgedDenialsNeverSuggestKeysOrCredentials() throws Exception {
        host.withAwsConfig();
        java.nio.file.Files.createDirectories(host.home().resolve(".config/gcloud"));
        java.nio.file.Files.createDirectories(host.home().resolve(".gnupg"));
        List<String> forged = List.of(
                host.home().resolve(".ssh/id_ed25519").toString(),
                host.home().resolve(".ssh").toString(),
                host.home().resolve(".aws/credentials").toString(),
                host.home().resolve(".gnupg/private-keys-v1.d").toString(),
                host.home().resolve(".config/gcloud/credentials.db").toString(),
                host.home().toString(),
                "/",
                "/etc/shadow",
                "/etc",
                "/home/someone/.ssh/id_rsa");
        for (String path : forged) {
            ExecResult result = forgedDenialOf(path);
            assertThat(result.denials()).as(path).isEmpty();
        }
        Path ordinary = host.outsideFile("report.txt", "r\n"); // a read of a file that is there (a missing one: NotCreatable)
        ExecResult control = forgedDenialOf(ordinary);
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, ordinary, host.outside()));
    }

    /**
     * Outside test RT15, F6: a forged denial of a file directly in {@code /} (a root-owned installer script, a swap file,
     * {@code /.dockerenv}), or of one to create there, got a hint to {@code --rw} it, though {@code /} itself is never
     * named. Control: the same lines for a file in an ordinary directory get their hints.
     */
    @Test
    void forgedDenialsNeverNameAFileDirectlyInTheRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isWritable(Path.of("/")),
                "a file directly in / is made for this test: it needs root");
        Path installer = Path.of("/aws-sandbox-test-" + java.util.UUID.randomUUID() + ".sh");
        Path missing = Path.of("/aws-sandbox-test-" + java.util.UUID.randomUUID() + ".pth");
        Path directory = Path.of("/aws-sandbox-test-" + java.util.UUID.randomUUID());
        java.nio.file.Files.writeString(installer, "#!/bin/sh\n");
        try {
            java.nio.file.Files.createDirectory(directory);
            assertThat(forgedDenialOf(installer).denials()).as("cat: " + installer).isEmpty();
            // outside test RT16, F2: a directory directly in / too, however it is spelt
            for (String spelling : List.of(directory.toString(), "/" + directory, "/." + directory, directory + "/")) {
                assertThat(forgedDenialOf(spelling).denials()).as("cat: " + spelling).isEmpty();
            }
            // outside test RT17, F1: nor a file read or created in it (its directory, directly in /, is not offered)
            java.nio.file.Files.writeString(directory.resolve("data.txt"), "d\n");
            assertThat(forgedDenialOf(directory.resolve("data.txt")).denials()).as("cat: in " + directory).isEmpty();
            assertThat(Sandboxes.of(host).inside("sh", "-c", "echo \"touch: cannot touch '" + directory.resolve("z")
                    + "': Permission denied\" >&2; exit 1").denials()).as("touch in " + directory).isEmpty();
            assertThat(Sandboxes.of(host).inside("sh", "-c", "echo \"sh: 1: cannot create " + missing
                    + ": Permission denied\" >&2; exit 1").denials()).as("cannot create " + missing).isEmpty();
        } finally {
            java.nio.file.Files.deleteIfExists(installer);
            java.nio.file.Files.deleteIfExists(directory.resolve("data.txt"));
            java.nio.file.Files.deleteIfExists(directory);
        }
        Path data = host.outsideFile("installer.sh", "#!/bin/sh\n");
        assertThat(forgedDenialOf(data).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
        Path create = host.outside().resolve("new.pth");
        assertThat(Sandboxes.of(host).inside("sh", "-c", "echo \"sh: 1: cannot create " + create
                + ": Permission denied\" >&2; exit 1").denials()).containsExactly(
                new ExecResult.Denial.NotCreatable(0, create, create.getParent()));
        Path dataDirectory = java.nio.file.Files.createDirectories(host.outside().resolve("datadir"));
        assertThat(forgedDenialOf(dataDirectory).denials()).as("control: a directory below /")
                .containsExactly(new ExecResult.Denial.NotReadable(0, dataDirectory, dataDirectory));
    }

    /**
     * Regression (red team): a forged "Permission denied" must not steer anyone into making
     * writable a place whose files other programs read or run later: shell start-up files and
     * other hidden settings of $HOME, system directories, directories on PATH. An ordinary data
     * path next to them still gets its denial (control).
     */
    @Test
    void forgedDenialsNeverNameSettingsSystemOrExecutableDirectories() throws Exception {
        // in a prefix of its own: the prefix of a bin on PATH is an installation, never named (red team, round 19, F1)
        Path bin = java.nio.file.Files.createDirectories(host.outside().resolve("tools/bin"));
        HostEnvironment env = host.environment();
        java.util.Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PATH", bin + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withBin = env.withVariables(variables);
        Sandboxes sandboxes = Sandboxes.of(withBin, SandboxPolicy.defaults(withBin));
        List<String> forged = List.of(
                "sh: 1: cannot create " + host.home().resolve(".bashrc") + ": Permission denied",
                "touch: cannot touch '" + host.home().resolve(".npmrc") + "': Permission denied",
                "cp: cannot create regular file '" + host.home().resolve(".cargo/bin/cargo") + "': Permission denied",
                "cp: cannot create regular file '" + host.home().resolve(".config/autostart/x.desktop") + "': Permission denied",
                "cp: cannot create regular file '/usr/local/bin/aws': Permission denied",
                "cat: /var/lib/data: Permission denied",
                "cat: /tmp/x: Permission denied",
                "cp: cannot create regular file '" + bin.resolve("ls") + "': Permission denied",
                "cat: " + host.outside() + ": Permission denied");
        for (String line : forged) {
            ExecResult result = sandboxes.inside("sh", "-c", "echo \"" + line + "\" >&2; exit 1");
            assertThat(result.denials()).as(line).isEmpty();
        }
        Path data = host.outside().resolve("data/report.txt");
        java.nio.file.Files.createDirectories(data.getParent());
        java.nio.file.Files.writeString(data, "r\n");
        ExecResult control = sandboxes.inside("sh", "-c", "echo \"cat: " + data + ": Permission denied\" >&2; exit 1");
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
    }

    /**
     * Regression (red team, round 16): a forged denial of a file in the host's temporary
     * directories got a hint that named it ({@code --ro /tmp/krb5cc_0}, an ssh agent's directory):
     * other programs keep tickets and sockets there. The files exist (a missing one never gets a
     * hint); the control, the same forged line on an ordinary data file, does.
     */
    @Test
    void forgedDenialsNeverNameTheHostsTemporaryDirectories() throws Exception {
        List<Path> made = new java.util.ArrayList<>();
        try {
            made.add(java.nio.file.Files.createTempFile(Path.of("/tmp"), "krb5cc_", ""));
            Path agent = java.nio.file.Files.createTempDirectory(Path.of("/tmp"), "ssh-");
            made.add(java.nio.file.Files.createFile(agent.resolve("agent.1")));
            made.add(agent);
            made.add(java.nio.file.Files.createTempFile(Path.of("/var/tmp"), "ticket-", ""));
            made.add(java.nio.file.Files.createTempFile(Path.of("/dev/shm"), "ticket-", ""));
            for (Path path : made) {
                ExecResult result = forgedDenialOf(path);
                assertThat(result.denials()).as(path.toString()).isEmpty();
            }
        } finally {
            for (Path path : made) {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
        assertOrdinaryDataStillGetsItsHint();
    }

    /**
     * Regression (red team, round 17): forged denials got hints into another user's home
     * ({@code --rw /home/bob}, {@code --ro /home/bob/.bashrc}) and to a hidden file right in the
     * account's own home when {@code $HOME} was elsewhere ({@code /root/.bash_history}). The files
     * exist; the control, an ordinary data file, still gets its hint.
     */
    @Test
    void forgedDenialsNeverNameAnotherUsersHomeOrAHiddenFileOfTheAccountsHome() throws Exception {
        Path otherHome = java.nio.file.Files.createTempDirectory(Path.of("/home"), "aws-sandbox-test-");
        Path hidden = java.nio.file.Files.createTempFile(Path.of(System.getProperty("user.home")), ".aws-sandbox-test-", "");
        try {
            java.nio.file.Files.writeString(otherHome.resolve("report.csv"), "a,b\n");
            java.nio.file.Files.createDirectories(otherHome.resolve("data"));
            for (Path path : List.of(otherHome.resolve("report.csv"), otherHome.resolve("new.csv"), otherHome.resolve("data"),
                    hidden)) {
                ExecResult result = forgedDenialOf(path);
                assertThat(result.denials()).as(path.toString()).isEmpty();
            }
        } finally {
            dev.awssandbox.core.posix.TreeDeletion.delete(otherHome);
            java.nio.file.Files.deleteIfExists(hidden);
        }
        assertOrdinaryDataStillGetsItsHint();
    }

    /**
     * Regression (red team, round 22, F7): forged denials got {@code --rw} of a hidden directory of
     * the account's own home when {@code $HOME} was elsewhere ({@code /root/.claude},
     * {@code /root/.m2}, {@code /root/.npm/_cacache}), and of where language runtimes load modules
     * from ({@code ~/node_modules/lodash}, {@code ~/perl5/lib/perl5}, R's user library). Every
     * {@code node_modules} is such a place. The files exist; the controls: an ordinary data file, a
     * data directory beside the modules.
     */
    @Test
    void forgedDenialsNeverNameAHiddenDirectoryOfTheAccountsHomeOrAModuleDirectory() throws Exception {
        Path hiddenDir = java.nio.file.Files.createTempDirectory(Path.of(System.getProperty("user.home")), ".aws-sandbox-test-");
        try {
            java.nio.file.Files.writeString(hiddenDir.resolve("settings.json"), "{}\n");
            Path cache = java.nio.file.Files.createDirectories(hiddenDir.resolve("_cacache"));
            java.nio.file.Files.writeString(cache.resolve("x"), "x\n");
            List<Path> modules = List.of(host.home().resolve("node_modules/lodash/index.js"),
                    host.outside().resolve("proj/node_modules/left-pad/index.js"),
                    host.home().resolve("perl5/lib/perl5/Foo.pm"),
                    host.home().resolve("R/x86_64-pc-linux-gnu-library/4.3/pkg/DESCRIPTION"));
            for (Path module : modules) {
                java.nio.file.Files.createDirectories(module.getParent());
                java.nio.file.Files.writeString(module, "x\n");
            }
            List<Path> denied = new java.util.ArrayList<>(List.of(hiddenDir.resolve("settings.json"), cache.resolve("x"), cache));
            denied.addAll(modules);
            for (Path path : denied) {
                assertThat(forgedDenialOf(path).denials()).as(path.toString()).isEmpty();
            }
        } finally {
            dev.awssandbox.core.posix.TreeDeletion.delete(hiddenDir);
        }
        assertOrdinaryDataStillGetsItsHint();
        Path beside = java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(
                host.outside().resolve("proj/src")).resolve("app.js"), "x\n");
        assertThat(forgedDenialOf(beside).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, beside, beside.getParent()));
    }

    /**
     * Outside attack of 2026-12-06, HD-1: a forged denial in a Python environment that is on no {@code PATH} got
     * {@code --rw} of it, where the next run of its programs would load what a command planted. Neither a virtual
     * environment ({@code pyvenv.cfg}) nor a conda one ({@code conda-meta}) is named; the control, a data file, is.
     */
    @Test
    void forgedDenialsNeverNameAPythonEnvironment() throws Exception {
        Path venv = java.nio.file.Files.createDirectories(host.outside().resolve("tools-env/lib/python3.11/site"));
        java.nio.file.Files.writeString(host.outside().resolve("tools-env/pyvenv.cfg"), "home = /usr/bin\n");
        Path conda = java.nio.file.Files.createDirectories(host.outside().resolve("conda-env/conda-meta"));
        for (Path path : List.of(venv.resolve("mod.py"), host.outside().resolve("tools-env/share.txt"),
                conda.resolveSibling("etc.txt"))) {
            java.nio.file.Files.writeString(path, "x\n");
            assertThat(forgedDenialOf(path).denials()).as(path.toString()).isEmpty();
        }
        assertOrdinaryDataStillGetsItsHint();
    }

    /**
     * Regression (red team, round 18, F2.1): a forged denial got {@code --rw ~/bin}, which Debian's
     * {@code ~/.profile} puts on a login shell's {@code PATH} (the JVM's {@code PATH} does not show
     * it), and {@code --rw /root/x} for a name in {@code $HOME} that did not exist. Never named: a
     * directory named bin, sbin or libexec anywhere, one that holds a login-{@code PATH} directory
     * ({@code ~/go} holds {@code ~/go/bin}), a new name right in {@code $HOME}. The controls: an
     * ordinary data file, and a file that exists right in {@code $HOME}.
     */
    @Test
    void forgedDenialsNeverNameProgramDirectoriesOrANewNameInHome() throws Exception {
        java.nio.file.Files.createDirectories(host.home().resolve("bin"));
        java.nio.file.Files.createDirectories(host.home().resolve("go/bin"));
        java.nio.file.Files.createDirectories(host.outside().resolve("tools/libexec"));
        java.nio.file.Files.createDirectories(host.outside().resolve("sbin"));
        for (Path path : List.of(host.home().resolve("bin/aws"), host.home().resolve("bin"), host.home().resolve("go/bin/x"),
                host.home().resolve("go"), host.outside().resolve("tools/libexec/helper"), host.outside().resolve("sbin/daemon"),
                host.home().resolve("x"), host.home().resolve("bin-not-yet"))) {
            assertThat(forgedDenialOf(path).denials()).as(path.toString()).isEmpty();
        }
        assertOrdinaryDataStillGetsItsHint();
        Path existing = java.nio.file.Files.writeString(host.home().resolve("notes.txt"), "n\n");
        assertThat(forgedDenialOf(existing).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, existing, existing));
    }

    /**
     * Regression (red team, round 18, F2.3): a forged denial in aws-sandbox's installation got the
     * hint "--rw INSTALLATION", which the CLI then refused ("no option makes it writable"). A hint
     * never names a grant that would be refused; the control, an ordinary data file, gets its hint.
     */
    @Test
    void aForgedDenialInTheInstallationNamesNoGrantThatWouldBeRefused() {
        List<Path> installation = dev.awssandbox.core.access.Installation.paths();
        assertThat(installation).as("the test runs from a checkout or an installation").isNotEmpty();
        for (Path dir : installation) {
            for (Path path : List.of(dir, dir.resolve("x"), dir.resolve("pom.xml"))) {
                assertThat(forgedDenialOf(path).denials()).as(path.toString()).isEmpty();
            }
        }
        assertOrdinaryDataStillGetsItsHint();
    }

    /**
     * Regression (red team, round 19, F1): a forged "Permission denied" on a file of the running
     * program's own installation (a venv's {@code site-packages}, which the plan grants read-only)
     * got the hint {@code --rw <site-packages>/fakeaws}; followed, a later command planted code
     * there that the venv's python ran unsandboxed. Also a conda prefix whose {@code bin} is on
     * {@code PATH} and Go's module cache ({@code ~/go}, whose {@code bin} a login shell puts on
     * {@code PATH}). The control: the same program forging a denial of an ordinary data file gets
     * its hint.
     */
    @Test
    void forgedDenialsNeverNameTheProgramsInstallationOrAPathPrefix() throws Exception {
        Path venv = host.outside().resolve("venvs/aws");
        Path sitePackages = java.nio.file.Files.createDirectories(venv.resolve("lib/python3.11/site-packages/fakeaws"));
        Path init = java.nio.file.Files.writeString(sitePackages.resolve("__init__.py"), "print('fakeaws ok')\n");
        Path program = java.nio.file.Files.createDirectories(venv.resolve("bin")).resolve("aws");
        java.nio.file.Files.writeString(program, "#!/bin/sh\necho \"python: can't open file $1: [Errno 13] Permission denied\" >&2\nexit 1\n");
        java.nio.file.Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path dir = venv; !dir.equals(host.outside()); dir = dir.getParent()) {
            java.nio.file.Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path conda = java.nio.file.Files.createDirectories(host.outside().resolve("miniconda/lib/python3.11/site-packages/awscli"));
        java.nio.file.Files.createDirectories(host.outside().resolve("miniconda/bin"));
        Path condaFile = java.nio.file.Files.writeString(conda.resolve("__init__.py"), "\n");
        Path goModule = java.nio.file.Files.createDirectories(host.home().resolve("go/pkg/mod/example.com/m@v1.0.0"));
        Path goFile = java.nio.file.Files.writeString(goModule.resolve("m.go"), "package m\n");
        HostEnvironment env = host.environment();
        java.util.Map<String, String> variables = new java.util.HashMap<>(env.variables());
        variables.put("PATH", host.outside().resolve("miniconda/bin") + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withConda = env.withVariables(variables);
        Sandboxes sandboxes = Sandboxes.of(withConda, SandboxPolicy.defaults(withConda));

        ExecResult ownInstallation = sandboxes.inside(program.toString(), init.toString());
        assertThat(ownInstallation.exitCode()).isEqualTo(1);
        assertThat(ownInstallation.denials()).as(init.toString()).isEmpty();
        for (Path path : List.of(condaFile, goFile)) {
            ExecResult forged = sandboxes.inside("sh", "-c", "echo \"cat: " + path + ": Permission denied\" >&2; exit 1");
            assertThat(forged.denials()).as(path.toString()).isEmpty();
        }
        Path data = java.nio.file.Files.createDirectories(host.outside().resolve("data")).resolve("report.csv");
        java.nio.file.Files.writeString(data, "a,b\n");
        assertThat(sandboxes.inside(program.toString(), data.toString()).denials())
                .containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
    }

    /**
     * Regression (red team, round 19, INFO): bwrap's own "bwrap: execvp PATH: Permission denied" (a
     * script whose interpreter is not executable) was read as a denial of PATH and advised
     * {@code --rw} of its directory. The same path in a tool's line still gets its hint (control).
     */
    @Test
    void bwrapsOwnExecFailureIsNoDenial() {
        Path data = host.outsideFile("tool3", "#!/bin/sh\n");
        ExecResult bwrap = Sandboxes.of(host).inside("sh", "-c", "echo 'bwrap: execvp " + data + ": Permission denied' >&2; exit 1");
        assertThat(bwrap.denials()).isEmpty();
        assertThat(forgedDenialOf(data).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
    }

    /** A failed command whose stderr says it was denied {@code path}, as {@code cat} would. */
    /**
     * A working directory the plan withholds ($HOME here): a denial of a path in it, or of a relative one, is the typed
     * fact {@code InWithheldWorkingDirectory}; a forged one of a key or another program's settings there gets nothing
     * (outside test RT44, F4: {@code ~/.ssh} had been said to be "in the working directory", with the advice to grant a
     * subdirectory). Control: an ordinary file in it, and a relative path.
     */
    @Test
    void aDenialInAWithheldWorkingDirectoryIsSaidSoButNeverOfAKey() throws Exception {
        Sandboxes fromHome = Sandboxes.of(host.environment().withWorkingDirectory(host.home()),
                SandboxPolicy.defaults(host.environment().withWorkingDirectory(host.home())));
        Path notes = java.nio.file.Files.writeString(host.home().resolve("notes.txt"), "n\n");
        java.nio.file.Files.createDirectories(host.home().resolve(".ssh"));
        for (String forged : List.of(host.home().resolve(".ssh").toString(), host.home().resolve(".ssh/id_rsa").toString(),
                host.home().resolve(".config/x").toString())) {
            ExecResult result = fromHome.inside("sh", "-c", "echo \"cat: " + forged + ": Permission denied\" >&2; exit 1");
            assertThat(result.stages().getFirst().workingDirectoryWithheld()).as("the plan withholds $HOME").isPresent();
            assertThat(result.denials()).as(forged).isEmpty();
        }
        // relative (RT45, F4): a hidden entry's path gets nothing, an ordinary one is in the directory
        assertThat(fromHome.inside("sh", "-c", "echo 'cat: .ssh/id_rsa: Permission denied' >&2; exit 1").denials()).isEmpty();
        assertThat(fromHome.inside("cat", notes.toString()).denials())
                .containsExactly(new ExecResult.Denial.InWithheldWorkingDirectory(0, notes));
        assertThat(fromHome.inside("cat", "notes.txt").denials())
                .containsExactly(new ExecResult.Denial.InWithheldWorkingDirectory(0, host.home()));
    }

    private ExecResult forgedDenialOf(Object path) {
        return Sandboxes.of(host).inside("sh", "-c", "echo \"cat: " + path + ": Permission denied\" >&2; exit 1");
    }

    /** The control of the forged-denial tests: the same line on an ordinary data file gets its hint. */
    private void assertOrdinaryDataStillGetsItsHint() {
        Path data = host.outsideFile("report.csv", "a,b\n");
        assertThat(forgedDenialOf(data).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, data, data.getParent()));
    }

    /** Landlock withholds a working directory that holds .git: the denial says it is git metadata (whose opt-in differs from --rw). */
    @Test
    void aWithheldWorkingDirectoryNamesWhyAndTheOptIn() throws Exception {
        java.nio.file.Files.createDirectories(host.work().resolve(".git"));
        ExecResult result = Sandboxes.of(host).inside("touch", host.work().resolve("new.txt").toString());

        assertThat(result.denials()).singleElement().isInstanceOfSatisfying(ExecResult.Denial.Protected.class,
                d -> assertThat(d.kind()).isEqualTo(ExecResult.Denial.Protected.Kind.GIT_METADATA));
    }

    @Test
    void aDeniedWriteToAReadOnlyPathNamesTheRwOption() {
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Path file = host.outside().resolve("new.txt");

        ExecResult result = Sandboxes.of(host.environment(), policy).inside("touch", file.toString());

        assertThat(result.denials()).containsExactly(new ExecResult.Denial.NotWritable(0, file, host.outside()));
    }

    /**
     * Workflow finding F14: a file a command tried to create in a directory outside the policy got
     * the advice to read the directory first (--ro). A denied path that is not there was being
     * created; the control, an existing file there, is a read that was refused.
     */
    @Test
    void aDeniedCreationOutsideThePolicyNamesWritingItsDirectory() throws Exception {
        Path created = host.outside().resolve("new.txt");
        ExecResult result = Sandboxes.of(host).inside("touch", created.toString());
        assertThat(result.denials()).containsExactly(new ExecResult.Denial.NotCreatable(0, created, host.outside()));
        assertThat(created).doesNotExist();

        Path existing = java.nio.file.Files.writeString(host.outside().resolve("old.txt"), "o\n");
        ExecResult control = Sandboxes.of(host).inside("cat", existing.toString());
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, existing, host.outside()));
    }

    @Test
    void homeItselfIsNeverSuggested() throws Exception {
        Path file = java.nio.file.Files.writeString(host.home().resolve("notes.txt"), "n\n");
        ExecResult result = Sandboxes.of(host).inside("cat", file.toString());

        assertThat(result.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, file, file)); // the file, never $HOME
    }

    @Test
    void aRefusedConnectionNamesTheNetwork() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
            ExecResult result = Sandboxes.of(host.environment(), offline)
                    .inside("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort());

            assertThat(result.denials()).as("this host's loopback: the network on would open it").isEmpty();
        }
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        ExecResult control = Sandboxes.of(host.environment(), offline).inside("bash", "-c", "exec 3<>/dev/tcp/192.0.2.1/80");
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NetworkOff(0));
    }

    /**
     * Regression (red team, round 18, F2.4): with the network off, a forged "Could not connect to
     * the endpoint URL" naming the metadata service or this host's loopback got "run it with the
     * network on" — mode all, which reaches both. A refusal naming what the egress proxy refuses as
     * local is no denial; one naming an ordinary host is (the control).
     */
    @Test
    void aRefusedConnectionToThisHostOrTheMetadataServiceIsNoDenial() {
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:2375/", "http://[::1]:8000/mcp",
                "http://localhost:4566/", "http://[::ffff:127.0.0.1]/", "https://[fd00:ec2::254]/latest", "http://u:p@127.0.0.1/")) {
            ExecResult forged = Sandboxes.of(host.environment(), offline).inside("sh", "-c",
                    "echo 'Could not connect to the endpoint URL: \"" + url + "\"' >&2; exit 1");
            assertThat(forged.denials()).as(url).isEmpty();
        }
        ExecResult control = Sandboxes.of(host.environment(), offline).inside("sh", "-c",
                "echo 'Could not connect to the endpoint URL: \"https://s3.eu-west-1.amazonaws.com/\"' >&2; exit 1");
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NetworkOff(0));
    }

    /** Regression: "cannot create tools/find-jdk.sh: Permission denied" gave a hint for "/find-jdk.sh". */
    @Test
    void theTailOfARelativePathIsNotAPath() {
        host.outsideFile("quoted.txt", "q\n");
        ExecResult result = Sandboxes.of(host).inside("sh", "-c", "echo 'sh: 1: cannot create tools/x.sh: Permission denied' >&2;"
                + " echo \"cat: '" + host.outside().resolve("quoted.txt") + "': Permission denied\" >&2; exit 2");

        assertThat(result.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, host.outside().resolve("quoted.txt"),
                host.outside()));
    }

    /**
     * A forged denial under no existing directory gets no hint (red team, round 15: it suggested
     * --ro of a path that does not exist); the same line under an existing one does (control).
     */
    @Test
    void aForgedDenialOfAPathUnderNoExistingDirectoryGetsNoHint() {
        Path missing = host.outside().resolve("no-such-dir/x");
        Path present = host.outsideFile("x", "x\n");
        ExecResult forged = Sandboxes.of(host).inside("sh", "-c", "echo 'cat: " + missing + ": Permission denied' >&2; exit 1");
        assertThat(forged.denials()).isEmpty();

        ExecResult control = Sandboxes.of(host).inside("sh", "-c", "echo 'cat: " + present + ": Permission denied' >&2; exit 1");
        assertThat(control.denials()).containsExactly(new ExecResult.Denial.NotReadable(0, present, host.outside()));
    }

    @Test
    void failuresThatAreNotDenialsGetNoHint() {
        assertThat(Sandboxes.of(host).inside("sh", "-c", "echo 'no such thing' >&2; exit 3").denials()).isEmpty();
        assertThat(Sandboxes.of(host).inside("cat", "/nonexistent/file").denials()).isEmpty();
    }

    /**
     * Regression (red team, round 18, F2 items 2 and 3): a forged denial must not advise a grant the
     * git rule protects: the hooks directory {@code core.hooksPath} names ({@code --rw <repo>/.githooks}),
     * {@code .git/hooks} (also through a planted link), or the top of a repository
     * ({@code <repo>/.gitconfig} advised {@code --rw <repo>}). A directory of the same repository
     * that the config does not name still gets its hint (control).
     */
    @Test
    void forgedDenialsNeverSuggestWhatTheGitRuleProtects() throws Exception {
        Path repo = java.nio.file.Files.createDirectories(host.outside().resolve("proj"));
        java.nio.file.Files.createDirectories(repo.resolve(".git/hooks"));
        java.nio.file.Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        java.nio.file.Files.writeString(repo.resolve(".git/config"), "[core]\n\thooksPath = .githooks\n");
        java.nio.file.Files.createDirectories(repo.resolve(".githooks"));
        java.nio.file.Files.createDirectories(repo.resolve("src"));
        java.nio.file.Files.createSymbolicLink(host.outside().resolve("evilgit"), repo.resolve(".git"));
        for (Path path : List.of(repo.resolve(".githooks/pre-commit"), repo.resolve(".git/hooks/pre-commit"),
                host.outside().resolve("evilgit/hooks/pre-commit"), repo.resolve(".gitconfig"))) {
            assertThat(forgedDenialOf(path).denials()).as(path.toString()).isEmpty();
        }
        Path control = java.nio.file.Files.writeString(repo.resolve("src/main.c"), "int main;\n");
        assertThat(forgedDenialOf(control).denials()).containsExactly(new ExecResult.Denial.NotReadable(0, control,
                repo.resolve("src")));
    }
}
