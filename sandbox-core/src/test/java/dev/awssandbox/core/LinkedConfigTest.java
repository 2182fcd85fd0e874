package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.testing.Backends;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Red team, round 24: links from the home's configuration into a checkout (a dotfiles repo) that a
 * command run there rewrote — a directory link stow folds ({@code ~/.config/fish -> ~/dots/fish},
 * F8), a per-service link in {@code ~/.aws/models} or an {@code AWS_DATA_PATH} directory (planted
 * endpoint rules sent the host {@code aws}'s session token away, F3), credential dotfiles missing
 * from the list ({@code ~/.s3curl}, {@code ~/.mc/config.json}, …, F4) and an ssh {@code Include}
 * glob's match ({@code ~/.ssh/config.d/work -> ~/dots/sshwork}, F16). The rule behind the lists:
 * every link among the home's configuration entries whose target lies in a write path keeps it
 * from being writable. Each attack is shown to work before the link exists (or unsandboxed), and
 * to fail sandboxed, on both backends.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class LinkedConfigTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private static String append(Path... files) {
        StringBuilder script = new StringBuilder();
        for (Path file : files) {
            script.append("echo '# planted' >> '").append(file).append("' && echo WROTE-").append(file.getFileName())
                    .append("; ");
        }
        return script.toString();
    }

    private String run(Sandboxes sandboxes, boolean inside, String script) {
        String all = script + "echo other > '" + host.work().resolve("other.txt") + "' && echo OTHER";
        return (inside ? sandboxes.inside("sh", "-c", all) : sandboxes.outside("sh", "-c", all)).stdout().text();
    }

    private Sandboxes sandboxes(Map<String, String> added, SandboxPolicy.Credentials mode) {
        HostEnvironment env = host.environment();
        Map<String, String> variables = new HashMap<>(env.variables());
        variables.putAll(added);
        HostEnvironment with = env.withVariables(variables);
        return Sandboxes.of(with, SandboxPolicy.defaults(with, mode), backend);
    }

    /** F8: stow's folding links the directory, not the file; fish's and neovim's start-up files were rewritten. */
    @Test
    void aStartUpDirectoryLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path fish = Files.writeString(Files.createDirectories(host.work().resolve("fish")).resolve("config.fish"), "echo hi\n");
        Path nvim = Files.writeString(Files.createDirectories(host.work().resolve("nvim")).resolve("init.lua"), "-- init\n");
        // not on any list: systemd's user units run at the next login
        Path unit = Files.writeString(Files.createDirectories(host.work().resolve("systemd")).resolve("x.service"), "\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        String script = append(fish, nvim, unit);
        assertThat(run(sandboxes, true, script)).as("control: no link leads there yet")
                .contains("WROTE-config.fish", "WROTE-init.lua", "WROTE-x.service");

        Files.createDirectories(host.home().resolve(".config"));
        Files.createSymbolicLink(host.home().resolve(".config/fish"), fish.getParent());
        Files.createSymbolicLink(host.home().resolve(".config/nvim"), nvim.getParent());
        Files.createSymbolicLink(host.home().resolve(".config/systemd"), unit.getParent());
        String inside = run(sandboxes, true, script);
        assertThat(inside).doesNotContain("WROTE-");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(run(sandboxes, false, script)).contains("WROTE-config.fish", "WROTE-init.lua", "WROTE-x.service");
    }

    /**
     * Red team, round 25, F6: with {@code XDG_CONFIG_HOME} at a directory that is not hidden
     * ({@code ~/cfg}), gh's token and fish's start-up file lie there; a command run there read the
     * token and rewrote the file with {@code --credentials none}. It is a credential directory as
     * {@code ~/.config} is. Control: the same command without the variable (an ordinary data
     * directory then) and unsandboxed.
     */
    @Test
    void aConfigurationHomeOutsideTheHiddenDirectoriesIsACredentialDirectory() throws Exception {
        Path cfg = Files.createDirectories(host.home().resolve("cfg"));
        Files.writeString(Files.createDirectories(cfg.resolve("gh")).resolve("hosts.yml"), "oauth_token: SECRET-GH\n");
        Files.writeString(Files.createDirectories(cfg.resolve("fish")).resolve("config.fish"), "set x 1\n");
        String script = "cat gh/hosts.yml; echo '# planted' >> fish/config.fish && echo WROTE-fish";
        for (boolean moved : new boolean[] {false, true}) {
            HostEnvironment env = host.environment().withWorkingDirectory(cfg);
            Map<String, String> variables = new HashMap<>(env.variables());
            if (moved) {
                variables.put("XDG_CONFIG_HOME", cfg.toString());
            }
            HostEnvironment with = env.withVariables(variables);
            Sandboxes sandboxes = Sandboxes.of(with, SandboxPolicy.defaults(with, SandboxPolicy.Credentials.NONE), backend);
            String inside = sandboxes.inside("sh", "-c", script).stdout().text();
            if (moved) {
                assertThat(inside).doesNotContain("SECRET-GH").doesNotContain("WROTE-");
            } else {
                assertThat(inside).as("control: an ordinary data directory without the variable")
                        .contains("SECRET-GH", "WROTE-fish");
            }
            assertThat(sandboxes.outside("sh", "-c", script).stdout().text()).contains("SECRET-GH", "WROTE-fish");
        }
    }

    /** F3: an entry of ~/.aws/models, and of an AWS_DATA_PATH directory, linked per service into a checkout. */
    @Test
    void aDataPathEntryLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path sts = Files.createDirectories(host.work().resolve("models/sts/2011-06-15"));
        Path rules = Files.writeString(sts.resolve("endpoint-rule-set-1.json"), "{}\n");
        Path s3 = Files.createDirectories(host.work().resolve("data/s3/2006-03-01"));
        Path s3rules = Files.writeString(s3.resolve("endpoint-rule-set-1.json"), "{}\n");
        Path data = Files.createDirectories(host.outside().resolve("awsdata"));
        Map<String, String> dataPath = Map.of("AWS_DATA_PATH", data.toString());
        String script = append(rules, s3rules);
        Sandboxes sandboxes = sandboxes(dataPath, SandboxPolicy.Credentials.BOTH);
        assertThat(run(sandboxes, true, script)).as("control: no link leads there yet").contains("WROTE-endpoint");

        Files.createDirectories(host.home().resolve(".aws/models"));
        Files.createSymbolicLink(host.home().resolve(".aws/models/sts"), host.work().resolve("models/sts"));
        Files.createSymbolicLink(data.resolve("s3"), host.work().resolve("data/s3"));
        String inside = run(sandboxes, true, script);
        assertThat(inside).doesNotContain("WROTE-");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(run(sandboxes, false, script)).contains("WROTE-endpoint");
    }

    /**
     * A data path's links are resolved once and remembered while every directory the resolving looked up is unchanged
     * (docs/performance.md): re-pointing the way to a target between two plans is seen by the next plan — in one data
     * path a directory on the way replaced by a link into the checkout, in another the target file itself. Both are
     * made first and left to settle together (a resolution is remembered only then), and each is planned twice before
     * the change, so that the second plan is answered from what the first remembered.
     */
    @Test
    void aDataPathLinkReDirectedBetweenPlansIsSeenThoughItsResolutionIsRemembered() throws Exception {
        Path checkout = Files.writeString(Files.createDirectories(host.work().resolve("sub")).resolve("rules.json"), "{}\n");
        String script = append(checkout);
        Path wayStore = storeLinkedFrom("way");
        Path targetStore = storeLinkedFrom("target");
        Sandboxes throughWay = sandboxes(Map.of("AWS_DATA_PATH", host.outside().resolve("way/awsdata").toString()),
                SandboxPolicy.Credentials.BOTH);
        Sandboxes toTarget = sandboxes(Map.of("AWS_DATA_PATH", host.outside().resolve("target/awsdata").toString()),
                SandboxPolicy.Credentials.BOTH);
        Thread.sleep(java.util.concurrent.TimeUnit.MILLISECONDS.convert(6, java.util.concurrent.TimeUnit.SECONDS));
        for (int i = 0; i < 2; i++) {
            assertThat(run(throughWay, true, script)).as("control: the link leads outside the checkout").contains("WROTE-");
            assertThat(run(toTarget, true, script)).as("control: the link leads outside the checkout").contains("WROTE-");
        }
        // a directory on the way becomes a link into the checkout
        Files.move(wayStore, wayStore.resolveSibling("was"));
        Files.createSymbolicLink(wayStore, host.work().resolve("sub"));
        assertThat(run(throughWay, true, script)).as("the way re-pointed into the checkout").doesNotContain("WROTE-");
        assertThat(run(throughWay, false, script)).contains("WROTE-");
        // the target itself becomes a link into the checkout
        Files.delete(targetStore.resolve("rules.json"));
        Files.createSymbolicLink(targetStore.resolve("rules.json"), checkout);
        assertThat(run(toTarget, true, script)).as("the target re-pointed into the checkout").doesNotContain("WROTE-");
    }

    /** {@code NAME/store/sub/rules.json} outside the checkout, and {@code NAME/awsdata/rules.json} a link to it; the store's {@code sub}. */
    private Path storeLinkedFrom(String name) throws Exception {
        Path store = Files.createDirectories(host.outside().resolve(name + "/store/sub"));
        Files.writeString(store.resolve("rules.json"), "{}\n");
        Path data = Files.createDirectories(host.outside().resolve(name + "/awsdata"));
        Files.createSymbolicLink(data.resolve("rules.json"), store.resolve("rules.json"));
        return store;
    }

    /**
     * F4: credential dotfiles linked into a checkout: on the list now (withheld, as ~/.boto is), and
     * one that is not on any list ({@code ~/.config/sometool/token}) is at least not writable.
     */
    @Test
    void credentialDotfilesLinkedIntoTheWorkingDirectoryAreWithheld() throws Exception {
        Map<String, Path> links = new java.util.LinkedHashMap<>();
        links.put(".s3curl", host.work().resolve("s3curl"));
        links.put(".dockercfg", host.work().resolve("dockercfg"));
        links.put(".authinfo", host.work().resolve("authinfo"));
        links.put(".mc/config.json", host.work().resolve("mc/config.json"));
        links.put(".oci/config", host.work().resolve("oci/config"));
        links.put(".pulumi/credentials.json", host.work().resolve("pulumi/credentials.json"));
        links.put(".bundle/config", host.work().resolve("bundle/config"));
        links.put(".config/doctl/config.yaml", host.work().resolve("doctl/config.yaml"));
        links.put(".config/openstack/clouds.yaml", host.work().resolve("openstack/clouds.yaml"));
        links.put(".config/composer/auth.json", host.work().resolve("composer/auth.json"));
        for (Map.Entry<String, Path> link : links.entrySet()) {
            Files.createDirectories(link.getValue().getParent());
            Files.writeString(link.getValue(), "SECRET-" + link.getKey() + "\n");
        }
        Sandboxes sandboxes = sandboxes(Map.of(), SandboxPolicy.Credentials.NONE);
        for (Map.Entry<String, Path> link : links.entrySet()) {
            String script = "cat '" + link.getValue() + "'; " + append(link.getValue());
            assertThat(run(sandboxes, true, script)).as("control: no link leads there yet")
                    .contains("SECRET-" + link.getKey(), "WROTE-");
            Path at = host.home().resolve(link.getKey());
            Files.createDirectories(at.getParent());
            Files.createSymbolicLink(at, link.getValue());
            ExecResult result = sandboxes.inside("sh", "-c", script);
            assertThat(result.stdout().text()).as(link.getKey()).doesNotContain("SECRET-").doesNotContain("WROTE-");
            assertThat(result.enforcement().notes()).as(link.getKey()).anySatisfy(n -> assertThat(n)
                    .contains("the working directory " + host.work() + " is not given to the command")
                    .contains("links to"));
            assertThat(run(sandboxes, false, script)).contains("SECRET-" + link.getKey(), "WROTE-");
            Files.delete(at);
        }
    }

    /** The rule, not the list: a file link below ~/.config that no list names is kept from being written. */
    @Test
    void anyConfigurationFileLinkedIntoTheWorkingDirectoryIsNotWritable() throws Exception {
        Path token = Files.writeString(Files.createDirectories(host.work().resolve("sometool")).resolve("token"), "t\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(run(sandboxes, true, append(token))).as("control: no link leads there yet").contains("WROTE-token");

        Files.createDirectories(host.home().resolve(".config/sometool"));
        Files.createSymbolicLink(host.home().resolve(".config/sometool/token"), token);
        String inside = run(sandboxes, true, append(token));
        assertThat(inside).doesNotContain("WROTE-");
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(inside).as("the rest of the directory stays writable").contains("OTHER");
        }
        assertThat(run(sandboxes, false, append(token))).contains("WROTE-token");
    }

    /** F16: a match of an ssh Include glob that links into a checkout; in ~/.ssh and in a directory outside it. */
    @Test
    void anSshIncludeGlobsLinkedMatchIsNotWritable() throws Exception {
        Path work = Files.writeString(host.work().resolve("sshwork"), "Host w\n  User me\n");
        Path other = Files.writeString(host.work().resolve("sshother"), "Host o\n  User me\n");
        Path elsewhere = Files.createDirectories(host.outside().resolve("sshconf"));
        Files.createDirectories(host.home().resolve(".ssh/config.d"));
        Files.writeString(host.home().resolve(".ssh/config"), "Include config.d/*\nInclude " + elsewhere + "/*\n");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        String script = append(work, other);
        assertThat(run(sandboxes, true, script)).as("control: no link leads there yet")
                .contains("WROTE-sshwork", "WROTE-sshother");

        Files.createSymbolicLink(host.home().resolve(".ssh/config.d/work"), work);
        Files.createSymbolicLink(elsewhere.resolve("other"), other);
        String inside = run(sandboxes, true, script);
        assertThat(inside).doesNotContain("WROTE-");
        assertThat(run(sandboxes, false, script)).contains("WROTE-sshwork", "WROTE-sshother");
    }

    /**
     * Control: a link below a hidden directory to {@code /} (wine's {@code dosdevices/z:}) or to the
     * home does not keep every write path from being writable.
     */
    @Test
    void aConfigurationLinkToTheRootOrTheHomeLeavesTheWorkingDirectoryAlone() throws Exception {
        Files.createDirectories(host.home().resolve(".wine/dosdevices"));
        Files.createSymbolicLink(host.home().resolve(".wine/dosdevices/z:"), Path.of("/"));
        Files.createSymbolicLink(host.home().resolve(".wine/dosdevices/h:"), host.home());
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        assertThat(run(sandboxes, true, "")).contains("OTHER");
    }

    /**
     * The walk is bounded: past {@code LinkedCode.CONFIG_BUDGET} entries a link could lie anywhere
     * unread, so the working directory is not made writable, with a warning (fails closed).
     */
    @Test
    void aHomeWithMoreConfigurationEntriesThanTheBoundMakesNothingWritable() throws Exception {
        HostEnvironment env = host.environment();
        AccessPlan before = plan(env);
        assertThat(before.warnings()).noneMatch(w -> w.contains("could not be ruled out"));
        Path many = Files.createDirectories(host.home().resolve(".many"));
        for (int i = 0; i < 8200; i++) {
            Files.createFile(many.resolve("f" + i));
        }
        AccessPlan after = plan(env);
        assertThat(after.warnings()).anySatisfy(w -> assertThat(w)
                .contains("the working directory " + host.work()).contains("could not be ruled out"));
        Path work = host.work().toRealPath();
        assertThat(after.grants()).noneMatch(g -> g.resolved().equals(work)
                && g.access() == dev.awssandbox.core.access.PathGrant.Access.READ_WRITE);
    }

    private AccessPlan plan(HostEnvironment env) throws Exception {
        SandboxPolicy policy = SandboxPolicy.defaults(env);
        return AccessPlanner.plan(TestBackends.rules(policy), TestBackends.host(env), List.of("true"), Optional.empty(),
                Backends.create(backend).writeProtection());
    }
}
