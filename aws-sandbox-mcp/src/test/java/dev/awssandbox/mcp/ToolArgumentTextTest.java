package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Text no tool argument may hold, refused at the tool's entry. Red team, mcp round 11, F2: JSON's {@code "\ud800"} is a string with a lone surrogate, which
 * Java encodes to UTF-8 as '?'. The question and the audit showed {@code --include=keep\ud800}; the
 * AWS CLI got {@code keep?}, an s3 wildcard, and deleted keepA and keepB. Every string argument of a
 * tool with an unpaired surrogate is refused at the tool's entry, before the policy reads it.
 */
class ToolArgumentTextTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult result) {
        return (Map<String, Object>) result.structuredContent();
    }

    /**
     * Outside test RT33, F6: the output's cut at AWS_MCP_MAX_OUTPUT could split a surrogate pair, and the server sent the
     * lone surrogate it refuses in input. Through the tool, with a limit that falls inside an emoji; control: a limit that
     * falls between two keeps them whole.
     */
    @Test
    void outputIsCutBetweenCharactersNotInsideOne() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        Requirements.requireProgram("jq");
        for (int limit : new int[] {3, 4}) {
            try (TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                    .set("AWS_REGION", "us-east-1").set("AWS_MCP_MAX_OUTPUT", String.valueOf(limit));
                 ServerContext context = ServerContext.create(host.environment())) {
                AwsTools tools = new AwsTools(context, new CallGate(8));
                McpSchema.CallToolResult result = tools.pipeline(Call.NONE,
                        Map.of("command", "aws --version | jq -rn '\"\ud83d\ude00\ud83d\ude00\ud83d\ude00\"'"));
                String output = (String) structured(result).get("output");
                assertThat(output).as(result.toString()).isEqualTo("\ud83d\ude00\ud83d\ude00".substring(0, limit - limit % 2));
            }
        }
    }

    @Test
    void aToolArgumentWithAnUnpairedSurrogateIsRefusedBeforeItIsRead() throws Exception {
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                .set("AWS_REGION", "us-east-1").set("AWS_MCP_REQUIRE_CONSENT", "true");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            String rm = "aws s3 rm s3://prodbucket/ --recursive --exclude '*' --include ";

            for (String bad : new String[] {"keep\ud800", "keep\udc00", "keep\udc00\ud800", "\ud800"}) {
                McpSchema.CallToolResult result = tools.pipeline(Call.NONE, Map.of("command", rm + "'" + bad + "'"));
                assertThat(result.isError()).isTrue();
                assertThat(structured(result)).containsEntry("status", "refused");
                assertThat((String) structured(result).get("error")).as(bad)
                        .contains("'command' holds an unpaired UTF-16 surrogate").contains("'?'");
            }
            for (String name : new String[] {"profile", "region"}) {
                McpSchema.CallToolResult result = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls", name, "x\ud800"));
                assertThat((String) structured(result).get("error")).as(name)
                        .contains("'" + name + "' holds an unpaired UTF-16 surrogate (\\ud800 at character 1)");
            }
            McpSchema.CallToolResult help = tools.help(Map.of("service", "s3", "command", "rm\udfff"));
            assertThat((String) structured(help).get("error")).contains("'command' holds an unpaired UTF-16 surrogate");

            // the control: a surrogate pair (an emoji) is a character, and the call goes on to the policy,
            // which refuses it here for its endpoint, not for its text
            McpSchema.CallToolResult paired = tools.pipeline(Call.NONE, Map.of("command",
                    "aws s3 ls s3://b/keep\ud83d\ude00 --endpoint-url https://evil.example"));
            assertThat((String) structured(paired).get("error")).contains("is not allowed").doesNotContain("surrogate");
        }
    }

    /**
     * Red team, mcp round 13, F3: a NUL character, which no program argument can hold, was an
     * internal JSON-RPC error; it is a refusal that names the argument and where the NUL is.
     */
    @Test
    void aToolArgumentWithANulCharacterIsRefused() throws Exception {
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                .set("AWS_REGION", "us-east-1");
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            McpSchema.CallToolResult result = tools.pipeline(Call.NONE, Map.of("command",
                    "aws s3 ls s3://b/a\u0000b --endpoint-url http://127.0.0.1:9"));
            assertThat(result.isError()).isTrue();
            assertThat(structured(result)).containsEntry("status", "refused");
            assertThat((String) structured(result).get("error"))
                    .contains("'command' holds a NUL character (\\u0000 at character 18)");
            McpSchema.CallToolResult region = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls", "region", "us\u0000"));
            assertThat((String) structured(region).get("error")).contains("'region' holds a NUL character");
        }
    }

    /**
     * Outside test WF29, F11: an argument a tool does not take was ignored, so a misspelt {@code "regoin"} ran the command
     * in the default region. It is refused, naming what the tool takes. Control: the same call with the right name goes
     * on to the policy, which refuses the region for not being allowed (not for its name).
     */
    @Test
    void anArgumentTheToolDoesNotTakeIsRefused() throws Exception {
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                .set("AWS_REGION", "us-east-1").set("AWS_MCP_ALLOWED_REGIONS", "us-east-1")
                .set("AWS_ENDPOINT_URL", "http://127.0.0.1:9"); // a call that runs goes to a closed local port
             ServerContext context = ServerContext.create(host.environment())) {
            AwsTools tools = new AwsTools(context, new CallGate(8));
            McpSchema.CallToolResult misspelt = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls", "regoin", "eu-west-1"));
            assertThat(misspelt.isError()).isTrue();
            assertThat(structured(misspelt)).containsEntry("status", "refused");
            assertThat((String) structured(misspelt).get("error")).isEqualTo("unknown argument 'regoin': this tool takes"
                    + " command, timeout, profile, region; correct the name or leave it out");
            McpSchema.CallToolResult help = tools.help(Map.of("service", "s3", "subcomand", "x"));
            assertThat((String) structured(help).get("error")).contains("unknown argument 'subcomand'")
                    .contains("service, command, subcommand");
            // outside test RT33, F3: 'help' as the command ran 'aws s3 help help', the AWS CLI's usage error
            for (Map<String, Object> asked : List.of(Map.<String, Object>of("service", "s3", "command", "help"),
                    Map.<String, Object>of("service", "ec2", "command", "wait", "subcommand", "help"))) {
                McpSchema.CallToolResult helpHelp = tools.help(asked);
                assertThat(structured(helpHelp)).as(asked.toString()).containsEntry("status", "refused");
                assertThat((String) structured(helpHelp).get("error")).contains("'help' is no command");
            }
            // outside test WF30, F2: the services, which the refusal of an unknown one points to
            McpSchema.CallToolResult services = tools.help(Map.of("service", "aws"));
            assertThat(structured(services)).containsEntry("status", "success");
            assertThat((String) structured(services).get("output")).contains("s3api").contains("cloudwatch");
            McpSchema.CallToolResult right = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls", "region", "eu-west-1"));
            assertThat((String) structured(right).get("error")).as("control").doesNotContain("unknown argument")
                    .contains("eu-west-1");
            assertThat(tools.pipelineTool().inputSchema()).containsEntry("additionalProperties", false);
            // WF29, F34: an empty region is the default one, as an empty profile is (the default is allowed here)
            McpSchema.CallToolResult empty = tools.pipeline(Call.NONE, Map.of("command", "aws s3 ls", "region", ""));
            assertThat(String.valueOf(structured(empty).get("error"))).doesNotContain("is not a region");
        }
    }
}
