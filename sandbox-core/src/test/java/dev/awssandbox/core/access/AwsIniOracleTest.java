package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.awssandbox.core.testing.Requirements;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (red team, round 23, F1): {@link AwsIni} against botocore itself. The installed
 * Python runs {@code botocore.configloader.raw_config_parse} and {@code botocore.compat.compat_shell_split}
 * on the same files and strings — a table of the tricky ones (the red team's {@code :}, quotes,
 * backslashes, adjacent quotes; indented keys, continuations, comments, Python's own whitespace)
 * and a few thousand random ones built from the same pieces — and every answer must be the same:
 * where botocore reads a config, the same options and values; where it splits a value, the same
 * words; where it fails, so does {@link AwsIni#shlexSplit}. Skipped without a Python that has botocore.
 */
class AwsIniOracleTest {
    private static Path python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() throws Exception {
        Optional<Path> found = Requirements.which("python3");
        assumeThat(found).as("python3 on PATH").isPresent();
        Process probe = new ProcessBuilder(found.get().toString(), "-c", "import botocore.configloader")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeThat(probe.waitFor()).as("python3 with botocore").isZero();
        python = found.get();
    }

    static final List<String> CONFIGS = List.of(
            "[default]\ncredential_process: /h/proj/cred.sh\n",
            "[default]\nweb_identity_token_file: /h/proj/tok\nca_bundle:/h/ca.pem\n",
            "[default]\ncredential_process = \"/h/My Tools/cred.sh\" --x\n",
            "[default]\n  region = x\n  credential_process = /h/p/c.sh\n",
            "[default]\nregion = x\n  credential_process = /h/p/c.sh\n",
            "[default]\ncredential_process =\n    /opt/c/run --flag\n\n  --more\n",
            "[profile a]\nCredential_Process = a\n[DEFAULT]\ncredential_process = /d/x\n[b]\nk=v\n",
            "[default] ;c\nkey ;= v : w\n# a = b\n  ; c = d\n",
            "\u00a0[default]\u2003\n\u00a0credential_process\u00a0:\u00a0/h/x\u00a0\n",
            "[default]\rcredential_process = /cr/only\r",
            "[default]\r\ncredential_process = /crlf\r\n",
            "[default]\n\u212aey = v\nWEB_IDENTITY_TO\u212aEN_FILE = /kelvin\n",
            "[a]b]\nx=1\n[]]\ny=2\n",
            "[default]\ndata_path = ~/m:/srv/m\nproxy_ca_bundle: /p/ca.pem\n",
            "[default]\ncredential_process = a \\\n  b\n",
            "[default]\n\tcredential_process = /tab\n\t\tcontinued\n");

    static final List<String> VALUES = List.of(
            "/h/proj/cred.sh", "\"/h/My Tools/cred.sh\"", "'/h/My Tools/cred.sh'", "/h/My\\ Tools/cred.sh",
            "/h/pr\\oj/cred.sh", "/h/pr''oj/cred.sh", "/h/pr\"\"oj/cred.sh", "\"a\\\"b\\\\c\\d\"", "'a\\b'",
            "a ''", "''", "\"\"", "x\\", "'unclosed", "\"unclosed", "a\tb\rc\nd", "a\u00a0b", "sh -c \"cd ~/p; ./x.sh\"",
            "a#b # c", "\\\n", "\"\\\n\"", "x'y'\"z\"\\ w", "");

    private static final String[] PIECES = {"[default]", "[profile a]", "[DEFAULT]", "[", "]", "credential_process",
        "Credential_Process", "ca_bundle", "data_path", "x", " = ", "=", ":", " : ", "/h/p/c.sh", "\"/h/My Tools/c.sh\"",
        "'x y'", "\\", "\"", "'", "#", ";", " ", "\t", "\u00a0", "\u2003", "\u0085", "\u001c", "\u212a", "pr''oj", ""};
    private static final String[] DELIMITERS = {" = ", "=", ":", " : ", "\u00a0:\u2003"};
    private static final String[] INDENTS = {"", "", "", " ", "  ", "\t", "\u00a0", "\u2003"};
    private static final String[] ENDS = {"\n", "\n", "\n", "\r\n", "\r"};

    @Test
    void theConfigIsReadAsBotocoreReadsIt() throws Exception {
        List<String> configs = new ArrayList<>(CONFIGS);
        Random random = new Random(23);
        for (int i = 0; i < 3000; i++) {
            StringBuilder config = new StringBuilder(random.nextInt(4) == 0 ? "" : "[default]\n");
            for (int line = random.nextInt(7); line >= 0; line--) {
                config.append(INDENTS[random.nextInt(INDENTS.length)]);
                config.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(8) != 0) { // mostly an option line: a key, a delimiter, a value
                    config.append(DELIMITERS[random.nextInt(DELIMITERS.length)]);
                }
                for (int piece = random.nextInt(4); piece > 0; piece--) {
                    config.append(PIECES[random.nextInt(PIECES.length)]);
                }
                config.append(ENDS[random.nextInt(ENDS.length)]);
            }
            configs.add(config.toString());
        }
        List<String> values = new ArrayList<>(VALUES);
        for (int i = 0; i < 3000; i++) {
            StringBuilder value = new StringBuilder();
            for (int piece = random.nextInt(6); piece >= 0; piece--) {
                value.append(PIECES[3 + random.nextInt(PIECES.length - 3)]);
            }
            values.add(value.toString());
        }

        Map<String, String> botocore = botocore(configs, values);

        int compared = 0;
        for (int i = 0; i < configs.size(); i++) {
            String answer = botocore.get("i" + i);
            if (answer.startsWith("OK")) { // botocore read it: the same options and values
                compared++;
                assertThat("OK\t" + options(AwsIni.read(configs.get(i)))).as("config %d: %s", i, escaped(configs.get(i)))
                        .isEqualTo(answer);
            }
        }
        for (int i = 0; i < values.size(); i++) {
            assertThat(words(AwsIni.shlexSplit(values.get(i)))).as("value %d: %s", i, escaped(values.get(i)))
                    .isEqualTo(botocore.get("s" + i));
        }
        for (int i = 0; i < CONFIGS.size(); i++) { // the table's configs are all ones botocore reads
            assertThat(botocore.get("i" + i)).as(CONFIGS.get(i)).startsWith("OK");
        }
        System.out.printf("AwsIniOracleTest: %d of %d configs read by botocore compared, %d values%n", compared,
                configs.size(), values.size());
        assertThat(compared).as("random configs botocore read").isGreaterThan(500);
    }

    /** As botocore gives them: each section but {@code DEFAULT}, with the defaults' options it lacks. */
    private static String options(AwsIni.Ini ini) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> defaults = new TreeMap<>();
        ini.sections().stream().filter(s -> !s.equals("DEFAULT")).forEach(s -> sections.put(s, new TreeMap<>()));
        for (AwsIni.Option o : ini.options()) {
            if (o.section().equals("DEFAULT")) {
                defaults.put(o.key(), o.value());
            } else {
                sections.computeIfAbsent(o.section(), s -> new TreeMap<>()).put(o.key(), o.value());
            }
        }
        List<String> items = new ArrayList<>();
        for (String section : new TreeMap<>(sections).keySet()) {
            Map<String, String> merged = new TreeMap<>(defaults);
            merged.putAll(sections.get(section));
            merged.forEach((k, v) -> items.add(hex(section + "\0" + k + "\0" + v)));
        }
        return String.join(",", items);
    }

    private static String words(Optional<List<String>> words) {
        return words.map(w -> "OK\t" + w.size() + ":" + String.join(",", w.stream().map(AwsIniOracleTest::hex).toList()))
                .orElse("ERR");
    }

    private static String escaped(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c >= ' ' && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> botocore(List<String> configs, List<String> values) throws Exception {
        for (int i = 0; i < configs.size(); i++) {
            Files.writeString(dir.resolve(i + ".ini"), configs.get(i));
        }
        Files.writeString(dir.resolve("ini-count"), Integer.toString(configs.size()));
        Files.writeString(dir.resolve("shlex.txt"), String.join("\n", values.stream().map(AwsIniOracleTest::hex).toList()) + "\n");
        Path script = dir.resolve("oracle.py");
        try (InputStream in = AwsIniOracleTest.class.getResourceAsStream("botocore-oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), dir.toString());
        builder.environment().put("PYTHONUTF8", "1"); // botocore opens the config in the locale's encoding
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        Map<String, String> answers = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            answers.put(line.substring(0, tab), line.substring(tab + 1));
        }
        return answers;
    }
}
