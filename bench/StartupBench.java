import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Start-up and per-command cost, whole processes as a person or a script starts them: the
 * launcher ({@code ./aws-sandbox}) against the bare command in pairs, the two sides alternating,
 * medians of PAIRS pairs after two warm-up pairs. Each row prints both medians, the ratio of the
 * medians and the median of the per-pair ratios with its quartiles (the spread shows the noise).
 * The launcher's start-up cache (the JDK's AOT cache, built after a build) is used or, with
 * AWS_SANDBOX_AOT=off, not; both are measured in the same run. Classes loaded by
 * {@code run -- /bin/true} are counted from -Xlog:class+load (through JDK_JAVA_OPTIONS).
 *
 * The MCP row: `aws --version` through the tool aws_cli_pipeline of a running
 * {@code aws-sandbox mcp --transport streamable-http} server (the official TypeScript SDK client,
 * bench/mcp-load.mjs, one session, calls one after another, after a warm-up round), against
 * `aws --version` started directly by this JVM; rounds alternate.
 *
 * Needs aws on PATH; the MCP row also node and the SDK: (cd aws-sandbox-cli/src/test/node && npm ci)
 *
 * With BASELINE, the root of another checkout with its jar built (e.g. `git worktree add` of
 * main), this launcher is also paired against that one: before and after a change in one run.
 *
 * Run: bench/run StartupBench [pairs] [mcp-calls-per-round] [BASELINE]   (defaults 15 15)
 */
public class StartupBench {
    static final File NULL = new File("/dev/null");

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int mcpCalls = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String baseline = args.length > 2 ? Path.of(args[2], "aws-sandbox").toAbsolutePath().toString() : null;
        Path jar = Path.of(System.getProperty("java.class.path").split(":")[0]).toAbsolutePath();
        Path root = jar.getParent().getParent().getParent();
        String launcher = root.resolve("aws-sandbox").toString();
        String java = ProcessHandle.current().info().command().orElse("java");
        String aws = which("aws");
        Path work = Files.createTempDirectory("startup-bench");
        Map<String, String> noAot = Map.of("AWS_SANDBOX_AOT", "off");
        try {
            // the launcher builds its start-up cache on the first launch after a build
            run(work, Map.of(), launcher, "--version");
            boolean cached;
            try (Stream<Path> target = Files.list(root.resolve("aws-sandbox-cli/target"))) {
                cached = target.anyMatch(p -> p.getFileName().toString().matches("aws-sandbox(-\\d+)?\\.aot"));
            }
            System.out.printf("Start-up, whole process: %d pairs (A and B alternating), medians; launcher start-up cache %s%n",
                    pairs, cached ? "present" : "ABSENT (rows 'with cache' run without one)");
            System.out.printf("load average at start: %s%n", loadAverage());
            System.out.printf("%-58s %8s %8s %7s %18s%n", "A vs B", "A ms", "B ms", "A/B", "pair A/B [p25-p75]");
            String version = "./aws-sandbox --version";
            pair(pairs, "./aws-sandbox run -- aws --version vs aws --version",
                    new Cmd(work, Map.of(), launcher, "run", "--", aws, "--version"), new Cmd(work, Map.of(), aws, "--version"));
            pair(pairs, "  the same, without the start-up cache",
                    new Cmd(work, noAot, launcher, "run", "--", aws, "--version"), new Cmd(work, Map.of(), aws, "--version"));
            pair(pairs, "./aws-sandbox run -- /bin/true vs " + version,
                    new Cmd(work, Map.of(), launcher, "run", "--", "/bin/true"), new Cmd(work, Map.of(), launcher, "--version"));
            pair(pairs, "  the same, without the start-up cache",
                    new Cmd(work, noAot, launcher, "run", "--", "/bin/true"), new Cmd(work, noAot, launcher, "--version"));
            pair(pairs, version + " vs java -version",
                    new Cmd(work, Map.of(), launcher, "--version"), new Cmd(work, Map.of(), java, "-version"));
            pair(pairs, "./aws-sandbox run -- /bin/true, with vs without the cache",
                    new Cmd(work, Map.of(), launcher, "run", "--", "/bin/true"), new Cmd(work, noAot, launcher, "run", "--", "/bin/true"));
            pair(pairs, version + ", with vs without the cache",
                    new Cmd(work, Map.of(), launcher, "--version"), new Cmd(work, noAot, launcher, "--version"));
            if (baseline != null) {
                run(work, Map.of(), baseline, "--version");
                String b = "the baseline's";
                pair(pairs, "./aws-sandbox run -- aws --version vs " + b,
                        new Cmd(work, Map.of(), launcher, "run", "--", aws, "--version"),
                        new Cmd(work, Map.of(), baseline, "run", "--", aws, "--version"));
                pair(pairs, "./aws-sandbox run -- /bin/true vs " + b,
                        new Cmd(work, Map.of(), launcher, "run", "--", "/bin/true"), new Cmd(work, Map.of(), baseline, "run", "--", "/bin/true"));
                pair(pairs, version + " vs " + b,
                        new Cmd(work, Map.of(), launcher, "--version"), new Cmd(work, Map.of(), baseline, "--version"));
            }
            classes(work, launcher, Map.of(), "with the cache");
            classes(work, launcher, noAot, "without the cache");
            System.out.printf("load average at end: %s%n", loadAverage());
            mcp(root, jar, java, aws, work, mcpCalls);
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A command line, its working directory and the variables it adds to this JVM's environment. */
    record Cmd(Path dir, Map<String, String> env, String... argv) {}

    static void pair(int pairs, String label, Cmd a, Cmd b) throws Exception {
        for (int i = 0; i < 2; i++) {
            time(a);
            time(b);
        }
        List<Double> as = new ArrayList<>();
        List<Double> bs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            double ta = time(a);
            double tb = time(b);
            as.add(ta);
            bs.add(tb);
            ratios.add(ta / tb);
        }
        System.out.printf("%-58s %8.0f %8.0f %6.2fx %6.2fx [%.2f-%.2f]%n", label, median(as), median(bs),
                median(as) / median(bs), median(ratios), percentile(ratios, 25), percentile(ratios, 75));
    }

    /** Wall time of one run in ms; the run must succeed. */
    static double time(Cmd c) throws Exception {
        long t0 = System.nanoTime();
        run(c.dir(), c.env(), c.argv());
        return (System.nanoTime() - t0) / 1e6;
    }

    static void run(Path dir, Map<String, String> env, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectInput(NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited with " + code);
        }
    }

    /** Classes loaded by `./aws-sandbox run -- /bin/true`, where they came from, and whether any MCP class is among them. */
    static void classes(Path work, String launcher, Map<String, String> env, String label) throws Exception {
        Path log = work.resolve("classes.log");
        Map<String, String> vars = new HashMap<>(env);
        vars.put("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + log);
        run(work, vars, launcher, "run", "--", "/bin/true");
        List<String> lines = Files.readAllLines(log);
        long cached = lines.stream().filter(l -> l.contains("source: shared objects file")).count();
        long fromJar = lines.stream().filter(l -> l.contains("source: file:") || l.contains("source: jar:")).count();
        long mcp = lines.stream().filter(l -> l.contains(" dev.awssandbox.mcp") || l.contains(" io.modelcontextprotocol")
                || l.contains(" org.eclipse.jetty") || l.contains(" tools.jackson") || l.contains(" com.fasterxml")).count();
        long picocli = lines.stream().filter(l -> l.contains(" picocli.")).count();
        System.out.printf("classes loaded by ./aws-sandbox run -- /bin/true, %s: %d (%d from the CDS/AOT cache, %d parsed"
                + " from the jar; picocli %d; MCP/Jetty/Jackson %d)%n", label, lines.size(), cached, fromJar, picocli, mcp);
        Files.delete(log);
    }

    /** `aws --version` per call: through the MCP tool vs directly. */
    static void mcp(Path root, Path jar, String java, String aws, Path work, int calls) throws Exception {
        if (calls <= 0) {
            System.out.println("MCP row skipped: 0 calls per round asked for");
            return;
        }
        Path client = root.resolve("bench/mcp-load.mjs");
        if (!Files.isDirectory(root.resolve("aws-sandbox-cli/src/test/node/node_modules/@modelcontextprotocol/sdk"))) {
            System.out.println("MCP row skipped: the TypeScript SDK is not installed ((cd aws-sandbox-cli/src/test/node && npm ci))");
            return;
        }
        String node = which("node");
        String expected = output(work, aws, "--version").strip();
        Path log = work.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "mcp",
                "--transport", "streamable-http", "--port", "0").directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("AWS_MCP_SANDBOX", "required");
        Process server = pb.start();
        try {
            String url = awaitUrl(log, server);
            mcpRound(node, client, url, 10, expected); // warm-up: the server's code compiled
            List<Double> viaMcp = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < calls; i++) {
                    direct.add(time(new Cmd(work, Map.of(), aws, "--version")));
                }
                viaMcp.addAll(mcpRound(node, client, url, calls, expected));
            }
            System.out.printf("%-58s %8.0f %8.0f %6.2fx   (%d calls each, 3 alternating rounds; p90 %.0f vs %.0f ms)%n",
                    "MCP aws_cli_pipeline `aws --version` vs aws --version", median(viaMcp), median(direct),
                    median(viaMcp) / median(direct), viaMcp.size(), percentile(viaMcp, 90), percentile(direct, 90));
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** One session making {@code calls} calls one after another; the latency of each, in ms. */
    static List<Double> mcpRound(String node, Path client, String url, int calls, String expected) throws Exception {
        Process p = new ProcessBuilder(node, client.toString(), url, "1", Integer.toString(calls), expected, "aws --version")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the MCP client failed: " + out);
        }
        List<Double> latencies = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("err")) {
                throw new IllegalStateException("an MCP call failed: " + line);
            }
            if (f[0].equals("ok")) {
                latencies.add(Double.parseDouble(f[1]));
            }
        }
        return latencies;
    }

    static String output(Path dir, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).redirectInput(NULL).start();
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }
    }

    static String awaitUrl(Path log, Process server) throws Exception {
        Pattern listening = Pattern.compile("listening on (http://\\S+/mcp)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            if (!server.isAlive()) {
                throw new IllegalStateException("the MCP server exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the MCP server did not start: " + Files.readString(log));
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double index = p / 100.0 * (sorted.size() - 1);
        int lo = (int) Math.floor(index);
        int hi = (int) Math.ceil(index);
        return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (index - lo);
    }

    static String which(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(program + " is not on PATH");
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
