package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The packaged jar, run as the unprivileged user {@code nobody} (Landlock needs no privilege):
 * a world-readable bait file outside the policy is readable to nobody without the sandbox and
 * denied with it. Runs after {@code package}, as root (to switch users with runuser).
 */
// runs processes as nobody: not beside another class that does (UnprivilegedUserIT counts nobody's processes,
// and RLIMIT_NPROC counts them per user)
@ResourceLock("the user nobody")
class UnprivilegedUserIT {
    private Path dir;
    private Path jar;
    private Path bait;

    @BeforeEach
    void setUp() throws IOException {
        Requirements.requireLandlock();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || Requirements.which("runuser").isEmpty()) {
            System.err.println("SKIPPED: needs root and runuser to run as nobody");
        }
        assumeTrue(root && Requirements.which("runuser").isPresent(), "needs root and runuser to run as nobody");
        dir = Files.createTempDirectory(Path.of("/var/tmp"), "aws-sandbox-nobody-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The jar's directory is the installation (read-only, outside the sandbox): keep it
        // apart from the working directory and the bait, as a real installation is.
        Path install = Files.createDirectories(dir.resolve("install"));
        Files.setPosixFilePermissions(install, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.copy(Path.of("target/aws-sandbox.jar"), install.resolve("aws-sandbox.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path baitDir = Files.createDirectories(dir.resolve("outside"));
        Files.setPosixFilePermissions(baitDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        bait = Files.writeString(baitDir.resolve("bait.txt"), "nobody bait");
        Files.setPosixFilePermissions(bait, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private record Outcome(int code, String out) {}

    private Outcome asNobody(String... args) throws Exception {
        return asNobodyWithHome(Path.of("/nonexistent"), args);
    }

    private Outcome asNobodyWithHome(Path home, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "nobody", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        argv.addAll(List.of(args));
        // the working directory is writable by default, so it must not contain the bait
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out);
    }

    @Test
    void nobodyIsSandboxedToo() throws Exception {
        Outcome control = asNobody("run", "--mode", "disabled", "--", "cat", bait.toString());
        assertThat(control.out()).contains("nobody bait");
        assertThat(control.code()).isZero();

        Outcome denied = asNobody("run", "--mode", "required", "--", "cat", bait.toString());
        assertThat(denied.code()).as(denied.out()).isEqualTo(1);
        assertThat(denied.out()).contains("Permission denied").doesNotContain("nobody bait");

        Outcome id = asNobody("run", "--mode", "required", "--", "id", "-un");
        assertThat(id.out()).isEqualTo("nobody\n");
    }

    /**
     * Red team, round 7: the planted-link rule judged directories by where they lie, so a directory
     * nobody owns under /var (a service's home, /run/user/UID) counted as a system directory: one
     * command planted a link there with --rw, and a later --ro (or AWS_CONFIG_FILE) followed it to
     * ~/.ssh. A directory someone other than root can write is judged plantable wherever it lies.
     */
    @Test
    void aLinkPlantedInADirectoryNobodyOwnsUnderVarIsRefused() throws Exception {
        Path service = Files.createTempDirectory(Path.of("/var/lib"), "aws-sandbox-nobody-home-");
        try {
            Path ssh = Files.createDirectories(service.resolve(".ssh"));
            Path key = Files.writeString(ssh.resolve("id_rsa"), "NOBODY-SERVICE-KEY");
            Path job = Files.createDirectories(service.resolve("workspace/job"));
            for (Path p : List.of(service, ssh, key, service.resolve("workspace"), job)) {
                Files.setAttribute(p, "unix:uid", 65534);
            }
            Files.setPosixFilePermissions(service, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path link = job.resolve("keys");

            Outcome planted = asNobodyWithHome(service, "run", "--mode", "required", "--rw", job.toString(), "--",
                    "ln", "-s", ssh.toString(), link.toString());
            assertThat(planted.code()).as(planted.out()).isZero();
            // the control: the link leads to the key, which nobody reads without the sandbox
            Outcome control = asNobodyWithHome(service, "run", "--mode", "disabled", "--", "cat", link + "/id_rsa");
            assertThat(control.out()).contains("NOBODY-SERVICE-KEY");

            Outcome ro = asNobodyWithHome(service, "run", "--mode", "required", "--ro", link + "/id_rsa", "--",
                    "cat", link + "/id_rsa");
            assertThat(ro.code()).as(ro.out()).isEqualTo(ExitCodes.USAGE);
            assertThat(ro.out()).contains("could have planted it").doesNotContain("NOBODY-SERVICE-KEY");
        } finally {
            try (Stream<Path> paths = Files.walk(service)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void doctorPassesAsNobody() throws Exception {
        Outcome doctor = asNobody("doctor");

        assertThat(doctor.out()).contains("selected:  landlock")
                .contains("ok    read of a bait file outside the policy is denied")
                .contains("ok    write of a file outside the policy is denied");
        // doctor fails when the AWS CLI cannot run (issue 12, item 5); nobody's PATH holds none here
        // when it is installed for root only (under pyenv), and then that is the one failed check
        if (Stream.of("/usr/local/bin/aws", "/usr/bin/aws", "/bin/aws").anyMatch(p -> Files.isExecutable(Path.of(p)))) {
            assertThat(doctor.code()).as(doctor.out()).isZero();
            assertThat(doctor.out()).contains("all checks passed");
        } else {
            assertThat(doctor.code()).as(doctor.out()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(doctor.out()).contains("FAIL  aws --version: the AWS CLI ('aws') is not on PATH")
                    .contains("1 check(s) failed");
        }
        // what holds for nobody here, in doctor's words (JvmDeathTest and the memory test below prove them):
        // no cgroup, so the memory bound is per process; the commands' Landlock domain outlives no process
        assertThat(doctor.out()).contains("enforcement (partial)")
                .contains("gaps:              memory: a command's total memory is not bounded here")
                .contains("commands die with the JVM, SIGKILL included, with every process they started")
                .doesNotContain("outlives a JVM killed with SIGKILL");
    }

    /**
     * Finding D of the red team, stated rather than fixed (no unprivileged mechanism bounds it; see
     * DESIGN.md): without a memory cgroup {@code --max-memory} is RLIMIT_DATA, which bounds a
     * process's heap (the private allocation fails) but not a shared mapping (touching twice the
     * limit of it succeeds), as the help, doctor and README say.
     */
    @Test
    void withoutAMemoryCgroupTheMemoryLimitBoundsPrivateMemoryOnly() throws Exception {
        String allocate = "import mmap, sys\nn = 512 << 20\n"
                + "if sys.argv[1] == 'shared':\n    m = mmap.mmap(-1, n)\n    for i in range(0, n, 4096): m[i] = 1\n"
                + "else:\n    b = bytearray(n)\nprint(sys.argv[1], 'touched', n >> 20, 'MiB')";

        Outcome priv = asNobody("run", "--max-memory", "256M", "--", "python3", "-c", allocate, "private");
        Outcome shared = asNobody("run", "--max-memory", "256M", "--", "python3", "-c", allocate, "shared");

        assertThat(priv.code()).as(priv.out()).isNotZero();
        assertThat(priv.out()).contains("MemoryError");
        assertThat(shared.code()).as(shared.out()).isZero();
        assertThat(shared.out()).contains("shared touched 512 MiB");
    }

    /** The pids of nobody's processes: other sessions on a shared machine may run some too, so tests compare sets. */
    private static java.util.Set<String> nobodyProcesses() throws Exception {
        java.util.Set<String> pids = new java.util.HashSet<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try (var lines = Files.lines(proc.resolve("status"))) {
                    if (lines.anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("65534"))) {
                        pids.add(proc.getFileName().toString());
                    }
                } catch (Exception e) {
                    // gone meanwhile
                }
            }
        }
        return pids;
    }

    /** Those of {@code now} that were not there {@code before}. */
    private static long newSince(java.util.Set<String> before, java.util.Set<String> now) {
        return now.stream().filter(pid -> !before.contains(pid)).count();
    }

    /**
     * Without a pids cgroup, --max-processes N is N tasks more than the user runs when the command
     * starts, the JVM's own threads counted (red team, round 15: with processes counted only, the
     * JVM's ~17 threads left a --max-processes 4 command no fork at all). Threads the JVM starts
     * while the command runs count against it too (stated), hence the margin here.
     */
    @Test
    void theProcessLimitIsThatManyMoreForNobody() throws Exception {
        String forks = "for i in $(seq %d); do sleep 1 & done; wait && echo forked";
        Outcome within = asNobody("run", "--max-processes", "20", "--", "sh", "-c", forks.formatted(4));
        assertThat(within.out()).as("4 forks and the shell under a limit of 20").contains("forked");

        Outcome past = asNobody("run", "--max-processes", "20", "--", "sh", "-c", forks.formatted(40));
        assertThat(past.out()).as("40 forks under a limit of 20").doesNotContain("forked");
    }

    @Test
    void aForkBombIsContainedByTheProcessLimit() throws Exception {
        java.util.Set<String> before = nobodyProcesses();
        // the command's own shell stays (sleep 8) so that the bomb has time to reach the limit before the
        // command ends and its process group is killed, also on a loaded machine (the CI of 2026-12-08 saw no
        // "retry" at all after a sleep of 3 s, its cause unknown: the assertions below now print the peak);
        // it may also still be retrying at the timeout (124)
        java.util.concurrent.CompletableFuture<Outcome> bomb = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                bomb.complete(asNobody("run", "--max-processes", "128", "--timeout", "10s", "--",
                        "bash", "-c", ":(){ :|:& };:; sleep 8"));
            } catch (Throwable e) {
                bomb.completeExceptionally(e);
            }
        });
        long peak = 0;
        while (!bomb.isDone()) {
            peak = Math.max(peak, newSince(before, nobodyProcesses()));
            Thread.sleep(100);
        }
        Outcome outcome = bomb.join();
        String seen = "peak new processes of nobody " + peak + ", exit " + outcome.code();
        assertThat(outcome.code()).as(seen + ": " + outcome.out()).isIn(0, ExitCodes.TIMED_OUT);
        assertThat(outcome.out()).as(seen).contains("fork: retry: Resource temporarily unavailable"); // the limit bit
        // RLIMIT_NPROC counts every task of the user: the launcher JVM's threads count too
        assertThat(peak).as("peak new processes of nobody").isLessThanOrEqualTo(128 + 4);
        for (int i = 0; i < 50 && newSince(before, nobodyProcesses()) > 0; i++) {
            Thread.sleep(100);
        }
        assertThat(newSince(before, nobodyProcesses())).as("nothing of the bomb is left").isZero();
        assertThat(asNobody("run", "--", "true").code()).isZero(); // and the host still spawns
    }

    /**
     * bubblewrap's read-only /proc (--remount-ro, /dev/null over root-only files) needs no privilege:
     * it starts for nobody, whose write to a sysctl then fails on the read-only mount (EROFS) rather
     * than on permissions (EACCES, what nobody gets outside).
     */
    @Test
    void bubblewrapStartsWithAReadOnlyProcAsNobody() throws Exception {
        String writeBack = "v=$(cat /proc/sys/kernel/core_pattern); echo \"read:$v\";"
                + " printf '%s\\n' \"$v\" > /proc/sys/kernel/core_pattern && echo WROTE";
        Outcome inside = asNobody("run", "--backend", "bubblewrap", "--", "sh", "-c", writeBack);
        if (inside.code() == ExitCodes.SANDBOX_FAILURE && inside.out().contains("unavailable")) {
            System.err.println("SKIPPED: bubblewrap cannot start for nobody here: " + inside.out());
            assumeTrue(false, "bubblewrap unavailable for nobody");
        }

        assertThat(inside.out()).contains("read:").contains("Read-only file system").doesNotContain("WROTE");
        Outcome outside = asNobody("run", "--mode", "disabled", "--", "sh", "-c", writeBack);
        assertThat(outside.out()).contains("Permission denied").doesNotContain("WROTE");
    }

    /**
     * Network mode hosts as nobody, on both backends (bubblewrap: socat in the outer sandbox, user
     * namespaces nested): through the proxy an allowed local server answers, a refused one never
     * sees the request, and a direct connection to the allowed one is refused; unsandboxed the same
     * direct connection works (the control).
     */
    @Test
    void modeHostsHoldsForNobodyOnBothBackends() throws Exception {
        Requirements.requireProgram("curl");
        try (java.net.ServerSocket http = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!http.isClosed()) {
                    try (java.net.Socket s = http.accept()) {
                        s.getInputStream().read(new byte[4096]);
                        served.incrementAndGet();
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String port = Integer.toString(http.getLocalPort());
            String url = "http://127.0.0.1:" + port + "/";
            String direct = "exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected";
            for (String backend : List.of("landlock", "bubblewrap")) {
                Outcome allowed = asNobody("run", "--mode", "required", "--backend", backend, "--allow-host",
                        "127.0.0.1:" + port, "--", "curl", "-sS", url);
                assertThat(allowed.out()).as(backend).contains("hello");

                int before = served.get();
                Outcome refused = asNobody("run", "--mode", "required", "--backend", backend, "--allow-host",
                        "*.amazonaws.com", "--", "curl", "-fsS", url);
                assertThat(refused.code()).as(backend).isNotZero();
                // this host's own address is never suggested (red team, round 18)
                assertThat(refused.out()).doesNotContain("allow it with --allow-host 127.0.0.1:" + port);

                Outcome bypass = asNobody("run", "--mode", "required", "--backend", backend, "--allow-host",
                        "127.0.0.1:" + port, "--", "bash", "-c", direct);
                assertThat(bypass.out()).as(backend).doesNotContain("connected");
                assertThat(served.get()).as(backend + ": neither reached the server").isEqualTo(before);
            }
            Outcome control = asNobody("run", "--mode", "disabled", "--", "bash", "-c", direct);
            assertThat(control.out()).contains("connected");
        }
    }
}
