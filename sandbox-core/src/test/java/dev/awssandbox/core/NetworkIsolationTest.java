package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.HelloServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** TCP to a listener on 127.0.0.1: denied with the network off, allowed with it on. */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class NetworkIsolationTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private HelloServer listener;

    @BeforeEach
    void setUp(TestHost host, HelloServer listener) {
        Requirements.requireLandlock();
        Requirements.requireLandlockAbi(backend, 4, "TCP rules need Landlock ABI 4");
        this.host = host;
        this.listener = listener;
    }

    private String[] connect() {
        // bash's /dev/tcp: a plain connect(2), no helper program
        return new String[] {"bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + listener.port() + " && head -1 <&3"};
    }

    @Test
    void tcpConnectIsDeniedWithTheNetworkOff() {
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);

        ExecResult denied = sandboxes.inside(connect());
        assertThat(denied.isSuccess()).isFalse();
        // Landlock refuses the connect; in bubblewrap's own network namespace nobody listens
        assertThat(denied.stderr().text()).contains(backend == BackendKind.LANDLOCK ? "Permission denied" : "Connection refused");
        assertThat(denied.enforcement().network()).isEqualTo(EnforcementReport.Network.DENIED);
        assertThat(listener.accepted()).isZero();

        ExecResult control = sandboxes.outside(connect());
        assertThat(control.stdout().text()).isEqualTo("hello\n");
    }

    @Test
    void tcpConnectWorksWithTheNetworkOn() {
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult allowed = sandboxes.inside(connect());

        assertThat(allowed.isSuccess()).as(allowed.stderr().text()).isTrue();
        assertThat(allowed.stdout().text()).isEqualTo("hello\n");
        assertThat(allowed.enforcement().network()).isEqualTo(EnforcementReport.Network.ALLOWED);
    }

    @Test
    void tcpBindIsDeniedWithTheNetworkOff() {
        org.junit.jupiter.api.Assumptions.assumeTrue(backend == BackendKind.LANDLOCK,
                "in bubblewrap's own network namespace a bind is allowed and reaches nothing");
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);
        String[] bind = {"python3", "-c",
                "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print('bound')"};

        assertThat(sandboxes.outside(bind).stdout().text()).isEqualTo("bound\n");
        ExecResult denied = sandboxes.inside(bind);
        assertThat(denied.isSuccess()).isFalse();
        assertThat(denied.stderr().text()).contains("PermissionError");
    }
}
