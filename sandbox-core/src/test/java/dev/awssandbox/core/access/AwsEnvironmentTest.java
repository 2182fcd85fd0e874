package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE} are read as botocore reads them:
 * Python's {@code os.path.expandvars}, then {@code os.path.expanduser}, is the oracle (red team,
 * round 20, F7: {@code $HOME/conf/creds} was taken for a relative path that does not exist).
 */
class AwsEnvironmentTest {

    private static final Map<String, String> VARIABLES = Map.of("HOME", "/home/u", "CONF", "/srv/conf", "EMPTY", "",
            "A_1", "/a1", "TILDE", "~/t");

    @Test
    void variablesAndTildesAreExpandedAsBotocoreExpandsThem() throws Exception {
        Requirements.requireProgram("python3");
        Host host = new Host(VARIABLES, Path.of("/work/dir"), true);
        for (String value : List.of("$HOME/creds", "${HOME}/creds", "$CONF/creds", "${CONF}x/creds", "$CONFx/creds",
                "$UNSET/creds", "${UNSET}/creds", "$EMPTY/creds", "$A_1/c", "${}/c", "$/c", "~/c", "~", "~root/c",
                "~no-such-user-here/c", "$TILDE/c", "rel/$HOME", "/abs/${CONF}/$HOME", "$$HOME")) {
            Path python = Path.of(expandedByPython(value));
            Path expected = python.isAbsolute() ? python.normalize() : Path.of("/work/dir").resolve(python).normalize();
            assertThat(AwsEnvironment.asBotocoreReads(host, value).getFirst()).as(value).isEqualTo(expected);
        }
    }

    @Test
    void theValueAsWrittenIsAReadingToo() {
        Host host = new Host(VARIABLES, Path.of("/work/dir"), true);
        // the command may lack the variable the host has: botocore then leaves it as written
        assertThat(AwsEnvironment.asBotocoreReads(host, "$CONF/creds"))
                .containsExactly(Path.of("/srv/conf/creds"), Path.of("/work/dir/$CONF/creds"));
        assertThat(AwsEnvironment.asBotocoreReads(host, "/plain/creds")).containsExactly(Path.of("/plain/creds"));
    }

    private static String expandedByPython(String value) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Requirements.hostProgram("python3"), "-c",
                "import os,sys; sys.stdout.write(os.path.expanduser(os.path.expandvars(sys.argv[1])))", value);
        pb.environment().clear();
        pb.environment().putAll(VARIABLES);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out;
    }

    /** {@code cli_history} read as botocore reads the config: a ':' delimiter and any indentation of the key. */
    @Test
    void theHistorySettingIsReadAsBotocoreReadsTheConfig(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path config = dir.resolve("config");
        Map<String, String> variables = Map.of("HOME", dir.toString(), "AWS_CONFIG_FILE", config.toString());
        for (String text : List.of("[default]\ncli_history: enabled\n", "[default]\n  cli_history = enabled\n",
                "[default]\nCLI_HISTORY=enabled\n")) {
            java.nio.file.Files.writeString(config, text);
            assertThat(historyEnabled(variables, dir)).as(text).isTrue();
        }
        for (String text : List.of("[default]\ncli_history = disabled\n", "[default]\n# cli_history = enabled\n")) {
            java.nio.file.Files.writeString(config, text);
            assertThat(historyEnabled(variables, dir)).as(text).isFalse();
        }
    }

    /**
     * The setting is the config's, the one file the CLI reads it from ({@code AWS_CONFIG_FILE}'s, else
     * {@code ~/.aws/config}), read in the same read as what the config names. A config that is not
     * read turns nothing on, as before the two reads became one: larger than 1 MiB (what it names then
     * fails closed), a FIFO (the earlier reader blocked on one), not UTF-8 (botocore fails on it).
     */
    @Test
    void theHistoryIsTheConfigsAndOnlyAReadableConfigTurnsItOn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path home = java.nio.file.Files.createDirectories(dir.resolve("home"));
        Path aws = java.nio.file.Files.createDirectories(home.resolve(".aws"));
        String enabled = "[default]\ncli_history = enabled\n";
        java.nio.file.Files.writeString(aws.resolve("config"), enabled);
        assertThat(historyEnabled(Map.of("HOME", home.toString()), dir)).isTrue();
        // the credentials file is no config; nor is ~/.aws/config while AWS_CONFIG_FILE names another
        Path other = java.nio.file.Files.writeString(dir.resolve("other"), "[default]\n");
        assertThat(historyEnabled(Map.of("HOME", home.toString(), "AWS_CONFIG_FILE", other.toString()), dir)).isFalse();
        java.nio.file.Files.delete(aws.resolve("config"));
        java.nio.file.Files.writeString(aws.resolve("credentials"), enabled);
        assertThat(historyEnabled(Map.of("HOME", home.toString()), dir)).isFalse();

        Path big = dir.resolve("big");
        java.nio.file.Files.writeString(big, enabled + "# " + "x".repeat(1 << 20) + "\n");
        Map<String, String> bigConfig = Map.of("HOME", home.toString(), "AWS_CONFIG_FILE", big.toString());
        assertThat(historyEnabled(bigConfig, dir)).isFalse();
        assertThat(NamedFiles.of(new Host(bigConfig, dir, true), List.of()).all())
                .anyMatch(n -> n.lexical().equals(Path.of("/"))); // what it names is unknown: fails closed

        Path notUtf8 = dir.resolve("latin1");
        java.nio.file.Files.write(notUtf8, (enabled + "# caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(historyEnabled(Map.of("HOME", home.toString(), "AWS_CONFIG_FILE", notUtf8.toString()), dir)).isFalse();

        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(historyEnabled(Map.of("HOME", home.toString(), "AWS_CONFIG_FILE", fifo.toString()), dir)).isFalse();
    }

    private static boolean historyEnabled(Map<String, String> variables, Path workingDirectory) {
        return NamedFiles.of(new Host(variables, workingDirectory, true), List.of()).historyEnabled();
    }
}
