package dev.awssandbox.core.testing;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away host for isolation tests, under /var/tmp (outside every default grant): a fake
 * {@code $HOME} with bait files in {@code ~/.ssh} and {@code ~/.aws}, a working directory, and
 * an "outside" directory that no policy grants.
 */
public final class TestHost implements AutoCloseable {
    public static final String SSH_BAIT = "BEGIN FAKE PRIVATE KEY: aws-sandbox test bait";
    public static final String CREDENTIALS_BAIT = "[default]\naws_access_key_id = AKIATESTBAIT\naws_secret_access_key = bait-secret\n";

    private final Path root;
    private final Path home;
    private final Path work;
    private final Path outside;
    private final Map<String, String> variables = new HashMap<>();

    public TestHost() {
        try {
            root = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-test-").toRealPath();
            home = Files.createDirectories(root.resolve("home"));
            work = Files.createDirectories(root.resolve("work"));
            outside = Files.createDirectories(root.resolve("outside"));
            Files.createDirectories(home.resolve(".ssh"));
            Files.writeString(home.resolve(".ssh/id_ed25519"), SSH_BAIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : new String[] {"PATH", "USER", "LANG", "TERM"}) {
            String value = System.getenv(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        variables.put("HOME", home.toString());
    }

    /** Creates {@code ~/.aws/credentials} and {@code ~/.aws/config}. */
    public TestHost withAwsConfig() {
        try {
            Files.createDirectories(home.resolve(".aws"));
            Files.writeString(home.resolve(".aws/credentials"), CREDENTIALS_BAIT);
            Files.writeString(home.resolve(".aws/config"), "[default]\nregion = us-east-1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TestHost set(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public HostEnvironment environment() {
        return new HostEnvironment(variables, work, Platform.current());
    }

    public Path root() {
        return root;
    }

    public Path home() {
        return home;
    }

    public Path work() {
        return work;
    }

    public Path outside() {
        return outside;
    }

    /** Writes a file in the outside directory and returns it. */
    public Path outsideFile(String name, String content) {
        try {
            return Files.writeString(outside.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
