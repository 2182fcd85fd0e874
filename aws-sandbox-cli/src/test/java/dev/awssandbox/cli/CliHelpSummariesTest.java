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
}
