package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code aws-sandbox mcp --print-policy}, in-process. */
class CliMcpPolicyTest {

    private record Run(int code, String out, String err) {}

    private static Run run(TestHost host) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                host.environment()), "mcp", "--print-policy");
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theEffectivePolicyShowsWhereEachValueCameFrom() throws Exception {
        try (TestHost host = new TestHost().set("AWS_MCP_READ_ONLY", "true")) {
            Path file = host.home().resolve(".config/aws-sandbox/mcp-policy.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{\"deny\": [\"iam:*\"], \"readOnly\": false}");
            Run r = run(host);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("\"readOnly\":{\"value\":true,\"from\":\"env AWS_MCP_READ_ONLY\"}")
                    .contains("\"deny\":{\"value\":[\"iam:*\"],\"from\":\"file\"}").contains(file.toString());
        }
    }

    @Test
    void aMalformedPolicyFileIsAnErrorWithLineAndColumn() throws Exception {
        try (TestHost host = new TestHost()) {
            Path file = host.root().resolve("policy.json");
            Files.writeString(file, "{\n  \"deny\": [\"iam:*\",]\n}");
            host.set("AWS_MCP_POLICY_FILE", file.toString());
            Run r = run(host);
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains(file.toString()).contains("line 2 column");
        }
    }
}
