package dev.awssandbox.core;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the host facts a policy is resolved against: environment variables, current
 * directory and platform. The default sandbox uses {@link #current()}; tests pass their own.
 */
public record HostEnvironment(Map<String, String> variables, Path workingDirectory, Platform platform) {

    public HostEnvironment {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Path.of("").toAbsolutePath(), Platform.current());
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
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * {@code $HOME}, as the AWS CLI resolves {@code ~}; Java's {@code user.home} only when HOME is
     * unset (it reads the password database, which may disagree with HOME).
     */
    public Path home() {
        return Path.of(get("HOME").orElse(System.getProperty("user.home"))).toAbsolutePath().normalize();
    }

    /** Expands a leading {@code ~} or {@code ~/} to {@link #home()}; other paths are made absolute against the current directory. */
    public Path expand(String path) {
        if (path.equals("~")) {
            return home();
        }
        if (path.startsWith("~/")) {
            return home().resolve(path.substring(2)).normalize();
        }
        return workingDirectory.resolve(path).normalize();
    }
}
