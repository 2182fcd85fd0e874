package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.ExecutableChain;
import dev.awssandbox.core.access.WriteProtection;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.LinuxPlatform;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.process.Limits;
import dev.awssandbox.core.process.OutputTarget;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.ProcessExit;
import dev.awssandbox.core.process.SpawnException;
import dev.awssandbox.core.process.SpawnSpec;
import dev.awssandbox.core.process.Stdin;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Linux namespaces through bubblewrap: the command sees a fresh root with only the plan's paths
 * bound in (read-only or read-write, symlinks recreated), a fresh /proc and minimal /dev, its own
 * PID, IPC, UTS, cgroup and user namespaces, its own network namespace unless the network is
 * allowed, no capabilities, a new session, the environment given explicitly, and our seccomp
 * filter (passed on descriptor 3). Used where Landlock is not available.
 *
 * <p>{@code --die-with-parent} is tied to the parent <em>thread</em> (bubblewrap #692), so bwrap is
 * started from a long-lived spawner thread that never ends.
 */
public final class BubblewrapBackend implements SandboxBackend {
    private static final List<String> SEARCH = List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin");
    private final Optional<Path> bwrap;
    private volatile Availability availability;

    /**
     * The spawning thread's part: a umask of its own (077) and no_new_privs (bwrap sets up
     * namespaces, so no Landlock or filter yet), on threads that live as long as the JVM (see the
     * class comment).
     */
    private static final ThreadRestriction SPAWNER = new ThreadRestriction() {
        @Override
        public java.util.Optional<Failure> applyToCurrentThread() {
            int errno = Libc.setThreadUmask(LinuxRestriction.COMMAND_UMASK);
            if (errno != 0) {
                return java.util.Optional.of(new Failure("unshare(CLONE_FS)", errno));
            }
            errno = Libc.setNoNewPrivs();
            return errno == 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(new Failure("prctl(PR_SET_NO_NEW_PRIVS)", errno));
        }

        @Override
        public String describe() {
            return "prctl(PR_SET_NO_NEW_PRIVS) for bwrap";
        }

        @Override
        public Lifetime lifetime() {
            return Lifetime.FOREVER;
        }
    };

    public BubblewrapBackend() {
        this(LinuxPlatform.isLinux() ? ExecutableChain.locate("bwrap", String.join(":", SEARCH), Path.of("/"))
                : Optional.empty());
    }

    /** With an explicit bwrap (tests), or none. */
    public BubblewrapBackend(Optional<Path> bwrap) {
        this.bwrap = bwrap;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probe();
            availability = a;
        }
        return a;
    }

    /** bwrap must exist and start: user namespaces may be disabled (e.g. Ubuntu 24.04's AppArmor rule). */
    private Availability probe() {
        if (!LinuxPlatform.isSupportedLinux()) {
            return Availability.no("bubblewrap is a Linux tool");
        }
        if (bwrap.isEmpty()) {
            return Availability.no("bwrap is not installed (apt-get install bubblewrap)");
        }
        // started exactly as real runs are (same spawner thread, with no_new_privs): a setuid bwrap on a
        // host without unprivileged user namespaces must not pass the probe and then fail every run
        // and with its root bound from a descriptor, as every real bind is (--bind-fd: bubblewrap 0.5)
        List<String> argv = List.of(bwrap.get().toString(), "--unshare-all", "--die-with-parent",
                "--ro-bind-fd", Integer.toString(SpawnSpec.FIRST_INHERITED), "/", "--dev", "/dev", "--proc", "/proc",
                "--", "true");
        try (PinnedPaths root = PinnedPaths.open(List.of(Path.of("/")))) {
            SpawnSpec spec = new SpawnSpec(bwrap.get(), argv, Map.of(), Path.of("/"), SPAWNER, Optional.of(new byte[0]),
                    Limits.NONE, List.of(root.pins().getFirst().fd()));
            PipelineRunner.Outcome trial = PipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)),
                    new Stdin.Empty(), new OutputTarget.Capture(4096), new OutputTarget.Capture(4096),
                    Optional.of(java.time.Duration.ofSeconds(10)));
            if (trial.timedOut()) {
                return Availability.no(bwrap.get() + " did not finish a trial start within 10 s");
            }
            ProcessExit status = trial.stages().getFirst().status();
            if (!status.isSuccess()) {
                String out = (new String(trial.stderr().bytes(), java.nio.charset.StandardCharsets.UTF_8)
                        + new String(trial.stdout().bytes(), java.nio.charset.StandardCharsets.UTF_8)).strip();
                return Availability.no(bwrap.get() + " cannot start a sandbox here (user namespaces disabled?): "
                        + out.lines().findFirst().orElse(status.toString()));
            }
            return Availability.yes(bwrap.get() + ", trial start succeeded");
        } catch (SpawnException | dev.awssandbox.core.linux.ErrnoException
                 | dev.awssandbox.core.process.ChildReaper.WaitFailed e) {
            return Availability.no("cannot run " + bwrap.get() + ": " + e.getMessage());
        } catch (BackendException e) {
            return Availability.no(e.getMessage());
        } catch (PipelineRunner.Cancelled e) {
            Thread.currentThread().interrupt();
            return Availability.no("interrupted while trying " + bwrap.get());
        }
    }

    @Override
    public Enforcement enforcement(boolean allowNetwork) {
        // with the network shared, abstract unix sockets of the host would be reachable, but the
        // seccomp filter refuses every unix socket
        return new Enforcement(Enforcement.Filesystem.BIND_MOUNTS, OptionalInt.empty(), Set.of(),
                allowNetwork ? Enforcement.Network.ALLOWED : Enforcement.Network.DENIED,
                EnumSet.of(Enforcement.Isolation.SIGNALS, Enforcement.Isolation.ABSTRACT_UNIX_SOCKETS),
                true, true, true, List.of(), List.of());
    }

    @Override
    public Launch prepare(AccessPlan plan, boolean required) throws BackendException {
        Enforcement report = enforcement(plan.allowNetwork());
        byte[] filter = SeccompFilter.bytesForThisArch(SeccompFilter.Options.bubblewrap(!plan.allowNetwork()));
        Path bwrapPath = bwrap.orElseThrow();
        // every bind is made from a descriptor of exactly the file the planner judged (--bind-fd)
        List<Path> sources = new ArrayList<>(binds(plan).stream().map(PathGrant::resolved).toList());
        plan.temporaryDirectory().ifPresent(sources::add);
        if (sources.size() > PinnedPaths.MAX) {
            throw new BackendException(BackendException.Reason.INVALID_REQUEST, "the policy grants " + sources.size()
                    + " paths; bubblewrap is given at most " + PinnedPaths.MAX + ": grant fewer, broader directories");
        }
        PinnedPaths pins = PinnedPaths.open(sources);
        Map<Path, Integer> childFds = new HashMap<>();
        List<Integer> inherited = new ArrayList<>();
        for (PinnedPaths.Pin pin : pins.pins()) {
            childFds.put(pin.path(), SpawnSpec.FIRST_INHERITED + inherited.size());
            inherited.add(pin.fd());
        }
        return new Launch(SPAWNER, report, pins::close,
                spec -> new SpawnSpec(bwrapPath, argv(bwrapPath, plan, spec, childFds), Map.of(), Path.of("/"),
                        spec.restriction(), Optional.of(filter), spec.limits(), inherited),
                true); // bwrap exits with 128+N when the command dies of signal N
    }

    /** Read-only binds after the writable ones keep git metadata and the installation read-only inside them. */
    @Override
    public WriteProtection writeProtection() {
        return WriteProtection.MASK;
    }

    /** bwrap's argv for running {@code spec} under {@code plan}, every source bound by name (tests). */
    static List<String> argv(Path bwrap, AccessPlan plan, SpawnSpec spec) {
        return argv(bwrap, plan, spec, Map.of());
    }

    /**
     * The binds of {@code plan}, parents before children: a later bind of a parent would hide an
     * earlier child bind, and a read-only bind beneath a writable one (git metadata, the
     * installation) must come after it.
     */
    static List<PathGrant> binds(AccessPlan plan) {
        Map<Path, PathGrant> binds = new LinkedHashMap<>();
        Optional<Path> temporary = plan.temporaryDirectory();
        for (PathGrant grant : plan.grants()) {
            if (grant.resolved().startsWith("/dev") || grant.resolved().startsWith("/proc")) {
                continue; // --dev and --proc provide them
            }
            if (temporary.isPresent() && grant.resolved().equals(temporary.get())) {
                continue; // mounted at /tmp below
            }
            binds.merge(grant.resolved(), grant,
                    (a, b) -> a.access() == PathGrant.Access.READ_WRITE ? a : b); // read-write wins
        }
        for (Path pin : pins(binds)) {
            binds.putIfAbsent(pin, new PathGrant(pin, pin, PathGrant.Access.READ_WRITE, true, "pinned"));
        }
        List<PathGrant> ordered = new ArrayList<>(binds.values());
        ordered.sort(Comparator.comparingInt((PathGrant g) -> g.resolved().getNameCount()));
        return ordered;
    }

    /**
     * bwrap's argv for running {@code spec} under {@code plan}; a source with a descriptor in
     * {@code childFds} (the number the child has it at) is bound from it ({@code --bind-fd}).
     */
    static List<String> argv(Path bwrap, AccessPlan plan, SpawnSpec spec, Map<Path, Integer> childFds) {
        List<String> argv = new ArrayList<>(List.of(bwrap.toString(),
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"));
        if (plan.allowNetwork()) {
            argv.add("--share-net");
        }
        Optional<Path> temporary = plan.temporaryDirectory();
        List<PathGrant> ordered = binds(plan);
        // the command's private temporary directory is its /tmp, before any bind beneath /tmp (a
        // working directory there): the host's /tmp never appears
        boolean tmpMounted = temporary.isEmpty();
        for (PathGrant grant : ordered) {
            if (!tmpMounted && grant.resolved().getNameCount() > 1) {
                bind(argv, temporary.get(), Path.of("/tmp"), true, childFds);
                tmpMounted = true;
            }
            bind(argv, grant.resolved(), grant.resolved(), grant.access() == PathGrant.Access.READ_WRITE, childFds);
        }
        if (!tmpMounted) {
            bind(argv, temporary.get(), Path.of("/tmp"), true, childFds);
        }
        // After the binds, so that a bound parent (even "/") cannot cover them: a host /proc
        // would expose /proc/PID/root of host processes (found in review).
        argv.addAll(List.of("--proc", "/proc"));
        // bwrap covers /proc/sys only when access(W_OK) on the directory succeeds, which it never
        // does (mode 0555), yet the sysctl files check only the euid: as root the command wrote
        // kernel.core_pattern, a host root escape (found in review). The whole fresh /proc is made
        // read-only instead — every kernel knob in it, present and future; /proc/self/fd/N still
        // reopens the descriptor's own file, so /dev/stdout keeps working.
        argv.addAll(List.of("--remount-ro", "/proc"));
        // root-only global files (kpageflags, slabinfo, timer_list, …) are readable by root inside,
        // capabilities or not: replace each with an empty file
        for (String name : rootOnlyProcFiles()) {
            argv.addAll(List.of("--ro-bind", "/dev/null", "/proc/" + name));
        }
        argv.addAll(List.of("--dev", "/dev"));
        for (PathGrant grant : plan.grants()) {
            Path link = grant.path();
            if (!link.equals(grant.resolved()) && Files.isSymbolicLink(link) && !visibleThroughABind(link, ordered)) {
                // straight to the resolved target: the intermediate hops are not bound
                argv.addAll(List.of("--symlink", grant.resolved().toString(), link.toString()));
            }
        }
        Path cwd = plan.workingDirectory();
        if (ordered.stream().noneMatch(g -> cwd.startsWith(g.resolved()))) {
            argv.addAll(List.of("--dir", cwd.toString())); // an empty stand-in: its contents stay hidden
        }
        argv.addAll(List.of("--chdir", cwd.toString()));
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            boolean tmpdir = e.getKey().equals("TMPDIR") && temporary.isPresent();
            argv.addAll(List.of("--setenv", e.getKey(), tmpdir ? "/tmp" : e.getValue()));
        }
        argv.addAll(List.of("--seccomp", "3", "--"));
        argv.add(spec.executable().toString());
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        return argv;
    }

    private static void bind(List<String> argv, Path source, Path destination, boolean writable, Map<Path, Integer> childFds) {
        Integer fd = childFds.get(source);
        if (fd != null) {
            argv.addAll(List.of(writable ? "--bind-fd" : "--ro-bind-fd", fd.toString(), destination.toString()));
        } else {
            argv.addAll(List.of(writable ? "--bind" : "--ro-bind", source.toString(), destination.toString()));
        }
    }

    /**
     * Whether {@code link} already exists inside the sandbox: its directory, resolved on the host,
     * lies in a bind. {@code /bin/sh} on a merged-/usr host is {@code /usr/bin/sh} through the
     * {@code /bin -> usr/bin} link, already there through the {@code /usr} bind; making it again
     * failed every such command with "Can't make symlink at /bin/sh".
     */
    private static boolean visibleThroughABind(Path link, List<PathGrant> binds) {
        Path parent = link.getParent();
        if (parent == null) {
            return true;
        }
        Path where;
        try {
            where = parent.toRealPath();
        } catch (java.io.IOException e) {
            where = parent;
        }
        Path directory = where;
        return binds.stream().anyMatch(g -> g.directory() && directory.startsWith(g.resolved()));
    }

    /**
     * Directories to bind onto themselves so that no read-only bind beneath a writable one can be
     * moved aside: the kernel refuses to rename a mount point, but not its parent. Without them a
     * command ran {@code mv a a2; mkdir -p a/b/.git} and planted a repository where
     * {@code a/b/.git} (kept read-only) had been. Each directory between the innermost writable
     * bind and a read-only bind below it is pinned; the writable bind itself already is one.
     */
    static List<Path> pins(Map<Path, PathGrant> binds) {
        List<Path> pins = new ArrayList<>();
        for (PathGrant inner : binds.values()) {
            if (inner.access() != PathGrant.Access.READ) {
                continue;
            }
            for (Path dir = inner.resolved().getParent(); dir != null; dir = dir.getParent()) {
                PathGrant enclosing = innermostBind(binds, dir);
                if (enclosing == null || enclosing.access() != PathGrant.Access.READ_WRITE) {
                    break; // outside every bind, or inside a read-only one: nothing can be renamed here
                }
                if (enclosing.resolved().equals(dir)) {
                    break; // the writable bind itself: a mount point already
                }
                if (!pins.contains(dir)) {
                    pins.add(dir);
                }
            }
        }
        return pins;
    }

    private static PathGrant innermostBind(Map<Path, PathGrant> binds, Path path) {
        PathGrant best = null;
        for (PathGrant grant : binds.values()) {
            if (path.startsWith(grant.resolved())
                    && (best == null || grant.resolved().getNameCount() > best.resolved().getNameCount())) {
                best = grant;
            }
        }
        return best;
    }

    private static volatile List<String> rootOnlyProcFiles;

    /**
     * The regular files directly in {@code /proc} that only their owner (root) may read: the same
     * kernel shows the same set in the command's fresh /proc. Listed once.
     */
    static List<String> rootOnlyProcFiles() {
        List<String> files = rootOnlyProcFiles;
        if (files == null) {
            List<String> found = new ArrayList<>();
            try (var entries = Files.newDirectoryStream(Path.of("/proc"))) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        var attributes = Files.readAttributes(entry, java.nio.file.attribute.PosixFileAttributes.class,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        if (attributes.isRegularFile()
                                && !attributes.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                            found.add(name);
                        }
                    } catch (java.io.IOException e) {
                        // vanished or unreadable: nothing to cover
                    }
                }
            } catch (java.io.IOException e) {
                // no /proc on the host: bwrap's own will still be read-only
            }
            found.sort(null);
            files = List.copyOf(found);
            rootOnlyProcFiles = files;
        }
        return files;
    }

}
