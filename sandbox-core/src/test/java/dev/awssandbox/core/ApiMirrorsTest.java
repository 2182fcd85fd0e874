package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.backend.Enforcement;
import dev.awssandbox.core.landlock.FsAccess;
import dev.awssandbox.core.process.ProcessExit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The internal packages never depend on the API ({@link ArchitectureTest}), so the backends keep
 * their own copies of a few API enums, which the API maps by name, and the engine reports how a
 * process ended in the kernel's terms, which the API interprets. Each copy has exactly the API's
 * constants, every value maps to its twin, and every way a process ends maps to the API's status
 * and reads the same.
 */
class ApiMirrorsTest {
    @Test
    void theEnforcementEnumsHaveTheApisConstants() {
        assertThat(names(Enforcement.Filesystem.values())).isEqualTo(names(EnforcementReport.Filesystem.values()));
        assertThat(names(Enforcement.Isolation.values())).isEqualTo(names(EnforcementReport.Isolation.values()));
        assertThat(names(FsAccess.values())).isEqualTo(names(EnforcementReport.LandlockRight.values()));
    }

    @Test
    void everyBackendFactMapsToItsTwin() {
        for (Enforcement.Filesystem filesystem : Enforcement.Filesystem.values()) {
            Enforcement facts = new Enforcement(filesystem, OptionalInt.of(6), EnumSet.allOf(FsAccess.class),
                    NetworkMode.OFF, Enforcement.NetworkControl.COMPLETE, EnumSet.allOf(Enforcement.Isolation.class),
                    true, true, true, List.of(), List.of("a note"));
            EnforcementReport report = EnforcementReport.of(BackendKind.LANDLOCK, facts);
            assertThat(report.filesystem().name()).isEqualTo(filesystem.name());
            assertThat(report.landlockRights()).hasSize(FsAccess.values().length);
            assertThat(report.isolations()).isEqualTo(EnumSet.allOf(EnforcementReport.Isolation.class));
        }
    }

    /** The network is no twin: the report words a backend's mode and control, and can say each of its words. */
    @Test
    void theReportWordsEveryNetworkModeAndControl() {
        Map<String, EnforcementReport.Network> expected = Map.ofEntries(
                Map.entry("OFF NONE", EnforcementReport.Network.NOT_ENFORCED),
                Map.entry("OFF ALL_BUT_TCP", EnforcementReport.Network.TCP_NOT_RESTRICTED),
                Map.entry("OFF TCP_BY_PORT", EnforcementReport.Network.DENIED),
                Map.entry("OFF COMPLETE", EnforcementReport.Network.DENIED),
                Map.entry("HOSTS NONE", EnforcementReport.Network.NOT_ENFORCED),
                Map.entry("HOSTS ALL_BUT_TCP", EnforcementReport.Network.TCP_NOT_RESTRICTED),
                Map.entry("HOSTS TCP_BY_PORT", EnforcementReport.Network.HOSTS_BY_PORT),
                Map.entry("HOSTS COMPLETE", EnforcementReport.Network.HOSTS));
        for (NetworkMode mode : NetworkMode.values()) {
            for (Enforcement.NetworkControl control : Enforcement.NetworkControl.values()) {
                assertThat(EnforcementReport.network(mode, control)).as(mode + " " + control)
                        .isEqualTo(mode == NetworkMode.ALL ? EnforcementReport.Network.ALLOWED : expected.get(mode + " " + control));
            }
        }
        Set<EnforcementReport.Network> said = EnumSet.of(EnforcementReport.Network.ALLOWED);
        said.addAll(expected.values());
        assertThat(said).isEqualTo(EnumSet.allOf(EnforcementReport.Network.class));
    }

    @Test
    void theEnginesExitMapsToTheApisAndReadsTheSame() {
        for (ProcessExit exit : List.of(ProcessExit.exited(0), ProcessExit.exited(3),
                new ProcessExit(ProcessExit.How.KILLED, 9), new ProcessExit(ProcessExit.How.DUMPED, 11))) {
            ExitStatus status = Runner.status(exit);
            assertThat(status.toString()).isEqualTo(exit.toString());
            assertThat(status.isSuccess()).isEqualTo(exit.isSuccess());
        }
        assertThat(Runner.status(new ProcessExit(ProcessExit.How.KILLED, 9))).isEqualTo(new ExitStatus.Signaled(9, false));
        assertThat(Runner.status(new ProcessExit(ProcessExit.How.DUMPED, 11))).isEqualTo(new ExitStatus.Signaled(11, true));
    }

    private static Set<String> names(Enum<?>[] constants) {
        return Set.copyOf(Arrays.stream(constants).map(Enum::name).toList());
    }
}
