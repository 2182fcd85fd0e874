package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An invocation that names a subcommand gets only that one from picocli (start-up cost); whatever
 * needs them all — the root's help, {@code help CMD}, a misspelt name — still sees them all.
 */
class SubcommandSelectionTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @Test
    void theSubcommandIsTheFirstWordAfterVerbose() {
        assertThat(AwsSandboxCli.subcommandNamed("run", "--", "true")).contains("run");
        assertThat(AwsSandboxCli.subcommandNamed("--verbose", "pipe", "a | b")).contains("pipe");
        assertThat(AwsSandboxCli.subcommandNamed("help", "run")).isEmpty();
        assertThat(AwsSandboxCli.subcommandNamed("--help", "run")).isEmpty();
        assertThat(AwsSandboxCli.subcommandNamed("-V")).isEmpty();
        assertThat(AwsSandboxCli.subcommandNamed("rnu", "--", "true")).isEmpty();
        assertThat(AwsSandboxCli.subcommandNamed()).isEqualTo(Optional.empty());
    }

    @Test
    void theVersionAloneNeedsNoSubcommand() {
        assertThat(AwsSandboxCli.subcommandsFor("--version")).isEmpty();
        assertThat(AwsSandboxCli.subcommandsFor("-V")).isEmpty();
        assertThat(AwsSandboxCli.subcommandsFor("--verbose", "--version")).isEmpty();
        assertThat(AwsSandboxCli.subcommandsFor("--version", "--verbose")).isEmpty();
        assertThat(AwsSandboxCli.subcommandsFor("run", "--version")).containsExactly("run");
        assertThat(AwsSandboxCli.subcommandsFor("--version", "--help")).hasSize(6);
        assertThat(AwsSandboxCli.subcommandsFor("--version", "run")).hasSize(6);
        assertThat(AwsSandboxCli.subcommandsFor("-hV")).hasSize(6);
        assertThat(AwsSandboxCli.subcommandsFor()).hasSize(6);
    }

    @Test
    void theVersionIsPrintedAsWithEveryCommand() {
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"--verbose", "--version"}}) {
            CliHarness.Run r = cli.run(args);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).as(String.join(" ", args)).matches("aws-sandbox \\S+\\RJava \\S+ \\(.*\\)\\R");
        }
    }

    @Test
    void helpOfASubcommandAndTheRootsHelpStillSeeEveryCommand() {
        CliHarness.Run help = cli.run("help", "run");
        assertThat(help.code()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: aws-sandbox run ");
        String root = cli.run("--help").out();
        for (String name : new String[] {"run", "pipe", "doctor", "policy", "mcp", "help"}) {
            assertThat(root).as(name).containsPattern("(?m)^  " + name + " ");
        }
    }

    @Test
    void verboseBeforeTheSubcommandStillReachesIt() {
        CliHarness.Run r = cli.run("--verbose", "run", "--", "no-such-program-xyz");
        assertThat(r.code()).isEqualTo(127);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void aMisspeltSubcommandIsStillAUsageError() {
        CliHarness.Run r = cli.run("rnu", "--", "true");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.error()).contains("'rnu'");
    }
}
