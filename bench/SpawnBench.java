import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.Sandbox;
import java.util.Arrays;
import java.util.List;

/**
 * Spawn cost of a sandboxed /bin/true (without resource limits, then with the default ones,
 * set while the child waits at the spawn gate) against plain ProcessBuilder, measured in the same JVM,
 * interleaved in rounds so that machine noise hits both alike. Prints medians and the ratio.
 *
 * Run: bench/run SpawnBench [rounds] [per-round]
 */
public class SpawnBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        HostEnvironment host = HostEnvironment.current();
        SandboxPolicy noLimits = SandboxPolicy.builder(host).limits(SandboxPolicy.Limits.NONE).build();
        Sandbox landlock = Sandbox.create(noLimits, Sandbox.Mode.REQUIRED);
        Sandbox none = Sandbox.create(noLimits, Sandbox.Mode.DISABLED);
        Sandbox defaults = Sandbox.create(SandboxPolicy.defaults(host), Sandbox.Mode.REQUIRED);
        Command request = Command.of(List.of("/bin/true"));

        // warm-up
        for (int i = 0; i < 200; i++) {
            landlock.run(request);
            none.run(request);
            defaults.run(request);
            new ProcessBuilder("/bin/true").start().waitFor();
        }
        double[] pb = new double[rounds * perRound];
        double[] ll = new double[rounds * perRound];
        double[] un = new double[rounds * perRound];
        double[] df = new double[rounds * perRound];
        int k = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < perRound; i++, k++) {
                long t0 = System.nanoTime();
                new ProcessBuilder("/bin/true").start().waitFor();
                long t1 = System.nanoTime();
                landlock.run(request);
                long t2 = System.nanoTime();
                none.run(request);
                long t3 = System.nanoTime();
                defaults.run(request);
                long t4 = System.nanoTime();
                df[k] = (t4 - t3) / 1e6;
                pb[k] = (t1 - t0) / 1e6;
                ll[k] = (t2 - t1) / 1e6;
                un[k] = (t3 - t2) / 1e6;
            }
        }
        double mPb = median(pb);
        double mLl = median(ll);
        double mUn = median(un);
        System.out.printf("/bin/true, %d runs each, medians (ms):%n", pb.length);
        System.out.printf("  ProcessBuilder.start().waitFor()  %.3f%n", mPb);
        System.out.printf("  aws-sandbox, Landlock             %.3f   ratio %.2fx%n", mLl, mLl / mPb);
        System.out.printf("  aws-sandbox, unsandboxed          %.3f   ratio %.2fx%n", mUn, mUn / mPb);
        double mDf = median(df);
        System.out.printf("  aws-sandbox, Landlock + default resource limits (spawn gate) %.3f   ratio %.2fx%n", mDf, mDf / mPb);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
