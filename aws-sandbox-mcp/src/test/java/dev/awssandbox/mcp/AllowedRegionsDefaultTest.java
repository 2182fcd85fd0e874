package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.mcp.policy.Refused;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Outside test RT33, F4: with AWS_MCP_ALLOWED_REGIONS and the region set in the profile (not AWS_REGION), every command
 * that named no region was refused "name a region", the server's own {@code aws://config/account} resource too. A
 * profile's region the list allows is now named on such a command. Control: a profile's region the list does not hold
 * is still refused.
 */
class AllowedRegionsDefaultTest {

    @Test
    void aProfilesRegionTheListAllowsIsNamedOnACommandThatNamesNone() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        for (String profileRegion : new String[] {"us-east-1", "eu-west-1"}) {
            try (TestHost host = new TestHost().set("AWS_ACCESS_KEY_ID", "testing").set("AWS_SECRET_ACCESS_KEY", "testing")
                    .set("AWS_MCP_SANDBOX", "required").set("AWS_MCP_ALLOWED_REGIONS", "us-east-1")) {
                Files.createDirectories(host.home().resolve(".aws"));
                Files.writeString(host.home().resolve(".aws/config"), "[default]\nregion = " + profileRegion + "\n");
                try (ServerContext context = ServerContext.create(host.environment())) {
                    if (profileRegion.equals("us-east-1")) {
                        assertThat(context.policy.pipeline("aws sts get-caller-identity", Optional.empty(), Optional.empty())
                                .stages().getFirst()).contains("--region=us-east-1");
                    } else {
                        assertThatThrownBy(() -> context.policy.pipeline("aws sts get-caller-identity", Optional.empty(),
                                Optional.empty())).as("control").isInstanceOf(Refused.class).hasMessageContaining("name a region");
                    }
                }
            }
        }
    }
}
