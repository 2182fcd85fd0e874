package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code aws-sandbox pipe}, in-process. */
class CliPipeTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness().stdin("b\na\nc\n");
    private final TestHost host = cli.host();

    private CliHarness.Run pipe(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "pipe";
        System.arraycopy(args, 0, argv, 1, args.length);
        return cli.run(argv);
    }

    @Test
    void runsAPipelineOnStdin() {
        Requirements.requireLandlock();
        CliHarness.Run r = pipe("sort | head -2 | tr a-z A-Z");
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("A\nB\n");
    }

    @Test
    void exitsWithTheRightmostFailureAndSaysWhichStage() {
        Requirements.requireLandlock();
        CliHarness.Run r = pipe("cat | grep zzz | sort");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("aws-sandbox: stage 2 (grep) exit code 1");
    }

    @Test
    void syntaxErrorsExit2WithTheParserMessage() {
        CliHarness.Run r = pipe("aws s3 ls && rm -rf /");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.error()).startsWith("aws-sandbox: error: unsupported shell operator '&&' at position 10");
    }

    @Test
    void timeoutKillsThePipeline() {
        Requirements.requireLandlock();
        CliHarness.Run r = pipe("--timeout", "300ms", "sleep 30 | cat");
        assertThat(r.code()).isEqualTo(ExitCodes.TIMED_OUT);
        assertThat(r.err()).contains("timed out after 300ms");
    }

    @Test
    void policyOptionsApplyToEveryStage() {
        Requirements.requireLandlock();
        String bait = host.home().resolve(".ssh/id_ed25519").toString();
        CliHarness.Run denied = pipe("cat | cat " + bait);
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.out()).doesNotContain(TestHost.SSH_BAIT);
        CliHarness.Run allowed = pipe("--ro", host.home().resolve(".ssh").toString(), "cat | cat " + bait);
        assertThat(allowed.code()).isEqualTo(0);
        assertThat(allowed.out()).contains(TestHost.SSH_BAIT);
    }
}
