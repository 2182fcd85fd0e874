package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.backend.LandlockBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM that is pid 1 of its pid namespace ({@code unshare --pid --fork --mount-proc}) and the
 * child subreaper, as the MCP server is as a container's entry point. Arguments: the backend
 * ({@code LANDLOCK}, {@code BUBBLEWRAP}, or {@code NONE}: unsandboxed), Landlock's ABI cap (0: none;
 * 5: without the commands' Landlock domain), a writable directory, the marker that the test's
 * foreign process carries in its argv, and optionally {@code cgroup} (the default limits: a cgroup
 * per command where the host allows it; without it, no limits and no cgroup).
 *
 * <p>It runs one command (so that everything is set up), prints {@code ready} and waits for a line
 * on stdin: meanwhile the test starts the foreign process in this namespace from outside
 * ({@code nsenter}, as {@code docker exec} does), which is orphaned and re-parented to this JVM,
 * pid 1. Then it runs a command whose processes escape (a {@code setsid} daemon and a double
 * fork),
 * and prints what became of each; then it kills the foreign process, runs one more command, and
 * prints whether the foreign process's zombie was reaped.
 */
public final class PidOneSweepMain {
    private PidOneSweepMain() {}

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        int abiCap = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        String foreignMarker = args[3];
        String escapeMarker = "4242." + Math.floorMod(System.nanoTime(), 1_000_000) + "1"; // sleep's argument: seconds
        System.out.println("pid " + ProcessHandle.current().pid());
        Sandbox.enableSubreaper(); // as the CLI and the MCP server do

        HostEnvironment host = HostEnvironment.current();
        // no limits, so no cgroup (as for a user without a delegated cgroup): a command's cgroup holds
        // its escapees and kills them when it ends, and only the orphan sweep is under test; with
        // "cgroup", the default limits, which give each command one where the host allows it
        boolean cgroup = args.length > 4 && args[4].equals("cgroup");
        SandboxPolicy policy = SandboxPolicy.builder(host).addWritePath(dir.toString())
                .limits(cgroup ? SandboxPolicy.Limits.DEFAULT : SandboxPolicy.Limits.NONE).build();
        Sandbox.Builder builder = Sandbox.builder().host(host).policy(policy);
        Sandbox sandbox = switch (backend) {
            case "NONE" -> builder.mode(Sandbox.Mode.DISABLED).build();
            case "LANDLOCK" -> abiCap > 0
                    ? TestBackends.only(builder.mode(Sandbox.Mode.AUTO), BackendKind.LANDLOCK, new LandlockBackend(abiCap)).build()
                    : builder.mode(Sandbox.Mode.REQUIRED).backend(BackendKind.LANDLOCK).build();
            default -> builder.mode(Sandbox.Mode.REQUIRED).backend(BackendKind.valueOf(backend)).build();
        };
        System.out.println("warm-up: " + run(sandbox, "true").status());
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        in.readLine();

        List<Integer> foreign = withMarker("sleep " + foreignMarker); // not this JVM, whose argv holds the marker too
        System.out.println("foreign processes: " + foreign.size());
        int foreignPid = foreign.isEmpty() ? -1 : foreign.getFirst();
        System.out.println("foreign parent: " + parent(foreignPid));

        String d = dir.toString();
        // each escapee carries the marker in its argv from its start ($0 of its shell) to its end (sleep's argument)
        String escapee = "sh -c 'touch " + d + "/$1; exec sleep " + escapeMarker + "' sleep-" + escapeMarker;
        ExecResult escaping = run(sandbox, "setsid " + escapee + " setsid > /dev/null 2>&1 &\n"
                + "(setsid " + escapee + " forked > /dev/null 2>&1 &) &\n"
                + "n=0; while { [ ! -e " + d + "/setsid ] || [ ! -e " + d + "/forked ]; } && [ $n -lt 400 ]; do"
                + " sleep 0.05; n=$((n+1)); done\n");
        System.out.println("escaping command: " + escaping.status());
        System.out.println("escaped while it ran: " + (Files.exists(dir.resolve("setsid")) && Files.exists(dir.resolve("forked"))));
        // the sweep ran before run() returned; a kill is delivered at once, the exit takes a moment
        List<Integer> escaped = withMarker(escapeMarker);
        for (int i = 0; i < 100 && !escaped.isEmpty(); i++) {
            Thread.sleep(50);
            escaped = withMarker(escapeMarker);
        }
        System.out.println("escaped left: " + escaped.size());
        System.out.println("foreign alive: " + (foreignPid > 0 && alive(foreignPid)));

        if (foreignPid > 0) {
            ProcessHandle.of(foreignPid).ifPresent(ProcessHandle::destroyForcibly);
            for (int i = 0; i < 100 && !state(foreignPid).equals("Z"); i++) {
                Thread.sleep(20);
            }
            System.out.println("foreign after its kill: " + state(foreignPid));
            run(sandbox, "true"); // its sweep reaps the zombie: pid 1 must
            System.out.println("foreign after the next command: " + (Files.exists(Path.of("/proc/" + foreignPid))
                    ? state(foreignPid) : "reaped"));
        }
    }

    private static ExecResult run(Sandbox sandbox, String script) throws Exception {
        return sandbox.run(Command.builder(List.of("sh", "-c", script)).timeout(Duration.ofSeconds(30)).build());
    }

    /** The live processes of this namespace whose argv holds {@code marker}. */
    private static List<Integer> withMarker(String marker) throws IOException {
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String argv = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (argv.contains(marker) && !state(Integer.parseInt(proc.getFileName().toString())).equals("Z")) {
                        found.add(Integer.parseInt(proc.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    private static boolean alive(int pid) {
        String s = state(pid);
        return !s.isEmpty() && !s.equals("Z");
    }

    /** The state letter of /proc/PID/stat, or "" when there is no such process. */
    private static String state(int pid) {
        String[] f = stat(pid);
        return f == null ? "" : f[0];
    }

    private static String parent(int pid) {
        String[] f = stat(pid);
        return f == null ? "none" : f[1];
    }

    /** The fields after "pid (comm) ". */
    private static String[] stat(int pid) {
        try {
            String text = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return text.substring(text.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
