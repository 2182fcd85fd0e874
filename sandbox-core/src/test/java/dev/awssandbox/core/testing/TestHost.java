package dev.awssandbox.core.testing;

import dev.awssandbox.core.HostEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away host for isolation tests: a fake {@code $HOME} with bait files in {@code ~/.ssh}
 * and {@code ~/.aws}, a working directory, and an "outside" directory that no policy grants.
 *
 * <p>It lives in a private directory under the real home ({@code ~/aws-sandbox-tests/}, mode 0700;
 * not below a hidden directory of that home, such as {@code ~/.cache}, which is another program's
 * and no data directory even when {@code $HOME} is elsewhere: red team, round 46, F7), outside every
 * default grant and, like a real {@code $HOME}, a place that belongs to this user alone — so programs installed in the fake home are trusted sources of derived grants,
 * as they would be in a real one (a directory under the world-writable {@code /var/tmp} never
 * is). Everything is deleted by {@link #close()}, and by a shutdown hook for a host a test forgot
 * to close: no bait key is left behind.
 */
public final class TestHost implements AutoCloseable {
    public static final String SSH_BAIT = "BEGIN FAKE PRIVATE KEY: aws-sandbox test bait";
    public static final String CREDENTIALS_BAIT = "[default]\naws_access_key_id = AKIATESTBAIT\naws_secret_access_key = bait-secret\n";

    private final Path root;
    private final Path home;
    private final Path work;
    private final Path outside;
    private final Map<String, String> variables = new HashMap<>();

    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    private static final java.util.Set<TestHost> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            OPEN.forEach(TestHost::close);
            try {
                Files.deleteIfExists(Path.of(System.getProperty("user.home"), "aws-sandbox-tests"));
            } catch (IOException e) {
                // not empty: the other test JVM's hosts are still there, and it removes the directory as it exits
            }
        }, "test-host-cleanup"));
    }

    /** A new host directory in {@link #base()}; made again should the other test JVM remove an empty base meanwhile. */
    private static Path privateDirectory() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Files.createTempDirectory(base(), "host-", PRIVATE).toRealPath();
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public TestHost() {
        try {
            root = privateDirectory();
            OPEN.add(this);
            home = directory(root.resolve("home"));
            work = directory(root.resolve("work"));
            outside = directory(root.resolve("outside"));
            directory(home.resolve(".ssh"));
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

    /** {@code ~/aws-sandbox-tests} of the real user, private to them; removed, when empty, as the JVM exits. */
    private static Path base() throws IOException {
        Path base = Path.of(System.getProperty("user.home"), "aws-sandbox-tests");
        try {
            Files.createDirectory(base, PRIVATE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made by an earlier run, or by the other test JVM
        }
        return base;
    }


    /** A directory with mode 0755 whatever the umask: group-writable ones are never trusted. */
    private static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
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

    /** The dummy credentials and region a {@link MotoServer} accepts, and no instance metadata lookups. */
    public TestHost withMotoCredentials() {
        return set("AWS_ACCESS_KEY_ID", "testing")
                .set("AWS_SECRET_ACCESS_KEY", "testing")
                .set("AWS_DEFAULT_REGION", "us-east-1")
                .set("AWS_EC2_METADATA_DISABLED", "true");
    }

    public TestHost set(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public HostEnvironment environment() {
        return new HostEnvironment(variables, work, HostEnvironment.Platform.current());
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

    /** Copies a test resource (a file at the class path's root) into the working directory and returns the copy. */
    public Path copyResource(String name) {
        try (java.io.InputStream in = TestHost.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return Files.write(work.resolve(name), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        OPEN.remove(this);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
