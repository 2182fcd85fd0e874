package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.backend.SeatbeltBackend;
import dev.awssandbox.core.testing.FakeSandboxExec;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every error of the environment the CLI can meet ends with its named exit code and one line,
 * {@code aws-sandbox: error: …}, that says what to do — never a stack trace or an "internal error".
 */
class CliErrorsTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();
    private final TestHost host = cli.host();

    /**
     * A workflow test, 2026-12-05: a server whose AWS_PROFILE names no profile started without a word, and every call
     * then failed on it with advice the model could not follow. Control: a profile the config has is not mentioned.
     */
    @Test
    void aDefaultProfileTheConfigurationLacksIsSaidAtStart() throws IOException {
        fakeServiceModels();
        java.nio.file.Files.createDirectories(host.home().resolve(".aws"));
        java.nio.file.Files.writeString(host.home().resolve(".aws/config"), "[profile present]\nregion = us-east-1\n");
        host.set("AWS_PROFILE", "present");
        assertThat(cli.run("mcp").err()).doesNotContain("AWS profile");
        // outside test WF29, F19: a profile the policy allows that the configuration lacks; control: one it has
        host.set("AWS_MCP_ALLOWED_PROFILES", "present,absent-one");
        assertThat(cli.run("mcp").err()).contains("the policy allows the AWS profile 'absent-one', which neither")
                .doesNotContain("profile 'present',");
        host.set("AWS_MCP_ALLOWED_PROFILES", "");
        host.set("AWS_PROFILE", "missing-profile");
        assertThat(cli.run("mcp").err()).contains("the server's AWS profile 'missing-profile' (AWS_PROFILE or"
                + " AWS_DEFAULT_PROFILE) is in neither the AWS config nor the credentials file it reads");
    }

    /**
     * Outside test WF29, F5: a default region the policy does not allow started without a word, and every call that named
     * no region was refused. Control: an allowed default region is not mentioned.
     */
    @Test
    void aDefaultRegionThePolicyDoesNotAllowIsSaidAtStart() throws IOException {
        fakeServiceModels();
        host.set("AWS_MCP_ALLOWED_REGIONS", "eu-west-1");
        host.set("AWS_REGION", "eu-west-1");
        assertThat(cli.run("mcp").err()).as("control").doesNotContain("default region");
        host.set("AWS_REGION", "us-east-1");
        assertThat(cli.run("mcp").err()).contains("the server's default region 'us-east-1' (AWS_REGION) is not among the"
                + " allowed regions (eu-west-1), so every call that names no region is refused");
    }

    /**
     * Outside test WF29, F6: a credential_process program the sandbox does not give started without a word, and every call
     * failed on it. Control: granted with AWS_MCP_SANDBOX_READ_PATHS, it is not mentioned; a path that does not exist
     * there is a usage error.
     */
    @Test
    void aCredentialProcessTheSandboxDoesNotGiveIsSaidAtStart() throws IOException {
        dev.awssandbox.core.testing.Requirements.requireLandlock();
        fakeServiceModels();
        Path program = host.outsideFile("creds.sh", "#!/bin/sh\necho '{}'\n");
        java.nio.file.Files.createDirectories(host.home().resolve(".aws"));
        java.nio.file.Files.writeString(host.home().resolve(".aws/config"), "[default]\ncredential_process = " + program
                + " --profile x\n");
        assertThat(cli.run("mcp").err()).contains("the credential_process of profile 'default' (" + program + ") runs"
                + " inside the sandbox, which does not let the AWS CLI read it").contains("AWS_MCP_SANDBOX_READ_PATHS=" + program);
        host.set("AWS_MCP_SANDBOX_READ_PATHS", program.toString());
        assertThat(cli.run("mcp").err()).as("control").doesNotContain("credential_process");
        host.set("AWS_MCP_SANDBOX_READ_PATHS", program + ".missing");
        CliHarness.Run missing = cli.run("mcp");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.error()).contains("AWS_MCP_SANDBOX_READ_PATHS: " + program + ".missing: no such file or directory");
        // the review, R9: a relative path is refused (it would be taken against the server's own directory)
        host.set("AWS_MCP_SANDBOX_READ_PATHS", "bin");
        assertThat(cli.run("mcp").error()).contains("AWS_MCP_SANDBOX_READ_PATHS: bin: not an absolute path");
        // R8: a program named without a path is looked up on PATH: not a path to grant
        java.nio.file.Files.writeString(host.home().resolve(".aws/config"), "[default]\ncredential_process = aws-vault exec x\n");
        host.set("AWS_MCP_SANDBOX_READ_PATHS", "");
        assertThat(cli.run("mcp").err()).doesNotContain("credential_process");
        // outside test RT30, F5: a path that opens other programs' keys (~/.ssh, the home) is refused, not warned of
        java.nio.file.Path ssh = java.nio.file.Files.createDirectories(host.home().resolve(".ssh"));
        for (java.nio.file.Path secret : java.util.List.of(ssh, host.home())) {
            host.set("AWS_MCP_SANDBOX_READ_PATHS", secret.toString());
            CliHarness.Run refused = cli.run("mcp");
            assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.error()).contains("AWS_MCP_SANDBOX_READ_PATHS: " + secret + ": it is")
                    .contains("can read the keys");
        }
        // the review, R11: a path inside the workspace is refused in the server's words (the sandbox's refusal under
        // Landlock had named the CLI's --ro and --backend, which an MCP server has not)
        java.nio.file.Path workspace = java.nio.file.Files.createDirectories(host.outside().resolve("ws"));
        java.nio.file.Path tool = java.nio.file.Files.createDirectories(workspace.resolve("tool"));
        host.set("AWS_MCP_WORKDIR", workspace.toString());
        host.set("AWS_MCP_SANDBOX_READ_PATHS", tool.toString());
        CliHarness.Run inside = cli.run("mcp");
        assertThat(inside.code()).as(inside.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(inside.error()).contains("AWS_MCP_SANDBOX_READ_PATHS: " + tool + " is in the workspace " + workspace)
                .doesNotContain("--ro").doesNotContain("--backend");
    }

    /**
     * Outside test WF29, F14: a stateless server with consent or ask rules started without a word, and every write was
     * refused. It is said at start (here, before a busy port stops it). Control: without them, nothing is said.
     */
    @Test
    void aStatelessServerThatWouldAskIsSaidAtStart() throws IOException {
        fakeServiceModels();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            assertThat(cli.run("mcp", "--transport", "streamable-http", "--stateless", "--port", port).err()).as("control")
                    .doesNotContain("cannot ask the user");
            host.set("AWS_MCP_REQUIRE_CONSENT", "true");
            assertThat(cli.run("mcp", "--transport", "streamable-http", "--stateless", "--port", port).err())
                    .contains("a stateless server cannot ask the user: every operation AWS_MCP_REQUIRE_CONSENT or AWS_MCP_ASK");
        }
    }

    /**
     * Outside test WF29, F31: credentials mode env with no key variables started without a word, and every command ran
     * without credentials. It is said at start. Control: with a key variable, nothing is said.
     */
    @Test
    void credentialsFromTheEnvironmentWithNoneThereAreSaidAtStart() throws IOException {
        fakeServiceModels();
        host.set("AWS_MCP_SANDBOX_CREDENTIALS", "env");
        assertThat(cli.run("mcp").err()).contains("AWS_MCP_SANDBOX_CREDENTIALS=env gives commands only the credential"
                + " variables (AWS_ACCESS_KEY_ID, …), and none is set");
        host.set("AWS_ACCESS_KEY_ID", "AKIDTEST").set("AWS_SECRET_ACCESS_KEY", "x");
        assertThat(cli.run("mcp").err()).as("control").doesNotContain("none is set");
    }

    /** Regression: a busy --port was "internal error: java.io.IOException: Failed to bind", exit 125. */
    @Test
    void aBusyPortExits75NamingTheFix() throws IOException {
        fakeServiceModels();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CliHarness.Run r = cli.run("mcp", "--transport", "streamable-http", "--port", String.valueOf(port));

            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.CANNOT_LISTEN);
            assertThat(r.error()).isEqualTo("aws-sandbox: error: cannot listen on 127.0.0.1:" + port
                    + ": address already in use; stop what holds the port, or choose another --port (0 picks a free one)");
        }
    }

    @Test
    void anAddressThatIsNotThisMachinesExits75() throws IOException {
        fakeServiceModels();
        host.set("AWS_MCP_AUTH_TOKEN", "a-token"); // a non-loopback address needs one
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
        CliHarness.Run r = cli.run("mcp", "--transport", "streamable-http", "--host", "192.0.2.1", "--port", "0");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.CANNOT_LISTEN);
        assertThat(r.error()).isEqualTo("aws-sandbox: error: cannot listen on 192.0.2.1:0: cannot assign requested address;"
                + " 192.0.2.1 is not an address of this machine: choose one with --host (default 127.0.0.1)");
    }

    /**
     * Outside test WF29, F7: {@code mcp --port 9999} served on stdin and stdout without a word, and the operator's HTTP
     * client was refused. An HTTP option given for a transport it does not apply to is a usage error. Control: the same
     * option with its transport is taken (a busy port's error, past the options' check).
     */
    @Test
    void httpOptionsForATransportTheyDoNotApplyToAreUsageErrors() throws IOException {
        fakeServiceModels();
        CliHarness.Run port = cli.run("mcp", "--port", "9999");
        assertThat(port.code()).as(port.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.error()).isEqualTo("aws-sandbox: error: --port applies to streamable-http and sse, but the"
                + " transport is stdio (the default, stdio); add --transport streamable-http, or drop --port");
        CliHarness.Run hostOnStdio = cli.run("mcp", "--transport", "stdio", "--host", "127.0.0.1");
        assertThat(hostOnStdio.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(hostOnStdio.error()).contains("--host applies to streamable-http and sse").contains("(--transport stdio)");
        CliHarness.Run statelessOnSse = cli.run("mcp", "--transport", "sse", "--stateless");
        assertThat(statelessOnSse.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(statelessOnSse.error()).contains("--stateless applies to streamable-http only");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliHarness.Run http = cli.run("mcp", "--transport", "streamable-http", "--port",
                    String.valueOf(taken.getLocalPort()));
            assertThat(http.code()).as("control: " + http.err()).isEqualTo(ExitCodes.CANNOT_LISTEN);
        }
    }

    @Test
    void badHostAndPortValuesAreUsageErrors() {
        CliHarness.Run port = cli.run("mcp", "--transport", "streamable-http", "--port", "70000");
        assertThat(port.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.error()).contains("'70000': expected a port number from 0 to 65535");
        CliHarness.Run host = cli.run("mcp", "--transport", "streamable-http", "--host", "[::1");
        assertThat(host.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(host.error()).contains("cannot resolve '[::1': give an IP address");
    }

    /** Issue 12, item 6: the HTTP settings from the environment are checked like the flags, naming the variable. */
    @Test
    void badHttpVariablesAreUsageErrorsNamingThem() throws IOException {
        fakeServiceModels();
        host.set("AWS_MCP_PORT", "eighty");
        CliHarness.Run port = cli.run("mcp", "--transport", "streamable-http");
        assertThat(port.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.error()).isEqualTo("aws-sandbox: error: invalid AWS_MCP_PORT value: 'eighty': expected a port"
                + " number from 0 to 65535 (0 picks a free one); correct or unset AWS_MCP_PORT");
        host.set("AWS_MCP_PORT", "0");
        host.set("AWS_MCP_STATELESS", "maybe");
        CliHarness.Run stateless = cli.run("mcp", "--transport", "streamable-http");
        assertThat(stateless.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(stateless.error()).contains("invalid AWS_MCP_STATELESS value 'maybe': expected true or false");
        host.set("AWS_MCP_STATELESS", "false");
        host.set("AWS_MCP_ALLOWED_HOSTS", "mcp.example.com,http://x/");
        CliHarness.Run allowed = cli.run("mcp", "--transport", "streamable-http");
        assertThat(allowed.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(allowed.error()).isEqualTo("aws-sandbox: error: invalid AWS_MCP_ALLOWED_HOSTS entry 'http://x/':"
                + " expected a host name or address, optionally with :PORT (e.g. mcp.example.com,mcp.internal:8443), or *");
    }

    @Test
    void theAwsCliServiceModelsNotFoundExits127() throws IOException {
        host.set("AWS_MCP_BOTOCORE_DATA", host.root().resolve("nowhere").toString());
        CliHarness.Run missing = cli.run("mcp");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.error()).isEqualTo("aws-sandbox: error: AWS_MCP_BOTOCORE_DATA=" + host.root().resolve("nowhere")
                + " is not a directory: point it at botocore's data directory (…/site-packages/botocore/data), or unset it"
                + " to use the 'aws' on PATH");

        Path empty = Files.createDirectories(host.root().resolve("empty/botocore/data"));
        host.set("AWS_MCP_BOTOCORE_DATA", empty.toString());
        CliHarness.Run unusable = cli.run("mcp");
        assertThat(unusable.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unusable.error()).contains("cannot use the AWS CLI's service models: no AWS service models in " + empty)
                .endsWith("point AWS_MCP_BOTOCORE_DATA at botocore's data directory");
    }

    /**
     * Issue 12, item 5: without {@code aws} on PATH (a desktop app that starts the server without the
     * shell's PATH) the server started and every call failed; now it does not start, and says why.
     */
    @Test
    void noAwsCliOnPathExits127() {
        host.set("PATH", host.root() + ":/usr/bin:/bin");
        CliHarness.Run r = cli.run("mcp");
        assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.error()).isEqualTo("aws-sandbox: error: cannot find the AWS CLI ('aws') on PATH (" + host.root()
                + ":/usr/bin:/bin): install it, or start the server with a PATH that holds it (an MCP client started from"
                + " a desktop does not read your shell's profile: set PATH in the server's \"env\")");
        CliHarness.Run http = cli.run("mcp", "--transport", "streamable-http", "--port", "0");
        assertThat(http.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(http.error()).contains("cannot find the AWS CLI ('aws') on PATH");
    }

    /** Issue 12, item 5: an AWS CLI that cannot start in the sandbox stops the server at start-up (126, one line). */
    @Test
    void anAwsCliThatCannotStartInTheSandboxExits126() throws IOException {
        Requirements.requireLandlock();
        brokenAws();
        fakeServiceModels();
        CliHarness.Run r = cli.run("mcp");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
        assertThat(r.error()).startsWith("aws-sandbox: error: the AWS CLI cannot start in the sandbox: 'aws --version'"
                + " exit code 3").contains("botocore is broken").endsWith("'aws-sandbox doctor' shows what the sandbox allows");
    }

    /**
     * Red team, rounds 7 and 8: an audit log in the MCP workspace could be rewritten by the model's
     * commands; refused at start, and before the file is created (a refused log left an empty one).
     */
    @Test
    void anAuditLogInTheWorkspaceStopsTheServerAndLeavesNothing() throws IOException {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Path workspace = Files.createDirectories(host.root().resolve("workspace"));
        host.set("AWS_MCP_WORKDIR", workspace.toString());
        Path log = workspace.resolve("audit.jsonl");
        CliHarness.Run r = cli.run("mcp", "--audit-log", log.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains(log + " is in a directory the sandboxed commands can write");
        assertThat(log).doesNotExist();
    }

    /**
     * Red team, round 51, F7: a policy file in the workspace could be rewritten by a download ({@code s3 cp … ./policy.json},
     * a read even in read-only mode), lifting read-only mode and the deny rules at the next start; refused at start. The
     * control: the same file outside the workspace starts the server.
     */
    @Test
    void aPolicyFileInTheWorkspaceStopsTheServer() throws IOException {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Path workspace = Files.createDirectories(host.root().resolve("workspace"));
        host.set("AWS_MCP_WORKDIR", workspace.toString());
        Path inside = Files.writeString(workspace.resolve("mcp-policy.json"), "{\"readOnly\": true}\n");
        host.set("AWS_MCP_POLICY_FILE", inside.toString());
        CliHarness.Run r = cli.run("mcp");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains("the policy file " + inside + " is in the workspace");
        // outside test WF29, F20: alone, without a command line's warning about the same file before it
        assertThat(r.err()).doesNotContain("warning:");

        Path outside = Files.writeString(host.root().resolve("mcp-policy.json"), "{\"readOnly\": true}\n");
        host.set("AWS_MCP_POLICY_FILE", outside.toString());
        CliHarness.Run started = cli.run("mcp"); // stdin closed: the server starts, and stops with its client
        assertThat(started.code()).as(started.err()).isZero();
    }

    /** Issue 12, item 5: doctor said "all checks passed" (exit 0) without an AWS CLI. */
    @Test
    void doctorFailsWithoutAWorkingAwsCli() throws IOException {
        Requirements.requireLandlock();
        host.set("PATH", host.root() + ":/usr/bin:/bin");
        CliHarness.Run missing = cli.run("doctor");
        assertThat(missing.code()).as(missing.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(missing.out()).contains("FAIL  aws --version: the AWS CLI ('aws') is not on PATH")
                .doesNotContain("all checks passed");

        brokenAws();
        CliHarness.Run broken = cli.run("doctor");
        assertThat(broken.code()).as(broken.out()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(broken.out()).contains("FAIL  aws --version works sandboxed: botocore is broken")
                .contains("the MCP server does not start until it does");
    }

    /** An {@code aws} on PATH that fails as a broken installation does. */
    private void brokenAws() throws IOException {
        Path bin = Files.createDirectories(host.root().resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, "#!/bin/sh\necho 'botocore is broken' >&2\nexit 3\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwxr-xr-x"));
        host.set("PATH", bin + ":/usr/bin:/bin");
    }

    @Test
    void aPolicyFileThatCannotBeReadIsAUsageError() throws IOException {
        Path directory = Files.createDirectories(host.root().resolve("policy.json"));
        host.set("AWS_MCP_POLICY_FILE", directory.toString());
        CliHarness.Run notAFile = cli.run("mcp");
        assertThat(notAFile.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAFile.error()).isEqualTo("aws-sandbox: error: cannot read the MCP policy file " + directory
                + " (AWS_MCP_POLICY_FILE): it is not a file; point AWS_MCP_POLICY_FILE at a readable JSON file, or unset it");

        host.set("AWS_MCP_POLICY_FILE", host.root().resolve("missing.json").toString());
        CliHarness.Run missing = cli.run("mcp", "--print-policy");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.error()).contains(host.root().resolve("missing.json") + " (AWS_MCP_POLICY_FILE) does not exist");
    }

    /** Outside test WF30, F18: --print-policy names the endpoints the server's own AWS_ENDPOINT_URL* variables allow. */
    @Test
    void thePrintedPolicyNamesTheServersOwnEndpoints() {
        CliHarness.Run without = cli.run("mcp", "--print-policy");
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(without.out()).as("control").doesNotContain("serverEndpoints");
        host.set("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:5123");
        CliHarness.Run with = cli.run("mcp", "--print-policy");
        assertThat(with.code()).as(with.err()).isZero();
        assertThat(with.out()).contains("serverEndpoints").contains("AWS_ENDPOINT_URL_S3=http://127.0.0.1:5123");
    }

    @Test
    void anInvalidPolicyVariableIsAUsageErrorNamingIt() {
        host.set("AWS_MCP_READ_ONLY", "perhaps");
        CliHarness.Run r = cli.run("mcp", "--print-policy");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains("AWS_MCP_READ_ONLY").contains("'perhaps'").contains("expected true or false");
    }

    @Test
    void anInvalidTransportVariableIsAUsageErrorNamingIt() throws IOException {
        host.set("AWS_MCP_TRANSPORT", "carrier-pigeon");
        fakeServiceModels();
        CliHarness.Run r = cli.run("mcp");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).isEqualTo("aws-sandbox: error: invalid AWS_MCP_TRANSPORT value 'carrier-pigeon': expected"
                + " one of stdio, streamable-http, sse; correct or unset AWS_MCP_TRANSPORT");
    }

    @Test
    void aMissingRoOrRwPathIsAUsageError() {
        Path missing = host.root().resolve("no-such-dir");
        CliHarness.Run rw = cli.run("run", "--rw", missing.toString(), "--", "true");
        assertThat(rw.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rw.error()).isEqualTo("aws-sandbox: error: --rw " + missing + ": no such file or directory; --rw grants"
                + " an existing path (create it first)");
        CliHarness.Run ro = cli.run("pipe", "--ro", missing.toString(), "cat");
        assertThat(ro.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ro.error()).contains("--ro " + missing + ": no such file or directory");
    }

    /** {@code --rw "$DIR"} with DIR unset: the empty path resolved to the working directory, granted it, and said nothing. */
    @Test
    void anEmptyRoOrRwPathIsAUsageErrorNotTheWorkingDirectory() {
        CliHarness.Run rw = cli.run("policy", "--rw", "", "--", "true");
        assertThat(rw.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rw.error()).isEqualTo("aws-sandbox: error: --rw '': an empty path; name the path to grant ('.' for the"
                + " working directory)");
        CliHarness.Run ro = cli.run("run", "--ro", " ", "--", "true");
        assertThat(ro.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ro.error()).contains("--ro ' ': an empty path");
        // the control: '.' names the working directory, and is granted
        CliHarness.Run dot = cli.run("policy", "--rw", ".", "--", "true");
        assertThat(dot.code()).as(dot.err()).isZero();
        assertThat(dot.out()).contains("rw  " + cli.host().work());
    }

    /**
     * {@code --backend landlock --mode disabled} ran the command without isolation, with only a note:
     * a backend asked for with the sandbox turned off (by the flag or AWS_MCP_SANDBOX) is a usage error.
     */
    @Test
    void aBackendWithTheSandboxDisabledIsAUsageError() throws IOException {
        Path marker = host.work().resolve("ran");
        CliHarness.Run flag = cli.run("run", "--mode", "disabled", "--backend", "landlock", "--", "touch", marker.toString());
        assertThat(flag.code()).as(flag.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(flag.error()).isEqualTo("aws-sandbox: error: --backend landlock asks for a sandbox, but --mode disabled"
                + " turns it off; drop one of them (--backend none runs without isolation on purpose)");
        host.set("AWS_MCP_SANDBOX", "disabled");
        CliHarness.Run variable = cli.run("run", "--backend", "bubblewrap", "--", "touch", marker.toString());
        assertThat(variable.code()).as(variable.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(variable.error()).contains("--backend bubblewrap asks for a sandbox, but AWS_MCP_SANDBOX=disabled turns it off");
        assertThat(marker).doesNotExist();
        // the controls: none with disabled is consistent, and runs (unsandboxed, on purpose)
        CliHarness.Run none = cli.run("run", "--backend", "none", "--", "touch", marker.toString());
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(marker).exists();
    }

    /**
     * Workflow test of 2026-12-05, F26: {@code --mode disabled --no-network} ran the command with the
     * network open, and {@code --allow-host} only set a proxy the command could ignore: a network rule
     * with the sandbox off (by the flag, AWS_MCP_SANDBOX or {@code --backend none}) is a usage error,
     * and the command does not run. Control: the same command without the network rule runs.
     */
    @Test
    void aNetworkRuleWithoutASandboxIsAUsageError() throws IOException {
        Path marker = host.work().resolve("ran");
        CliHarness.Run flag = cli.run("run", "--mode", "disabled", "--no-network", "--", "touch", marker.toString());
        assertThat(flag.code()).as(flag.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(flag.error()).isEqualTo("aws-sandbox: error: --no-network restricts the network, but --mode disabled"
                + " runs the command without a sandbox, which cannot enforce it; drop one of them");
        CliHarness.Run none = cli.run("run", "--backend", "none", "--allow-host", "*.amazonaws.com", "--", "touch",
                marker.toString());
        assertThat(none.code()).as(none.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.error()).contains("--allow-host restricts the network, but --backend none runs the command");
        host.set("AWS_MCP_SANDBOX", "disabled");
        CliHarness.Run variable = cli.run("pipe", "--no-network", "touch " + marker);
        assertThat(variable.code()).as(variable.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(variable.error()).contains("but AWS_MCP_SANDBOX=disabled runs the command without a sandbox");
        assertThat(marker).doesNotExist();
        CliHarness.Run control = cli.run("run", "--", "touch", marker.toString());
        assertThat(control.code()).as(control.err()).isZero();
        assertThat(marker).exists();
    }

    /**
     * Workflow review of 2026-12-04, F15: {@code AWS_MCP_SANDBOX=required} (or {@code --mode required}) with
     * {@code --backend none} ran the command without isolation, with a note that said "mode disabled": required
     * refuses rather than runs with less, so the pair is a usage error. Control: none with mode auto runs, on purpose.
     */
    @Test
    void theNoneBackendWithTheSandboxRequiredIsAUsageError() throws IOException {
        Path marker = host.work().resolve("ran");
        CliHarness.Run flag = cli.run("run", "--mode", "required", "--backend", "none", "--", "touch", marker.toString());
        assertThat(flag.code()).as(flag.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(flag.error()).isEqualTo("aws-sandbox: error: --backend none runs without isolation, but --mode required"
                + " refuses to run without a sandbox; drop one of them");
        host.set("AWS_MCP_SANDBOX", "required");
        CliHarness.Run variable = cli.run("run", "--backend", "none", "--", "touch", marker.toString());
        assertThat(variable.code()).as(variable.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(variable.error()).contains("but AWS_MCP_SANDBOX=required refuses to run without a sandbox");
        assertThat(marker).doesNotExist();
        host.set("AWS_MCP_SANDBOX", "auto");
        CliHarness.Run none = cli.run("run", "--backend", "none", "--", "touch", marker.toString());
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(marker).exists();
    }

    /** {@code run -- "$PROG"} with PROG unset: an empty program name was an internal error with a Java exception's name. */
    @Test
    void anEmptyProgramNameIsAUsageError() {
        for (String subcommand : List.of("run", "policy")) {
            CliHarness.Run r = cli.run(subcommand, "--", "", "x");
            assertThat(r.code()).as(subcommand).isEqualTo(ExitCodes.USAGE);
            assertThat(r.error()).as(subcommand).startsWith("aws-sandbox: error: the command's name is empty (''): name the"
                    + " program to run after --").doesNotContain("internal error").doesNotContain("Exception");
        }
        // the control: an empty argument after the program is an argument like any other
        CliHarness.Run arg = cli.run("run", "--", "printf", "[%s]", "");
        assertThat(arg.code()).as(arg.err()).isZero();
        assertThat(arg.out()).isEqualTo("[]");
    }

    /**
     * /proc/self is resolved when the command is planned, in aws-sandbox: a grant of /proc/self/mem
     * granted the supervisor's memory file (the kernel's ptrace check refused the open, but the grant
     * should not exist), and never the command's own.
     */
    @Test
    void aGrantOfProcSelfIsRefusedAsTheSupervisorsOwnProcess() {
        Requirements.requireLandlock();
        for (String path : List.of("/proc/self/mem", "/proc/thread-self/environ", "/proc/self", "/dev/fd")) {
            CliHarness.Run r = cli.run("policy", "--backend", "landlock", "--rw", path, "--", "true");
            assertThat(r.code()).as(path + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.error()).as(path).contains(path).contains("aws-sandbox's own process");
        }
        CliHarness.Run ro = cli.run("policy", "--backend", "landlock", "--ro", "/proc/self/status", "--", "true");
        assertThat(ro.code()).isEqualTo(ExitCodes.USAGE);
        // the control: another /proc file is granted as asked
        CliHarness.Run cpu = cli.run("policy", "--backend", "landlock", "--ro", "/proc/cpuinfo", "--", "true");
        assertThat(cpu.code()).as(cpu.err()).isZero();
        assertThat(cpu.out()).contains("ro  /proc/cpuinfo");
    }

    @Test
    void aProgramThatIsNotExecutableExits126() throws IOException {
        Path garbage = host.work().resolve("garbage");
        Files.write(garbage, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, 3});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        CliHarness.Run r = cli.run("run", "--mode", "disabled", "--", garbage.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.NOT_EXECUTABLE);
        assertThat(r.error()).startsWith("aws-sandbox: error: cannot run " + garbage)
                .endsWith("; 'aws-sandbox policy -- CMD' shows what the command may read and execute");
    }

    @Test
    void aProgramNotFoundExits127() {
        CliHarness.Run r = cli.run("pipe", "cat | no-such-program-xyz");
        assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.error()).startsWith("aws-sandbox: error: cannot run no-such-program-xyz: not found")
                .endsWith("; check its name, or give its path");
    }

    @Test
    void anUnenforceablePolicyInRequiredModeExits125() {
        Requirements.requireLandlock();
        // Landlock as on a kernel with ABI 2, which cannot restrict truncate()
        CliHarness.Run r = cli.sandboxes(b -> TestBackends.first(b, BackendKind.LANDLOCK, new LandlockBackend(2)))
                .run("run", "--mode", "required", "--", "true");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(r.error()).contains("sandbox mode is required but this kernel cannot enforce the whole policy")
                .endsWith("; 'aws-sandbox doctor' shows what this kernel enforces, and --mode auto runs with these gaps"
                        + " reported");
    }

    @Test
    void noBackendAvailableExits125() {
        CliHarness.Run forced = cli.run("policy", "--backend", "seatbelt", "--", "true");
        assertThat(forced.code()).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(forced.error()).contains("the seatbelt backend was asked for but is unavailable")
                .endsWith("; 'aws-sandbox doctor' shows every backend and why it is unavailable");

        FakeSandboxExec refusing = FakeSandboxExec.failing(host.root(), "sandbox_apply: Operation not permitted");
        CliHarness.Run required = cli.sandboxes(b -> TestBackends.first(b, BackendKind.SEATBELT,
                        new SeatbeltBackend(refusing.macProbe())))
                .run("run", "--mode", "required", "--", "true");
        assertThat(required.code()).as(required.err()).isEqualTo(ExitCodes.SANDBOX_FAILURE);
        assertThat(required.error()).contains("sandbox mode is required but no sandbox backend is available")
                .endsWith("; 'aws-sandbox doctor' shows every backend and why it is unavailable");
    }

    @Test
    void aWrongWordIsAUsageErrorListingTheAcceptedOnes() {
        CliHarness.Run transport = cli.run("mcp", "--transport", "carrier-pigeon");
        assertThat(transport.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(transport.error()).isEqualTo("aws-sandbox: error: Invalid value for option '--transport': 'carrier-pigeon':"
                + " expected one of stdio, streamable-http, sse (see 'aws-sandbox mcp --help')");
        CliHarness.Run size = cli.run("run", "--max-memory", "1X", "--", "true");
        assertThat(size.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(size.error()).contains("'1X': expected bytes or a size such as 100K, 512M, 4G");
        assertThat(cli.run("run", "--backend", "BWRAP", "--mode", "Required", "--credentials", "AWS_CONFIG",
                "--help").code()).isZero(); // words are read in any case
    }

    @Test
    void helpListsTheAcceptedWordsAndTheExitCodes() {
        String run = cli.run("run", "--help").out();
        assertThat(run).contains("auto, disabled, required").contains("landlock, bubblewrap, seatbelt, none")
                .contains("env, aws_config, both, none").contains("--timeout=DURATION");
        assertThat(cli.run("mcp", "--help").out()).contains("stdio, streamable-http, sse");
        for (String command : new String[] {"run", "pipe", "policy", "doctor", "mcp"}) {
            String help = cli.run(command, "--help").out();
            for (var code : ExitCodes.MEANINGS.entrySet()) {
                assertThat(help).as(command + " --help").containsPattern("(?m)^\\s+" + code.getKey() + "\\s+"
                        + java.util.regex.Pattern.quote(code.getValue().substring(0, Math.min(20, code.getValue().length()))));
            }
        }
        assertThat(cli.run("--help").out()).contains("Exit codes").contains("75");
    }

    /** botocore's data directory with one (empty) service model: enough for the server to start. */
    private void fakeServiceModels() throws IOException {
        Path data = host.root().resolve("botocore/data");
        Files.createDirectories(data.resolve("sts/2011-06-15"));
        Files.writeString(data.resolve("sts/2011-06-15/service-2.json"), "{}");
        host.set("AWS_MCP_BOTOCORE_DATA", data.toString());
    }


    /** Workflow finding F21 (ArgumentBytesIT with real bytes): an argument the JVM read as U+FFFD is refused, and nothing runs. */
    @Test
    void anArgumentWithBytesTheLocaleCannotDecodeIsRefused() {
        CliHarness.Run run = cli.run("run", "--", "printf", "%s", "a\uFFFDb");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("aws-sandbox: error: argument 5").contains("LC_ALL=C.UTF-8");
    }
}
