package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Seatbelt profile and sandbox-exec argv, pinned by golden files (sandbox-exec itself exists
 * only on macOS; see {@code SeatbeltSimulatedMacTest} for runs through a stand-in). Run with
 * {@code -Dseatbelt.golden.update=true} to rewrite the golden files after a reviewed change.
 */
class SeatbeltBackendTest {
    /** Paths an adversary might create, to break out of a quoted string or comment out a rule. */
    static final String[] HOSTILE = {
        "/Users/a \"quoted\" user/data",
        "/Users/back\\slash/x.txt",
        "/Users/paren(s)/dir",
        "/Users/new\nline/dir",
        "/Users/çà/日本/dir",
        "/Users/semi;colon) (allow default)/dir",
        "/Users/block|#comment#|/dir",
        "/Users/x\")) (allow file-read* (subpath \"/\")) ;/dir",
    };

    private static AccessPlan plan(boolean network) {
        List<PathGrant> grants = new ArrayList<>();
        grants.add(new PathGrant(Path.of("/usr"), Path.of("/usr"), PathGrant.Access.READ, true, "policy"));
        grants.add(new PathGrant(Path.of("/tmp"), Path.of("/private/tmp"), PathGrant.Access.READ_WRITE, true, "policy"));
        grants.add(new PathGrant(Path.of("/usr/local/bin/aws"), Path.of("/usr/local/aws-cli/aws"), PathGrant.Access.READ,
                false, "executable"));
        for (String hostile : HOSTILE) {
            boolean file = hostile.endsWith(".txt");
            grants.add(new PathGrant(Path.of(hostile), Path.of(hostile),
                    file ? PathGrant.Access.READ : PathGrant.Access.READ_WRITE, !file, "policy"));
        }
        // the AWS CLI's cache: writable, but no symbolic link (the host's aws follows one there later)
        grants.add(new PathGrant(Path.of("/Users/me/.aws/cli/cache"), Path.of("/Users/me/.aws/cli/cache"),
                PathGrant.Access.READ_WRITE, true, "aws cli cache", false));
        return new AccessPlan(Path.of("/usr/local/bin/aws"), List.of("aws", "s3", "ls"), Map.of("PATH", "/usr/bin"),
                Path.of("/private/tmp"), grants, network, List.of(Path.of("/usr/local/bin/aws")), List.of());
    }

    /** The same command in network mode hosts, its proxy on 127.0.0.1:43128. */
    private static AccessPlan hostsPlan() {
        AccessPlan p = plan(false);
        return new AccessPlan(p.executable(), p.argv(), p.environment(), p.workingDirectory(), p.grants(),
                dev.awssandbox.core.access.NetworkMode.HOSTS, p.executableChain(), p.warnings(), Optional.empty(),
                List.of(), List.of(dev.awssandbox.core.egress.HostPattern.parse("*.amazonaws.com")), Optional.empty(),
                Optional.empty())
                .withEgress(new dev.awssandbox.core.egress.EgressRoute(43128, Path.of("/private/tmp/egress/proxy.sock"),
                        "http://aws-sandbox:token@127.0.0.1:43128"));
    }

    /** An AWS CLI from MacPorts (a symlink into /opt/local) and a jq from Nix. */
    private static AccessPlan packageManagerPlan(Path executable, Path real) {
        List<PathGrant> grants = List.of(
                new PathGrant(Path.of("/usr"), Path.of("/usr"), PathGrant.Access.READ, true, "policy"),
                new PathGrant(executable, real, PathGrant.Access.READ, false, "executable"));
        return new AccessPlan(executable, List.of(executable.getFileName().toString()), Map.of(), Path.of("/"), grants,
                false, List.of(executable, real), List.of());
    }

    static void assertGolden(String name, String actual) throws Exception {
        if (Boolean.getBoolean("seatbelt.golden.update")) {
            Files.writeString(Path.of("src/test/resources/seatbelt", name), actual);
            return;
        }
        try (InputStream in = SeatbeltBackendTest.class.getResourceAsStream("/seatbelt/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void profileMatchesTheGoldenFiles() throws Exception {
        assertGolden("network-on.sb", SeatbeltBackend.profile(plan(true)).text());
        assertGolden("network-off.sb", SeatbeltBackend.profile(plan(false)).text());
        assertGolden("network-hosts.sb", SeatbeltBackend.profile(hostsPlan()).text());
        assertGolden("macports.sb", SeatbeltBackend.profile(packageManagerPlan(Path.of("/opt/local/bin/aws"),
                Path.of("/opt/local/Library/Frameworks/Python.framework/Versions/3.12/bin/aws"))).text());
        assertGolden("nix.sb", SeatbeltBackend.profile(packageManagerPlan(Path.of("/Users/me/.nix-profile/bin/jq"),
                Path.of("/nix/store/0a1b2c-jq-1.7.1-bin/bin/jq"))).text());
    }

    /** docs/seatbelt-allowances.md names every rule (or the head of every multi-line rule) with its anchor. */
    @Test
    void everyRuleIsInTheAllowanceTable() throws Exception {
        String table = Files.readString(Path.of("..", "docs", "seatbelt-allowances.md"));
        List<AccessPlan> plans = List.of(plan(true), plan(false), hostsPlan(),
                packageManagerPlan(Path.of("/opt/local/bin/aws"), Path.of("/opt/local/bin/aws")));
        for (AccessPlan plan : plans) {
            for (String line : SeatbeltBackend.profile(plan).text().lines().toList()) {
                if (line.startsWith("(allow") || line.startsWith("(deny")) {
                    assertThat(table).as("the allowance table").contains(line.replaceAll("localhost:\\d+", "localhost:PORT"));
                }
            }
        }
    }

    @Test
    void theParametersMatchTheGoldenFile() throws Exception {
        StringBuilder sb = new StringBuilder();
        SeatbeltBackend.profile(plan(true)).parameters().forEach((name, value) -> sb.append(name).append('=')
                .append(value.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
        assertGolden("network-on.parameters", sb.toString());
    }

    @Test
    void aHostilePathCannotInjectARule() {
        SeatbeltProfile.Profile profile = SeatbeltBackend.profile(plan(true));

        for (String hostile : HOSTILE) {
            assertThat(profile.parameters()).containsValue(hostile);
        }
        assertThat(profile.text()).doesNotContain("Users").doesNotContain("#|").doesNotContain("semi")
                .doesNotContain("(allow default)").doesNotContain("(allow file-read* (subpath \"/\"))");
        // the text is the same whatever the paths are: only the parameter values differ
        AccessPlan tame = plan(true);
        List<PathGrant> renamed = new ArrayList<>();
        for (PathGrant g : tame.grants()) {
            String p = g.path().toString().startsWith("/Users/") ? "/Users/u" + renamed.size() + "/d" : g.path().toString();
            String r = g.resolved().toString().startsWith("/Users/") ? p : g.resolved().toString();
            renamed.add(new PathGrant(Path.of(p), Path.of(r), g.access(), g.directory(), g.reason(), g.links()));
        }
        AccessPlan boring = new AccessPlan(tame.executable(), tame.argv(), tame.environment(), tame.workingDirectory(),
                renamed, true, tame.executableChain(), List.of());
        assertThat(structure(SeatbeltBackend.profile(boring).text())).isEqualTo(structure(profile.text()));
        // every string literal in the profile is one of ours: no quote was broken out of
        Matcher literals = Pattern.compile("\"([^\"]*)\"").matcher(profile.text());
        while (literals.find()) {
            assertThat(literals.group(1)).matches("[A-Za-z0-9_./*:\\-]*");
        }
    }

    /** The profile with parameter numbers blanked (a different number of spellings shifts them). */
    private static String structure(String text) {
        return text.replaceAll("\\(param \"P\\d+\"\\)", "(param)").replaceAll("(\n    \\(\\w+ \\(param\\)\\))+", "\n    …");
    }

    @Test
    void aNulByteCanNeitherBeAPathNorAParameter() {
        assertThatThrownBy(() -> Path.of("/Users/nul\0/x")).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> new SeatbeltProfile.Profile("(version 1)", Map.of("P0", "/a\0b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    @Test
    void nonAsciiPathsArePassedInBothNfcAndNfd() {
        String nfc = Normalizer.normalize("/Users/zoë/Документы/café", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo(nfc);
        AccessPlan plan = new AccessPlan(Path.of("/usr/bin/true"), List.of("true"), Map.of(), Path.of("/"),
                List.of(new PathGrant(Path.of(nfc), Path.of(nfc), PathGrant.Access.READ_WRITE, true, "policy")), false,
                List.of(), List.of());

        SeatbeltProfile.Profile profile = SeatbeltBackend.profile(plan);

        assertThat(profile.parameters()).containsEntry("P0", nfc).containsEntry("P1", nfd);
        assertThat(profile.text()).contains("(subpath (param \"P0\"))\n    (subpath (param \"P1\"))");
        // an ASCII path has one spelling only
        assertThat(SeatbeltProfile.spellings(Path.of("/usr"), Path.of("/usr"))).containsExactly("/usr");
        // a decomposed name on disk is offered composed as well
        assertThat(SeatbeltProfile.spellings(Path.of(nfd), Path.of(nfd))).containsExactly(nfd, nfc);
    }

    @Test
    void macPortsAndNixInstallationsAreReadableWhenTheCommandLivesThere() {
        SeatbeltProfile.Profile macports = SeatbeltBackend.profile(packageManagerPlan(Path.of("/opt/local/bin/aws"),
                Path.of("/opt/local/Library/Frameworks/Python.framework/Versions/3.12/bin/aws")));
        SeatbeltProfile.Profile nix = SeatbeltBackend.profile(packageManagerPlan(Path.of("/Users/me/.nix-profile/bin/jq"),
                Path.of("/nix/store/0a1b2c-jq-1.7.1-bin/bin/jq")));
        SeatbeltProfile.Profile neither = SeatbeltBackend.profile(packageManagerPlan(Path.of("/opt/homebrew/bin/jq"),
                Path.of("/opt/homebrew/Cellar/jq/1.7.1/bin/jq")));

        assertThat(macports.parameters()).containsValue("/opt/local").doesNotContainValue("/nix/store");
        assertThat(nix.parameters()).containsValue("/nix/store").doesNotContainValue("/opt/local");
        assertThat(neither.parameters()).doesNotContainValue("/opt/local").doesNotContainValue("/nix/store");
    }

    @Test
    void sandboxExecArgvEndsItsOptionsBeforeTheCommand() {
        SeatbeltProfile.Profile profile = SeatbeltBackend.profile(plan(false));
        SpawnSpec spec = new SpawnSpec(Path.of("/usr/local/bin/aws"), List.of("aws", "s3", "ls"), Map.of(),
                Path.of("/tmp"), dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(),
                dev.awssandbox.core.process.Limits.NONE);

        List<String> argv = SeatbeltBackend.argv(Path.of("/usr/bin/sandbox-exec"), profile, spec);

        assertThat(argv.subList(0, 3)).containsExactly("/usr/bin/sandbox-exec", "-p", profile.text());
        assertThat(argv).containsSubsequence("-D", "P3=" + "/usr/local/bin/aws");
        assertThat(argv).contains("P" + indexOf(profile, HOSTILE[3]) + "=" + HOSTILE[3]); // a newline stays in one argument
        assertThat(argv.subList(argv.size() - 4, argv.size())).containsExactly("--", "/usr/local/bin/aws", "s3", "ls");
        assertThat(argv.indexOf("--")).isEqualTo(3 + 2 * profile.parameters().size());
    }

    private static int indexOf(SeatbeltProfile.Profile profile, String value) {
        return profile.parameters().entrySet().stream().filter(e -> e.getValue().equals(value))
                .map(e -> Integer.parseInt(e.getKey().substring(1))).findFirst().orElseThrow();
    }

    /** The command's private temporary directory is writable in the profile, and TMPDIR names it. */
    @Test
    void theCommandsTemporaryDirectoryIsWritableAndNamedByTmpdir() {
        Path dir = Path.of("/private/var/folders/xy/T/aws-sandbox-tmp-1-2/c3");
        AccessPlan plan = plan(true).withTemporaryDirectory(dir);
        SeatbeltProfile.Profile profile = SeatbeltProfile.of(plan);

        int i = indexOf(profile, dir.toString());
        String writable = profile.text().substring(profile.text().indexOf("(allow file-read* file-write*"));
        assertThat(writable.substring(0, writable.indexOf(")\n(") + 1)).contains("(param \"P" + i + "\")");
        assertThat(plan.environment()).containsEntry("TMPDIR", dir.toString());
        assertThat(plan(true).environment()).doesNotContainKey("TMPDIR"); // control: only the private one is named
    }

    @Test
    void theReportSaysWhatIsEnforcedAndWhatIsNot() {
        EnforcementReport on = dev.awssandbox.core.TestBackends.report(BackendKind.SEATBELT,
                new SeatbeltBackend(probe("Mac OS X", "14.2", false)).enforcement(dev.awssandbox.core.access.NetworkMode.ALL));
        EnforcementReport off = dev.awssandbox.core.TestBackends.report(BackendKind.SEATBELT,
                new SeatbeltBackend(probe("Mac OS X", "14.2", false)).enforcement(dev.awssandbox.core.access.NetworkMode.OFF));

        assertThat(on.backend()).isEqualTo(BackendKind.SEATBELT);
        assertThat(on.network()).isEqualTo(EnforcementReport.Network.ALLOWED);
        assertThat(off.network()).isEqualTo(EnforcementReport.Network.DENIED);
        assertThat(on.filesystem()).isEqualTo(EnforcementReport.Filesystem.SEATBELT_PROFILE);
        assertThat(on.isolations()).contains(EnforcementReport.Isolation.SIGNALS, EnforcementReport.Isolation.UNIX_SOCKETS);
        assertThat(on.notes()).anyMatch(n -> n.startsWith("not enforced on macOS") && n.contains("setsid"));
    }

    @Test
    void availabilityNeedsMacOs12AndSandboxExec() {
        assertThat(new SeatbeltBackend(probe("Linux", "6.18", true)).availability().detail()).contains("this is Linux");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "11.7", true)).availability().detail()).contains("older than 12");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "14.2", false)).availability().detail()).contains("missing");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "x", true)).availability().available()).isFalse();
        // present by name only: the probe really runs it, and says why it could not
        SandboxBackend.Availability absent = new SeatbeltBackend(probe("Mac OS X", "14.2", true)).availability();
        assertThat(absent.available()).isFalse();
        assertThat(absent.detail()).contains("/usr/bin/sandbox-exec");
    }

    static SeatbeltBackend.PlatformProbe probe(String os, String version, boolean sandboxExec) {
        return new SeatbeltBackend.PlatformProbe() {
            @Override
            public String osName() {
                return os;
            }

            @Override
            public String osVersion() {
                return version;
            }

            @Override
            public boolean isExecutable(Path path) {
                return sandboxExec && path.equals(Path.of("/usr/bin/sandbox-exec"));
            }
        };
    }
}
