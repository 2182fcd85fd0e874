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

    /**
     * Outside test WF29, F9: an allowed local endpoint that was not running, and AWS's own endpoint on a host that cannot
     * resolve it, were both told to check --endpoint-url and the region, quoting an error the output did not hold. Each
     * gets advice that fits; control: another allowed host that does not resolve keeps the endpoint and region advice.
     */
    @Test
    void anUnreachableAllowedHostGetsAdviceThatFitsIt() {
        ExecResult.Connection local = new ExecResult.Connection(0, "127.0.0.1", 5999, true, 1, 0, 0, "cannot connect");
        ExecResult.Connection aws = new ExecResult.Connection(0, "s3.amazonaws.com", 443, true, 1, 0, 0, "cannot resolve");
        ExecResult.Connection other = new ExecResult.Connection(0, "minio.example", 443, true, 1, 0, 0, "cannot resolve");
        assertThat(AwsErrorHints.forConnections(List.of(local), "(502) Bad Gateway")).singleElement().asString()
                .contains("502 'Bad Gateway', is this").contains("the local endpoint is not running; ask the user to start it")
                .doesNotContain("--endpoint-url");
        assertThat(AwsErrorHints.forConnections(List.of(aws), "Failed to connect to proxy URL")).singleElement().asString()
                .contains("cannot resolve AWS's names").contains("trying other regions will not help");
        assertThat(AwsErrorHints.forConnections(List.of(other), "Failed to connect to proxy URL")).as("control")
                .singleElement().asString().contains("check the host name in --endpoint-url or the region");
    }
}
