package dev.awssandbox.core;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.AccessPlanner;
import dev.awssandbox.core.backend.BubblewrapBackend;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.backend.SeatbeltBackend;
import dev.awssandbox.core.backend.Launch;
import dev.awssandbox.core.backend.SandboxBackend;
import dev.awssandbox.core.backend.UnsandboxedBackend;
import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.LinuxPlatform;
import dev.awssandbox.core.process.JdkPipelineRunner;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.SpawnException;
import dev.awssandbox.core.process.SpawnSpec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs commands under a {@link SandboxPolicy} with the strongest backend the mode allows.
 *
 * <p>Backend selection happens once, on first use, and is cached: on Linux Landlock, else (in
 * {@link SandboxMode#AUTO} only) no isolation, logged at WARNING and noted in every result.
 * {@link SandboxMode#REQUIRED} fails instead of falling back, and also fails when the kernel
 * cannot enforce the whole policy. {@link SandboxMode#DISABLED} runs unsandboxed and says so.
 *
 * <p>Thread-safe. The Landlock domain of a run lives only on a short-lived platform thread that
 * spawns the child; no other JVM thread ever carries it.
 */
public final class Sandbox {
    private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
    private static final Object DEFAULT_LOCK = new Object();
    private static Sandbox defaultSandbox;

    private final SandboxPolicy policy;
    private final SandboxMode mode;
    private final HostEnvironment host;
    private final List<SandboxBackend> candidates;
    private final boolean forced;
    private final Object selectionLock = new Object();
    private volatile SandboxBackend selected;

    private Sandbox(SandboxPolicy policy, SandboxMode mode, HostEnvironment host, List<SandboxBackend> candidates,
                    boolean forced) {
        this.policy = policy;
        this.mode = mode;
        this.host = host;
        this.candidates = List.copyOf(candidates);
        this.forced = forced;
    }

    /** A sandbox for this process's host with the platform's backends. */
    public static Sandbox create(SandboxPolicy policy, SandboxMode mode) {
        return builder().policy(policy).mode(mode).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SandboxPolicy policy() {
        return policy;
    }

    public SandboxMode mode() {
        return mode;
    }

    public HostEnvironment host() {
        return host;
    }

    /** The backends this platform offers, strongest first (for {@code doctor}). */
    public static List<SandboxBackend> platformBackends() {
        List<SandboxBackend> backends = new ArrayList<>();
        if (LinuxPlatform.isLinux()) {
            backends.add(new LandlockBackend());
            backends.add(new BubblewrapBackend());
        } else if (Platform.current() == Platform.MACOS) {
            backends.add(new SeatbeltBackend());
        }
        return backends;
    }

    /** The backend commands run with, selected on first use. */
    public SandboxBackend backend() throws SandboxException {
        SandboxBackend backend = selected;
        if (backend != null) {
            return backend;
        }
        synchronized (selectionLock) {
            if (selected == null) {
                selected = select();
            }
            return selected;
        }
    }

    private SandboxBackend select() throws SandboxException {
        if (mode == SandboxMode.DISABLED) {
            LOG.log(Level.INFO, "sandbox disabled (mode disabled): commands run without isolation");
            return new UnsandboxedBackend(List.of("sandbox disabled by configuration (mode disabled)"));
        }
        if (forced) {
            SandboxBackend only = candidates.getFirst();
            SandboxBackend.Availability availability = only.availability();
            if (!availability.available()) {
                throw new SandboxException(SandboxException.Kind.UNAVAILABLE, "the " + only.kind().label()
                        + " backend was asked for but is unavailable: " + availability.detail(), Optional.of(only.kind()));
            }
            return only;
        }
        List<String> reasons = new ArrayList<>();
        for (SandboxBackend candidate : candidates) {
            SandboxBackend.Availability availability = candidate.availability();
            if (availability.available()) {
                LOG.log(Level.DEBUG, "using sandbox backend " + candidate.kind().label() + ": " + availability.detail());
                return candidate;
            }
            reasons.add(candidate.kind().label() + ": " + availability.detail());
        }
        String why = reasons.isEmpty() ? "no sandbox backend exists for " + host.platform() : String.join("; ", reasons);
        if (mode == SandboxMode.REQUIRED) {
            throw new SandboxException(SandboxException.Kind.UNAVAILABLE,
                    "sandbox mode is required but no sandbox backend is available (" + why + ")", Optional.empty());
        }
        String note = "no sandbox backend available, running WITHOUT isolation (" + why + ")";
        LOG.log(Level.WARNING, note);
        return new UnsandboxedBackend(List.of(note));
    }

    /** What the selected backend enforces under this sandbox's policy. */
    public EnforcementReport expectedEnforcement() throws SandboxException {
        SandboxBackend backend = backend();
        EnforcementReport report = backend.expectedReport(policy.allowNetwork());
        if (LinuxPlatform.isSupportedLinux() && backend.kind() != BackendKind.SEATBELT) {
            for (String fact : dev.awssandbox.core.process.LimitMechanisms.describe(policy.limits(),
                    backend.kind() == BackendKind.BUBBLEWRAP)) {
                report = report.withNote(fact);
            }
            if (backend.kind() != BackendKind.NONE) {
                report = dev.awssandbox.core.process.LimitMechanisms.gap(policy.limits()).map(report::withGap).orElse(report);
            }
        }
        return report;
    }

    /**
     * Every backend aws-sandbox knows, with its availability here and the reason when it is not
     * available (for {@code doctor}): this sandbox's candidates first, then the others.
     */
    public List<BackendStatus> backendStatuses() {
        List<BackendStatus> statuses = new ArrayList<>();
        java.util.Set<BackendKind> listed = java.util.EnumSet.noneOf(BackendKind.class);
        List<SandboxBackend> all = new ArrayList<>(candidates);
        for (BackendKind kind : List.of(BackendKind.LANDLOCK, BackendKind.BUBBLEWRAP, BackendKind.SEATBELT)) {
            if (candidates.stream().noneMatch(c -> c.kind() == kind)) {
                all.add(switch (kind) {
                    case LANDLOCK -> new LandlockBackend();
                    case BUBBLEWRAP -> new BubblewrapBackend();
                    default -> new SeatbeltBackend();
                });
            }
        }
        for (SandboxBackend backend : all) {
            if (listed.add(backend.kind())) {
                SandboxBackend.Availability a = backend.availability();
                statuses.add(new BackendStatus(backend.kind(), a.available(), a.detail()));
            }
        }
        statuses.add(new BackendStatus(BackendKind.NONE, true, "always available; isolates nothing"));
        return statuses;
    }

    /**
     * Resolves a command against the policy without running it: where the program is, what it
     * runs through, what it may touch, what would be enforced.
     */
    public CommandPreview preview(List<String> command) throws SandboxException {
        SandboxBackend backend = backend();
        try {
            AccessPlan plan = AccessPlanner.plan(policy, host, command, Optional.empty(), backend.writeProtection());
            return new CommandPreview(plan.executable(), plan.executableChain(), plan.grants(),
                    List.copyOf(plan.environment().keySet()), backend.expectedReport(plan.allowNetwork()), plan.warnings());
        } catch (AccessPlanner.ProgramNotFound e) {
            throw new SandboxException(SandboxException.Kind.NOT_FOUND, "cannot find " + e.getMessage(),
                    Optional.of(backend.kind()));
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), Optional.of(backend.kind()));
        }
    }

    /** Whether commands run isolated; false also when selection fails ({@code required} with no backend). */
    public boolean isSandboxed() {
        try {
            return backend().kind() != BackendKind.NONE;
        } catch (SandboxException e) {
            return false;
        }
    }

    /** Runs a command with default options (no stdin, output captured, no timeout). */
    public ExecResult run(String... command) throws SandboxException {
        return run(ExecRequest.of(command));
    }

    /** Runs a command and waits for it. */
    public ExecResult run(ExecRequest request) throws SandboxException {
        return run(PipelineRequest.of(request));
    }

    /** Runs a pipeline string such as {@code aws s3api list-buckets | jq -r '.Buckets[].Name'} and waits for it. */
    public ExecResult runPipeline(String pipeline) throws SandboxException {
        return run(PipelineRequest.builder(Pipeline.parse(pipeline)).build());
    }

    /**
     * Runs a pipeline and waits for it: every stage starts at once, connected by OS pipes, each
     * sandboxed by this sandbox's backend under its own policy (the sandbox's unless the request
     * gives one).
     */
    public ExecResult run(PipelineRequest request) throws SandboxException {
        SandboxBackend backend = backend();
        List<List<String>> commands = request.pipeline().stages();
        String program = SandboxException.program(commands.getFirst());
        Optional<BackendKind> kind = Optional.of(backend.kind());
        boolean linux = LinuxPlatform.isSupportedLinux();
        if (!linux && host.platform() != Platform.MACOS) {
            throw new SandboxException(SandboxException.Kind.UNAVAILABLE,
                    "cannot run " + program + ": aws-sandbox runs commands on Linux (x86_64, aarch64) and macOS only",
                    kind);
        }
        List<Launch> launches = new ArrayList<>(commands.size());
        List<AccessPlan> plans = new ArrayList<>(commands.size());
        try {
            List<PipelineRunner.Stage> stages = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                SandboxPolicy stagePolicy = request.stagePolicies().get(i).orElse(policy);
                AccessPlan plan = plan(backend, stagePolicy, commands.get(i), request.workingDirectory());
                plans.add(plan);
                Launch launch = backend.prepare(plan, mode);
                launches.add(launch);
                EnforcementReport report = launch.report();
                for (String warning : plan.warnings()) {
                    report = report.withNote(warning);
                }
                SpawnSpec command = new SpawnSpec(plan.executable(), plan.argv(), plan.environment(),
                        plan.workingDirectory(), launch.restriction(), Optional.empty(), stagePolicy.limits());
                // no prlimit on macOS: Seatbelt sets the limits with ulimit in a shell inside the sandbox
                SpawnSpec limited = backend instanceof SeatbeltBackend seatbelt
                        ? seatbelt.withLimits(command, stagePolicy.limits()) : command;
                stages.add(new PipelineRunner.Stage(plan.argv(), launch.wrapper().apply(limited), report,
                        launch.wrapperFoldsSignals()));
            }
            PipelineRunner.Outcome outcome = linux
                    ? PipelineRunner.run(stages, request.stdin(), request.stdout(), request.stderr(), request.timeout())
                    : JdkPipelineRunner.run(stages, request.stdin(), request.stdout(), request.stderr(), request.timeout());
            ExecResult result = outcome.result();
            if (result.isSuccess() || backend.kind() == BackendKind.NONE) {
                return result;
            }
            return result.withHints(DenialHints.hints(result.stages(), outcome.stderrExcerpts(), plans, host.home()));
        } catch (SpawnException e) {
            AccessPlan failedPlan = plans.stream().filter(p -> p.executable().equals(e.executable()))
                    .findFirst().orElse(plans.getLast());
            throw spawnFailure(failedPlan.argv().getFirst(), failedPlan, backend.kind(), e);
        } catch (java.io.IOException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM,
                    "cannot run " + program + " (backend " + backend.kind().label() + "): " + e.getMessage(), kind, e);
        } catch (PipelineRunner.Cancelled e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM,
                    program + " was cancelled and killed (backend " + backend.kind().label() + ")", kind, e);
        } finally {
            for (Launch launch : launches) {
                launch.close();
            }
        }
    }

    private AccessPlan plan(SandboxBackend backend, SandboxPolicy stagePolicy, List<String> command,
                            Optional<java.nio.file.Path> workingDirectory) throws SandboxException {
        Optional<BackendKind> kind = Optional.of(backend.kind());
        try {
            return AccessPlanner.plan(stagePolicy, host, command, workingDirectory, backend.writeProtection());
        } catch (AccessPlanner.ProgramNotFound e) {
            throw new SandboxException(SandboxException.Kind.NOT_FOUND,
                    "cannot run " + e.getMessage() + " (backend " + backend.kind().label() + ")", kind);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST,
                    "cannot run " + command.getFirst() + ": " + e.getMessage(), kind);
        }
    }

    private static SandboxException spawnFailure(String program, AccessPlan plan, BackendKind backend, SpawnException e) {
        Optional<BackendKind> kind = Optional.of(backend);
        String where = " (backend " + backend.label() + ")";
        return switch (e.step()) {
            case RESTRICT -> new SandboxException(SandboxException.Kind.SYSTEM,
                    "cannot sandbox " + program + where + ": " + e.getMessage(), kind, e);
            case LIMITS -> new SandboxException(SandboxException.Kind.SYSTEM,
                    "cannot run " + program + where + ": " + e.getMessage(), kind, e);
            case SPAWN -> {
                if (e.errno() == Errno.EACCES && backend != BackendKind.NONE) {
                    yield new SandboxException(SandboxException.Kind.NOT_EXECUTABLE,
                            "cannot run " + program + where + ": the sandbox denied executing " + plan.executable()
                                    + " or its interpreter (" + plan.executableChain() + "); allow its directory with --ro DIR",
                            kind, e);
                }
                SandboxException.Kind k = e.errno() == Errno.ENOENT ? SandboxException.Kind.NOT_FOUND
                        : SandboxException.Kind.NOT_EXECUTABLE;
                yield new SandboxException(k, "cannot run " + program + where + ": " + e.getMessage(), kind, e);
            }
        };
    }

    /**
     * Runs a command on a virtual thread. Cancelling the future kills the command's process group.
     * The future fails with a {@link CompletionException} wrapping a {@link SandboxException}.
     */
    public CompletableFuture<ExecResult> runAsync(ExecRequest request) {
        return runAsync(PipelineRequest.of(request));
    }

    /** Runs a pipeline on a virtual thread; cancelling the future kills every stage. */
    public CompletableFuture<ExecResult> runAsync(PipelineRequest request) {
        CompletableFuture<ExecResult> future = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("aws-sandbox-run").unstarted(() -> {
            try {
                future.complete(run(request));
            } catch (SandboxException e) {
                future.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        });
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                worker.interrupt();
            }
        });
        worker.start();
        return future;
    }

    /**
     * Makes this JVM the child subreaper, so that processes which escape their command's process
     * group (setsid and a double fork) are re-parented here and killed when the command ends.
     * Process-wide: call it when the JVM is yours (the CLI does). Children your application
     * starts with {@link ProcessBuilder} stay in the JVM's session and are never touched.
     */
    public static void enableSubreaper() throws SandboxException {
        if (!LinuxPlatform.isSupportedLinux()) {
            throw new SandboxException(SandboxException.Kind.UNAVAILABLE, "the child subreaper is a Linux feature",
                    Optional.empty());
        }
        try {
            dev.awssandbox.core.process.Subreaper.enable();
        } catch (ErrnoException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot become the child subreaper: " + e.getMessage(),
                    Optional.empty(), e);
        }
    }

    // ---- the process-wide default sandbox ----

    /**
     * The process-wide sandbox built from the environment: mode from {@code AWS_MCP_SANDBOX}
     * ({@code auto} by default), credentials from {@code AWS_MCP_SANDBOX_CREDENTIALS}
     * ({@code both} by default). Created once; {@link #resetDefault()} forgets it.
     */
    public static Sandbox defaultSandbox() throws SandboxException {
        synchronized (DEFAULT_LOCK) {
            if (defaultSandbox == null) {
                defaultSandbox = fromEnvironment(HostEnvironment.current());
            }
            return defaultSandbox;
        }
    }

    /** Forgets the default sandbox (for tests, or after the environment changed). */
    public static void resetDefault() {
        synchronized (DEFAULT_LOCK) {
            defaultSandbox = null;
        }
    }

    /** Whether the default sandbox isolates commands; false when it cannot be built. */
    public static boolean sandboxAvailable() {
        try {
            return defaultSandbox().isSandboxed();
        } catch (SandboxException e) {
            return false;
        }
    }

    /** A sandbox configured from a host's {@code AWS_MCP_SANDBOX*} variables. */
    public static Sandbox fromEnvironment(HostEnvironment host) throws SandboxException {
        try {
            SandboxMode mode = host.get(SandboxMode.ENV_VAR)
                    .map(v -> SandboxMode.parse(v, SandboxMode.ENV_VAR)).orElse(SandboxMode.AUTO);
            host.get(OutputTarget.MAX_OUTPUT_ENV_VAR).ifPresent(v -> OutputTarget.parseLimit(v, OutputTarget.MAX_OUTPUT_ENV_VAR));
            CredentialMode credentials = host.get(CredentialMode.ENV_VAR)
                    .map(v -> CredentialMode.parse(v, CredentialMode.ENV_VAR)).orElse(CredentialMode.BOTH);
            return builder().host(host).policy(SandboxPolicy.defaults(host, credentials)).mode(mode).build();
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), Optional.empty());
        }
    }

    /** Builds sandboxes; defaults: this host, its default policy, mode {@code auto}, the platform's backends. */
    public static final class Builder {
        private HostEnvironment host;
        private SandboxPolicy policy;
        private SandboxMode mode = SandboxMode.AUTO;
        private List<SandboxBackend> backends;
        private boolean forced;

        private Builder() {}

        public Builder host(HostEnvironment host) {
            this.host = host;
            return this;
        }

        public Builder policy(SandboxPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder mode(SandboxMode mode) {
            this.mode = mode;
            return this;
        }

        /** The candidate backends, strongest first (default: {@link #platformBackends()}). */
        public Builder backends(List<SandboxBackend> backends) {
            this.backends = List.copyOf(backends);
            return this;
        }

        /**
         * Uses exactly this backend: no fallback, and an error naming the reason when it is
         * unavailable. {@link BackendKind#NONE} runs unsandboxed, as mode {@code disabled} does.
         */
        public Builder backend(BackendKind kind) {
            switch (kind) {
                case LANDLOCK -> this.backends = List.of(new LandlockBackend());
                case BUBBLEWRAP -> this.backends = List.of(new BubblewrapBackend());
                case SEATBELT -> this.backends = List.of(new SeatbeltBackend());
                case NONE -> this.mode = SandboxMode.DISABLED;
            }
            this.forced = kind != BackendKind.NONE;
            return this;
        }

        public Sandbox build() {
            HostEnvironment h = host != null ? host : HostEnvironment.current();
            SandboxPolicy p = policy != null ? policy : SandboxPolicy.defaults(h);
            return new Sandbox(p, mode, h, backends != null ? backends : platformBackends(), forced);
        }
    }
}
