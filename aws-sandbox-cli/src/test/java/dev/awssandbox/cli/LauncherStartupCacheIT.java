package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher's start-up cache (the JDK's AOT cache beside the jar) never changes what a launch
 * prints or whether it works: made by a training run when missing, used when present, and a cache
 * the JVM rejects is passed over in silence (the JVM would print its errors to stdout, into the
 * command's output). Runs ./aws-sandbox itself, against the jar this build packaged; the cache's
 * name is keyed by the jar and the Java runtime (tools/start-up-cache.sh, which the archive's launcher
 * shares: {@link ArchiveLauncherStartupCacheIT} tests a changed runtime and who may have written it).
 */
class LauncherStartupCacheIT {
    private static final Path LAUNCHER = Path.of("../aws-sandbox").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target/aws-sandbox.jar").toAbsolutePath();
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String PREPARING = "aws-sandbox: preparing the start-up cache (once per build or Java runtime)...\n";

    record Launch(int code, String out, String err) {}

    @Test
    void withoutACacheTheLauncherMakesOneAndTheNextLaunchLoadsFromIt() throws Exception {
        deleteCaches();
        Launch off = launch(Map.of("AWS_SANDBOX_AOT", "off"), "--version");
        assertThat(off.code()).isZero();
        assertThat(caches()).as("AWS_SANDBOX_AOT=off makes none").isEmpty();

        Launch first = launch(Map.of(), "--version");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(off.out());
        assertThat(first.err()).isEqualTo(PREPARING);
        assertThat(caches()).hasSize(1);
        assertThat(Files.size(caches().getFirst())).isPositive();

        Launch second = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"), "--version");
        assertThat(second.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: shared objects file");
        Launch without = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info", "AWS_SANDBOX_AOT", "off"), "--version");
        assertThat(without.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: (file|jar):"); // control
    }

    /** A training that made nothing (here: it could not even start, in a TMPDIR that does not exist) is not repeated on every launch. */
    @Test
    void aFailedTrainingIsTriedOncePerBuild() throws Exception {
        deleteCaches();
        try {
            Launch first = launch(Map.of("TMPDIR", "/nonexistent/aws-sandbox-test"), "--version");
            assertThat(first.code()).isZero();
            assertThat(first.err()).contains("preparing the start-up cache");
            assertThat(caches()).isEmpty();
            assertThat(files(".aot.failed")).hasSize(1);
            Launch second = launch(Map.of(), "--version");
            assertThat(second.code()).isZero();
            assertThat(second.err()).isEmpty();
            assertThat(caches()).isEmpty();
        } finally {
            deleteCaches();
        }
    }

    @Test
    void aCacheTheJvmRejectsIsPassedOverInSilence() throws Exception {
        String expected = launch(Map.of("AWS_SANDBOX_AOT", "off"), "--version").out();
        deleteCaches();
        launch(Map.of(), "--version");
        Path cache = caches().getFirst();
        Files.write(cache, "not an AOT cache".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().plusSeconds(5))); // newer than the jar: used
        try {
            Launch l = launch(Map.of(), "--version");
            assertThat(l.code()).isZero();
            assertThat(l.out()).isEqualTo(expected);
            assertThat(l.err()).isEmpty();
            // control: without the launcher's log settings the JVM does complain, on stdout
            Launch plain = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:AOTCache=" + cache, "-jar", JAR.toString(), "--version"), Map.of());
            assertThat(plain.out()).contains("[error").contains("aot");
        } finally {
            deleteCaches();
        }
    }

    /**
     * At exit the JVM waits up to 300 ms for threads in native code (JDK-8314243); the reaper's and the
     * output's always are, in poll(2): a third of {@code run -- /bin/true} went to that wait.
     */
    @Test
    void theJvmExitsWithoutWaitingForThreadsInNativeCode() throws Exception {
        Launch flags = launch(Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintFlagsFinal", "AWS_SANDBOX_AOT", "off"), "--version");
        // the JVM's own output, on stderr (aThreadDumpGoesToStderrNotIntoTheCommandsOutput)
        assertThat(flags.err()).containsPattern("UserThreadWaitAttemptsAtExit += 0 .*\\{command line}");
    }

    /**
     * Outside test WF25, F11: a SIGQUIT (Ctrl-\\ at a terminal) made the JVM print its thread dump on stdout, into the
     * command's output (a download came out corrupted). The launcher sends the JVM's own output to stderr. Control: the
     * dump is printed, on stderr.
     */
    @Test
    void aThreadDumpGoesToStderrNotIntoTheCommandsOutput() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-sigquit-");
        try {
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--", "sh", "-c", "touch started; sleep 3; echo out")
                    .directory(dir.toFile()).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            pb.environment().remove("JDK_JAVA_OPTIONS");
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(dir.resolve("started")) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dir.resolve("started")).as(Files.readString(dir.resolve("err"))).exists();
            assertThat(new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("out"))).as("the command's output alone").isEqualTo("out\n");
            assertThat(Files.readString(dir.resolve("err"))).as("control: the dump was printed").contains("Full thread dump");
        } finally {
            for (String name : List.of("out", "err", "started")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
    }

    private static List<Path> caches() throws IOException {
        return files(".aot");
    }

    /** The launcher's files in target/: aws-sandbox-KEY followed by {@code suffix}. */
    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(p -> p.getFileName().toString().matches("aws-sandbox-\\d+" + Pattern.quote(suffix))).toList();
        }
    }

    private static void deleteCaches() throws IOException {
        for (Path p : files(".aot")) {
            Files.delete(p);
        }
        for (Path p : files(".aot.failed")) {
            Files.delete(p);
        }
    }

    /** The JVM option that logs where each class is loaded from. */
    static final String CLASS_LOG = "-Xlog:class+load=info";

    private static Launch launch(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        argv.addAll(List.of(args));
        return run(argv, env);
    }

    private static Launch run(List<String> argv, Map<String, String> env) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-launcher-");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("AWS_SANDBOX_AOT");
            // the launchers keep the JVM's log off stdout (review R11): the class-load log asked for goes to a file,
            // read after the command's output
            Path classes = dir.resolve("classes.log");
            Map<String, String> vars = new java.util.HashMap<>(env);
            vars.computeIfPresent("JDK_JAVA_OPTIONS", (k, v) -> v.replace(CLASS_LOG, CLASS_LOG + ":file=" + classes
                    + "::filecount=0"));
            pb.environment().putAll(vars);
            Process p = pb.start();
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            return new Launch(p.exitValue(), Files.readString(dir.resolve("out"))
                    + (Files.exists(classes) ? Files.readString(classes) : ""), Files.readString(dir.resolve("err")));
        } finally {
            Files.deleteIfExists(dir.resolve("out"));
            Files.deleteIfExists(dir.resolve("err"));
            Files.deleteIfExists(dir.resolve("classes.log"));
            Files.deleteIfExists(dir);
        }
    }
}
