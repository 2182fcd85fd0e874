package dev.awssandbox.core.access;

import dev.awssandbox.core.access.PathGrant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param temporaryDirectory the command's private temporary directory (granted read-write and
 *                        named by {@code TMPDIR}; bubblewrap also mounts it at {@code /tmp}), or
 *                        none when the command runs unsandboxed
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
        Optional<Path> temporaryDirectory,
        List<PathGrant> withheld) {

    /** A plan without a temporary directory. */
    public AccessPlan(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory,
                      List<PathGrant> grants, boolean allowNetwork, List<Path> executableChain, List<String> warnings) {
        this(executable, argv, environment, workingDirectory, grants, allowNetwork, executableChain, warnings,
                Optional.empty(), List.of());
    }

    /**
     * This plan with {@code dir} as the command's private temporary directory: granted read-write,
     * {@code TMPDIR} names it, and {@code TMP} and {@code TEMP} (which some programs prefer) do
     * not point anywhere else.
     */
    public AccessPlan withTemporaryDirectory(Path dir) {
        List<PathGrant> more = new java.util.ArrayList<>(grants);
        more.add(new PathGrant(dir, dir, PathGrant.Access.READ_WRITE, true, "private temporary directory"));
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.remove("TMP");
        env.remove("TEMP");
        env.put("TMPDIR", dir.toString());
        return new AccessPlan(executable, argv, env, workingDirectory, more, allowNetwork, executableChain, warnings,
                Optional.of(dir), withheld);
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
