package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.mcp.AuditLog;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --audit-log FILE} of {@code run}, {@code pipe} and {@code mcp}, defaulting to
 * {@code $AWS_MCP_AUDIT_LOG}: one JSON line per command, appended (see {@link AuditedRun}). It names
 * no class of the MCP module but a constant: a {@code run} that writes no audit log loads none of
 * them ({@code RunPathClassesIT}).
 */
final class AuditOption {
    private final OptionSpec file = Specs.option("--audit-log", "FILE", Path.class,
            "Append one JSON line per command to FILE (created 0600 if missing; default: $AWS_MCP_AUDIT_LOG).").build();

    AuditOption(CommandSpec command) {
        command.addOption(file);
    }

    /** The file named by {@code --audit-log}, if it was given. */
    Optional<Path> file() {
        return Optional.ofNullable(file.getValue());
    }

    /** The file named by the flag, else by the variable (a constant: reading it loads no class); none when neither names one. */
    Optional<String> named(HostEnvironment host) {
        return file().map(Path::toString).or(() -> host.get(AuditLog.ENV_VAR).filter(v -> !v.isBlank()));
    }
}
