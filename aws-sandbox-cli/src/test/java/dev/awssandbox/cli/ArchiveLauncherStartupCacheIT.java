package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The archive's launcher ({@code src/dist/bin/aws-sandbox} with {@code lib/start-up-cache.sh}) and
 * its start-up cache, in an installation laid out as the archive lays it out (bin/, lib/, runtime/),
 * whose runtime is this JDK seen through links: the cache is made once and reused, made anew when
 * the runtime changes, and used only when it is a file this user or the jar's owner made and no one
 * else can write (a planted AOT cache would be code run by the supervisor, outside every sandbox).
 * The same script serves ./aws-sandbox ({@link LauncherStartupCacheIT}).
 */
// runs processes as nobody: not beside another class that does (UnprivilegedUserIT counts nobody's processes,
// and RLIMIT_NPROC counts them per user)
@ResourceLock("the user nobody")
class ArchiveLauncherStartupCacheIT {
    private static final String PREPARING = "aws-sandbox: preparing the start-up cache (once per build or Java runtime)...\n";

    private Path dir;
    private Path install;
    private Path lib;

    record Launch(int code, String out, String err) {}

    @BeforeEach
    void install() throws IOException {
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-archive-launcher-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        install = Files.createDirectories(dir.resolve("aws-sandbox"));
        lib = Files.createDirectories(install.resolve("lib"));
        Path bin = Files.createDirectories(install.resolve("bin"));
        Files.copy(Path.of("src/dist/bin/aws-sandbox"), bin.resolve("aws-sandbox"));
        Files.setPosixFilePermissions(bin.resolve("aws-sandbox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("../tools/start-up-cache.sh"), lib.resolve("start-up-cache.sh"));
        Files.copy(Path.of("target/aws-sandbox.jar"), lib.resolve("aws-sandbox.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        runtime("");
        for (Path p : List.of(install, lib, bin)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** runtime/: links to everything in this JDK but its release file, a copy ending in {@code extra}. */
    private void runtime(String extra) throws IOException {
        Path runtime = install.resolve("runtime");
        if (Files.exists(runtime)) {
            delete(runtime);
        }
        Files.createDirectories(runtime);
        Path home = Path.of(System.getProperty("java.home"));
        try (Stream<Path> entries = Files.list(home)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("release")) {
                    Files.createSymbolicLink(runtime.resolve(entry.getFileName()), entry);
                }
            }
        }
        Files.writeString(runtime.resolve("release"), Files.readString(home.resolve("release")) + extra);
    }

    @AfterEach
    void remove() throws IOException {
        if (dir != null) {
            delete(dir);
        }
    }

    @Test
    void madeOnceReusedAndMadeAnewForAnotherRuntime() throws Exception {
        Launch off = launch(Map.of("AWS_SANDBOX_AOT", "off"), "--version");
        assertThat(off.code()).isZero();
        assertThat(caches()).as("AWS_SANDBOX_AOT=off makes none").isEmpty();

        Launch first = launch(Map.of(), "--version");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(off.out());
        assertThat(first.err()).isEqualTo(PREPARING);
        assertThat(caches()).hasSize(1);
        Path cache = caches().getFirst();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-r--r--");

        Launch second = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"), "--version");
        assertThat(second.err()).doesNotContain("preparing");
        assertThat(second.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: shared objects file")
                .containsPattern("picocli\\.CommandLine source: shared objects file"); // its classes upgraded by the build

        runtime("JAVA_RUNTIME_VERSION=\"an update in place\"\n");
        Launch updated = launch(Map.of(), "--version");
        assertThat(updated.err()).as("another runtime: another cache").isEqualTo(PREPARING);
        assertThat(caches()).hasSize(1).doesNotContain(cache);
    }

    /** Another user, or the user themselves with a careless umask, could have written it: not run, made anew. */
    @Test
    void aCacheOthersCanWriteIsNotUsed() throws Exception {
        launch(Map.of(), "--version");
        Path cache = caches().getFirst();
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-rw-rw-"));
        // the training fails here (its TMPDIR does not exist), so the planted cache is still there afterwards
        Launch l = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info", "TMPDIR", "/nonexistent/aws-sandbox-test"),
                "--version");
        assertThat(l.code()).isZero();
        assertThat(l.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: (file|jar):");
        assertThat(cache).exists();

        launch(Map.of(), "--version"); // the failed training is not repeated: still not used
        Launch again = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"), "--version");
        assertThat(again.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: (file|jar):");
    }

    @Test
    void aLinkIsNotFollowed() throws Exception {
        launch(Map.of(), "--version");
        Path cache = caches().getFirst();
        Path elsewhere = Files.move(cache, dir.resolve("elsewhere.aot"));
        Files.createSymbolicLink(cache, elsewhere);
        Launch l = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info", "TMPDIR", "/nonexistent/aws-sandbox-test"),
                "--version");
        assertThat(l.code()).isZero();
        assertThat(l.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: (file|jar):");
    }

    /**
     * An installation only root writes, shared by several users: nobody cannot make a cache there and
     * does not try, uses the one root made (root owns the jar too); root does not use one that nobody owns.
     */
    @Test
    void aSharedInstallationUsesOnlyItsOwnersCache() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root && Requirements.which("runuser").isPresent(), "needs root and runuser to run as nobody");
        Launch none = launchAsNobody(Map.of(), "--version");
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.err()).isEmpty();
        assertThat(caches()).isEmpty();

        launch(Map.of(), "--version"); // root makes one
        Path cache = caches().getFirst();
        Launch shared = launchAsNobody(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info"), "--version");
        assertThat(shared.err()).doesNotContain("preparing");
        assertThat(shared.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: shared objects file");

        // the same file, owned by nobody (as if nobody could write lib/): root, who owns the jar, does not run
        // it (nobody may: it is theirs)
        Files.setOwner(cache, cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Launch asRoot = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info", "TMPDIR", "/nonexistent/aws-sandbox-test"),
                "--version");
        assertThat(asRoot.out()).containsPattern("dev\\.awssandbox\\.cli\\.AwsSandboxCli source: (file|jar):");
    }

    /** The archive's launcher, too, lets the JVM exit without its wait for threads in native code (see ./aws-sandbox). */
    @Test
    void itsJvmDoesNotWaitAtExitForThreadsInPoll() throws Exception {
        // the JVM's own output, on stderr (-XX:+DisplayVMOutputToStderr: LauncherStartupCacheIT)
        String flags = launch(Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintFlagsFinal", "AWS_SANDBOX_AOT", "off"), "--version").err();
        assertThat(flags).containsPattern("UserThreadWaitAttemptsAtExit += 0 .*\\{command line}");
    }

    private List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.getFileName().toString().matches("aws-sandbox-\\d+\\.aot")).toList();
        }
    }

    private Launch launch(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(install.resolve("bin/aws-sandbox").toString()));
        argv.addAll(List.of(args));
        Path classes = classLog();
        return withClassLog(run(argv, classLogTo(env, classes)), classes);
    }

    private Launch launchAsNobody(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "nobody", "--", "env"));
        Path classes = classLog();
        classLogTo(env, classes).forEach((k, v) -> argv.add(k + "=" + v));
        argv.add(install.resolve("bin/aws-sandbox").toString());
        argv.addAll(List.of(args));
        return withClassLog(run(argv, Map.of("HOME", "/nonexistent")), classes);
    }

    /**
     * An empty file any user may write, for the class-load log: the launchers keep the JVM's log off stdout (review R11),
     * so the log asked for ({@link LauncherStartupCacheIT#CLASS_LOG}) goes there, and is read after the output.
     */
    private Path classLog() throws IOException {
        Path log = dir.resolve("classes.log");
        Files.deleteIfExists(log);
        Files.createFile(log);
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        return log;
    }

    private static Map<String, String> classLogTo(Map<String, String> env, Path log) {
        Map<String, String> vars = new java.util.HashMap<>(env);
        vars.computeIfPresent("JDK_JAVA_OPTIONS", (k, v) -> v.replace(LauncherStartupCacheIT.CLASS_LOG,
                LauncherStartupCacheIT.CLASS_LOG + ":file=" + log + "::filecount=0"));
        return vars;
    }

    private static Launch withClassLog(Launch launch, Path log) throws IOException {
        String classes = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Launch(launch.code(), launch.out() + classes, launch.err());
    }

    private Launch run(List<String> argv, Map<String, String> env) throws Exception {
        Path work = Files.createTempDirectory(dir, "work-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("AWS_SANDBOX_AOT");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        Launch launch = new Launch(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8).replaceAll("(?m)^NOTE: Picked up JDK_JAVA_OPTIONS.*\\n", ""));
        Files.delete(out);
        Files.delete(err);
        delete(work);
        return launch;
    }

    private static void delete(Path path) throws IOException {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
