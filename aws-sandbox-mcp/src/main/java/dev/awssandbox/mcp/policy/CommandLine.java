package dev.awssandbox.mcp.policy;

import dev.awssandbox.core.Pipeline;
import dev.awssandbox.core.PipelineSyntaxException;
import java.util.List;

/**
 * Splits a command line into stages and words with sandbox-core's own parser (quotes, no shell
 * syntax, only {@code |} between stages). The policy package's only use of the core's parsing API.
 */
public final class CommandLine {
    private CommandLine() {}

    /** The stages of {@code line}, each an argv. */
    public static List<List<String>> split(String line) throws Refused {
        try {
            return Pipeline.parse(line).stages();
        } catch (PipelineSyntaxException e) {
            throw new Refused(e.getMessage());
        }
    }
}
