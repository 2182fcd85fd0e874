package dev.awssandbox.core.testing;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.seccomp.Bpf;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM that asks the kernel what the production filter decides for every system call number,
 * without making any of the calls: on a fresh thread it installs first a "base" filter that fails
 * every call with errno {@link #BASE_ERRNO} (but the few this thread needs to run Java:
 * {@link #needed}), then the filter under test ({@code SeccompFilter.forThisArch}, the spawning
 * threads' path, with the thread id patched in). Of two filters that both return
 * {@code SECCOMP_RET_ERRNO} the kernel takes the data of the later one, and {@code ERRNO} wins
 * over {@code ALLOW}: so a call the filter refuses fails with the filter's errno (or returns 0:
 * the metadata rules' "errno 0"), and a call it allows fails with {@link #BASE_ERRNO}, unmade.
 * Calls the filter would kill (x32 numbers) are not asked.
 *
 * <p>Argument: the highest number to ask. Prints {@code pid PID}, then
 * {@code SET NR VECTOR RESULT} ({@code e<errno>} or {@code r<result>}) for each option set
 * (and {@code base}, the control: the base filter alone) and each argument vector, then
 * {@code end}.
 */
public final class SeccompSweepMain {
    public static final int BASE_ERRNO = 999;
    /** The argument vectors asked: all zero, all ones, and (1, 1, 0, …): AF_UNIX, SOCK_STREAM. */
    public static final List<long[]> VECTORS = List.of(new long[6], new long[] {-1, -1, -1, -1, -1, -1},
            new long[] {1, 1, 0, 0, 0, 0});
    private static final long SKIPPED = Long.MIN_VALUE;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_ERRNO = 0x00050000;
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(groupElement("errno"));
    private static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private SeccompSweepMain() {}

    /**
     * The calls a Java thread may make while it runs the sweep (memory, futexes, signals, time,
     * the installation itself), and those no filter sees: the base filter allows them and they are
     * not asked.
     */
    public static Set<Integer> needed(Arch arch) {
        return arch == Arch.X86_64
                // mmap mprotect munmap brk rt_sigaction rt_sigprocmask rt_sigreturn mremap sched_yield madvise
                // nanosleep getpid exit gettimeofday getrusage sigaltstack prctl gettid futex sched_getaffinity
                // restart_syscall clock_gettime clock_getres clock_nanosleep exit_group getcpu membarrier rseq,
                // and pread64 (the JVM reads a class from its modules image if it still needs one); and
                // uretprobe and uprobe (335, 336), which the kernel passes through every seccomp filter and
                // answers with SIGILL outside a probe's trampoline
                ? Set.of(9, 10, 11, 12, 13, 14, 15, 25, 24, 28, 35, 39, 60, 96, 98, 131, 157, 186, 202, 204,
                        219, 228, 229, 230, 231, 309, 324, 334, 17, 335, 336)
                // the same calls in asm-generic numbering
                : Set.of(222, 226, 215, 214, 134, 135, 139, 216, 124, 233, 101, 172, 93, 169, 165, 132, 167,
                        178, 98, 123, 128, 113, 114, 115, 94, 168, 283, 293, 67);
    }

    public static void main(String[] args) throws Throwable {
        int highest = Integer.parseInt(args[0]);
        long self = ProcessHandle.current().pid();
        System.out.println("pid " + self);
        Map<String, SeccompFilter.Options> sets = new LinkedHashMap<>();
        sets.put("base", null);
        sets.put("landlock-online", SeccompFilter.Options.landlock(false, self));
        sets.put("landlock-offline", SeccompFilter.Options.landlock(true, self));
        sets.put("bubblewrap-online", SeccompFilter.Options.bubblewrap(false));
        sets.put("bubblewrap-offline", SeccompFilter.Options.bubblewrap(true));
        boolean[] needed = new boolean[Math.max(highest, 512) + 1];
        needed(Libc.arch()).forEach(nr -> needed[nr] = true);
        // Everything the sweeping thread runs is loaded and linked here first: once the base filter is
        // in place, loading a class (open, read) would fail
        // (compiled too: the JIT's later steps load classes), with getpid and close(-1), harmless whatever
        // their arguments
        int getpid = Libc.arch() == Arch.X86_64 ? 39 : 172;
        int close = Libc.arch() == Arch.X86_64 ? 3 : 57;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO);
            baseFilter(arena, needed);
            for (int i = 0; i < 20_000; i++) {
                long pid = ask(errno, getpid, VECTORS.get(i % VECTORS.size()));
                long badf = ask(errno, close, new long[] {-1, 0, 0, 0, 0, 0});
                if (pid != self || badf != -9) {
                    throw new IllegalStateException("getpid " + pid + ", close(-1) " + badf);
                }
            }
            if (Libc.setNoNewPrivs() != 0) {
                throw new IllegalStateException("no_new_privs");
            }
        }
        sets.values().stream().filter(o -> o != null).forEach(SeccompFilter::forThisArch);
        new CountDownLatch(1).countDown();
        for (Map.Entry<String, SeccompFilter.Options> set : sets.entrySet()) {
            long[][] results = new long[highest + 1][VECTORS.size()];
            String[] failure = new String[1];
            CountDownLatch done = new CountDownLatch(1);
            // the thread never ends: ending would need calls the base filter fails
            Thread sweeper = Thread.ofPlatform().daemon().start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment errno = arena.allocate(ERRNO);
                    MemorySegment base = baseFilter(arena, needed);
                    int rc = Libc.setNoNewPrivs();
                    if (rc == 0) {
                        rc = Libc.prctl(22 /* PR_SET_SECCOMP */, 2 /* SECCOMP_MODE_FILTER */, base.address());
                    }
                    if (rc == 0 && set.getValue() != null) {
                        rc = SeccompFilter.forThisArch(set.getValue()).installOnCurrentThread();
                    }
                    if (rc != 0) {
                        failure[0] = "installation failed: errno " + rc;
                    } else {
                        for (int nr = 0; nr <= highest; nr++) {
                            for (int v = 0; v < VECTORS.size(); v++) {
                                results[nr][v] = needed[nr] ? SKIPPED : ask(errno, nr, VECTORS.get(v));
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure[0] = t.toString();
                }
                done.countDown();
                while (true) {
                    LockSupport.park();
                }
            });
            done.await();
            if (failure[0] != null) {
                System.out.println("failed " + set.getKey() + " " + failure[0]);
                continue;
            }
            for (int nr = 0; nr <= highest; nr++) {
                for (int v = 0; v < VECTORS.size(); v++) {
                    long r = results[nr][v];
                    if (r != SKIPPED) {
                        System.out.println(set.getKey() + " " + nr + " " + v + " " + (r < 0 ? "e" + -r : "r" + r));
                    }
                }
            }
            System.out.flush();
        }
        System.out.println("end");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** System call {@code nr} with {@code a}: its result, or minus its errno. */
    private static long ask(MemorySegment errno, int nr, long[] a) throws Throwable {
        long result = (long) SYSCALL.invokeExact(errno, (long) nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        return result == -1 ? -(int) ERRNO_VALUE.get(errno, 0L) : result;
    }

    /** The base filter as a {@code struct sock_fprog}: errno {@link #BASE_ERRNO} for every call but {@code needed}. */
    private static MemorySegment baseFilter(Arena arena, boolean[] needed) {
        Bpf bpf = new Bpf().load(0);
        for (int nr = 0; nr < needed.length; nr++) {
            if (needed[nr]) {
                bpf.jeq(nr, "allow", null);
            }
        }
        List<int[]> program = bpf.ret(RET_ERRNO | BASE_ERRNO).label("allow").ret(RET_ALLOW).build();
        MemorySegment filter = arena.allocate(Bpf.SOCK_FILTER, program.size());
        Bpf.write(program, filter);
        MemorySegment fprog = arena.allocate(SeccompFilter.SOCK_FPROG);
        fprog.set(JAVA_SHORT, SeccompFilter.SOCK_FPROG.byteOffset(groupElement("len")), (short) program.size());
        fprog.set(ADDRESS, SeccompFilter.SOCK_FPROG.byteOffset(groupElement("filter")), filter);
        return fprog;
    }
}
