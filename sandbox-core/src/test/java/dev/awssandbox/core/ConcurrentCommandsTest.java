package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.process.Subreaper;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Correct under concurrency and faults (issue 14), on every backend: many commands at once with
 * the JVM as child subreaper (the orphan sweep once killed children that another thread had just
 * spawned), cancellation at every moment of a spawn (a cancelled spawn once ran anyway, unwatched,
 * with descriptors its caller had already closed), and commands that must not reach each other.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class ConcurrentCommandsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Sandbox sandbox;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        this.host = host;
        sandbox = Sandboxes.of(host, backend).sandboxed();
        Subreaper.set(true); // as the CLI and the MCP server run
    }

    @Test
    void aThousandCommandsSixteenAtATimeAllSucceedWithTheSubreaperOn() throws Exception {
        int n = 1000;
        List<Future<ExecResult>> results = new ArrayList<>(n);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < n; i++) {
                String word = "ok" + i;
                results.add(pool.submit(() -> sandbox.run(Command.builder(List.of("echo", word))
                        .timeout(Duration.ofSeconds(60)).build())));
            }
            for (int i = 0; i < n; i++) {
                ExecResult result = results.get(i).get(120, TimeUnit.SECONDS);
                assertThat(result.isSuccess()).as("command %d: %s", i, result).isTrue();
                assertThat(result.stdout().text()).isEqualTo("ok" + i + "\n");
            }
        }
        assertThat(zombieChildren()).as("zombies among the JVM's children").isEmpty();
    }

    @Test
    void cancellingAtAnyMomentLeavesNoProcessNoZombieAndNoForeignDescriptor() throws Exception {
        Path pids = Files.createDirectories(host.work().resolve("pids"));
        assertThat(Sandboxes.run(sandbox, "true").isSuccess()).isTrue(); // the backend is chosen and probed
        // /proc's start times are in clock ticks: a second's margin, and "true" above is reaped by now
        Instant stormStart = Instant.now().minusSeconds(1);
        Random random = new Random(42);
        List<CompletableFuture<ExecResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // records its pid and every descriptor above 2 it holds, then waits to be killed
            String script = "echo $$ > " + pids.resolve("p" + i) + "; fds=; for fd in 3 4 5 6 7 8 9 10 11 12 13 14 15 16"
                    + " 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32; do if { true >&$fd; } 2>/dev/null; then"
                    + " fds=\"$fds $fd\"; fi; done; echo \"fds:$fds\" > " + pids.resolve("f" + i) + "; exec sleep "
                    + MARKER + i;
            CompletableFuture<ExecResult> future = sandbox.runAsync(Command.builder(List.of("sh", "-c", script))
                    .timeout(Duration.ofSeconds(90)).build());
            futures.add(future);
            // before the spawn, during it, or once the command runs (bubblewrap takes longer to get there)
            switch (random.nextInt(4)) {
                case 0 -> { }
                case 1, 2 -> Thread.sleep(random.nextInt(backend == BackendKind.LANDLOCK ? 4 : 30));
                default -> Thread.sleep(20 + random.nextInt(backend == BackendKind.LANDLOCK ? 80 : 200));
            }
            future.cancel(true);
        }
        for (CompletableFuture<ExecResult> future : futures) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (CancellationException | ExecutionException e) {
                // expected: cancelled
            }
        }
        // A cancelled future completes at once; its run may still be spawning (a spawn in flight is not
        // interrupted: its child, a copy of this JVM until it execs, is killed once the spawn is over), then
        // killing and reaping what it spawned. So a child of the storm (one started since it began, or running
        // its marked script; a zombie too) is waited for until none has been seen for two seconds. The wait
        // once ended at a child that was still a copy of the JVM, taken for another test's JVM, and the
        // check after it met that child as bubblewrap a moment later, or as a zombie before its reaping.
        java.util.function.Predicate<ProcessHandle> fromTheStorm = child -> !isHelper(child) && child.isAlive()
                && (child.info().startInstant().map(t -> !t.isBefore(stormStart)).orElse(true)
                        || child.info().arguments().map(a -> String.join(" ", a).contains(MARKER)).orElse(false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long quietSince = System.nanoTime();
        List<String> left;
        while (true) {
            left = ProcessHandle.current().children().filter(fromTheStorm).map(c -> c.pid() + " " + c.info()).toList();
            long now = System.nanoTime();
            if (!left.isEmpty()) {
                quietSince = now;
            } else if (now - quietSince >= TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            if (now > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(left).as("children of the JVM from the storm, still there 60 s after it").isEmpty();
        // every command that got as far as recording its pid is gone (killed and reaped, not a zombie);
        // they are found by their marked sleep, since under bubblewrap $$ is a pid of another namespace
        int started;
        try (var files = Files.list(pids)) {
            started = (int) files.filter(f -> f.getFileName().toString().startsWith("p")).count();
        }
        for (int i = 0; i < 50 && !markedSleepers().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(markedSleepers()).as("commands still running after their runs were cancelled").isEmpty();
        assertThat(zombieChildren()).as("zombies among the JVM's children").isEmpty();
        // no command ever got a descriptor of the JVM's (bubblewrap consumes its descriptor 3, the seccomp filter)
        try (DirectoryStream<Path> files = Files.newDirectoryStream(pids, "f*")) {
            for (Path file : files) {
                assertThat(Files.readString(file)).as("descriptors of %s", file.getFileName()).isIn("fds:\n", "");
            }
        }
        System.err.println("cancel storm on " + backend + ": " + started + " of 200 commands had started");
    }

    @Test
    void concurrentCommandsCannotSignalEachOther() throws Exception {
        Requirements.requireLandlockAbi(backend, 6, "signal scoping needs Landlock ABI 6");
        Path pidFile = host.work().resolve("victim.pid");
        CompletableFuture<ExecResult> victim = sandbox.runAsync(Command.builder(List.of("sh", "-c",
                "echo $$ > " + pidFile + "; exec sleep " + VICTIM_SLEEP)).timeout(Duration.ofSeconds(60)).build());
        try {
            for (int i = 0; i < 200 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()); i++) {
                Thread.sleep(25);
            }
            // under bubblewrap the victim's pid is a host pid: another command's PID namespace has no such process
            // (the victim's sh writes its pid before it execs sleep: wait for the sleep)
            String victimPid = backend == BackendKind.LANDLOCK ? Files.readString(pidFile).strip()
                    : Long.toString(victimSleep().pid());
            ExecResult attack = sandbox.run(Command.builder(List.of("kill", "-TERM", victimPid))
                    .timeout(Duration.ofSeconds(30)).build());
            assertThat(attack.isSuccess()).as("%s", attack).isFalse();
            assertThat(victim.isDone()).as("the victim still runs").isFalse();

            // control: the same kill from outside the sandbox reaches it
            Process control = new ProcessBuilder("kill", "-TERM", victimPid).start();
            assertThat(control.waitFor()).isZero();
            ExecResult killed = victim.get(30, TimeUnit.SECONDS);
            assertThat(killed.status()).isInstanceOfAny(ExitStatus.Signaled.class, ExitStatus.Exited.class);
            assertThat(killed.isSuccess()).isFalse();
        } finally {
            victim.cancel(true);
        }
    }

    @Test
    void aWriterCutOffByItsReaderIsNotAFailure() {
        ExecResult result = Sandboxes.run(sandbox, "sh", "-c", "true"); // warm
        assertThat(result.isSuccess()).isTrue();
        try {
            ExecResult piped = sandbox.run(Command.parse("yes | head -1"));
            assertThat(piped.isSuccess()).as("%s", piped).isTrue();
            assertThat(piped.stdout().text()).isEqualTo("y\n");
            assertThat(piped.stages().getFirst().brokenPipe()).isTrue();
        } catch (SandboxException e) {
            throw new AssertionError(e);
        }
    }

    private static final String MARKER = "6543.";
    private static final String VICTIM_SLEEP = "29.7531"; // a number no other test sleeps

    /** The victim's {@code sleep}, a descendant of this JVM, waited for up to 5 s. */
    private static ProcessHandle victimSleep() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            var sleep = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false)
                            && p.info().arguments().map(a -> List.of(a).equals(List.of(VICTIM_SLEEP))).orElse(false))
                    .findFirst();
            if (sleep.isPresent()) {
                return sleep.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the victim's sleep did not start within 5 s");
    }

    /** The JVM's own helpers: the aws-sandbox watchdog and the commands' domain's killer. */
    private static boolean isHelper(ProcessHandle child) {
        if (dev.awssandbox.core.process.CommandDomain.state() instanceof dev.awssandbox.core.process.CommandDomain.State.Armed a
                && a.killerPid() == child.pid()) {
            return true;
        }
        return child.info().arguments().map(a -> List.of(a).contains("aws-sandbox-watchdog")).orElse(false);
    }

    /** Live processes running {@code sleep 6543.N} (zombies have no command line). */
    private static List<String> markedSleepers() throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.startsWith("sleep " + MARKER)) {
                        found.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return found;
    }

    /** Children of this JVM in state Z (read from /proc: ProcessHandle does not show zombies). */
    static List<String> zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<String> zombies = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                String stat;
                try {
                    stat = new String(Files.newInputStream(proc.resolve("stat")).readAllBytes());
                } catch (IOException e) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f[0].equals("Z") && Long.parseLong(f[1]) == self) {
                    zombies.add(stat.strip());
                }
            }
        }
        return zombies;
    }
}
