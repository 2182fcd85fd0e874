package dev.awssandbox.core.access;

import dev.awssandbox.core.egress.EgressRoute;
import dev.awssandbox.core.egress.HostPattern;
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
 * @param network         which connections the command may open
 * @param allowedHosts    in mode {@link NetworkMode#HOSTS}, the hosts it may reach
 * @param egress          in mode {@link NetworkMode#HOSTS}, once the command's proxy lease is open:
 *                        where the proxy listens (the environment names it already)
 * @param workingDirectoryWithheld why the command gets nothing of its working directory (what it holds or leads to),
 *                        or empty when the working directory is given as the policy asks; a warning says it too
 */
public record AccessPlan(
        Path executable,
        List<String> argv,
        Map<String, String> environment,
        Path workingDirectory,
        List<PathGrant> grants,
        NetworkMode network,
        List<Path> executableChain,
        List<String> warnings,
        Optional<Path> temporaryDirectory,
        List<PathGrant> withheld,
        List<HostPattern> allowedHosts,
        Optional<EgressRoute> egress,
        Optional<String> workingDirectoryWithheld) {

    /** A plan without a temporary directory, with the network on or off. */
    public AccessPlan(Path executable, List<String> argv, Map<String, String> environment, Path workingDirectory,
                      List<PathGrant> grants, boolean allowNetwork, List<Path> executableChain, List<String> warnings) {
        this(executable, argv, environment, workingDirectory, grants, allowNetwork ? NetworkMode.ALL : NetworkMode.OFF,
                executableChain, warnings, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty());
    }

    /** Whether a grant of this plan holds {@code real} (a resolved path): the command may read it. */
    public boolean grantsRead(Path real) {
        return grants.stream().anyMatch(g -> real.startsWith(g.resolved()));
    }

    /** Whether every connection is allowed (false in modes off and hosts). */
    public boolean allowNetwork() {
        return network == NetworkMode.ALL;
    }

    /** The proxy variables a command of mode hosts gets, all pointing at {@code url}. */
    public static final List<String> PROXY_VARIABLES =
            List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy");

    /** Every proxy variable a command may have had; mode hosts replaces them all. */
    static final List<String> ALL_PROXY_VARIABLES = List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
            "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "FTP_PROXY", "ftp_proxy");

    /**
     * This plan (mode hosts) with its proxy lease: the proxy variables name it and nothing else
     * ({@code NO_PROXY} and {@code ALL_PROXY} go: nothing may bypass it).
     */
    public AccessPlan withEgress(EgressRoute route) {
        if (network != NetworkMode.HOSTS) {
            throw new IllegalStateException("only a plan of network mode hosts goes through the egress proxy");
        }
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        ALL_PROXY_VARIABLES.forEach(env::remove);
        for (String name : PROXY_VARIABLES) {
            env.put(name, route.url());
        }
        return new AccessPlan(executable, argv, env, workingDirectory, grants, network, executableChain, warnings,
                temporaryDirectory, withheld, allowedHosts, Optional.of(route), workingDirectoryWithheld);
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
        return new AccessPlan(executable, argv, env, workingDirectory, more, network, executableChain, warnings,
                Optional.of(dir), withheld, allowedHosts, egress, workingDirectoryWithheld);
    }

    public AccessPlan {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        grants = List.copyOf(grants);
        executableChain = List.copyOf(executableChain);
        // a warning or reason may quote a config's text, and the MCP server hands them to the model
        warnings = warnings.stream().map(ShownText::withoutSecrets).toList();
        withheld = withheld.stream().map(g -> new PathGrant(g.path(), g.resolved(), g.access(), g.directory(),
                ShownText.withoutSecrets(g.reason()), g.links())).toList();
        allowedHosts = List.copyOf(allowedHosts);
        java.util.Objects.requireNonNull(network, "network");
        java.util.Objects.requireNonNull(egress, "egress");
        workingDirectoryWithheld = workingDirectoryWithheld.map(ShownText::withoutSecrets);
    }
}
