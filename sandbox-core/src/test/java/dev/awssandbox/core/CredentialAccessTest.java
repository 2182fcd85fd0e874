package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What of the AWS credentials (files and environment) reaches the command, per credential mode. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class CredentialAccessTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host.withAwsConfig()
                .set("AWS_ACCESS_KEY_ID", "AKIAENVBAIT")
                .set("AWS_SECRET_ACCESS_KEY", "env-secret-bait")
                .set("AWS_REGION", "eu-west-1")
                .set("NOT_ALLOWED_VARIABLE", "should-not-pass");
    }

    private Sandboxes sandboxes(SandboxPolicy.Credentials mode) {
        return Sandboxes.of(host.environment(), SandboxPolicy.defaults(host.environment(), mode), backend);
    }

    @ParameterizedTest
    @EnumSource(SandboxPolicy.Credentials.class)
    void credentialsFileReadableOnlyWhenTheModeAllowsIt(SandboxPolicy.Credentials mode) {
        String credentials = host.home().resolve(".aws/credentials").toString();
        Sandboxes sandboxes = sandboxes(mode);

        assertThat(sandboxes.outside("cat", credentials).stdout().text()).isEqualTo(TestHost.CREDENTIALS_BAIT);
        ExecResult inside = sandboxes.inside("cat", credentials);
        if (mode.allowAwsConfig()) {
            assertThat(inside.stdout().text()).isEqualTo(TestHost.CREDENTIALS_BAIT);
        } else {
            assertThat(inside.isSuccess()).isFalse();
            assertThat(inside.stdout().text()).doesNotContain("AKIATESTBAIT");
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxPolicy.Credentials.class)
    void credentialFilesAreNeverWritable(SandboxPolicy.Credentials mode) throws Exception {
        Path credentials = host.home().resolve(".aws/credentials");
        Path config = host.home().resolve(".aws/config");
        Sandboxes sandboxes = sandboxes(mode);

        ExecResult overwrite = sandboxes.inside("sh", "-c", "echo pwned > " + credentials);
        ExecResult append = sandboxes.inside("sh", "-c", "echo pwned >> " + config);
        ExecResult create = sandboxes.inside("touch", host.home().resolve(".aws/new-file").toString());

        assertThat(overwrite.isSuccess()).isFalse();
        assertThat(append.isSuccess()).isFalse();
        assertThat(create.isSuccess()).isFalse();
        assertThat(Files.readString(credentials)).isEqualTo(TestHost.CREDENTIALS_BAIT);
        assertThat(Files.readString(config)).doesNotContain("pwned");
        // negative control: the same write works unsandboxed
        assertThat(sandboxes.outside("sh", "-c", "echo ok >> " + config).isSuccess()).isTrue();
    }

    @Test
    void awsCliCacheDirectoriesAreWritableWhenAwsConfigIsAllowed() {
        Path cache = host.home().resolve(".aws/cli/cache/token.json");
        Path sso = host.home().resolve(".aws/sso/cache/token.json");

        ExecResult result = sandboxes(SandboxPolicy.Credentials.AWS_CONFIG).inside("touch", cache.toString(), sso.toString());

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(cache).exists();
        assertThat(sso).exists();
    }

    /**
     * Red team, round 64, F4: the AWS CLI's caches are write paths too, judged against what the start-up files run: a
     * cache a start-up file sources from is not granted (a plant there ran in the user's next shell); the other cache is.
     * Control: {@link #awsCliCacheDirectoriesAreWritableWhenAwsConfigIsAllowed}, the same write without the start-up file.
     */
    @Test
    void aCacheTheStartUpFilesRunFromIsNotGranted() throws Exception {
        Path bashrc = host.home().resolve(".bashrc");
        Files.createDirectories(host.home().resolve(".aws/cli/cache"));
        Files.writeString(bashrc, "for f in ~/.aws/cli/cache/*.sh; do . \"$f\"; done\n");
        try {
            Path plant = host.home().resolve(".aws/cli/cache/env.sh");
            Path sso = host.home().resolve(".aws/sso/cache/token.json");

            ExecResult cache = sandboxes(SandboxPolicy.Credentials.AWS_CONFIG).inside("touch", plant.toString());
            ExecResult other = sandboxes(SandboxPolicy.Credentials.AWS_CONFIG).inside("touch", sso.toString());

            assertThat(cache.isSuccess()).isFalse();
            assertThat(plant).doesNotExist();
            assertThat(cache.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws/cli/cache is not granted"));
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        } finally {
            Files.delete(bashrc);
        }
    }

    @Test
    void customCredentialFilesFromTheEnvironmentAreReadable() throws Exception {
        Path custom = host.outsideFile("custom-credentials", "[custom]\n");
        host.set("AWS_SHARED_CREDENTIALS_FILE", custom.toString());
        Sandboxes sandboxes = sandboxes(SandboxPolicy.Credentials.AWS_CONFIG);

        assertThat(sandboxes.inside("cat", custom.toString()).stdout().text()).isEqualTo("[custom]\n");
        // the rest of that directory stays closed
        Path sibling = host.outsideFile("sibling", "closed");
        assertThat(sandboxes.inside("cat", sibling.toString()).isSuccess()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SandboxPolicy.Credentials.class)
    void secretEnvironmentVariablesPassOnlyWithEnvCredentials(SandboxPolicy.Credentials mode) {
        ExecResult env = sandboxes(mode).inside("env");
        String text = env.stdout().text();

        assertThat(text).contains("AWS_REGION=eu-west-1");
        if (mode.passAwsEnv()) {
            assertThat(text).contains("AWS_ACCESS_KEY_ID=AKIAENVBAIT").contains("AWS_SECRET_ACCESS_KEY=env-secret-bait");
        } else {
            assertThat(text).doesNotContain("AKIAENVBAIT").doesNotContain("env-secret-bait");
        }
    }

    /**
     * The secret reaches the command and no process's argv, which every local user can read in
     * /proc/PID/cmdline: bwrap was given the environment as {@code --setenv NAME VALUE} arguments
     * (red team, round 17). The control: the same scan finds the command's own argv.
     */
    @Test
    void aSecretVariableIsInNoProcesssArgv() throws Exception {
        String marker = "4.0" + ProcessHandle.current().pid() + "7";
        java.util.concurrent.CompletableFuture<ExecResult> run = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                sandboxes(SandboxPolicy.Credentials.ENV).inside("sh", "-c", "env | grep -c env-secret-bai[t]; sleep " + marker));
        boolean markerSeen = false;
        java.util.List<String> carriers = new java.util.ArrayList<>();
        while (!run.isDone()) {
            try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    String argv;
                    try {
                        argv = new String(Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                    } catch (java.io.IOException e) {
                        continue; // gone meanwhile
                    }
                    markerSeen |= argv.contains(marker);
                    if (argv.contains("env-secret-bait")) {
                        carriers.add(argv.replace('\0', ' '));
                    }
                }
            }
            Thread.sleep(20);
        }
        assertThat(run.get().stdout().text()).as("the command has the variable").isEqualTo("1\n");
        assertThat(markerSeen).as("the control: the scan saw the command's argv").isTrue();
        assertThat(carriers).as("processes whose argv carries the secret").isEmpty();
    }

    @Test
    void variablesOutsideTheAllowListAreAbsentInEveryBackend() {
        Sandboxes sandboxes = sandboxes(SandboxPolicy.Credentials.BOTH);

        assertThat(sandboxes.inside("env").stdout().text()).doesNotContain("NOT_ALLOWED_VARIABLE");
        assertThat(sandboxes.outside("env").stdout().text()).doesNotContain("NOT_ALLOWED_VARIABLE");

        SandboxPolicy withIt = SandboxPolicy.builder(host.environment()).addEnvPassthrough("NOT_ALLOWED_VARIABLE").build();
        assertThat(Sandboxes.of(host.environment(), withIt, backend).inside("env").stdout().text())
                .contains("NOT_ALLOWED_VARIABLE=should-not-pass");
    }
}
