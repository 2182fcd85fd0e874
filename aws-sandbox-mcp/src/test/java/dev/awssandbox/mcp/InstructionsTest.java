package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import org.junit.jupiter.api.Test;

/** {@link Instructions}: what the model is told of the region before its first call. */
class InstructionsTest {

    /**
     * Outside test WF29, F5: with a default region the policy does not allow, the model was told "Region: us-east-1", and
     * each of its first calls was refused. It is told to name an allowed region. Control: an allowed default is the
     * region, with the list.
     */
    @Test
    void aDefaultRegionThePolicyDoesNotAllowIsNotGivenAsTheRegion() throws Exception {
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1").set("AWS_MCP_ALLOWED_REGIONS", "eu-west-1,eu-north-1");
             ServerContext context = ServerContext.create(host.environment())) {
            assertThat(Instructions.of(context)).contains("Region: pass 'region' (or --region) in every call, one of:"
                    + " eu-west-1, eu-north-1; the default, us-east-1 (AWS_REGION), is not allowed.")
                    .doesNotContain("Region: us-east-1");
        }
        try (TestHost host = new TestHost().set("AWS_REGION", "eu-west-1").set("AWS_MCP_ALLOWED_REGIONS", "eu-west-1,eu-north-1");
             ServerContext context = ServerContext.create(host.environment())) {
            assertThat(Instructions.of(context)).as("control")
                    .contains("Region: eu-west-1 (AWS_REGION); allowed regions: eu-west-1, eu-north-1");
        }
    }

    /**
     * Outside test WF29, F25: with the sandbox off, the instructions still promised what the sandbox does. They say there
     * is none. Control: with a sandbox, its promises are made.
     */
    @Test
    void withoutASandboxTheInstructionsPromiseNone() throws Exception {
        Requirements.requireProgram("aws");
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1").set("AWS_MCP_SANDBOX", "disabled");
             ServerContext context = ServerContext.create(host.environment())) {
            assertThat(Instructions.of(context)).contains("No sandbox: the server runs commands without OS isolation")
                    .doesNotContain("filters run without network");
        }
        Requirements.requireLandlock();
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1").set("AWS_MCP_SANDBOX", "required");
             ServerContext context = ServerContext.create(host.environment())) {
            assertThat(Instructions.of(context)).as("control").contains("filters run without network")
                    .doesNotContain("No sandbox");
        }
    }

    /**
     * Outside test WF29, F22: the prompts offered filters (grep, head, wc) and calls (aws iam …) the server's policy then
     * refused. Their preamble names this server's filters, its read-only mode and its deny rules. Control: a server
     * without them is told the default filters and nothing of read-only mode or deny rules.
     */
    @Test
    void thePromptsSayWhatTheServersPolicyAllows() throws Exception {
        Requirements.requireProgram("aws");
        AwsPrompts.Def audit = AwsPrompts.ALL.stream().filter(d -> d.name().equals("security_audit")).findFirst().orElseThrow();
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1").set("AWS_MCP_FILTERS", "jq,sort")
                .set("AWS_MCP_READ_ONLY", "true").set("AWS_MCP_DENY", "iam:*");
             ServerContext context = ServerContext.create(host.environment())) {
            String text = ((io.modelcontextprotocol.spec.McpSchema.TextContent) AwsPrompts.get(audit, java.util.Map.of("service", "s3"),
                    context.policy.config()).messages().getFirst().content()).text();
            assertThat(text).contains("pipe it into jq, sort (this server's filters)").doesNotContain("grep, sort, uniq")
                    .contains("This server is read-only").contains("The server's policy refuses these operations: iam:*");
            // outside test WF30, F13: the examples the deny rules refuse are marked, the others are not
            assertThat(text).contains("aws iam list-access-keys [refused by this server's policy: leave it out]")
                    .contains("aws ec2 describe-security-groups --query").doesNotContain("describe-security-groups [refused");
        }
        try (TestHost host = new TestHost().set("AWS_REGION", "us-east-1");
             ServerContext context = ServerContext.create(host.environment())) {
            String text = ((io.modelcontextprotocol.spec.McpSchema.TextContent) AwsPrompts.get(audit, java.util.Map.of("service", "s3"),
                    context.policy.config()).messages().getFirst().content()).text();
            assertThat(text).as("control").contains("head").doesNotContain("This server is read-only")
                    .doesNotContain("refuses these operations").doesNotContain("[refused by");
        }
    }
}
