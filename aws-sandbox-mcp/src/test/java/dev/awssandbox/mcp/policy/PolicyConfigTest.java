package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.HostEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy file and the environment variables that override it. */
class PolicyConfigTest {
    @TempDir
    Path home;

    private HostEnvironment host(Map<String, String> env) {
        Map<String, String> vars = new HashMap<>(env);
        vars.put("HOME", home.toString());
        return HostEnvironment.current().withVariables(vars);
    }

    private Path write(String json) throws Exception {
        Path file = PolicyConfig.defaultFile(host(Map.of()));
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    @Test
    void aMissingDefaultFileIsFineAndGivesTheDefaults() throws Exception {
        PolicyConfig config = PolicyConfig.load(host(Map.of()));
        assertThat(config.readOnly()).isFalse();
        assertThat(config.deny()).isEmpty();
        assertThat(config.filters()).isEqualTo(Filters.DEFAULT);
        assertThat(config.file()).isEmpty();
    }

    @Test
    void theDocumentedShapeIsRead() throws Exception {
        write("""
                {"readOnly": false, "requireConsent": true, "deny": ["iam:*", "s3api:delete-*", "s3:rb"],
                 "ask": ["ec2:terminate-instances"], "profiles": ["dev"], "regions": ["eu-west-1"],
                 "endpoints": ["http://127.0.0.1:4566"], "filters": ["jq", "sort"]}
                """);
        PolicyConfig c = PolicyConfig.load(host(Map.of()));
        assertThat(c.requireConsent()).isTrue();
        assertThat(c.deny()).containsExactly("iam:*", "s3api:delete-*", "s3:rb");
        assertThat(c.ask()).containsExactly("ec2:terminate-instances");
        assertThat(c.profiles()).containsExactly("dev");
        assertThat(c.regions()).containsExactly("eu-west-1");
        assertThat(c.endpoints()).containsExactly("http://127.0.0.1:4566");
        assertThat(c.filters()).containsExactly("jq", "sort");
        assertThat(c.sources()).containsEntry("deny", "file").containsEntry("readOnly", "file");
    }

    @Test
    void environmentVariablesOverrideTheFile() throws Exception {
        write("{\"readOnly\": false, \"regions\": [\"eu-west-1\"], \"deny\": [\"iam:*\"]}");
        PolicyConfig c = PolicyConfig.load(host(Map.of("AWS_MCP_READ_ONLY", "true", "AWS_MCP_ALLOWED_REGIONS",
                "us-east-1, us-west-2")));
        assertThat(c.readOnly()).isTrue();
        assertThat(c.regions()).containsExactly("us-east-1", "us-west-2");
        assertThat(c.deny()).containsExactly("iam:*");
        assertThat(c.sources()).containsEntry("readOnly", "env AWS_MCP_READ_ONLY").containsEntry("deny", "file");
        assertThat(c.describe()).containsKey("readOnly");
    }

    @Test
    void aMalformedFileIsAnErrorNamingLineAndColumn() throws Exception {
        Path file = write("{\n  \"readOnly\": true,\n  \"deny\": [\"iam:*\" \"s3:rb\"]\n}\n");
        assertThatThrownBy(() -> PolicyConfig.load(host(Map.of()))).isInstanceOf(PolicyConfig.Invalid.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 3 column");
    }

    /**
     * Testers' F12: Jackson's "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`
     * disabled); byte offset: #UNKNOWN]" was in the message; the line, column and Jackson's short
     * reason stay.
     */
    @Test
    void aMalformedFileIsAnErrorWithoutJacksonsSourceFragment() throws Exception {
        for (String json : List.of("{\n  \"readOnly\": true,\n  \"deny\": [\"iam:*\" \"s3:rb\"]\n}\n",
                "{\"readOnly\": tru}", "{\"deny\": [\"iam:*\",]}", "{\"readOnly\": true", "{\"deny\": [\"a\"}",
                "{\n\"readOnly\": true,,\n}", "{\"deny\": [\"\\x\"]}", "{\"readOnly\": 01}", "{\"a", "\"x\"")) {
            Path file = write(json);
            assertThatThrownBy(() -> PolicyConfig.load(host(Map.of()))).as(json).isInstanceOf(PolicyConfig.Invalid.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(" line ").hasMessageNotContaining("Source:")
                    .hasMessageNotContaining("REDACTED").hasMessageNotContaining("byte offset")
                    .hasMessageNotContaining("INCLUDE_SOURCE_IN_LOCATION");
        }
        Path file = write("{\"readOnly\": true");
        assertThatThrownBy(() -> PolicyConfig.load(host(Map.of()))).hasMessage(file + " line 1 column 18: malformed JSON:"
                + " Unexpected end-of-input: expected close marker for Object");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt() throws Exception {
        write("{\"readonly\": true}");
        assertThatThrownBy(() -> PolicyConfig.load(host(Map.of()))).isInstanceOf(PolicyConfig.Invalid.class)
                .hasMessageContaining("line 1 column 2").hasMessageContaining("unknown key \"readonly\"")
                .hasMessageContaining("readOnly");
    }

    @Test
    void badValuesAreErrors() throws Exception {
        for (String json : List.of("{\"readOnly\": \"yes\"}", "{\"deny\": \"iam:*\"}", "{\"deny\": [\"iam\"]}",
                "{\"regions\": [\"eu west\"]}", "{\"filters\": [\"awk\"]}", "{\"endpoints\": [\"ftp://x\"]}", "[]",
                "{\"deny\": [], \"deny\": []}", "{} {}")) {
            write(json);
            assertThatThrownBy(() -> PolicyConfig.load(host(Map.of()))).as(json).isInstanceOf(PolicyConfig.Invalid.class);
        }
        Files.delete(PolicyConfig.defaultFile(host(Map.of())));
        assertThatThrownBy(() -> PolicyConfig.load(host(Map.of("AWS_MCP_READ_ONLY", "maybe"))))
                .hasMessageContaining("AWS_MCP_READ_ONLY");
        assertThatThrownBy(() -> PolicyConfig.load(host(Map.of("AWS_MCP_POLICY_FILE", home.resolve("none.json").toString()))))
                .hasMessageContaining("does not exist");
    }
}
