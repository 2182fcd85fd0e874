package dev.awssandbox.core;

import java.nio.file.Path;
import java.util.List;

/**
 * What running a command would involve, without running it: the program found on PATH, its
 * symlink and interpreter chain, every path grant, the names (never the values) of the
 * environment variables it would get, and the isolation that would be enforced.
 */
public record CommandPreview(
        Path executable,
        List<Path> executableChain,
        List<PathGrant> grants,
        List<String> environmentNames,
        EnforcementReport enforcement,
        List<String> warnings) {

    public CommandPreview {
        executableChain = List.copyOf(executableChain);
        grants = List.copyOf(grants);
        environmentNames = List.copyOf(environmentNames);
        warnings = List.copyOf(warnings);
    }
}
