import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * 1 GiB through a two-stage pipeline, sandboxed (Landlock) against `sh -c` running the same
 * pipeline through ProcessBuilder, in the same JVM, alternating. Two shapes:
 *   count: head -c 1G /dev/zero | wc -c      (data stays between the stages)
 *   drain: head -c 1G /dev/zero | cat        (all of it flows into the JVM, captured 1 MiB, rest drained)
 * Also the JVM's peak RSS growth during the sandboxed runs (VmHWM after clear_refs).
 *
 * Run: bench/run PipelineBench [repetitions]
 */
public class PipelineBench {
    static final long GIB = 1L << 30;

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(HostEnvironment.current()), Sandbox.Mode.REQUIRED);
        for (String shape : new String[] {"wc -c", "cat"}) {
            String pipeline = "head -c " + GIB + " /dev/zero | " + shape;
            // warm-up: one run of each, so that both sides are measured with compiled code
            sandbox.run(Command.parse(pipeline).toBuilder().stdout(Command.Output.capture(1 << 20)).build());
            new ProcessBuilder("sh", "-c", pipeline).start().getInputStream().transferTo(OutputStream.nullOutputStream());
            double[] sb = new double[reps];
            double[] sh = new double[reps];
            long rssGrowth = 0;
            for (int i = 0; i < reps; i++) {
                long rssBefore = resetPeakAndReadRss();
                long t0 = System.nanoTime();
                ExecResult r = sandbox.run(Command.parse(pipeline).toBuilder()
                        .stdout(Command.Output.capture(1 << 20)).build());
                long t1 = System.nanoTime();
                rssGrowth = Math.max(rssGrowth, peakRss() - rssBefore);
                if (!r.isSuccess()) {
                    throw new IllegalStateException("sandboxed run failed: " + r.failureSummary());
                }
                Process p = new ProcessBuilder("sh", "-c", pipeline).redirectErrorStream(true).start();
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
                p.waitFor();
                long t2 = System.nanoTime();
                sb[i] = (t1 - t0) / 1e6;
                sh[i] = (t2 - t1) / 1e6;
            }
            double mSb = median(sb);
            double mSh = median(sh);
            System.out.printf("%-40s sandboxed %7.1f ms (%5.2f GiB/s)  sh -c %7.1f ms  throughput ratio %.2fx  peak RSS growth %d MiB%n",
                    pipeline, mSb, 1000 / mSb, mSh, mSh / mSb, rssGrowth >> 20);
        }
    }

    static long resetPeakAndReadRss() throws Exception {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        return status("VmRSS:");
    }

    static long peakRss() throws Exception {
        return status("VmHWM:");
    }

    static long status(String field) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException(field);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
