package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code aws-sandbox pipe}, in-process. */
class CliPipeTest {
    private TestHost host;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        host = new TestHost();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private int pipe(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "pipe";
        System.arraycopy(args, 0, argv, 1, args.length);
        return AwsSandboxCli.execute(new CliContext(new ByteArrayInputStream("b\na\nc\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                host.environment()), argv);
    }

    @Test
    void runsAPipelineOnStdin() {
        Requirements.requireLandlock();
        assertThat(pipe("sort | head -2 | tr a-z A-Z")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("A\nB\n");
    }

    @Test
    void exitsWithTheRightmostFailureAndSaysWhichStage() {
        Requirements.requireLandlock();
        assertThat(pipe("cat | grep zzz | sort")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("aws-sandbox: stage 2 (grep) exit code 1");
    }

    @Test
    void syntaxErrorsExit2WithTheParserMessage() {
        assertThat(pipe("aws s3 ls && rm -rf /")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1).first().asString()
                .startsWith("aws-sandbox: unsupported shell operator '&&' at position 10");
    }

    @Test
    void timeoutKillsThePipeline() {
        Requirements.requireLandlock();
        assertThat(pipe("--timeout", "300ms", "sleep 30 | cat")).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("timed out after 300ms");
    }

    @Test
    void policyOptionsApplyToEveryStage() {
        Requirements.requireLandlock();
        String bait = host.home().resolve(".ssh/id_ed25519").toString();
        assertThat(pipe("cat | cat " + bait)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(TestHost.SSH_BAIT);
        assertThat(pipe("--ro", host.home().resolve(".ssh").toString(), "cat | cat " + bait)).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(TestHost.SSH_BAIT);
    }
}
