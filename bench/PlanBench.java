import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.access.Host;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.access.Rules;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.access.WriteProtection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cost of planning one command (AccessPlanner.plan, default policy, Landlock's WITHHOLD) against
 * a baseline measured in the same JVM, interleaved call by call so that machine noise hits both
 * alike: one Path.toRealPath() of /usr/bin/true (three readlink calls; the unit the plan's cost
 * is stated in, so the ratio depends less on the machine). Prints per-call medians and ratios.
 *
 * The working directory is a write path of the default policy, so its git scan (never cached:
 * a command may change it) is part of every plan and grows with the directory. Each program is
 * planned in an empty project directory (made for the run) and in the JVM's own directory, or in
 * -Dplan.cwd=DIR only. -Dplan.ro=PATH plans with that --ro added (--ro /etc: the grant around the
 * host's secret stores). -Dplan.configs=true plans with a home made for the run whose AWS config has a
 * credential_process and whose ssh config has a ProxyCommand (the command strings the planner reads
 * and names the scripts of: NamedFiles, CommandWords).
 *
 * Run: bench/run PlanBench [program ...] [-- rounds per-round]   (rounds x per-round calls each)
 *      default programs: /bin/true and, when it is on PATH, aws
 */
public class PlanBench {
    /** Baseline calls timed together (one is about as long as reading the clock twice). */
    private static final int BASELINE_BATCH = 10;

    public static void main(String[] args) throws Exception {
        List<String> programs = new ArrayList<>();
        int rounds = 20;
        int perRound = 200;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                rounds = i + 1 < args.length ? Integer.parseInt(args[i + 1]) : rounds;
                perRound = i + 2 < args.length ? Integer.parseInt(args[i + 2]) : perRound;
                break;
            }
            programs.add(args[i]);
        }
        HostEnvironment jvm = HostEnvironment.current();
        Path configured = null;
        if (Boolean.getBoolean("plan.configs")) {
            configured = Files.createTempDirectory("planbench-home");
            Files.createDirectories(configured.resolve(".aws"));
            Files.createDirectories(configured.resolve(".ssh"));
            Files.writeString(configured.resolve(".aws/config"),
                    "[default]\nregion = us-east-1\ncredential_process = sh tools/cred.sh --profile default\n");
            Files.writeString(configured.resolve(".ssh/config"), "Host *\n  ProxyCommand /opt/px/run %h %p\n");
            java.util.Map<String, String> variables = new java.util.HashMap<>(jvm.variables());
            variables.put("HOME", configured.toString());
            jvm = jvm.withVariables(variables);
            System.out.println("(home " + configured + ": a credential_process and a ProxyCommand)");
        }
        List<HostEnvironment> hosts = new ArrayList<>();
        String cwd = System.getProperty("plan.cwd");
        Path project = null;
        if (cwd != null) {
            hosts.add(jvm.withWorkingDirectory(Path.of(cwd).toAbsolutePath()));
        } else {
            project = Files.createTempDirectory("planbench-project");
            hosts.add(jvm.withWorkingDirectory(project));
            hosts.add(jvm);
        }
        if (programs.isEmpty()) {
            programs.add("/bin/true");
            try {
                AccessPlanner.plan(rules(SandboxPolicy.defaults(jvm)), host(jvm), List.of("aws"), Optional.empty(),
                        WriteProtection.WITHHOLD);
                programs.add("aws");
            } catch (AccessPlanner.ProgramNotFound e) {
                System.out.println("(aws is not on PATH: only /bin/true)");
            }
        }
        List<String> labels = new ArrayList<>();
        List<Runnable> cases = new ArrayList<>();
        String ro = System.getProperty("plan.ro"); // -Dplan.ro=/etc: the default policy and that --ro
        for (HostEnvironment host : hosts) {
            Rules policy = rules(ro == null ? SandboxPolicy.defaults(host)
                    : SandboxPolicy.builder(host).addReadPath(ro).build());
            Host planned = host(host);
            for (String program : programs) {
                List<String> command = List.of(program);
                labels.add(program + ", " + (host.workingDirectory().equals(project) ? "empty project"
                        : "cwd " + host.workingDirectory()));
                cases.add(() -> {
                    try {
                        AccessPlanner.plan(policy, planned, command, Optional.empty(), WriteProtection.WITHHOLD);
                    } catch (AccessPlanner.ProgramNotFound e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        Path baselinePath = Path.of("/usr/bin/true");
        int n = cases.size();
        int samples = rounds * perRound;
        double[] base = new double[samples];
        double[][] plan = new double[n][samples];
        // warm-up: compiled code on both sides
        for (int i = 0; i < 2000; i++) {
            baselinePath.toRealPath();
            cases.forEach(Runnable::run);
        }
        // every call timed on its own and the median taken, interleaved: on a shared machine a
        // call that was preempted is an outlier, not a tenth of a batch
        for (int k = 0; k < samples; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < BASELINE_BATCH; i++) {
                baselinePath.toRealPath();
            }
            base[k] = (System.nanoTime() - t0) / 1e3 / BASELINE_BATCH;
            for (int p = 0; p < n; p++) {
                Runnable planOnce = cases.get(p);
                long t1 = System.nanoTime();
                planOnce.run();
                plan[p][k] = (System.nanoTime() - t1) / 1e3;
            }
        }
        if (project != null) {
            Files.delete(project);
        }
        if (configured != null) {
            try (var all = Files.walk(configured)) { // the planner may have made the AWS CLI's cache directories
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        double mBase = median(base);
        System.out.printf("AccessPlanner.plan, default policy, Landlock (WITHHOLD), %d calls each, medians (µs per call):%n",
                samples);
        System.out.printf("  %-50s %9.2f%n", "baseline: Path.of(\"/usr/bin/true\").toRealPath()", mBase);
        for (int p = 0; p < n; p++) {
            double m = median(plan[p]);
            System.out.printf("  plan %-45s %9.2f   %6.1fx baseline%n", labels.get(p), m, m / mBase);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The planner's view of a policy (the library's own conversion is package-private). */
    private static Rules rules(SandboxPolicy p) {
        return new Rules(p.readPaths(), p.writePaths(), p.allowNetwork() ? NetworkMode.ALL : NetworkMode.OFF, List.of(),
                p.passAwsEnv(), p.allowAwsConfig(), p.envPassthrough(), p.allowGitWrites());
    }

    private static Host host(HostEnvironment h) {
        return new Host(h.variables(), h.workingDirectory(), h.platform() == HostEnvironment.Platform.LINUX);
    }
}
