package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code aws-sandbox mcp --print-policy}, in-process. */
class CliMcpPolicyTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();
    private final TestHost host = cli.host();

    @Test
    void theEffectivePolicyShowsWhereEachValueCameFrom() throws Exception {
        host.set("AWS_MCP_READ_ONLY", "true");
        Path file = host.home().resolve(".config/aws-sandbox/mcp-policy.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"deny\": [\"iam:*\"], \"readOnly\": false}");
        CliHarness.Run r = cli.run("mcp", "--print-policy");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"readOnly\":{\"value\":true,\"from\":\"env AWS_MCP_READ_ONLY\"}")
                .contains("\"deny\":{\"value\":[\"iam:*\"],\"from\":\"file\"}").contains(file.toString());
    }

    @Test
    void aMalformedPolicyFileIsAnErrorWithLineAndColumn() throws Exception {
        Path file = host.root().resolve("policy.json");
        Files.writeString(file, "{\n  \"deny\": [\"iam:*\",]\n}");
        host.set("AWS_MCP_POLICY_FILE", file.toString());
        CliHarness.Run r = cli.run("mcp", "--print-policy");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains(file.toString()).contains("line 2 column")
                .endsWith("; correct the file, or point AWS_MCP_POLICY_FILE at another");
    }
}
