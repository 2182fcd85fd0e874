package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.AuditLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Mixin: {@code --audit-log FILE} of {@code run}, {@code pipe} and {@code mcp}, defaulting to
 * {@code $AWS_MCP_AUDIT_LOG}: one JSON line per command, appended (see {@link AuditLog}).
 */
final class AuditOption {
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per command to FILE (created 0600 if missing; default: $AWS_MCP_AUDIT_LOG).")
    Path file;

    /** The file named by the flag, else by the variable; none when neither names one. */
    Optional<String> named(HostEnvironment host) {
        return Optional.ofNullable(file).map(Path::toString).or(() -> host.get(AuditLog.ENV_VAR).filter(v -> !v.isBlank()));
    }

    /** Opens it; a file that cannot be appended to is a usage error that names it. */
    AuditLog open(HostEnvironment host) {
        try {
            if (file != null) {
                return AuditLog.open(host.expand(file.toString()), "--audit-log " + file);
            }
            return AuditLog.fromEnvironment(host);
        } catch (SandboxException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The host with {@code AWS_MCP_AUDIT_LOG} set to the flag's file, so that the MCP server opens it. */
    HostEnvironment apply(HostEnvironment host) {
        if (file == null) {
            return host;
        }
        open(host).close(); // checked here, for a usage error before the server starts
        Map<String, String> variables = new LinkedHashMap<>(host.variables());
        variables.put(AuditLog.ENV_VAR, host.expand(file.toString()).toString());
        return host.withVariables(variables);
    }
}
