package dev.awssandbox.core.backend;

import dev.awssandbox.core.landlock.FsAccess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a backend enforces for a plan: the facts from which the facade writes the public report.
 * A launch whose spawn succeeded had every part applied (a failed step fails the spawn). Its enums
 * are twins of the report's, which the report maps by name: the internal packages never depend on
 * the API ({@code ArchitectureTest}), and {@code ApiMirrorsTest} keeps the twins equal.
 *
 * @param filesystem     how files are restricted
 * @param landlockAbi    the Landlock ABI in use, for Landlock
 * @param landlockRights the Landlock file-system rights handled, for Landlock
 * @param network        how the network policy is applied
 * @param isolations     what of other processes is out of reach
 * @param noNewPrivs     no_new_privs is set
 * @param seccomp        our seccomp filter is installed
 * @param capabilitiesDropped every capability set is empty
 * @param gaps           parts of the policy not enforced
 * @param notes          other facts
 */
public record Enforcement(Filesystem filesystem, OptionalInt landlockAbi, Set<FsAccess> landlockRights, Network network,
                          Set<Isolation> isolations, boolean noNewPrivs, boolean seccomp, boolean capabilitiesDropped,
                          List<String> gaps, List<String> notes) {

    public enum Filesystem { LANDLOCK_RULES, BIND_MOUNTS, SEATBELT_PROFILE, NONE }

    public enum Network {
        ALLOWED,
        /** TCP bind/connect and every other socket family denied. */
        DENIED,
        /** Denied except TCP, which this Landlock ABI cannot restrict. */
        TCP_NOT_RESTRICTED,
        /** Only the egress proxy: the command has no other way out (a network namespace, a profile rule for the proxy's address). */
        HOSTS,
        /** The egress proxy; other TCP refused by port only (Landlock: any address on the proxy's port number). */
        HOSTS_BY_PORT,
        NOT_ENFORCED
    }

    public enum Isolation { SIGNALS, ABSTRACT_UNIX_SOCKETS, UNIX_SOCKETS, PROCESS_INFO }

    public Enforcement {
        landlockRights = landlockRights.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(landlockRights));
        isolations = Set.copyOf(isolations);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /** Nothing enforced. */
    public static Enforcement none(dev.awssandbox.core.access.NetworkMode network, List<String> notes) {
        return new Enforcement(Filesystem.NONE, OptionalInt.empty(), Set.of(),
                network == dev.awssandbox.core.access.NetworkMode.ALL ? Network.ALLOWED : Network.NOT_ENFORCED, Set.of(),
                false, false, false,
                List.of("no isolation: files, network, signals and sockets are not restricted"), notes);
    }

    public Enforcement withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new Enforcement(filesystem, landlockAbi, landlockRights, network, isolations, noNewPrivs, seccomp,
                capabilitiesDropped, gaps, more);
    }

    public Enforcement withGap(String gap) {
        List<String> more = new ArrayList<>(gaps);
        more.add(gap);
        return new Enforcement(filesystem, landlockAbi, landlockRights, network, isolations, noNewPrivs, seccomp,
                capabilitiesDropped, more, notes);
    }
}
