package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.ExecResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Outside test WF25, F7: with no credentials, the AWS CLI probes the instance metadata service itself; the egress proxy
 * refuses it, and its hint ("the request went there by --endpoint-url") stood in for the no-credentials hint. Controls:
 * the same refusal with another error keeps its hint, as does a refused host that is not the metadata service.
 */
class AwsErrorHintsTest {
    private static final ExecResult.Connection METADATA = new ExecResult.Connection(0, "169.254.169.254", 80, false, 1, 0, 0,
            "not an allowed host");
    private static final ExecResult.Connection OTHER = new ExecResult.Connection(0, "example.org", 443, false, 1, 0, 0,
            "not an allowed host");
    private static final String NO_CREDENTIALS = "Unable to locate credentials. You can configure credentials by running"
            + " \"aws configure\".";

    @Test
    void theMetadataServiceProbeOfACliWithoutCredentialsIsNoEndpointHint() {
        assertThat(AwsErrorHints.forConnections(List.of(METADATA), NO_CREDENTIALS)).isEmpty();
        assertThat(AwsErrorHints.forStderr(NO_CREDENTIALS)).hasValueSatisfying(h -> assertThat(h)
                .contains("no AWS credentials reached the sandbox"));
        assertThat(AwsErrorHints.forConnections(List.of(METADATA), "An error occurred (403) when calling ..."))
                .as("control: another error").singleElement().asString().contains("169.254.169.254:80 was refused");
        assertThat(AwsErrorHints.forConnections(List.of(OTHER), NO_CREDENTIALS)).as("control: another host")
                .singleElement().asString().contains("example.org:443 was refused");
    }
}
