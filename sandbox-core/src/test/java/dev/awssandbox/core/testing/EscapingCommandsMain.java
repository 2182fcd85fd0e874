package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.linux.Cgroups;
import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that a test kills with SIGKILL, run as an unprivileged user: it starts one sandboxed
 * command on backend {@code args[0]} (Landlock capped at ABI {@code args[1]} when that is not 0:
 * the negative control, without the commands' Landlock domain) whose processes try every way to
 * outlive it, all of them writing into directory {@code args[2]}, and the marker {@code args[3]}
 * in their argv:
 * <ul>
 *   <li>{@code setsid}: a new session ({@code sleep 300.<marker>1});</li>
 *   <li>a double fork: a subshell starts a new session and exits, orphaning it ({@code …2});</li>
 *   <li>dormant: a new session that ignores the usual signals and waits for the file {@code go},
 *       which the test creates once the JVM is dead, then writes {@code woke};</li>
 *   <li>a fork chain (only with {@code args[4]} = {@code chain}): a process that forks and exits
 *       in a loop, too fast to be seen in /proc, counting its links in {@code heartbeat}; it ends
 *       by itself after 30 seconds, whatever happens.</li>
 * </ul>
 * As the unsandboxed control it also starts {@code sleep 300.<marker>9} with
 * {@link ProcessBuilder}, then prints {@code started} and the cgroup layout, and waits.
 */
public final class EscapingCommandsMain {
    private EscapingCommandsMain() {}

    public static void main(String[] args) throws Exception {
        BackendKind backend = BackendKind.valueOf(args[0]);
        int abiCap = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        String marker = args[3];
        boolean chain = args.length > 4 && args[4].equals("chain");
        Sandbox.enableSubreaper(); // as the CLI does: orphans come back to the JVM while it lives

        HostEnvironment host = HostEnvironment.current();
        SandboxPolicy policy = SandboxPolicy.builder(host).addWritePath(dir.toString()).build();
        Sandbox.Builder builder = Sandbox.builder().host(host).policy(policy);
        Sandbox sandbox = abiCap > 0
                ? TestBackends.only(builder.mode(Sandbox.Mode.AUTO), BackendKind.LANDLOCK, new LandlockBackend(abiCap)).build()
                : builder.mode(Sandbox.Mode.REQUIRED).backend(backend).build();

        String d = dir.toString();
        String script = "setsid sleep 300." + marker + "1 &\n"
                + "(setsid sleep 300." + marker + "2 &) &\n"
                + "setsid sh -c 'trap \"\" HUP INT QUIT TERM; while [ ! -e " + d + "/go ]; do sleep 0.1; done;"
                + " echo woke > " + d + "/woke' dormant-" + marker + " &\n"
                + (chain ? "setsid /usr/bin/python3 -c '" + CHAIN + "' " + d + "/heartbeat chain-" + marker + " &\n" : "")
                + "exec sleep 300." + marker + "3\n";
        // in the JVM's session: the orphan sweep (the JVM is the subreaper) spares it, the watchdog knows nothing of it
        new ProcessBuilder("sleep", "300." + marker + "9").start();
        sandbox.runAsync(Command.builder(List.of("sh", "-c", script)).build());
        System.out.println("started; cgroups: " + (Cgroups.layout() instanceof Cgroups.Layout.Available a
                ? "available (" + a.description() + ")" : "unavailable"));
        Thread.sleep(600_000);
    }

    /** Forks and exits in a loop for at most 30 s; every 100 links writes the count to argv[1]. */
    private static final String CHAIN = """
            import os, sys, time
            deadline = time.time() + 30
            n = 0
            while time.time() < deadline:
                if os.fork():
                    os._exit(0)
                n += 1
                if n % 100 == 0:
                    with open(sys.argv[1], "w") as f:
                        f.write(str(n))
            """;
}
