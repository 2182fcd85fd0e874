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
 * repeated, and 50 `ProcessBuilder` starts of the same in the same run, rounds alternating after
 * warm-up rounds of both (a long-lived server's steady state); prints the medians, and the first
 * sandboxed round alone (the JIT compilers still at work).
 *
 * Run: bench/run ConcurrencyBench [commands] [repetitions] [warm-up rounds]
 */
public class ConcurrencyBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(HostEnvironment.current()), Sandbox.Mode.REQUIRED);
        sandbox.run("true");
        double cold = sandboxRound(sandbox, n); // the first round: the JIT compilers still at work
        for (int r = 0; r < warmUp; r++) {
            sandboxRound(sandbox, n);
            processBuilderRound(n);
        }
        double[] ratios = new double[reps];
        double[] pb = new double[reps];
        for (int r = 0; r < reps; r++) { // alternating, so that the machine's noise hits both alike
            ratios[r] = sandboxRound(sandbox, n);
            pb[r] = processBuilderRound(n);
        }
        Arrays.sort(pb);
        Arrays.sort(ratios);
        System.out.printf("%d concurrent sandboxed `sleep 0.2`: median wall %.3f s = %.2fx the ideal 0.2 s (best %.2fx;"
                + " first round, before %d warm-up rounds: %.2fx)%n", n, ratios[reps / 2] * 0.2, ratios[reps / 2], ratios[0],
                warmUp, cold);
        System.out.printf("%d concurrent plain ProcessBuilder `sleep 0.2` (baseline, same run, rounds alternating): %.2fx the"
                + " ideal (best %.2fx)%n", n, pb[reps / 2], pb[0]);
        System.out.printf("sandboxed / ProcessBuilder: %.2fx%n", ratios[reps / 2] / pb[reps / 2]);
    }

    /** One round of {@code n} sandboxed {@code sleep 0.2} at once: wall time over the ideal. */
    private static double sandboxRound(Sandbox sandbox, int n) throws Exception {
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
        return (System.nanoTime() - t0) / 1e9 / 0.2;
    }

    /** The same with {@link ProcessBuilder}. */
    private static double processBuilderRound(int n) throws Exception {
        long t0 = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            processes.add(new ProcessBuilder("sleep", "0.2").start());
        }
        for (Process p : processes) {
            p.waitFor();
        }
        return (System.nanoTime() - t0) / 1e9 / 0.2;
    }
}
