package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.egress.EgressRoute;
import dev.awssandbox.core.access.ExecutableChain;
import dev.awssandbox.core.access.WriteProtection;
import dev.awssandbox.core.linux.Errno;
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
import java.util.HashMap;
import java.util.Comparator;
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
 *
 * <p>Network mode hosts: the command gets a network namespace of its own whose one way out is a
 * forwarder ({@code socat}) listening on {@code 127.0.0.1:PORT} there and connecting to the egress
 * proxy's unix socket. The forwarder must not carry the command's seccomp filter (which refuses unix
 * sockets) and must be out of the command's reach (a process the command could ptrace or write
 * through {@code /proc/PID/mem} would be a way around that filter), so it runs in an outer bwrap
 * that creates only the user, network and PID namespaces and sees the host's files; that outer
 * sandbox starts the forwarder, waits until it listens, and execs the command's own bwrap, which
 * keeps the network namespace ({@code --share-net}) and creates every other namespace afresh: the
 * command sees neither the forwarder's process nor the proxy's socket. See {@link #FORWARD}.
 */
public final class BubblewrapBackend implements SandboxBackend {
    private static final List<String> SEARCH = List.of("/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin");
    private final Optional<Path> bwrap;
    private final Optional<Path> socat;
    private final Optional<Path> sleep;
    private volatile Availability availability;
    private volatile Availability hostsAvailability;

    /**
     * The descriptor the command's bwrap reads its environment from ({@code --args}), the first
     * inherited one: a single digit, which every {@code sh} can close with a redirection. The
     * forwarder must not keep it: it holds the AWS secrets and the proxy's token, and socat lived
     * with it for the command's whole life (red team, round 18, F3).
     */
    static final int ENVIRONMENT_FD = SpawnSpec.FIRST_INHERITED;

    /**
     * The outer sandbox's program for network mode hosts, run by {@code /bin/sh -c} with the
     * arguments SOCAT PORT SOCKET LISTENING SLEEP, then the command's bwrap argv. It starts the
     * forwarder (without descriptor 3, the command's seccomp filter, nor {@link #ENVIRONMENT_FD}, its
     * environment), waits until the forwarder's
     * socket is listening (its line in {@code /proc/net/tcp}, which shows this network namespace),
     * and execs the command's bwrap. Nothing of the command reaches it: its arguments are ours.
     */
    static final String FORWARD = String.join("\n",
            "socat=$1 port=$2 socket=$3 listening=$4 sleep=$5",
            "shift 5",
            "\"$socat\" -b 65536 \"TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork,backlog=512\" \"UNIX-CONNECT:$socket\" \\",
            "  </dev/null >/dev/null 2>&1 3<&- " + ENVIRONMENT_FD + "<&- &",
            "forwarder=$!",
            "tries=0",
            "until (while IFS= read -r line; do case $line in *\"$listening\"*) exit 0;; esac; done; exit 1) </proc/net/tcp; do",
            "  if ! kill -0 \"$forwarder\" 2>/dev/null; then",
            "    echo \"aws-sandbox: the egress forwarder ($socat) exited before it listened on 127.0.0.1:$port\" >&2",
            "    exit 125",
            "  fi",
            "  tries=$((tries + 1))",
            "  if [ \"$tries\" -gt 2000 ]; then",
            "    echo \"aws-sandbox: the egress forwarder ($socat) did not listen on 127.0.0.1:$port within 10 s\" >&2",
            "    exit 125",
            "  fi",
            "  \"$sleep\" 0.005",
            "done",
            "exec \"$@\"",
            "");

    /**
     * The spawning thread's part: a umask of its own (077) and no_new_privs (bwrap sets up
     * namespaces, so no Landlock or filter yet), on threads that live as long as the JVM (see the
     * class comment).
     */
    private static final ThreadRestriction SPAWNER = new ThreadRestriction.Steps("prctl(PR_SET_NO_NEW_PRIVS) for bwrap",
            ThreadRestriction.Lifetime.FOREVER, List.of(LinuxRestriction.UMASK, LinuxRestriction.NO_NEW_PRIVS));

    public BubblewrapBackend() {
        this(locate("bwrap"), locate("socat"));
    }

    /** With an explicit bwrap (tests), or none; socat from the system directories. */
    public BubblewrapBackend(Optional<Path> bwrap) {
        this(bwrap, locate("socat"));
    }

    /** With an explicit bwrap and socat (tests: none, to see what mode hosts says without it). */
    public BubblewrapBackend(Optional<Path> bwrap, Optional<Path> socat) {
        this.bwrap = bwrap;
        this.socat = socat;
        this.sleep = locate("sleep");
    }

    private static Optional<Path> locate(String program) {
        return LinuxPlatform.isLinux() ? ExecutableChain.locate(program, String.join(":", SEARCH), Path.of("/"))
                : Optional.empty();
    }

    /** The forwarder network mode hosts needs, if installed. */
    public Optional<Path> socat() {
        return socat;
    }

    /** What to do when socat is missing, for messages. */
    public static final String SOCAT_MISSING = "network mode hosts under bubblewrap needs socat, the forwarder from the"
            + " command's own network namespace to the egress proxy: install it (apt-get install socat, dnf install"
            + " socat), or use Landlock, or run the command with the network on or off";

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                a = availability;
                if (a == null) {
                    a = Trials.apart("bwrap", this::probe);
                    if (a.settled()) {
                        availability = a;
                    }
                }
            }
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
        Availability a;
        try (PinnedPaths root = PinnedPaths.open(List.of(Path.of("/")))) {
            a = trial(argv, "a sandbox", List.of(root.pins().getFirst().fd()));
        } catch (BackendException e) {
            // pinning / fails only for want of descriptors (F_DUPFD above a limit of 256 or less: EINVAL)
            // or memory: nothing that says bwrap cannot run (red team, round 18)
            return Availability.unsettled(e.getMessage());
        }
        if (!a.available()) {
            return a;
        }
        return Availability.yes(a.detail() + "; " + (socat.isPresent()
                ? "network mode hosts forwards through " + socat.get()
                : "no socat, so no network mode hosts: apt-get install socat"));
    }

    /**
     * Runs {@code argv} (a bwrap that runs {@code true}) as commands are run, handing it {@code inherited}
     * as descriptors 4, 5, …; available when it succeeds.
     */
    private Availability trial(List<String> argv, String what, List<Integer> inherited) {
        SpawnSpec spec = new SpawnSpec(bwrap.get(), argv, Map.of(), Path.of("/"), SPAWNER,
                inherited.isEmpty() ? Optional.empty() : Optional.of(new byte[0]), Limits.NONE, inherited);
        try {
            PipelineRunner.Outcome trial = PipelineRunner.INSTANCE.run(List.of(new PipelineRunner.Stage(spec)),
                    new Stdin.Empty(), new OutputTarget.Capture(4096), new OutputTarget.Capture(4096),
                    Optional.of(java.time.Duration.ofSeconds(10)));
            if (trial.timedOut()) {
                return Availability.unsettled(bwrap.get() + " did not finish a trial start within 10 s");
            }
            ProcessExit status = trial.stages().getFirst().status();
            if (!status.isSuccess()) {
                String out = (new String(trial.stderr().bytes(), java.nio.charset.StandardCharsets.UTF_8)
                        + new String(trial.stdout().bytes(), java.nio.charset.StandardCharsets.UTF_8)).strip();
                String first = out.lines().findFirst().orElse(status.toString());
                if (SHORTAGES.stream().anyMatch(first::contains)) {
                    // bwrap could not fork or make a namespace for want of processes, memory or descriptors
                    // now: kept as "cannot run", mode auto ran every later command without isolation
                    // (red team, round 18)
                    return Availability.unsettled(bwrap.get() + " could not start " + what + " now: " + first);
                }
                return Availability.no(bwrap.get() + " cannot start " + what + " here (user namespaces disabled?): "
                        + first);
            }
            return Availability.yes(bwrap.get() + ", trial start succeeded");
        } catch (SpawnException e) {
            return cannotRun(e.getMessage(), e.errno());
        } catch (dev.awssandbox.core.linux.ErrnoException e) {
            return cannotRun(e.getMessage(), e.errno());
        } catch (dev.awssandbox.core.process.ChildReaper.WaitFailed e) {
            return Availability.unsettled("cannot run " + bwrap.get() + ": " + e.getMessage());
        } catch (PipelineRunner.Cancelled e) {
            Thread.currentThread().interrupt();
            return Availability.unsettled("interrupted while trying " + bwrap.get());
        } catch (PipelineRunner.OutputFailed e) {
            // not expected: captured output goes to memory, which does not throw
            return Availability.unsettled("cannot run " + bwrap.get() + ": " + e.getMessage());
        }
    }

    /**
     * How bwrap (run with an empty environment: the C locale's {@code strerror}) says that the system
     * was short of something: EAGAIN, ENOMEM, EMFILE, ENFILE, and ENOSPC (too many namespaces).
     */
    private static final List<String> SHORTAGES = List.of("Resource temporarily unavailable", "Cannot allocate memory",
            "Too many open files", "No space left on device");

    /** A trial that could not start bwrap: settled, unless the system was short of something for now. */
    private Availability cannotRun(String message, int errno) {
        boolean forNow = errno == Errno.EAGAIN || errno == Errno.ENOMEM || errno == Errno.EMFILE || errno == Errno.ENFILE
                || errno == Errno.EINTR;
        String why = "cannot run " + bwrap.orElseThrow() + ": " + message;
        return forNow ? Availability.unsettled(why) : Availability.no(why);
    }

    @Override
    public Enforcement enforcement(NetworkMode network) {
        // with the network shared, abstract unix sockets of the host would be reachable, but the
        // seccomp filter refuses every unix socket
        List<String> gaps = network == NetworkMode.HOSTS && socat.isEmpty() ? List.of(SOCAT_MISSING) : List.of();
        List<String> notes = network == NetworkMode.HOSTS && socat.isPresent()
                ? List.of("network mode hosts: a network namespace of its own, whose one way out is a forwarder ("
                        + socat.get() + ") to the egress proxy, outside the command's PID and mount namespaces")
                : List.of();
        return new Enforcement(Enforcement.Filesystem.BIND_MOUNTS, OptionalInt.empty(), Set.of(), network,
                Enforcement.NetworkControl.COMPLETE, EnumSet.of(Enforcement.Isolation.SIGNALS, Enforcement.Isolation.ABSTRACT_UNIX_SOCKETS),
                true, true, true, gaps, notes);
    }

    @Override
    public Launch prepare(AccessPlan plan, boolean required) throws BackendException {
        Enforcement report = enforcement(plan.network());
        byte[] filter = SeccompFilter.bytesForThisArch(SeccompFilter.Options.bubblewrap(!plan.allowNetwork()));
        Path bwrapPath = bwrap.orElseThrow();
        Optional<EgressRoute> route = Optional.empty();
        if (plan.network() == NetworkMode.HOSTS) {
            route = Optional.of(plan.egress().orElseThrow(() -> new IllegalStateException(
                    "a plan of network mode hosts has no egress route")));
            Availability hosts = hostsAvailability(route.get());
            if (!hosts.available()) {
                // never a fallback: with the network on the allow-list would not hold, off the command cannot work
                throw new BackendException(BackendException.Reason.UNAVAILABLE, hosts.detail());
            }
        }
        // every bind is made from a descriptor of exactly the file the planner judged (--bind-fd)
        List<Path> sources = new ArrayList<>(binds(plan).stream().map(PathGrant::resolved).toList());
        plan.temporaryDirectory().ifPresent(sources::add);
        if (sources.size() > PinnedPaths.MAX) {
            throw new BackendException(BackendException.Reason.INVALID_REQUEST, "the policy grants " + sources.size()
                    + " paths; bubblewrap is given at most " + PinnedPaths.MAX + ": grant fewer, broader directories");
        }
        PinnedPaths pins = PinnedPaths.open(sources);
        // the command's environment reaches bwrap through a file it inherits, never its argv; made here, so
        // that a system short of descriptors or memory fails the run with why before anything started
        int environment;
        try {
            environment = PinnedPaths.high(dev.awssandbox.core.linux.Libc.memoryFile("aws-sandbox-environment",
                    environmentArgs(plan)));
        } catch (dev.awssandbox.core.linux.ErrnoException e) {
            pins.close();
            throw new BackendException(BackendException.Reason.SYSTEM,
                    "cannot hand the command's environment to bwrap (an in-memory file it inherits): " + e.getMessage(), e);
        }
        Map<Path, Integer> childFds = new HashMap<>();
        List<Integer> inherited = new ArrayList<>();
        for (PinnedPaths.Pin pin : pins.pins()) {
            // after the environment's, which is the first (ENVIRONMENT_FD: the forwarder closes it)
            childFds.put(pin.path(), ENVIRONMENT_FD + 1 + inherited.size());
            inherited.add(pin.fd());
        }
        // mode hosts: an outer bwrap around the command's, which passes descriptors 3, 4, … on unchanged
        Optional<EgressRoute> hostsRoute = route;
        Runnable release = () -> {
            pins.close();
            dev.awssandbox.core.linux.Libc.close(environment);
        };
        java.util.concurrent.atomic.AtomicBoolean wrapped = new java.util.concurrent.atomic.AtomicBoolean();
        return new Launch(SPAWNER, report, release,
                spec -> {
                    // the file holds the plan's environment, and bwrap reads it from its offset: one spawn
                    if (!spec.environment().equals(plan.environment())) {
                        throw new IllegalArgumentException("a bubblewrap launch runs its plan's environment");
                    }
                    if (wrapped.getAndSet(true)) {
                        throw new IllegalStateException("a bubblewrap launch wraps one spawn");
                    }
                    List<Integer> descriptors = new ArrayList<>();
                    descriptors.add(environment);
                    descriptors.addAll(inherited);
                    List<String> argv = argv(bwrapPath, plan, spec, childFds, ENVIRONMENT_FD);
                    return new SpawnSpec(bwrapPath, hostsRoute.map(r -> hostsArgv(bwrapPath, r, argv)).orElse(argv),
                            Map.of(), Path.of("/"), spec.restriction(), Optional.of(filter),
                            withOwnProcesses(spec.limits(), hostsRoute.isPresent()), descriptors);
                },
                true); // bwrap exits with 128+N when the command dies of signal N
    }

    /**
     * bwrap's own processes (its monitor and the new PID namespace's init; in mode hosts also the
     * outer sandbox's two, its shell and the forwarder's listener) live in the command's cgroup and
     * count against its process limit: they are added to it, so that the command gets the processes
     * it was allowed (red team, round 15: under {@code --max-processes 3} a shell could not fork).
     */
    static dev.awssandbox.core.process.Limits withOwnProcesses(dev.awssandbox.core.process.Limits limits, boolean hosts) {
        int own = OWN_PROCESSES + (hosts ? HOSTS_OWN_PROCESSES : 0);
        return limits.processes().isPresent() ? limits.withProcesses(limits.processes().getAsLong() + own) : limits;
    }

    private static final int OWN_PROCESSES = 2;
    private static final int HOSTS_OWN_PROCESSES = 4;

    /**
     * The outer sandbox of network mode hosts around the command's own bwrap argv: new user,
     * network and PID namespaces, the host's files as they are (the forwarder reaches the proxy's
     * socket), and {@link #FORWARD}. Its exit status is the command's bwrap's.
     */
    List<String> hostsArgv(Path bwrapPath, EgressRoute route, List<String> inner) {
        // A /proc of the outer PID namespace: the command's bwrap reads /proc/PID/ns of the child it
        // starts, PID as the outer namespace numbers it; in the host's /proc that number was another
        // process, or none, and bwrap failed ("open /proc/12/ns failed") whenever the forwarder took
        // long enough to listen that the count reached a number the host had no process at.
        List<String> argv = new ArrayList<>(List.of(bwrapPath.toString(), "--unshare-user", "--unshare-net",
                "--unshare-pid", "--die-with-parent", "--dev-bind", "/", "/", "--proc", "/proc"));
        List<String> command = new ArrayList<>(inner);
        dev.awssandbox.core.linux.ProcessIds ids = dev.awssandbox.core.linux.ProcessIds.current();
        if (ids.root()) {
            // As uid 0 in the outer namespace, the command's bwrap may not mount its own /proc over that
            // one (EPERM); as another uid there it makes a user namespace of its own, and maps 0 back.
            argv.addAll(List.of("--uid", OUTER_UID, "--gid", OUTER_UID));
            command.addAll(1, List.of("--uid", "0", "--gid", Integer.toString(ids.gid())));
        }
        argv.addAll(List.of("--", "/bin/sh", "-c", FORWARD,
                "aws-sandbox-egress", socat.orElseThrow().toString(), Integer.toString(route.port()),
                route.socket().toString(), listening(route.port()), sleep.map(Path::toString).orElse("sleep")));
        argv.addAll(command);
        return argv;
    }

    /** The outer sandbox's uid and gid for a root JVM (nobody's): mapped to root, so files are reached as before. */
    private static final String OUTER_UID = "65534";

    /** A listening socket on 127.0.0.1:port as {@code /proc/net/tcp} shows it. */
    static String listening(int port) {
        return String.format(java.util.Locale.ROOT, ": 0100007F:%04X 00000000:0000 0A ", port);
    }

    /**
     * Whether the outer sandbox of mode hosts can run here (socat installed, a bwrap inside a bwrap:
     * nested user namespaces, a fresh /proc inside), tried once with the command {@code true}.
     */
    private synchronized Availability hostsAvailability(EgressRoute route) {
        Availability a = hostsAvailability;
        if (a != null) {
            return a;
        }
        if (socat.isEmpty()) {
            a = Availability.no(SOCAT_MISSING);
        } else {
            Path b = bwrap.orElseThrow();
            List<String> inner = List.of(b.toString(), "--unshare-all", "--share-net", "--die-with-parent",
                    "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "true");
            a = Trials.apart("bwrap-hosts", () -> trial(hostsArgv(b, route, inner),
                    "network mode hosts (a bwrap with socat around the command's bwrap)", List.of()));
        }
        if (a.settled()) {
            hostsAvailability = a;
        }
        return a;
    }

    /** Read-only binds after the writable ones keep git metadata and the installation read-only inside them. */
    @Override
    public WriteProtection writeProtection() {
        return WriteProtection.MASK;
    }

    /**
     * The command's environment as bwrap's {@code --setenv NAME VALUE} arguments, each NUL-ended,
     * for {@code --args FD}: passed in argv they were in bwrap's {@code /proc/PID/cmdline}, which
     * every local user can read — the AWS secret keys and the egress proxy's token among them (red
     * team, round 17).
     */
    static byte[] environmentArgs(AccessPlan plan) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, String> e : plan.environment().entrySet()) {
            boolean tmpdir = e.getKey().equals("TMPDIR") && plan.temporaryDirectory().isPresent();
            for (String arg : List.of("--setenv", e.getKey(), tmpdir ? "/tmp" : e.getValue())) {
                out.writeBytes(arg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.write(0);
            }
        }
        return out.toByteArray();
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
            if (grant.resolved().startsWith("/proc") || DEV_PROVIDED.stream().anyMatch(grant.resolved()::startsWith)) {
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
    private static final Path DEV = Path.of("/dev");
    /** What bwrap's --dev makes: the standard nodes, the terminal's, the descriptors' links; beneath /dev only these are never bound. */
    private static final List<Path> DEV_PROVIDED = java.util.stream.Stream.of("null", "zero", "full", "random", "urandom",
            "tty", "ptmx", "pts", "fd", "stdin", "stdout", "stderr", "core").map(DEV::resolve).toList();

    static List<String> argv(Path bwrap, AccessPlan plan, SpawnSpec spec, Map<Path, Integer> childFds, int environmentFd) {
        List<String> argv = new ArrayList<>(List.of(bwrap.toString(),
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"));
        if (plan.allowNetwork() || plan.network() == NetworkMode.HOSTS) {
            // mode hosts: the network namespace is the outer sandbox's own (see hostsArgv), not the host's
            argv.add("--share-net");
        }
        Optional<Path> temporary = plan.temporaryDirectory();
        List<PathGrant> ordered = binds(plan);
        // the command's private temporary directory is its /tmp, before any bind beneath /tmp (a
        // working directory there): the host's /tmp never appears
        boolean tmpMounted = temporary.isEmpty();
        // grants beneath /dev (--rw /dev/shm/x) are bound after --dev /dev below, which would hide them
        List<PathGrant> inDev = ordered.stream().filter(g -> g.resolved().startsWith(DEV) && !g.resolved().equals(DEV)).toList();
        for (PathGrant grant : ordered) {
            if (inDev.contains(grant)) {
                continue;
            }
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
        // capabilities or not, and the keyrings' lists show every key of the command's user it may view (the
        // descriptions: a CIFS mount's server and user, Kerberos principals; outside test RT18, F1): cover each with
        // /dev/null, a device on a nodev mount, which cannot even be opened
        for (String name : maskedProcFiles()) {
            argv.addAll(List.of("--ro-bind", "/dev/null", "/proc/" + name));
        }
        if (plan.allowNetwork() && plan.network() != NetworkMode.HOSTS) {
            // the host's network namespace: its /proc/sys/net is the host's, and root inside read the host's TCP Fast
            // Open key, with which cookies for this host can be forged (outside test RT20, F3)
            for (String name : hostNetworkSecrets()) {
                argv.addAll(List.of("--ro-bind", "/dev/null", "/proc/" + name));
            }
        }
        argv.addAll(List.of("--dev", "/dev"));
        for (PathGrant grant : inDev) {
            bind(argv, grant.resolved(), grant.resolved(), grant.access() == PathGrant.Access.READ_WRITE, childFds);
        }
        for (PathGrant grant : plan.grants()) {
            Path link = grant.path();
            if (!link.equals(grant.resolved()) && Files.isSymbolicLink(link) && !visibleThroughABind(link, ordered)) {
                // straight to the resolved target: the intermediate hops are not bound
                argv.addAll(List.of("--symlink", grant.resolved().toString(), link.toString()));
            }
        }
        Path cwd = plan.workingDirectory();
        if (ordered.stream().noneMatch(g -> cwd.startsWith(g.resolved()))) {
            // an empty stand-in: its contents stay hidden; read-only, as under Landlock, so that a write
            // fails instead of landing in a directory that vanishes with the sandbox (red team, round 11)
            argv.addAll(List.of("--perms", "0555", "--dir", cwd.toString()));
        }
        argv.addAll(List.of("--chdir", cwd.toString()));
        argv.addAll(List.of("--args", Integer.toString(environmentFd))); // --setenv NAME VALUE …: environmentArgs
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
     * The files of {@code /proc/sys} only root may read, but those of {@code /proc/sys/net}, which are a network
     * namespace's ({@link #hostNetworkSecrets}): the same kernel shows the same set in the command's fresh /proc.
     */
    private static List<String> rootOnlySysctls() {
        List<String> found = new ArrayList<>();
        Path sys = Path.of("/proc/sys");
        try (var walk = Files.walk(sys)) {
            walk.filter(p -> !p.startsWith(sys.resolve("net")) && notReadableByOthers(p))
                    .forEach(p -> found.add("sys/" + sys.relativize(p)));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // no /proc/sys: nothing to cover
        }
        return found;
    }

    /**
     * The secrets of this host's network namespace in {@code /proc/sys/net}, as they are now (interfaces come and go):
     * the TCP Fast Open key and each interface's IPv6 stable-privacy secret, where only root may read them.
     */
    static List<String> hostNetworkSecrets() {
        List<String> found = new ArrayList<>();
        if (notReadableByOthers(Path.of("/proc/sys/net/ipv4/tcp_fastopen_key"))) {
            found.add("sys/net/ipv4/tcp_fastopen_key");
        }
        try (var interfaces = Files.newDirectoryStream(Path.of("/proc/sys/net/ipv6/conf"))) {
            for (Path i : interfaces) {
                if (notReadableByOthers(i.resolve("stable_secret"))) {
                    found.add("sys/net/ipv6/conf/" + i.getFileName() + "/stable_secret");
                }
            }
        } catch (java.io.IOException e) {
            // no IPv6: nothing to cover
        }
        return found;
    }

    private static boolean notReadableByOthers(Path file) {
        try {
            var attributes = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile()
                    && !attributes.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        } catch (java.io.IOException e) {
            return false; // vanished or unreadable: nothing to cover
        }
    }

    /**
     * The files of {@code /proc} the command cannot open (each is covered by {@code /dev/null}):
     * {@link #rootOnlyProcFiles} and the kernel
     * keyrings' lists ({@code keys}, {@code key-users}), which the kernel filters by the reader's user only: bubblewrap's
     * root inside is the caller's user. Under Landlock {@code /proc} is not granted at all.
     */
    static List<String> maskedProcFiles() {
        List<String> masked = maskedProcFiles;
        if (masked == null) {
            List<String> files = new ArrayList<>(rootOnlyProcFiles());
            for (String keyring : List.of("key-users", "keys")) {
                if (!files.contains(keyring) && Files.isRegularFile(Path.of("/proc", keyring), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files.add(keyring);
                }
            }
            files.sort(null);
            masked = List.copyOf(files);
            maskedProcFiles = masked; // the same kernel shows the same set: listed once (review R11)
        }
        return masked;
    }

    private static volatile List<String> maskedProcFiles;

    /**
     * The regular files directly in {@code /proc}, and those of {@code /proc/sys} but its {@code net}
     * ({@link #rootOnlySysctls}), that only their owner (root) may read: the same kernel shows the same set in the
     * command's fresh /proc. Listed once.
     */
    static List<String> rootOnlyProcFiles() {
        List<String> files = rootOnlyProcFiles;
        if (files == null) {
            List<String> found = new ArrayList<>(rootOnlySysctls());
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
