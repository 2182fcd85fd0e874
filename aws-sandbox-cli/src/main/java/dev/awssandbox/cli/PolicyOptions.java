package dev.awssandbox.cli;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The policy options of every command that runs something or shows what would run ({@code run},
 * {@code pipe}, {@code policy}, {@code doctor}), and the sandbox they make for the invocation's
 * host. Values are converted by picocli; what needs the host (a path that must exist, a default
 * from the environment) is checked when the sandbox is built.
 */
final class PolicyOptions {
    private final CliContext context;

    private final OptionSpec mode = Specs.option("--mode", "MODE", Sandbox.Mode.class,
            "${COMPLETION-CANDIDATES} (default: $AWS_MCP_SANDBOX, else auto).")
            .converters(new Choice.Modes()).completionCandidates(new Choice.Modes()).build();

    private final OptionSpec backend = Specs.option("--backend", "BACKEND", BackendKind.class,
            "${COMPLETION-CANDIDATES}: use exactly this one (default: the best available).")
            .converters(new Choice.Backends()).completionCandidates(new Choice.Backends()).build();

    private final OptionSpec noNetwork = Specs.flag("--no-network", "Deny network access (TCP bind and connect).").build();

    private final OptionSpec allowHosts = Specs.repeatable("--allow-host", "PATTERN",
            "Network mode hosts: connections only to these hosts, through aws-sandbox's proxy (HTTPS_PROXY)."
            + " A HOST, *.DOMAIN (every name below it, as *.amazonaws.com) or an IP address, each optionally with :PORT"
            + " or :* (default 443). Repeatable. Anything else is refused.").build();

    private final OptionSpec readPaths = Specs.repeatable("--ro", "PATH",
            "Also allow reading (and executing) beneath PATH. Repeatable.").build();

    private final OptionSpec writePaths = Specs.repeatable("--rw", "PATH",
            "Also allow reading and writing beneath PATH. Repeatable.").build();

    private final OptionSpec credentials = Specs.option("--credentials", "SOURCE", SandboxPolicy.Credentials.class,
            "${COMPLETION-CANDIDATES} (default: $AWS_MCP_SANDBOX_CREDENTIALS, else both).")
            .converters(new Choice.CredentialSources()).completionCandidates(new Choice.CredentialSources()).build();

    private final OptionSpec env = Specs.repeatable("--env", "NAME", "Also pass this environment variable. Repeatable.")
            .converters(new Converters.EnvironmentName()).build();

    private final OptionSpec maxProcesses = Specs.option("--max-processes", "N", Long.class,
            "Processes and threads per command, default 512 (a pids cgroup where the host allows, else RLIMIT_NPROC).")
            .build();

    private final OptionSpec maxMemory = Specs.option("--max-memory", "SIZE", Long.class, "Memory, default 2G: per command"
            + " by a memory cgroup where one can be made (root, or a delegated cgroup v2 subtree in $AWS_SANDBOX_CGROUP),"
            + " and always RLIMIT_DATA per process, which counts each process's heap and private mappings only, not"
            + " shared memory, memfd or tmpfs files. Without the cgroup a command's total memory is not bounded: doctor"
            + " says which holds.")
            .converters(new Converters.Size()).build();

    private final OptionSpec maxCpu = Specs.option("--max-cpu", "DURATION", Duration.class,
            "RLIMIT_CPU: CPU time per process, default 600s.")
            .converters(new DurationConverter()).build();

    private final OptionSpec maxFileSize = Specs.option("--max-file-size", "SIZE", Long.class,
            "RLIMIT_FSIZE: largest file a process may write (bytes, or 100K, 512M, 4G), default 4G.")
            .converters(new Converters.Size()).build();

    private final OptionSpec noLimits = Specs.flag("--no-limits", "Apply no resource limits at all.").build();

    /** Kept so that command lines written for earlier versions still run: every command has its own /tmp now. */
    private final OptionSpec privateTmp = OptionSpec.builder("--private-tmp").type(boolean.class).hidden(true).build();

    private final OptionSpec allowGitWrites = Specs.flag("--allow-git-writes",
            "Let the command write git metadata (.git, and the files and directories .git/config names: included"
            + " config files, core.hooksPath, the script of core.fsmonitor and other commands) inside its writable"
            + " paths. Off by default, because git runs hooks and .git/config later, outside the sandbox: bubblewrap"
            + " keeps them read-only in a writable"
            + " directory; Landlock cannot, so such a directory is not made writable (the working directory stays"
            + " read-only with a warning, --rw is refused). aws-sandbox's own installation is never writable.").build();

    /** The options, added to {@code command}, for an invocation in {@code context}. */
    PolicyOptions(CliContext context, CommandSpec command) {
        this.context = context;
        for (OptionSpec option : List.of(mode, backend, noNetwork, allowHosts, readPaths, writePaths, credentials, env,
                maxProcesses, maxMemory, maxCpu, maxFileSize, noLimits, privateTmp, allowGitWrites)) {
            command.addOption(option);
        }
    }

    /** Whether the proxy of the user's environment was said not to be used (once an invocation). */
    private boolean proxyWarned;

    /** The invocation these options were given in: its streams and host. */
    CliContext context() {
        return context;
    }

    /** The {@code --rw} paths given, as granted (expanded, not resolved). */
    List<java.nio.file.Path> writePathsGiven() {
        return Specs.values(writePaths).stream().map(p -> context.host().expand(p)).toList();
    }

    /** The sandbox for the invocation's host, as its context adjusts it (tests simulate other platforms). */
    Sandbox sandbox() {
        HostEnvironment host = context.host();
        Sandbox.Mode mode = mode(host);
        Sandbox.Builder builder = Sandbox.builder().host(host).policy(policy(host)).mode(mode);
        BackendKind chosen = backend.getValue();
        if (chosen != null && chosen != BackendKind.NONE && mode == Sandbox.Mode.DISABLED) {
            // never less isolation than was asked for, silently (the sandbox would run none)
            throw CliException.usage("--backend " + chosen.label() + " asks for a sandbox, but " + (this.mode.getValue() != null
                    ? "--mode disabled" : Sandbox.Mode.ENV_VAR + "=disabled") + " turns it off; drop one of them"
                    + " (--backend none runs without isolation on purpose)");
        }
        if (chosen == BackendKind.NONE && mode == Sandbox.Mode.REQUIRED) {
            throw CliException.usage("--backend none runs without isolation, but " + (this.mode.getValue() != null
                    ? "--mode required" : Sandbox.Mode.ENV_VAR + "=required") + " refuses to run without a sandbox; drop"
                    + " one of them");
        }
        if ((mode == Sandbox.Mode.DISABLED || chosen == BackendKind.NONE)
                && (Specs.given(noNetwork) || !Specs.values(allowHosts).isEmpty())) {
            // without a sandbox the network is not restricted: --allow-host would be a proxy the command may ignore
            String network = Specs.given(noNetwork) ? "--no-network" : "--allow-host";
            String off = chosen == BackendKind.NONE ? "--backend none" : this.mode.getValue() != null
                    ? "--mode disabled" : Sandbox.Mode.ENV_VAR + "=disabled";
            throw CliException.usage(network + " restricts the network, but " + off + " runs the command without a"
                    + " sandbox, which cannot enforce it; drop one of them");
        }
        if (chosen != null) {
            builder.backend(chosen);
        }
        return context.sandboxes().apply(builder).build();
    }

    private Sandbox.Mode mode(HostEnvironment host) {
        Sandbox.Mode given = mode.getValue();
        if (given != null) {
            return given;
        }
        return host.get(Sandbox.Mode.ENV_VAR).map(v -> new Choice.Modes().fromVariable(Sandbox.Mode.ENV_VAR, v))
                .orElse(Sandbox.Mode.AUTO);
    }

    private SandboxPolicy.Credentials credentials(HostEnvironment host) {
        SandboxPolicy.Credentials given = credentials.getValue();
        if (given != null) {
            return given;
        }
        return host.get(SandboxPolicy.Credentials.ENV_VAR)
                .map(v -> new Choice.CredentialSources().fromVariable(SandboxPolicy.Credentials.ENV_VAR, v))
                .orElse(SandboxPolicy.Credentials.BOTH);
    }

    private SandboxPolicy policy(HostEnvironment host) {
        SandboxPolicy.Builder builder = SandboxPolicy.builder(host)
                .credentials(credentials(host))
                .allowNetwork(!Specs.given(noNetwork))
                .allowGitWrites(Specs.given(allowGitWrites));
        List<String> hosts = Specs.values(allowHosts);
        if (!hosts.isEmpty()) {
            if (Specs.given(noNetwork)) {
                throw CliException.usage("--allow-host cannot be combined with --no-network: choose the hosts, or none");
            }
            try {
                builder.allowHosts(hosts);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--allow-host: " + e.getMessage());
            }
            host.upstreamProxy().filter(p -> !proxyWarned).ifPresent(proxy -> {
                proxyWarned = true; // once, though the policy is made for each stage of a pipeline
                context.err().println("aws-sandbox: warning: " + Printable.line(proxy
                    + " is set here, but with --allow-host the command's connections go through aws-sandbox's proxy,"
                    + " which connects to the allowed hosts directly, not through yours: where your proxy is the only"
                    + " way out, they cannot be reached (a proxy of yours is not supported with --allow-host)"));
            });
        }
        List<Path> reads = new java.util.ArrayList<>();
        for (String path : Specs.values(readPaths)) {
            String existing = existing("--ro", path, host);
            builder.addReadPath(existing);
            reads.add(real(Path.of(existing)));
        }
        for (String path : Specs.values(writePaths)) {
            String existing = existing("--rw", path, host);
            if (reads.contains(real(Path.of(existing)))) {
                throw CliException.usage(path + " is given both --ro and --rw; give it once, with the access it needs");
            }
            builder.addWritePath(existing);
        }
        if (reads.contains(real(host.workingDirectory()))) {
            // --ro . asks for a read-only working directory: it is not also made writable by default (outside test
            // WF29, F2: it had stayed writable on both backends)
            builder.writePaths(builder.build().writePaths().stream().filter(p -> !real(p).equals(real(host.workingDirectory())))
                    .toList());
        }
        builder.limits(limits());
        SandboxPolicy.Credentials source = credentials(host);
        for (String name : Specs.values(env)) {
            // a credential variable asked for by name where the credentials mode drops them: said, not dropped silently
            // (outside test WF29, F23)
            if (SandboxPolicy.Credentials.SECRET_VARIABLES.contains(name)
                    && (source == SandboxPolicy.Credentials.NONE || source == SandboxPolicy.Credentials.AWS_CONFIG)) {
                throw CliException.usage("--env " + name + " passes a credential variable, but the credentials source is "
                        + source.label() + ", which withholds them; use --credentials env"
                        + " or both, or drop --env " + name);
            }
        }
        Specs.values(env).forEach(builder::addEnvPassthrough);
        return builder.build();
    }

    private SandboxPolicy.Limits limits() {
        Long maxProcesses = this.maxProcesses.getValue();
        Duration maxCpu = this.maxCpu.getValue();
        Long maxFileSize = this.maxFileSize.getValue();
        Long maxMemory = this.maxMemory.getValue();
        if (Specs.given(noLimits)) {
            if (maxProcesses != null || maxCpu != null || maxFileSize != null || maxMemory != null) {
                throw CliException.usage("--no-limits cannot be combined with --max-processes, --max-cpu, --max-file-size"
                        + " or --max-memory");
            }
            return SandboxPolicy.Limits.NONE;
        }
        SandboxPolicy.Limits limits = SandboxPolicy.Limits.DEFAULT;
        // each error names its option (outside test WF29, F1: "process limit must be at least 1: 0" named none)
        String option = "";
        try {
            if (maxProcesses != null) {
                option = "--max-processes " + maxProcesses;
                limits = limits.withProcesses(maxProcesses);
                long most = pidMax();
                if (maxProcesses > most) {
                    // the pids cgroup refuses it: that had been exit 125, "cannot create the cgroup … Invalid argument"
                    throw new IllegalArgumentException("above the kernel's pid_max (" + most + "), the most processes"
                            + " this system can have; give at most " + most);
                }
            }
            if (maxCpu != null) {
                option = "--max-cpu " + DurationFormat.format(maxCpu);
                limits = limits.withCpuTime(maxCpu);
            }
            if (maxFileSize != null) {
                option = "--max-file-size " + maxFileSize;
                limits = limits.withFileSize(maxFileSize);
            }
            if (maxMemory != null) {
                option = "--max-memory " + maxMemory;
                limits = limits.withMemory(maxMemory);
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
        return limits;
    }

    /** The kernel's {@code pid_max}, where it can be read; else no bound. */
    private static long pidMax() {
        try {
            // by lines: Files.readString read "3" of a sysctl's "32768" (its size is 0, and the first read is cut short)
            return Long.parseLong(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/kernel/pid_max"))
                    .getFirst().strip());
        } catch (java.io.IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code path} with its links resolved, or as given where it cannot be (the sandbox reports that). */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
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
