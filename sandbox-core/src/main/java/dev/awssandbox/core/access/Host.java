package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The host facts a plan is made against: the environment variables, the working directory, and
 * whether this is Linux (whose system files a command is given). The planner's view of the
 * public {@code HostEnvironment}.
 */
public record Host(Map<String, String> variables, Path workingDirectory, boolean linux) {

    public Host {
        variables = Frozen.map(variables); // not Map.copyOf: a start-up file's 48,000 names probed slowly (RT29, F1)
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
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
        String named = get("HOME").orElse(System.getProperty("user.home"));
        Home last = lastHome;
        if (last != null && last.named().equals(named)) {
            return last.home(); // asked dozens of times a plan, of the same few values
        }
        Path home = Path.of(named).toAbsolutePath().normalize();
        lastHome = new Home(named, home);
        return home;
    }

    /** A home as named and as a path (a function of the name and of the JVM's working directory, which is fixed). */
    private record Home(String named, Path home) {}

    /** The last {@link #home()} made. */
    private static volatile Home lastHome;

    /** Expands a leading {@code ~} or {@code ~/} to {@link #home()}; other paths are made absolute against the working directory. */
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
