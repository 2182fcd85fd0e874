import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The MCP server under load: `aws-sandbox mcp --transport streamable-http` (the packaged jar,
 * mode required) against a real moto_server on 127.0.0.1, CLIENTS concurrent sessions of the
 * official MCP TypeScript SDK client (bench/mcp-load.mjs) each making CALLS aws_cli_pipeline calls
 * of `aws s3api list-buckets | jq '.Buckets | length'` one after another; every answer must be
 * "1". Baseline in the same run: the same pipeline run directly (ProcessBuilder, setsid sh -c: a
 * session per command, as the sandbox gives each) by CLIENTS threads, CALLS each, with the same
 * environment. Rounds alternate baseline and MCP, so that
 * machine noise hits both alike. Prints p50/p95/p99 latency, errors and throughput of each, their
 * ratios, and the server's thread count before, at its peak during the load and after it settled.
 *
 * Needs moto_server, aws, jq, node on PATH and the SDK installed:
 *   (cd aws-sandbox-cli/src/test/node && npm ci)
 *
 * Run: bench/run McpLoadBench [clients] [calls-per-client-per-round] [rounds]   (defaults 50 4 2)
 */
public class McpLoadBench {
    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path jar = Path.of(System.getProperty("java.class.path").split(":")[0]).toAbsolutePath();
        Path root = jar.getParent().getParent().getParent();
        Path client = root.resolve("bench/mcp-load.mjs");
        Path sdk = root.resolve("aws-sandbox-cli/src/test/node/node_modules/@modelcontextprotocol/sdk");
        String moto = which("moto_server");
        String node = which("node");
        which("aws");
        which("jq");
        if (!Files.isDirectory(sdk)) {
            throw new IllegalStateException("the MCP TypeScript SDK is not installed: (cd aws-sandbox-cli/src/test/node && npm ci)");
        }
        Path dir = Files.createTempDirectory("mcp-load-bench");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        List<Process> started = new ArrayList<>();
        try {
            int port = freePort();
            Process motoServer = new ProcessBuilder(moto, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("moto.log").toFile()).start();
            started.add(motoServer);
            awaitPort(port, motoServer);
            String endpoint = "http://127.0.0.1:" + port;
            Map<String, String> env = new HashMap<>();
            env.put("PATH", System.getenv("PATH"));
            env.put("HOME", home.toString());
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_MCP_SANDBOX", "required");
            env.put("AWS_MCP_ALLOWED_ENDPOINTS", endpoint);
            String command = "aws --endpoint-url " + endpoint + " s3api list-buckets | jq '.Buckets | length'";
            String made = shell(env, work, "aws --endpoint-url " + endpoint + " s3 mb s3://load-bench");
            if (!made.contains("make_bucket")) {
                throw new IllegalStateException("s3 mb failed: " + made);
            }

            Path serverLog = dir.resolve("server.log");
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "mcp", "--transport", "streamable-http",
                    "--port", "0").directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true).redirectOutput(serverLog.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            // a session per client per round (and the warm-up's), held until they idle out: the
            // default cap (32) would refuse clients beyond it
            pb.environment().put("AWS_MCP_MAX_SESSIONS", Integer.toString(Math.max(32, clients * (rounds + 1) + 8)));
            Process server = pb.start();
            started.add(server);
            String url = awaitUrl(serverLog, server);
            // the server's mode is required: the strongest backend of this host, as this JVM selects it too
            String backend = "backend " + dev.awssandbox.core.Sandbox.create(dev.awssandbox.core.SandboxPolicy.defaults(
                    dev.awssandbox.core.HostEnvironment.current()), dev.awssandbox.core.Sandbox.Mode.REQUIRED).backend().label();

            // warm-up: the server's code compiled, the AWS CLI's caches written, on both sides
            mcp(node, client, url, 4, 2, command);
            direct(env, work, 4, 2, command);
            int threadsBefore = threads(server.pid());
            Phase mcp = new Phase();
            Phase direct = new Phase();
            int peak = threadsBefore;
            String loadStart = loadAverage();
            for (int r = 0; r < rounds; r++) {
                direct.add(direct(env, work, clients, calls, command));
                ThreadSampler sampler = new ThreadSampler(server.pid());
                mcp.add(mcp(node, client, url, clients, calls, command));
                peak = Math.max(peak, sampler.stop());
            }
            String loadEnd = loadAverage();
            // idle virtual-thread carriers and pool threads retire within about a minute
            int settled = threads(server.pid());
            for (int i = 0; i < 90 && settled > threadsBefore + 8; i++) {
                Thread.sleep(1000);
                settled = threads(server.pid());
            }

            System.out.printf("MCP load: %d clients x %d calls x %d rounds of `aws s3api list-buckets | jq '.Buckets | length'`%n",
                    clients, calls, rounds);
            System.out.printf("  (tool aws_cli_pipeline, streamable HTTP, official TypeScript SDK client, moto_server; %s)%n",
                    backend.strip());
            System.out.printf("%-28s %6s %6s %9s %9s %9s %9s%n", "", "calls", "errors", "p50 ms", "p95 ms", "p99 ms", "calls/s");
            mcp.print("MCP server (sandboxed)");
            direct.print("direct, setsid sh -c");
            System.out.printf("%-28s %6s %6s %8.2fx %8.2fx %8.2fx %8.2fx%n", "ratio MCP / direct", "", "",
                    mcp.percentile(50) / direct.percentile(50), mcp.percentile(95) / direct.percentile(95),
                    mcp.percentile(99) / direct.percentile(99), mcp.throughput() / direct.throughput());
            System.out.printf("server threads: before %d, peak during the load %d, after it settled %d%n",
                    threadsBefore, peak, settled);
            System.out.printf("load average: at start %s; at end %s%n", loadStart, loadEnd);
            if (!mcp.errors.isEmpty() || !direct.errors.isEmpty()) {
                System.out.println("first errors: " + mcp.errors.stream().limit(3).toList() + " "
                        + direct.errors.stream().limit(3).toList());
            }
        } finally {
            for (Process p : started.reversed()) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    /** Latencies (ms) of one kind of call, over all rounds, and the time the rounds took. */
    static final class Phase {
        final List<Double> latencies = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        double wallMillis;
        int calls;

        void add(Phase round) {
            latencies.addAll(round.latencies);
            errors.addAll(round.errors);
            wallMillis += round.wallMillis;
            calls += round.calls;
        }

        double percentile(int p) {
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        double throughput() {
            return (calls - errors.size()) / (wallMillis / 1000);
        }

        void print(String label) {
            System.out.printf("%-28s %6d %6d %9.0f %9.0f %9.0f %9.2f%n", label, calls, errors.size(), percentile(50),
                    percentile(95), percentile(99), throughput());
        }
    }

    /** One round through the MCP server: the node client's lines. */
    static Phase mcp(String node, Path client, String url, int clients, int calls, String command) throws Exception {
        Process p = new ProcessBuilder(node, client.toString(), url, Integer.toString(clients), Integer.toString(calls), "1",
                command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the MCP client failed: " + out);
        }
        Phase phase = new Phase();
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "ok" -> phase.latencies.add(Double.parseDouble(f[1]));
                case "err" -> {
                    phase.latencies.add(Double.parseDouble(f[1]));
                    phase.errors.add(f.length > 2 ? f[2] : "?");
                }
                case "wall" -> phase.wallMillis = Double.parseDouble(f[1]);
                default -> { }
            }
        }
        phase.calls = phase.latencies.size();
        return phase;
    }

    /** One round of the baseline: the same pipeline through sh -c, from {@code clients} threads. */
    static Phase direct(Map<String, String> env, Path work, int clients, int calls, String command) throws Exception {
        Phase phase = new Phase();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < calls; i++) {
                        long s = System.nanoTime();
                        String out;
                        try {
                            out = shell(env, work, command).strip();
                        } catch (Exception e) {
                            out = e.toString();
                        }
                        double ms = (System.nanoTime() - s) / 1e6;
                        synchronized (phase) {
                            phase.latencies.add(ms);
                            if (!out.equals("1")) {
                                phase.errors.add(out);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            phase.wallMillis = (System.nanoTime() - t0) / 1e6;
        } finally {
            pool.shutdown();
        }
        phase.calls = phase.latencies.size();
        return phase;
    }

    /**
     * Runs {@code command} under {@code sh -c} in a session of its own, as the sandbox runs each
     * command: with the kernel's autogroup scheduling (sched_autogroup_enabled) each session is
     * scheduled as a group, so on a busy machine 10 commands in the JVM's session got a third of
     * the CPU that 10 commands in their own sessions got.
     */
    static String shell(Map<String, String> env, Path work, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("setsid", "-w", "sh", "-c", command).directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor();
        return out;
    }

    /** Samples a process's thread count every 100 ms until stopped; returns the highest seen. */
    static final class ThreadSampler {
        private final AtomicInteger peak = new AtomicInteger();
        private volatile boolean running = true;
        private final Thread thread;

        ThreadSampler(long pid) {
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                while (running) {
                    peak.accumulateAndGet(threads(pid), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        int stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak.get();
        }
    }

    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).strip());
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
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

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    static void awaitPort(int port, Process owner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + owner.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("moto_server did not listen on " + port);
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
