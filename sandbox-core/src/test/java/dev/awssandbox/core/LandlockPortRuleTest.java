package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.ChildJvm;
import dev.awssandbox.core.testing.PortRuleGapMain;
import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Landlock cannot express, measured: its TCP port rule names no address, so in network mode
 * hosts a command under Landlock connects to any host listening on the egress proxy's port number,
 * past the proxy. Measured in a network namespace the test creates (bubblewrap's
 * {@code --unshare-net}, holding only {@code lo}): a listener on 127.0.0.2 at the proxy's port is
 * reached from the sandbox, one at another port is refused by the rule (Permission denied), and
 * reached unsandboxed (the control). The README's "not enforced" list states this result.
 */
class LandlockPortRuleTest {

    @Test
    void thePortRuleIsNotTiedToAnAddress() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireLandlockAbi(BackendKind.LANDLOCK, 4, "TCP rules need Landlock ABI 4");
        Path bwrap = Requirements.requireProgram("bwrap");
        List<String> command = List.of(bwrap.toString(), "--unshare-net", "--die-with-parent", "--dev-bind", "/", "/",
                "--", ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", ChildJvm.classPath(), PortRuleGapMain.class.getName());
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            jvm.destroyForcibly();
        }
        assertThat(jvm.exitValue()).as(output).isZero();
        assertThat(output).contains("samePort=connected\n")
                .contains("otherPort=refused: Permission denied\n")
                .contains("otherPortOutside=connected\n");
    }
}
