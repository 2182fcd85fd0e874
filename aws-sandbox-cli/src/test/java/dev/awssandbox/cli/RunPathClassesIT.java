package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code run} loads what it uses only: no class of the MCP server or of the libraries only it uses
 * (Jetty, Jackson, the MCP SDK), no backend it does not run with. The packaged jar, started as a
 * user starts it, with the JVM's class-load log.
 */
class RunPathClassesIT {
    private static final List<String> MCP_ONLY = List.of(" dev.awssandbox.mcp.", " io.modelcontextprotocol.",
            " org.eclipse.jetty.", " tools.jackson.", " com.fasterxml.jackson.", " reactor.");

    @Test
    void runLoadsNoMcpClass() throws Exception {
        Requirements.requireLandlock();
        List<String> loaded = classesLoaded("run", "--", "/bin/true");
        assertThat(loaded).filteredOn(l -> MCP_ONLY.stream().anyMatch(l::contains)).isEmpty();
        assertThat(loaded).anyMatch(l -> l.contains(" dev.awssandbox.core.Sandbox ")); // the log is the run's
    }

    /**
     * {@code run}'s model is built in code: no annotation is read, so the JDK makes no proxy class
     * for one (each took milliseconds of start-up, and the AOT cache cannot hold them). Control:
     * {@code help run} reads picocli's own annotated help command.
     */
    @Test
    void runReadsNoAnnotation() throws Exception {
        Requirements.requireLandlock();
        assertThat(classesLoaded("run", "--", "/bin/true")).noneMatch(l -> l.contains("__dynamic_proxy__"));
        assertThat(classesLoaded("help", "run")).anyMatch(l -> l.contains("__dynamic_proxy__"));
    }

    /** Landlock runs the command: bubblewrap, the fallback, is not even made (it looks for bwrap, socat and sleep). */
    @Test
    void aCommandLandlockRunsNeverMakesTheBubblewrapBackend() throws Exception {
        Requirements.requireLandlock();
        assertThat(classesLoaded("run", "--", "/bin/true")).noneMatch(l -> l.contains(".BubblewrapBackend "));
        // control: the same log shows it when bubblewrap is asked for
        if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
            assertThat(classesLoaded("run", "--backend", "bubblewrap", "--", "/bin/true"))
                    .anyMatch(l -> l.contains(".BubblewrapBackend "));
        }
    }

    /** Control: the same log shows MCP classes when the command needs them. */
    @Test
    void mcpHelpLoadsMcpClasses() throws Exception {
        assertThat(classesLoaded("mcp", "--help")).anyMatch(l -> l.contains(" dev.awssandbox.mcp."));
    }

    private static List<String> classesLoaded(String... args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-classes-");
        Path log = dir.resolve("classes.log");
        try {
            List<String> argv = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Xlog:class+load=info:file=" + log, "-jar", Path.of("target/aws-sandbox.jar").toAbsolutePath().toString()));
            argv.addAll(List.of(args));
            Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("out.log").toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.log"))).isZero();
            return Files.readAllLines(log);
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path f : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
