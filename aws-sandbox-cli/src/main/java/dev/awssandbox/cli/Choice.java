package dev.awssandbox.cli;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * An option whose value is one of a few words ({@code auto}, {@code aws_config},
 * {@code streamable-http}). A subclass is both the option's {@code converter} and its
 * {@code completionCandidates}: picocli converts the word, {@code --help} lists the words
 * ({@code ${COMPLETION-CANDIDATES}}), and any other word is a usage error that names them. The
 * environment variable that gives an option's default is read with the same words.
 */
abstract class Choice<E extends Enum<E>> implements CommandLine.ITypeConverter<E>, Iterable<String> {
    private final List<String> words;
    private final Map<String, E> accepted = new LinkedHashMap<>();

    Choice(E[] values, Function<E, String> word, Map<String, E> aliases) {
        this.words = Arrays.stream(values).map(word).toList();
        for (E value : values) {
            accepted.put(word.apply(value), value);
        }
        accepted.putAll(aliases);
    }

    @Override
    public E convert(String value) {
        return find(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "'" + value + "': expected one of " + String.join(", ", words)));
    }

    /** The value of environment variable {@code name}; another word is a usage error naming the variable. */
    E fromVariable(String name, String value) {
        return find(value).orElseThrow(() -> CliException.usage("invalid " + name + " value '" + value
                + "': expected one of " + String.join(", ", words) + "; correct or unset " + name));
    }

    private Optional<E> find(String value) {
        return Optional.ofNullable(accepted.get(value.trim().toLowerCase(Locale.ROOT)));
    }

    /** The words, for {@code --help}. */
    @Override
    public Iterator<String> iterator() {
        return words.iterator();
    }

    /** {@code --mode}, {@code AWS_MCP_SANDBOX}. */
    static final class Modes extends Choice<Sandbox.Mode> {
        Modes() {
            super(Sandbox.Mode.values(), Sandbox.Mode::label, Map.of());
        }
    }

    /** {@code --backend}; {@code bwrap} is bubblewrap's program name. */
    static final class Backends extends Choice<BackendKind> {
        Backends() {
            super(BackendKind.values(), BackendKind::label, Map.of("bwrap", BackendKind.BUBBLEWRAP));
        }
    }

    /** {@code --credentials}, {@code AWS_MCP_SANDBOX_CREDENTIALS}. */
    static final class CredentialSources extends Choice<SandboxPolicy.Credentials> {
        CredentialSources() {
            super(SandboxPolicy.Credentials.values(), SandboxPolicy.Credentials::label, Map.of());
        }
    }

    /** {@code mcp --transport}, {@code AWS_MCP_TRANSPORT}; {@code http} is accepted as earlier versions did. */
    static final class Transports extends Choice<McpCommand.Transport> {
        Transports() {
            super(McpCommand.Transport.values(), McpCommand.Transport::word,
                    Map.of("http", McpCommand.Transport.STREAMABLE_HTTP));
        }
    }
}
