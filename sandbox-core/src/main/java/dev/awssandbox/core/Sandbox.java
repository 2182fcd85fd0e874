package dev.awssandbox.core;

import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.LinuxPlatform;
import dev.awssandbox.core.posix.PidDirectories;
import dev.awssandbox.core.posix.TreeDeletion;
import dev.awssandbox.core.process.LimitMechanisms;
import dev.awssandbox.core.process.PosixSpawner;
import dev.awssandbox.core.process.Subreaper;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs {@link Command}s under a {@link SandboxPolicy} with the strongest backend the
 * {@link Mode} allows: on Linux Landlock (through the FFM API), else bubblewrap; on macOS
 * Seatbelt; in mode {@code auto} and only there, no isolation when none works — logged at
 * WARNING and noted in every result. {@code required} fails instead of falling back, and also
 * when the kernel cannot enforce the whole policy; {@code disabled} runs unsandboxed and says so.
 * The backend is chosen on first use and kept.
 *
 * <pre>{@code
 * Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(HostEnvironment.current()), Sandbox.Mode.REQUIRED);
 * ExecResult result = sandbox.run(Command.parse("aws s3api list-buckets | jq -r '.Buckets[].Name'"));
 * }</pre>
 *
 * <p>Thread-safe. Each command is spawned from a platform thread of its own that carries the
 * command's restriction and ends; no other JVM thread ever carries it.
 */
public final class Sandbox {
    private static final Object DEFAULT_LOCK = new Object();
    private static Sandbox defaultSandbox;

    private final SandboxPolicy policy;
    private final HostEnvironment host;
    private final Backends backends;

    private Sandbox(SandboxPolicy policy, HostEnvironment host, Backends backends) {
        this.policy = policy;
        this.host = host;
        this.backends = backends;
    }

    /** A sandbox for this process's host with the platform's backends. */
    public static Sandbox create(SandboxPolicy policy, Mode mode) {
        return builder().policy(policy).mode(mode).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SandboxPolicy policy() {
        return policy;
    }

    public Mode mode() {
        return backends.mode();
    }

    public HostEnvironment host() {
        return host;
    }

    /** The backend commands run with, chosen on first use. */
    public BackendKind backend() throws SandboxException {
        return backends.selected().kind();
    }

    /** Whether commands run isolated; false also when selection fails ({@code required} with no backend). */
    public boolean isSandboxed() {
        try {
            return backend() != BackendKind.NONE;
        } catch (SandboxException e) {
            return false;
        }
    }

    /**
     * What the chosen backend enforces under this sandbox's policy, and how resource limits and the
     * commands' lifetime hold on this host (notes, and gaps where they do not hold: a root fork bomb
     * or a command's total memory without a cgroup). Mode {@code required} refuses a backend that
     * cannot enforce the isolation; those limit gaps do not stop a run (no mechanism an
     * unprivileged user has can close them), they are reported here and by {@code doctor}.
     */
    public EnforcementReport expectedEnforcement() throws SandboxException {
        Backends.Candidate selected = backends.selected();
        EnforcementReport report = EnforcementReport.of(selected.kind(),
                selected.backend().enforcement(policy.rules().network()));
        if (LinuxPlatform.isSupportedLinux() && selected.kind() != BackendKind.SEATBELT) {
            LimitMechanisms.Facts facts = LimitMechanisms.describe(policy.limits().toEngine(), switch (selected.kind()) {
                case LANDLOCK -> report.isolations().contains(EnforcementReport.Isolation.SIGNALS)
                        ? LimitMechanisms.Commands.LANDLOCK : LimitMechanisms.Commands.LANDLOCK_WITHOUT_SIGNAL_SCOPE;
                case BUBBLEWRAP -> LimitMechanisms.Commands.BUBBLEWRAP;
                case NONE, SEATBELT -> LimitMechanisms.Commands.UNSANDBOXED;
            });
            for (String fact : facts.notes()) {
                report = report.withNote(fact);
            }
            for (String gap : facts.gaps()) {
                report = report.withGap(gap);
            }
        }
        return report;
    }

    /** Every backend aws-sandbox knows, with its availability here and, when unavailable, why (for {@code doctor}). */
    public List<BackendStatus> backendStatuses() {
        return backends.statuses();
    }

    /**
     * Resolves a command against the policy without running it: where the program is, what it
     * runs through, what it may touch, what would be enforced.
     */
    public Preview preview(List<String> argv) throws SandboxException {
        return new Runner(host, policy, backends.selected(), mode()).preview(argv);
    }

    /** Runs one command with default options (no stdin, output captured, no timeout) and waits for it. */
    public ExecResult run(String... argv) throws SandboxException {
        return run(Command.of(argv));
    }

    /**
     * Runs a command and waits for it: every stage starts at once, connected by OS pipes, each
     * sandboxed under its own policy (the sandbox's unless the command gives one). Every failure
     * is a {@link SandboxException} with its {@link SandboxException.Kind} and cause; no unchecked
     * exception escapes (an unexpected one is {@code SYSTEM}, wrapped).
     */
    public ExecResult run(Command command) throws SandboxException {
        java.util.Objects.requireNonNull(command, "command");
        Backends.Candidate backend;
        try {
            backend = backends.selected();
        } catch (RuntimeException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot run " + Runner.program(command.stages().getFirst().argv())
                    + ": choosing a backend failed unexpectedly: " + e, Optional.empty(), e);
        } catch (OutOfMemoryError e) {
            throw Runner.outOfThreads(command, e);
        }
        return new Runner(host, policy, backend, mode()).run(command); // never throws an unchecked exception
    }

    /**
     * Runs a command on a virtual thread. Cancelling the future kills every stage's process tree
     * (what was already spawned is killed and reaped, never left running). The future fails with
     * a {@link CompletionException} wrapping a {@link SandboxException}.
     */
    public CompletableFuture<ExecResult> runAsync(Command command) {
        CompletableFuture<ExecResult> future = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("aws-sandbox-run").unstarted(() -> {
            try {
                future.complete(run(command));
            } catch (SandboxException | RuntimeException | Error e) {
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
            Subreaper.enable();
        } catch (ErrnoException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot become the child subreaper: " + e.getMessage(),
                    Optional.empty(), e);
        }
    }

    /**
     * An owner-only directory of this JVM in the temporary directory ({@code java.io.tmpdir}), for
     * state of a program built on the library (the MCP server's): named {@code PREFIX<tag>-<random>},
     * the tag naming this JVM and its pid namespace, so that the next JVM of the same user that
     * makes one with the same prefix removes it if this JVM was killed; directories of other users,
     * and of JVMs of other pid namespaces, are never entered. Deleting it follows no symbolic link,
     * whatever a process that wrote in it renames meanwhile.
     */
    public static PrivateDirectory privateDirectory(String prefix) throws java.io.IOException {
        return new PrivateDirectory(PidDirectories.create(Path.of(System.getProperty("java.io.tmpdir", "/tmp")), prefix));
    }

    /** See {@link #privateDirectory(String)}. */
    public static final class PrivateDirectory implements AutoCloseable {
        private final Path path;

        private PrivateDirectory(Path path) {
            this.path = path;
        }

        /** Its real path. */
        public Path path() {
            return path;
        }

        /** Deletes it and everything in it; best effort. */
        @Override
        public void close() {
            TreeDeletion.delete(path);
        }
    }

    /**
     * Does now what this JVM's first command would do before its process starts: links the native
     * calls a spawn makes and starts the threads that spawn and reap. Call it at start-up on a thread
     * of your own to overlap that work with yours (the CLI does, while picocli builds its model); a
     * command that starts meanwhile waits for it. Nothing here can fail a command: what cannot be
     * prepared now is done, or reported, by the first command. Does nothing but on Linux.
     */
    public static void prepareSpawning() {
        if (LinuxPlatform.isSupportedLinux()) {
            PosixSpawner.prepare();
        }
    }

    // ---- the process-wide default sandbox ----

    /**
     * The process-wide sandbox built from the environment (see {@link #fromEnvironment}).
     * Created once; {@link #resetDefault()} forgets it.
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

    /**
     * A sandbox configured from a host's variables: mode from {@code AWS_MCP_SANDBOX} ({@code auto}
     * by default), credentials from {@code AWS_MCP_SANDBOX_CREDENTIALS} ({@code both} by default);
     * an invalid {@code AWS_MCP_MAX_OUTPUT} is an error here too.
     */
    public static Sandbox fromEnvironment(HostEnvironment host) throws SandboxException {
        try {
            host.maxOutput();
            return builder().host(host).policy(SandboxPolicy.defaults(host, host.credentials())).mode(host.sandboxMode())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), Optional.empty());
        }
    }

    /** Builds sandboxes; defaults: this host, its default policy, mode {@code auto}, the platform's backends. */
    public static final class Builder {
        private HostEnvironment host;
        private SandboxPolicy policy;
        private Mode mode = Mode.AUTO;
        private Optional<BackendKind> backend = Optional.empty();
        private List<Backends.Candidate> candidates;

        private Builder() {}

        public Builder host(HostEnvironment host) {
            this.host = host;
            return this;
        }

        public Builder policy(SandboxPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Uses exactly this backend: no fallback, and an error naming the reason when it is
         * unavailable. {@link BackendKind#NONE} runs unsandboxed, as mode {@code disabled} does.
         */
        public Builder backend(BackendKind kind) {
            this.backend = Optional.of(kind);
            return this;
        }

        /** These backends, strongest first, used exactly (tests: backends that simulate another kernel or host). */
        Builder candidates(List<Backends.Candidate> candidates, boolean forced) {
            this.candidates = List.copyOf(candidates);
            this.backend = forced ? Optional.of(candidates.getFirst().kind()) : Optional.empty();
            return this;
        }

        /**
         * @throws IllegalStateException when a sandboxing backend is asked for with mode {@code disabled},
         *                               which would run the commands without it, or backend {@code none} with mode
         *                               {@code required}, which would run them without one
         */
        public Sandbox build() {
            if (mode == Mode.DISABLED && backend.isPresent() && backend.get() != BackendKind.NONE) {
                throw new IllegalStateException("the " + backend.get().label() + " backend was asked for with mode disabled,"
                        + " which runs commands without isolation");
            }
            if (mode == Mode.REQUIRED && backend.isPresent() && backend.get() == BackendKind.NONE) {
                // required refuses rather than runs with less: the none backend is less (workflow review of 2026-12-04,
                // F15: AWS_MCP_SANDBOX=required with --backend none ran unsandboxed)
                throw new IllegalStateException("the none backend (no isolation) was asked for with mode required, which"
                        + " refuses to run commands without a sandbox");
            }
            HostEnvironment h = host != null ? host : HostEnvironment.current();
            SandboxPolicy p = policy != null ? policy : SandboxPolicy.defaults(h);
            Backends b = candidates != null ? Backends.of(candidates, backend.isPresent(), mode)
                    : backend.map(kind -> Backends.only(kind, mode)).orElseGet(() -> Backends.ofPlatform(mode));
            return new Sandbox(p, h, b);
        }
    }

    /** How hard the sandbox insists (environment variable {@code AWS_MCP_SANDBOX}). */
    public enum Mode {
        /** Use the strongest backend available; fall back to none, loudly. */
        AUTO,
        /** Run without isolation, and say so. */
        DISABLED,
        /** Fail rather than run with less isolation than the policy asks for. */
        REQUIRED;

        public static final String ENV_VAR = "AWS_MCP_SANDBOX";

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses "auto", "disabled" or "required" (any case); {@code source} names where it came from. */
        public static Mode parse(String value, String source) {
            return Labels.parse(values(), Mode::label, value, source);
        }
    }

    /**
     * What running a command would involve, without running it: the program found on PATH, its
     * symlink and interpreter chain, every path grant, the names (never the values) of the
     * environment variables it would get, the isolation that would be enforced, and why the command
     * would get nothing of its working directory (what it holds or leads to; empty when it is given
     * as the policy asks), a fact each caller words as its own advice.
     */
    public record Preview(
            Path executable,
            List<Path> executableChain,
            List<Grant> grants,
            List<String> environmentNames,
            EnforcementReport enforcement,
            List<String> warnings,
            Optional<String> workingDirectoryWithheld) {

        public Preview {
            executableChain = List.copyOf(executableChain);
            grants = List.copyOf(grants);
            environmentNames = List.copyOf(environmentNames);
            warnings = List.copyOf(warnings);
        }

        /**
         * Whether the command could write {@code path} (an existing file or directory, or one in an
         * existing directory): it lies in a writable grant under any of its names — a bind mount
         * gives a directory a second one, which comparing paths does not see.
         */
        public boolean canWrite(Path path) {
            Path real;
            try {
                Path absolute = path.toAbsolutePath();
                real = java.nio.file.Files.exists(absolute) ? absolute.toRealPath()
                        : absolute.getParent().toRealPath().resolve(absolute.getFileName());
            } catch (java.io.IOException | RuntimeException e) {
                real = path.toAbsolutePath().normalize();
            }
            return inAGrant(real, true);
        }

        /** Whether {@code real} lies in a grant (a writable one for {@code write}) under any of its names (bind mounts). */
        private boolean inAGrant(Path real, boolean write) {
            dev.awssandbox.core.access.MountTable mounts = dev.awssandbox.core.access.MountTable.current();
            for (Grant grant : grants) {
                if ((grant.writable() || !write) && mounts.within(real, grant.resolved())) { // its own name first
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether the command could read {@code path} (an existing file or directory): it runs
         * unsandboxed, or {@code path} lies in a grant under any of its names, as {@link #canWrite}
         * asks. Every grant is readable (a read-only mask inside a writable grant too); what no grant
         * holds — a working directory the plan does not give, say — the command cannot open.
         */
        public boolean canRead(Path path) {
            if (enforcement.backend() == BackendKind.NONE) {
                return true; // nothing is enforced: the command reads what this user reads
            }
            Path real;
            try {
                real = path.toAbsolutePath().toRealPath();
            } catch (java.io.IOException | RuntimeException e) {
                return false; // not there, or not reachable: nothing to read
            }
            return inAGrant(real, false);
        }

        /**
         * One path the command may use.
         *
         * @param path      as configured (may be a symlink)
         * @param resolved  where it leads; rules are attached here
         * @param writable  readable and writable, else read-only (with execute)
         * @param directory whether it is a directory
         * @param reason    why it is granted: "policy", "executable", "aws credentials", …
         */
        public record Grant(Path path, Path resolved, boolean writable, boolean directory, String reason) {}
    }

    /** Whether one backend can run on this machine, and why (not). */
    public record BackendStatus(BackendKind kind, boolean available, String detail) {}
}
