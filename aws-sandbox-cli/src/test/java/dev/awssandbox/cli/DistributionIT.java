package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.MotoServer;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 8: the self-contained archive that {@code package} builds on Linux x86-64
 * ({@code aws-sandbox-VERSION-linux-x86_64.tar.gz}), unpacked and run on a PATH that holds no
 * {@code java} and with no {@code JAVA_HOME}: {@code doctor} passes, and the MCP server started as
 * the README's Claude Desktop and Claude Code configurations start it is driven by the TypeScript
 * client against moto.
 */
class DistributionIT {

    @Test
    void theUnpackedArchiveRunsDoctorWithNoJdkOnPath() throws Exception {
        try (TestHost host = new TestHost()) {
            Path installed = unpack(host);
            String path = pathWithoutJava(host);

            Run doctor = run(host, path, installed.resolve("bin/aws-sandbox").toString(), "doctor");
            assertThat(doctor.code()).as(doctor.out()).isZero();
            assertThat(doctor.out()).contains("selected:  landlock").contains("ok    aws --version works sandboxed: aws-cli/")
                    .contains("all checks passed");

            // the first launch made the start-up cache beside the jar (ArchiveLauncherStartupCacheIT: who may)
            try (Stream<Path> lib = Files.list(installed.resolve("lib"))) {
                assertThat(lib.map(p -> p.getFileName().toString())).anyMatch(n -> n.matches("aws-sandbox-\\d+\\.aot"));
            }
            Run version = run(host, path, installed.resolve("bin/aws-sandbox").toString(), "--version");
            assertThat(version.out()).contains(version()).doesNotContain("preparing the start-up cache");

            // every document the README links to is in the archive beside it (a workflow test: docs/ was missing)
            java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\]\\((docs/[^)#]+)").matcher(readme());
            int links = 0;
            while (link.find()) {
                assertThat(installed.resolve(link.group(1))).as("README links " + link.group(1)).exists();
                links++;
            }
            assertThat(links).isPositive();
        }
    }

    /**
     * Outside test WF25, F12: with the launcher's stdin closed ({@code <&-}) the JVM opened its module image on descriptor
     * 0, and the command read that as its input (an upload from {@code -} stored 146 MB of the JDK). Both launchers give
     * it an empty input instead. Control: an input given is read.
     */
    @Test
    void aClosedStdinIsAnEmptyInputForBothLaunchers() throws Exception {
        try (TestHost host = new TestHost()) {
            Path installed = unpack(host);
            String path = pathWithoutJava(host);
            for (String launcher : bothLaunchers(installed)) {
                Run closed = run(host, path, "/bin/sh", "-c", "exec \"$0\" run -- sh -c 'wc -c' <&-", launcher);
                assertThat(closed.code()).as(closed.out()).isZero();
                assertThat(closed.out().lines().filter(l -> !l.startsWith("aws-sandbox:"))).as(launcher).containsExactly("0");
                Run given = run(host, path, "/bin/sh", "-c", "echo hello | \"$0\" run -- sh -c 'wc -c'", launcher);
                assertThat(given.out().lines().filter(l -> !l.startsWith("aws-sandbox:"))).as("control: " + launcher)
                        .containsExactly("6");
            }
        }
    }

    /**
     * Review R11 of WF25, F11: the JVM's warnings (unified logging) went to stdout, into the command's output, whatever
     * {@code DisplayVMOutputToStderr} said; large pages asked for and not configured give one. Both launchers send them
     * to stderr. Control: the warning is printed, on stderr.
     */
    @Test
    void theJvmsWarningsGoToStderrForBothLaunchers() throws Exception {
        try (TestHost host = new TestHost()) {
            Path installed = unpack(host);
            String path = pathWithoutJava(host);
            for (String launcher : bothLaunchers(installed)) {
                String warned = "JDK_JAVA_OPTIONS=-XX:+UseLargePages \"$0\" run -- echo out";
                Run out = run(host, path, "/bin/sh", "-c", warned + " 2>/dev/null", launcher);
                assertThat(out.code()).as(out.out()).isZero();
                assertThat(out.out()).as(launcher).isEqualTo("out\n");
                Run err = run(host, path, "/bin/sh", "-c", warned + " 2>&1 >/dev/null", launcher);
                assertThat(err.out()).as("control: " + launcher).contains("[warning][pagesize] UseLargePages disabled");
            }
        }
    }

    @Test
    void theReadmesClaudeDesktopConfigurationRunsFromTheArchive() throws Exception {
        String readme = readme();
        Matcher desktop = Pattern.compile("Claude Desktop \\(`claude_desktop_config\\.json`.*?```json\\n(.*?)```",
                Pattern.DOTALL).matcher(readme);
        assertThat(desktop.find()).as("README has the Claude Desktop configuration").isTrue();
        runClient(desktop.group(1));
    }

    @Test
    void theReadmesClaudeCodeCommandRunsFromTheArchive() throws Exception {
        Matcher code = Pattern.compile("\\nclaude mcp add aws (.*?) -- (\\S+)((?: \\S+)*)\\n").matcher(readme());
        assertThat(code.find()).as("README has the claude mcp add command").isTrue();
        StringBuilder env = new StringBuilder();
        Matcher option = Pattern.compile("--env (\\w+)=(\\S+)").matcher(code.group(1));
        while (option.find()) {
            env.append(env.isEmpty() ? "" : ", ").append(json(option.group(1))).append(": ").append(json(option.group(2)));
        }
        List<String> args = Stream.of(code.group(3).trim().split(" ")).map(DistributionIT::json).toList();
        runClient("{\"command\": " + json(code.group(2)) + ", \"args\": " + args + ", \"env\": {" + env + "}}");
    }

    /** The client configuration, with /opt/aws-sandbox replaced by the unpacked archive, through client-dist.mjs. */
    private void runClient(String configuration) throws Exception {
        Requirements.requireProgram("jq");
        Path node = Requirements.requireProgram("node");
        Path clientDir = McpEndToEndIT.installedClient();
        try (TestHost host = new TestHost(); MotoServer moto = MotoServer.start()) {
            Path installed = unpack(host);
            String path = pathWithoutJava(host);
            String config = configuration.replace("/opt/aws-sandbox", installed.toString());
            Run client = run(host, path, node.toString(), clientDir.resolve("client-dist.mjs").toString(), config,
                    moto.endpoint(), host.home().toString(), path);
            assertThat(client.code()).as(client.out()).isZero();
            assertThat(client.out()).contains("ok the packaged server lists its tools")
                    .contains("ok aws | jq runs sandboxed (landlock) from the packaged server")
                    .contains("passed, 0 failed");
        }
    }

    private static Path unpack(TestHost host) throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("aws");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the archive is built on Linux x86-64 only");
        Path archive = Path.of("target", "aws-sandbox-" + version() + "-linux-x86_64.tar.gz").toAbsolutePath();
        assertThat(archive).as("package builds the archive on Linux x86-64 (was it run with -Ddist.skip=true?)")
                .exists();
        Path into = Files.createDirectories(host.root().resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(out).isZero();
        Path installed = into.resolve("aws-sandbox-" + version());
        assertThat(installed.resolve("runtime/bin/java")).isExecutable();
        assertThat(installed.resolve("lib/aws-sandbox.jar")).isRegularFile();
        assertThat(installed.resolve("runtime/jmods")).doesNotExist();
        return installed;
    }

    /**
     * This test's PATH with every JDK program left out: a directory holding a program that comes
     * from a JDK's {@code bin} (here /usr/bin/java → /usr/lib/jvm/…) is replaced by a copy made of
     * symbolic links to everything else in it.
     */
    private static String pathWithoutJava(TestHost host) throws IOException {
        List<String> dirs = new ArrayList<>();
        int n = 0;
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path dir = Path.of(entry);
            if (entry.isEmpty() || !Files.isDirectory(dir)) {
                continue;
            }
            List<Path> programs;
            try (Stream<Path> list = Files.list(dir)) {
                programs = list.toList();
            }
            if (programs.stream().noneMatch(DistributionIT::fromAJdk)) {
                dirs.add(entry);
                continue;
            }
            Path copy = Files.createDirectories(host.root().resolve("path-without-java").resolve(String.valueOf(n++)));
            for (Path program : programs) {
                if (!fromAJdk(program)) {
                    Files.createSymbolicLink(copy.resolve(program.getFileName()), program.toAbsolutePath());
                }
            }
            dirs.add(copy.toString());
        }
        String path = String.join(":", dirs);
        ProcessBuilder check = new ProcessBuilder("/bin/sh", "-c", "command -v java || command -v javac || echo none");
        check.environment().put("PATH", path);
        Process p = check.start();
        String found = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(found).as("no java or javac on the test's PATH").isEqualTo("none");
        return path;
    }

    /**
     * A program whose real file sits beside a {@code java} launcher that is itself a file, not a link:
     * a JDK's or JRE's {@code bin} (and not /usr/bin, where java is a link into one).
     */
    private static boolean fromAJdk(Path program) {
        try {
            Path java = program.toRealPath().resolveSibling("java");
            return Files.isRegularFile(java, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(java);
        } catch (IOException e) {
            return false; // a dangling link
        }
    }

    /** The installed archive's launcher and the checkout's. */
    private static List<String> bothLaunchers(Path installed) {
        return List.of(installed.resolve("bin/aws-sandbox").toString(),
                Path.of("..", "aws-sandbox").toAbsolutePath().normalize().toString());
    }

    private record Run(int code, String out) {}

    /** argv with exactly PATH and HOME in the environment (no JAVA_HOME), output to a file. */
    private static Run run(TestHost host, String path, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", path);
        env.put("HOME", host.home().toString());
        Path log = Files.createTempFile(host.root(), "run-", ".log");
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(300, TimeUnit.SECONDS);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(ended).as("ended within 5 minutes: " + out).isTrue();
        return new Run(process.exitValue(), out);
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    }

    private static String version() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = DistributionIT.class.getResourceAsStream("/aws-sandbox-version.properties")) {
            properties.load(in);
        }
        return properties.getProperty("version");
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
