package dev.awssandbox.core;

import dev.awssandbox.core.access.AwsIni;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Locale;

/**
 * A snapshot of the host facts a policy is resolved against: environment variables, current
 * directory and platform. The default sandbox uses {@link #current()}; tests pass their own.
 */
public record HostEnvironment(Map<String, String> variables, Path workingDirectory, HostEnvironment.Platform platform) {

    public HostEnvironment {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath().normalize();
    }

    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Path.of("").toAbsolutePath(), HostEnvironment.Platform.current());
    }

    /** The planner's view of this host. */
    dev.awssandbox.core.access.Host host() {
        return new dev.awssandbox.core.access.Host(variables, workingDirectory, platform == Platform.LINUX);
    }

    // The variables of the reference's server, parsed here and nowhere else.

    /** {@code AWS_MCP_SANDBOX}: auto (the default), disabled or required. */
    public Sandbox.Mode sandboxMode() {
        return get(Sandbox.Mode.ENV_VAR).map(v -> Sandbox.Mode.parse(v, Sandbox.Mode.ENV_VAR)).orElse(Sandbox.Mode.AUTO);
    }

    /** {@code AWS_MCP_SANDBOX_CREDENTIALS}: env, aws_config, both (the default) or none. */
    public SandboxPolicy.Credentials credentials() {
        return get(SandboxPolicy.Credentials.ENV_VAR)
                .map(v -> SandboxPolicy.Credentials.parse(v, SandboxPolicy.Credentials.ENV_VAR))
                .orElse(SandboxPolicy.Credentials.BOTH);
    }

    /** The variable that caps captured output, in bytes (the reference counts characters). */
    public static final String MAX_OUTPUT_ENV_VAR = "AWS_MCP_MAX_OUTPUT";

    /** {@code AWS_MCP_MAX_OUTPUT}: bytes captured per stream, 1 to 2^31-9; 100000 by default. */
    public long maxOutput() {
        return get(MAX_OUTPUT_ENV_VAR).map(v -> parseByteCount(v, MAX_OUTPUT_ENV_VAR))
                .orElse(Command.Output.DEFAULT_CAPTURE_LIMIT);
    }

    /** A byte count between 1 and {@link Command.Output#MAX_CAPTURE_LIMIT}; {@code source} names where it came from. */
    public static long parseByteCount(String value, String source) {
        try {
            long limit = Long.parseLong(value.trim());
            if (limit > 0 && limit <= Command.Output.MAX_CAPTURE_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new IllegalArgumentException("invalid " + source + " value '" + value
                + "': expected a number of bytes between 1 and " + Command.Output.MAX_CAPTURE_LIMIT);
    }

    /** A copy with other variables. */
    public HostEnvironment withVariables(Map<String, String> replacement) {
        return new HostEnvironment(replacement, workingDirectory, platform);
    }

    /** A copy with another current directory. */
    public HostEnvironment withWorkingDirectory(Path directory) {
        return new HostEnvironment(variables, directory, platform);
    }

    /**
     * A proxy this environment names for outbound connections ({@code HTTPS_PROXY}, {@code HTTP_PROXY},
     * {@code ALL_PROXY}, either case), as {@code NAME=VALUE} with a password in its URL left out; which the
     * egress proxy does not use (it connects directly), so the CLI and the MCP server say so.
     */
    public Optional<String> upstreamProxy() {
        for (String name : java.util.List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")) {
            Optional<String> value = get(name);
            if (value.isPresent()) {
                return Optional.of(name + "=" + value.get().replaceAll("//[^/@]*@", "//***@"));
            }
        }
        return Optional.empty();
    }

    /** A variable's value, treating the empty string as absent. */
    public Optional<String> get(String name) {
        return host().get(name);
    }

    /**
     * {@code $HOME}, as the AWS CLI resolves {@code ~}; Java's {@code user.home} only when HOME is
     * unset (it reads the password database, which may disagree with HOME).
     */
    public Path home() {
        return host().home();
    }

    /** Expands a leading {@code ~} or {@code ~/} to {@link #home()}; other paths are made absolute against the current directory. */
    public Path expand(String path) {
        return host().expand(path);
    }

    /** The operating systems whose defaults differ. */
    public enum Platform {
        LINUX,
        MACOS,
        OTHER;

        public static Platform current() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.startsWith("linux")) {
                return LINUX;
            }
            if (os.startsWith("mac") || os.startsWith("darwin")) {
                return MACOS;
            }
            return OTHER;
        }
    }

    /** The names the AWS CLI's alias file in this home ({@code ~/.aws/cli/alias}) takes over, as it is now. */
    public AwsCliAliases awsCliAliases() {
        return AwsCliAliases.read(home().resolve(".aws").resolve("cli").resolve("alias"));
    }

    /**
     * The command names the AWS CLI's alias file ({@code ~/.aws/cli/alias}) takes over, read as the
     * AWS CLI reads it: with Python's {@code configparser} through botocore, so {@code name: value} as
     * well as {@code name = value}, names lower-cased, an indented line after a header an option, a
     * header with text after its {@code ]}, and the {@code [DEFAULT]} section's options in every
     * section (a parser of the MCP server's own took only unindented {@code name =} lines under a
     * header written exactly {@code [toplevel]}: red team, MCP round B, F1). An alias runs in place of
     * the built-in command of its name, and one whose value starts with {@code !} runs the shell.
     *
     * @param topLevel    names that replace {@code aws NAME} ({@code [toplevel]}, and {@code [DEFAULT]}'s options)
     * @param subcommands per command, the names that replace {@code aws COMMAND NAME} (AWS CLI v2's
     *                    {@code [command COMMAND]} sections, read here for either version)
     * @param unreadable  why the file exists but cannot be read here; then any name may be an alias
     */
    public record AwsCliAliases(Set<String> topLevel, Map<String, Set<String>> subcommands, Optional<String> unreadable) {

        /** A larger alias file is not read: any name may be an alias. */
        public static final long MOST_BYTES = 1 << 20;

        private static final AwsCliAliases NONE = new AwsCliAliases(Set.of(), Map.of(), Optional.empty());

        public AwsCliAliases {
            topLevel = Set.copyOf(topLevel);
            subcommands = Map.copyOf(subcommands);
        }

        /** {@code file} read as the AWS CLI reads its alias file. */
        public static AwsCliAliases read(Path file) {
            // the AWS CLI reads the file when os.path.exists says it exists: a link is followed, a dangling one is no file;
            // what is not a regular file there makes it fail before any command runs
            if (!Files.isRegularFile(file)) {
                return NONE;
            }
            String text;
            try {
                if (Files.size(file) > MOST_BYTES) {
                    return unreadable(file + " is larger than " + MOST_BYTES + " bytes");
                }
                // Python reads it in the locale's encoding, UTF-8 where the AWS CLI runs (text it cannot decode makes the AWS
                // CLI fail; here it fails closed)
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                        .toString();
            } catch (CharacterCodingException e) {
                return unreadable(file + " is not UTF-8 text");
            } catch (IOException | RuntimeException e) {
                return unreadable(file + " cannot be read (" + e.getMessage() + ")");
            }
            Set<String> topLevel = new TreeSet<>();
            Map<String, Set<String>> subcommands = new TreeMap<>();
            Set<String> defaults = new TreeSet<>();
            AwsIni.Ini ini = AwsIni.read(text);
            for (AwsIni.Option option : ini.options()) {
                String section = option.section();
                String[] words = AwsIni.strip(section).split("\\s+");
                if (section.equals("toplevel")) {
                    topLevel.add(option.key());
                } else if (section.equals("DEFAULT")) { // configparser's defaults, an option of every section
                    defaults.add(option.key());
                } else if (words.length >= 2 && words[0].equals("command")) {
                    subcommands.computeIfAbsent(words[1], k -> new TreeSet<>()).add(option.key());
                }
            }
            topLevel.addAll(defaults);
            for (String section : ini.sections()) {
                String[] words = AwsIni.strip(section).split("\\s+");
                if (words.length >= 2 && words[0].equals("command")) {
                    subcommands.computeIfAbsent(words[1], k -> new TreeSet<>()).addAll(defaults);
                }
            }
            return new AwsCliAliases(topLevel, subcommands, Optional.empty());
        }

        private static AwsCliAliases unreadable(String why) {
            return new AwsCliAliases(Set.of(), Map.of(), Optional.of(why));
        }

        /** Whether {@code aws COMMAND} may run an alias in place of the built-in command. */
        public boolean replaces(String command) {
            return unreadable.isPresent() || topLevel.contains(command);
        }

        /** Whether {@code aws COMMAND SUBCOMMAND} may run an alias in place of the built-in subcommand. */
        public boolean replaces(String command, String subcommand) {
            return unreadable.isPresent() || subcommands.getOrDefault(command, Set.of()).contains(subcommand);
        }
    }
}
