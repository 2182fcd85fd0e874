package dev.awssandbox.cli;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Mixin: the policy options of every command that runs something or shows what would run
 * ({@code run}, {@code pipe}, {@code policy}, {@code doctor}), and the sandbox they make for the
 * invocation's host. Values are converted by picocli; what needs the host (a path that must exist,
 * a default from the environment) is checked when the sandbox is built.
 */
final class PolicyOptions {
    @Mixin
    Invocation invocation;

    @Option(names = "--mode", paramLabel = "MODE", converter = Choice.Modes.class, completionCandidates = Choice.Modes.class,
            description = "${COMPLETION-CANDIDATES} (default: $AWS_MCP_SANDBOX, else auto).")
    Sandbox.Mode mode;

    @Option(names = "--backend", paramLabel = "BACKEND", converter = Choice.Backends.class,
            completionCandidates = Choice.Backends.class,
            description = "${COMPLETION-CANDIDATES}: use exactly this one (default: the best available).")
    BackendKind backend;

    @Option(names = "--no-network", description = "Deny network access (TCP bind and connect).")
    boolean noNetwork;

    @Option(names = "--allow-host", paramLabel = "PATTERN", description =
            "Network mode hosts: connections only to these hosts, through aws-sandbox's proxy (HTTPS_PROXY)."
            + " HOST, *.DOMAIN (every name below it) or an IP address, optionally :PORT or :* (default 443),"
            + " e.g. *.amazonaws.com, 127.0.0.1:4566. Repeatable. Anything else is refused.")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--ro", paramLabel = "PATH", description = "Also allow reading (and executing) beneath PATH. Repeatable.")
    List<String> readPaths = new ArrayList<>();

    @Option(names = "--rw", paramLabel = "PATH", description = "Also allow reading and writing beneath PATH. Repeatable.")
    List<String> writePaths = new ArrayList<>();

    @Option(names = "--credentials", paramLabel = "SOURCE", converter = Choice.CredentialSources.class,
            completionCandidates = Choice.CredentialSources.class,
            description = "${COMPLETION-CANDIDATES} (default: $AWS_MCP_SANDBOX_CREDENTIALS, else both).")
    SandboxPolicy.Credentials credentials;

    @Option(names = "--env", paramLabel = "NAME", converter = Converters.EnvironmentName.class,
            description = "Also pass this environment variable. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = "--max-processes", paramLabel = "N",
            description = "Processes and threads per command, default 512 (a pids cgroup where the host allows, else RLIMIT_NPROC).")
    Long maxProcesses;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "Memory, default 2G: per command by a memory"
            + " cgroup where one can be made (root, or a delegated cgroup v2 subtree in $AWS_SANDBOX_CGROUP), and always"
            + " RLIMIT_DATA per process, which counts each process's heap and private mappings only, not shared memory,"
            + " memfd or tmpfs files. Without the cgroup a command's total memory is not bounded: doctor says which holds.")
    Long maxMemory;

    @Option(names = "--max-cpu", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "RLIMIT_CPU: CPU time per process, default 600s.")
    Duration maxCpu;

    @Option(names = "--max-file-size", paramLabel = "SIZE", converter = Converters.Size.class,
            description = "RLIMIT_FSIZE: largest file a process may write (bytes, or 100K, 512M, 4G), default 4G.")
    Long maxFileSize;

    @Option(names = "--no-limits", description = "Apply no resource limits at all.")
    boolean noLimits;

    /** Kept so that command lines written for earlier versions still run: every command has its own /tmp now. */
    @Option(names = "--private-tmp", hidden = true)
    boolean privateTmp;

    @Option(names = "--allow-git-writes", description =
            "Let the command write git metadata (.git) inside its writable paths. Off by default, because git runs"
            + " hooks and .git/config later, outside the sandbox: bubblewrap keeps .git read-only in a writable"
            + " directory; Landlock cannot, so such a directory is not made writable (the working directory stays"
            + " read-only with a warning, --rw is refused). aws-sandbox's own installation is never writable.")
    boolean allowGitWrites;

    /** The invocation these options were given in: its streams and host. */
    CliContext context() {
        return invocation.context();
    }

    /** The sandbox for the invocation's host, as its context adjusts it (tests simulate other platforms). */
    Sandbox sandbox() {
        CliContext ctx = invocation.context();
        HostEnvironment host = ctx.host();
        Sandbox.Builder builder = Sandbox.builder().host(host).policy(policy(host)).mode(mode(host));
        if (backend != null) {
            builder.backend(backend);
        }
        return ctx.sandboxes().apply(builder).build();
    }

    private Sandbox.Mode mode(HostEnvironment host) {
        if (mode != null) {
            return mode;
        }
        return host.get(Sandbox.Mode.ENV_VAR).map(v -> new Choice.Modes().fromVariable(Sandbox.Mode.ENV_VAR, v))
                .orElse(Sandbox.Mode.AUTO);
    }

    private SandboxPolicy.Credentials credentials(HostEnvironment host) {
        if (credentials != null) {
            return credentials;
        }
        return host.get(SandboxPolicy.Credentials.ENV_VAR)
                .map(v -> new Choice.CredentialSources().fromVariable(SandboxPolicy.Credentials.ENV_VAR, v))
                .orElse(SandboxPolicy.Credentials.BOTH);
    }

    private SandboxPolicy policy(HostEnvironment host) {
        SandboxPolicy.Builder builder = SandboxPolicy.builder(host)
                .credentials(credentials(host))
                .allowNetwork(!noNetwork)
                .allowGitWrites(allowGitWrites);
        if (!allowHosts.isEmpty()) {
            if (noNetwork) {
                throw CliException.usage("--allow-host cannot be combined with --no-network: choose the hosts, or none");
            }
            try {
                builder.allowHosts(allowHosts);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--allow-host: " + e.getMessage());
            }
        }
        for (String path : readPaths) {
            builder.addReadPath(existing("--ro", path, host));
        }
        for (String path : writePaths) {
            builder.addWritePath(existing("--rw", path, host));
        }
        builder.limits(limits());
        env.forEach(builder::addEnvPassthrough);
        return builder.build();
    }

    private SandboxPolicy.Limits limits() {
        if (noLimits) {
            if (maxProcesses != null || maxCpu != null || maxFileSize != null || maxMemory != null) {
                throw CliException.usage("--no-limits cannot be combined with --max-processes, --max-cpu, --max-file-size"
                        + " or --max-memory");
            }
            return SandboxPolicy.Limits.NONE;
        }
        SandboxPolicy.Limits limits = SandboxPolicy.Limits.DEFAULT;
        try {
            if (maxProcesses != null) {
                limits = limits.withProcesses(maxProcesses);
            }
            if (maxCpu != null) {
                limits = limits.withCpuTime(maxCpu);
            }
            if (maxFileSize != null) {
                limits = limits.withFileSize(maxFileSize);
            }
            if (maxMemory != null) {
                limits = limits.withMemory(maxMemory);
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        return limits;
    }

    /** A granted path must exist: a typo would otherwise grant nothing, silently. */
    private static String existing(String option, String path, HostEnvironment host) {
        if (path.isBlank()) { // "--rw $DIR" with DIR unset would otherwise grant the working directory
            throw CliException.usage(option + " '" + path + "': an empty path; name the path to grant ('.' for the"
                    + " working directory)");
        }
        Path resolved = host.expand(path);
        if (!Files.exists(resolved)) {
            throw CliException.usage(option + " " + path + ": no such file or directory; " + option
                    + " grants an existing path (create it first)");
        }
        return resolved.toString();
    }
}
