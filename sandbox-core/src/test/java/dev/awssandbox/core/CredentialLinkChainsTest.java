package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 22 (F1, F2, F9, F10): chains of symbolic links at the credential locations.
 * Only the final target of a link was protected or judged; the links on the way were not. Every
 * link on the way from a credential location, a linked start-up file or PATH program, or a file an
 * AWS_* variable names is now kept as the target is (a write path that holds one is not made
 * writable, on both backends), and the grants made for the credentials and the AWS CLI's caches are
 * never made through a link a command could have re-pointed. Controls: the same command succeeds
 * before the links exist and unsandboxed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class CredentialLinkChainsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String replace(String link) {
        return "rm " + link + " && printf '[default]\\ncredential_process = /bin/false\\n' > " + link + " && echo REPLACED";
    }

    /**
     * F2: {@code ~/.aws/config -> work/link2 -> outside/config} (and the same for ssh's config,
     * {@code ~/.bashrc}, kubectl's and docker's configs): the final file lay outside the working
     * directory, so the directory was writable, and the command replaced {@code link2} — what the
     * AWS CLI (ssh, the shell) really reads.
     */
    @Test
    void theMiddleLinkOfAChainFromAStartUpOrCredentialFileCannotBeReplaced() throws Exception {
        Files.createDirectories(host.home().resolve(".aws"));
        Files.createDirectories(host.home().resolve(".kube"));
        Files.createDirectories(host.home().resolve(".docker"));
        List<String> locations = List.of(".aws/config", ".ssh/config", ".bashrc", ".kube/config", ".docker/config.json");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        for (int i = 0; i < locations.size(); i++) {
            Path store = host.outsideFile("store" + i, "# the real file\n");
            Path middle = host.work().resolve("link" + i);
            Files.createSymbolicLink(middle, store);
            String script = replace(middle.toString()) + "; echo other > " + host.work().resolve("other.txt") + " && echo OTHER";
            assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: no chain leads there yet")
                    .contains("REPLACED");
            Files.delete(middle);
            Files.createSymbolicLink(middle, store);

            Files.createSymbolicLink(host.home().resolve(locations.get(i)), middle);
            ExecResult result = sandboxes.inside("sh", "-c", script);
            assertThat(result.stdout().text()).as(locations.get(i)).doesNotContain("REPLACED");
            assertThat(Files.isSymbolicLink(middle)).as(locations.get(i)).isTrue();
            assertThat(result.enforcement().notes()).as(locations.get(i)).anySatisfy(n -> assertThat(n)
                    .contains("the working directory " + host.work()).contains("holds the symbolic link " + middle));
            Files.delete(host.home().resolve(locations.get(i)));
        }
        Path middle = host.work().resolve("link0");
        Files.createSymbolicLink(host.home().resolve(".aws/config"), middle);
        assertThat(sandboxes.outside("sh", "-c", replace(middle.toString())).stdout().text()).contains("REPLACED");
    }

    /** F2, a directory chain: {@code ~/.aws -> work/awsdir -> outside/aws}, re-pointed at a directory of the command's. */
    @Test
    void theMiddleLinkOfADirectoryChainAtDotAwsCannotBeRepointed() throws Exception {
        Path store = Files.createDirectories(host.outside().resolve("aws"));
        Files.writeString(store.resolve("config"), "[default]\n");
        Path middle = host.work().resolve("awsdir");
        Files.createSymbolicLink(middle, store);
        Files.createSymbolicLink(host.home().resolve(".aws"), middle);
        String script = "mkdir evil && rm awsdir && ln -s evil awsdir && echo REPOINTED";
        for (SandboxPolicy.Credentials mode : SandboxPolicy.Credentials.values()) {
            HostEnvironment env = host.environment();
            Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.builder(env).credentials(mode).build(), backend);
            assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as(mode.toString()).doesNotContain("REPOINTED");
            assertThat(Files.readSymbolicLink(middle)).isEqualTo(store);
        }
        assertThat(Sandboxes.of(host, backend).outside("sh", "-c", script).stdout().text()).contains("REPOINTED");
    }

    /** F2 for a program on PATH: {@code pbin/tool -> work/link2 -> outside/tool.sh}. */
    @Test
    void theMiddleLinkOfAChainFromAProgramOnPathCannotBeReplaced() throws Exception {
        Path tool = host.outsideFile("tool.sh", "#!/bin/sh\necho legit\n");
        Path middle = host.work().resolve("link2");
        Files.createSymbolicLink(middle, tool);
        Path bin = Files.createDirectories(host.outside().resolve("pbin"));
        HostEnvironment env = host.environment();
        Map<String, String> variables = new HashMap<>(env.variables());
        variables.put("PATH", bin + ":" + env.get("PATH").orElse("/usr/bin"));
        HostEnvironment withBin = env.withVariables(variables);
        Sandboxes sandboxes = Sandboxes.of(withBin, SandboxPolicy.defaults(withBin), backend);
        String script = "rm link2 && echo 'echo PWNED' > evil && ln -s evil link2 && echo REPOINTED";
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: no chain leads there yet")
                .contains("REPOINTED");
        Files.delete(middle);
        Files.delete(host.work().resolve("evil"));
        Files.createSymbolicLink(middle, tool);

        Files.createSymbolicLink(bin.resolve("tool"), middle);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).doesNotContain("REPOINTED");
        assertThat(Files.readSymbolicLink(middle)).isEqualTo(tool);
        assertThat(sandboxes.outside("sh", "-c", script).stdout().text()).contains("REPOINTED");
    }

    /**
     * F1: {@code AWS_CONFIG_FILE} names a link in the working directory (to the file, through a
     * directory link, or to {@code /dev/null}): with the credentials withheld the command replaced it
     * (mode {@code both} refused only the first two, through the planted-link rule); a link to a
     * device was replaced in every mode.
     */
    @Test
    void aLinkThatAnAwsVariableNamesCannotBeReplacedInAnyMode() throws Exception {
        Path store = Files.createDirectories(host.outside().resolve("store"));
        Files.writeString(store.resolve("config"), "[default]\n");
        Files.createSymbolicLink(host.work().resolve("config"), store.resolve("config"));
        Files.createSymbolicLink(host.work().resolve("cfglink"), store);
        Files.createSymbolicLink(host.work().resolve("cfg"), Path.of("/dev/null"));
        Map<String, String> cases = Map.of(host.work().resolve("config").toString(), replace("config"),
                host.work().resolve("cfglink/config").toString(), "rm cfglink && mkdir evil && ln -s evil cfglink && echo REPLACED",
                host.work().resolve("cfg").toString(), replace("cfg"));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            for (SandboxPolicy.Credentials mode : List.of(SandboxPolicy.Credentials.NONE, SandboxPolicy.Credentials.ENV,
                    SandboxPolicy.Credentials.BOTH)) {
                HostEnvironment plain = host.environment();
                SandboxPolicy policy = SandboxPolicy.builder(plain).credentials(mode).build();
                if (!c.getKey().endsWith("cfg") && mode == SandboxPolicy.Credentials.BOTH) {
                    continue; // refused as a grant through a planted link (WorkingDirectoryTest)
                }
                Map<String, String> variables = new HashMap<>(plain.variables());
                variables.put("AWS_CONFIG_FILE", c.getKey());
                HostEnvironment env = plain.withVariables(variables);
                Sandboxes sandboxes = Sandboxes.of(env, policy, backend);
                assertThat(sandboxes.inside("sh", "-c", c.getValue()).stdout().text()).as(c.getKey() + " " + mode)
                        .doesNotContain("REPLACED");
                assertThat(Files.isSymbolicLink(host.work().resolve(Path.of(c.getKey()).getName(
                        host.work().getNameCount()).toString()))).as(c.getKey() + " " + mode).isTrue();
            }
        }
        // control: the same command replaces the link when no variable names it
        assertThat(Sandboxes.of(host, backend).inside("sh", "-c", replace("cfg")).stdout().text()).contains("REPLACED");
    }

    /** F1: an explicit {@code --rw} of the directory that holds the link, from elsewhere, is refused. */
    @Test
    void anExplicitWritePathHoldingALinkThatAnAwsVariableNamesIsRefused() throws Exception {
        Path store = host.outsideFile("config", "[default]\n");
        Files.createSymbolicLink(host.work().resolve("config"), store);
        Map<String, String> variables = new HashMap<>(host.environment().variables());
        variables.put("AWS_CONFIG_FILE", host.work().resolve("config").toString());
        HostEnvironment env = host.environment().withVariables(variables).withWorkingDirectory(host.outside());
        SandboxPolicy policy = SandboxPolicy.builder(env).credentials(SandboxPolicy.Credentials.NONE)
                .addWritePath(host.work().toString()).build();
        Sandbox sandbox = Sandbox.builder().host(env).policy(policy).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        assertThatThrownBy(() -> sandbox.run("true")).isInstanceOf(SandboxException.class)
                .hasMessageContaining("--rw " + host.work()).hasMessageContaining("holds the symbolic link");
    }

    /** A file an AWS_* variable names is judged as a {@code --ro} of it: one of the host's secret stores is refused. */
    @Test
    void aFileAnAwsVariableNamesInTheHostsSecretStoresIsRefused() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(Path.of("/etc/shadow")));
        Map<String, String> variables = new HashMap<>(host.environment().variables());
        variables.put("AWS_SHARED_CREDENTIALS_FILE", "/etc/shadow");
        HostEnvironment env = host.environment().withVariables(variables);
        Sandbox sandbox = Sandbox.builder().host(env).policy(SandboxPolicy.defaults(env)).mode(Sandbox.Mode.REQUIRED)
                .backend(backend).build();
        assertThatThrownBy(() -> sandbox.run("true")).isInstanceOf(SandboxException.class)
                .hasMessageContaining("/etc/shadow (named by an AWS_* variable)").hasMessageContaining("no grant opens them");
    }

    /**
     * F9: {@code ~/.aws/credentials -> work/l2}, with {@code l2} re-pointed by an earlier command at
     * {@code ~/.ssh/id_ed25519}: every later command was granted the key. And {@code ~/.aws ->
     * work/awsdir} re-pointed at {@code ~/.ssh}: the whole directory. Neither is granted now, from
     * any directory; a link straight from {@code ~/.aws/credentials} to a file outside still is.
     */
    @Test
    void aCredentialGrantIsNotMadeThroughARepointedLink() throws Exception {
        Path key = host.home().resolve(".ssh/id_ed25519");
        Path aws = Files.createDirectories(host.home().resolve(".aws"));
        HostEnvironment env = host.environment().withWorkingDirectory(host.outside());
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.defaults(env), backend);

        Path creds = host.outsideFile("creds", "[default]\naws_secret_access_key = LINKED\n");
        Files.createSymbolicLink(aws.resolve("credentials"), creds);
        assertThat(sandboxes.inside("cat", aws.resolve("credentials").toString()).stdout().text())
                .as("control: a link straight out of ~/.aws is granted").contains("LINKED");
        Files.delete(aws.resolve("credentials"));

        Path l2 = host.work().resolve("l2");
        Files.createSymbolicLink(l2, key);
        Files.createSymbolicLink(aws.resolve("credentials"), l2);
        ExecResult file = sandboxes.inside("cat", key.toString());
        assertThat(file.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
        assertThat(file.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws/credentials is not granted")
                .contains("goes through the symbolic link " + l2));
        assertThat(sandboxes.outside("cat", key.toString()).stdout().text()).contains(TestHost.SSH_BAIT);

        deleteTree(aws); // with the caches made for the grant
        Path awsdir = host.work().resolve("awsdir");
        Files.createSymbolicLink(awsdir, host.home().resolve(".ssh"));
        Files.createSymbolicLink(aws, awsdir);
        ExecResult directory = sandboxes.inside("cat", aws.resolve("id_ed25519").toString());
        assertThat(directory.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
        assertThat(directory.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws is not granted"));
    }

    /**
     * F9, where the way leads: even through links the user made (in {@code ~/.aws}, in {@code $HOME}),
     * a credential grant is not made of another credential directory ({@code ~/.ssh}) or of
     * {@code /etc} (its secret stores: {@code ~/.aws/shadow}).
     */
    @Test
    void aCredentialGrantIsNotMadeOfAnotherCredentialDirectoryOrOfEtc() throws Exception {
        Path key = host.home().resolve(".ssh/id_ed25519");
        Path aws = Files.createDirectories(host.home().resolve(".aws"));
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Files.createSymbolicLink(aws.resolve("credentials"), key);
        ExecResult file = sandboxes.inside("cat", aws.resolve("credentials").toString());
        assertThat(file.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
        assertThat(file.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws/credentials is not granted")
                .contains("a credential directory of its own"));
        assertThat(sandboxes.outside("cat", aws.resolve("credentials").toString()).stdout().text())
                .contains(TestHost.SSH_BAIT);

        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/etc/shadow")));
        deleteTree(aws);
        Files.createSymbolicLink(aws, Path.of("/etc"));
        ExecResult etc = sandboxes.inside("cat", aws.resolve("shadow").toString());
        assertThat(etc.isSuccess()).isFalse();
        assertThat(etc.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws is not granted")
                .contains("which is / or in /etc"));
        assertThat(sandboxes.outside("cat", aws.resolve("shadow").toString()).isSuccess()).isTrue();
    }

    /**
     * F10: {@code ~/.aws/cli/cache -> outside/victim} (a relocated cache whose directory a command
     * could replace), and {@code ~/.aws -> work/awsdir -> outside/evil} with {@code evil/cli/cache}
     * a link: the caches were granted writable wherever they led, and aws-sandbox made the missing
     * {@code evil/sso/cache} itself through the link. Now no cache is granted through a link, and
     * none is made through one.
     */
    @Test
    void anAwsCliCacheIsNotGrantedOrMadeThroughALink() throws Exception {
        Path victim = Files.createDirectories(host.outside().resolve("victim"));
        Path aws = Files.createDirectories(host.home().resolve(".aws/cli"));
        Files.createSymbolicLink(aws.resolve("cache"), victim);
        HostEnvironment env = host.environment(); // the working directory does not hold the victim
        Sandboxes sandboxes = Sandboxes.of(env, SandboxPolicy.defaults(env), backend);
        String script = "touch " + host.home().resolve(".aws/cli/cache/planted") + " && echo WROTE";
        ExecResult result = sandboxes.inside("sh", "-c", script);
        assertThat(result.stdout().text()).doesNotContain("WROTE");
        assertThat(victim.resolve("planted")).doesNotExist();
        assertThat(result.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("cli/cache is not granted"));
        assertThat(sandboxes.inside("sh", "-c", "touch " + host.home().resolve(".aws/sso/cache/token") + " && echo WROTE")
                .stdout().text()).as("control: a cache that is a directory is granted").contains("WROTE");
        assertThat(sandboxes.outside("sh", "-c", script).stdout().text()).contains("WROTE");
        Files.delete(victim.resolve("planted"));

        deleteTree(host.home().resolve(".aws"));
        // control: ~/.aws itself linked straight into a dotfiles directory keeps its caches (made there)
        Path dotAws = Files.createDirectories(host.outside().resolve("dots/aws"));
        Files.createSymbolicLink(host.home().resolve(".aws"), dotAws);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).as("control: ~/.aws -> dots/aws").contains("WROTE");
        assertThat(dotAws.resolve("cli/cache/planted")).exists();
        Files.delete(host.home().resolve(".aws"));

        Path evil = Files.createDirectories(host.outside().resolve("evil/cli"));
        Files.createSymbolicLink(evil.resolve("cache"), victim);
        Path awsdir = host.work().resolve("awsdir");
        Files.createSymbolicLink(awsdir, evil.getParent());
        Files.createSymbolicLink(host.home().resolve(".aws"), awsdir);
        assertThat(sandboxes.inside("sh", "-c", script).stdout().text()).doesNotContain("WROTE");
        assertThat(victim.resolve("planted")).doesNotExist();
        assertThat(evil.resolveSibling("sso")).as("nothing is made through the link").doesNotExist();
    }
}
