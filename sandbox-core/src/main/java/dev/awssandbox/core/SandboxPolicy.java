package dev.awssandbox.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

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
 * @param allowNetwork   whether the command may open network connections
 * @param passAwsEnv     whether secret AWS environment variables reach the command
 * @param allowAwsConfig whether {@code ~/.aws} and the configured credential files are readable
 * @param envPassthrough the host variables the command gets (secret ones only with {@code passAwsEnv})
 * @param limits         resource limits for the command and everything it starts
 * @param privateTmp     give the command an empty /tmp of its own instead of the host's (needs a
 *                       mount namespace: bubblewrap; Landlock cannot, and {@code required} refuses)
 * @param allowGitWrites let the command write git metadata ({@code .git}) inside its writable
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
        boolean allowNetwork,
        boolean passAwsEnv,
        boolean allowAwsConfig,
        List<String> envPassthrough,
        ResourceLimits limits,
        boolean privateTmp,
        boolean allowGitWrites) {

    /** Linux system paths readable by default (the reference's list). */
    public static final List<String> LINUX_READ_PATHS = List.of(
            "/usr", "/bin", "/lib", "/lib64",
            "/etc/ssl", "/etc/ca-certificates", "/etc/pki",
            "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group");

    /**
     * macOS system paths readable by default: the reference's list without {@code /dev}, whose
     * nodes the Seatbelt profile allows one by one (all of {@code /dev} would open other
     * terminals' ttys).
     */
    public static final List<String> MACOS_READ_PATHS = List.of(
            "/usr", "/bin", "/sbin", "/Library", "/System", "/private/etc", "/var/run", "/opt/homebrew");

    public SandboxPolicy {
        readPaths = absolute(readPaths);
        writePaths = absolute(writePaths);
        envPassthrough = List.copyOf(new LinkedHashSet<>(envPassthrough));
        java.util.Objects.requireNonNull(limits, "limits");
        for (String name : envPassthrough) {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name '" + name + "'");
            }
        }
        if (!passAwsEnv) {
            envPassthrough = envPassthrough.stream().filter(n -> !AwsEnvironment.AWS_SECRET_ENV_VARS.contains(n)).toList();
        }
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

    /** The default policy for this host and platform: network on, both credential sources. */
    public static SandboxPolicy defaults(HostEnvironment host) {
        return builder(host).build();
    }

    /** The default policy for the given credential mode. */
    public static SandboxPolicy defaults(HostEnvironment host, CredentialMode credentials) {
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
        b.allowNetwork = allowNetwork;
        b.passAwsEnv = passAwsEnv;
        b.allowAwsConfig = allowAwsConfig;
        b.envPassthrough.clear();
        b.envPassthrough.addAll(envPassthrough);
        b.limits = limits;
        b.privateTmp = privateTmp;
        b.allowGitWrites = allowGitWrites;
        return b;
    }

    /** Builds policies; paths may start with {@code ~}, which means {@code $HOME}. */
    public static final class Builder {
        private final HostEnvironment host;
        private final List<Path> readPaths = new ArrayList<>();
        private final List<Path> writePaths = new ArrayList<>();
        private final List<String> envPassthrough = new ArrayList<>();
        private boolean allowNetwork = true;
        private boolean passAwsEnv = true;
        private boolean allowAwsConfig = true;
        private ResourceLimits limits = ResourceLimits.DEFAULT;
        private boolean privateTmp;
        private boolean allowGitWrites;

        private Builder(HostEnvironment host) {
            this.host = host;
            List<String> systemPaths = switch (host.platform()) {
                case LINUX -> LINUX_READ_PATHS;
                case MACOS -> MACOS_READ_PATHS;
                case OTHER -> List.of();
            };
            systemPaths.forEach(p -> readPaths.add(Path.of(p)));
            writePaths.add(Path.of("/tmp"));
            host.get("TMPDIR").map(host::expand).ifPresent(writePaths::add);
            writePaths.add(host.workingDirectory());
            envPassthrough.addAll(AwsEnvironment.BASE_ENV_VARS);
            envPassthrough.addAll(AwsEnvironment.AWS_ENV_VARS);
            if (host.platform() == Platform.MACOS) {
                envPassthrough.addAll(AwsEnvironment.PROXY_ENV_VARS);
            }
        }

        public Builder addReadPath(String path) {
            readPaths.add(host.expand(path));
            return this;
        }

        public Builder addWritePath(String path) {
            writePaths.add(host.expand(path));
            return this;
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

        public Builder allowNetwork(boolean allow) {
            this.allowNetwork = allow;
            return this;
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
        public Builder credentials(CredentialMode mode) {
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

        public Builder limits(ResourceLimits limits) {
            this.limits = limits;
            return this;
        }

        /** An empty, private /tmp (bubblewrap); the host's /tmp is then not granted. */
        public Builder privateTmp(boolean enabled) {
            this.privateTmp = enabled;
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
            return new SandboxPolicy(readPaths, writePaths, allowNetwork, passAwsEnv, allowAwsConfig, envPassthrough,
                    limits, privateTmp, allowGitWrites);
        }
    }
}
