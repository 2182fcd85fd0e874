package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Outside test WF29, F15: the consent question showed the command as the model wrote it, and a command that named no
 * profile did not say whose account it acts on. The question names the profile (the server's, when the command names
 * none), where its credentials come from, and the region. Control: a profile the command names is the one shown.
 */
class ConsentAccountTest {

    @Test
    void theQuestionSaysWhoseAccountTheCommandActsOn() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_PROFILE", "prod").set("AWS_REGION", "eu-west-1")
                .set("AWS_MCP_SANDBOX", "required").set("AWS_MCP_REQUIRE_CONSENT", "true")) {
            Files.createDirectories(host.home().resolve(".aws"));
            Files.writeString(host.home().resolve(".aws/config"), "[profile prod]\nregion = eu-west-1\n"
                    + "[profile staging]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = prod\n");
            Files.writeString(host.home().resolve(".aws/credentials"), "[prod]\naws_access_key_id = AKIAEXAMPLE\n"
                    + "aws_secret_access_key = testing\n");
            try (ServerContext context = ServerContext.create(host.environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));
                List<String> asked = new ArrayList<>();

                McpSchema.CallToolResult unnamed = tools.pipeline(new Call(declining(asked), null),
                        Map.of("command", "aws s3 rm s3://b/k"));
                McpSchema.CallToolResult named = tools.pipeline(new Call(declining(asked), null),
                        Map.of("command", "aws s3 rm s3://b/k --profile staging --region us-west-2"));

                assertThat(unnamed.isError()).isTrue();
                assertThat(named.isError()).isTrue();
                assertThat(asked).hasSize(2);
                assertThat(asked.get(0)).contains("Account: profile prod (the server's; the command names none),"
                        + " credentials: static keys of profile prod; region eu-west-1.");
                assertThat(asked.get(1)).contains("Account: profile staging, credentials: profile staging assumes a role"
                        + " from profile prod; region us-west-2.").doesNotContain("the server's");
            }
        }
    }

    /** A client whose user is asked, and declines; each question's text is kept. */
    private static McpSyncServerExchange declining(List<String> asked) {
        return ElicitingClient.answering(new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null),
                java.time.Duration.ZERO, asked);
    }
}
