package dev.awssandbox.mcp.policy;

import dev.awssandbox.core.HostEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the model may do to the AWS account: the policy file ({@code AWS_MCP_POLICY_FILE}, by
 * default {@code ~/.config/aws-sandbox/mcp-policy.json}; a missing default file is fine, a
 * malformed one is an error naming line and column, an unknown key is an error), each key
 * overridden by its environment variable.
 *
 * <pre>{@code
 * {"readOnly": false, "requireConsent": false, "deny": ["iam:*", "s3api:delete-*", "s3:rb"],
 *  "ask": ["ec2:terminate-instances"], "profiles": ["dev"], "regions": ["eu-west-1"],
 *  "endpoints": ["http://127.0.0.1:4566"], "filters": ["jq", "sort"]}
 * }</pre>
 *
 * @param readOnly       only operations that read ({@code AWS_MCP_READ_ONLY})
 * @param requireConsent ask the user (MCP elicitation) before any operation that does not only read ({@code AWS_MCP_REQUIRE_CONSENT})
 * @param deny           {@code service:operation} globs that are refused ({@code AWS_MCP_DENY})
 * @param ask            globs that need the user's consent ({@code AWS_MCP_ASK})
 * @param profiles       profiles a call may name; empty: any ({@code AWS_MCP_ALLOWED_PROFILES})
 * @param regions        regions a call may use; empty: any ({@code AWS_MCP_ALLOWED_REGIONS})
 * @param endpoints      endpoints besides AWS's that {@code --endpoint-url} may name ({@code AWS_MCP_ALLOWED_ENDPOINTS})
 * @param filters        programs allowed after {@code |} ({@code AWS_MCP_FILTERS})
 * @param file           the policy file read, if any
 * @param sources        where each key's value came from: {@code file}, {@code env NAME} or {@code default}
 * @throws IllegalArgumentException for a value the server cannot use ({@link #load} reports it as {@link Invalid})
 */
public record PolicyConfig(boolean readOnly, boolean requireConsent, List<String> deny, List<String> ask,
                           List<String> profiles, List<String> regions, List<String> endpoints, Set<String> filters,
                           Optional<Path> file, Map<String, String> sources) {

    /** The environment variable that names the policy file. */
    public static final String FILE_VARIABLE = "AWS_MCP_POLICY_FILE";

    /** The keys of the policy file, in the order {@code --print-policy} shows them. */
    enum Key {
        READ_ONLY("readOnly", "AWS_MCP_READ_ONLY"),
        REQUIRE_CONSENT("requireConsent", "AWS_MCP_REQUIRE_CONSENT"),
        DENY("deny", "AWS_MCP_DENY"),
        ASK("ask", "AWS_MCP_ASK"),
        PROFILES("profiles", "AWS_MCP_ALLOWED_PROFILES"),
        REGIONS("regions", "AWS_MCP_ALLOWED_REGIONS"),
        ENDPOINTS("endpoints", "AWS_MCP_ALLOWED_ENDPOINTS"),
        FILTERS("filters", "AWS_MCP_FILTERS");

        /** The key as the file spells it. */
        final String word;
        /** The environment variable that overrides it. */
        final String variable;

        Key(String word, String variable) {
            this.word = word;
            this.variable = variable;
        }

        static Optional<Key> spelled(String word) {
            return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst();
        }
    }

    private static final String NOT_A_PATTERN = "is not a pattern: write service:operation with the AWS CLI's"
            + " names, '*' and '?' as wildcards (e.g. iam:*, s3api:delete-*, s3:rb)";

    /** Refuses a value the server could not use, however the policy was made: the file, the environment, a test. */
    public PolicyConfig {
        deny = checked(Key.DENY, deny, Patterns::valid, NOT_A_PATTERN);
        ask = checked(Key.ASK, ask, Patterns::valid, NOT_A_PATTERN);
        profiles = checked(Key.PROFILES, profiles, p -> p.matches("[A-Za-z0-9_.@+=,/-]{1,128}"), "is not a profile name");
        regions = checked(Key.REGIONS, regions, Regions::valid, "is not a region name (e.g. eu-west-1)");
        endpoints = checked(Key.ENDPOINTS, endpoints, e -> Endpoints.origin(e).isPresent(), "is not an http(s) URL");
        filters = java.util.Collections.unmodifiableSet(new TreeSet<>(checked(Key.FILTERS, filters, Filters.SPECS::containsKey,
                "is not a filter this server knows; known: " + String.join(", ", Filters.DEFAULT))));
        sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** A copy of {@code values}, or the first one that is not {@code valid}, named in an IllegalArgumentException. */
    private static List<String> checked(Key key, java.util.Collection<String> values,
                                        java.util.function.Predicate<String> valid, String invalid) {
        for (String value : values) {
            if (!valid.test(value)) {
                throw new IllegalArgumentException(key.word + ": '" + value + "' " + invalid);
            }
        }
        return List.copyOf(values);
    }

    /** The defaults: everything the sandbox allows, no lists. */
    public static PolicyConfig defaults() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Key key : Key.values()) {
            sources.put(key.word, "default");
        }
        return new PolicyConfig(false, false, List.of(), List.of(), List.of(), List.of(), List.of(), Filters.DEFAULT,
                Optional.empty(), sources);
    }

    /** A policy that cannot be used, with the reason (file, line, column, key). */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** The default file: {@code ~/.config/aws-sandbox/mcp-policy.json}. */
    public static Path defaultFile(HostEnvironment host) {
        return host.home().resolve(".config").resolve("aws-sandbox").resolve("mcp-policy.json");
    }

    /** The policy file: the one {@code AWS_MCP_POLICY_FILE} names, else the default (which need not exist). */
    public static Path file(HostEnvironment host) {
        return host.get(FILE_VARIABLE).map(host::expand).orElse(defaultFile(host));
    }

    /** Reads the policy file (if any) and applies the environment. */
    public static PolicyConfig load(HostEnvironment host) throws Invalid {
        Optional<String> named = host.get(FILE_VARIABLE);
        Path file = file(host);
        Map<Key, JsonNode> values = new LinkedHashMap<>();
        Optional<Path> read = Optional.empty();
        try {
            String text = Files.readString(file);
            values.putAll(parse(file, text));
            read = Optional.of(file);
        } catch (NoSuchFileException e) {
            if (named.isPresent()) {
                throw new Invalid("the policy file " + file + " (" + FILE_VARIABLE + ") does not exist");
            }
        } catch (IOException e) {
            throw new Invalid("cannot read the policy file " + file + ": " + e.getMessage());
        }
        Map<String, String> sources = new LinkedHashMap<>();
        PolicyConfig d = defaults();
        boolean readOnly = bool(values, host, Key.READ_ONLY, d.readOnly(), sources, file);
        boolean requireConsent = bool(values, host, Key.REQUIRE_CONSENT, d.requireConsent(), sources, file);
        List<String> deny = list(values, host, Key.DENY, sources, file);
        List<String> ask = list(values, host, Key.ASK, sources, file);
        List<String> profiles = list(values, host, Key.PROFILES, sources, file);
        List<String> regions = list(values, host, Key.REGIONS, sources, file);
        List<String> endpoints = list(values, host, Key.ENDPOINTS, sources, file);
        Set<String> filters = d.filters();
        if (values.containsKey(Key.FILTERS) || host.get(Key.FILTERS.variable).isPresent()) {
            filters = new TreeSet<>(list(values, host, Key.FILTERS, sources, file));
        } else {
            sources.put(Key.FILTERS.word, "default");
        }
        try {
            return new PolicyConfig(readOnly, requireConsent, deny, ask, profiles, regions, endpoints, filters, read, sources);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static boolean bool(Map<Key, JsonNode> values, HostEnvironment host, Key key, boolean fallback,
                                Map<String, String> sources, Path file) throws Invalid {
        Optional<String> env = host.get(key.variable);
        if (env.isPresent()) {
            sources.put(key.word, "env " + key.variable);
            return switch (env.get().trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new Invalid("invalid " + key.variable + " value '" + env.get() + "': expected true or false");
            };
        }
        JsonNode v = values.get(key);
        if (v == null) {
            sources.put(key.word, "default");
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new Invalid(file + ": \"" + key.word + "\" must be true or false");
        }
        sources.put(key.word, "file");
        return v.booleanValue();
    }

    private static List<String> list(Map<Key, JsonNode> values, HostEnvironment host, Key key,
                                     Map<String, String> sources, Path file) throws Invalid {
        Optional<String> env = host.get(key.variable);
        if (env.isPresent()) {
            sources.put(key.word, "env " + key.variable);
            List<String> items = new ArrayList<>();
            for (String s : env.get().split(",")) {
                if (!s.isBlank()) {
                    items.add(s.trim());
                }
            }
            return items;
        }
        JsonNode v = values.get(key);
        if (v == null) {
            sources.put(key.word, "default");
            return List.of();
        }
        if (!v.isArray()) {
            throw new Invalid(file + ": \"" + key.word + "\" must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : v.values()) {
            if (!item.isString() || item.asString().isBlank()) {
                throw new Invalid(file + ": \"" + key.word + "\" must be a list of non-empty strings");
            }
            items.add(item.asString().trim());
        }
        sources.put(key.word, "file");
        return items;
    }

    /** Reads the top-level object, naming the line and column of what is wrong. */
    static Map<Key, JsonNode> parse(Path file, String text) throws Invalid {
        JsonMapper mapper = JsonMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        Map<Key, JsonNode> values = new LinkedHashMap<>();
        try (JsonParser p = mapper.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid(file, p.currentTokenLocation(), "the policy must be a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                TokenStreamLocation where = p.currentTokenLocation();
                Key key = Key.spelled(name).orElseThrow(() -> invalid(file, where, "unknown key \"" + name
                        + "\"; the keys are " + Arrays.stream(Key.values()).map(k -> k.word).collect(Collectors.joining(", "))));
                if (values.containsKey(key)) {
                    throw invalid(file, where, "\"" + name + "\" is given twice");
                }
                p.nextToken();
                values.put(key, mapper.readTree(p));
            }
            if (p.nextToken() != null) {
                throw invalid(file, p.currentTokenLocation(), "unexpected content after the policy object");
            }
        } catch (StreamReadException e) {
            TokenStreamLocation where = e.getLocation();
            String message = withoutSource(e.getOriginalMessage());
            throw new Invalid(file + (where == null ? "" : " line " + where.getLineNr() + " column " + where.getColumnNr())
                    + ": malformed JSON: " + message);
        } catch (tools.jackson.core.JacksonException e) {
            throw new Invalid(file + ": malformed JSON: " + withoutSource(e.getOriginalMessage()));
        }
        return values;
    }

    /** A location inside Jackson's own message: {@code [Source: REDACTED (…); byte offset: #UNKNOWN]}, and what leads to it. */
    private static final java.util.regex.Pattern JACKSON_SOURCE =
            java.util.regex.Pattern.compile("\\s*\\((start marker )?at \\[Source: [^\\]]*\\]\\)|\\s*(at )?\\[Source: [^\\]]*\\]");

    /**
     * Jackson's short reason without the location it writes into some messages ("expected close
     * marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`
     * disabled); byte offset: #UNKNOWN])"), which names no place and reads as an internal error; the line
     * and column come first (testers' F12). The source stays out: it is the policy file's text.
     */
    static String withoutSource(String message) {
        return JACKSON_SOURCE.matcher(message).replaceAll("").strip();
    }

    private static Invalid invalid(Path file, TokenStreamLocation where, String message) {
        return new Invalid(file + " line " + where.getLineNr() + " column " + where.getColumnNr() + ": " + message);
    }

    /**
     * Refuses a {@code deny} or {@code ask} pattern that matches no command of {@code cli} (see {@link
     * AwsCli#whyNoCommand}): a rule that can never match is a rule not enforced.
     */
    public void requireCommandsOf(AwsCli cli) throws Invalid {
        for (Key key : List.of(Key.DENY, Key.ASK)) {
            for (String pattern : key == Key.DENY ? deny : ask) {
                Optional<String> why = cli.whyNoCommand(pattern);
                if (why.isPresent()) {
                    throw new Invalid(key.word + ": '" + pattern + "' matches no AWS CLI command: " + why.get()
                            + "; patterns use the AWS CLI's names, as in 'aws SERVICE COMMAND' (e.g. iam:create-user,"
                            + " s3api:delete-*, s3:rb)");
                }
            }
        }
    }

    /** The effective policy as JSON-friendly values, with where each came from ({@code --print-policy}). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.map(Path::toString).orElse("(none)"));
        for (Key key : Key.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", switch (key) {
                case READ_ONLY -> readOnly;
                case REQUIRE_CONSENT -> requireConsent;
                case DENY -> deny;
                case ASK -> ask;
                case PROFILES -> profiles;
                case REGIONS -> regions;
                case ENDPOINTS -> endpoints;
                case FILTERS -> List.copyOf(filters);
            });
            entry.put("from", sources.getOrDefault(key.word, "default"));
            m.put(key.word, entry);
        }
        return m;
    }

    /** Whether the deny rules refuse {@code aws SERVICE COMMAND} by its name (a prompt's example: outside test WF30, F13). */
    public boolean denies(String service, String command) {
        return Patterns.firstMatch(deny, List.of(service + ":" + command)).isPresent();
    }
}
