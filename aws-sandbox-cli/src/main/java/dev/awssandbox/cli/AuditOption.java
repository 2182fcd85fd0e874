package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.mcp.AuditLog;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Mixin: {@code --audit-log FILE} of {@code run}, {@code pipe} and {@code mcp}, defaulting to
 * {@code $AWS_MCP_AUDIT_LOG}: one JSON line per command, appended (see {@link AuditedRun}). Its
 * signatures name no class of the MCP module: picocli reflects over a mixin's methods, and a
 * {@code run} that writes no audit log should load none of them.
 */
final class AuditOption {
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per command to FILE (created 0600 if missing; default: $AWS_MCP_AUDIT_LOG).")
    Path file;

    /** The file named by the flag, else by the variable (a constant: reading it loads no class); none when neither names one. */
    Optional<String> named(HostEnvironment host) {
        return Optional.ofNullable(file).map(Path::toString).or(() -> host.get(AuditLog.ENV_VAR).filter(v -> !v.isBlank()));
    }
}
