package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A help cut at {@code AWS_MCP_MAX_OUTPUT} says how to get one that fits: a command's help. Its
 * note had advised "--query, --max-items or a filter such as head", which help does not take
 * (testers' F11).
 */
class HelpTruncationNoteTest {

    @Test
    void aCutHelpAdvisesANarrowerHelp() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1").set("AWS_MCP_SANDBOX", "required")
                .set("AWS_MCP_MAX_OUTPUT", "300");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));

            String service = McpToolsSandboxTest.text(tools.help(Map.of("service", "s3api")));
            String command = McpToolsSandboxTest.text(tools.help(Map.of("service", "s3api", "command", "put-object")));

            assertThat(service).contains("[output truncated at 300 characters")
                    .contains("ask for one command's help instead: aws_cli_help with service 's3api' and a command")
                    .doesNotContain("a filter such as head");
            assertThat(command).contains("[output truncated at 300 characters")
                    .contains("this is one command's help, the narrowest there is").doesNotContain("a filter such as head");
        }
    }
}
