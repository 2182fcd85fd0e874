package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code aws-sandbox doctor}, in-process, on this machine's real kernel. */
class CliDoctorTest {

    @Test
    void doctorShowsLandlockAndPassesItsSelfTest() {
        Requirements.requireLandlock();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (TestHost host = new TestHost()) {
            code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    host.environment()), "doctor");
        }
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(code).as(text + err).isEqualTo(0);
        assertThat(text).contains("landlock   available").contains("selected:  landlock")
                .contains("landlock ABI:").contains("scopes:            abstract_unix_socket, signal")
                .contains("seccomp filter:    yes").contains("capabilities:      all dropped")
                .contains("ok    read of a bait file outside the policy is denied")
                .contains("ok    write of a file outside the policy is denied")
                .contains("all checks passed");
        if (Requirements.which("aws").isPresent()) {
            assertThat(text).contains("ok    aws --version works sandboxed: aws-cli/");
            assertThat(text).containsPattern("aws cli: +\\S+/aws");
        }
    }

    @Test
    void doctorWithTheSandboxDisabledFailsItsSelfTest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (TestHost host = new TestHost()) {
            code = AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    host.environment()), "doctor", "--mode", "disabled");
        }

        assertThat(code).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAIL  read of a bait file");
    }
}
