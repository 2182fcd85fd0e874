package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code aws-sandbox run}, in-process: exit codes, live streaming, usage errors. */
class CliRunTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness().stdin("piped input");
    private final TestHost host = cli.host();

    @Test
    void exitsWithTheCommandsExitCode() {
        Requirements.requireLandlock();
        CliHarness.Run r = cli.run("run", "--", "sh", "-c", "echo hello; exit 3");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hello\n");
    }

    /**
     * The core states only why it withholds the working directory (a typed fact), and a denial of a path in it; the CLI
     * gives the advice: with a failure the directory caused (not any failure: outside test WF31, F1), and in
     * {@code policy}. A command that succeeds gets the warning alone; a project directory gets
     * neither (the control: the same listing works there).
     */
    @Test
    void aWithheldWorkingDirectoryIsAdvisedWhereTheCommandFails() throws IOException {
        Requirements.requireLandlock();
        CliHarness.Run given = cli.run("run", "--", "ls", ".");
        assertThat(given.code()).isZero();
        assertThat(given.err()).doesNotContain("is not given to the command").doesNotContain("run from a project directory");

        Files.writeString(host.work().resolve(".netrc"), "machine example.com login u password p\n");
        CliHarness.Run failed = cli.run("run", "--", "ls", ".");
        assertThat(failed.code()).isNotZero();
        assertThat(failed.err()).contains("aws-sandbox: warning: the working directory " + host.work()
                        + " is not given to the command")
                .contains("is in the working directory, which the sandbox does not give the command (the warning above"
                        + " says why): run from a project directory, or keep what the command needs in a subdirectory");
        CliHarness.Run succeeded = cli.run("run", "--", "true"); // the warning is logged once per JVM: in-process, not again
        assertThat(succeeded.code()).isZero();
        assertThat(succeeded.err()).doesNotContain("run from a project directory");
        // a failure the directory did not cause gets no such hint (outside test WF31, F1)
        assertThat(cli.run("run", "--", "sh", "-c", "echo nothing here >&2; exit 3").err())
                .doesNotContain("run from a project directory");
        assertThat(cli.run("policy", "--", "true").out()).contains("hint:        run from a project directory");
    }

    /**
     * Outside test WF30, F7: with --credentials env, an AWS CLI command that names a profile defined in ~/.aws failed with
     * "The config profile (p) could not be found" and no word of why. A failure says the mode gives it no ~/.aws; a command
     * whose mode gives it ~/.aws, and one that names no profile, get no such note.
     */
    @Test
    void aProfileTheCredentialsModeWithholdsIsSaidAsSuch() {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        CliHarness.Run env = cli.run("run", "--credentials", "env", "--", "aws", "--profile", "wf30", "configure", "get",
                "region");
        assertThat(env.code()).as(env.err()).isNotZero();
        assertThat(env.err()).contains("aws-sandbox: note: the command names the profile 'wf30', and this credentials mode"
                + " gives it no ~/.aws");
        CliHarness.Run config = cli.run("run", "--credentials", "aws_config", "--", "aws", "--profile", "wf30", "configure",
                "get", "region");
        assertThat(config.err()).as("control: the mode gives it ~/.aws").doesNotContain("note: the command names the profile");
        CliHarness.Run none = cli.run("run", "--credentials", "env", "--", "aws", "configure", "get", "nothing-here");
        assertThat(none.err()).as("control: no profile named").doesNotContain("note: the command names the profile");
    }

    /**
     * Outside test WF30, F19: behind a proxy, a command that failed to connect had been told nothing of the proxy
     * variables aws-sandbox does not pass (a proxy's URL may carry a password). A failure with the network allowed names
     * them and the option that passes them; a success, a command given them, and one without the network do not.
     */
    @Test
    void aFailureWithTheNetworkAllowedNamesTheProxyVariablesNotGiven() {
        Requirements.requireLandlock();
        host.set("HTTPS_PROXY", "http://127.0.0.1:9").set("NO_PROXY", "localhost");
        CliHarness.Run failed = cli.run("run", "--", "sh", "-c", "exit 3");
        assertThat(failed.code()).isEqualTo(3);
        assertThat(failed.err()).contains("aws-sandbox: note: HTTPS_PROXY is set here but not given to the command")
                .contains("--env HTTPS_PROXY --env NO_PROXY");
        assertThat(cli.run("run", "--", "true").err()).doesNotContain("HTTPS_PROXY");
        CliHarness.Run given = cli.run("run", "--env", "HTTPS_PROXY", "--", "sh", "-c", "test -n \"$HTTPS_PROXY\" && exit 3");
        assertThat(given.code()).as("control: the variable reaches the command").isEqualTo(3);
        assertThat(given.err()).doesNotContain("note: HTTPS_PROXY");
        assertThat(cli.run("run", "--no-network", "--", "sh", "-c", "exit 3").err()).doesNotContain("HTTPS_PROXY");
    }

    /**
     * Red team, 2026-12-06, R2-4: the warning on stderr quoted an ssh config's command whole, secrets and all (the plan's
     * copy was masked, the line logged before it was not). Control: the warning is there, naming the ProxyCommand.
     */
    @Test
    void aWarningOnStderrRepeatsNoSecretOfTheConfigItQuotes() throws IOException {
        Requirements.requireLandlock();
        Path config = host.home().resolve(".ssh/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "Host a\n  ProxyCommand cd /tmp && sshpass -p ZQXs1 ssh --token ZQXs2 https://u:ZQXs3@x/"
                + " GITHUB_TOKEN=\"ZQXs4\" && sh x.sh %h\n");
        try {
            CliHarness.Run r = cli.run("run", "--", "true");
            assertThat(r.err()).contains("ProxyCommand").doesNotContain("ZQXs1").doesNotContain("ZQXs2")
                    .doesNotContain("ZQXs3").doesNotContain("ZQXs4");
            // re-attack, R3-7: the same reason refusing a grant, in the error
            Path out = Files.createDirectories(host.work().resolve("r3-7-out"));
            CliHarness.Run refused = cli.run("run", "--rw", out.toString(), "--", "true");
            assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("ProxyCommand").doesNotContain("ZQXs1").doesNotContain("ZQXs2")
                    .doesNotContain("ZQXs3").doesNotContain("ZQXs4");
        } finally {
            Files.delete(config);
        }
    }

    /**
     * A workflow test, 2026-12-05, F22: a program the sandbox does not let the command read (one under /tmp, outside the
     * grants) failed without a next step; the error names the grant of its directory. Control: with that grant it runs.
     */
    @Test
    void aProgramOutsideTheGrantsIsToldWhichGrantRunsIt() throws IOException {
        Requirements.requireLandlock();
        Path tools = Files.createTempDirectory(Path.of("/tmp"), "aws-sandbox-test-f22-"); // the host's /tmp: never given
        Path tool = tools.resolve("tool.sh");
        try {
            Files.writeString(tool, "#!/bin/sh\necho tool-ran\n");
            tool.toFile().setExecutable(true);
            CliHarness.Run denied = cli.run("run", "--", tool.toString());
            assertThat(denied.code()).as(denied.err()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
            assertThat(denied.error()).contains("to run it, grant the directory that holds it: --ro " + tools.toRealPath());
            CliHarness.Run granted = cli.run("run", "--ro", tools.toRealPath().toString(), "--", tool.toString());
            assertThat(granted.code()).as(granted.err()).isZero();
            assertThat(granted.out()).isEqualTo("tool-ran\n");
            // reached through a link, both are named, and so is running it by its own path (outside test WF31, F11)
            Path link = Files.createSymbolicLink(tools.resolve("link"), tool);
            CliHarness.Run linked = cli.run("run", "--", link.toString());
            assertThat(linked.code()).as(linked.err()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
            assertThat(linked.error()).contains("or run it by its own path, " + tool.toRealPath());
            Files.delete(link);
        } finally {
            Files.deleteIfExists(tool);
            Files.delete(tools);
        }
    }

    /** A limit that stopped the command is named with the flag that raises it; under a higher one, no hint. */
    @Test
    void aCommandStoppedByALimitIsToldWhichFlagRaisesIt() {
        Requirements.requireLandlock();
        String write = "open(\"" + host.work().resolve("big") + "\", \"wb\").write(bytes(2 << 20))";

        CliHarness.Run limited = cli.run("run", "--max-file-size", "1M", "--", "python3", "-c", write);
        assertThat(limited.code()).isEqualTo(1);
        assertThat(limited.err()).contains("File too large").contains("aws-sandbox: hint: python3 could not write a file"
                + " past its size limit (--max-file-size 1M): raise it with --max-file-size SIZE");

        CliHarness.Run control = cli.run("run", "--max-file-size", "4M", "--", "python3", "-c", write);
        assertThat(control.code()).as(control.err()).isEqualTo(0);
        assertThat(control.err()).doesNotContain("hint");
    }

    /** Workflow finding F14: a file the command could not create was advised --ro of its directory first. */
    @Test
    void aFileThatCouldNotBeCreatedIsAdvisedWritingItsDirectory() throws Exception {
        Requirements.requireLandlock();
        Path created = host.outside().resolve("report.txt");

        CliHarness.Run refused = cli.run("run", "--", "touch", created.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("aws-sandbox: hint: " + created + " cannot be created in the sandbox: "
                + host.outside() + " is outside its policy; allow writing in it with --rw " + host.outside())
                .doesNotContain("--ro");

        CliHarness.Run granted = cli.run("run", "--rw", host.outside().toString(), "--", "touch", created.toString());
        assertThat(granted.code()).as(granted.err()).isZero();
        assertThat(created).exists();
    }

    /** Workflow finding F4: a command refused memory by --max-memory failed with no word of the limit. */
    @Test
    void aCommandRefusedMemoryIsToldWhichFlagRaisesIt() {
        Requirements.requireLandlock();
        String allocate = "b = bytearray(256 << 20); print('allocated')";

        CliHarness.Run limited = cli.run("run", "--max-memory", "64M", "--", "python3", "-c", allocate);
        assertThat(limited.code()).isEqualTo(1);
        assertThat(limited.err()).contains("MemoryError").contains("aws-sandbox: hint: python3 was refused memory: an"
                + " allocation failed at its per-process memory limit (--max-memory 64M, also each process's data limit):"
                + " raise it with --max-memory SIZE");

        CliHarness.Run control = cli.run("run", "--max-memory", "1G", "--", "python3", "-c", allocate);
        assertThat(control.code()).as(control.err()).isEqualTo(0);
        assertThat(control.err()).doesNotContain("hint");
    }

    /**
     * Regression (red team, round 19, F5): the path of a forged denial went into the CLI's hint line
     * as it was: {@code ESC[2K} erased the line, and U+2215 (a slash look-alike) and a right-to-left
     * override made it read as advice of the command's choosing. The hint line now holds printable
     * ASCII only, the path quoted with Java escapes; the command's own stderr still passes through
     * unchanged (the control: the raw characters are there, on the command's line).
     */
    @Test
    void aForgedPathIsPrintedEscapedInTheHint() {
        Requirements.requireLandlock();
        String name = "x\u001b[2K\u2215root\u2215.ssh\u202egnp.txt\u0007";
        Path forged = host.outside().resolve(name);
        CliHarness.Run r = cli.run("run", "--", "sh", "-c", "printf 'cat: %s: Permission denied\\n' \"$1\" >&2; exit 1", "sh",
                forged.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).as("the command's own line, unchanged").contains(forged.toString());
        String hint = r.err().lines().filter(line -> line.startsWith("aws-sandbox: hint: ")).findFirst().orElseThrow();
        assertThat(hint.chars()).as(hint).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(hint).startsWith("aws-sandbox: hint: \"" + host.outside() + "/x\\u001b[2K\\u2215root\\u2215.ssh\\u202egnp.txt\\u0007\""
                + " cannot be created in the sandbox: " + host.outside()); // no such file: a creation (F14)
        assertThat(Printable.quoted("/a\rb\"c\\d\u0085")).isEqualTo("\"/a\\rb\\\"c\\\\d\\u0085\"");
        assertThat(Printable.line("warning: /a\u001b[8m\u202e\u2028b \u2026")).isEqualTo("warning: /a\\u001b[8m\\u202e\\u2028b \u2026");
    }

    /** An explicit grant of the home (or of what holds keys, or of /tmp) is the caller's choice: given, and said. */
    @Test
    void anExplicitGrantOfTheHomeIsGivenWithAWarning() {
        Requirements.requireLandlock();
        CliHarness.Run home = cli.run("run", "--ro", host.home().toString(), "--", "cat",
                host.home().resolve(".ssh/id_ed25519").toString());
        assertThat(home.code()).as(home.err()).isEqualTo(0);
        assertThat(home.out()).contains(TestHost.SSH_BAIT);
        assertThat(home.err()).contains("aws-sandbox: warning: --ro " + host.home() + ": it is ")
                .contains("so the command can read the keys, tokens and settings of other programs there");

        CliHarness.Run data = cli.run("run", "--ro", host.outside().toString(), "--", "true");
        assertThat(data.code()).as(data.err()).isEqualTo(0);
        assertThat(data.err()).doesNotContain("warning: --ro");

        // the host's temporary directory, whose JVMs' performance data alone is refused (red team, round 16)
        CliHarness.Run tmp = cli.run("run", "--ro", "/tmp", "--", "true");
        assertThat(tmp.code()).as(tmp.err()).isEqualTo(0);
        assertThat(tmp.err()).contains("aws-sandbox: warning: --ro /tmp: it holds /tmp, where other programs keep their files");
        // the other shared temporary directories, read or written, get the same warning (red team, round 18, F5)
        CliHarness.Run shm = cli.run("run", "--ro", "/dev/shm", "--", "true");
        assertThat(shm.code()).as(shm.err()).isEqualTo(0);
        assertThat(shm.err()).contains("aws-sandbox: warning: --ro /dev/shm: it holds /dev/shm, where other programs keep their files");
        CliHarness.Run varTmp = cli.run("run", "--rw", "/var/tmp", "--", "true");
        assertThat(varTmp.code()).as(varTmp.err()).isEqualTo(0);
        assertThat(varTmp.err()).contains("aws-sandbox: warning: --rw /var/tmp: it holds /var/tmp, where other programs keep"
                + " their files").contains("so the command can read and change this user's");
    }

    /**
     * With the network off, a refused connection to an ordinary host advises --allow-host first;
     * one naming the metadata service or this host's loopback gets no hint: the network on would
     * open them (red team, round 18, F2.4).
     */
    @Test
    void aRefusedConnectionWithTheNetworkOffAdvisesAllowHostAndNeverForThisHost() {
        Requirements.requireLandlock();
        CliHarness.Run metadata = cli.run("run", "--no-network", "--", "sh", "-c",
                "echo 'Could not connect to the endpoint URL: \"http://169.254.169.254/latest/meta-data/\"' >&2; exit 1");
        assertThat(metadata.code()).isEqualTo(1);
        assertThat(metadata.err()).doesNotContain("hint");
        CliHarness.Run loopback = cli.run("run", "--no-network", "--", "sh", "-c",
                "echo 'Could not connect to the endpoint URL: \"http://127.0.0.1:2375/\"' >&2; exit 1");
        assertThat(loopback.err()).doesNotContain("hint");
        CliHarness.Run ordinary = cli.run("run", "--no-network", "--", "sh", "-c",
                "echo 'Could not connect to the endpoint URL: \"https://s3.eu-west-1.amazonaws.com/\"' >&2; exit 1");
        assertThat(ordinary.err()).contains("aws-sandbox: hint: sh was refused a connection: the network is off for it")
                .contains("allow only the hosts it needs with --allow-host HOST instead (or run it with the network on)");
    }

    @Test
    void optionsOfTheCommandAreNotTakenAsOurs() {
        Requirements.requireLandlock();
        CliHarness.Run r = cli.run("run", "ls", "-d", "--color=never", "/usr");
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("/usr\n");
    }

    @Test
    void stdinIsForwarded() {
        Requirements.requireLandlock();
        CliHarness.Run r = cli.run("run", "--", "cat");
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("piped input");
    }

    @Test
    void outputIsStreamedWhileTheCommandRuns() {
        Requirements.requireLandlock();
        Path flag = host.work().resolve("flag");
        // The command prints "one", then waits for a file that the test creates only after it has
        // seen "one" on aws-sandbox's stdout. Without live streaming this times out.
        CliHarness.Run r = cli.run(outputSoFar -> {
            if (outputSoFar.contains("one\n") && !Files.exists(flag)) {
                try {
                    Files.createFile(flag);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "run", "--timeout", "20s", "--", "sh", "-c", "echo one; while [ ! -f " + flag + " ]; do sleep 0.05; done; echo two");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("one\ntwo\n");
    }

    /**
     * Regression (red team, round 22, F7): a forged denial in {@code ~/node_modules/lodash} or
     * {@code ~/perl5/lib/perl5} got the hint {@code --rw} of it, where code loaded by the user's next
     * script could be planted. No hint names them; the same forged line on an ordinary data file
     * still gets its hint (control).
     */
    @Test
    void forgedDenialsInModuleDirectoriesGetNoHint() throws IOException {
        Requirements.requireLandlock();
        for (String module : java.util.List.of("node_modules/lodash/index.js", "perl5/lib/perl5/Foo.pm")) {
            Path path = host.home().resolve(module);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "x\n");
            CliHarness.Run r = cli.run("run", "--", "sh", "-c", "echo 'cat: " + path + ": Permission denied' >&2; exit 1");
            assertThat(r.err()).as(module).contains("Permission denied").doesNotContain("aws-sandbox: hint:");
        }
        Path data = host.outsideFile("data.txt", "d");
        CliHarness.Run control = cli.run("run", "--", "sh", "-c", "echo 'cat: " + data + ": Permission denied' >&2; exit 1");
        assertThat(control.err()).contains("aws-sandbox: hint: " + data + " is outside the sandbox policy");
    }

    @Test
    void deniedReadFailsLikeTheCommandDoes() {
        Requirements.requireLandlock();
        String bait = host.home().resolve(".ssh/id_ed25519").toString();

        CliHarness.Run key = cli.run("run", "--", "cat", bait);
        assertThat(key.code()).isEqualTo(1);
        assertThat(key.err()).contains("Permission denied")
                .doesNotContain("hint"); // a key directory is never suggested (a command can forge the message)
        assertThat(key.out()).doesNotContain(TestHost.SSH_BAIT);
        CliHarness.Run data = cli.run("run", "--", "cat", host.outsideFile("data.txt", "d").toString());
        assertThat(data.code()).isEqualTo(1);
        assertThat(data.err()).contains("aws-sandbox: hint: " + host.outside().resolve("data.txt")
                + " is outside the sandbox policy: allow reading with --ro " + host.outside());
        // negative control
        CliHarness.Run disabled = cli.run("run", "--mode", "disabled", "--", "cat", bait);
        assertThat(disabled.code()).isEqualTo(0);
        assertThat(disabled.out()).contains(TestHost.SSH_BAIT);
        assertThat(disabled.err()).contains("aws-sandbox: note: sandbox disabled");
    }

    @Test
    void roAndRwOptionsOpenPaths() {
        Requirements.requireLandlock();
        Path file = host.outsideFile("data.txt", "data");

        CliHarness.Run read = cli.run("run", "--ro", host.outside().toString(), "--", "cat", file.toString());
        assertThat(read.code()).isEqualTo(0);
        assertThat(read.out()).isEqualTo("data");
        assertThat(cli.run("run", "--ro", host.outside().toString(), "--", "touch", host.outside().resolve("x").toString())
                .code()).isEqualTo(1);
        assertThat(cli.run("run", "--rw", host.outside().toString(), "--", "touch", host.outside().resolve("x").toString())
                .code()).isEqualTo(0);
        assertThat(host.outside().resolve("x")).exists();
    }

    @Test
    void envOptionPassesAVariable() {
        Requirements.requireLandlock();
        host.set("MY_SETTING", "on");

        assertThat(cli.run("run", "--", "env").out()).doesNotContain("MY_SETTING");
        assertThat(cli.run("run", "--env", "MY_SETTING", "--", "env").out()).contains("MY_SETTING=on");
    }

    @Test
    void timeoutExits124() {
        Requirements.requireLandlock();
        CliHarness.Run r = cli.run("run", "--timeout", "300ms", "--", "sleep", "30");
        assertThat(r.code()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(r.err()).contains("timed out after 300ms");
    }

    @Test
    void unknownProgramExits127WithOneLine() {
        CliHarness.Run r = cli.run("run", "--", "no-such-program-xyz");
        assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.error()).startsWith("aws-sandbox: error: cannot run no-such-program-xyz");
    }

    @Test
    void aFileThatIsNotExecutableExits126SayingSo() {
        // issue 14, item 6: it said "no such executable file" and exited 127, as for a missing one
        CliHarness.Run notExecutable = cli.run("run", "--", "/etc/passwd");
        assertThat(notExecutable.code()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
        assertThat(notExecutable.err().lines()).hasSize(1);
        assertThat(notExecutable.error()).contains("cannot run /etc/passwd: not executable (no execute permission)");
        CliHarness.Run missing = cli.run("run", "--", "/etc/no-such-file-xyz");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).contains("cannot run /etc/no-such-file-xyz: no such file or directory");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        String[][] usages = {
            {"run", "--frobnicate", "--", "true"},
            {"run", "--ro", "/no/such/path", "--", "true"},
            {"run", "--mode", "sometimes", "--", "true"},
            {"run", "--credentials", "vault", "--", "true"},
            {"run", "--timeout", "soon", "--", "true"},
            {"run", "--timeout", "99999999999999999999", "--", "true"}, // outside attack RT8-S1: was "long overflow", 125
            {"run", "--timeout", "9999999999h", "--", "true"},
            {"run", "--env", "BAD=NAME", "--", "true"},
            {"run"},
            {"frobnicate"},
            {"pipe", "aws", "s3", "ls"},
            {},
        };
        StringBuilder errors = new StringBuilder();
        for (String[] args : usages) {
            CliHarness.Run r = cli.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().lines()).as(r.err()).hasSize(1);
            errors.append(r.error()).append('\n');
        }
        assertThat(errors.toString()).contains("/no/such/path: no such file or directory")
                .contains("expected one of auto, disabled, required")
                .contains("env, aws_config, both, none")
                .contains("missing command: use run, pipe, policy, doctor or mcp")
                .contains("unknown command 'frobnicate': use run, pipe, policy, doctor or mcp")
                .contains("pipe takes the pipeline as one argument: quote it")
                .contains("Unknown option: '--frobnicate'") // an option is not a command
                .contains("'9999999999h' is longer than the longest duration taken, ten years (87600h)")
                .doesNotContain("Exception");
    }

    @Test
    void invalidEnvironmentVariableIsAUsageError() {
        host.set("AWS_MCP_SANDBOX", "maybe");
        CliHarness.Run r = cli.run("run", "--", "true");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains("AWS_MCP_SANDBOX").contains("maybe");
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliHarness.Run r = cli.run("run", "--verbose", "--", "no-such-program-xyz");
        assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("SandboxException").contains("\tat ");
    }

    @Test
    void versionAndHelp() {
        CliHarness.Run version = cli.run("--version");
        assertThat(version.code()).isEqualTo(0);
        assertThat(version.out()).startsWith("aws-sandbox ").contains("Java 25");
        CliHarness.Run help = cli.run("run", "--help");
        assertThat(help.code()).isEqualTo(0);
        assertThat(help.out()).contains("--no-network").contains("--ro=PATH").contains("--credentials")
                .contains("--allow-git-writes");
    }

    /**
     * Outside test WF29, F2: {@code --ro DIR} inside the writable working directory was writable under Landlock (its rules
     * only add access) and read-only under bubblewrap, and {@code policy} listed it as read-only. Landlock refuses it
     * now; bubblewrap keeps it read-only. Control: without {@code --ro} the same write succeeds.
     */
    @Test
    void aReadOnlyGrantInsideTheWritableWorkingDirectoryIsRefusedUnderLandlockAndKeptUnderBubblewrap() throws IOException {
        Requirements.requireLandlock();
        Path out = Files.createDirectories(host.work().resolve("out"));

        CliHarness.Run landlock = cli.run("run", "--backend", "landlock", "--ro", out.toString(), "--", "touch",
                out.resolve("a").toString());
        assertThat(landlock.code()).as(landlock.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(landlock.err()).contains("--ro " + out + " lies inside the writable " + host.work().toRealPath())
                .contains("--backend bubblewrap");
        assertThat(out.resolve("a")).doesNotExist();
        CliHarness.Run policy = cli.run("policy", "--backend", "landlock", "--ro", out.toString(), "--", "true");
        assertThat(policy.code()).as("policy does not list it as read-only: " + policy.out()).isEqualTo(ExitCodes.USAGE);
        if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
            CliHarness.Run bwrap = cli.run("run", "--backend", "bubblewrap", "--ro", out.toString(), "--", "touch",
                    out.resolve("b").toString());
            assertThat(bwrap.code()).as(bwrap.err()).isEqualTo(1);
            assertThat(out.resolve("b")).doesNotExist();
        }
        CliHarness.Run plain = cli.run("run", "--backend", "landlock", "--", "touch", out.resolve("c").toString());
        assertThat(plain.code()).as("control: " + plain.err()).isZero();
        assertThat(out.resolve("c")).exists();
    }

    /**
     * Review R10: the refusal above skipped the read paths every policy has by their names, macOS's too, so on Linux
     * {@code --ro /private/etc} inside {@code --rw /private} was planned writable without a word. Only Linux's names are
     * skipped now. Needs a {@code /private} this test makes (and removes), so it runs where none exists and as root;
     * control: {@code --ro} of another directory there was refused before and is now.
     */
    @Test
    void aMacosSystemPathsNameGivenReadOnlyInsideAWritablePathIsRefusedOnLinux() throws IOException {
        Requirements.requireLandlock();
        Path privateRoot = Path.of("/private");
        Assumptions.assumeTrue(!Files.exists(privateRoot, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && Files.isWritable(Path.of("/")), "needs to make /private (it exists here, or / is not writable)");
        try {
            Files.createDirectories(privateRoot.resolve("etc"));
            Files.createDirectories(privateRoot.resolve("other"));
            for (String inside : List.of("/private/etc", "/private/other")) {
                CliHarness.Run policy = cli.run("policy", "--backend", "landlock", "--rw", "/private", "--ro", inside,
                        "--", "true");
                assertThat(policy.code()).as(inside + ": " + policy.out() + policy.err()).isEqualTo(ExitCodes.USAGE);
                assertThat(policy.err()).contains("--ro " + inside + " lies inside the writable /private");
            }
        } finally {
            Files.deleteIfExists(privateRoot.resolve("etc"));
            Files.deleteIfExists(privateRoot.resolve("other"));
            Files.deleteIfExists(privateRoot);
        }
    }

    /**
     * Outside test WF29, F2: {@code --ro .} left the working directory writable on both backends, and a path given both
     * {@code --ro} and {@code --rw} was taken without a word. Control: without {@code --ro .} the write succeeds.
     */
    @Test
    void readOnlyOfTheWorkingDirectoryMakesItReadOnlyAndBothAccessesForOnePathAreRefused() throws IOException {
        Requirements.requireLandlock();
        java.util.List<String> backends = new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()
                ? java.util.List.of("landlock", "bubblewrap") : java.util.List.of("landlock");
        for (String backend : backends) {
            CliHarness.Run ro = cli.run("run", "--backend", backend, "--ro", host.work().toString(), "--", "touch",
                    host.work().resolve("ro-" + backend).toString());
            assertThat(ro.code()).as(backend + ": " + ro.err()).isEqualTo(1);
            assertThat(host.work().resolve("ro-" + backend)).doesNotExist();
            CliHarness.Run plain = cli.run("run", "--backend", backend, "--", "touch",
                    host.work().resolve("rw-" + backend).toString());
            assertThat(plain.code()).as("control: " + backend + ": " + plain.err()).isZero();
        }
        Path out = Files.createDirectories(host.work().resolve("both"));
        CliHarness.Run both = cli.run("run", "--ro", out.toString(), "--rw", out.toString(), "--", "true");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains(out + " is given both --ro and --rw");
    }

    /**
     * Outside test WF29, F33: under bubblewrap a download to /tmp/x succeeded into the command's private /tmp and was lost,
     * where Landlock refuses the write. A /tmp path on the command line that no grant holds is warned of before it runs.
     * Control: Landlock, which refuses the write itself, gives no such warning.
     */
    @Test
    void aTmpPathOnTheCommandLineIsWarnedOfUnderBubblewrap() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new dev.awssandbox.core.backend.BubblewrapBackend().availability().available(), "bubblewrap is not available");
        Path lost = Path.of("/tmp/aws-sandbox-test-lost-" + ProcessHandle.current().pid());
        CliHarness.Run bwrap = cli.run("run", "--backend", "bubblewrap", "--", "touch", lost.toString());
        assertThat(bwrap.code()).as(bwrap.err()).isZero();
        assertThat(lost).as("written in the private /tmp only").doesNotExist();
        assertThat(bwrap.err()).contains("aws-sandbox: warning: " + lost + " is in the command's private /tmp (bubblewrap),"
                + " which is emptied when it ends");
        Requirements.requireLandlock();
        CliHarness.Run landlock = cli.run("run", "--backend", "landlock", "--", "touch", lost.toString());
        assertThat(landlock.code()).as("control").isEqualTo(1);
        assertThat(landlock.err()).doesNotContain("private /tmp");
    }

    /**
     * Outside test WF29, F23: {@code --env AWS_SECRET_ACCESS_KEY} with {@code --credentials none} was dropped without a
     * word. It is a usage error. Control: with {@code --credentials env} it is passed.
     */
    @Test
    void aCredentialVariableAskedForWhereTheCredentialsModeDropsItIsAUsageError() {
        Requirements.requireLandlock();
        host.set("AWS_SECRET_ACCESS_KEY", "s3cr3t-value");
        CliHarness.Run none = cli.run("run", "--credentials", "none", "--env", "AWS_SECRET_ACCESS_KEY", "--", "true");
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--env AWS_SECRET_ACCESS_KEY passes a credential variable, but the credentials"
                + " source is none, which withholds them");
        CliHarness.Run env = cli.run("run", "--credentials", "env", "--env", "AWS_SECRET_ACCESS_KEY", "--", "sh", "-c",
                "echo ${#AWS_SECRET_ACCESS_KEY}");
        assertThat(env.code()).as("control: " + env.err()).isZero();
        assertThat(env.out()).isEqualTo("12\n");
    }

    /**
     * Outside test WF29, F1: {@code --max-processes} above the kernel's pid_max was exit 125, "cannot create the cgroup …
     * Invalid argument", and a limit below its minimum named no option. Both are usage errors naming the option. Control:
     * pid_max itself is taken.
     */
    @Test
    void aLimitOutOfRangeIsAUsageErrorNamingItsOption() throws IOException {
        Requirements.requireLandlock();
        long pidMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst().strip());
        CliHarness.Run above = cli.run("policy", "--max-processes", Long.toString(pidMax + 1), "--", "true");
        assertThat(above.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(above.err()).contains("--max-processes " + (pidMax + 1) + ": above the kernel's pid_max (" + pidMax + ")");
        CliHarness.Run zero = cli.run("policy", "--max-processes", "0", "--", "true");
        assertThat(zero.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("--max-processes 0: ");
        CliHarness.Run memory = cli.run("policy", "--max-memory", "1K", "--", "true");
        assertThat(memory.err()).contains("--max-memory 1024: ");
        assertThat(cli.run("policy", "--max-processes", Long.toString(pidMax), "--", "true").code()).as("control").isZero();
    }

    /**
     * Outside test WF29, F32: {@code aws configure set} failed with a bare Python errno, and nothing said that the AWS
     * configuration is read-only by design. A note says so, naming no grant. Control: {@code aws configure list}, which
     * only reads, gets none.
     */
    @Test
    void aWriteOfTheAwsConfigurationGetsANote() throws IOException {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Files.createDirectories(host.home().resolve(".aws"));
        Files.writeString(host.home().resolve(".aws/config"), "[default]\nregion = us-east-1\n");
        CliHarness.Run set = cli.run("run", "--", "aws", "configure", "set", "region", "eu-west-1");
        assertThat(set.code()).as(set.err()).isNotZero();
        assertThat(set.err()).contains("aws-sandbox: note: the AWS configuration (~/.aws) is read-only for sandboxed commands");
        assertThat(Files.readString(host.home().resolve(".aws/config"))).doesNotContain("eu-west-1");
        CliHarness.Run list = cli.run("run", "--", "aws", "configure", "list");
        assertThat(list.err()).as("control").doesNotContain("read-only for sandboxed commands");
    }

    @Test
    void backendCanBeChosen() {
        Requirements.requireLandlock();
        CliHarness.Run landlock = cli.run("run", "--backend", "landlock", "--", "sh", "-c", "echo $$");
        assertThat(landlock.code()).isEqualTo(0);
        assertThat(Long.parseLong(landlock.out().strip())).isGreaterThan(2);
        if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
            CliHarness.Run bwrap = cli.run("run", "--backend", "bubblewrap", "--", "sh", "-c", "echo $$");
            assertThat(bwrap.code()).isEqualTo(0);
            assertThat(bwrap.out()).isEqualTo("2\n"); // bwrap's own PID namespace
        }
        CliHarness.Run seatbelt = cli.run("run", "--backend", "seatbelt", "--", "true");
        assertThat(seatbelt.code()).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(seatbelt.err()).contains("the seatbelt backend was asked for but is unavailable: Seatbelt is macOS's");
        CliHarness.Run firejail = cli.run("run", "--backend", "firejail", "--", "true");
        assertThat(firejail.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(firejail.err()).contains("expected one of landlock, bubblewrap, seatbelt, none");
    }

    @Test
    void policyShowsWhatACommandWouldGetWithoutRunningIt() {
        Requirements.requireLandlock();
        host.set("AWS_SECRET_ACCESS_KEY", "never-shown");
        Path marker = host.work().resolve("ran");

        CliHarness.Run r = cli.run("policy", "--no-network", "--ro", host.outside().toString(), "--", "touch",
                marker.toString());

        assertThat(r.code()).isEqualTo(0);
        assertThat(marker).doesNotExist();
        assertThat(r.out()).contains("program:     /usr/bin/touch").contains("backend:     landlock")
                .contains("network:     denied").contains("AWS_SECRET_ACCESS_KEY")
                .contains("ro  " + host.outside() + "/  (policy)").contains("rw  " + host.work() + "/  (policy)")
                .doesNotContain("never-shown");
        // outside test WF29, F4: the environment's names in order
        String names = r.out().lines().filter(l -> l.startsWith("environment: ")).findFirst().orElseThrow()
                .substring("environment: ".length());
        assertThat(java.util.List.of(names.split(" "))).isSorted();
        // outside test WF29, F26: the limits, by default and as given
        assertThat(r.out()).contains("limits:      512 processes, 2147483648 bytes of memory, 10m CPU per process");
        CliHarness.Run given = cli.run("policy", "--max-processes", "64", "--", "true");
        assertThat(given.out()).contains("limits:      64 processes");
        assertThat(cli.run("policy", "--no-limits", "--", "true").out()).contains("limits:      none");
    }

    /** Landlock cannot keep .git read-only inside a writable directory: --rw of a repository is refused, naming the flag. */
    @Test
    void rwOfARepositoryUnderLandlockNeedsAllowGitWrites() throws IOException {
        Requirements.requireLandlock();
        Path repo = Files.createDirectories(host.outside().resolve("repo"));
        Files.createDirectories(repo.resolve(".git/hooks"));

        CliHarness.Run refused = cli.run("run", "--backend", "landlock", "--rw", repo.toString(), "--", "touch",
                repo.resolve("new").toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--rw " + repo).contains("--allow-git-writes");
        assertThat(repo.resolve("new")).doesNotExist();

        assertThat(cli.run("run", "--backend", "landlock", "--allow-git-writes", "--rw", repo.toString(), "--",
                "touch", repo.resolve("new").toString()).code()).isEqualTo(0);
        assertThat(repo.resolve("new")).exists();
    }

    /** The working directory holding .git stays read-only under Landlock, with a warning and a hint that name the flag. */
    @Test
    void aRepositoryAsTheWorkingDirectoryWarnsUnderLandlock() throws IOException {
        Requirements.requireLandlock();
        Files.createDirectories(host.work().resolve(".git/hooks"));

        CliHarness.Run r = cli.run("run", "--backend", "landlock", "--", "touch",
                host.work().resolve(".git/hooks/pre-commit").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("aws-sandbox: warning: the working directory").contains("--allow-git-writes")
                .contains("aws-sandbox: hint: ");
        assertThat(host.work().resolve(".git/hooks/pre-commit")).doesNotExist();
        // the grant that works in a checkout (a workflow test, 2026-12-05: the warning named only the flags that weaken
        // the protection): a subdirectory without git metadata
        assertThat(r.err()).contains("--rw ./out");
        Files.createDirectories(host.work().resolve("out"));
        CliHarness.Run sub = cli.run("run", "--backend", "landlock", "--rw", host.work().resolve("out").toString(), "--",
                "touch", host.work().resolve("out/file").toString());
        assertThat(sub.code()).as(sub.err()).isZero();
        assertThat(host.work().resolve("out/file")).exists();
    }

    /**
     * Outside test WF25, F2: an explicit {@code --rw .} of a repository that is the working directory was folded into the
     * working directory's warning, and the command ran read-only and failed with its own status; the same {@code --rw}
     * given from elsewhere is refused (above). It is refused too now, exit 2, and nothing runs. Control: without the
     * {@code --rw} the working directory's warning, and the command's own status.
     */
    @Test
    void rwOfTheWorkingDirectoryThatIsARepositoryIsRefusedUnderLandlock() throws IOException {
        Requirements.requireLandlock();
        Files.createDirectories(host.work().resolve(".git/hooks"));

        CliHarness.Run refused = cli.run("run", "--backend", "landlock", "--rw", host.work().toString(), "--", "touch",
                host.work().resolve("new").toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("aws-sandbox: error: --rw " + host.work() + " is refused").contains(".git");
        // outside test WF29, F10: said once, in the command line's words (no library method; the flag that selects
        // bubblewrap)
        assertThat(refused.err().split("holds git metadata", -1)).as(refused.err()).hasSize(2);
        assertThat(refused.err()).doesNotContain("SandboxPolicy.Builder").contains("--backend bubblewrap");
        CliHarness.Run plain = cli.run("run", "--backend", "landlock", "--", "touch", host.work().resolve("new").toString());
        assertThat(plain.code()).as("control: " + plain.err()).isEqualTo(1);
        assertThat(host.work().resolve("new")).doesNotExist();
    }

    /**
     * Regression (red team, round 19, F7): a forged denial inside .git got the hint "allow writing it with
     * --allow-git-writes" — advice from the command's own text that makes .git/hooks writable for the next
     * command. The hint states the fact; only the planner's warning names the opt-in.
     */
    @Test
    void aForgedDenialInGitGetsAFactNotTheOptIn() throws IOException {
        Requirements.requireLandlock();
        Files.createDirectories(host.work().resolve(".git/hooks"));
        String forged = "sh: 1: cannot create " + host.work().resolve(".git/hooks/pre-commit") + ": Permission denied";

        CliHarness.Run r = cli.run("run", "--backend", "landlock", "--", "sh", "-c", "echo '" + forged + "' >&2; exit 1");

        assertThat(r.code()).isEqualTo(1);
        String hint = r.err().lines().filter(l -> l.startsWith("aws-sandbox: hint: ")).findFirst().orElseThrow();
        assertThat(hint).contains("git metadata").contains("no sandboxed command may change it")
                .doesNotContain("--allow-git-writes");
    }

    /** policy shows a .git kept read-only inside the writable working directory under bubblewrap. */
    @Test
    void policyShowsTheReadOnlyGitUnderBubblewrap() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(new dev.awssandbox.core.backend.BubblewrapBackend().availability().available());
        Files.createDirectories(host.work().resolve(".git"));

        CliHarness.Run r = cli.run("policy", "--backend", "bubblewrap", "--", "true");
        assertThat(r.code()).isEqualTo(0);

        assertThat(r.out()).contains("rw  " + host.work() + "/  (policy)")
                .contains("ro  " + host.work().resolve(".git") + "/  (git metadata: read-only inside a writable path)");
    }

    /**
     * A directory an earlier command named with escape sequences is listed escaped (red team, round
     * 20, F5). ASCII controls only: a JVM in the POSIX locale cannot name a file with U+009B.
     */
    @Test
    void policyListsPathsWithTheirControlCharactersEscaped() throws IOException {
        Path odd = Files.createDirectories(host.outside().resolve("r\u001b[8m\u001b]0;title\u0007x"));

        CliHarness.Run r = cli.run("policy", "--ro", odd.toString(), "--", "true");

        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("ro  " + host.outside() + "/r\\u001b[8m\\u001b]0;title\\u0007x/  (policy)")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }
}
