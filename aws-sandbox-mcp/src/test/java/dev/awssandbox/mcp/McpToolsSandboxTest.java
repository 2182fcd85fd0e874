package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxMode;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters get nothing to leak: no credential variables, no ~/.aws, no writable path (found in review). */
class McpToolsSandboxTest {

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
    }

    @Test
    void filtersSeeNoSecretsAndCannotWrite() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Requirements.requireProgram("jq");
        try (TestHost host = new TestHost().withAwsConfig().set("AWS_SECRET_ACCESS_KEY", "env-secret-bait")) {
            Sandbox sandbox = Sandbox.builder().host(host.environment()).mode(SandboxMode.REQUIRED).build();
            AwsTools tools = new AwsTools(sandbox, McpSettings.fromEnvironment(host.environment()), new CallGate(8));

            String env = text(tools.pipeline(Map.of("command", "aws --version | jq -n env")));
            assertThat(env).contains("PATH").doesNotContain("env-secret-bait").doesNotContain("AWS_SECRET_ACCESS_KEY");

            String creds = text(tools.pipeline(Map.of("command",
                    "aws --version | head -c 200 " + host.home().resolve(".aws/credentials"))));
            assertThat(creds).doesNotContain("bait-secret").doesNotContain("AKIATESTBAIT");

            McpSchema.CallToolResult write = tools.pipeline(Map.of("command",
                    "aws --version | uniq - " + host.work().resolve("planted")));
            assertThat(write.isError()).isTrue();
            assertThat(host.work().resolve("planted")).doesNotExist();
        }
    }

    @Test
    void theAwsStageWritesOnlyIntoItsScratchDirectory() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (dev.awssandbox.core.testing.MotoServer moto = dev.awssandbox.core.testing.MotoServer.start();
             TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                     .set("AWS_REGION", "us-east-1").set("AWS_MCP_SANDBOX", "required")) {
            // the server was started in host.work(), which a download must not be able to touch
            AwsMcpServer.Setup setup = AwsMcpServer.setup(host.environment());
            AwsTools tools = new AwsTools(setup.sandbox(), setup.settings(), new CallGate(8));
            String aws = "aws --endpoint-url " + moto.endpoint() + " ";
            assertThat(tools.pipeline(Map.of("command", aws + "s3 mb s3://scratch-test")).isError()).isFalse();
            assertThat(tools.pipeline(Map.of("command", aws + "s3api put-object --bucket scratch-test --key k")).isError())
                    .isFalse();

            McpSchema.CallToolResult planted = tools.pipeline(Map.of("command",
                    aws + "s3 cp s3://scratch-test/k " + host.work().resolve("planted")));
            McpSchema.CallToolResult local = tools.pipeline(Map.of("command", aws + "s3 cp s3://scratch-test/k ./here"));

            assertThat(planted.isError()).isTrue();
            assertThat(host.work().resolve("planted")).doesNotExist();
            assertThat(local.isError()).as(text(local)).isFalse();
            assertThat(setup.sandbox().host().workingDirectory().resolve("here")).exists();
        }
    }
}
