package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 9: the top-level {@code --help} listed each command with the first line of its
 * description, cut mid-sentence ("streamed as they come;", "and the resolved").
 */
class CliHelpSummariesTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();

    @Test
    void everyCommandIsSummarizedByAWholeSentence() {
        CliHarness.Run r = cli.run("--help");
        assertThat(r.code()).isZero();

        Map<String, String> summaries = new LinkedHashMap<>();
        String current = null;
        boolean inCommands = false;
        for (String line : r.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands && line.matches("  \\S.*")) {
                String[] nameAndSummary = line.trim().split("\\s+", 2);
                current = nameAndSummary[0];
                summaries.put(current, nameAndSummary[1]);
            } else if (inCommands && current != null) {
                summaries.merge(current, line.trim(), (a, b) -> a + " " + b);
            }
        }

        assertThat(summaries).containsOnlyKeys("run", "pipe", "doctor", "policy", "mcp", "help");
        summaries.forEach((name, summary) -> assertThat(summary).as(name).endsWith("."));
        assertThat(summaries.get("run")).isEqualTo("Run one command inside the sandbox.");
        assertThat(summaries.get("policy")).isEqualTo("Show what a command would run under, without running it.");
    }

    /**
     * Outside test WF29, F3: {@code pipe --help}'s description ran past 80 columns, and {@code --allow-host}'s example
     * {@code 127.0.0.1:4566} was split at its colon across two lines. Every command's help fits 80 columns, and no line
     * ends in the middle of an address and its port.
     */
    @Test
    void everyCommandsHelpFitsEightyColumnsWithoutSplittingAnAddress() {
        for (String command : java.util.List.of("run", "pipe", "policy", "doctor", "mcp")) {
            CliHarness.Run r = cli.run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out().lines()).as(command).allSatisfy(line -> {
                assertThat(line.codePointCount(0, line.length())).as(line).isLessThanOrEqualTo(80);
                assertThat(line).as(line).doesNotMatch(".*\\d:$");
            });
        }
    }
}
