package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run as {@code java -jar DIR/aws-sandbox.jar} without the launcher, DIR is the installation: a
 * wrapper script beside the jar runs later, outside any sandbox, and a command run from DIR
 * under bubblewrap rewrote one (red team, round 2). Run from the packaged jar, as a user would.
 */
class InstalledJarIT {
    private Path dir;
    private Path wrapper;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.requireLandlock();
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-installed-");
        Files.copy(Path.of("target/aws-sandbox.jar"), dir.resolve("aws-sandbox.jar"));
        wrapper = Files.writeString(dir.resolve("asb"), "#!/bin/sh\nexec java -jar \"$(dirname \"$0\")/aws-sandbox.jar\" \"$@\"\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private int run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", dir.resolve("aws-sandbox.jar").toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void theJarsDirectoryCannotBeWrittenFromInsideOnAnyBackend() throws Exception {
        String append = "echo 'echo PWNED' >> asb";
        for (String backend : new String[] {"landlock", "bubblewrap"}) {
            if (backend.equals("bubblewrap") && !new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
                System.err.println("SKIPPED bubblewrap: not available here");
                continue;
            }
            int code = run("run", "--backend", backend, "--", "sh", "-c", append);
            String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
            assertThat(code).as(backend + ": " + out).isNotZero();
            assertThat(Files.readString(wrapper)).as(backend).doesNotContain("PWNED");
        }
        assertThat(run("run", "--mode", "disabled", "--", "sh", "-c", append)).isZero(); // control
        assertThat(Files.readString(wrapper)).contains("PWNED");
    }

    /**
     * Red team, round 8: a bind mount gave the installation a second name, and --rw of that name
     * let a command rewrite the jar. Refused now, on both backends; the control is the same --rw
     * of the alias with the sandbox disabled, where the write lands in the installation.
     */
    @Test
    void aBindMountOfTheInstallationIsNotWritableEither() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name")) && Requirements.which("mount").isPresent();
        if (!root) {
            System.err.println("SKIPPED: needs root and mount(8) to make a bind mount");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root, "needs root and mount(8)");
        Path alias = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-installed-alias-");
        try {
            assertThat(new ProcessBuilder("mount", "--bind", dir.toString(), alias.toString()).inheritIO().start().waitFor())
                    .isZero();
            String append = "echo 'echo PWNED' >> " + alias.resolve("asb");
            for (String backend : new String[] {"landlock", "bubblewrap"}) {
                if (backend.equals("bubblewrap") && !new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
                    System.err.println("SKIPPED bubblewrap: not available here");
                    continue;
                }
                int code = run("run", "--backend", backend, "--rw", alias.toString(), "--", "sh", "-c", append);
                String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
                assertThat(code).as(backend + ": " + out).isEqualTo(ExitCodes.USAGE);
                assertThat(out).contains("through a mount");
                assertThat(Files.readString(wrapper)).as(backend).doesNotContain("PWNED");
            }
            assertThat(run("run", "--mode", "disabled", "--rw", alias.toString(), "--", "sh", "-c", append)).isZero();
            assertThat(Files.readString(wrapper)).contains("PWNED"); // control
        } finally {
            new ProcessBuilder("umount", "-l", alias.toString()).inheritIO().start().waitFor();
            Files.deleteIfExists(alias);
        }
    }
}
