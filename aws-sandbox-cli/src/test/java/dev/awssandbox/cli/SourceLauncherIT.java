package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The source checkout's launcher ({@code ./aws-sandbox}) on a copy of its checkout whose
 * {@code ./mvnw} is a stand-in: it takes two seconds, fails as maven-shade did when another build
 * runs at the same time (issue 12: three concurrent first launches, two exit 125, the jar left
 * missing), and writes the packaged jar.
 */
class SourceLauncherIT {

    /** The stand-in build: refuses to overlap another, records its arguments, writes the jar non-atomically. */
    private static final String MVNW = """
            #!/bin/sh
            set -eu
            echo "$*" >> mvnw.log
            if ! mkdir building 2>/dev/null; then echo "mvnw: another build is running (shade would fail)" >&2; exit 1; fi
            sleep 2
            mkdir -p aws-sandbox-cli/target
            cat "$REAL_JAR" > aws-sandbox-cli/target/aws-sandbox.jar
            rmdir building
            """;

    @Test
    void concurrentFirstLaunchesBuildOnceAndAllRun() throws Exception {
        try (TestHost host = new TestHost()) {
            Path root = checkout(host);

            List<Process> launches = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                launches.add(launch(host, root, "launch-" + i));
            }
            for (int i = 0; i < launches.size(); i++) {
                assertThat(launches.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
                String out = Files.readString(host.root().resolve("launch-" + i));
                assertThat(launches.get(i).exitValue()).as(out).isZero();
                assertThat(out).contains("aws-sandbox ");
            }
            List<String> builds = Files.readAllLines(root.resolve("mvnw.log"));
            assertThat(builds).as("one build for three launches").hasSize(1);
            assertThat(builds.getFirst()).contains("package").contains("-Ddist.skip=true").contains("-DskipTests");
        }
    }

    @Test
    void aChangeInAnyModuleRebuildsAndNoChangeDoesNot() throws Exception {
        try (TestHost host = new TestHost()) {
            Path root = checkout(host);
            for (String name : List.of("first", "unchanged")) {
                Process p = launch(host, root, name);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(host.root().resolve(name))).isZero();
            }
            assertThat(Files.readAllLines(root.resolve("mvnw.log"))).as("no change, no build").hasSize(1);

            Path jar = root.resolve("aws-sandbox-cli/target/aws-sandbox.jar");
            Path source = root.resolve("sandbox-core/src/main/java/Changed.java");
            Files.writeString(source, "class Changed {}");
            Files.setLastModifiedTime(source, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 2000));
            Process changed = launch(host, root, "changed");
            assertThat(changed.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(changed.exitValue()).as(Files.readString(host.root().resolve("changed"))).isZero();
            assertThat(Files.readAllLines(root.resolve("mvnw.log"))).as("a change in sandbox-core rebuilds").hasSize(2);
        }
    }

    /**
     * Started without {@code HOME} (some service managers do so) and without {@code JAVA_HOME}: the
     * JDK search passes the SDKMAN directory under {@code $HOME}, which failed with "HOME: unbound
     * variable" (red team, round 22, a note).
     */
    @Test
    void aLaunchWithoutHomeFindsTheJdkAndRuns() throws Exception {
        try (TestHost host = new TestHost()) {
            Path root = checkout(host);
            ProcessBuilder pb = new ProcessBuilder(root.resolve("aws-sandbox").toString(), "--version").redirectErrorStream(true)
                    .redirectOutput(host.root().resolve("no-home").toFile());
            pb.environment().remove("HOME");
            pb.environment().remove("JAVA_HOME");
            pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
            pb.environment().put("REAL_JAR", Path.of("target/aws-sandbox.jar").toAbsolutePath().toString());
            Process p = pb.start();
            p.getOutputStream().close();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(host.root().resolve("no-home"));
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("aws-sandbox ").doesNotContain("unbound variable");
        }
    }

    /** The launcher, the JDK finder and start-up cache scripts, the stand-in mvnw, and a pom and src/main for each module. */
    private static Path checkout(TestHost host) throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path root = Files.createDirectories(host.root().resolve("checkout"));
        Files.copy(repo.resolve("aws-sandbox"), root.resolve("aws-sandbox"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(root.resolve("tools"));
        Files.copy(repo.resolve("tools/find-jdk.sh"), root.resolve("tools/find-jdk.sh"));
        Files.copy(repo.resolve("tools/start-up-cache.sh"), root.resolve("tools/start-up-cache.sh"));
        Files.writeString(root.resolve("mvnw"), MVNW);
        root.resolve("mvnw").toFile().setExecutable(true);
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        for (String module : List.of("sandbox-core", "aws-sandbox-mcp", "aws-sandbox-cli")) {
            Files.createDirectories(root.resolve(module + "/src/main/java"));
            Files.writeString(root.resolve(module + "/pom.xml"), "<project/>");
        }
        return root;
    }

    private static Process launch(TestHost host, Path root, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("aws-sandbox").toString(), "--version").redirectErrorStream(true)
                .redirectOutput(host.root().resolve(name).toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("REAL_JAR", Path.of("target/aws-sandbox.jar").toAbsolutePath().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }
}
