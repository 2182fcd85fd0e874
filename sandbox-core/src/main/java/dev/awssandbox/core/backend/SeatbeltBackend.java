package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.Limits;
import dev.awssandbox.core.process.OutputTarget;
import dev.awssandbox.core.process.ProcessExit;
import dev.awssandbox.core.process.Stdin;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnException;
import dev.awssandbox.core.process.SpawnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
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
    public Availability availability() {
        Availability known = availability;
        if (known != null) {
            return known;
        }
        synchronized (probeLock) {
            if (availability != null) {
                return availability;
            }
            Availability a = Trials.apart("seatbelt", this::probe);
            if (a.settled()) {
                availability = a;
            }
            return a;
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
            PipelineRunner.Outcome result = runProbe();
            ProcessExit status = result.stages().getFirst().status();
            if (result.timedOut()) {
                return Availability.unsettled(sandboxExec + " did not finish " + PROBE_PROGRAM + " within its time");
            }
            if (!status.isSuccess()) {
                String why = new String(result.stderr().bytes(), java.nio.charset.StandardCharsets.UTF_8).strip().lines()
                        .findFirst().orElse("no message");
                return Availability.no(sandboxExec + " cannot run " + PROBE_PROGRAM + " under the generated profile ("
                        + status + "): " + why);
            }
        } catch (IOException | SpawnException | BackendException e) {
            return Availability.no("cannot run " + sandboxExec + ": " + e.getMessage());
        } catch (PipelineRunner.Cancelled e) {
            Thread.currentThread().interrupt();
            return Availability.unsettled("interrupted while probing " + sandboxExec);
        } catch (PipelineRunner.OutputFailed e) {
            // not expected: captured output goes to memory, which does not throw
            return Availability.unsettled("cannot run " + sandboxExec + ": " + e.getMessage());
        }
        return Availability.yes("macOS " + probe.osVersion() + ", " + sandboxExec + " ran " + PROBE_PROGRAM
                + " under the generated profile; limits set by " + calibrated.describe() + hardLimits.describeFinite());
    }

    /** {@code /usr/bin/true} with the default limits, network on, {@code /usr} and {@code /bin} readable: a real run. */
    private PipelineRunner.Outcome runProbe()
            throws IOException, SpawnException, BackendException, PipelineRunner.Cancelled, PipelineRunner.OutputFailed {
        List<PathGrant> grants = List.of(
                new PathGrant(Path.of("/usr"), Path.of("/usr"), PathGrant.Access.READ, true, "probe"),
                new PathGrant(Path.of("/bin"), Path.of("/bin"), PathGrant.Access.READ, true, "probe"));
        Map<String, String> environment = Map.of("PATH", "/usr/bin:/bin");
        AccessPlan plan = new AccessPlan(PROBE_PROGRAM, List.of("true"), environment, Path.of("/"), grants, true,
                List.of(PROBE_PROGRAM), List.of());
        try (Launch launch = prepare(plan, true)) {
            SpawnSpec spec = launch.wrapper().apply(new SpawnSpec(PROBE_PROGRAM, plan.argv(), environment,
                    plan.workingDirectory(), ThreadRestriction.NONE, Optional.empty(), Limits.DEFAULT));
            return JdkPipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)), new Stdin.Empty(),
                    new OutputTarget.Capture(16 * 1024), new OutputTarget.Capture(16 * 1024), Optional.of(PROBE_TIMEOUT));
        }
    }

    /**
     * The command started through {@code /bin/sh}, which sets {@code limits} on itself and then
     * execs it; the spec itself when there are no limits. Applied before the Seatbelt wrapper, so
     * that the shell runs inside the sandbox.
     */
    SpawnSpec withLimits(SpawnSpec spec, Limits limits) {
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
        Limits perCommand = limits.processes().isPresent()
                ? limits.withProcesses(limits.processes().getAsLong() + userProcesses()) : limits;
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
    public Enforcement enforcement(NetworkMode network) {
        return new Enforcement(Enforcement.Filesystem.SEATBELT_PROFILE, OptionalInt.empty(), Set.of(), network,
                Enforcement.NetworkControl.COMPLETE, EnumSet.of(Enforcement.Isolation.SIGNALS, Enforcement.Isolation.UNIX_SOCKETS, Enforcement.Isolation.PROCESS_INFO),
                false, false, false, List.of(),
                List.of("not enforced on macOS: a process that leaves the command's process group (setsid) outlives"
                        + " the command (there is no child subreaper); no system call filter or capability drop"));
    }

    @Override
    public Launch prepare(AccessPlan plan, boolean required) throws BackendException {
        Enforcement report = enforcement(plan.network());
        SeatbeltProfile.Profile profile = SeatbeltProfile.of(plan);
        Path sandboxExec = probe.sandboxExec();
        // no prlimit or cgroup on macOS: the limits are set by ulimit in a shell inside the sandbox
        return new Launch(ThreadRestriction.NONE, report, () -> { }, spec -> {
            SpawnSpec limited = withLimits(spec, spec.limits());
            return new SpawnSpec(sandboxExec, argv(sandboxExec, profile, limited), limited.environment(),
                    limited.workingDirectory(), limited.restriction(), limited.descriptor3(), Limits.NONE);
        }, false);
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
