package dev.awssandbox.core.access;

import dev.awssandbox.core.access.PathGrant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A policy resolved for one command on this host: the executable to start, the exact argv and
 * environment the child gets, its directory, and every path grant. Backends turn it into their
 * own rules (Landlock rules, bwrap binds, an SBPL profile).
 *
 * @param executable      the resolved path of the program to exec (argv[0] located on PATH, every
 *                        symlink followed): what the planner judged is what runs, with no second
 *                        lookup between planning and exec
 * @param argv            the arguments the child sees, argv[0] as the caller wrote it
 * @param grants          every path the command may use; a {@code READ} grant beneath a
 *                        {@code READ_WRITE} grant is a read-only mask (git metadata, the
 *                        installation), emitted only for backends that enforce it
 *                        ({@link WriteProtection#MASK})
 * @param environment     the child's whole environment
 * @param executableChain the program, its symlink hops and its interpreters, in order
 * @param warnings        things the user should know (a path not made writable, …)
 * @param privateTmp      the command gets an empty /tmp of its own (the host's is not granted)
 * @param withheld        write paths of the policy that were not made writable, each with why
 *                        (for denial hints)
 */
public record AccessPlan(
        Path executable,
        List<String> argv,
        Map<String, String> environment,
        Path workingDirectory,
        List<PathGrant> grants,
        boolean allowNetwork,
        List<Path> executableChain,
        List<String> warnings,
        boolean privateTmp,
        List<PathGrant> withheld) {

    /** A plan without a private /tmp. */
    public AccessPlan(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory,
                      List<PathGrant> grants, boolean allowNetwork, List<Path> executableChain, List<String> warnings) {
        this(executable, argv, environment, workingDirectory, grants, allowNetwork, executableChain, warnings, false,
                List.of());
    }

    public AccessPlan {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        grants = List.copyOf(grants);
        executableChain = List.copyOf(executableChain);
        warnings = List.copyOf(warnings);
        withheld = List.copyOf(withheld);
    }
}
