package dev.awssandbox.core;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.egress.EgressProxy;
import dev.awssandbox.core.egress.EgressRoute;
import dev.awssandbox.core.backend.BackendException;
import dev.awssandbox.core.backend.Launch;
import dev.awssandbox.core.backend.SandboxBackend;
import dev.awssandbox.core.ExecResult.Denial.LimitReached;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.process.Captured;
import dev.awssandbox.core.process.Engine;
import dev.awssandbox.core.process.OutputTarget;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.PrivateTemp;
import dev.awssandbox.core.process.ProcessExit;
import dev.awssandbox.core.process.SpawnException;
import dev.awssandbox.core.process.SpawnSpec;
import dev.awssandbox.core.process.Stdin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One run, straight through: plan each stage against its policy, let the backend prepare its
 * launch, run the prepared stages on the platform's {@link Engine}, and turn what happened into
 * the public {@link ExecResult} (pipefail, denials) — or into a {@link SandboxException} that
 * names the program, the backend and the cause.
 */
final class Runner {
    private static final System.Logger LOG = System.getLogger(Runner.class.getName());
    /** Refused hosts stated as denials per stage; the connections list has them all. */
    static final int MAX_HOST_DENIALS = 10;

    private final HostEnvironment host;
    private final SandboxPolicy policy;
    private final Backends.Candidate backend;
    private final boolean required;

    Runner(HostEnvironment host, SandboxPolicy policy, Backends.Candidate backend, Sandbox.Mode mode) {
        this.host = host;
        this.policy = policy;
        this.backend = backend;
        this.required = mode == Sandbox.Mode.REQUIRED;
    }

    /**
     * Why a sandboxed command cannot change into {@code directory}, if it cannot: it lacks search permission by its mode
     * bits. Root passes that check outside only by a capability a sandboxed command does not keep, so for root the mode
     * bits are read (for another user {@code access(2)} answers as the kernel will).
     */
    private static java.util.Optional<String> unenterable(Path directory) {
        try {
            dev.awssandbox.core.linux.ProcessIds ids = dev.awssandbox.core.linux.ProcessIds.current();
            if (!ids.root()) {
                return java.nio.file.Files.isExecutable(directory) ? java.util.Optional.empty()
                        : java.util.Optional.of("this user has no search permission on it");
            }
            int mode = (Integer) java.nio.file.Files.getAttribute(directory, "unix:mode");
            int owner = (Integer) java.nio.file.Files.getAttribute(directory, "unix:uid");
            int group = (Integer) java.nio.file.Files.getAttribute(directory, "unix:gid");
            int bit = owner == 0 ? 0100 : group == ids.gid() ? 010 : 01;
            return (mode & bit) != 0 ? java.util.Optional.empty() : java.util.Optional.of(String.format("its mode %03o gives"
                    + " root no search permission, and a sandboxed command has no capability to pass that", mode & 0777));
        } catch (java.io.IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the spawn will say what it meets
        }
    }

    ExecResult run(Command command) throws SandboxException {
        String program = program(command.stages().getFirst().argv());
        if (!dev.awssandbox.core.linux.LinuxPlatform.isSupportedLinux() && host.platform() != HostEnvironment.Platform.MACOS) {
            throw failure(SandboxException.Kind.UNAVAILABLE,
                    "cannot run " + program + ": aws-sandbox runs commands on Linux (x86_64, aarch64) and macOS only", null);
        }
        Path directory = command.workingDirectory().orElse(host.workingDirectory());
        if (!java.nio.file.Files.isDirectory(directory)) {
            // the spawn's change of directory would fail, reported as the program's ENOENT (round 73, F19: a working
            // directory whose name is not valid UTF-8 failed every command as "cannot execute /usr/bin/true")
            boolean unnamed = directory.toString().indexOf('\uFFFD') >= 0;
            throw failure(SandboxException.Kind.INVALID_REQUEST, "cannot run " + program + ": the working directory "
                    + directory + " is not a directory this user can reach (" + (unnamed
                    ? "its name, as this Java reads it, holds U+FFFD where the real name has bytes that are not valid UTF-8,"
                    + " which Java cannot name: run it from, or give it, a directory whose path is valid UTF-8)"
                    : "it does not exist, or a directory above it cannot be searched)"), null);
        }
        if (backend.kind() == BackendKind.LANDLOCK || backend.kind() == BackendKind.BUBBLEWRAP) { // capabilities dropped
            java.util.Optional<String> why = unenterable(directory);
            if (why.isPresent()) {
                // the spawn's change of directory fails with EACCES, which had been diagnosed as an unreadable '#!'
                // interpreter of /usr/bin/true, exit 126 (outside test WF25, F15)
                throw failure(SandboxException.Kind.INVALID_REQUEST, "cannot run " + program + ": the working directory "
                        + directory + " cannot be entered by the command: " + why.get() + "; run it from another"
                        + " directory, or give this user search permission on it (chmod u+x)", null);
            }
        }
        int n = command.stages().size();
        List<Launch> launches = new ArrayList<>(n);
        List<AccessPlan> plans = new ArrayList<>(n);
        List<EnforcementReport> reports = new ArrayList<>(n);
        List<PrivateTemp> temporaries = new ArrayList<>(n);
        List<Optional<EgressProxy.Lease>> leases = new ArrayList<>(n);
        try {
            List<PipelineRunner.Stage> stages = new ArrayList<>(n);
            for (Command.Stage stage : command.stages()) {
                SandboxPolicy stagePolicy = stage.policy().orElse(policy);
                AccessPlan plan = plan(stagePolicy, stage.argv(), command.workingDirectory());
                if (backend.kind() != BackendKind.NONE) {
                    // each stage its own: stages may run under different policies
                    PrivateTemp temporary = PrivateTemp.create();
                    temporaries.add(temporary);
                    plan = plan.withTemporaryDirectory(temporary.path());
                }
                Optional<EgressProxy.Lease> lease = Optional.empty();
                if (plan.network() == NetworkMode.HOSTS) {
                    // each stage its own lease: its own allow-list, its own counts
                    lease = Optional.of(proxy().open(plan.allowedHosts()));
                    plan = plan.withEgress(EgressRoute.of(lease.get()));
                }
                leases.add(lease);
                plans.add(plan);
                Launch launch = prepare(plan);
                launches.add(launch);
                EnforcementReport report = EnforcementReport.of(backend.kind(), launch.enforcement());
                for (String warning : plan.warnings()) {
                    report = report.withNote(warning);
                }
                reports.add(report);
                SpawnSpec spec = new SpawnSpec(plan.executable(), plan.argv(), plan.environment(), plan.workingDirectory(),
                        launch.restriction(), Optional.empty(), stagePolicy.limits().toEngine());
                stages.add(new PipelineRunner.Stage(launch.wrapper().apply(spec), launch.wrapperFoldsSignals()));
            }
            PipelineRunner.Outcome outcome = Engine.forThisPlatform().run(stages, stdin(command.stdin()),
                    target(command.stdout()), target(command.stderr()), command.timeout());
            return result(command, outcome, reports, plans, connections(leases));
        } catch (SpawnException e) {
            AccessPlan failed = e.stage().isPresent() && e.stage().getAsInt() < plans.size() ? plans.get(e.stage().getAsInt())
                    : plans.stream().filter(p -> p.executable().equals(e.executable())).findFirst().orElse(plans.getLast());
            throw spawnFailure(failed, e);
        } catch (IOException e) {
            throw failure(SandboxException.Kind.SYSTEM, "cannot run " + program + where() + ": " + e.getMessage(), e);
        } catch (PipelineRunner.OutputFailed e) {
            throw failure(SandboxException.Kind.OUTPUT_FAILED, program + where() + ": " + e.getMessage(), e);
        } catch (PipelineRunner.Cancelled e) {
            throw failure(SandboxException.Kind.SYSTEM, program + " was cancelled and killed" + where(), e);
        } catch (RuntimeException e) {
            // never an unchecked exception to the caller (an MCP client saw a bare -32603): a fault of ours
            // or of the system, said as such, with its cause
            LOG.log(System.Logger.Level.DEBUG, "unexpected failure running " + program, e);
            throw failure(SandboxException.Kind.SYSTEM, "cannot run " + program + where() + ": unexpected failure: "
                    + e, e);
        } catch (OutOfMemoryError e) {
            throw outOfThreads(command, e);
        } finally {
            for (Launch launch : launches) {
                launch.close();
            }
            temporaries.forEach(PrivateTemp::close);
            leases.forEach(lease -> lease.ifPresent(EgressProxy.Lease::close));
        }
    }

    /** The JVM's egress proxy, started on first use. */
    private EgressProxy proxy() throws SandboxException {
        try {
            return EgressProxy.shared();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw failure(SandboxException.Kind.SYSTEM, "cannot start aws-sandbox's egress proxy (network mode hosts): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Every stage's connections through the proxy, its lease closed first: the command has ended, so
     * whatever is still open is cut and the counts are final.
     */
    private static List<ExecResult.Connection> connections(List<Optional<EgressProxy.Lease>> leases) {
        List<ExecResult.Connection> all = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            if (leases.get(i).isEmpty()) {
                continue;
            }
            EgressProxy.Lease lease = leases.get(i).get();
            lease.close();
            for (EgressProxy.Connection c : lease.connections()) {
                all.add(new ExecResult.Connection(i, c.host(), c.port(), c.allowed(), c.connections(), c.bytesSent(),
                        c.bytesReceived(), c.reason()));
            }
        }
        return all;
    }

    /** What running {@code argv} would involve, without running it. */
    Sandbox.Preview preview(List<String> argv) throws SandboxException {
        AccessPlan plan = plan(policy, argv, Optional.empty());
        if (backend.kind() != BackendKind.NONE) {
            try {
                Path root = PrivateTemp.root();
                plan = plan.withTemporaryDirectory(root);
            } catch (IOException e) {
                throw failure(SandboxException.Kind.SYSTEM, "cannot create aws-sandbox's private temporary directory: "
                        + e.getMessage(), e);
            }
        }
        Optional<Path> temporary = plan.temporaryDirectory();
        List<Sandbox.Preview.Grant> grants = plan.grants().stream()
                .map(g -> new Sandbox.Preview.Grant(g.path(), g.resolved(), g.access() == PathGrant.Access.READ_WRITE,
                        g.directory(), temporary.map(g.resolved()::equals).orElse(false)
                                ? "private temporary directory: a fresh one beneath for each command, named by TMPDIR"
                                : g.reason()))
                .toList();
        List<String> names = new ArrayList<>(plan.environment().keySet());
        if (plan.network() == NetworkMode.HOSTS) {
            names.removeIf(name -> name.toUpperCase(java.util.Locale.ROOT).endsWith("_PROXY"));
            names.addAll(AccessPlan.PROXY_VARIABLES);
        }
        return new Sandbox.Preview(plan.executable(), plan.executableChain(), grants, names,
                EnforcementReport.of(backend.kind(), backend.backend().enforcement(plan.network())), plan.warnings(),
                plan.workingDirectoryWithheld());
    }

    private AccessPlan plan(SandboxPolicy stagePolicy, List<String> argv, Optional<Path> workingDirectory)
            throws SandboxException {
        try {
            return AccessPlanner.plan(stagePolicy.rules(), host.host(), argv, workingDirectory,
                    backend.backend().writeProtection());
        } catch (AccessPlanner.ProgramNotFound e) {
            throw new SandboxException(e.exists() ? SandboxException.Kind.NOT_EXECUTABLE : SandboxException.Kind.NOT_FOUND,
                    "cannot run " + e.getMessage() + where(), Optional.of(backend.kind()), null, argv.getFirst(),
                    e.missingInterpreter());
        } catch (java.nio.file.InvalidPathException e) {
            // a path a config or start-up file names that this JVM cannot name: without a UTF-8 locale, Java names files in
            // ASCII (red team, round 63, FP2: it had been reported as a bad request); nothing is run
            throw failure(SandboxException.Kind.SYSTEM, "cannot run " + argv.getFirst() + where() + ": the path " + e.getInput()
                    + (e.getReason().startsWith("Malformed") ? " cannot be named in this Java's file name encoding, "
                    + System.getProperty("sun.jnu.encoding") + " (the locale's; with a UTF-8 locale, such as LC_ALL=C.UTF-8,"
                    + " every path can be)" : " cannot be named: " + e.getReason()), null);
        } catch (IllegalArgumentException e) {
            // a refused grant's reason may quote a config's text, as a warning does (re-attack of 2026-12-06, R3-7)
            throw failure(SandboxException.Kind.INVALID_REQUEST, "cannot run " + argv.getFirst() + ": "
                    + dev.awssandbox.core.access.ShownText.withoutSecrets(e.getMessage()), null);
        }
    }

    private Launch prepare(AccessPlan plan) throws SandboxException {
        try {
            return backend.backend().prepare(plan, required);
        } catch (BackendException e) {
            SandboxException.Kind kind = switch (e.reason()) {
                case UNAVAILABLE -> SandboxException.Kind.UNAVAILABLE;
                case UNENFORCEABLE -> SandboxException.Kind.UNENFORCEABLE;
                case INVALID_REQUEST -> SandboxException.Kind.INVALID_REQUEST;
                case SYSTEM -> SandboxException.Kind.SYSTEM;
            };
            // a system failure is about this run: name the program and the backend, as every run failure does
            throw failure(kind, kind == SandboxException.Kind.SYSTEM
                    ? "cannot run " + program(plan.argv()) + where() + ": " + e.getMessage() : e.getMessage(), e);
        }
    }

    private ExecResult result(Command command, PipelineRunner.Outcome outcome, List<EnforcementReport> reports,
                              List<AccessPlan> plans, List<ExecResult.Connection> connections) {
        ExecResult result = assemble(command.argvs(), outcome, reports,
                plans.stream().map(AccessPlan::workingDirectoryWithheld).toList()).withConnections(connections);
        if (result.isSuccess()) {
            return result;
        }
        List<ExecResult.Denial> denials = new ArrayList<>();
        if (backend.kind() != BackendKind.NONE) {
            List<String> excerpts = outcome.stages().stream().map(PipelineRunner.StageOutcome::excerpt).toList();
            denials.addAll(Denials.read(result.stages(), excerpts, plans, host.host(), host.home(), host.get("PATH").orElse(""),
                    command.workingDirectory().orElse(host.workingDirectory())));
        }
        denials.addAll(limitsReached(command, outcome, result));
        // the proxy's refusals are facts it recorded, not read from stderr: stated for a failed stage only,
        // at most a few per stage (a command may have asked for thousands of names)
        int[] stated = new int[result.stages().size()];
        for (ExecResult.Connection c : connections) {
            // only a host no pattern allowed, and never one a pattern must not name (a metadata service):
            // a name refused for the addresses it leads to is allowed already (red team, round 17)
            if (!c.allowed() && c.reason().equals(EgressProxy.NOT_ALLOWED) && EgressProxy.worthSuggesting(c.host(), c.port())
                    && result.stages().get(c.stage()).failed() && c.port() > 0 && stated[c.stage()]++ < MAX_HOST_DENIALS) {
                denials.add(new ExecResult.Denial.HostNotAllowed(c.stage(), c.host(), c.port()));
            }
        }
        return denials.isEmpty() ? result : result.withDenials(denials);
    }

    /** The resource limits that stopped a failed stage, each stage under its own policy's limits. */
    private List<ExecResult.Denial> limitsReached(Command command, PipelineRunner.Outcome outcome, ExecResult result) {
        List<ExecResult.Denial> found = new ArrayList<>();
        for (int i = 0; i < result.stages().size(); i++) {
            if (!result.stages().get(i).failed()) {
                continue;
            }
            SandboxPolicy.Limits limits = command.stages().get(i).policy().orElse(policy).limits();
            PipelineRunner.StageOutcome stage = outcome.stages().get(i);
            if (stage.usage().cgroup().oomKills() > 0) {
                reached(found, i, LimitReached.Limit.MEMORY, limits.memoryBytes());
            } else if (ALLOCATION_FAILED.matcher(stage.excerpt()).find()) {
                reached(found, i, LimitReached.Limit.PROCESS_MEMORY, limits.memoryBytes());
            }
            if (stage.usage().cgroup().forksRefused() > 0) {
                reached(found, i, LimitReached.Limit.PROCESSES, limits.processes());
            }
            // RLIMIT_CPU ends a process with SIGKILL at the hard limit (SIGXCPU at a lower soft one); a
            // signal proves nothing alone (a command can send one to itself), so the kernel's count of the
            // process's CPU time must have reached the limit too; a timeout's kill is not the limit's
            boolean cpuSignal = stage.status().killedBy(SIGXCPU) || stage.status().killedBy(SIGKILL);
            if (cpuSignal && !outcome.timedOut() && limits.cpuTime().isPresent()
                    && reachedCpu(stage.usage().cpuTime(), limits.cpuTime().get())) {
                reached(found, i, LimitReached.Limit.CPU_TIME, limits.cpuTime().map(java.time.Duration::toSeconds));
            }
            if (stage.status().killedBy(SIGXFSZ) || stage.excerpt().contains(FILE_TOO_LARGE)) {
                reached(found, i, LimitReached.Limit.FILE_SIZE, limits.fileSizeBytes());
            }
        }
        return found;
    }

    /**
     * Whether {@code used} (the kernel's count, from the child's rusage) reached {@code limit}: within
     * a quarter, since rusage shows less than the runtime RLIMIT_CPU is checked against. Measured on
     * a loaded 2-core VM (2026-12-02), a process killed at a hard limit of 1 s showed 0.78-0.88 s, at
     * 3 s 2.62-2.89 s: a twentieth, the margin before, missed every one of them.
     */
    private static boolean reachedCpu(java.time.Duration used, java.time.Duration limit) {
        return used.plus(limit.dividedBy(4)).compareTo(limit) >= 0;
    }

    /** Adds the fact when the policy has that limit at all (a counter of a limit not set says nothing of ours). */
    private static void reached(List<ExecResult.Denial> found, int stage, LimitReached.Limit limit, Optional<Long> value) {
        value.ifPresent(v -> found.add(new LimitReached(stage, limit, v)));
    }

    /** The signals of RLIMIT_CPU's hard and soft limits and of RLIMIT_FSIZE (the same on x86_64 and aarch64). */
    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;
    private static final int SIGXFSZ = 25;
    /**
     * What a program reports when RLIMIT_DATA refuses it memory: Python's {@code MemoryError} (so the AWS CLI's),
     * strerror(ENOMEM), C++'s {@code std::bad_alloc}, and the "out of memory" of Go, jq, Perl and others. Read from the
     * failed stage's stderr as "File too large" is: the kernel counts no refused allocation.
     */
    private static final java.util.regex.Pattern ALLOCATION_FAILED = java.util.regex.Pattern.compile(
            "\\bMemoryError\\b|Cannot allocate memory|std::bad_alloc|\\b[Oo]ut of memory\\b");
    /** strerror(EFBIG), which a program that ignores SIGXFSZ (Python, so the AWS CLI) reports. */
    private static final String FILE_TOO_LARGE = "File too large";

    /**
     * The public result of an engine's outcome: each stage with its report, and the pipeline's
     * status by pipefail over the stages that did not merely break their pipe (the last stage when
     * it timed out).
     */
    static ExecResult assemble(List<List<String>> argvs, PipelineRunner.Outcome outcome, List<EnforcementReport> reports,
                               List<Optional<String>> workingDirectoryWithheld) {
        int n = outcome.stages().size();
        List<ExecResult.Stage> stages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PipelineRunner.StageOutcome stage = outcome.stages().get(i);
            EnforcementReport report = reports.get(i);
            if (!outcome.outputComplete()) {
                report = report.withNote("output may be incomplete: a process that left the command's process group"
                        + " still holds its output open");
            }
            stages.add(new ExecResult.Stage(argvs.get(i), status(stage.status()), stage.brokenPipe(),
                    captured(stage.stderr()), report, workingDirectoryWithheld.get(i)));
        }
        OptionalInt failed = OptionalInt.empty();
        for (int i = n - 1; i >= 0; i--) {
            if (stages.get(i).failed() || (outcome.timedOut() && i == n - 1)) {
                failed = OptionalInt.of(i);
                break;
            }
        }
        ExitStatus overall = failed.isPresent() ? stages.get(failed.getAsInt()).status() : new ExitStatus.Exited(0);
        return new ExecResult(stages, overall, failed, outcome.timedOut(), captured(outcome.stdout()),
                captured(outcome.stderr()), outcome.duration(), stages.getFirst().enforcement(), List.of(), List.of());
    }

    /**
     * A thread that could not be started (the JDK says "unable to create native thread" when the
     * process or thread limit is reached) as a failure of the system; any other OutOfMemoryError is
     * the JVM's and goes on (red team, round 18, saw this one leave {@code Sandbox.run}).
     */
    static SandboxException outOfThreads(Command command, OutOfMemoryError e) {
        if (e.getMessage() == null || !e.getMessage().contains("native thread")) {
            throw e;
        }
        return new SandboxException(SandboxException.Kind.SYSTEM, "cannot run " + program(command.stages().getFirst().argv())
                + ": cannot start a thread (" + e.getMessage() + "): this process is at its limit of processes or"
                + " threads; nothing was run", Optional.empty(), e);
    }

    private SandboxException spawnFailure(AccessPlan plan, SpawnException e) {
        String program = plan.argv().getFirst();
        return switch (e.step()) {
            case PREPARE -> failure(SandboxException.Kind.SYSTEM, "cannot run " + program + where() + ": " + e.getMessage(), e);
            case RESTRICT -> failure(SandboxException.Kind.SYSTEM, "cannot sandbox " + program + where() + ": " + e.getMessage(), e);
            case LIMITS -> failure(SandboxException.Kind.SYSTEM, "cannot run " + program + where() + ": " + e.getMessage(), e);
            case SPAWN -> {
                if (e.errno() == Errno.EACCES && backend.kind() != BackendKind.NONE) {
                    yield new SandboxException(SandboxException.Kind.NOT_EXECUTABLE, "cannot run " + program + where()
                            + ": the sandbox denied executing " + plan.executable() + ": " + unreadable(plan),
                            Optional.of(backend.kind()), e, null, Optional.empty(),
                            plan.executableChain().stream().filter(file -> !plan.grantsRead(file)).toList());
                }
                SandboxException.Kind k = switch (e.errno()) {
                    case Errno.ENOENT -> SandboxException.Kind.NOT_FOUND;
                    // the system refused a resource (posix_spawn's clone or a file action): not the program's fault
                    case Errno.EMFILE, Errno.ENFILE, Errno.ENOMEM, Errno.EAGAIN, Errno.EBADF, Errno.EINTR, Errno.EIO ->
                            SandboxException.Kind.SYSTEM;
                    default -> SandboxException.Kind.NOT_EXECUTABLE;
                };
                yield failure(k, "cannot run " + program + where() + ": " + e.getMessage(), e);
            }
        };
    }

    /**
     * Which part of the program's chain the sandbox does not let it read, or, when every part is
     * granted, that the denied file is one the chain does not name: an interpreter aws-sandbox did not
     * follow (red team, round 15: the message blamed a writable directory for a script's interpreter).
     */
    private static String unreadable(AccessPlan plan) {
        List<Path> outside = plan.executableChain().stream().filter(file -> !plan.grantsRead(file)).toList();
        if (!outside.isEmpty()) {
            return String.join(", ", outside.stream().map(Path::toString).toList())
                    + (outside.size() == 1 ? " is" : " are") + " not readable in the sandbox";
        }
        return "the interpreter its #! line names is not readable in the sandbox, though "
                + String.join(", ", plan.executableChain().stream().map(Path::toString).toList())
                + (plan.executableChain().size() == 1 ? " is" : " are")
                + " (no grant is derived from the #! line of a script in a directory sandboxed commands can write,"
                + " nor from one that cannot be traced)";
    }

    private String where() {
        return " (backend " + backend.kind().label() + ")";
    }

    private SandboxException failure(SandboxException.Kind kind, String message, Throwable cause) {
        return new SandboxException(kind, message, Optional.of(backend.kind()), cause);
    }

    /** "aws" from ["aws", "s3", "ls"]: messages name the program, not its arguments, which may hold secrets. */
    static String program(List<String> argv) {
        return argv.isEmpty() ? "(empty command)" : argv.getFirst();
    }

    /** The one interpretation of the kernel's {@code si_code} and {@code si_status}. */
    static ExitStatus status(ProcessExit exit) {
        return switch (exit.how()) {
            case EXITED -> new ExitStatus.Exited(exit.status());
            case KILLED -> new ExitStatus.Signaled(exit.status(), false);
            case DUMPED -> new ExitStatus.Signaled(exit.status(), true);
        };
    }

    private static ExecResult.Captured captured(Captured c) {
        return new ExecResult.Captured(c.bytes(), c.totalBytes(), c.truncated());
    }

    static Stdin stdin(Command.Input input) {
        return switch (input) {
            case Command.Input.Empty empty -> new Stdin.Empty();
            case Command.Input.Bytes bytes -> new Stdin.Bytes(bytes.view());
            case Command.Input.Stream stream -> new Stdin.Stream(stream.input());
        };
    }

    static OutputTarget target(Command.Output output) {
        return switch (output) {
            case Command.Output.Capture capture -> new OutputTarget.Capture(capture.limitBytes());
            case Command.Output.StreamTo stream -> new OutputTarget.StreamTo(stream.output());
        };
    }
}
