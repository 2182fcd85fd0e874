package dev.awssandbox.core.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.seccomp.Bpf;
import dev.awssandbox.core.seccomp.Syscall;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JVM in which one system call fails, by a seccomp filter on one thread and the threads it
 * creates: a real kernel fault at exactly that step, as a full descriptor table or a kernel bug
 * would cause it. Arguments: backend, the call ({@code pidfd_open}, {@code memfd_create},
 * {@code waitid} or {@code none}, the control), the errno name it fails with, then the pipeline to run.
 *
 * <ul>
 *   <li>{@code pidfd_open}: the engine's threads are started first, unfiltered (a run of
 *       {@code true}); then the filtered thread runs the pipeline, so only its own
 *       {@code pidfd_open} (watching the new child) fails.</li>
 *   <li>{@code waitid}: the filtered thread is the first to use the engine, so the reaper thread
 *       it creates inherits the filter: no child's exit can be collected.</li>
 * </ul>
 * Prints {@code outcome failed KIND message}, {@code outcome ran STATUS} or
 * {@code outcome unchecked EXCEPTION}, then {@code child PID STATE NAME} for each child of this
 * JVM that was not there before the run (helpers started by the engine included, named), and
 * {@code end}.
 */
public final class SyscallFaultMain {
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_ERRNO = 0x00050000;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;

    private SyscallFaultMain() {}

    public static void main(String[] args) throws Exception {
        BackendKind backend = BackendKind.valueOf(args[0]);
        String call = args[1];
        int errno = errnoNamed(args[2]);
        String pipeline = args[3];
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = Sandbox.builder().host(host).policy(SandboxPolicy.defaults(host))
                .mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        if (!call.equals("waitid")) {
            ExecResult warm = sandbox.run("true");
            System.out.println("warm-up " + (warm.isSuccess() ? "ok" : warm.failureSummary()));
        }
        List<String> before = children();

        AtomicReference<String> outcome = new AtomicReference<>("nothing");
        Thread faulty = Thread.ofPlatform().name("syscall-fault").start(() -> {
            if (!call.equals("none")) {
                int failed = failOnThisThread(switch (call) {
                    case "pidfd_open" -> Syscall.PIDFD_OPEN.number(Libc.arch()).orElseThrow();
                    case "memfd_create" -> (int) dev.awssandbox.core.linux.SystemCall.MEMFD_CREATE.number(Libc.arch());
                    // <asm/unistd.h>: 247 on x86_64, 95 on aarch64 (asm-generic)
                    case "waitid" -> Libc.arch() == dev.awssandbox.core.linux.Arch.X86_64 ? 247 : 95;
                    default -> throw new IllegalArgumentException(call);
                }, errno);
                if (failed != 0) {
                    outcome.set("cannot install the filter: " + Errno.describe(failed));
                    return;
                }
            }
            try {
                ExecResult r = sandbox.run(Command.parse(pipeline));
                outcome.set("ran " + r.status());
            } catch (SandboxException e) {
                outcome.set("failed " + e.kind() + " " + e.getMessage());
            } catch (RuntimeException | Error e) {
                outcome.set("unchecked " + e);
            }
        });
        faulty.join();
        System.out.println("outcome " + outcome.get());
        Thread.sleep(300); // what was killed is gone by now; a zombie would still be here
        List<String> after = children();
        after.removeAll(before);
        for (String child : after) {
            System.out.println("child " + child);
        }
        System.out.println("end");
    }

    private static int errnoNamed(String name) {
        return switch (name) {
            case "EMFILE" -> Errno.EMFILE;
            case "EIO" -> Errno.EIO;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** System call {@code nr} fails with {@code errno} on the calling thread (and threads it creates) from now on. */
    private static int failOnThisThread(int nr, int errno) {
        List<int[]> program = new Bpf().load(0).jeq(nr, "fail", null).ret(RET_ALLOW)
                .label("fail").ret(RET_ERRNO | errno).build();
        int failed = Libc.setNoNewPrivs();
        if (failed != 0) {
            return failed;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment filter = arena.allocate(Bpf.SOCK_FILTER, program.size());
            Bpf.write(program, filter);
            MemorySegment fprog = arena.allocate(16, 8); // struct sock_fprog { u16 len; struct sock_filter *filter; }
            fprog.set(JAVA_SHORT, 0, (short) program.size());
            fprog.set(ADDRESS, 8, filter);
            return Libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address());
        }
    }

    /** This JVM's children as "pid state name". */
    private static List<String> children() throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> found = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == self) {
                        found.add(proc.getFileName() + " " + fields[0] + " "
                                + stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone
                }
            }
        }
        return found;
    }
}
