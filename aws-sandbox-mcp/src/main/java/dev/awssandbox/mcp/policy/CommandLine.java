package dev.awssandbox.mcp.policy;

import dev.awssandbox.core.Command;
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
            return Command.parse(line).argvs();
        } catch (Command.SyntaxException e) {
            // the core's advice is the command line's: here a local file is a relative path in the workspace, and a full
            // path is refused next (outside test WF29, F12)
            throw new Refused(e.getMessage().replace("; write the full path, or quote it",
                    "; local files are relative paths in the workspace (./file); or quote it"));
        }
    }
}
