package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The policy's defaults and rules, matching the reference's SandboxConfig. */
@ExtendWith(TestHostExtension.class)
class SandboxPolicyTest {
    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        this.host = host;
    }

    private HostEnvironment on(HostEnvironment.Platform platform, Map<String, String> vars) {
        return new HostEnvironment(vars, host.work(), platform);
    }

    @Test
    void linuxDefaults() {
        SandboxPolicy policy = SandboxPolicy.defaults(on(HostEnvironment.Platform.LINUX, Map.of("HOME", "/home/u", "TMPDIR", "/var/tmp/u")));

        assertThat(policy.readPaths()).map(Path::toString).containsExactly("/usr", "/bin", "/lib", "/lib64",
                "/etc/ssl/certs", "/etc/ssl/cert.pem", "/etc/ssl/ca-bundle.pem", "/etc/ssl/openssl.cnf",
                "/etc/ssl/ct_log_list.cnf", "/etc/ca-certificates", "/etc/pki/tls/certs", "/etc/pki/tls/cert.pem",
                "/etc/pki/tls/openssl.cnf", "/etc/pki/tls/ct_log_list.cnf", "/etc/pki/ca-trust", "/etc/pki/java",
                "/etc/crypto-policies", "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
                "/etc/gitconfig");
        assertThat(policy.writePaths()).containsExactly(host.work()); // the host's /tmp and $TMPDIR are not granted: each command has its own
        assertThat(policy.allowNetwork()).isTrue();
        assertThat(policy.passAwsEnv()).isTrue();
        assertThat(policy.allowAwsConfig()).isTrue();
        assertThat(policy.envPassthrough()).startsWith("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TZ")
                .containsAll(SandboxPolicy.Credentials.AWS_VARIABLES);
        // the AWS CLI's settings, and each endpoint the host sets (workflow review of 2026-12-04, F1, F2)
        SandboxPolicy endpoints = SandboxPolicy.defaults(on(HostEnvironment.Platform.LINUX, Map.of("HOME", "/home/u",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1", "AWS_ENDPOINT_URLX", "x")));
        assertThat(endpoints.envPassthrough()).contains("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_OUTPUT")
                .doesNotContain("AWS_ENDPOINT_URLX", "AWS_PAGER");
    }

    @Test
    void macosDefaults() {
        SandboxPolicy policy = SandboxPolicy.defaults(on(HostEnvironment.Platform.MACOS, Map.of()));

        // the reference's list without /dev: the Seatbelt profile allows device nodes one by one
        assertThat(policy.readPaths()).map(Path::toString).containsExactly("/usr", "/bin", "/sbin", "/Library",
                "/System", "/private/etc", "/var/run", "/opt/homebrew");
        assertThat(policy.writePaths()).containsExactly(host.work());
        assertThat(policy.envPassthrough()).containsAll(dev.awssandbox.core.access.AwsEnvironment.PROXY_ENV_VARS);
        assertThat(SandboxPolicy.defaults(on(HostEnvironment.Platform.LINUX, Map.of())).envPassthrough())
                .doesNotContainAnyElementsOf(dev.awssandbox.core.access.AwsEnvironment.PROXY_ENV_VARS);
    }

    @Test
    void secretVariablesAreDroppedWithoutEnvCredentials() {
        SandboxPolicy policy = SandboxPolicy.defaults(host.environment(), SandboxPolicy.Credentials.AWS_CONFIG);

        assertThat(policy.envPassthrough()).doesNotContainAnyElementsOf(SandboxPolicy.Credentials.SECRET_VARIABLES)
                .contains("AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE");
    }

    @Test
    void credentialPathsAreExistingDeduplicatedAndOrdered() throws Exception {
        host.withAwsConfig();
        Path token = host.outsideFile("token", "t");
        Path creds = host.home().resolve(".aws/credentials");
        HostEnvironment env = host.set("AWS_SHARED_CREDENTIALS_FILE", creds.toString())
                .set("AWS_CONFIG_FILE", host.outside().resolve("missing-config").toString())
                .set("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString())
                .environment();

        assertThat(SandboxPolicy.Credentials.files(env)).containsExactly(host.home().resolve(".aws"), creds, token);
    }

    @Test
    void gitWritesAreOffByDefaultAndKeptByToBuilder() {
        SandboxPolicy policy = SandboxPolicy.defaults(host.environment());
        SandboxPolicy allowed = policy.toBuilder(host.environment()).allowGitWrites(true).build();

        assertThat(policy.allowGitWrites()).isFalse();
        assertThat(allowed.allowGitWrites()).isTrue();
        assertThat(allowed.toBuilder(host.environment()).build().allowGitWrites()).isTrue();
    }

    @Test
    void tildeMeansHomeFromTheEnvironment() {
        HostEnvironment env = host.environment();
        SandboxPolicy policy = SandboxPolicy.builder(env).addReadPath("~/data").build();

        assertThat(policy.readPaths()).contains(host.home().resolve("data"));
        assertThat(host.home().toString()).isNotEqualTo(System.getProperty("user.home"));
    }

    @Test
    void relativePathsAreRejectedAndVariableNamesChecked() {
        assertThatThrownBy(() -> new SandboxPolicy(List.of(Path.of("rel")), List.of(), SandboxPolicy.Network.ALL, List.of(), true, true, List.of(),
                SandboxPolicy.Limits.DEFAULT, false))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> SandboxPolicy.builder(host.environment()).addEnvPassthrough("A=B").build())
                .hasMessageContaining("A=B");
    }

    @Test
    void homeAsWorkingDirectoryIsNotMadeWritable() throws Exception {
        Sandbox sandbox = Sandbox.builder().host(host.environment().withWorkingDirectory(host.home())).build();

        Sandbox.Preview preview = sandbox.preview(List.of("true"));

        assertThat(preview.grants()).noneMatch(g -> g.resolved().equals(host.home()));
        assertThat(preview.warnings()).anyMatch(w -> w.contains("not made writable"));
        assertThat(Files.isDirectory(host.home())).isTrue();
    }

    @Test
    void nonHomeWorkingDirectoryIsWritable() throws Exception {
        Sandbox.Preview preview = Sandbox.builder().host(host.environment()).build().preview(List.of("true"));

        assertThat(preview.grants()).anyMatch(g -> g.resolved().equals(host.work()) && g.writable());
        assertThat(preview.warnings()).isEmpty();
    }

    /**
     * {@link Sandbox.Preview#canRead} answers from the plan's grants, as the MCP server asks before it
     * reads a parameter file for a command (testers' F4): a file in a working directory the plan gives
     * is readable; one in a working directory it withholds (it holds the store {@code KUBECONFIG}
     * names), and a key in {@code ~/.ssh}, are not.
     */
    @Test
    void previewCanReadWhatAGrantHoldsOnly() throws Exception {
        Path data = Files.writeString(host.work().resolve("data.json"), "{}");
        Sandbox.Preview given = Sandbox.builder().host(host.environment()).build().preview(List.of("true"));
        assertThat(given.canRead(data)).isTrue();
        assertThat(given.canRead(host.home().resolve(".ssh/id_ed25519"))).isFalse();

        Path kubeconfig = Files.writeString(host.work().resolve("kubeconfig"), "token: x\n");
        Sandbox.Preview withheld = Sandbox.builder().host(host.set("KUBECONFIG", kubeconfig.toString()).environment())
                .build().preview(List.of("true"));
        assertThat(withheld.warnings()).anyMatch(w -> w.contains("is not given to the command"));
        assertThat(withheld.canRead(kubeconfig)).isFalse();
        assertThat(withheld.canRead(data)).isFalse();
    }

    /** The host's /tmp is not granted; the command's own temporary directory is, and TMPDIR names it. */
    @Test
    void theDefaultPolicyGrantsNoHostTmpButAPrivateTemporaryDirectory() throws Exception {
        Sandbox.Preview preview = Sandbox.builder().host(host.environment()).build().preview(List.of("true"));
        Path tmp = Path.of("/tmp").toRealPath();
        Path root = dev.awssandbox.core.process.PrivateTemp.root();

        assertThat(preview.grants()).noneMatch(g -> g.resolved().equals(tmp));
        assertThat(preview.grants()).filteredOn(g -> g.resolved().startsWith(tmp))
                .allMatch(g -> g.resolved().startsWith(root));
        assertThat(preview.grants()).anyMatch(g -> g.resolved().equals(root) && g.writable()
                && g.reason().startsWith("private temporary directory"));
        assertThat(preview.environmentNames()).contains("TMPDIR");
    }

    @Test
    void allowedHostsMakeModeHostsInOneSpellingEach() {
        SandboxPolicy policy = SandboxPolicy.builder(host.environment())
                .allowHosts("*.AMAZONAWS.com", "*.amazonaws.com", "127.0.0.1:4566", "s3.amazonaws.com:443").build();

        assertThat(policy.network()).isEqualTo(SandboxPolicy.Network.HOSTS);
        assertThat(policy.allowNetwork()).as("not every connection").isFalse();
        assertThat(policy.allowedHosts()).containsExactly("*.amazonaws.com", "127.0.0.1:4566", "s3.amazonaws.com");
        assertThat(policy.toBuilder(host.environment()).build()).isEqualTo(policy);
        assertThat(SandboxPolicy.defaults(host.environment()).network()).as("the default is unchanged")
                .isEqualTo(SandboxPolicy.Network.ALL);
    }

    @Test
    void anotherNetworkModeForgetsTheHostsAndHostsBelongToModeHostsOnly() {
        SandboxPolicy on = SandboxPolicy.builder(host.environment()).allowHosts("*.amazonaws.com").allowNetwork(true).build();
        assertThat(on.network()).isEqualTo(SandboxPolicy.Network.ALL);
        assertThat(on.allowedHosts()).isEmpty();

        assertThatThrownBy(() -> new SandboxPolicy(List.of(), List.of(), SandboxPolicy.Network.OFF, List.of("*.amazonaws.com"),
                true, true, List.of(), SandboxPolicy.Limits.DEFAULT, false))
                .hasMessageContaining("allowed hosts are for network mode hosts, not off");
        assertThat(SandboxPolicy.Network.parse(" Hosts ", "--network")).isEqualTo(SandboxPolicy.Network.HOSTS);
        assertThatThrownBy(() -> SandboxPolicy.Network.parse("some", "--network"))
                .hasMessage("invalid --network value 'some': expected one of off, hosts, all");
    }

    @Test
    void aBadHostPatternSaysWhatToWrite() {
        assertThatThrownBy(() -> SandboxPolicy.builder(host.environment()).allowHosts("s3.*.amazonaws.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid host pattern 's3.*.amazonaws.com': a wildcard may only be the whole first label")
                .hasMessageContaining("127.0.0.1");
    }
}
