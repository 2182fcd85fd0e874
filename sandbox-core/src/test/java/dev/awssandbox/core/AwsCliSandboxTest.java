package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real AWS CLI (a pyenv shim under $HOME on our machines) against a real moto_server on
 * 127.0.0.1, run under Landlock with a fake $HOME and dummy credentials.
 */
@ExtendWith(TestHostExtension.class)
class AwsCliSandboxTest {
    @AutoClose
    private static MotoServer moto;
    private TestHost host;

    @BeforeAll
    static void startMoto() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        moto = MotoServer.start();
    }

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host.withMotoCredentials();
    }

    private String[] aws(String... args) {
        List<String> argv = new ArrayList<>(List.of("aws", "--endpoint-url", moto.endpoint()));
        argv.addAll(List.of(args));
        return argv.toArray(String[]::new);
    }

    @Test
    void s3AndStsWorkSandboxed() {
        Sandboxes sandboxes = Sandboxes.of(host);

        ExecResult mb = sandboxes.inside(aws("s3", "mb", "s3://sandboxed-bucket"));
        assertThat(mb.isSuccess()).as(mb.stderr().text()).isTrue();
        assertThat(mb.backend()).isEqualTo(BackendKind.LANDLOCK);

        ExecResult ls = sandboxes.inside(aws("s3", "ls"));
        assertThat(ls.isSuccess()).as(ls.stderr().text()).isTrue();
        assertThat(ls.stdout().text()).contains("sandboxed-bucket");

        ExecResult sts = sandboxes.inside(aws("sts", "get-caller-identity", "--output", "json"));
        assertThat(sts.isSuccess()).as(sts.stderr().text()).isTrue();
        assertThat(sts.stdout().text()).contains("\"Account\"");
    }

    /**
     * {@code cli_history = enabled} makes the AWS CLI write its command history under
     * {@code ~/.aws/cli/history}; sandboxed it failed ("Permission denied"). The directory is the
     * command's to write only while the configuration turns the history on (control: without it,
     * a write there is refused inside and succeeds outside).
     */
    /**
     * Workflow review of 2026-12-04, F1 and F2: the user's {@code AWS_ENDPOINT_URL} (and a service's
     * {@code AWS_ENDPOINT_URL_S3}) and {@code AWS_DEFAULT_OUTPUT} reach the AWS CLI; dropped, a command meant for a
     * local emulator went, signed, to AWS. The egress allow-list names only moto, so a command that missed its
     * endpoint would fail here without leaving the machine. Control: the same commands with the variables not set.
     */
    @Test
    void theAwsClisEndpointAndOutputSettingsReachIt() {
        // control: without the variables the AWS CLI goes to AWS itself, which the proxy refuses
        ExecResult control = Sandboxes.of(host.environment(), SandboxPolicy.builder(host.environment())
                .allowHosts("127.0.0.1:" + moto.port()).build())
                .inside("aws", "--cli-connect-timeout", "5", "--cli-read-timeout", "5", "sts", "get-caller-identity");
        assertThat(control.isSuccess()).isFalse();

        host.set("AWS_ENDPOINT_URL", moto.endpoint()).set("AWS_ENDPOINT_URL_S3", moto.endpoint())
                .set("AWS_DEFAULT_OUTPUT", "text");
        Sandboxes sandboxes = Sandboxes.of(host.environment(),
                SandboxPolicy.builder(host.environment()).allowHosts("127.0.0.1:" + moto.port()).build());

        ExecResult sts = sandboxes.inside("aws", "--cli-connect-timeout", "5", "sts", "get-caller-identity");
        ExecResult s3 = sandboxes.inside("aws", "--cli-connect-timeout", "5", "s3api", "list-buckets");

        assertThat(sts.isSuccess()).as(sts.stderr().text()).isTrue();
        assertThat(sts.stdout().text()).contains("123456789012").doesNotContain("{");
        assertThat(s3.isSuccess()).as(s3.stderr().text()).isTrue();
    }

    /**
     * Workflow review of 2026-12-04, F4: the AWS CLI run by another program ({@code timeout}, {@code env}, {@code xargs},
     * a shell) gets the installation it gets as the command itself: one outside the system directories (pyenv's, as
     * here) was not granted, and the wrapper failed with EACCES (this test failed so with the previous planner; where
     * the AWS CLI lies in a system directory it passes either way).
     */
    @Test
    void theAwsCliRunByAnotherProgramGetsItsInstallation() {
        Sandboxes sandboxes = Sandboxes.of(host);
        for (String[] argv : List.of(new String[] {"timeout", "60", "aws", "--version"},
                new String[] {"env", "aws", "--version"}, new String[] {"sh", "-c", "aws --version | wc -l"},
                new String[] {"xargs", "-a", "/dev/null", "-r", "aws", "--version"})) {
            ExecResult result = sandboxes.inside(argv);
            assertThat(result.isSuccess()).as(String.join(" ", argv) + ": " + result.stderr().text()).isTrue();
            assertThat(result.stderr().text()).as(String.join(" ", argv)).doesNotContain("Permission denied");
        }
    }

    @Test
    void theCommandHistoryIsWrittenWhereTheCliKeepsItWhenEnabled() throws Exception {
        Path config = Files.createDirectories(host.home().resolve(".aws")).resolve("config");
        Files.writeString(config, "[default]\ncli_history = enabled\n");
        Sandboxes sandboxes = Sandboxes.of(host);

        ExecResult ls = sandboxes.inside(aws("s3", "ls"));
        assertThat(ls.isSuccess()).as(ls.stderr().text()).isTrue();
        assertThat(host.home().resolve(".aws/cli/history/history.db")).exists();

        Files.writeString(config, "[default]\n");
        String planted = host.home().resolve(".aws/cli/history/planted").toString();
        assertThat(sandboxes.inside("touch", planted).isSuccess()).isFalse();
        assertThat(sandboxes.outside("touch", planted).isSuccess()).isTrue();
    }

    /**
     * Red team, round 24, F9: the AWS CLI's history and caches are writable, and the host's aws opens
     * their files later, following links: a {@code history.db} a command re-pointed made the host
     * write its history (command lines, responses) wherever the link led — {@code ~/.ssh/authorized_keys},
     * a start-up file. Under Landlock a command can write files there but make no symbolic link.
     * Control: unsandboxed, the link is made and the next host aws creates its target.
     */
    @Test
    void theCachesAndTheHistoryTakeNoSymbolicLinks() throws Exception {
        Path config = Files.createDirectories(host.home().resolve(".aws")).resolve("config");
        Files.writeString(config, "[default]\ncli_history = enabled\n");
        Path history = Files.createDirectories(host.home().resolve(".aws/cli/history"));
        Path cache = Files.createDirectories(host.home().resolve(".aws/cli/cache"));
        Path victim = host.outside().resolve("victim-authorized_keys");
        Sandboxes sandboxes = Sandboxes.of(host, BackendKind.LANDLOCK);

        ExecResult linked = sandboxes.inside("sh", "-c", "ln -s " + victim + " " + history.resolve("history.db") + "; ln -s "
                + victim + " " + cache.resolve("planted.json") + "; echo '{}' > " + cache.resolve("ok.json")
                + " && echo WROTE");

        assertThat(linked.stdout().text()).contains("WROTE"); // the cache is writable (control of the grant)
        assertThat(Files.isSymbolicLink(history.resolve("history.db"))).isFalse();
        assertThat(Files.isSymbolicLink(cache.resolve("planted.json"))).isFalse();
        ExecResult ls = sandboxes.inside(aws("s3", "ls"));
        assertThat(ls.isSuccess()).as(ls.stderr().text()).isTrue();
        assertThat(history.resolve("history.db")).isRegularFile();
        // control: unsandboxed, the link is made, and the next host aws writes its history through it
        for (String name : List.of("history.db", "history.db-wal", "history.db-shm")) {
            Files.deleteIfExists(history.resolve(name));
        }
        assertThat(sandboxes.outside("ln", "-s", victim.toString(), history.resolve("history.db").toString()).isSuccess())
                .isTrue();
        assertThat(sandboxes.outside(aws("s3", "ls")).isSuccess()).isTrue();
        assertThat(victim).as("the host aws wrote its history through the link").exists();
    }

    @Test
    void theNetworkOffPolicyStopsTheAwsCli() {
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), offline);

        ExecResult denied = sandboxes.inside(aws("s3", "ls"));
        assertThat(denied.isSuccess()).isFalse();
        assertThat(denied.stderr().text()).containsIgnoringCase("could not connect");

        ExecResult control = sandboxes.outside(aws("s3", "ls"));
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
    }

    @Test
    void theAwsCliCannotReadOtherFilesInHome() {
        Sandboxes sandboxes = Sandboxes.of(host);
        String bait = host.home().resolve(".ssh/id_ed25519").toString();

        // s3 cp reads a local file: the sandbox must refuse it
        ExecResult upload = sandboxes.inside(aws("s3", "cp", bait, "s3://exfil-bucket/key"));

        assertThat(upload.isSuccess()).isFalse();
        assertThat(sandboxes.inside(aws("s3", "ls", "s3://exfil-bucket")).stdout().text()).doesNotContain("key");
    }

    @Test
    void awsPipedThroughJqWithTheFilterOffline() throws Exception {
        Requirements.requireProgram("jq");
        Sandboxes sandboxes = Sandboxes.of(host);
        assertThat(sandboxes.inside(aws("s3", "mb", "s3://piped-bucket")).isSuccess()).isTrue();
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Command pipeline = Command.parse("aws --endpoint-url " + moto.endpoint()
                + " s3api list-buckets | jq -r '.Buckets[].Name'");

        ExecResult result = sandboxes.sandboxed().run(pipeline.toBuilder().stagePolicy(1, offline)
                .timeout(java.time.Duration.ofSeconds(60)).build());

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(result.stdout().text().lines()).contains("piped-bucket");
        assertThat(result.stages().get(1).enforcement().network()).isEqualTo(EnforcementReport.Network.DENIED);
    }

    @Test
    void awsPipedIntoHeadIsNotAFailure() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host);
        for (int i = 0; i < 3; i++) {
            assertThat(sandboxes.inside(aws("s3", "mb", "s3://head-bucket-" + i)).isSuccess()).isTrue();
        }

        ExecResult result = sandboxes.sandboxed().run(Command.parse("aws --endpoint-url " + moto.endpoint()
                + " s3api list-buckets --output text | head -1"));

        assertThat(result.isSuccess()).as(result.failureSummary() + result.stderr().text()).isTrue();
        assertThat(result.stdout().text().lines()).hasSize(1);
    }

    @Test
    void s3DownloadsKeepTheirModificationTimesOnEveryBackend() throws Exception {
        // aws s3 cp and s3 sync set a downloaded file's mtime to the object's (utimensat): the seccomp
        // filter refuses mode and owner changes, never timestamps
        for (BackendKind backend : dev.awssandbox.core.testing.Backends.available()) {
            Sandboxes sandboxes = Sandboxes.of(host, backend);
            String bucket = "s3://mtime-" + backend.label().toLowerCase(java.util.Locale.ROOT);
            java.nio.file.Path local = java.nio.file.Files.writeString(host.work().resolve("upload.txt"), "object body");
            assertThat(sandboxes.inside(aws("s3", "mb", bucket)).isSuccess()).isTrue();
            ExecResult upload = sandboxes.inside(aws("s3", "cp", local.toString(), bucket + "/dir/object.txt"));
            assertThat(upload.isSuccess()).as(upload.stderr().text()).isTrue();
            java.nio.file.Path copied = host.work().resolve("copied-" + backend.label() + ".txt");
            java.nio.file.Path synced = host.work().resolve("synced-" + backend.label());

            ExecResult cp = sandboxes.inside(aws("s3", "cp", bucket + "/dir/object.txt", copied.toString()));
            ExecResult sync = sandboxes.inside(aws("s3", "sync", bucket + "/dir", synced.toString()));

            assertThat(cp.isSuccess()).as(backend + ": " + cp.stderr().text()).isTrue();
            assertThat(sync.isSuccess()).as(backend + ": " + sync.stderr().text()).isTrue();
            // a refused utimensat makes the AWS CLI warn "Successfully Downloaded … but was unable to update
            // the last modified time" and exit 0: the warning is the check that holds even when the
            // download falls in the second of the upload
            assertThat(cp.stderr().text() + sync.stderr().text()).doesNotContainIgnoringCase("warning");
            String listing = sandboxes.inside(aws("s3api", "head-object", "--bucket", bucket.substring(5), "--key",
                    "dir/object.txt", "--query", "LastModified", "--output", "text")).stdout().text().strip();
            long lastModified = java.time.ZonedDateTime.parse(listing, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toEpochSecond();
            for (java.nio.file.Path downloaded : List.of(copied, synced.resolve("object.txt"))) {
                assertThat(java.nio.file.Files.readString(downloaded)).isEqualTo("object body");
                assertThat(java.nio.file.Files.getLastModifiedTime(downloaded).toInstant().getEpochSecond())
                        .as("%s: mtime of %s set from the object", backend, downloaded.getFileName()).isEqualTo(lastModified);
            }
        }
    }
}
