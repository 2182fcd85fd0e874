package dev.awssandbox.cli;

import dev.awssandbox.core.CredentialMode;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxMode;
import dev.awssandbox.core.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The policy options shared by every command that runs something. */
final class PolicyOptions {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Option(names = "--mode", paramLabel = "MODE",
            description = "auto, disabled or required (default: $AWS_MCP_SANDBOX, else auto).")
    String mode;

    @Option(names = "--no-network", description = "Deny network access (TCP bind and connect).")
    boolean noNetwork;

    @Option(names = "--ro", paramLabel = "PATH", description = "Also allow reading (and executing) beneath PATH. Repeatable.")
    List<String> readPaths = new ArrayList<>();

    @Option(names = "--rw", paramLabel = "PATH", description = "Also allow reading and writing beneath PATH. Repeatable.")
    List<String> writePaths = new ArrayList<>();

    @Option(names = "--credentials", paramLabel = "SOURCE",
            description = "env, aws_config, both or none (default: $AWS_MCP_SANDBOX_CREDENTIALS, else both).")
    String credentials;

    @Option(names = "--env", paramLabel = "NAME", description = "Also pass this environment variable. Repeatable.")
    List<String> env = new ArrayList<>();

    SandboxMode sandboxMode(HostEnvironment host) {
        try {
            if (mode != null) {
                return SandboxMode.parse(mode, "--mode");
            }
            return host.get(SandboxMode.ENV_VAR).map(v -> SandboxMode.parse(v, SandboxMode.ENV_VAR)).orElse(SandboxMode.AUTO);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    CredentialMode credentialMode(HostEnvironment host) {
        try {
            if (credentials != null) {
                return CredentialMode.parse(credentials, "--credentials");
            }
            return host.get(CredentialMode.ENV_VAR)
                    .map(v -> CredentialMode.parse(v, CredentialMode.ENV_VAR)).orElse(CredentialMode.BOTH);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    SandboxPolicy policy(HostEnvironment host) {
        SandboxPolicy.Builder builder = SandboxPolicy.builder(host)
                .credentials(credentialMode(host))
                .allowNetwork(!noNetwork);
        for (String path : readPaths) {
            builder.addReadPath(existing("--ro", path, host));
        }
        for (String path : writePaths) {
            builder.addWritePath(existing("--rw", path, host));
        }
        for (String name : env) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw CliException.usage("--env " + name + ": not a valid environment variable name");
            }
            builder.addEnvPassthrough(name);
        }
        return builder.build();
    }

    Sandbox sandbox(HostEnvironment host) {
        return Sandbox.builder().host(host).policy(policy(host)).mode(sandboxMode(host)).build();
    }

    private static String existing(String option, String path, HostEnvironment host) {
        Path resolved = host.expand(path);
        if (!Files.exists(resolved)) {
            throw CliException.usage(option + " " + path + ": no such file or directory");
        }
        return resolved.toString();
    }
}
