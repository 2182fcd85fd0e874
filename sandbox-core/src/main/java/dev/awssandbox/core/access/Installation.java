package dev.awssandbox.core.access;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * aws-sandbox's own files, which run later outside any sandbox and so must never be writable by
 * a sandboxed command: run from a checkout, a command appended to {@code tools/find-jdk.sh} and
 * the next {@code ./aws-sandbox} ran it unsandboxed (found in review).
 *
 * <p>They are, resolved:
 * <ul>
 *   <li>the directory named by the system property {@value #HOME_PROPERTY}, which the launcher
 *       sets to its own directory (launcher, {@code tools/}, sources and build files it rebuilds
 *       from, the jar);</li>
 *   <li>the code source of this library (its jar file, or its classes directory); when that lies
 *       in a Maven build tree ({@code …/target/…} below a {@code pom.xml}), the outermost directory
 *       of that build whose parent has no {@code pom.xml} — the checkout, whose {@code mvnw},
 *       poms and sources run at the next build;</li>
 *   <li>the JDK running it ({@code java.home});</li>
 *   <li>when one of those is a checkout with a Maven wrapper ({@code mvnw}), which the launcher rebuilds from: the
 *       Maven user home ({@code $MAVEN_USER_HOME}, else {@code ~/.m2}), whose Maven, plugins and jars run then, and
 *       the local repository when it lies elsewhere ({@link MavenLocalRepository}).</li>
 * </ul>
 * The directory of a plain library jar is not included: it may be an application's lib
 * directory or {@code $HOME}, which are not ours to freeze.
 */
public final class Installation {
    /** Set by the launcher: {@code -Daws.sandbox.home=DIR}. */
    public static final String HOME_PROPERTY = "aws.sandbox.home";

    /** Where this class was loaded from: fixed for the class's lifetime (where it leads is resolved in each plan). */
    private static final Optional<Path> CODE_SOURCE = codeSource();

    private Installation() {}

    /** The installation's paths, resolved, existing ones only. */
    public static List<Path> paths() {
        return paths(new FileFacts());
    }

    /**
     * The same, from one plan's {@code facts}. Computed in every plan, not once per process: the
     * properties may change (tests set {@value #HOME_PROPERTY}), and where the paths lead is a
     * question about the file system, answered as every other one.
     */
    static List<Path> paths(FileFacts facts) {
        Set<Path> paths = new LinkedHashSet<>();
        Optional.ofNullable(System.getProperty(HOME_PROPERTY)).filter(s -> !s.isBlank())
                .flatMap(s -> facts.real(Path.of(s))).ifPresent(paths::add);
        CODE_SOURCE.flatMap(facts::real).ifPresent(source -> {
            paths.add(source);
            mavenCheckout(source, facts).ifPresent(paths::add);
        });
        Optional.ofNullable(System.getProperty("java.home")).flatMap(s -> facts.real(Path.of(s))).ifPresent(paths::add);
        if (paths.stream().anyMatch(p -> facts.isRegularFile(p.resolve("mvnw"), true))) {
            // a checkout the launcher rebuilds with its Maven wrapper when the sources change: Maven itself, its plugins
            // and the jars it bundles into aws-sandbox come from the Maven user home and run then (red team, round 45,
            // F12: a command given --rw ~/.m2 planted wrapper/dists/…/bin/mvn)
            List<Path> checkouts = paths.stream().filter(p -> facts.isRegularFile(p.resolve("mvnw"), true)).toList();
            for (Path maven : mavenUserHomes()) {
                facts.real(maven).ifPresent(paths::add);
            }
            for (Path repository : MavenLocalRepository.elsewhere(mavenUserHomes(), checkouts, System.getenv())) {
                facts.real(repository).ifPresent(paths::add);
            }
        }
        return List.copyOf(paths);
    }

    /**
     * {@code $MAVEN_USER_HOME}, and {@code .m2} in {@code $HOME} (the wrapper's) and in the account's home (Java's
     * {@code user.home}): the Maven wrapper's distributions and the local repository.
     */
    private static List<Path> mavenUserHomes() {
        Set<Path> homes = new LinkedHashSet<>();
        for (String value : new String[] {System.getenv("MAVEN_USER_HOME"), suffixed(System.getenv("HOME")),
                suffixed(System.getProperty("user.home"))}) {
            if (value != null && value.startsWith("/")) {
                homes.add(Path.of(value));
            }
        }
        return List.copyOf(homes);
    }

    private static String suffixed(String home) {
        return home == null ? null : home + "/.m2";
    }

    /** Where this library was loaded from, as a path (not resolved). */
    private static Optional<Path> codeSource() {
        try {
            CodeSource source = Installation.class.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return Optional.empty(); // e.g. a jrt: image: part of the JDK, covered by java.home
            }
            return Optional.of(Path.of(location.toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code <checkout>/…/<module>/target/…}: the outermost directory of the build that holds a pom.xml. */
    static Optional<Path> mavenCheckout(Path codeSource, FileFacts facts) {
        Path target = null;
        for (Path p = codeSource; p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals("target") && p.getParent() != null
                    && facts.isRegularFile(p.getParent().resolve("pom.xml"), false)) {
                target = p;
                break;
            }
        }
        if (target == null) {
            return Optional.empty();
        }
        Path top = target.getParent();
        while (top.getParent() != null && facts.isRegularFile(top.getParent().resolve("pom.xml"), false)) {
            top = top.getParent();
        }
        return Optional.of(top);
    }
}
