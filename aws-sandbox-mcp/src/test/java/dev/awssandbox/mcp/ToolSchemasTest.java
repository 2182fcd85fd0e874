package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tools' schemas say what the server takes and returns (testers' F6): {@code timeout} as a
 * number or a numeric string, and {@code connections}, which every result of a command carries.
 * Checked with the SDK's own JSON Schema validator, as a client that validates would check.
 */
class ToolSchemasTest {
    private final JsonSchemaValidator validator = new DefaultJsonSchemaValidator();

    private boolean accepts(Map<String, Object> schema, Object value) {
        return validator.validate(schema, value).valid();
    }

    @Test
    void theTimeoutSchemaTakesANumberOrANumericString() {
        Map<String, Object> arguments = Map.of("type", "object", "properties",
                Map.of("timeout", AwsTools.timeoutSchema(Duration.ofSeconds(300), Duration.ofSeconds(1800))));

        for (Object ok : List.of(30, "30", " 30 ", "+30", 30.0)) {
            assertThat(accepts(arguments, Map.of("timeout", ok))).as("timeout %s", ok).isTrue();
        }
        for (Object wrong : List.of("30s", "abc", "", "3.5", 3.5, true, 0, 1801)) {
            assertThat(accepts(arguments, Map.of("timeout", wrong))).as("timeout %s", wrong).isFalse();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOutputSchemaDescribesConnections() {
        Map<String, Object> properties = (Map<String, Object>) AwsTools.OUTPUT_SCHEMA.get("properties");
        assertThat(properties).containsKey("connections");
        Map<String, Object> connection = Map.of("stage", 1, "host", "127.0.0.1", "port", 5000, "allowed", false,
                "connections", 1, "bytesSent", 0, "bytesReceived", 0, "reason", "not an allowed host");
        Map<String, Object> result = Map.of("status", "error", "success", false, "output", "", "connections", List.of(connection));
        assertThat(accepts(AwsTools.OUTPUT_SCHEMA, result)).isTrue();
        assertThat(accepts(AwsTools.OUTPUT_SCHEMA, Map.of("status", "error", "success", false, "output", "",
                "connections", List.of(Map.of("port", "5000"))))).as("a port that is no number").isFalse();
    }
}
