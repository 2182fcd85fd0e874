import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * 50 concurrent sandboxed `sleep 0.2` through runAsync: wall time against the ideal (0.2 s),
 * repeated; prints the median ratio.
 *
 * Run: bench/run ConcurrencyBench [commands] [repetitions]
 */
public class ConcurrencyBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(HostEnvironment.current()), Sandbox.Mode.REQUIRED);
        sandbox.run("true");
        double[] ratios = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<CompletableFuture<ExecResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(sandbox.runAsync(Command.of("sleep", "0.2")));
            }
            for (CompletableFuture<ExecResult> f : futures) {
                if (!f.get().isSuccess()) {
                    throw new IllegalStateException("a command failed");
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            ratios[r] = wall / 0.2;
        }
        double[] pb = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                processes.add(new ProcessBuilder("sleep", "0.2").start());
            }
            for (Process p : processes) {
                p.waitFor();
            }
            pb[r] = (System.nanoTime() - t0) / 1e9 / 0.2;
        }
        Arrays.sort(pb);
        Arrays.sort(ratios);
        System.out.printf("%d concurrent sandboxed `sleep 0.2`: median wall %.3f s = %.2fx the ideal 0.2 s (best %.2fx)%n",
                n, ratios[reps / 2] * 0.2, ratios[reps / 2], ratios[0]);
        System.out.printf("%d concurrent plain ProcessBuilder `sleep 0.2` (baseline, same run): %.2fx the ideal%n", n, pb[reps / 2]);
    }
}
