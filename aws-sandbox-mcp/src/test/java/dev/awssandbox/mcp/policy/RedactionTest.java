package dev.awssandbox.mcp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of secret the server can know is replaced, also when split across streamed chunks. */
class RedactionTest {
    @TempDir
    Path home;

    static final String ENV_SECRET = "envSecretKey/abcdefGHIJ+0123456789xyz";
    static final String ENV_TOKEN = "IQoJb3JpZ2luX2VjEnvSessionToken0123456789==";
    static final String FILE_SECRET = "fileSecretKey/KLMNOP+9876543210abcdef";
    static final String FILE_TOKEN = "FwoGZXIvYXdzEFileSessionToken9876543210==";
    static final String CACHE_SECRET = "cacheSecretKey/QRSTUV+0000111122223333";
    static final String CACHE_TOKEN = "cacheSessionTokenAAAABBBBCCCCDDDD";
    static final String SSO_TOKEN = "aoaAAAAASsoAccessTokenEEEEFFFFGGGG";

    private Secrets plant() throws Exception {
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(aws.resolve("credentials"), "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = "
                + FILE_SECRET + "\naws_session_token=" + FILE_TOKEN + "\n");
        Files.createDirectories(aws.resolve("cli/cache"));
        Files.writeString(aws.resolve("cli/cache/abc.json"), "{\"Credentials\": {\"AccessKeyId\": \"ASIAEXAMPLE\","
                + " \"SecretAccessKey\": \"" + CACHE_SECRET + "\", \"SessionToken\": \"" + CACHE_TOKEN + "\"}}");
        Files.createDirectories(aws.resolve("sso/cache"));
        Files.writeString(aws.resolve("sso/cache/def.json"), "{\"accessToken\": \"" + SSO_TOKEN + "\", \"region\": \"eu-west-1\"}");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_SECRET_ACCESS_KEY", ENV_SECRET);
        env.put("AWS_SESSION_TOKEN", ENV_TOKEN);
        env.put("AWS_REGION", "eu-west-1");
        return new Secrets(HostEnvironment.current().withVariables(env));
    }

    /**
     * MCP round 8, F8: {@code --query 'reverse(Parameter.Value)'} runs in the AWS CLI, before
     * redaction, and printed a stored copy of the server's key backwards; the reversed spelling
     * (also JSON-escaped) is replaced too.
     */
    @Test
    void aSecretReversedByTheQueryIsReplaced() throws Exception {
        Redactor r = new Redactor(plant().values());
        String reversed = new StringBuilder("AWS_SECRET_ACCESS_KEY=" + ENV_SECRET).reverse().toString();
        String out = r.redact("\"" + reversed + "\"\n" + reversed.replace("/", "\\/"));
        assertThat(out).doesNotContain(new StringBuilder(ENV_SECRET).reverse().toString())
                .doesNotContain("JIHGfedcba").contains("=YEK_SSECCA_TERCES_SWA").contains("****");
    }

    @Test
    void everyKindIsKnownAndReplaced() throws Exception {
        Redactor r = new Redactor(plant().values());
        String text = "a " + ENV_SECRET + " b " + ENV_TOKEN + " c " + FILE_SECRET + " d " + FILE_TOKEN + " e " + CACHE_SECRET
                + " f " + CACHE_TOKEN + " g " + SSO_TOKEN + " h " + ENV_SECRET.replace("/", "\\/") + " i "
                + java.net.URLEncoder.encode(FILE_SECRET, StandardCharsets.UTF_8) + " eu-west-1 AKIAEXAMPLE";
        String out = r.redact(text);
        for (String s : List.of(ENV_SECRET, ENV_TOKEN, FILE_SECRET, FILE_TOKEN, CACHE_SECRET, CACHE_TOKEN, SSO_TOKEN,
                "abcdefGHIJ", "KLMNOP")) {
            assertThat(out).doesNotContain(s);
        }
        assertThat(out).contains("eu-west-1").contains("AKIAEXAMPLE").contains("****");
    }

    /**
     * Red team, round 46, F10: a password in a URL's user info (basic auth in front of an S3-compatible endpoint, a
     * proxy) is a secret, and the environment resource shows the URL without it. Controls: a URL without a password,
     * an e-mail address, a path with an {@code @}.
     */
    @Test
    void aPasswordInAUrlOfTheEnvironmentIsASecret() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_ENDPOINT_URL_S3", "http://user:s3cr3tpw46@127.0.0.1:5046");
        env.put("HTTPS_PROXY", "http://proxy:pr0xyPassw0rd@proxy.example:3128/");
        env.put("AWS_ENDPOINT_URL_STS", "http://user@127.0.0.1:5047");
        Secrets secrets = new Secrets(HostEnvironment.current().withVariables(env));

        assertThat(new Redactor(secrets.values()).redact("s3cr3tpw46 pr0xyPassw0rd")).isEqualTo("**** ****");
        assertThat(Secrets.withoutUrlPassword("http://user:s3cr3tpw46@127.0.0.1:5046"))
                .isEqualTo("http://user:****@127.0.0.1:5046");
        for (String plain : List.of("http://user@127.0.0.1:5047", "me@example.com", "s3://b/a@b:c", "https://h:443/x")) {
            assertThat(Secrets.withoutUrlPassword(plain)).isEqualTo(plain);
        }
    }

    @Test
    void aCacheWrittenLaterIsPickedUp() throws Exception {
        Secrets secrets = plant();
        Files.writeString(home.resolve(".aws/cli/cache/new.json"), "{\"Credentials\": {\"SecretAccessKey\": \"laterSecret0123456789\"}}");
        assertThat(secrets.refresh()).contains("laterSecret0123456789");
    }

    @Test
    void secretsSplitAcrossChunksAreStillFound() throws Exception {
        Redactor r = new Redactor(plant().values());
        String text = ("x".repeat(37) + ENV_SECRET + "y".repeat(11) + CACHE_TOKEN + "z" + FILE_TOKEN + SSO_TOKEN + "end\n").repeat(20);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            Redactor.Sink sink = r.sink(1 << 20);
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(trial % 2 == 0 ? 7 : 64));
                sink.write(bytes, at, n);
                at += n;
            }
            String out = sink.finish().text();
            assertThat(out).isEqualTo(r.redact(text));
            assertThat(r.containsSecret(out)).isFalse();
            assertThat(sink.totalBytes()).isEqualTo(bytes.length);
        }
    }

    @Test
    void theSinkCapsWhatItKeeps() {
        Redactor.Sink sink = new Redactor(List.of("secret-value-1")).sink(10);
        byte[] b = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
        assertThat(sink.finish().text()).isEqualTo("0123456789");
        assertThat(sink.truncated()).isTrue();
        assertThat(sink.totalBytes()).isEqualTo(16);
    }

    @Test
    void shortValuesAreNotSecrets() {
        Map<String, String> env = Map.of("HOME", home.toString(), "AWS_SECRET_ACCESS_KEY", "testing");
        assertThat(new Secrets(HostEnvironment.current().withVariables(env)).values()).isEmpty();
    }

    /** A credentials file named as botocore expands it ({@code $HOME/...}) is read for secrets too (red team, round 20, F7). */
    @Test
    void aCredentialsFileNamedWithAVariableIsKnown() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("creds"), "[default]\naws_secret_access_key = " + FILE_SECRET + "\n");
        for (String named : List.of("$HOME/conf/creds", "${HOME}/conf/creds")) {
            Map<String, String> env = Map.of("HOME", home.toString(), "AWS_SHARED_CREDENTIALS_FILE", named);
            assertThat(new Secrets(HostEnvironment.current().withVariables(env)).values()).as(named).contains(FILE_SECRET);
        }
    }
    /**
     * Outside test RT33, F8: {@code aws configure list} masks the secret key as sixteen stars and its last four
     * characters, which exact-match redaction let through. The mask is redacted too, in a whole string and in a stream;
     * control: the same stars before other characters stay.
     */
    @Test
    void theAwsClisOwnMaskOfASecretIsRedactedToo() throws Exception {
        Redactor redactor = new Redactor(List.of(FILE_SECRET));
        String line = "secret_key     ****************" + FILE_SECRET.substring(FILE_SECRET.length() - 4) + " shared-credentials-file";

        assertThat(redactor.redact(line)).isEqualTo("secret_key     **** shared-credentials-file");
        Redactor.Sink sink = redactor.sink(1000);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        sink.write(bytes, 0, 20);
        sink.write(bytes, 20, bytes.length - 20);
        assertThat(sink.finish().text()).doesNotContain(
                FILE_SECRET.substring(FILE_SECRET.length() - 4));
        assertThat(redactor.redact("access_key     ****************WXYZ")).as("control").endsWith("WXYZ");
    }
}
