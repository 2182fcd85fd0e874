package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code aws-sandbox run}, in-process: exit codes, live streaming, usage errors. */
class CliRunTest {
    private TestHost host;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        host = new TestHost();
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private int run(String... args) {
        return run(new PrintStream(out, true, StandardCharsets.UTF_8), args);
    }

    private int run(PrintStream stdout, String... args) {
        CliContext ctx = new CliContext(new ByteArrayInputStream("piped input".getBytes(StandardCharsets.UTF_8)),
                stdout, new PrintStream(err, true, StandardCharsets.UTF_8), host.environment());
        return AwsSandboxCli.execute(ctx, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitsWithTheCommandsExitCode() {
        Requirements.requireLandlock();
        assertThat(run("run", "--", "sh", "-c", "echo hello; exit 3")).isEqualTo(3);
        assertThat(out()).isEqualTo("hello\n");
    }

    @Test
    void optionsOfTheCommandAreNotTakenAsOurs() {
        Requirements.requireLandlock();
        assertThat(run("run", "ls", "-d", "--color=never", "/usr")).isEqualTo(0);
        assertThat(out()).isEqualTo("/usr\n");
    }

    @Test
    void stdinIsForwarded() {
        Requirements.requireLandlock();
        assertThat(run("run", "--", "cat")).isEqualTo(0);
        assertThat(out()).isEqualTo("piped input");
    }

    @Test
    void outputIsStreamedWhileTheCommandRuns() {
        Requirements.requireLandlock();
        Path flag = host.work().resolve("flag");
        // The command prints "one", then waits for a file that the test creates only after it has
        // seen "one" on aws-sandbox's stdout. Without live streaming this times out.
        PrintStream watching = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
                if (out().contains("one\n") && !Files.exists(flag)) {
                    try {
                        Files.createFile(flag);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }, true);
        int code = run(watching, "run", "--timeout", "20s", "--", "sh", "-c",
                "echo one; while [ ! -f " + flag + " ]; do sleep 0.05; done; echo two");

        assertThat(code).as(err()).isEqualTo(0);
        assertThat(out()).isEqualTo("one\ntwo\n");
    }

    @Test
    void deniedReadFailsLikeTheCommandDoes() {
        Requirements.requireLandlock();
        String bait = host.home().resolve(".ssh/id_ed25519").toString();

        assertThat(run("run", "--", "cat", bait)).isEqualTo(1);
        assertThat(err()).contains("Permission denied")
                .doesNotContain("hint"); // a key directory is never suggested (a command can forge the message)
        assertThat(out()).doesNotContain(TestHost.SSH_BAIT);
        assertThat(run("run", "--", "cat", host.outsideFile("data.txt", "d").toString())).isEqualTo(1);
        assertThat(err()).contains("aws-sandbox: hint: " + host.outside().resolve("data.txt")
                + " is outside the sandbox policy: allow reading with --ro " + host.outside());
        // negative control
        assertThat(run("run", "--mode", "disabled", "--", "cat", bait)).isEqualTo(0);
        assertThat(out()).contains(TestHost.SSH_BAIT);
        assertThat(err()).contains("aws-sandbox: note: sandbox disabled");
    }

    @Test
    void roAndRwOptionsOpenPaths() {
        Requirements.requireLandlock();
        Path file = host.outsideFile("data.txt", "data");

        assertThat(run("run", "--ro", host.outside().toString(), "--", "cat", file.toString())).isEqualTo(0);
        assertThat(out()).isEqualTo("data");
        assertThat(run("run", "--ro", host.outside().toString(), "--", "touch", host.outside().resolve("x").toString()))
                .isEqualTo(1);
        assertThat(run("run", "--rw", host.outside().toString(), "--", "touch", host.outside().resolve("x").toString()))
                .isEqualTo(0);
        assertThat(host.outside().resolve("x")).exists();
    }

    @Test
    void envOptionPassesAVariable() {
        Requirements.requireLandlock();
        host.set("MY_SETTING", "on");

        run("run", "--", "env");
        assertThat(out()).doesNotContain("MY_SETTING");
        run("run", "--env", "MY_SETTING", "--", "env");
        assertThat(out()).contains("MY_SETTING=on");
    }

    @Test
    void timeoutExits124() {
        Requirements.requireLandlock();
        assertThat(run("run", "--timeout", "300ms", "--", "sleep", "30")).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(err()).contains("timed out after 300ms");
    }

    @Test
    void unknownProgramExits127WithOneLine() {
        assertThat(run("run", "--", "no-such-program-xyz")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err().lines()).hasSize(1).first().asString()
                .startsWith("aws-sandbox: cannot run no-such-program-xyz");
    }

    @Test
    void aFileThatIsNotExecutableExits126SayingSo() {
        // issue 14, item 6: it said "no such executable file" and exited 127, as for a missing one
        assertThat(run("run", "--", "/etc/passwd")).isEqualTo(ExitCodes.NOT_EXECUTABLE);
        assertThat(err().lines()).hasSize(1).first().asString()
                .startsWith("aws-sandbox: cannot run /etc/passwd: not executable (no execute permission)");
        err.reset();
        assertThat(run("run", "--", "/etc/no-such-file-xyz")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err()).contains("cannot run /etc/no-such-file-xyz: no such file or directory");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        assertThat(run("run", "--frobnicate", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--ro", "/no/such/path", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--mode", "sometimes", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--credentials", "vault", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--timeout", "soon", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run", "--env", "BAD=NAME", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("run")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err().lines()).hasSize(8).allMatch(l -> l.startsWith("aws-sandbox: "));
        assertThat(err()).contains("/no/such/path: no such file or directory")
                .contains("expected one of auto, disabled, required")
                .contains("env, aws_config, both, none")
                .doesNotContain("Exception");
    }

    @Test
    void invalidEnvironmentVariableIsAUsageError() {
        host.set("AWS_MCP_SANDBOX", "maybe");
        assertThat(run("run", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("AWS_MCP_SANDBOX").contains("maybe");
    }

    @Test
    void verboseShowsTheStackTrace() {
        assertThat(run("run", "--verbose", "--", "no-such-program-xyz")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err()).contains("SandboxException").contains("\tat ");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).startsWith("aws-sandbox ").contains("Java 25");
        assertThat(run("run", "--help")).isEqualTo(0);
        assertThat(out()).contains("--no-network").contains("--ro=PATH").contains("--credentials")
                .contains("--allow-git-writes");
    }

    @Test
    void backendCanBeChosen() {
        Requirements.requireLandlock();
        assertThat(run("run", "--backend", "landlock", "--", "sh", "-c", "echo $$")).isEqualTo(0);
        assertThat(Long.parseLong(out().strip())).isGreaterThan(2);
        if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
            out.reset();
            assertThat(run("run", "--backend", "bubblewrap", "--", "sh", "-c", "echo $$")).isEqualTo(0);
            assertThat(out()).isEqualTo("2\n"); // bwrap's own PID namespace
        }
        assertThat(run("run", "--backend", "seatbelt", "--", "true")).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(err()).contains("the seatbelt backend was asked for but is unavailable: Seatbelt is macOS's");
        assertThat(run("run", "--backend", "firejail", "--", "true")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("expected one of landlock, bubblewrap, seatbelt, none");
    }

    @Test
    void policyShowsWhatACommandWouldGetWithoutRunningIt() {
        Requirements.requireLandlock();
        host.set("AWS_SECRET_ACCESS_KEY", "never-shown");
        Path marker = host.work().resolve("ran");

        assertThat(run("policy", "--no-network", "--ro", host.outside().toString(), "--", "touch", marker.toString()))
                .isEqualTo(0);

        assertThat(marker).doesNotExist();
        assertThat(out()).contains("program:     /usr/bin/touch").contains("backend:     landlock")
                .contains("network:     denied").contains("AWS_SECRET_ACCESS_KEY")
                .contains("ro  " + host.outside() + "/  (policy)").contains("rw  " + host.work() + "/  (policy)")
                .doesNotContain("never-shown");
    }

    /** Landlock cannot keep .git read-only inside a writable directory: --rw of a repository is refused, naming the flag. */
    @Test
    void rwOfARepositoryUnderLandlockNeedsAllowGitWrites() throws IOException {
        Requirements.requireLandlock();
        Path repo = Files.createDirectories(host.outside().resolve("repo"));
        Files.createDirectories(repo.resolve(".git/hooks"));

        assertThat(run("run", "--backend", "landlock", "--rw", repo.toString(), "--", "touch", repo.resolve("new").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--rw " + repo).contains("--allow-git-writes");
        assertThat(repo.resolve("new")).doesNotExist();

        assertThat(run("run", "--backend", "landlock", "--allow-git-writes", "--rw", repo.toString(), "--",
                "touch", repo.resolve("new").toString())).isEqualTo(0);
        assertThat(repo.resolve("new")).exists();
    }

    /** The working directory holding .git stays read-only under Landlock, with a warning and a hint that name the flag. */
    @Test
    void aRepositoryAsTheWorkingDirectoryWarnsUnderLandlock() throws IOException {
        Requirements.requireLandlock();
        Files.createDirectories(host.work().resolve(".git/hooks"));

        assertThat(run("run", "--backend", "landlock", "--", "touch", host.work().resolve(".git/hooks/pre-commit").toString()))
                .isEqualTo(1);
        assertThat(err()).contains("aws-sandbox: warning: the working directory").contains("--allow-git-writes")
                .contains("aws-sandbox: hint: ");
        assertThat(host.work().resolve(".git/hooks/pre-commit")).doesNotExist();
    }

    /** policy shows a .git kept read-only inside the writable working directory under bubblewrap. */
    @Test
    void policyShowsTheReadOnlyGitUnderBubblewrap() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(new dev.awssandbox.core.backend.BubblewrapBackend().availability().available());
        Files.createDirectories(host.work().resolve(".git"));

        assertThat(run("policy", "--backend", "bubblewrap", "--", "true")).isEqualTo(0);

        assertThat(out()).contains("rw  " + host.work() + "/  (policy)")
                .contains("ro  " + host.work().resolve(".git") + "/  (git metadata: read-only inside a writable path)");
    }
}
