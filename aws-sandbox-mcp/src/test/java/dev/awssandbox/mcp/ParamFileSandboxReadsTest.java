package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server reads a {@code file://} parameter file only when the sandboxed AWS CLI could read it
 * itself (testers' F4). It had read every workspace file, outside the sandbox, and given the AWS CLI
 * a copy: with {@code KUBECONFIG} naming a file in the workspace the core does not give the command
 * the working directory, yet {@code --cli-input-json file://kubeconfig} returned the file's token in
 * the AWS CLI's "Invalid JSON … JSON received:" error. The control: a file in an ordinary workspace
 * still reaches the AWS CLI.
 */
class ParamFileSandboxReadsTest {
    private static final String TOKEN = "ZQXLEAK";

    private static TestHost host() {
        return McpToolsSandboxTest.awsHost().set("AWS_MCP_READ_ONLY", "true");
    }

    @Test
    void aFileTheSandboxWithholdsFromTheCommandIsNotReadForIt() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = host()) {
            Path workspace = Files.createDirectory(host.work().resolve("workspace"));
            Path kubeconfig = workspace.resolve("kubeconfig");
            Files.writeString(kubeconfig, "apiVersion: v1\nusers:\n- name: u\n  user:\n    token: " + TOKEN + "\n");
            try (ServerContext context = ServerContext.create(host.set("AWS_MCP_WORKDIR", workspace.toString())
                    .set("KUBECONFIG", kubeconfig.toString()).environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));

                McpSchema.CallToolResult result = tools.pipeline(Call.NONE,
                        Map.of("command", "aws sts get-caller-identity --cli-input-json file://kubeconfig"));

                String text = McpToolsSandboxTest.text(result);
                assertThat(result.isError()).isTrue();
                assertThat(((Map<?, ?>) result.structuredContent()).get("status")).as(text).isEqualTo("refused");
                assertThat(text).doesNotContain(TOKEN)
                        .contains("the AWS CLI's sandbox does not let the command read this file")
                        .contains("named by KUBECONFIG");
            }
        }
    }

    @Test
    void aFileInAnOrdinaryWorkspaceStillReachesTheAwsCli() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = host()) {
            Path workspace = Files.createDirectory(host.work().resolve("workspace"));
            // not JSON: the AWS CLI's error quotes what it received, which proves the copy reached it
            Files.writeString(workspace.resolve("input.json"), "control-text-" + TOKEN + "\n");
            try (ServerContext context = ServerContext.create(host.set("AWS_MCP_WORKDIR", workspace.toString())
                    .environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));

                McpSchema.CallToolResult result = tools.pipeline(Call.NONE,
                        Map.of("command", "aws sts get-caller-identity --cli-input-json file://input.json"));

                String text = McpToolsSandboxTest.text(result);
                assertThat(((Map<?, ?>) result.structuredContent()).get("status")).as(text).isEqualTo("error");
                assertThat(text).contains("JSON received: control-text-" + TOKEN);
            }
        }
    }
}
