package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.landlock.FsAccess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a backend enforces for a plan: the facts from which the facade writes the public report.
 * A launch whose spawn succeeded had every part applied (a failed step fails the spawn). The
 * internal packages never depend on the API ({@code ArchitectureTest}), so the enums of files and
 * isolations are twins of the report's, which the report maps by name ({@code ApiMirrorsTest}
 * keeps them equal). The network is not a twin: a backend says which mode it was asked for and
 * how it holds a command to it, and the report words the pair, once for every backend.
 *
 * @param filesystem     how files are restricted
 * @param landlockAbi    the Landlock ABI in use, for Landlock
 * @param landlockRights the Landlock file-system rights handled, for Landlock
 * @param network        the policy's network mode
 * @param networkControl how the backend holds the command to it
 * @param isolations     what of other processes is out of reach
 * @param noNewPrivs     no_new_privs is set
 * @param seccomp        our seccomp filter is installed
 * @param capabilitiesDropped every capability set is empty
 * @param gaps           parts of the policy not enforced
 * @param notes          other facts
 */
public record Enforcement(Filesystem filesystem, OptionalInt landlockAbi, Set<FsAccess> landlockRights, NetworkMode network,
                          NetworkControl networkControl, Set<Isolation> isolations, boolean noNewPrivs, boolean seccomp,
                          boolean capabilitiesDropped, List<String> gaps, List<String> notes) {

    public enum Filesystem { LANDLOCK_RULES, BIND_MOUNTS, SEATBELT_PROFILE, NONE }

    /** How a backend holds a command to a network mode that is not {@link NetworkMode#ALL}. */
    public enum NetworkControl {
        /** Not at all: nothing is sandboxed. */
        NONE,
        /** Every socket but TCP (seccomp): Landlock below ABI 4 has no TCP rules. */
        ALL_BUT_TCP,
        /** Every socket, and TCP by port number (Landlock): the egress proxy's port on any address. */
        TCP_BY_PORT,
        /** Every socket, by address: a network namespace, or a Seatbelt profile rule for the proxy's address. */
        COMPLETE
    }

    public enum Isolation { SIGNALS, ABSTRACT_UNIX_SOCKETS, UNIX_SOCKETS, PROCESS_INFO }

    public Enforcement {
        landlockRights = landlockRights.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(landlockRights));
        isolations = Set.copyOf(isolations);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /** Nothing enforced. */
    public static Enforcement none(NetworkMode network, List<String> notes) {
        return new Enforcement(Filesystem.NONE, OptionalInt.empty(), Set.of(), network, NetworkControl.NONE, Set.of(),
                false, false, false,
                List.of("no isolation: files, network, signals and sockets are not restricted"), notes);
    }

    public Enforcement withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new Enforcement(filesystem, landlockAbi, landlockRights, network, networkControl, isolations, noNewPrivs,
                seccomp, capabilitiesDropped, gaps, more);
    }

    public Enforcement withGap(String gap) {
        List<String> more = new ArrayList<>(gaps);
        more.add(gap);
        return new Enforcement(filesystem, landlockAbi, landlockRights, network, networkControl, isolations, noNewPrivs,
                seccomp, capabilitiesDropped, more, notes);
    }
}
