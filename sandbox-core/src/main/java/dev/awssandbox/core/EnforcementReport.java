package dev.awssandbox.core;

import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.backend.Enforcement;
import dev.awssandbox.core.landlock.FsAccess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The isolation a command ran under. The report of a result is what its spawning thread applied:
 * a step that fails (a Landlock ruleset, the seccomp filter, the capability drop) fails the
 * command instead of running it with less. {@link Sandbox#expectedEnforcement()} gives the same
 * report before anything runs.
 *
 * @param backend             the mechanism
 * @param level               all of the policy, part of it (see {@code gaps}), or none
 * @param landlockAbi         the Landlock ABI in use, under Landlock
 * @param filesystem          how files are restricted
 * @param landlockRights      the file-system rights Landlock handles, under Landlock
 * @param network             how the network policy is applied
 * @param isolations          what of processes outside the sandbox is out of reach
 * @param noNewPrivs          whether no_new_privs was set (setuid binaries cannot gain privileges)
 * @param seccomp             whether the seccomp filter was installed (see the README's table)
 * @param capabilitiesDropped whether every capability set was emptied (root inside has none)
 * @param gaps                parts of the policy not enforced here, in words
 * @param notes               other facts: why a fallback happened, how limits hold, …
 */
public record EnforcementReport(
        BackendKind backend,
        Level level,
        OptionalInt landlockAbi,
        Filesystem filesystem,
        Set<LandlockRight> landlockRights,
        Network network,
        Set<Isolation> isolations,
        boolean noNewPrivs,
        boolean seccomp,
        boolean capabilitiesDropped,
        List<String> gaps,
        List<String> notes) {

    /** How much of the policy the backend enforces. */
    public enum Level { FULL, PARTIAL, NONE }

    /** How files are restricted. */
    public enum Filesystem {
        /** Landlock rules on the granted paths. */
        LANDLOCK_RULES,
        /** A new mount namespace holding only the granted paths (bubblewrap). */
        BIND_MOUNTS,
        /** A Seatbelt profile allowing the granted paths. */
        SEATBELT_PROFILE,
        /** Not at all. */
        NONE
    }

    /** How the network policy is applied. */
    public enum Network {
        /** The policy allows the network. */
        ALLOWED,
        /** The policy denies the network: TCP bind/connect (Landlock) and every other inet socket (seccomp) are denied. */
        DENIED,
        /** The policy denies the network; UDP and raw sockets are denied but TCP is not (Landlock ABI < 4). */
        TCP_NOT_RESTRICTED,
        /**
         * Network mode hosts, held: the command reaches nothing but aws-sandbox's egress proxy, which
         * forwards only to the allowed hosts (bubblewrap: a network namespace of its own whose one way
         * out is a forwarder to the proxy; Seatbelt: a profile that allows TCP to the proxy's address
         * and port only). Every other socket is denied as with the network off.
         */
        HOSTS,
        /**
         * Network mode hosts under Landlock: TCP connect is allowed to the proxy's <em>port number</em>
         * only, and bind is denied, but Landlock's port rule is not tied to an address: a host elsewhere
         * that listens on that same port number is reachable directly, past the proxy. Every other
         * socket is denied as with the network off.
         */
        HOSTS_BY_PORT,
        /** The policy denies the network but the backend could not enforce it. */
        NOT_ENFORCED
    }

    /** What of processes outside the sandbox a command cannot reach. */
    public enum Isolation {
        SIGNALS, ABSTRACT_UNIX_SOCKETS, UNIX_SOCKETS, PROCESS_INFO;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Landlock file-system rights ({@code LANDLOCK_ACCESS_FS_*}). */
    public enum LandlockRight {
        EXECUTE, WRITE_FILE, READ_FILE, READ_DIR, REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK,
        MAKE_FIFO, MAKE_BLOCK, MAKE_SYM, REFER, TRUNCATE, IOCTL_DEV;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public EnforcementReport {
        landlockRights = landlockRights.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(landlockRights));
        isolations = Set.copyOf(isolations);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /** The public report of a backend's facts. */
    static EnforcementReport of(BackendKind backend, Enforcement facts) {
        Set<LandlockRight> rights = facts.landlockRights().stream().map(EnforcementReport::right)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(LandlockRight.class)));
        Set<Isolation> isolations = facts.isolations().stream().map(i -> Isolation.valueOf(i.name()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Isolation.class)));
        Level level = facts.filesystem() == Enforcement.Filesystem.NONE ? Level.NONE
                : facts.gaps().isEmpty() ? Level.FULL : Level.PARTIAL;
        return new EnforcementReport(backend, level, facts.landlockAbi(), Filesystem.valueOf(facts.filesystem().name()),
                rights, network(facts.network(), facts.networkControl()), isolations, facts.noNewPrivs(), facts.seccomp(),
                facts.capabilitiesDropped(), facts.gaps(), facts.notes());
    }

    /** The one wording of a backend's network facts: the mode it was asked for, and how it holds a command to it. */
    static Network network(NetworkMode mode, Enforcement.NetworkControl control) {
        if (mode == NetworkMode.ALL) {
            return Network.ALLOWED;
        }
        boolean hosts = mode == NetworkMode.HOSTS;
        return switch (control) {
            case NONE -> Network.NOT_ENFORCED;
            case ALL_BUT_TCP -> Network.TCP_NOT_RESTRICTED;
            case TCP_BY_PORT -> hosts ? Network.HOSTS_BY_PORT : Network.DENIED;
            case COMPLETE -> hosts ? Network.HOSTS : Network.DENIED;
        };
    }

    private static LandlockRight right(FsAccess access) {
        return LandlockRight.valueOf(access.name());
    }

    /** A copy with one more note. */
    public EnforcementReport withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new EnforcementReport(backend, level, landlockAbi, filesystem, landlockRights, network, isolations, noNewPrivs,
                seccomp, capabilitiesDropped, gaps, more);
    }

    /** A copy with one more gap (the level becomes partial). */
    public EnforcementReport withGap(String gap) {
        List<String> more = new ArrayList<>(gaps);
        more.add(gap);
        return new EnforcementReport(backend, level == Level.FULL ? Level.PARTIAL : level, landlockAbi, filesystem,
                landlockRights, network, isolations, noNewPrivs, seccomp, capabilitiesDropped, more, notes);
    }

    /** One line: "landlock ABI 7, full: landlock rules (16 rights), network denied, isolates signals …, …". */
    public String summary() {
        StringBuilder sb = new StringBuilder(backend.label());
        landlockAbi.ifPresent(abi -> sb.append(" ABI ").append(abi));
        sb.append(", ").append(level.name().toLowerCase(Locale.ROOT));
        if (backend != BackendKind.NONE) {
            sb.append(": ").append(filesystem.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            if (!landlockRights.isEmpty()) {
                sb.append(" (").append(landlockRights.size()).append(" rights)");
            }
            sb.append(", network ").append(network.name().toLowerCase(Locale.ROOT));
            sb.append(", isolates ").append(isolations.isEmpty() ? "nothing"
                    : new TreeSet<>(isolations).stream().map(Isolation::label).collect(Collectors.joining(" ")));
            sb.append(noNewPrivs ? ", no_new_privs" : "");
            sb.append(seccomp ? ", seccomp" : "");
            sb.append(capabilitiesDropped ? ", no capabilities" : "");
        }
        return sb.toString();
    }
}
