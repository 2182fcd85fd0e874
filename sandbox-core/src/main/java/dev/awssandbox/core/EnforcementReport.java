package dev.awssandbox.core;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What isolation a command actually ran under: the backend, the Landlock ABI and the rights it
 * handled, network and IPC scoping, and what the kernel could not enforce. Attached to every
 * result, shown by {@code doctor}.
 *
 * @param backend          the backend that ran the command
 * @param level            whether the policy was fully enforced
 * @param landlockAbi      the Landlock ABI used, when Landlock ran
 * @param filesystemRights the filesystem rights the kernel handled (anything not granted is denied)
 * @param network          how the network policy was applied
 * @param scopes           IPC scopes in force (signals, abstract unix sockets)
 * @param noNewPrivs       whether no_new_privs was set (setuid binaries cannot gain privileges)
 * @param seccomp          whether the seccomp filter was installed (see the README's table)
 * @param capabilitiesDropped whether every capability set was emptied (root inside has none)
 * @param gaps             parts of the policy the kernel could not enforce
 * @param notes            other facts: why a fallback happened, that the sandbox is disabled, …
 */
public record EnforcementReport(
        BackendKind backend,
        Level level,
        OptionalInt landlockAbi,
        Set<String> filesystemRights,
        Network network,
        Set<String> scopes,
        boolean noNewPrivs,
        boolean seccomp,
        boolean capabilitiesDropped,
        List<String> gaps,
        List<String> notes) {

    /** How much of the policy the backend enforced. */
    public enum Level { FULL, PARTIAL, NONE }

    /** How the network policy was applied. */
    public enum Network {
        /** The policy allows the network. */
        ALLOWED,
        /** The policy denies the network: TCP bind/connect (Landlock) and every other inet socket (seccomp) are denied. */
        DENIED,
        /** The policy denies the network; UDP and raw sockets are denied but TCP is not (Landlock ABI < 4). */
        PARTIAL,
        /** The policy denies the network but the backend could not enforce it. */
        NOT_ENFORCED
    }

    public EnforcementReport {
        filesystemRights = Set.copyOf(filesystemRights);
        scopes = Set.copyOf(scopes);
        gaps = List.copyOf(gaps);
        notes = List.copyOf(notes);
    }

    /** The report for a command run without isolation. */
    public static EnforcementReport unsandboxed(boolean allowNetwork, List<String> notes) {
        return new EnforcementReport(BackendKind.NONE, Level.NONE, OptionalInt.empty(), Set.of(),
                allowNetwork ? Network.ALLOWED : Network.NOT_ENFORCED, Set.of(), false, false, false,
                List.of("no isolation: files, network, signals and sockets are not restricted"), notes);
    }

    /** A copy with one more note. */
    public EnforcementReport withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new EnforcementReport(backend, level, landlockAbi, filesystemRights, network, scopes, noNewPrivs,
                seccomp, capabilitiesDropped, gaps, more);
    }

    /** A copy with one more gap (the level becomes partial). */
    public EnforcementReport withGap(String gap) {
        List<String> more = new ArrayList<>(gaps);
        more.add(gap);
        return new EnforcementReport(backend, level == Level.FULL ? Level.PARTIAL : level, landlockAbi, filesystemRights,
                network, scopes, noNewPrivs, seccomp, capabilitiesDropped, more, notes);
    }

    /** One line: "landlock ABI 7, full: fs 16 rights, network tcp_denied, scopes [signal, …]". */
    public String summary() {
        StringBuilder sb = new StringBuilder(backend.label());
        landlockAbi.ifPresent(abi -> sb.append(" ABI ").append(abi));
        sb.append(", ").append(level.name().toLowerCase(java.util.Locale.ROOT));
        if (backend != BackendKind.NONE) {
            sb.append(": filesystem ").append(filesystemRights.size()).append(" rights");
            sb.append(", network ").append(network.name().toLowerCase(java.util.Locale.ROOT));
            sb.append(", scopes ").append(new TreeSet<>(scopes));
            sb.append(noNewPrivs ? ", no_new_privs" : "");
            sb.append(seccomp ? ", seccomp" : "");
            sb.append(capabilitiesDropped ? ", no capabilities" : "");
        }
        return sb.toString();
    }
}
