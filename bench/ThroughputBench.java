import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Library throughput (commands per second) against plain ProcessBuilder for the same mix of
 * commands in the same JVM, sequential and at 32 concurrent callers, on each backend (Landlock,
 * bubblewrap, and unsandboxed, which isolates the engine's own cost). Every command's output is
 * checked. Rounds alternate ProcessBuilder and the sandbox, so that machine noise hits both alike;
 * the ratio is the median round's commands/s sandboxed / commands/s ProcessBuilder.
 *
 * The mix (default policy, default resource limits; the ProcessBuilder side runs the same argvs,
 * pipelines through startPipeline, no shell): `echo ok`; `sh -c 'echo out; echo err >&2'`;
 * `seq 1 1000 | wc -l`; `head -c 65536 /dev/zero | tr '\0' x | wc -c`.
 *
 * Each sandboxed command leads a session of its own, which the kernel's autogroup scheduling
 * (sched_autogroup_enabled) schedules as a group; ProcessBuilder's children share the JVM's. On a
 * machine busy with other work that favours the sandbox: compare runs made when the load average
 * (printed) is low. -Dbench.noLimits=true runs without the default resource limits (no cgroup,
 * no rlimits), to separate their cost.
 *
 * Run: bench/run ThroughputBench [rounds] [sequential-per-round] [concurrent-per-caller] [backends...]
 *      defaults: 5 rounds, 40 commands sequentially, 32 callers x 4 commands; landlock bubblewrap none
 */
public class ThroughputBench {
    private static final int CALLERS = 32;

    private static final List<List<List<String>>> MIX = List.of(
            List.of(List.of("echo", "ok")),
            List.of(List.of("sh", "-c", "echo out; echo err >&2")),
            List.of(List.of("seq", "1", "1000"), List.of("wc", "-l")),
            List.of(List.of("head", "-c", "65536", "/dev/zero"), List.of("tr", "\\0", "x"), List.of("wc", "-c")));

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int sequential = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int perCaller = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        List<BackendKind> backends = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            backends.add(BackendKind.valueOf(args[i].toUpperCase(java.util.Locale.ROOT)));
        }
        if (backends.isEmpty()) {
            backends = List.of(BackendKind.LANDLOCK, BackendKind.BUBBLEWRAP, BackendKind.NONE);
        }
        HostEnvironment host = HostEnvironment.current();
        List<String> expected = new ArrayList<>();
        for (List<List<String>> command : MIX) {
            expected.add(processBuilder(command)); // what each command prints, for the checks
        }
        System.out.printf("mix of %d commands (%d processes), %d rounds; sequential: %d per round; concurrent: %d callers x %d%n",
                MIX.size(), MIX.stream().mapToInt(List::size).sum(), rounds, sequential, CALLERS, perCaller);
        System.out.printf("load average at start: %s%n", loadAverage());
        Map<String, double[]> table = new LinkedHashMap<>();
        for (BackendKind kind : backends) {
            SandboxPolicy policy = Boolean.getBoolean("bench.noLimits")
                    ? SandboxPolicy.builder(host).limits(SandboxPolicy.Limits.NONE).build() : SandboxPolicy.defaults(host);
            Sandbox sandbox = Sandbox.builder().host(host).policy(policy)
                    .mode(kind == BackendKind.NONE ? Sandbox.Mode.DISABLED : Sandbox.Mode.REQUIRED)
                    .backend(kind).build();
            try {
                sandbox.backend();
            } catch (dev.awssandbox.core.SandboxException e) {
                System.out.printf("%-10s skipped: %s%n", kind.label(), e.getMessage());
                continue;
            }
            // warm-up: both sides compiled, the engine's threads and caches in place
            for (int i = 0; i < 30; i++) {
                runMix(sandbox, i, expected);
                runMix(null, i, expected);
            }
            for (boolean concurrent : new boolean[] {false, true}) {
                double[] ratio = new double[rounds];
                double[] sb = new double[rounds];
                double[] pb = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    pb[r] = concurrent ? concurrent(null, perCaller, expected) : sequential(null, sequential, expected);
                    sb[r] = concurrent ? concurrent(sandbox, perCaller, expected) : sequential(sandbox, sequential, expected);
                    ratio[r] = sb[r] / pb[r];
                }
                table.put(kind.label() + (concurrent ? ", " + CALLERS + " concurrent" : ", sequential"),
                        new double[] {median(sb), median(pb), median(ratio), min(ratio), max(ratio)});
            }
        }
        System.out.printf("%-28s %12s %16s %8s  %s%n", "", "sandboxed/s", "ProcessBuilder/s", "ratio", "(rounds: min-max)");
        table.forEach((label, v) -> System.out.printf("%-28s %12.1f %16.1f %7.2fx  (%.2f-%.2f)%n",
                label, v[0], v[1], v[2], v[3], v[4]));
        System.out.printf("load average at end: %s%n", loadAverage());
    }

    /** Commands per second, one after another. */
    static double sequential(Sandbox sandbox, int n, List<String> expected) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            runMix(sandbox, i, expected);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Commands per second, CALLERS platform threads each running {@code perCaller} commands. */
    static double concurrent(Sandbox sandbox, int perCaller, List<String> expected) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            AtomicLong index = new AtomicLong();
            List<Future<?>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLERS; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perCaller; i++) {
                        runMix(sandbox, (int) index.getAndIncrement(), expected);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return CALLERS * perCaller / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** Runs command {@code i % MIX.size()} through the sandbox, or through ProcessBuilder when it is null; checks its output. */
    static void runMix(Sandbox sandbox, int i, List<String> expected) throws Exception {
        int k = Math.floorMod(i, MIX.size());
        List<List<String>> command = MIX.get(k);
        String out;
        if (sandbox == null) {
            out = processBuilder(command);
        } else {
            ExecResult r = sandbox.run(Command.pipeline(command));
            if (!r.isSuccess()) {
                throw new IllegalStateException(command + " failed: " + r.failureSummary() + "; stages: " + r.stages()
                        + "; stderr: " + r.stderr().text());
            }
            out = r.stdout().text();
        }
        if (!expected.isEmpty() && !out.equals(expected.get(k))) {
            throw new IllegalStateException(command + " printed " + out + " instead of " + expected.get(k));
        }
    }

    /** The same argvs through ProcessBuilder (startPipeline for pipelines): stdout read, stderr drained, all waited for. */
    static String processBuilder(List<List<String>> command) throws Exception {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (List<String> argv : command) {
            builders.add(new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD));
        }
        builders.getFirst().redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        List<Process> processes = ProcessBuilder.startPipeline(builders);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = processes.getLast().getInputStream()) {
            in.transferTo(out);
        }
        for (Process p : processes) {
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " failed under ProcessBuilder");
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
