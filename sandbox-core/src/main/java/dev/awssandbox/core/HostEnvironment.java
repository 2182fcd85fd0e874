package dev.awssandbox.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;

/**
 * A snapshot of the host facts a policy is resolved against: environment variables, current
 * directory and platform. The default sandbox uses {@link #current()}; tests pass their own.
 */
public record HostEnvironment(Map<String, String> variables, Path workingDirectory, HostEnvironment.Platform platform) {

    public HostEnvironment {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Path.of("").toAbsolutePath(), HostEnvironment.Platform.current());
    }

    /** The planner's view of this host. */
    dev.awssandbox.core.access.Host host() {
        return new dev.awssandbox.core.access.Host(variables, workingDirectory, platform == Platform.LINUX);
    }

    // The variables of the reference's server, parsed here and nowhere else.

    /** {@code AWS_MCP_SANDBOX}: auto (the default), disabled or required. */
    public Sandbox.Mode sandboxMode() {
        return get(Sandbox.Mode.ENV_VAR).map(v -> Sandbox.Mode.parse(v, Sandbox.Mode.ENV_VAR)).orElse(Sandbox.Mode.AUTO);
    }

    /** {@code AWS_MCP_SANDBOX_CREDENTIALS}: env, aws_config, both (the default) or none. */
    public SandboxPolicy.Credentials credentials() {
        return get(SandboxPolicy.Credentials.ENV_VAR)
                .map(v -> SandboxPolicy.Credentials.parse(v, SandboxPolicy.Credentials.ENV_VAR))
                .orElse(SandboxPolicy.Credentials.BOTH);
    }

    /** The variable that caps captured output, in bytes (the reference counts characters). */
    public static final String MAX_OUTPUT_ENV_VAR = "AWS_MCP_MAX_OUTPUT";

    /** {@code AWS_MCP_MAX_OUTPUT}: bytes captured per stream, 1 to 2^31-9; 100000 by default. */
    public long maxOutput() {
        return get(MAX_OUTPUT_ENV_VAR).map(v -> parseByteCount(v, MAX_OUTPUT_ENV_VAR))
                .orElse(Command.Output.DEFAULT_CAPTURE_LIMIT);
    }

    /** A byte count between 1 and {@link Command.Output#MAX_CAPTURE_LIMIT}; {@code source} names where it came from. */
    public static long parseByteCount(String value, String source) {
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0 && limit <= Command.Output.MAX_CAPTURE_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value
                + "': expected a number of bytes between 1 and " + Command.Output.MAX_CAPTURE_LIMIT);
    }

    /** A copy with other variables. */
    public HostEnvironment withVariables(Map<String, String> replacement) {
        return new HostEnvironment(replacement, workingDirectory, platform);
    }

    /** A copy with another current directory. */
    public HostEnvironment withWorkingDirectory(Path directory) {
        return new HostEnvironment(variables, directory, platform);
    }

    /** A variable's value, treating the empty string as absent. */
    public Optional<String> get(String name) {
        return host().get(name);
    }

    /**
     * {@code $HOME}, as the AWS CLI resolves {@code ~}; Java's {@code user.home} only when HOME is
     * unset (it reads the password database, which may disagree with HOME).
     */
    public Path home() {
        return host().home();
    }

    /** Expands a leading {@code ~} or {@code ~/} to {@link #home()}; other paths are made absolute against the current directory. */
    public Path expand(String path) {
        return host().expand(path);
    }

    /** The operating systems whose defaults differ. */
    public enum Platform {
        LINUX,
        MACOS,
        OTHER;

        public static Platform current() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.startsWith("linux")) {
                return LINUX;
            }
            if (os.startsWith("mac") || os.startsWith("darwin")) {
                return MACOS;
            }
            return OTHER;
        }
    }
}
