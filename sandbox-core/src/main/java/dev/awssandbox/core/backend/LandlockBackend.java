package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.PathGrant;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.landlock.FsAccess;
import dev.awssandbox.core.landlock.Landlock;
import dev.awssandbox.core.landlock.LandlockRuleset;
import dev.awssandbox.core.landlock.LandlockSupport;
import dev.awssandbox.core.landlock.NetAccess;
import dev.awssandbox.core.landlock.Scope;
import dev.awssandbox.core.linux.Capabilities;
import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.ThreadRestriction;
import dev.awssandbox.core.process.GateDirectory;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Linux Landlock: a ruleset built from the plan, enforced (with no_new_privs) on the thread that
 * spawns the child and inherited by it. Handles exactly the rights the kernel's ABI knows.
 */
public final class LandlockBackend implements SandboxBackend {
    private final int abiCap;
    private volatile LandlockSupport support;
    private final RestrictionCache<RulesetKey, LinuxRestriction> restrictions = new RestrictionCache<>(32);

    /**
     * Everything a ruleset is built from: the ABI, the network switch, and each grant with the
     * identity (device and inode) of the file it resolves to now.
     */
    private record RulesetKey(int abi, boolean denyTcp, boolean denyNetwork, OptionalInt connectPort, List<Object> grants) {}

    /** Uses every ABI feature the kernel has. */
    public LandlockBackend() {
        this(Integer.MAX_VALUE);
    }

    /**
     * Uses at most ABI {@code abiCap}, as if the kernel were older: lets tests exercise best-effort
     * and {@code required} behaviour of older kernels on a new one.
     */
    public LandlockBackend(int abiCap) {
        this.abiCap = abiCap;
    }

    private LandlockSupport support() {
        LandlockSupport s = support;
        if (s == null) {
            s = Landlock.probe();
            support = s;
        }
        return s;
    }

    /** The ABI in use: the kernel's, capped. */
    public int abi() {
        return Math.min(support().abi(), abiCap);
    }

    @Override
    public Availability availability() {
        LandlockSupport s = support();
        if (!s.isAvailable()) {
            return Availability.no(s.unavailableReason().orElseThrow());
        }
        return Availability.yes("kernel Landlock ABI " + s.abi() + (abiCap < s.abi() ? ", capped to " + abiCap : ""));
    }

    @Override
    public Enforcement enforcement(NetworkMode mode) {
        int abi = abi();
        List<String> gaps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (abi < 3) {
            gaps.add("truncate() of files outside the policy is not restricted (needs Landlock ABI 3, kernel has " + abi + ")");
        }
        if (mode == NetworkMode.OFF && abi < NetAccess.ABI) {
            gaps.add("with the network off, TCP is not restricted (TCP rules need Landlock ABI 4, kernel has " + abi
                    + "); other sockets are, by seccomp");
        }
        if (mode == NetworkMode.HOSTS && abi < NetAccess.ABI) {
            gaps.add("with network mode hosts, TCP is not held to the egress proxy (TCP rules need Landlock ABI 4, kernel"
                    + " has " + abi + "): a program that ignores the proxy variables reaches any host; other sockets are"
                    + " denied, by seccomp");
        }
        if (mode == NetworkMode.HOSTS && abi >= NetAccess.ABI) {
            notes.add("network mode hosts: TCP connect only to the egress proxy's port number, bind denied; Landlock's"
                    + " port rule is not tied to an address, so a host elsewhere listening on that port number is"
                    + " reachable directly (bubblewrap and Seatbelt hold the address too)");
        }
        if (abi < Scope.ABI) {
            gaps.add("signals to and abstract unix sockets of outside processes are not restricted"
                    + " (needs Landlock ABI 6, kernel has " + abi + ")");
        }
        Enforcement.NetworkControl control = abi >= NetAccess.ABI ? Enforcement.NetworkControl.TCP_BY_PORT
                : Enforcement.NetworkControl.ALL_BUT_TCP;
        Set<Enforcement.Isolation> isolations = abi >= Scope.ABI
                ? EnumSet.of(Enforcement.Isolation.SIGNALS, Enforcement.Isolation.ABSTRACT_UNIX_SOCKETS)
                : EnumSet.noneOf(Enforcement.Isolation.class);
        return new Enforcement(Enforcement.Filesystem.LANDLOCK_RULES, OptionalInt.of(abi), FsAccess.knownBy(abi), mode,
                control, isolations, true, true, true, gaps, notes);
    }

    @Override
    public Launch prepare(AccessPlan plan, boolean required) throws BackendException {
        Enforcement report = enforcement(plan.network());
        OptionalInt connectPort = OptionalInt.empty();
        if (plan.network() == NetworkMode.HOSTS) {
            connectPort = OptionalInt.of(plan.egress().orElseThrow(() -> new IllegalStateException(
                    "a plan of network mode hosts has no egress route")).port());
        }
        if (required && !report.gaps().isEmpty()) {
            throw new BackendException(BackendException.Reason.UNENFORCEABLE,
                    "sandbox mode is required but this kernel cannot enforce the whole policy with Landlock: "
                            + String.join("; ", report.gaps()));
        }
        Path gates = GateDirectory.path();
        for (PathGrant grant : plan.grants()) {
            if (grant.access() == PathGrant.Access.READ_WRITE && gates.startsWith(grant.resolved())) {
                // a command that could put a file there could let a later command start before its limits hold
                throw new BackendException(BackendException.Reason.INVALID_REQUEST, "the writable path " + grant.path()
                        + " holds aws-sandbox's private spawn directory " + gates + "; grant a narrower path");
            }
        }
        int abi = abi();
        boolean denyTcp = !plan.allowNetwork() && abi >= NetAccess.ABI;
        OptionalInt port = denyTcp ? connectPort : OptionalInt.empty();
        Capabilities.lastCap(); // load on this unrestricted thread: it reads /proc
        RestrictionCache<RulesetKey, LinuxRestriction>.Lease lease;
        // the rules are made on the files the planner judged, opened without following a link
        try (PinnedPaths pins = PinnedPaths.open(plan.grants().stream().map(PathGrant::resolved).distinct().toList())) {
            lease = restrictions.lease(key(abi, denyTcp, port, plan, pins), () -> new LinuxRestriction(build(abi, denyTcp, port, plan, pins),
                    SeccompFilter.forThisArch(SeccompFilter.Options.landlock(!plan.allowNetwork(), ProcessHandle.current().pid())),
                    abi >= Scope.ABI));
        } catch (ErrnoException e) {
            throw new BackendException(BackendException.Reason.SYSTEM, "cannot build the Landlock ruleset: " + e.getMessage(), e);
        }
        ThreadRestriction restriction = lease.value();
        return new Launch(restriction, report, lease::close);
    }

    /** The rules completely: each grant's path, access and the file it was opened as (device and inode). */
    private static RulesetKey key(int abi, boolean denyTcp, OptionalInt connectPort, AccessPlan plan,
                                  PinnedPaths pins) {
        Map<Path, Object> identities = new HashMap<>();
        pins.pins().forEach(pin -> identities.put(pin.path(), pin.identity()));
        List<Object> grants = new ArrayList<>(plan.grants().size() * 3 + 1);
        grants.add(fileKey(GateDirectory.path()));
        for (PathGrant grant : plan.grants()) {
            grants.add(grant.resolved());
            grants.add(grant.access());
            grants.add(identities.get(grant.resolved()));
        }
        return new RulesetKey(abi, denyTcp, !plan.allowNetwork(), connectPort, grants);
    }

    private static Object fileKey(Path path) {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : path;
        } catch (IOException e) {
            return "missing";
        }
    }

    private static LandlockRuleset build(int abi, boolean denyTcp, OptionalInt connectPort, AccessPlan plan,
                                         PinnedPaths pins) throws ErrnoException {
        Map<Path, PinnedPaths.Pin> pinned = new HashMap<>();
        pins.pins().forEach(pin -> pinned.put(pin.path(), pin));
        Set<Scope> scopes = abi >= Scope.ABI ? EnumSet.allOf(Scope.class) : EnumSet.noneOf(Scope.class);
        LandlockRuleset ruleset = LandlockRuleset.create(abi, FsAccess.knownBy(abi), denyTcp, scopes);
        try {
            if (connectPort.isPresent()) {
                // network mode hosts: the egress proxy's port, on any address (the rule has no address)
                ruleset.allowConnect(connectPort.getAsInt());
            }
            // a new child opens its spawn gate (a FIFO there) under its own domain before it runs
            ruleset.allowPath(GateDirectory.path(), EnumSet.of(FsAccess.READ_FILE));
            for (PathGrant grant : plan.grants()) {
                Set<FsAccess> rights = grant.access() == PathGrant.Access.READ_WRITE ? FsAccess.READ_WRITE : FsAccess.READ;
                if (!grant.links() && rights.contains(FsAccess.MAKE_SYM)) {
                    rights = EnumSet.copyOf(rights);
                    rights.remove(FsAccess.MAKE_SYM); // the AWS CLI's caches: the host's aws follows a link there
                }
                PinnedPaths.Pin pin = pinned.get(grant.resolved());
                ruleset.allowDescriptor(pin.fd(), pin.directory(), rights, grant.resolved().toString());
            }
            return ruleset;
        } catch (ErrnoException | RuntimeException e) {
            ruleset.close();
            throw e;
        }
    }
}
