package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters get nothing to leak; the AWS CLI writes only its workspace, which goes when the server stops. */
class McpToolsSandboxTest {

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream().map(c -> ((McpSchema.TextContent) c).text()).reduce("", (a, b) -> a + b + "\n");
    }

    private static McpSchema.CallToolResult call(AwsTools tools, String command) {
        return tools.pipeline(Call.NONE, Map.of("command", command));
    }

    @Test
    void filtersSeeNoSecretsAndCannotWrite() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Requirements.requireProgram("jq");
        try (TestHost host = new TestHost().withAwsConfig().set("AWS_SECRET_ACCESS_KEY", "env-secret-bait")
                .set("AWS_MCP_SANDBOX", "required");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));

            String env = text(call(tools, "aws --version | jq -n env"));
            assertThat(env).contains("PATH").doesNotContain("env-secret-bait").doesNotContain("AWS_SECRET_ACCESS_KEY");

            McpSchema.CallToolResult creds = call(tools, "aws --version | head -c 200 " + host.home().resolve(".aws/credentials"));
            assertThat(creds.isError()).isTrue();
            assertThat(text(creds)).contains("head takes no operand").doesNotContain("bait-secret");

            McpSchema.CallToolResult write = call(tools, "aws --version | uniq - " + host.work().resolve("planted"));
            assertThat(write.isError()).isTrue();
            assertThat(host.work().resolve("planted")).doesNotExist();
        }
    }

    /**
     * Outside test WF29, F6: with a profile whose credential_process program lies outside what the sandbox gives, every
     * call failed with a bare "[Errno 13] Permission denied", and the operator had no way to grant it. The call carries a
     * hint that only the user can, and {@code AWS_MCP_SANDBOX_READ_PATHS} grants it. Control: granted, the AWS CLI runs
     * the program (its key shows in {@code aws configure list}).
     */
    @Test
    void aCredentialProcessProgramIsGrantedByTheOperatorAndItsDenialIsExplained() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_MCP_SANDBOX", "required")) {
            Path program = host.outsideFile("creds.sh", "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\":"
                    + " \"AKIDPROCESS0000001\", \"SecretAccessKey\": \"s\"}'\n");
            Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(host.home().resolve(".aws"));
            Files.writeString(host.home().resolve(".aws/config"), "[default]\nregion = us-east-1\ncredential_process = "
                    + program + "\n");
            try (ServerContext context = ServerContext.create(host.environment())) {
                McpSchema.CallToolResult denied = call(new AwsTools(context, new CallGate(8)), "aws configure list");
                assertThat(denied.isError()).isTrue();
                assertThat(text(denied)).contains("Permission denied");
                assertThat(String.valueOf(denied.structuredContent())).contains("AWS_MCP_SANDBOX_READ_PATHS")
                        .contains("retrying will not help");
            }
            host.set("AWS_MCP_SANDBOX_READ_PATHS", program.toString());
            try (ServerContext context = ServerContext.create(host.environment())) {
                McpSchema.CallToolResult granted = call(new AwsTools(context, new CallGate(8)), "aws configure list");
                assertThat(granted.isError()).as(text(granted)).isFalse();
                assertThat(text(granted)).contains("0001").contains("custom-process");
            }
        }
    }

    /** A host with the AWS CLI's test keys and region, whose server must sandbox its commands. */
    static TestHost awsHost() {
        return new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                .set("AWS_REGION", "us-east-1").set("AWS_MCP_SANDBOX", "required");
    }

    @Test
    void theAwsStageWritesOnlyIntoItsWorkspaceWhichIsRemovedAtTheEnd() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Path state;
        try (MotoServer moto = MotoServer.start();
             TestHost host = awsHost()
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            state = context.stateDirectory();
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            assertThat(call(tools, aws + "s3 mb s3://scratch-test").isError()).isFalse();
            assertThat(call(tools, aws + "s3api put-object --bucket scratch-test --key k").isError()).isFalse();
            // outside test WF29, F24: the AWS CLI's silent exit 1 for an empty prefix gets a hint; control: a listed one
            McpSchema.CallToolResult empty = call(tools, aws + "s3 ls s3://scratch-test/zzz");
            assertThat(empty.isError()).isTrue();
            assertThat(text(empty)).contains("hint: aws s3 ls exits 1 without a word when nothing matches");
            assertThat(text(call(tools, aws + "s3 ls s3://scratch-test/"))).as("control").contains(" k")
                    .doesNotContain("nothing matches");

            McpSchema.CallToolResult planted = call(tools, aws + "s3 cp s3://scratch-test/k " + host.work().resolve("planted"));
            McpSchema.CallToolResult local = call(tools, aws + "s3 cp s3://scratch-test/k ./here");

            assertThat(planted.isError()).isTrue();
            assertThat(text(planted)).contains("is absolute");
            assertThat(host.work().resolve("planted")).doesNotExist();
            assertThat(local.isError()).as(text(local)).isFalse();
            assertThat(context.workspace().resolve("here")).exists();
            assertThat(context.workspace()).startsWith(state);
        }
        assertThat(Files.exists(state)).as("the private directory goes with the server").isFalse();
    }

    /**
     * Red team, mcp round D, D5: a workspace named with {@code AWS_MCP_WORKDIR} that is missing is created private, its
     * missing parents too, as the default one is (it had been made 0755: every local user could list what the model
     * downloads). Control: a directory that is there keeps its mode.
     */
    @Test
    void aNamedWorkspaceThatIsMissingIsCreatedPrivate() throws Exception {
        Requirements.requireLandlock();
        Path there = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")).resolve("ws-there-" + ProcessHandle.current().pid()));
        try (TestHost host = new TestHost()) {
            Path named = host.work().resolve("ws/a/b");
            try (ServerContext context = ServerContext.create(host.set("AWS_MCP_WORKDIR", named.toString())
                    .environment())) {
                for (Path p : List.of(host.work().resolve("ws"), host.work().resolve("ws/a"), named)) {
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                            .as(p.toString()).isEqualTo("rwx------");
                }
            }
            Files.setPosixFilePermissions(there, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
            try (ServerContext context = ServerContext.create(host.set("AWS_MCP_WORKDIR", there.toString())
                    .environment())) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(there)))
                        .isEqualTo("rwxr-x---");
            }
        } finally {
            Files.deleteIfExists(there);
        }
    }

    /**
     * Red team, mcp round D, D4: an allowed endpoint was matched by its origin alone, and botocore sends an operation to
     * the path the URL names: {@code aws sts get-caller-identity --endpoint-url MOTO/moto-api/reset}, a read under
     * read-only mode, reached moto's reset route and deleted every bucket. An allowed endpoint is allowed with its own
     * path only. Control: the same read at the endpoint as allowed runs (and reaches moto).
     */
    @Test
    void anAllowedEndpointIsAllowedWithItsOwnPathOnly() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = awsHost().set("AWS_MCP_READ_ONLY", "true")
                     .set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint();
            ProcessBuilder made = new ProcessBuilder(Requirements.hostProgram("aws"), "--endpoint-url", moto.endpoint(),
                    "s3", "mb", "s3://kept-bucket").redirectErrorStream(true);
            made.environment().putAll(host.environment().variables());
            Process mb = made.start();
            mb.getInputStream().readAllBytes();
            assertThat(mb.waitFor()).as("the operator makes a bucket").isZero();

            McpSchema.CallToolResult reset = call(tools, aws + "/moto-api/reset sts get-caller-identity");
            // round E, E1: the same route through path-style addressing (a read that posts to /moto-api/reset)
            McpSchema.CallToolResult select = call(tools, aws + " s3api select-object-content --bucket moto-api --key reset"
                    + " --expression x --expression-type SQL --input-serialization '{\"CSV\": {}}'"
                    + " --output-serialization '{\"CSV\": {}}' out.csv");
            McpSchema.CallToolResult dump = call(tools, aws + " s3 cp s3://moto-api/data.json -");
            McpSchema.CallToolResult slash = call(tools, aws + "/ s3api list-buckets");

            assertThat(reset.isError()).isTrue();
            assertThat(text(reset)).contains("is not allowed").contains("with its own path");
            for (McpSchema.CallToolResult route : List.of(select, dump)) {
                assertThat(route.isError()).isTrue();
                assertThat(text(route)).contains("route of a local AWS emulator");
            }
            assertThat(slash.isError()).as(text(slash)).isFalse();
            assertThat(text(slash)).as("moto kept its state").contains("kept-bucket");
        }
    }

    /**
     * Outside test RT33, F9: a '.' or '..' segment in an S3 key or {@code s3://} path is taken out of the request's path
     * by the AWS CLI's HTTP client, so {@code put-object --bucket decoy --key ../kept-bucket/x} wrote into another bucket
     * than the one named (and the consent question named the decoy), and under an allowed endpoint's own path
     * {@code ../../} left that path. Refused before anything runs, for s3api's path members, {@code s3://} paths and
     * {@code --cli-input-json}. Control: the same writes named plainly reach moto.
     */
    @Test
    void aDotSegmentInAKeyCannotMoveTheRequestToAnotherBucket() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = awsHost().set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            assertThat(call(tools, aws + "s3 mb s3://kept-bucket").isError()).isFalse();
            assertThat(call(tools, aws + "s3 mb s3://decoy").isError()).isFalse();

            for (String escape : List.of("s3api put-object --bucket decoy --key ../kept-bucket/planted",
                    "s3api put-object --bucket decoy --key a/./../../kept-bucket/planted",
                    "s3 rm s3://decoy/../kept-bucket/kept",
                    "s3api put-object --cli-input-json '{\"Bucket\": \"decoy\", \"Key\": \"../kept-bucket/planted\"}'")) {
                McpSchema.CallToolResult refused = call(tools, aws + escape);
                assertThat(refused.isError()).as(escape).isTrue();
                assertThat(text(refused)).as(escape).contains("'.' or '..' path segment");
            }
            // control: named plainly, the same writes run; nothing was planted by the refused ones
            assertThat(call(tools, aws + "s3api put-object --bucket kept-bucket --key kept").isError()).isFalse();
            assertThat(call(tools, aws + "s3api put-object --bucket decoy --key a..b/.hidden").isError()).isFalse();
            assertThat(text(call(tools, aws + "s3 ls s3://kept-bucket/"))).contains("kept").doesNotContain("planted");
        }
    }

    /**
     * Outside test WF30, F17: a grep filter that matches nothing exits 1, and the call had been a failure without a word.
     * It says so. Control: a grep that matches succeeds without that hint.
     */
    @Test
    void aGrepThatMatchesNothingIsSaidAsSuch() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_MCP_SANDBOX", "required");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            McpSchema.CallToolResult none = call(tools, "aws --version | grep no-such-text");
            assertThat(none.isError()).isTrue();
            assertThat(text(none)).contains("grep exits 1 when no line matches");
            McpSchema.CallToolResult some = call(tools, "aws --version | grep aws-cli");
            assertThat(some.isError()).as(text(some)).isFalse();
            assertThat(text(some)).doesNotContain("grep exits 1");
        }
    }

    /**
     * Outside test WF30, F5: a download named like a credential store ({@code .netrc}) makes the sandbox withhold the
     * workspace from every later command; the model had been told nothing, then CLI advice ({@code --ro}) or a
     * credential_process hint. The download's own result says so, and so does every later call's, in the server's words
     * (ask the user to remove it). Control: before the download, a call carries no such note.
     */
    @Test
    void aDownloadThatMakesTheSandboxWithholdTheWorkspaceIsSaidToTheModel() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = awsHost().set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            assertThat(call(tools, aws + "s3 mb s3://withheld-ws").isError()).isFalse();
            Files.writeString(context.workspace().resolve("n.txt"), "machine example.com login u password p\n");
            McpSchema.CallToolResult upload = call(tools, aws + "s3 cp n.txt s3://withheld-ws/n.txt");
            assertThat(upload.isError()).as(text(upload)).isFalse();
            assertThat(text(upload)).as("control: nothing withheld yet").doesNotContain("does not give the AWS CLI the workspace");

            McpSchema.CallToolResult download = call(tools, aws + "s3 cp s3://withheld-ws/n.txt ./.netrc");

            assertThat(download.isError()).as(text(download)).isFalse();
            assertThat(text(download)).contains("after this command, the sandbox does not give the AWS CLI the workspace")
                    .contains(".netrc").contains("ask the user to remove it").doesNotContain("--ro");
            McpSchema.CallToolResult later = call(tools, aws + "s3 cp n.txt s3://withheld-ws/again.txt");
            assertThat(text(later)).contains("the sandbox does not give the AWS CLI the workspace").contains(".netrc")
                    .doesNotContain("--ro");
            // outside test WF31, F5: a download refused in the withheld workspace is said as such, without the errno's
            // hint of a credential_process (the AWS CLI's temporary file named as a grant to ask for)
            McpSchema.CallToolResult refused = call(tools, aws + "s3 cp s3://withheld-ws/n.txt ./b.txt");
            assertThat(refused.isError()).as(text(refused)).isTrue();
            assertThat(text(refused)).contains("it is in the workspace, which the sandbox does not give the AWS CLI")
                    .contains("ask the user to remove it").doesNotContain("credential_process")
                    .doesNotContain("AWS_MCP_SANDBOX_READ_PATHS");
        }
    }

    /**
     * Red team, mcp round 10, F3: the AWS CLI runs in the workspace, and through a pyenv shim a
     * downloaded {@code .python-version} there made every later {@code aws} call fail ("command not
     * found") or run another Python's AWS CLI. The server pins the version it found at start-up.
     */
    @Test
    void aPythonVersionFileInTheWorkspaceDoesNotChangeTheAwsCli() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_MCP_SANDBOX", "required");
             ServerContext context = ServerContext.create(host.environment())) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    dev.awssandbox.mcp.policy.AwsCli.pyenvVersion(host.environment()).isPresent(),
                    "the aws on PATH is not a pyenv shim");
            AwsTools tools = new AwsTools(context, new CallGate(8));
            Files.writeString(context.workspace().resolve(".python-version"), "0.0-not-installed\n");

            McpSchema.CallToolResult version = call(tools, "aws --version");

            assertThat(version.isError()).as(text(version)).isFalse();
            assertThat(text(version)).contains("aws-cli/");
        }
    }

    /**
     * With a region list, the AWS CLI reads a checked copy of a {@code file://} parameter file, not
     * the workspace's file (red team, mcp round 8, F5): the copy is outside the workspace, and the
     * sandbox lets the AWS CLI read it. The copies go once the call is done.
     */
    @Test
    void theAwsCliReadsTheCheckedCopyOfAParameterFile() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (MotoServer moto = MotoServer.start();
             TestHost host = awsHost()
                     .set("AWS_MCP_ALLOWED_REGIONS", "us-east-1").set("AWS_MCP_ALLOWED_ENDPOINTS", moto.endpoint());
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " --region us-east-1 ";
            assertThat(call(tools, aws + "s3 mb s3://copied-param").isError()).isFalse();
            assertThat(call(tools, aws + "s3api put-object --bucket copied-param --key seen-key").isError()).isFalse();
            Files.writeString(context.workspace().resolve("bucket.txt"), "copied-param");

            McpSchema.CallToolResult listed = call(tools, aws + "s3api list-objects-v2 --bucket file://bucket.txt");

            assertThat(listed.isError()).as(text(listed)).isFalse();
            assertThat(text(listed)).contains("seen-key");
            Path copies = context.stateDirectory().resolve("paramfiles");
            try (var left = Files.list(copies)) {
                assertThat(left.toList()).as("the call's copies are removed").isEmpty();
            }
        }
    }

    /**
     * A server killed with SIGKILL runs no shutdown hook: its private directory, workspace and all,
     * stayed in /tmp for good (hundreds after a day of tests). The next server removes those of
     * servers that no longer run; the control, one named for a live process (this JVM), stays.
     */
    @Test
    void aKilledServersPrivateDirectoryIsRemovedByTheNextServer() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        Path stale = Files.createTempDirectory(tmp, "aws-sandbox-mcp-" + tag(gone.pid()) + "-");
        Files.createDirectories(stale.resolve("workspace/left"));
        Files.writeString(stale.resolve("workspace/left/file"), "what a killed server's command wrote");
        Path live = Files.createTempDirectory(tmp, "aws-sandbox-mcp-" + tag(ProcessHandle.current().pid()) + "-");
        try (TestHost host = new TestHost().set("AWS_MCP_SANDBOX", "required");
             ServerContext context = ServerContext.create(host.environment())) {
            assertThat(context.stateDirectory().getFileName().toString()).startsWith("aws-sandbox-mcp-" + tag(ProcessHandle.current().pid()) + "-");
            assertThat(stale).as("a dead server's directory").doesNotExist();
            assertThat(live).as("the control: a live process's").exists();
        } finally {
            Files.deleteIfExists(live);
        }
    }

    /** How aws-sandbox names a JVM's leftovers: its pid namespace's inode and its pid. */
    private static String tag(long pid) throws java.io.IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("\\D", "") + "." + pid;
    }
}
