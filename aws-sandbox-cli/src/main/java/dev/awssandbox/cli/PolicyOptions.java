package dev.awssandbox.cli;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The policy options shared by every command that runs something. */
final class PolicyOptions {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Option(names = "--mode", paramLabel = "MODE",
            description = "auto, disabled or required (default: $AWS_MCP_SANDBOX, else auto).")
    String mode;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "landlock, bubblewrap, seatbelt or none: use exactly this one (default: the best available).")
    String backend;

    @Option(names = "--no-network", description = "Deny network access (TCP bind and connect).")
    boolean noNetwork;

    @Option(names = "--allow-host", paramLabel = "PATTERN", description = {
            "Network mode hosts: connections only to these hosts, through aws-sandbox's proxy (HTTPS_PROXY).",
            "HOST, *.DOMAIN (every name below it) or an IP address, optionally :PORT or :* (default 443),",
            "e.g. *.amazonaws.com, 127.0.0.1:4566. Repeatable. Anything else is refused."})
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--ro", paramLabel = "PATH", description = "Also allow reading (and executing) beneath PATH. Repeatable.")
    List<String> readPaths = new ArrayList<>();

    @Option(names = "--rw", paramLabel = "PATH", description = "Also allow reading and writing beneath PATH. Repeatable.")
    List<String> writePaths = new ArrayList<>();

    @Option(names = "--credentials", paramLabel = "SOURCE",
            description = "env, aws_config, both or none (default: $AWS_MCP_SANDBOX_CREDENTIALS, else both).")
    String credentials;

    @Option(names = "--env", paramLabel = "NAME", description = "Also pass this environment variable. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = "--max-processes", paramLabel = "N",
            description = "Processes and threads per command, default 512 (a pids cgroup where the host allows, else RLIMIT_NPROC).")
    Long maxProcesses;

    @Option(names = "--max-memory", paramLabel = "SIZE", description = "Memory, default 2G: per command by a memory"
            + " cgroup where one can be made (root, or a delegated cgroup v2 subtree in $AWS_SANDBOX_CGROUP), and always"
            + " RLIMIT_DATA per process, which counts each process's heap and private mappings only, not shared memory,"
            + " memfd or tmpfs files. Without the cgroup a command's total memory is not bounded: doctor says which holds.")
    String maxMemory;

    @Option(names = "--max-cpu", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "RLIMIT_CPU: CPU time per process, default 600s.")
    java.time.Duration maxCpu;

    @Option(names = "--max-file-size", paramLabel = "SIZE",
            description = "RLIMIT_FSIZE: largest file a process may write (bytes, or 100K, 512M, 4G), default 4G.")
    String maxFileSize;

    @Option(names = "--no-limits", description = "Apply no resource limits at all.")
    boolean noLimits;

    /** Kept so that command lines written for earlier versions still run: every command has its own /tmp now. */
    @Option(names = "--private-tmp", hidden = true)
    boolean privateTmp;

    @Option(names = "--allow-git-writes", description = {
            "Let the command write git metadata (.git) inside its writable paths. Off by default, because git runs",
            "hooks and .git/config later, outside the sandbox: bubblewrap keeps .git read-only in a writable",
            "directory; Landlock cannot, so such a directory is not made writable (the working directory stays",
            "read-only with a warning, --rw is refused). aws-sandbox's own installation is never writable."})
    boolean allowGitWrites;

    Sandbox.Mode sandboxMode(HostEnvironment host) {
        try {
            if (mode != null) {
                return Sandbox.Mode.parse(mode, "--mode");
            }
            return host.get(Sandbox.Mode.ENV_VAR).map(v -> Sandbox.Mode.parse(v, Sandbox.Mode.ENV_VAR)).orElse(Sandbox.Mode.AUTO);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    SandboxPolicy.Credentials credentialMode(HostEnvironment host) {
        try {
            if (credentials != null) {
                return SandboxPolicy.Credentials.parse(credentials, "--credentials");
            }
            return host.get(SandboxPolicy.Credentials.ENV_VAR)
                    .map(v -> SandboxPolicy.Credentials.parse(v, SandboxPolicy.Credentials.ENV_VAR)).orElse(SandboxPolicy.Credentials.BOTH);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    SandboxPolicy policy(HostEnvironment host) {
        SandboxPolicy.Builder builder = SandboxPolicy.builder(host)
                .credentials(credentialMode(host))
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
        for (String name : env) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw CliException.usage("--env " + name + ": not a valid environment variable name");
            }
            builder.addEnvPassthrough(name);
        }
        return builder.build();
    }

    SandboxPolicy.Limits limits() {
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
                limits = limits.withFileSize(parseSize("--max-file-size", maxFileSize));
            }
            if (maxMemory != null) {
                limits = limits.withMemory(parseSize("--max-memory", maxMemory));
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        return limits;
    }

    static long parseSize(String option, String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGT]?)i?B?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " " + value + ": expected bytes or a size such as 100K, 512M, 4G");
        }
        int shift = switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    Sandbox sandbox(HostEnvironment host) {
        return builder(host).build();
    }

    /** The sandbox for this context's host, as the context adjusts it (tests simulate other platforms). */
    Sandbox sandbox(CliContext ctx) {
        return ctx.sandboxes().apply(builder(ctx.host())).build();
    }

    private Sandbox.Builder builder(HostEnvironment host) {
        Sandbox.Builder builder = Sandbox.builder().host(host).policy(policy(host)).mode(sandboxMode(host));
        if (backend != null) {
            builder.backend(backendKind());
        }
        return builder;
    }

    private BackendKind backendKind() {
        String b = backend.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (b) {
            case "landlock" -> BackendKind.LANDLOCK;
            case "bubblewrap", "bwrap" -> BackendKind.BUBBLEWRAP;
            case "none" -> BackendKind.NONE;
            case "seatbelt" -> BackendKind.SEATBELT;
            default -> throw CliException.usage("invalid --backend value '" + backend
                    + "': expected one of landlock, bubblewrap, seatbelt, none");
        };
    }

    private static String existing(String option, String path, HostEnvironment host) {
        Path resolved = host.expand(path);
        if (!Files.exists(resolved)) {
            throw CliException.usage(option + " " + path + ": no such file or directory");
        }
        return resolved.toString();
    }
}
