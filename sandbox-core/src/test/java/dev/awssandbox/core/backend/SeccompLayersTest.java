package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.landlock.FsAccess;
import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.landlock.NetAccess;
import dev.awssandbox.core.landlock.Scope;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnSpec;
import dev.awssandbox.core.seccomp.SeccompFilter;
import dev.awssandbox.core.testing.Backends;
import dev.awssandbox.core.testing.PythonProbes;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The controls that show each seccomp rule is what stops its attack, not another layer: the same
 * attempt is run twice in the same sandbox, once under the filter the backend installs and once
 * under the same filter with that rule's option off. Under Landlock the ruleset is built from the
 * plan exactly as {@link LandlockBackend} builds it, so the Landlock domain is the production
 * one; under bubblewrap the argv is the backend's own, only the filter on descriptor 3 differs.
 * (Unsandboxed controls are in {@code SeccompTest}.)
 */
@ExtendWith(TestHostExtension.class)
class SeccompLayersTest {
    /** The host's python3 past its pyenv shim ({@link Requirements#hostProgram}): a probe, not the shim's chain under test. */
    private static final String PYTHON = Requirements.hostProgram("python3");

    private static final int EPERM = 1;
    private static final int EROFS = 30;

    private TestHost host;
    private final List<LinuxRestriction> restrictions = new ArrayList<>();

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        Requirements.requireProgram("python3");
        this.host = host;
    }

    @AfterEach
    void tearDown() {
        for (LinuxRestriction r : restrictions) {
            r.close();
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private AccessPlan plan(SandboxPolicy policy, String... command) throws Exception {
        return AccessPlanner.plan(dev.awssandbox.core.TestBackends.rules(policy), dev.awssandbox.core.TestBackends.host(host.environment()), List.of(command), Optional.empty(),
                dev.awssandbox.core.access.WriteProtection.WITHHOLD);
    }

    /** The Landlock restriction of {@code plan}, as LandlockBackend builds it, with {@code filter}. */
    private LinuxRestriction landlock(AccessPlan plan, SeccompFilter.Options filter) throws Exception {
        LinuxRestriction restriction = new LinuxRestriction(ruleset(plan), SeccompFilter.forThisArch(filter),
                new LandlockBackend().abi() >= Scope.ABI);
        restrictions.add(restriction);
        return restriction;
    }

    /** The Landlock ruleset of {@code plan}, as LandlockBackend builds it. */
    private static LandlockRuleset ruleset(AccessPlan plan) throws Exception {
        int abi = new LandlockBackend().abi();
        boolean denyTcp = !plan.allowNetwork() && abi >= NetAccess.ABI;
        Set<Scope> scopes = abi >= Scope.ABI ? EnumSet.allOf(Scope.class) : EnumSet.noneOf(Scope.class);
        LandlockRuleset ruleset = LandlockRuleset.create(abi, FsAccess.knownBy(abi), denyTcp, scopes);
        ruleset.allowPath(dev.awssandbox.core.process.GateDirectory.path(), EnumSet.of(FsAccess.READ_FILE));
        for (PathGrant grant : plan.grants()) {
            ruleset.allowPath(grant.resolved(), grant.access() == PathGrant.Access.READ_WRITE ? FsAccess.READ_WRITE : FsAccess.READ);
        }
        return ruleset;
    }

    private static ExecResult run(SpawnSpec spec) {
        try {
            return dev.awssandbox.core.TestBackends.result(List.of(spec.argv()), PipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)),
                    dev.awssandbox.core.TestBackends.stdin(Command.Input.empty()), dev.awssandbox.core.TestBackends.target(Command.Output.capture(1 << 20)),
                    dev.awssandbox.core.TestBackends.target(Command.Output.capture(1 << 20)), Optional.of(Duration.ofSeconds(90))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecResult run(AccessPlan plan, dev.awssandbox.core.linux.ThreadRestriction restriction) {
        return run(new SpawnSpec(plan.executable(), plan.argv(), plan.environment(), plan.workingDirectory(),
                restriction, Optional.empty(), dev.awssandbox.core.process.Limits.NONE));
    }

    /**
     * The same restriction applied by spawning threads that live on: production spawns each command
     * from a thread that ends at once, which leaves the filter's supervisor rules only a short window
     * to guard; a thread that stays shows what they stop, and what Landlock alone would not.
     */
    private static dev.awssandbox.core.linux.ThreadRestriction longLived(LinuxRestriction restriction) {
        return new dev.awssandbox.core.linux.ThreadRestriction() {
            @Override
            public Optional<Failure> applyToCurrentThread() {
                return restriction.applyToCurrentThread();
            }

            @Override
            public String describe() {
                return restriction.describe();
            }

            @Override
            public Lifetime lifetime() {
                return Lifetime.FOREVER;
            }
        };
    }

    private static ExecResult runInBubblewrap(AccessPlan plan, SeccompFilter.Options filter) throws BackendException {
        BubblewrapBackend bwrap = new BubblewrapBackend();
        try (Launch launch = bwrap.prepare(plan, true)) {
            SpawnSpec spec = launch.wrapper().apply(new SpawnSpec(plan.executable(), plan.argv(), plan.environment(),
                    plan.workingDirectory(), launch.restriction(), Optional.empty(), dev.awssandbox.core.process.Limits.NONE));
            assertThat(spec.descriptor3()).as("bwrap reads its filter from descriptor 3").isPresent();
            return run(new SpawnSpec(spec.executable(), spec.argv(), spec.environment(), spec.workingDirectory(),
                    spec.restriction(), Optional.of(SeccompFilter.bytesForThisArch(filter)),
                    dev.awssandbox.core.process.Limits.NONE, spec.inherited()));
        }
    }

    private static SeccompFilter.Options withoutSupervisor(SeccompFilter.Options o) {
        return new SeccompFilter.Options(o.denyNetwork(), OptionalLong.empty(), o.protectMetadata(), o.denyHostIpc());
    }

    private static SeccompFilter.Options withoutMetadata(SeccompFilter.Options o) {
        return new SeccompFilter.Options(o.denyNetwork(), o.supervisorPid(), false, o.denyHostIpc());
    }

    private static SeccompFilter.Options withoutHostIpc(SeccompFilter.Options o) {
        return new SeccompFilter.Options(o.denyNetwork(), o.supervisorPid(), o.protectMetadata(), false);
    }

    private static SeccompFilter.Options networkRulesOff(SeccompFilter.Options o) {
        return new SeccompFilter.Options(false, o.supervisorPid(), o.protectMetadata(), o.denyHostIpc());
    }

    private static SeccompFilter.Options production(boolean denyNetwork) {
        return SeccompFilter.Options.landlock(denyNetwork, ProcessHandle.current().pid());
    }

    private static List<Long> jvmThreads() throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Long.parseLong(t.getFileName().toString())).sorted().toList();
        }
    }

    @Test
    void landlockLetsACommandReachTheThreadThatSpawnedItTheFilterDoesNot() throws Exception {
        Requirements.requireLandlockAbi(BackendKind.LANDLOCK, 6, "without Landlock's signal scope every JVM thread is reachable");
        // for every thread of the JVM: signal 0 by thread id, and a copy of its fd 1 through a thread pidfd
        // (the attack of the review: pidfd_open(spawner, PIDFD_THREAD) + pidfd_getfd)
        String steal = """
                import ctypes, sys
                libc = ctypes.CDLL(None, use_errno=True)
                libc.syscall.restype = ctypes.c_long
                def call(*args):
                    ctypes.set_errno(0)
                    r = libc.syscall(*[ctypes.c_long(a) for a in args])
                    return r, (0 if r >= 0 else ctypes.get_errno())
                kill, pidfd_open, pidfd_getfd = [int(n) for n in sys.argv[1:4]]
                for tid in [int(t) for t in sys.argv[4:]]:
                    _, killed = call(kill, tid, 0)
                    pidfd, opened = call(pidfd_open, tid, 0x80)
                    copied = opened
                    if opened == 0:
                        fd, copied = call(pidfd_getfd, pidfd, 1, 0)
                    print(tid, killed, copied)
                """;
        SandboxPolicy policy = SandboxPolicy.defaults(host.environment());
        AccessPlan warmUp = plan(policy, PYTHON, "-c", "pass");
        dev.awssandbox.core.linux.Arch arch = dev.awssandbox.core.linux.Arch.current().orElseThrow();

        List<List<String>> reached = new ArrayList<>();
        for (SeccompFilter.Options filter : List.of(withoutSupervisor(production(false)), production(false))) {
            dev.awssandbox.core.linux.ThreadRestriction restriction = longLived(landlock(warmUp, filter));
            assertThat(run(warmUp, restriction).isSuccess()).isTrue(); // its spawner threads exist from now on
            List<String> command = new ArrayList<>(List.of(PYTHON, "-c", steal,
                    String.valueOf(dev.awssandbox.core.seccomp.Syscall.KILL.number(arch).orElseThrow()),
                    String.valueOf(dev.awssandbox.core.linux.SystemCall.PIDFD_OPEN.number(arch)),
                    String.valueOf(dev.awssandbox.core.seccomp.Syscall.PIDFD_GETFD.number(arch).orElseThrow())));
            jvmThreads().forEach(t -> command.add(String.valueOf(t)));
            AccessPlan attack = plan(policy, command.toArray(String[]::new));
            ExecResult result = run(attack, restriction); // the same restriction: the same spawner threads
            assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
            // "tid kill-errno copy-errno": a thread is reached when either call succeeded
            reached.add(result.stdout().text().lines().filter(l -> {
                String[] f = l.split(" ");
                return f[1].equals("0") || f[2].equals("0");
            }).toList());
        }

        // Landlock alone: the spawner thread shares the command's domain, so it is signalled and its
        // process's descriptors copied ("tid 0 0"); a command could as well SIGKILL the JVM this way
        assertThat(reached.get(0)).as("JVM threads reached under Landlock without the filter's supervisor rules")
                .isNotEmpty().allMatch(l -> l.endsWith(" 0 0"));
        assertThat(reached.get(1)).as("JVM threads reached under Landlock with them").isEmpty();
    }

    @Test
    void landlockDoesNotGovernModesOwnersOrExtendedAttributes() throws Exception {
        Path file = host.outsideFile("owned.txt", "mine");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        String change = """
                import os, sys
                for name, attempt in [("chmod", lambda: os.chmod(sys.argv[1], 0o644)),
                                      ("chown", lambda: os.chown(sys.argv[1], os.getuid(), os.getgid())),
                                      ("setxattr", lambda: os.setxattr(sys.argv[1], "user.aws-sandbox-test", b"x"))]:
                    try:
                        attempt()
                        print(name, 0)
                    except OSError as e:
                        print(name, e.errno)
                """;
        AccessPlan plan = plan(policy, PYTHON, "-c", change, file.toString());

        ExecResult withFilter = run(plan, landlock(plan, production(false)));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        ExecResult landlockAlone = run(plan, landlock(plan, withoutMetadata(production(false))));

        assertThat(withFilter.stdout().text()).isEqualTo("chmod 1\nchown 1\nsetxattr 1\n");
        assertThat(landlockAlone.stdout().text()).isEqualTo("chmod 0\nchown 0\nsetxattr 0\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void landlockDoesNotKeepTheCommandsUmask() throws Exception {
        // the spawning thread's umask 077 is in place in both runs; only the filter's umask rule differs
        String create = """
                import os, stat, sys
                print(oct(os.umask(0)))
                os.close(os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY, 0o666))
                print(oct(stat.S_IMODE(os.stat(sys.argv[1]).st_mode)))
                """;
        SandboxPolicy policy = SandboxPolicy.defaults(host.environment());
        Path alone = host.work().resolve("alone");
        Path filtered = host.work().resolve("filtered");
        AccessPlan planAlone = plan(policy, PYTHON, "-c", create, alone.toString());
        AccessPlan planFiltered = plan(policy, PYTHON, "-c", create, filtered.toString());

        ExecResult landlockAlone = run(planAlone, landlock(planAlone, withoutMetadata(production(false))));
        ExecResult withFilter = run(planFiltered, landlock(planFiltered, production(false)));

        assertThat(landlockAlone.stdout().text()).as(landlockAlone.stderr().text()).isEqualTo("0o77\n0o666\n");
        // umask(0) "succeeds" and reports 0 as the old mask; the file is private all the same
        assertThat(withFilter.stdout().text()).as(withFilter.stderr().text()).isEqualTo("0o0\n0o600\n");
    }

    @Test
    void landlockDoesNotGovernTheHostsSysvIpcOrMessageQueues() throws Exception {
        Path script = host.copyResource(PythonProbes.IPC);
        String key = "0x" + Integer.toHexString(0x5b000000 | ThreadLocalRandom.current().nextInt(1 << 24));
        String secret = "host ipc bait " + UUID.randomUUID();
        PythonProbes.runOnHost(script, "create", key, secret);
        try {
            SandboxPolicy policy = SandboxPolicy.defaults(host.environment());
            AccessPlan read = plan(policy, PYTHON, script.toString(), "read", key);
            int mqUnlink = dev.awssandbox.core.seccomp.Syscall.MQ_UNLINK.number(
                    dev.awssandbox.core.linux.Arch.current().orElseThrow()).orElseThrow();
            AccessPlan unlink = plan(policy, PYTHON, script.toString(), "unlink", key, String.valueOf(mqUnlink));
            LinuxRestriction filtered = landlock(read, production(false));
            LinuxRestriction alone = landlock(read, withoutHostIpc(production(false)));

            assertThat(run(read, filtered).stdout().text()).isEqualTo("shm errno 1\nmsg errno 1\nmq errno 1\n");
            assertThat(run(unlink, filtered).stdout().text()).isEqualTo("mq_unlink errno 1\n");
            // Landlock refuses to open the POSIX queue (EACCES: its file is on no granted path), but
            // lets SysV through, and deleting the queue: mq_unlink passes no path hook
            assertThat(run(read, alone).stdout().text()).isEqualTo("shm " + secret + "\nmsg " + secret + "\nmq errno 13\n");
            assertThat(run(unlink, alone).stdout().text()).isEqualTo("mq_unlink 0\n");
        } finally {
            PythonProbes.runOnHost(script, "remove", key);
        }
    }

    @Test
    void landlocksBindRuleDoesNotSeeTheBindThatListenMakes() throws Exception {
        Requirements.requireLandlockAbi(BackendKind.LANDLOCK, NetAccess.ABI, "Landlock's TCP rules need ABI 4");
        Path server = host.copyResource(PythonProbes.LISTEN);
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();

        // Landlock's TCP rules are on in both runs (bind and connect denied); only the filter differs
        String landlockAlone = listenAndConnect(offline, server, networkRulesOff(production(true)), "alone");
        String withFilter = listenAndConnect(offline, server, production(true), "filtered");

        assertThat(landlockAlone).isEqualTo("hello from the command");
        assertThat(withFilter).isEqualTo("refused " + EPERM);
    }

    private String listenAndConnect(SandboxPolicy policy, Path server, SeccompFilter.Options filter, String name)
            throws Exception {
        Path status = host.work().resolve(name + ".status");
        AccessPlan plan = plan(policy, PYTHON, server.toString(), status.toString());
        assertThat(plan.allowNetwork()).isFalse();
        LinuxRestriction restriction = landlock(plan, filter);
        CompletableFuture<ExecResult> command = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                command.complete(run(plan, restriction));
            } catch (RuntimeException e) {
                command.completeExceptionally(e);
            }
        });
        return PythonProbes.connectToReportedPort(status, command);
    }

    /**
     * Netlink (red team, round 12, F2: its queued messages are charged to no memory cgroup) and extended attributes read
     * by path (F1: a file's, outside the policy): the same Landlock domain alone lets both through, the filter refuses
     * them, with the network on and off. No option turns these rules off, so the control's filter allows everything.
     */
    @Test
    void landlockDoesNotGovernNetlinkNorExtendedAttributes() throws Exception {
        Path secret = host.outsideFile("downloaded.pdf", "pdf");
        Files.getFileAttributeView(secret, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("xdg.origin.url", java.nio.ByteBuffer.wrap("u".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        String probe = """
                import os, socket, sys
                for name, call in (("diag", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)),
                                   ("route", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)),
                                   ("xattr", lambda: os.getxattr(sys.argv[1], "user.xdg.origin.url"))):
                    try:
                        call(); print(name, 0)
                    except OSError as e:
                        print(name, e.errno)
                """;
        for (boolean network : List.of(false, true)) {
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).allowNetwork(network).build();
            AccessPlan plan = plan(policy, PYTHON, "-c", probe, secret.toString());
            LinuxRestriction alone = new LinuxRestriction(ruleset(plan), SeccompFilter.allowingEverything(),
                    new LandlockBackend().abi() >= Scope.ABI);
            restrictions.add(alone);

            assertThat(run(plan, alone).stdout().text()).as("network %s, Landlock alone", network)
                    .isEqualTo("diag 0\nroute 0\nxattr 0\n");
            assertThat(run(plan, landlock(plan, production(!network))).stdout().text()).as("network %s", network)
                    .isEqualTo("diag " + EPERM + "\nroute " + EPERM + "\nxattr 95\n");
        }
    }

    @Test
    void bubblewrapsReadOnlyBindsRefuseModeChangesExceptOnTheDeviceNodesItBindsWritable() throws Exception {
        assumeTrue(Backends.available().contains(BackendKind.BUBBLEWRAP), "bubblewrap cannot run here");
        assumeTrue(root(), "as another user the kernel refuses changes to root's device nodes itself");
        Path file = host.outsideFile("owned.txt", "mine");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        // /dev/null is chmod-ed to the mode it has: a change root could make, that changes nothing
        String change = """
                import os, stat, sys
                for path, mode in [(sys.argv[1], 0o644), ("/dev/null", stat.S_IMODE(os.stat("/dev/null").st_mode))]:
                    try:
                        os.chmod(path, mode)
                        print(0)
                    except OSError as e:
                        print(e.errno)
                """;
        AccessPlan plan = plan(policy, PYTHON, "-c", change, file.toString());

        ExecResult bindsAlone = runInBubblewrap(plan, withoutMetadata(SeccompFilter.Options.bubblewrap(false)));
        ExecResult withFilter = runInBubblewrap(plan, SeccompFilter.Options.bubblewrap(false));

        // the read-only bind refuses the file's mode; the host's /dev/null, bound writable, is root's
        assertThat(bindsAlone.stdout().text()).as(bindsAlone.stderr().text()).isEqualTo(EROFS + "\n0\n");
        assertThat(withFilter.stdout().text()).as(withFilter.stderr().text()).isEqualTo(EPERM + "\n" + EPERM + "\n");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
