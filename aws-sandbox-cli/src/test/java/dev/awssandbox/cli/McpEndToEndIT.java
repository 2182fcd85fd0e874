package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's MCP server driven by a real third-party client: the official TypeScript SDK
 * (pinned in src/test/node/package-lock.json), over stdio and over streamable HTTP, against a real
 * moto_server.
 */
class McpEndToEndIT {

    @Test
    void theTypeScriptSdkClientDrivesTheServerOverStdio() throws Exception {
        runClient(List.of("client.mjs"), "ok CVE-2026-5059 payload refused", "ok the timeout kills the command");
    }

    @Test
    void theTypeScriptSdkClientDrivesTheServerOverStreamableHttp() throws Exception {
        runClient(List.of("client-http.mjs"), "ok a foreign Origin is rejected", "ok 20 concurrent calls all succeed");
    }

    /** Issue 14, item 3: the stdio server went deaf with 50 calls in flight and outlived its client. */
    @Test
    void fiftyConcurrentCallsOverStdioAreAllAnsweredAndTheServerExitsWithItsClient() throws Exception {
        runClient(List.of("client-load.mjs", "stdio"), "ok 50 concurrent calls from one stdio client: every call is answered",
                "ok the stdio server still answers afterwards", "ok server threads come back near the baseline",
                "ok the server exits when its client closes stdin with 50 calls running");
    }

    @Test
    void fiftyConcurrentCallsFromTenHttpClientsAreAllAnswered() throws Exception {
        runClient(List.of("client-load.mjs", "http"), "ok 50 concurrent calls from 10 HTTP clients: every call is answered",
                "ok the HTTP server still answers afterwards", "ok server threads come back near the baseline");
    }

    @Test
    void theStdioServerExitsWhenTheClientCloses() throws Exception {
        Requirements.requireLandlock();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(), "mcp")
                .redirectErrorStream(true).start();
        server.getOutputStream().close(); // the client disconnects at once
        boolean exited = server.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            server.destroyForcibly();
        }
        assertThat(exited).as("the server exits when its stdin closes").isTrue();
        assertThat(server.exitValue()).isZero();
    }

    private void runClient(List<String> script, String... expected) throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Path node = Requirements.requireProgram("node");
        Path npm = Requirements.requireProgram("npm");
        Path clientDir = Path.of("src/test/node").toAbsolutePath();
        if (!Files.isDirectory(clientDir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
            Process install = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                    .directory(clientDir.toFile()).redirectErrorStream(true).start();
            String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as(out).isZero();
        }
        try (MotoServer moto = MotoServer.start(); TestHost host = new TestHost()) {
            List<String> argv = new ArrayList<>();
            argv.add(node.toString());
            argv.addAll(script);
            argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    Path.of("target/aws-sandbox.jar").toAbsolutePath().toString(), moto.endpoint(), host.home().toString()));
            Process client = new ProcessBuilder(argv).directory(clientDir.toFile()).redirectErrorStream(true).start();
            client.getOutputStream().close();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(600, TimeUnit.SECONDS)).isTrue();
            System.out.println(out);
            assertThat(client.exitValue()).as(out).isZero();
            assertThat(out).contains(expected).contains("passed, 0 failed");
        }
    }
}
