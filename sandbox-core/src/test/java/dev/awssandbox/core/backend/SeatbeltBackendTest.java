package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Seatbelt profile and sandbox-exec argv, checked against golden files (sandbox-exec itself
 * exists only on macOS). Paths with quotes, backslashes, parentheses, newlines and non-ASCII must
 * reach sandbox-exec as -D values and never appear in the profile text.
 */
class SeatbeltBackendTest {
    private static final String[] WEIRD = {
        "/Users/a \"quoted\" user/data",
        "/Users/back\\slash/x.txt",
        "/Users/paren(s)/dir",
        "/Users/new\nline/dir",
        "/Users/çà/日本/dir",
        "/Users/semi;colon) (allow default)/dir",
    };

    private static AccessPlan plan(boolean network) {
        List<PathGrant> grants = new java.util.ArrayList<>();
        grants.add(new PathGrant(Path.of("/usr"), Path.of("/usr"), PathGrant.Access.READ, true, "policy"));
        grants.add(new PathGrant(Path.of("/tmp"), Path.of("/private/tmp"), PathGrant.Access.READ_WRITE, true, "policy"));
        grants.add(new PathGrant(Path.of("/usr/local/bin/aws"), Path.of("/usr/local/aws-cli/aws"), PathGrant.Access.READ,
                false, "executable"));
        for (String weird : WEIRD) {
            boolean file = weird.endsWith(".txt");
            grants.add(new PathGrant(Path.of(weird), Path.of(weird),
                    file ? PathGrant.Access.READ : PathGrant.Access.READ_WRITE, !file, "policy"));
        }
        return new AccessPlan(Path.of("/usr/local/bin/aws"), List.of("aws", "s3", "ls"), Map.of("PATH", "/usr/bin"),
                Path.of("/private/tmp"), grants, network, List.of(Path.of("/usr/local/bin/aws")), List.of());
    }

    private static String golden(String name) throws Exception {
        try (InputStream in = SeatbeltBackendTest.class.getResourceAsStream("/seatbelt/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void profileMatchesTheGoldenFile() throws Exception {
        assertThat(SeatbeltBackend.profile(plan(true)).text()).isEqualTo(golden("network-on.sb"));
        assertThat(SeatbeltBackend.profile(plan(false)).text()).isEqualTo(golden("network-off.sb"));
    }

    @Test
    void pathsArePassedAsParametersNeverPasted() {
        SeatbeltBackend.Profile profile = SeatbeltBackend.profile(plan(true));

        for (String weird : WEIRD) {
            assertThat(profile.parameters()).containsValue(weird);
            assertThat(profile.text()).doesNotContain(weird).doesNotContain("Users");
        }
        // both spellings of a symlinked path: Seatbelt matches the resolved one
        assertThat(profile.parameters()).containsValues("/tmp", "/private/tmp");
        // ancestors get metadata only
        assertThat(profile.parameters()).containsValue("/Users");
        assertThat(profile.text()).doesNotContain("(allow process*)").doesNotContain("(allow mach-lookup)")
                .doesNotContain("(allow file-read-metadata)\n");
    }

    @Test
    void sandboxExecArgvCarriesTheProfileParametersAndCommand() {
        SeatbeltBackend.Profile profile = SeatbeltBackend.profile(plan(false));
        SpawnSpec spec = new SpawnSpec(Path.of("/usr/local/bin/aws"), List.of("aws", "s3", "ls"), Map.of(),
                Path.of("/tmp"), dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(),
                dev.awssandbox.core.ResourceLimits.NONE);

        List<String> argv = SeatbeltBackend.argv(profile, spec);

        assertThat(argv.subList(0, 3)).containsExactly("/usr/bin/sandbox-exec", "-p", profile.text());
        assertThat(argv).containsSubsequence("-D", "P5=" + WEIRD[0]);
        assertThat(argv).contains("P8=" + WEIRD[3]); // a newline survives as part of one argument
        assertThat(argv.subList(argv.size() - 3, argv.size())).containsExactly("/usr/local/bin/aws", "s3", "ls");
    }

    @Test
    void availabilityNeedsMacOs12AndSandboxExec() {
        assertThat(new SeatbeltBackend(probe("Linux", "6.18", true)).availability().detail()).contains("this is Linux");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "11.7", true)).availability().detail()).contains("older than 12");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "14.2", false)).availability().detail()).contains("missing");
        assertThat(new SeatbeltBackend(probe("Mac OS X", "14.2", true)).availability().available()).isTrue();
        assertThat(new SeatbeltBackend(probe("Mac OS X", "x", true)).availability().available()).isFalse();
    }

    private static SeatbeltBackend.PlatformProbe probe(String os, String version, boolean sandboxExec) {
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
