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

    /** The alias file of {@code host}'s home, as it is now. */
    public static AwsCliAliases of(HostEnvironment host) {
        return read(host.home().resolve(".aws").resolve("cli").resolve("alias"));
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
