import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.seccomp.Bpf;
import dev.awssandbox.core.seccomp.LinearDispatchProgram;
import dev.awssandbox.core.seccomp.SeccompFilter;
import dev.awssandbox.core.seccomp.Syscall;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What installing the per-command seccomp filter costs the spawning thread, and what the filter
 * costs each system call it has to run for, for the linear dispatch (test code:
 * LinearDispatchProgram, the program before binary search) against the binary-search one
 * (SeccompFilter.program), both for the Landlock option sets (network on and off).
 *
 * <p>Each sample is a fresh platform thread (with no_new_privs, inherited from main) that installs
 * one filter, as a spawning thread does, and ends; only the {@code prctl(PR_SET_SECCOMP)} is
 * timed: the kernel's check, conversion to eBPF, JIT and the allow-cache preparation that
 * emulates the filter for every call number. The variants alternate in every round, so machine
 * noise hits them alike. Then, per variant, threads that install the filter and time a loop of
 * system calls: getppid (always allowed: the kernel's cache skips the filter), prlimit64 on itself
 * (an argument check: the filter runs), accept4(-1) (refused with the network off), against a
 * thread without a filter.
 *
 * <p>It needs the test classes (LinearDispatchProgram), so it runs from the build directories:
 * <pre>
 * ./mvnw -o -q test-compile -pl sandbox-core
 * java --enable-native-access=ALL-UNNAMED -cp sandbox-core/target/classes:sandbox-core/target/test-classes \
 *     bench/SeccompBench.java [rounds] [calls]
 * </pre>
 */
public class SeccompBench {
    static final int PR_SET_NO_NEW_PRIVS = 38;
    static final int PR_SET_SECCOMP = 22;
    static final int SECCOMP_MODE_FILTER = 2;
    static final Arch ARCH = Libc.arch();
    static final long SYS_PRCTL = ARCH == Arch.X86_64 ? 157 : 167;
    static final long SYS_GETPPID = ARCH == Arch.X86_64 ? 110 : 173;
    static final long SYS_PRLIMIT64 = Syscall.PRLIMIT64.number(ARCH).orElseThrow();
    static final long SYS_ACCEPT4 = Syscall.ACCEPT4.number(ARCH).orElseThrow();
    static final long SYS_GETTID = Syscall.GETTID.number(ARCH).orElseThrow();
    static final int RLIMIT_NOFILE = 7;
    static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO_VALUE = ERRNO.varHandle(groupElement("errno"));
    static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    record Variant(String name, List<int[]> program) {}

    public static void main(String[] args) throws Throwable {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        long jvm = ProcessHandle.current().pid();
        SeccompFilter.Options online = SeccompFilter.Options.landlock(false, jvm);
        SeccompFilter.Options offline = SeccompFilter.Options.landlock(true, jvm);
        List<Variant> variants = List.of(
                new Variant("linear, network on ", LinearDispatchProgram.program(ARCH, online)),
                new Variant("search, network on ", SeccompFilter.program(ARCH, online)),
                new Variant("linear, network off", LinearDispatchProgram.program(ARCH, offline)),
                new Variant("search, network off", SeccompFilter.program(ARCH, offline)));
        try (Arena arena = Arena.ofConfined()) {
            check(call(arena.allocate(ERRNO), SYS_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0), "no_new_privs");
        }
        System.out.printf("load average at start: %s", Files.readString(Path.of("/proc/loadavg")));

        // installation: warm-up, then the variants in turn in every round
        double[][] install = new double[variants.size()][rounds];
        for (int r = -200; r < rounds; r++) {
            for (int v = 0; v < variants.size(); v++) {
                double micros = onFreshThread(variants.get(v).program(), 0, 0);
                if (r >= 0) {
                    install[v][r] = micros;
                }
            }
        }
        System.out.printf("installing the filter (prctl PR_SET_SECCOMP), median of %d on fresh threads (µs):%n", rounds);
        for (int v = 0; v < variants.size(); v++) {
            System.out.printf("  %s  %3d instructions  %7.1f  (p10 %.1f, p90 %.1f)%n", variants.get(v).name(),
                    variants.get(v).program().size(), median(install[v]), percentile(install[v], 10), percentile(install[v], 90));
        }
        for (int v = 0; v < variants.size(); v += 2) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = install[v + 1][r] / install[v][r];
            }
            System.out.printf("  search / linear, %s: ratio of medians %.2f, median of per-round ratios %.2f%n",
                    variants.get(v).name().substring(8).trim(), median(install[v + 1]) / median(install[v]), median(ratios));
        }

        // per call: ns per system call on a thread under each filter and on one without, all of them in
        // every round (short loops, so that a change of load between variants stays small)
        long[] numbers = {SYS_GETPPID, SYS_PRLIMIT64, SYS_ACCEPT4};
        String[] names = {"getppid (cached: the filter does not run)", "prlimit64(0, NOFILE, NULL, &old)", "accept4(-1, …)"};
        int callRounds = Math.max(21, rounds / 20);
        double[][][] perCall = new double[numbers.length][variants.size() + 1][callRounds];
        for (int r = -3; r < callRounds; r++) {
            for (int c = 0; c < numbers.length; c++) {
                for (int v = 0; v <= variants.size(); v++) {
                    double ns = onFreshThread(v == 0 ? null : variants.get(v - 1).program(), numbers[c], calls);
                    if (r >= 0) {
                        perCall[c][v][r] = ns;
                    }
                }
            }
        }
        System.out.printf("per system call, %d rounds of %d calls a variant (ns; median, then median of the"
                + " per-round difference from no filter):%n", callRounds, calls);
        for (int c = 0; c < numbers.length; c++) {
            System.out.printf("  %s: no filter %.0f%n", names[c], median(perCall[c][0]));
            for (int v = 1; v <= variants.size(); v++) {
                double[] extra = new double[callRounds];
                for (int r = 0; r < callRounds; r++) {
                    extra[r] = perCall[c][v][r] - perCall[c][0][r];
                }
                System.out.printf("    %s %5.0f  %+5.0f%n", variants.get(v - 1).name(), median(perCall[c][v]), median(extra));
            }
        }
        System.out.printf("load average at end: %s", Files.readString(Path.of("/proc/loadavg")));
    }

    /**
     * On a new thread: installs {@code program} (if any) with the thread's id patched in, as
     * SeccompFilter.Installed does; with {@code calls} 0 returns the installation's µs, else
     * makes {@code nr} that many times and returns ns per call.
     */
    static double onFreshThread(List<int[]> program, long nr, int calls) throws InterruptedException {
        double[] result = new double[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment errno = arena.allocate(ERRNO);
                long installNanos = 0;
                if (program != null) {
                    int tid = (int) call(errno, SYS_GETTID, 0, 0, 0, 0);
                    MemorySegment filter = arena.allocate(Bpf.SOCK_FILTER, program.size());
                    Bpf.write(program.stream().map(i -> {
                        int[] copy = i.clone();
                        if (copy[3] == 0x7FFF_FFFE && copy[0] == 0x15) { // JEQ with SeccompFilter.SUPERVISOR_THREAD
                            copy[3] = tid;
                        }
                        return copy;
                    }).toList(), filter);
                    MemorySegment fprog = arena.allocate(SeccompFilter.SOCK_FPROG);
                    fprog.set(JAVA_SHORT, SeccompFilter.SOCK_FPROG.byteOffset(groupElement("len")), (short) program.size());
                    fprog.set(ADDRESS, SeccompFilter.SOCK_FPROG.byteOffset(groupElement("filter")), filter);
                    long t0 = System.nanoTime();
                    long rc = call(errno, SYS_PRCTL, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address(), 0);
                    installNanos = System.nanoTime() - t0;
                    check(rc, "prctl(PR_SET_SECCOMP)");
                }
                if (calls == 0) {
                    result[0] = installNanos / 1e3;
                    return;
                }
                MemorySegment old = arena.allocate(16);
                long a = nr == SYS_ACCEPT4 ? -1 : 0;
                long b = nr == SYS_PRLIMIT64 ? RLIMIT_NOFILE : 0;
                long d = nr == SYS_PRLIMIT64 ? old.address() : 0;
                for (int i = 0; i < 1000; i++) {
                    call(errno, nr, a, b, 0, d);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    call(errno, nr, a, b, 0, d);
                }
                result[0] = (System.nanoTime() - t0) / (double) calls;
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.join();
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return result[0];
    }

    static long call(MemorySegment errno, long nr, long a, long b, long c, long d) {
        try {
            long rc = (long) SYSCALL.invokeExact(errno, nr, a, b, c, d, 0L); // prctl wants its unused arguments 0
            return rc == -1 ? -(int) ERRNO_VALUE.get(errno, 0L) : rc;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void check(long rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException(what + ": errno " + -rc);
        }
    }

    static double median(double[] values) {
        return percentile(values, 50);
    }

    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
