package dev.awssandbox.core.access;

import dev.awssandbox.core.egress.HostPattern;
import java.nio.file.Path;
import java.util.List;

/**
 * The parts of a sandbox policy the planner resolves (the planner's view of the public
 * {@code SandboxPolicy}; see its javadoc for each field).
 */
public record Rules(
        List<Path> readPaths,
        List<Path> writePaths,
        NetworkMode network,
        List<HostPattern> allowedHosts,
        boolean passAwsEnv,
        boolean allowAwsConfig,
        List<String> envPassthrough,
        boolean allowGitWrites) {

    public Rules {
        readPaths = List.copyOf(readPaths);
        writePaths = List.copyOf(writePaths);
        envPassthrough = List.copyOf(envPassthrough);
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Whether every connection is allowed. */
    public boolean allowNetwork() {
        return network == NetworkMode.ALL;
    }
}
