package dev.awssandbox.core;

import dev.awssandbox.core.access.AwsEnvironment;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.egress.HostPattern;
import dev.awssandbox.core.access.Rules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.time.Duration;
import java.util.Optional;

/**
 * What a sandboxed command may touch. Immutable; start from {@link #defaults(HostEnvironment)}
 * or {@link #builder(HostEnvironment)} and change what you need.
 *
 * <p>Beyond these paths every backend also allows what the command itself needs to run: its
 * executable and interpreter chain, {@code /dev/null} and friends, locale and time zone data, and
 * (when {@link #allowAwsConfig()}) the AWS credential files. Those are derived per command.
 *
 * @param readPaths      paths readable (and executable) beneath; missing ones are skipped
 * @param writePaths     paths readable and writable beneath; missing ones are skipped
 * @param network        which connections the command may open: none, those to the allowed hosts
 *                       (through aws-sandbox's egress proxy), or any
 * @param allowedHosts   in mode {@link Network#HOSTS}, the hosts it may reach, as canonical
 *                       patterns (see {@link Builder#allowHosts(List)}); empty in the other modes
 * @param passAwsEnv     whether secret AWS environment variables reach the command
 * @param allowAwsConfig whether {@code ~/.aws} and the configured credential files are readable
 * @param envPassthrough the host variables the command gets (secret ones only with {@code passAwsEnv})
 * @param limits         resource limits for the command and everything it starts
 * @param allowGitWrites let the command write git metadata ({@code .git}, and what a repository's
 *                       config names: included config files, {@code core.hooksPath}, the scripts of
 *                       command-valued keys such as {@code core.fsmonitor}) inside its writable
 *                       paths. Off by default: hooks and {@code .git/config} run later outside the
 *                       sandbox. With it off, bubblewrap keeps every {@code .git} it finds read-only
 *                       inside a writable directory; Landlock cannot, so a writable path that holds
 *                       one is not made writable (the working directory stays read-only with a
 *                       warning, an explicit write path is an error). aws-sandbox's own installation
 *                       is never writable, whatever this says.
 */
public record SandboxPolicy(
        List<Path> readPaths,
        List<Path> writePaths,
        SandboxPolicy.Network network,
        List<String> allowedHosts,
        boolean passAwsEnv,
        boolean allowAwsConfig,
        List<String> envPassthrough,
        SandboxPolicy.Limits limits,
        boolean allowGitWrites) {

    /**
     * Linux system paths readable by default: the reference's list, but of the certificate stores
     * {@code /etc/ssl} and {@code /etc/pki} only what a TLS client reads (the CA bundles and
     * directories, OpenSSL's configuration): keys lie there outside a {@code private} directory too
     * (libvirt's {@code /etc/pki/qemu/server-key.pem}, NSS's {@code /etc/pki/nssdb/key4.db}, a key
     * put straight into {@code /etc/ssl}), and every command read them (red team, round 20, F10).
     * Paths this host lacks are left out.
     */
    public static final List<String> LINUX_READ_PATHS = dev.awssandbox.core.access.SystemReadPaths.LINUX;

    /**
     * macOS system paths readable by default: the reference's list without {@code /dev}, whose
     * nodes the Seatbelt profile allows one by one (all of {@code /dev} would open other
     * terminals' ttys).
     */
    public static final List<String> MACOS_READ_PATHS = dev.awssandbox.core.access.SystemReadPaths.MACOS;

    public SandboxPolicy {
        readPaths = absolute(readPaths);
        writePaths = absolute(writePaths);
        envPassthrough = List.copyOf(new LinkedHashSet<>(envPassthrough));
        java.util.Objects.requireNonNull(limits, "limits");
        java.util.Objects.requireNonNull(network, "network");
        allowedHosts = List.copyOf(new LinkedHashSet<>(allowedHosts.stream().map(h -> HostPattern.parse(h).toString()).toList()));
        if (network != Network.HOSTS && !allowedHosts.isEmpty()) {
            throw new IllegalArgumentException("allowed hosts are for network mode hosts, not " + network.label()
                    + ": " + String.join(", ", allowedHosts));
        }
        for (String name : envPassthrough) {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name '" + name + "'");
            }
        }
        if (!passAwsEnv) {
            envPassthrough = envPassthrough.stream().filter(n -> !AwsEnvironment.AWS_SECRET_ENV_VARS.contains(n)).toList();
        }
    }

    /** The planner's view of this policy. */
    Rules rules() {
        return new Rules(readPaths, writePaths, switch (network) {
            case OFF -> NetworkMode.OFF;
            case HOSTS -> NetworkMode.HOSTS;
            case ALL -> NetworkMode.ALL;
        }, allowedHosts.stream().map(HostPattern::parse).toList(), passAwsEnv, allowAwsConfig, envPassthrough, allowGitWrites);
    }

    /** Whether every connection is allowed (mode {@link Network#ALL}); false for {@code OFF} and {@code HOSTS}. */
    public boolean allowNetwork() {
        return network == Network.ALL;
    }

    private static List<Path> absolute(List<Path> paths) {
        List<Path> result = new ArrayList<>(paths.size());
        for (Path path : paths) {
            Objects.requireNonNull(path, "path");
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("policy paths must be absolute: " + path);
            }
            if (path.toString().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("path contains a NUL byte");
            }
            result.add(path.normalize());
        }
        return List.copyOf(new LinkedHashSet<>(result));
    }

    /** The default policy for this host and platform: network on (mode all), both credential sources. */
    public static SandboxPolicy defaults(HostEnvironment host) {
        return builder(host).build();
    }

    /** The default policy for the given credential mode. */
    public static SandboxPolicy defaults(HostEnvironment host, SandboxPolicy.Credentials credentials) {
        return builder(host).credentials(credentials).build();
    }

    /** A builder preloaded with the defaults for this host. */
    public static Builder builder(HostEnvironment host) {
        return new Builder(host);
    }

    /** A builder preloaded with this policy. */
    public Builder toBuilder(HostEnvironment host) {
        Builder b = new Builder(host);
        b.readPaths.clear();
        b.readPaths.addAll(readPaths);
        b.writePaths.clear();
        b.writePaths.addAll(writePaths);
        b.network = network;
        b.allowedHosts.clear();
        b.allowedHosts.addAll(allowedHosts);
        b.passAwsEnv = passAwsEnv;
        b.allowAwsConfig = allowAwsConfig;
        b.envPassthrough.clear();
        b.envPassthrough.addAll(envPassthrough);
        b.limits = limits;
        b.allowGitWrites = allowGitWrites;
        return b;
    }

    /** Builds policies; paths may start with {@code ~}, which means {@code $HOME}. */
    public static final class Builder {
        private final HostEnvironment host;
        private final List<Path> readPaths = new ArrayList<>();
        private final List<Path> writePaths = new ArrayList<>();
        private final List<String> envPassthrough = new ArrayList<>();
        private Network network = Network.ALL;
        private final List<String> allowedHosts = new ArrayList<>();
        private boolean passAwsEnv = true;
        private boolean allowAwsConfig = true;
        private SandboxPolicy.Limits limits = SandboxPolicy.Limits.DEFAULT;
        private boolean allowGitWrites;

        private Builder(HostEnvironment host) {
            this.host = host;
            List<String> systemPaths = switch (host.platform()) {
                case LINUX -> LINUX_READ_PATHS;
                case MACOS -> MACOS_READ_PATHS;
                case OTHER -> List.of();
            };
            systemPaths.forEach(p -> readPaths.add(Path.of(p)));
            writePaths.add(host.workingDirectory());
            envPassthrough.addAll(AwsEnvironment.BASE_ENV_VARS);
            envPassthrough.addAll(AwsEnvironment.AWS_ENV_VARS);
            envPassthrough.addAll(AwsEnvironment.AWS_SETTINGS_ENV_VARS);
            host.variables().keySet().stream().filter(AwsEnvironment::isEndpointVariable).sorted()
                    .forEach(envPassthrough::add);
            if (host.platform() == HostEnvironment.Platform.MACOS) {
                envPassthrough.addAll(AwsEnvironment.PROXY_ENV_VARS);
            }
        }

        public Builder addReadPath(String path) {
            readPaths.add(host.expand(nonEmpty(path)));
            return this;
        }

        public Builder addWritePath(String path) {
            writePaths.add(host.expand(nonEmpty(path)));
            return this;
        }

        /** "" would expand to the working directory: an unset shell variable must not grant it. */
        private static String nonEmpty(String path) {
            if (path.isBlank()) {
                throw new IllegalArgumentException("an empty path names nothing to grant; name the path"
                        + " ('.' for the working directory)");
            }
            return path;
        }

        public Builder readPaths(List<Path> paths) {
            readPaths.clear();
            readPaths.addAll(paths);
            return this;
        }

        public Builder writePaths(List<Path> paths) {
            writePaths.clear();
            writePaths.addAll(paths);
            return this;
        }

        /** Every connection ({@link Network#ALL}) or none ({@link Network#OFF}); forgets allowed hosts. */
        public Builder allowNetwork(boolean allow) {
            return network(allow ? Network.ALL : Network.OFF);
        }

        /** The network mode; any mode but {@link Network#HOSTS} forgets the allowed hosts. */
        public Builder network(Network mode) {
            this.network = java.util.Objects.requireNonNull(mode, "mode");
            if (mode != Network.HOSTS) {
                allowedHosts.clear();
            }
            return this;
        }

        /**
         * Network mode {@link Network#HOSTS} with these hosts allowed too. Each pattern is
         * <ul>
         *   <li>a host name ({@code sts.us-east-1.amazonaws.com}), a wildcard for every name below a
         *       domain at any depth ({@code *.amazonaws.com}; the wildcard is the whole first label and
         *       must leave at least two), or an IP address ({@code 127.0.0.1}, {@code [::1]});</li>
         *   <li>optionally followed by {@code :PORT}, or {@code :*} for every port; without one, 443.</li>
         * </ul>
         * A name is never connected to a loopback, link-local, this host's own or other local address, whatever it
         * resolves to, except the name {@code localhost}; an address pattern reaches exactly that address.
         *
         * @throws IllegalArgumentException for a malformed pattern, naming it and saying what to write
         */
        public Builder allowHosts(List<String> patterns) {
            for (String pattern : patterns) {
                allowedHosts.add(HostPattern.parse(pattern).toString());
            }
            this.network = Network.HOSTS;
            return this;
        }

        /** See {@link #allowHosts(List)}. */
        public Builder allowHosts(String... patterns) {
            return allowHosts(List.of(patterns));
        }

        public Builder passAwsEnv(boolean pass) {
            this.passAwsEnv = pass;
            return this;
        }

        public Builder allowAwsConfig(boolean allow) {
            this.allowAwsConfig = allow;
            return this;
        }

        /** Sets both credential switches from a mode. */
        public Builder credentials(SandboxPolicy.Credentials mode) {
            this.passAwsEnv = mode.passAwsEnv();
            this.allowAwsConfig = mode.allowAwsConfig();
            return this;
        }

        public Builder addEnvPassthrough(String name) {
            envPassthrough.add(name);
            return this;
        }

        public Builder envPassthrough(List<String> names) {
            envPassthrough.clear();
            envPassthrough.addAll(names);
            return this;
        }

        public Builder limits(SandboxPolicy.Limits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Lets the command write git metadata ({@code .git}, what a {@code .git} file points to)
         * inside its writable paths; see {@link SandboxPolicy#allowGitWrites()}. Never makes
         * aws-sandbox's own installation writable.
         */
        public Builder allowGitWrites(boolean allow) {
            this.allowGitWrites = allow;
            return this;
        }

        public SandboxPolicy build() {
            return new SandboxPolicy(readPaths, writePaths, network, allowedHosts, passAwsEnv, allowAwsConfig,
                    envPassthrough, limits, allowGitWrites);
        }
    }

    /** Which connections a command may open. */
    public enum Network {
        /** None: TCP connect and bind refused, every other socket but unix stream pairs too. */
        OFF,
        /**
         * Only to the allowed hosts, through aws-sandbox's egress proxy on 127.0.0.1: the command
         * gets {@code HTTPS_PROXY}/{@code HTTP_PROXY} (and the lower-case forms) naming it, and
         * anything else it tries is refused as with the network off. What each backend can hold
         * is in {@link EnforcementReport.Network}.
         */
        HOSTS,
        /** Any. */
        ALL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses "off", "hosts" or "all" (any case); {@code source} names where it came from. */
        public static Network parse(String value, String source) {
            return Labels.parse(values(), Network::label, value, source);
        }
    }

    /**
     * Where the AWS CLI may take credentials from inside the sandbox (environment variable
     * {@code AWS_MCP_SANDBOX_CREDENTIALS}).
     */
    public enum Credentials {
        /** Secret AWS environment variables are passed; {@code ~/.aws} is not readable. */
        ENV,
        /** {@code ~/.aws} and the configured credential files are readable; secret variables are dropped. */
        AWS_CONFIG,
        /** Both (the default). */
        BOTH,
        /** Neither: the command runs without credentials. */
        NONE;

        public static final String ENV_VAR = "AWS_MCP_SANDBOX_CREDENTIALS";

        /** The AWS CLI's environment variables a command gets (the reference's {@code AWS_ENV_VARS}). */
        public static final List<String> AWS_VARIABLES = AwsEnvironment.AWS_ENV_VARS;

        /** Those that hold secrets (the reference's {@code AWS_SECRET_ENV_VARS}): passed only in modes env and both. */
        public static final java.util.Set<String> SECRET_VARIABLES = AwsEnvironment.AWS_SECRET_ENV_VARS;

        /** {@code ~/.aws} of this host. */
        public static Path awsDirectory(HostEnvironment host) {
            return AwsEnvironment.awsDirectory(host.host());
        }

        /**
         * The files the AWS CLI may read for {@code AWS_SHARED_CREDENTIALS_FILE} or
         * {@code AWS_CONFIG_FILE}'s value {@code value}: botocore expands {@code $NAME},
         * {@code ${NAME}}, {@code ~} and {@code ~user} in it, and a variable it lacks stays as
         * written, so both readings are given (whether they exist or not).
         */
        public static List<Path> awsFiles(HostEnvironment host, String value) {
            return AwsEnvironment.asBotocoreReads(host.host(), value);
        }

        /**
         * The credential files of this host that exist: {@code ~/.aws} and the files named by
         * {@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_CONFIG_FILE}, {@code AWS_WEB_IDENTITY_TOKEN_FILE}
         * (the reference's {@code get_aws_credential_paths()}).
         */
        public static List<Path> files(HostEnvironment host) {
            return AwsEnvironment.credentialPaths(host.host());
        }

        /** Whether the secret AWS environment variables are passed: {@link #ENV} and {@link #BOTH}. */
        public boolean passAwsEnv() {
            return this == ENV || this == BOTH;
        }

        /** Whether {@code ~/.aws} and the credential files are readable: {@link #AWS_CONFIG} and {@link #BOTH}. */
        public boolean allowAwsConfig() {
            return this == AWS_CONFIG || this == BOTH;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses "env", "aws_config", "both" or "none" (any case); {@code source} names where it came from. */
        public static Credentials parse(String value, String source) {
            return Labels.parse(values(), Credentials::label, value, source);
        }
    }

    /**
     * Resource limits for every sandboxed command and everything it starts, in place before the
     * command's first instruction (the spawner holds the new process until they are set; no extra
     * exec). Soft and hard limits are equal, so the command cannot raise them.
     *
     * <p>Scope, as the kernel defines it:
     * <ul>
     *   <li>{@code processes}: with a pids cgroup (aws-sandbox creates one per command where the host
     *       lets it: as root, or in a delegated cgroup v2 subtree) at most this many processes and
     *       threads in the command's tree, root included. Without one, RLIMIT_NPROC = the user's
     *       current process count plus this many; RLIMIT_NPROC does not bind root at all.</li>
     *   <li>{@code memoryBytes}: with a memory cgroup, the memory of the command's whole tree;
     *       always also RLIMIT_DATA (heap and private writable mappings) per process.</li>
     *   <li>{@code cpuTime} (RLIMIT_CPU) and {@code fileSizeBytes} (RLIMIT_FSIZE): per process.</li>
     *   <li>core dumps are disabled unless {@code coreDumps}.</li>
     * </ul>
     * {@code doctor} says which mechanism holds on the host.
     *
     * @param processes     processes (and threads) per command
     * @param cpuTime       CPU seconds per process (SIGXCPU, then SIGKILL)
     * @param fileSizeBytes largest file a process may write (SIGXFSZ/EFBIG)
     * @param memoryBytes   memory per command (cgroup) and per process (RLIMIT_DATA)
     * @param coreDumps     whether RLIMIT_CORE is left alone (false: 0, no core files)
     */
    public record Limits(
            Optional<Long> processes,
            Optional<Duration> cpuTime,
            Optional<Long> fileSizeBytes,
            Optional<Long> memoryBytes,
            boolean coreDumps) {

        /** 512 processes, 600 CPU seconds per process, 4 GiB files, 2 GiB of memory, no core dumps. */
        public static final Limits DEFAULT = of(dev.awssandbox.core.process.Limits.DEFAULT);

        /** Leaves every limit as the JVM has it. */
        public static final Limits NONE =
                new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);

        public Limits {
            processes.ifPresent(p -> {
                if (p < 1) {
                    throw new IllegalArgumentException("process limit must be at least 1: " + p);
                }
            });
            cpuTime.ifPresent(t -> {
                if (t.toSeconds() < 1) {
                    throw new IllegalArgumentException("CPU time limit must be at least 1 s: " + t);
                }
            });
            fileSizeBytes.ifPresent(s -> {
                if (s < 1) {
                    throw new IllegalArgumentException("file size limit must be at least 1 byte: " + s);
                }
            });
            memoryBytes.ifPresent(s -> {
                if (s < (16L << 20)) {
                    throw new IllegalArgumentException("memory limit must be at least 16 MiB: " + s);
                }
            });
        }

        /** The engine's limits as the policy's. */
        static Limits of(dev.awssandbox.core.process.Limits limits) {
            return new Limits(box(limits.processes()), box(limits.cpuSeconds()).map(Duration::ofSeconds),
                    box(limits.fileSizeBytes()), box(limits.memoryBytes()), limits.coreDumps());
        }

        /** The engine's copy of these limits. */
        dev.awssandbox.core.process.Limits toEngine() {
            return new dev.awssandbox.core.process.Limits(unbox(processes), unbox(cpuTime.map(Duration::toSeconds)),
                    unbox(fileSizeBytes), unbox(memoryBytes), coreDumps);
        }

        private static Optional<Long> box(java.util.OptionalLong value) {
            return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
        }

        private static java.util.OptionalLong unbox(Optional<Long> value) {
            return value.map(java.util.OptionalLong::of).orElse(java.util.OptionalLong.empty());
        }

        public Limits withProcesses(long limit) {
            return new Limits(Optional.of(limit), cpuTime, fileSizeBytes, memoryBytes, coreDumps);
        }

        public Limits withCpuTime(Duration limit) {
            return new Limits(processes, Optional.of(limit), fileSizeBytes, memoryBytes, coreDumps);
        }

        public Limits withFileSize(long bytes) {
            return new Limits(processes, cpuTime, Optional.of(bytes), memoryBytes, coreDumps);
        }

        public Limits withMemory(long bytes) {
            return new Limits(processes, cpuTime, fileSizeBytes, Optional.of(bytes), coreDumps);
        }
    }
}
