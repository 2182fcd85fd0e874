package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.testing.Backends;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A granted path swapped for a symbolic link after planning and before the backend uses it: the
 * red team won this race (renameat2 RENAME_EXCHANGE in a loop from a command still running) and
 * got {@code ~/.ssh} bound writable under bubblewrap and granted under Landlock. The backend now
 * opens each planned path without following a link; the swap fails the launch. Made
 * deterministic here by swapping between the two steps.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class PinnedGrantsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private AccessPlan plan(Path out) throws Exception {
        HostEnvironment env = host.environment();
        SandboxPolicy policy = SandboxPolicy.builder(env).addWritePath(out.toString()).build();
        SandboxBackend sandboxBackend = Backends.create(backend);
        return AccessPlanner.plan(TestBackends.rules(policy), TestBackends.host(env), List.of("true"), Optional.empty(),
                sandboxBackend.writeProtection());
    }

    @Test
    void aGrantSwappedForALinkAfterPlanningFailsTheLaunch() throws Exception {
        Path out = Files.createDirectories(host.outside().resolve("out"));
        AccessPlan plan = plan(out);
        assertThat(plan.grants()).anyMatch(g -> g.resolved().equals(out));

        // the attacker's swap: the planned directory becomes a link to the keys
        Files.move(out, host.outside().resolve("out.old"));
        Files.createSymbolicLink(out, host.home().resolve(".ssh"));

        assertThatThrownBy(() -> Backends.create(backend).prepare(plan, true).close())
                .isInstanceOf(BackendException.class)
                .hasMessageContaining(out + " changed while it was being granted");
    }

    @Test
    void anUnchangedGrantLaunches() throws Exception {
        Path out = Files.createDirectories(host.outside().resolve("out"));
        AccessPlan plan = plan(out);

        try (Launch launch = Backends.create(backend).prepare(plan, true)) {
            assertThat(launch.enforcement()).isNotNull(); // control: the same steps without the swap
        }
    }

    /**
     * Forty pinned grants: under bubblewrap each is a descriptor the child inherits (4, 5, …, 43),
     * a range that covers where the spawn gate's own descriptor sits in the parent. Copied in the
     * wrong order the gate was overwritten, the child did not wait for its limits, and every such
     * command failed ("not found at its spawn gate"); the limits must still hold from its start.
     */
    @Test
    void manyGrantsLaunchAndTheLimitsHoldFromTheStart() throws Exception {
        HostEnvironment env = host.environment();
        SandboxPolicy.Builder policy = SandboxPolicy.builder(env);
        for (int i = 0; i < 40; i++) {
            policy.addWritePath(Files.createDirectories(host.outside().resolve("grant-" + i)).toString());
        }
        Sandbox sandbox = Sandbox.builder().host(env).policy(policy.build()).mode(Sandbox.Mode.REQUIRED)
                .backend(backend).build();

        ExecResult result = sandbox.run("sh", "-c", "ulimit -c; echo > " + host.outside().resolve("grant-39/w") + " && echo ok");

        assertThat(result.stdout().text()).as(result.stderr().text()).isEqualTo("0\nok\n");
        assertThat(Files.exists(host.outside().resolve("grant-39/w"))).isTrue();
    }
}
