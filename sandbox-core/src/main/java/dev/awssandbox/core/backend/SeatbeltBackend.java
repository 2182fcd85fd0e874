package dev.awssandbox.core.backend;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.PathGrant;
import dev.awssandbox.core.ResourceLimits;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxMode;
import dev.awssandbox.core.StdinSource;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnException;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * macOS Seatbelt: {@code /usr/bin/sandbox-exec -p PROFILE -D P0=… -- /bin/sh -c 'ulimit …; exec "$@"'
 * sh COMMAND ARGS…}, with the SBPL profile of {@link SeatbeltProfile} and the resource limits of
 * {@link ShellLimits} (there is no {@code prlimit} on macOS). Commands run on the portable engine
 * ({@link JdkPipelineRunner}), each in a session of its own.
 *
 * <p>Availability is proven, not assumed: once per backend, {@code /bin/sh} is asked how it sets
 * limits, and {@code /usr/bin/true} is run exactly as a real command would be (the same profile
 * generator, limit wrapper, argv and engine). A profile that does not compile, or a parent that
 * is itself sandboxed ({@code sandbox_apply: Operation not permitted}), makes the backend
 * unavailable with that reason instead of failing every command.
 */
public final class SeatbeltBackend implements SandboxBackend {
    static final Path SANDBOX_EXEC = Path.of("/usr/bin/sandbox-exec");
    private static final Path PROBE_PROGRAM = Path.of("/usr/bin/true");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

    /** What availability depends on, injectable so that it can be tested off macOS. */
    public interface PlatformProbe {
        String osName();

        String osVersion();

        boolean isExecutable(Path path);

        /** The sandbox-exec to run (a stand-in in tests off macOS). */
        default Path sandboxExec() {
            return SANDBOX_EXEC;
        }

        /** The shell that sets the resource limits. */
        default Path shell() {
            return ShellLimits.SHELL;
        }

        static PlatformProbe system() {
            return new PlatformProbe() {
                @Override
                public String osName() {
                    return System.getProperty("os.name", "");
                }

                @Override
                public String osVersion() {
                    return System.getProperty("os.version", "");
                }

                @Override
                public boolean isExecutable(Path path) {
                    return Files.isExecutable(path);
                }
            };
        }
    }

    private final PlatformProbe probe;
    private final Object probeLock = new Object();
    private volatile Availability availability;
    private volatile ShellLimits.Shell shell;
    private volatile ShellLimits.HardLimits hardLimits;

    public SeatbeltBackend() {
        this(PlatformProbe.system());
    }

    public SeatbeltBackend(PlatformProbe probe) {
        this.probe = probe;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.SEATBELT;
    }

    @Override
    public Availability availability() {
        Availability known = availability;
        if (known != null) {
            return known;
        }
        synchronized (probeLock) {
            if (availability == null) {
                availability = probe();
            }
            return availability;
        }
    }

    private Availability probe() {
        String os = probe.osName().toLowerCase(Locale.ROOT);
        if (!os.startsWith("mac") && !os.startsWith("darwin")) {
            return Availability.no("Seatbelt is macOS's; this is " + probe.osName());
        }
        int major;
        try {
            major = Integer.parseInt(probe.osVersion().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return Availability.no("cannot read the macOS version '" + probe.osVersion() + "'");
        }
        if (major < 12) {
            return Availability.no("macOS " + probe.osVersion() + " is older than 12");
        }
        Path sandboxExec = probe.sandboxExec();
        if (!probe.isExecutable(sandboxExec)) {
            return Availability.no(sandboxExec + " is missing");
        }
        ShellLimits.Shell calibrated;
        try {
            calibrated = ShellLimits.calibrate(probe.shell());
        } catch (IOException e) {
            return Availability.no("resource limits cannot be set: " + e.getMessage());
        }
        shell = calibrated;
        hardLimits = ShellLimits.HardLimits.ofThisProcess();
        try {
            ExecResult result = runProbe();
            if (!result.isSuccess()) {
                String why = result.stderr().text().strip().lines().findFirst().orElse("no message");
                return Availability.no(sandboxExec + " cannot run " + PROBE_PROGRAM + " under the generated profile ("
                        + result.status() + (result.timedOut() ? ", timed out" : "") + "): " + why);
            }
        } catch (IOException | SpawnException | SandboxException e) {
            return Availability.no("cannot run " + sandboxExec + ": " + e.getMessage());
        } catch (PipelineRunner.Cancelled e) {
            Thread.currentThread().interrupt();
            return Availability.no("interrupted while probing " + sandboxExec);
        }
        return Availability.yes("macOS " + probe.osVersion() + ", " + sandboxExec + " ran " + PROBE_PROGRAM
                + " under the generated profile; limits set by " + calibrated.describe() + hardLimits.describeFinite());
    }

    /** {@code /usr/bin/true} with the default limits, network on, {@code /usr} and {@code /bin} readable: a real run. */
    private ExecResult runProbe() throws IOException, SpawnException, SandboxException, PipelineRunner.Cancelled {
        List<PathGrant> grants = List.of(
                new PathGrant(Path.of("/usr"), Path.of("/usr"), PathGrant.Access.READ, true, "probe"),
                new PathGrant(Path.of("/bin"), Path.of("/bin"), PathGrant.Access.READ, true, "probe"));
        Map<String, String> environment = Map.of("PATH", "/usr/bin:/bin");
        AccessPlan plan = new AccessPlan(PROBE_PROGRAM, List.of("true"), environment, Path.of("/"), grants, true,
                List.of(PROBE_PROGRAM), List.of());
        try (Launch launch = prepare(plan, SandboxMode.REQUIRED)) {
            SpawnSpec spec = launch.wrapper().apply(withLimits(new SpawnSpec(PROBE_PROGRAM, plan.argv(), environment,
                    plan.workingDirectory(), dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(),
                    ResourceLimits.DEFAULT), ResourceLimits.DEFAULT));
            return JdkPipelineRunner.run(List.of(new PipelineRunner.Stage(plan.argv(), spec, launch.report())),
                    StdinSource.empty(), OutputTarget.capture(16 * 1024), OutputTarget.capture(16 * 1024),
                    Optional.of(PROBE_TIMEOUT)).result();
        }
    }

    /**
     * The command started through {@code /bin/sh}, which sets {@code limits} on itself and then
     * execs it; the spec itself when there are no limits. Applied before the Seatbelt wrapper, so
     * that the shell runs inside the sandbox.
     */
    public SpawnSpec withLimits(SpawnSpec spec, ResourceLimits limits) {
        if (shell == null) {
            availability(); // calibrates the shell (a backend given to a Sandbox has been probed already)
        }
        ShellLimits.Shell known = shell;
        if (known == null) {
            // never probed successfully: use POSIX's spelling; a limit the shell rejects stops the command (125)
            known = new ShellLimits.Shell(probe.shell(), 512, "u");
        }
        ShellLimits.HardLimits hard = hardLimits != null ? hardLimits : ShellLimits.HardLimits.ofThisProcess();
        // RLIMIT_NPROC counts every process of the user (macOS has no pids cgroup): allow this many more
        ResourceLimits perCommand = limits.processes().map(n -> limits.withProcesses(n + userProcesses())).orElse(limits);
        return ShellLimits.wrap(spec, perCommand, known, hard);
    }

    /** Processes of the user running this JVM (ProcessHandle: works on macOS, which has no /proc). */
    private static long userProcesses() {
        java.util.Optional<String> me = ProcessHandle.current().info().user();
        if (me.isEmpty()) {
            return 0;
        }
        return ProcessHandle.allProcesses().filter(p -> p.info().user().equals(me)).count();
    }

    @Override
    public EnforcementReport expectedReport(boolean allowNetwork) {
        return new EnforcementReport(BackendKind.SEATBELT, EnforcementReport.Level.FULL, OptionalInt.empty(),
                Set.of("file-read*", "file-write* (writable paths)", "process-exec", "file-map-executable"),
                allowNetwork ? EnforcementReport.Network.ALLOWED : EnforcementReport.Network.DENIED,
                Set.of("signal", "unix_socket", "process_info"), false, false, false, List.of(),
                List.of("not enforced on macOS: a process that leaves the command's process group (setsid) outlives"
                        + " the command (there is no child subreaper); no private /tmp (no mount namespace); no system"
                        + " call filter or capability drop"));
    }

    @Override
    public Launch prepare(AccessPlan plan, SandboxMode mode) throws SandboxException {
        EnforcementReport report = expectedReport(plan.allowNetwork());
        if (plan.privateTmp()) {
            if (mode == SandboxMode.REQUIRED) {
                throw new SandboxException(SandboxException.Kind.UNENFORCEABLE, "a private /tmp needs a mount"
                        + " namespace, which macOS does not have: Seatbelt cannot give the command its own /tmp",
                        Optional.of(BackendKind.SEATBELT));
            }
            report = report.withNote("no private /tmp under Seatbelt: the host's /tmp is not granted at all instead");
        }
        SeatbeltProfile.Profile profile = SeatbeltProfile.of(plan);
        Path sandboxExec = probe.sandboxExec();
        return new Launch(dev.awssandbox.core.linux.ThreadRestriction.NONE, report, () -> { },
                spec -> new SpawnSpec(sandboxExec, argv(sandboxExec, profile, spec), spec.environment(),
                        spec.workingDirectory(), spec.restriction(), spec.descriptor3(), spec.limits()), false);
    }

    /** {@code sandbox-exec -p PROFILE -D P0=… … -- EXECUTABLE ARGS}. */
    static List<String> argv(Path sandboxExec, SeatbeltProfile.Profile profile, SpawnSpec spec) {
        List<String> argv = new ArrayList<>(List.of(sandboxExec.toString(), "-p", profile.text()));
        profile.parameters().forEach((name, value) -> argv.addAll(List.of("-D", name + "=" + value)));
        argv.add("--");
        argv.add(spec.executable().toString());
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        return argv;
    }

    /** The SBPL profile for a plan (see {@link SeatbeltProfile}). */
    public static SeatbeltProfile.Profile profile(AccessPlan plan) {
        return SeatbeltProfile.of(plan);
    }
}
