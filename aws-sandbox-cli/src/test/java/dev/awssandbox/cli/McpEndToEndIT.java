package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The packaged jar's MCP server driven by a real third-party client: the official TypeScript SDK
 * (pinned in src/test/node/package-lock.json), over stdio and over streamable HTTP, against a real
 * moto_server. Two methods run at a time: each has its own server, client and home, and most of a
 * method's time is the AWS CLI's start (about a CPU-second each, on 2 cores). They share one
 * moto_server, started by the first (its start cost each method seconds): every client names its own
 * buckets and other resources and checks only those (client-load.mjs counted all buckets; the policy
 * client counts us-east-1's VPCs, which no client creates). The other integration test classes run beside
 * it (DistributionIT's client, whose server prepares its start-up cache first, waits up to 5 minutes
 * for it: 60 s had timed out here); it is ordered first, being the longest, so that the rest fill the
 * other thread around it.
 */
@org.junit.jupiter.api.Order(1)
class McpEndToEndIT {

    private static MotoServer moto;

    /** The moto_server the methods share, started on first use. */
    private static synchronized MotoServer moto() throws Exception {
        if (moto == null || !moto.process().isAlive()) {
            moto = MotoServer.start();
        }
        return moto;
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * The clients end their servers with SIGKILL (a server that did not stop would keep the client's
     * output open), which runs no shutdown hook: the state and proxy directories those servers left in
     * the temporary directory are removed here, as the next server's start would remove them (only
     * those of JVMs that are gone).
     */
    @AfterAll
    static void removeTheKilledServersDirectories() throws java.io.IOException {
        for (String prefix : List.of("aws-sandbox-mcp-", "aws-sandbox-egress-")) {
            Sandbox.privateDirectory(prefix).close();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theTypeScriptSdkClientDrivesTheServerOverStdio() throws Exception {
        runClient(List.of("client.mjs"), "ok CVE-2026-5059 payload refused", "ok the timeout kills the command");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theTypeScriptSdkClientDrivesTheServerOverStreamableHttp() throws Exception {
        runClient(List.of("client-http.mjs"), "ok a foreign Origin is rejected", "ok a pipeline over HTTP",
                "ok consent declined over HTTP: not run", "ok a late consent answer is taken with 202",
                "ok an idle session ends with a clear error");
    }

    /** Issue 14, item 3: the stdio server went deaf with 50 calls in flight and outlived its client. */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void fiftyConcurrentCallsOverStdioAreAllAnsweredAndTheServerExitsWithItsClient() throws Exception {
        runLoadClient(List.of("client-load.mjs", "stdio"), "ok 50 concurrent calls from one stdio client: every call is answered",
                "ok the stdio server still answers afterwards", "ok server threads come back near the baseline",
                "ok the server exits when its client closes stdin with 50 calls running");
    }

    /** 50 clients, a session each, with the server's default settings: 32 sessions had turned 18 of them away. */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void fiftyHttpClientsAndFiftyConcurrentCallsFromTenAreAllAnswered() throws Exception {
        runLoadClient(List.of("client-load.mjs", "http"), "ok 50 concurrent calls from 50 HTTP clients: every call is answered",
                "ok 50 concurrent calls from 10 HTTP clients: every call is answered",
                "ok the HTTP server still answers afterwards", "ok server threads come back near the baseline");
    }

    /**
     * Issue 12, item 4: malformed, oversized and unknown messages and invalid params each get a
     * JSON-RPC error and the server keeps answering; EOF with a call running ends the server and
     * the call's command.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theStdioLoopNeverWedges() throws Exception {
        runClient(List.of("client-loop.mjs"), "ok a malformed line gets -32700 (parse error)",
                "ok an oversized line gets -32600 and is skipped", "ok an unknown method gets -32601 (method not found)",
                "ok the server exits (status 0) when stdin closes with a call running",
                "ok the running call's AWS CLI was killed (its connection closed)");
    }

    /**
     * Issue 12, items 1, 3, 4, 5 and 7 through the TypeScript client: structured output checked by
     * the client against the declared schema, plain and three-level help, the timeout message,
     * numeric strings, hints against moto's real errors, cancellation, progress and log
     * notifications, prompts, instructions, the default region, the audit log.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theServerIsADropInForThePythonServer() throws Exception {
        runClient(List.of("client-dropin.mjs"), "ok ec2 works with no region configured: us-east-1 is added",
                "ok aws_cli_pipeline declares an outputSchema", "ok \"timeout\": \"30\" (a numeric string) is accepted",
                "ok aws_cli_help returns plain text: no escape codes, no overstrike",
                "ok three-level help: ec2 wait instance-running (subcommand argument)",
                "ok the timeout message says what happened and how to raise 'timeout'",
                "ok progress notifications while the call runs (rising, of the timeout)",
                "ok progress notifications escape the command's control and bidi characters",
                "ok notifications/cancelled kills the call's AWS CLI (its connection closed long before its timeout)",
                "ok hint: NoSuchBucket", "ok hint: AccessDenied", "ok hint: no credentials",
                "ok hint: ExpiredToken (an endpoint in AWS's format)", "ok hint: EntityAlreadyExists",
                "ok hint: an endpoint that cannot be reached", "ok a refused call sends a log notification (level warning)",
                "ok a refused call's log notification escapes the command's control characters",
                "ok prompt multi_account_governance is listed",
                "ok an allowed command's line has its canonical argv, backend, exit status, duration and bytes out",
                "ok README jq: the refused calls with time, tool and reason",
                "ok README jq: the writes as time, session, command and status (tab-separated), no reads");
    }

    /**
     * Issue 12, item 6: two stateless replicas behind a round-robin proxy (and the control: with
     * sessions they fail), AWS_MCP_HOST/PORT/STATELESS, AWS_MCP_ALLOWED_HOSTS, /health, legacy SSE, the README's
     * HTTP deployment recipe.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theHttpTransportsServeReplicasNamesAndOlderClients() throws Exception {
        runClient(List.of("client-transports.mjs"), "ok AWS_MCP_HOST and AWS_MCP_PORT choose the address",
                "ok GET /health answers 200 {status: ok} (no token or Host needed)",
                "ok a Host outside AWS_MCP_ALLOWED_HOSTS is refused (403)",
                "ok the calls alternated between the two replicas, without sticky sessions",
                "ok the control: replicas with sessions fail behind the round-robin proxy", "ok a call over SSE",
                "ok recipe: a request without the token is refused (401)",
                "ok recipe: a call with the token through the public name runs sandboxed", "ok recipe: the call is in the audit log");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theStdioServerExitsWhenTheClientCloses() throws Exception {
        Requirements.requireLandlock();
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(SERVER_JVM_FLAGS);
        argv.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(), "mcp"));
        Process server = new ProcessBuilder(argv).redirectErrorStream(true).start();
        server.getOutputStream().close(); // the client disconnects at once
        boolean exited = server.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            server.destroy(); // SIGTERM: its shutdown hook removes its private directory
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertThat(exited).as("the server exits when its stdin closes").isTrue();
        assertThat(server.exitValue()).isZero();
    }

    /**
     * Issue 9 and the red team's findings: every bypass found is refused or redacted; the legitimate
     * forms work; read-only, consent, policy file.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void theAwsCommandPolicyHoldsThroughTheTypeScriptClient() throws Exception {
        runClient(List.of("client-policy.mjs", "rules"), Path.of("target/aws-sandbox.jar").toAbsolutePath().toString(),
                true, false, "ok file://$HOME/... is refused", "ok no request reached 127.0.0.2",
                "ok secrets in downloaded output are redacted", "ok read-only: create is refused naming the operation",
                "ok consent: declined, refused", "ok policy file: a malformed file stops the server, naming line and column",
                // red team findings 1 to 4
                "ok the loopback service saw no request", "ok --predict-endpoint naming the allowed endpoint runs",
                "ok --no-verify-ssl is refused", "ok read-only: and no identity was verified",
                "ok policy file: an ARN of another region", "ok policy file: an endpoint of another region",
                "ok policy file: a resource's refused command is audited");
    }

    /**
     * The redaction claim, proven: with the argument rules switched off (a test-only server), the
     * same bypasses run, the secrets reach the output, and the client still sees only ****.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void withoutTheArgumentRulesRedactionAloneKeepsTheSecretsOut() throws Exception {
        runClient(List.of("client-policy.mjs", "norules"), System.getProperty("java.class.path"), true, false,
                "ok the secrets were there and were redacted (not merely absent)");
    }

    /**
     * The JVM flags bin/aws-sandbox (src/dist/bin and the checkout's launcher) starts the server with, as an MCP
     * client configured by docs/mcp.md does: C1 only and the serial GC. The clients add them to every server they
     * start (SERVER_JVM_FLAGS); with the JVM's defaults, C2 and G1 cost each server about a CPU-second more to
     * start, and more under the load tests' 50 calls, on a 2-core machine that runs two methods at a time.
     */
    static final List<String> SERVER_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** Secrets planted where the server can know them: the credentials file, the CLI's and SSO's caches, the environment. */
    static final List<String> SECRETS = List.of("EnvSecretAccessKey/0123456789abcdefABCDEF+xyz",
            "EnvSessionTokenIQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJHMEUCIQ",
            "FileSecretAccessKey/9876543210fedcbaFEDCBA+uvw", "FileSessionTokenFwoGZXIvYXdzEBYaDPlantedTokenValue",
            "CacheSecretAccessKey/ABCDEFabcdef0123456789+rst", "CacheSessionTokenPlantedInTheCliCacheValue0123",
            "SsoAccessTokenPlantedInTheSsoCache0123456789abc");

    private static void plantSecrets(TestHost host) throws java.io.IOException {
        Path aws = Files.createDirectories(host.home().resolve(".aws"));
        Files.writeString(aws.resolve("credentials"), "[default]\naws_access_key_id = AKIAFILEDEFAULT\n"
                + "aws_secret_access_key = " + SECRETS.get(2) + "\naws_session_token = " + SECRETS.get(3) + "\n"
                + "[dev]\naws_access_key_id = testing\naws_secret_access_key = " + SECRETS.get(2) + "\n");
        Files.writeString(aws.resolve("config"), "[default]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n");
        Files.createDirectories(aws.resolve("cli/cache"));
        Files.writeString(aws.resolve("cli/cache/planted.json"), "{\"Credentials\": {\"AccessKeyId\": \"ASIACACHE\","
                + " \"SecretAccessKey\": \"" + SECRETS.get(4) + "\", \"SessionToken\": \"" + SECRETS.get(5) + "\"}}");
        Files.createDirectories(aws.resolve("sso/cache"));
        Files.writeString(aws.resolve("sso/cache/planted.json"), "{\"accessToken\": \"" + SECRETS.get(6)
                + "\", \"region\": \"us-east-1\"}");
    }

    private void runClient(List<String> script, String... expected) throws Exception {
        runClient(script, Path.of("target/aws-sandbox.jar").toAbsolutePath().toString(), false, false, expected);
    }

    /**
     * A load client, whose server finds the AWS CLI past its pyenv shim: the load is the server's (100 calls a test), not
     * the shim's bash scripts (~0.5 s of CPU a call here, on a suite that is CPU-bound); the shim's chain is tested by the
     * other clients.
     */
    private void runLoadClient(List<String> script, String... expected) throws Exception {
        runClient(script, Path.of("target/aws-sandbox.jar").toAbsolutePath().toString(), false, true, expected);
    }

    /** src/test/node with the TypeScript client installed (npm ci from its package-lock.json on first use). */
    static synchronized Path installedClient() throws Exception {
        Path npm = Requirements.requireProgram("npm");
        Path clientDir = Path.of("src/test/node").toAbsolutePath();
        if (!Files.isDirectory(clientDir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Process install = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                    .directory(clientDir.toFile()).redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as(out).isZero();
        }
        return clientDir;
    }

    private void runClient(List<String> script, String target, boolean secrets, boolean awsPastShim, String... expected)
            throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Path node = Requirements.requireProgram("node");
        Path clientDir = installedClient();
        MotoServer moto = moto();
        try (TestHost host = new TestHost()) {
            List<String> argv = new ArrayList<>();
            argv.add(node.toString());
            argv.addAll(script);
            argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), target, moto.endpoint(),
                    host.home().toString()));
            ProcessBuilder pb = new ProcessBuilder(argv).directory(clientDir.toFile()).redirectErrorStream(true);
            pb.environment().put("SERVER_JVM_FLAGS", String.join(" ", SERVER_JVM_FLAGS));
            Path aws = Path.of(Requirements.hostProgram("aws"));
            if (awsPastShim && aws.isAbsolute()) {
                pb.environment().put("PATH", aws.getParent() + ":" + System.getenv("PATH"));
            }
            if (secrets) {
                plantSecrets(host);
                pb.environment().put("SECRETS", String.join(",", SECRETS));
            }
            // output to a file, not a pipe: a server the client failed to stop would hold a pipe open forever
            Path log = Files.createTempFile(host.work(), "client-", ".log");
            pb.redirectOutput(log.toFile());
            Process client = pb.start();
            client.getOutputStream().close();
            boolean ended = client.waitFor(600, TimeUnit.SECONDS);
            // a server still running gets SIGTERM first: its shutdown hook removes its private directory, which a
            // SIGKILL left in /tmp
            List<ProcessHandle> left = client.descendants().toList();
            left.forEach(ProcessHandle::destroy);
            for (ProcessHandle process : left) {
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    process.destroyForcibly();
                }
            }
            client.destroyForcibly();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the client ended within 10 minutes: " + out).isTrue();
            System.out.println(out);
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(out).contains(expected).contains("passed, 0 failed");
        }
    }
}
