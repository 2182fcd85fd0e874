package dev.awssandbox.core.landlock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The ABI probe and rule creation against the real kernel. */
class LandlockProbeTest {

    @Test
    void probeReportsTheKernelAbi() {
        Requirements.requireLandlock();
        LandlockSupport support = Landlock.probe();

        assertThat(support.isAvailable()).isTrue();
        assertThat(support.abi()).isPositive();
        System.out.println("Landlock ABI on this kernel: " + support.abi());
    }

    @Test
    void aFileRuleDoesNotGetDirectoryRights() throws Exception {
        Requirements.requireLandlock();
        int abi = Landlock.probe().abi();
        try (LandlockRuleset ruleset = LandlockRuleset.create(abi, FsAccess.knownBy(abi), false, EnumSet.noneOf(Scope.class))) {
            // READ includes READ_DIR, which the kernel rejects with EINVAL on a file
            assertThat(ruleset.allowPath(Path.of("/etc/hosts"), FsAccess.READ)).isTrue();
            assertThat(ruleset.allowPath(Path.of("/usr"), FsAccess.READ)).isTrue();
        }
    }
}
