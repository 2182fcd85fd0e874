package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Places that nothing derived by aws-sandbox — a grant for a program's installation, a denial
 * hint — may ever open: {@code /}, {@code /etc}, each home directory and its ancestors, and the
 * credential and key directories in a home ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.gnupg},
 * {@code ~/.config}, …), together with every directory that holds one of them.
 *
 * <p>The homes are both {@code $HOME} as the policy sees it and the JVM user's home from the
 * password database ({@code user.home}): a test or a caller may point {@code $HOME} elsewhere,
 * and neither home may leak. Every comparison is made on resolved paths.
 */
public final class SensitiveLocations {
    /** Entries of a home directory that hold keys, tokens or credentials. */
    public static final List<String> CREDENTIAL_ENTRIES = List.of(
            ".ssh", ".aws", ".gnupg", ".config", ".netrc", ".git-credentials", ".docker", ".kube", ".password-store");

    private static final Path ROOT = Path.of("/");
    private static final Path ETC = Path.of("/etc");

    private final List<Path> homes;
    private final List<Path> credentialDirectories;

    private SensitiveLocations(List<Path> homes) {
        this.homes = List.copyOf(homes);
        List<Path> credentials = new ArrayList<>();
        for (Path home : homes) {
            for (String entry : CREDENTIAL_ENTRIES) {
                credentials.add(realOrSelf(home.resolve(entry)));
            }
        }
        this.credentialDirectories = List.copyOf(credentials);
    }

    /** For {@code home} ({@code $HOME} of the policy) and the JVM user's own home. */
    public static SensitiveLocations forHome(Path home) {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(realOrSelf(home));
        String userHome = System.getProperty("user.home");
        if (userHome != null && !userHome.isEmpty() && !userHome.equals("?")) {
            homes.add(realOrSelf(Path.of(userHome).toAbsolutePath().normalize()));
        }
        return new SensitiveLocations(List.copyOf(homes));
    }

    /** The resolved homes this instance protects. */
    public List<Path> homes() {
        return homes;
    }

    /**
     * Whether a whole directory {@code dir} (resolved) may never be opened by a derived grant or
     * suggested by a hint, and why not; empty when it may.
     */
    public java.util.Optional<String> whyNotDirectory(Path dir) {
        Path real = realOrSelf(dir);
        if (real.equals(ROOT)) {
            return java.util.Optional.of("it is /");
        }
        if (real.startsWith(ETC)) {
            return java.util.Optional.of("it is /etc or inside it");
        }
        for (Path home : homes) {
            if (home.startsWith(real)) {
                return java.util.Optional.of("it is " + home + " or above it");
            }
        }
        java.util.Optional<String> inside = whyInsideCredentials(real);
        if (inside.isPresent()) {
            return inside;
        }
        for (Path credential : credentialDirectories) {
            if (credential.startsWith(real)) { // any depth: a plain prefix test on resolved paths
                return java.util.Optional.of("it holds " + credential);
            }
        }
        // another user's home, or a home we were not told about, shows itself by what it holds
        for (String entry : CREDENTIAL_ENTRIES) {
            Path child = real.resolve(entry);
            if (Files.exists(child, LinkOption.NOFOLLOW_LINKS)) {
                return java.util.Optional.of("it holds " + child);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Whether {@code path} (resolved) is a credential directory or inside one, and which: one of
     * a known home's, or any path through a directory of such a name (another user's
     * {@code ~/.ssh}).
     */
    public java.util.Optional<String> whyInsideCredentials(Path path) {
        Path real = realOrSelf(path);
        for (Path credential : credentialDirectories) {
            if (real.startsWith(credential)) {
                return java.util.Optional.of("it is inside " + credential);
            }
        }
        for (Path name : real) {
            if (CREDENTIAL_ENTRIES.contains(name.toString())) {
                return java.util.Optional.of("it is inside a " + name + " directory");
            }
        }
        return java.util.Optional.empty();
    }

    static Path realOrSelf(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
