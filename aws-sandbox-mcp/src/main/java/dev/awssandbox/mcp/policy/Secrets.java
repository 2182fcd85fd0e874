package dev.awssandbox.mcp.policy;

import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.HostEnvironment;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every secret value this server can know, so that none reaches the client: the secret variables
 * of its environment ({@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, and any variable
 * whose name says SECRET, TOKEN, PASSWORD or CREDENTIAL), the keys and tokens in the shared
 * credentials and config files, in the AWS CLI's and SSO's caches ({@code ~/.aws/cli/cache},
 * {@code ~/.aws/sso/cache}, {@code ~/.aws/login/cache}) and the web identity token file. Files are
 * read again when they change (the AWS CLI writes its caches while the server runs). Values
 * shorter than 8 characters are not treated as secrets (they would match ordinary text).
 *
 * <p>Each secret is also known in the spellings it takes in output: JSON-escaped ({@code \/}),
 * URL-encoded, and reversed (what {@code --query 'reverse(…)'} makes of it). Redaction is the
 * second line: the argument rules keep the model from reading these files at all; a filter such
 * as {@code jq @base64} can still transform text it was given, and {@code --query} can still test
 * a value it was given ({@code starts_with(…, 'wJal')} answers true or false).
 */
public final class Secrets {
    /** Shortest value treated as a secret. */
    static final int MIN_LENGTH = 8;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HostEnvironment host;
    private final Set<String> fromEnvironment;
    private final Map<Path, Cached> files = new HashMap<>();
    private volatile List<String> current = List.of();

    private record Cached(FileTime modified, long size, Set<String> values) {}

    public Secrets(HostEnvironment host) {
        this.host = host;
        Set<String> env = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : host.variables().entrySet()) {
            if (secretName(e.getKey()) && !e.getKey().endsWith("_FILE") && !e.getKey().endsWith("_PATH")
                    && !e.getKey().endsWith("_DIR") && !e.getKey().endsWith("_URL") && !e.getKey().endsWith("_URI")) {
                env.add(e.getValue().strip());
            }
            // a password in a URL's user info (AWS_ENDPOINT_URL_S3=http://user:pw@host, HTTPS_PROXY): red team, round 46, F10
            urlPassword(e.getValue()).ifPresent(env::add);
        }
        this.fromEnvironment = Set.copyOf(env);
        refresh();
    }

    /** The password of a URL's user info ({@code scheme://user:password@host}), as written and decoded. */
    public static java.util.Optional<String> urlPassword(String value) {
        int scheme = value.indexOf("://");
        int at = value.indexOf('@', Math.max(scheme, 0));
        if (scheme <= 0 || at < 0) {
            return java.util.Optional.empty();
        }
        String authority = value.substring(scheme + 3, at);
        int colon = authority.indexOf(':');
        if (colon < 0 || authority.indexOf('/') >= 0 || colon == authority.length() - 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(authority.substring(colon + 1));
    }

    /** {@code value} with a URL's user-info password shown as {@link Redactor#MASK}. */
    public static String withoutUrlPassword(String value) {
        return urlPassword(value).map(password -> {
            int at = value.indexOf('@', value.indexOf("://"));
            return value.substring(0, at - password.length()) + Redactor.MASK + value.substring(at);
        }).orElse(value);
    }

    private static boolean secretName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("SECRET") || n.contains("TOKEN") || n.contains("PASSWORD") || n.contains("PASSWD")
                || n.contains("CREDENTIAL") || n.contains("PRIVATE_KEY") || n.equals("AWS_SESSION_TOKEN");
    }

    /** The secret values now known, longest first, each with its other spellings. */
    public List<String> values() {
        return current;
    }

    /** Reads changed files again; cheap when nothing changed. */
    public synchronized List<String> refresh() {
        Set<String> values = new LinkedHashSet<>(fromEnvironment);
        for (Path file : files()) {
            values.addAll(read(file));
        }
        Set<String> spelled = new LinkedHashSet<>();
        for (String v : values) {
            if (v.length() >= MIN_LENGTH) {
                spelled.add(v);
                spelled.add(v.replace("/", "\\/"));
                String encoded = URLEncoder.encode(v, StandardCharsets.UTF_8);
                spelled.add(encoded);
                spelled.add(lowerHex(encoded));
                // reversed: --query's JMESPath runs in the AWS CLI, before redaction, and its reverse()
                // turned a stored copy of the key into clear text read backwards (red team, mcp round 8, F8)
                String reversed = new StringBuilder(v).reverse().toString();
                spelled.add(reversed);
                spelled.add(reversed.replace("/", "\\/"));
            }
        }
        List<String> sorted = new ArrayList<>(spelled);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        current = List.copyOf(sorted);
        return current;
    }

    private static String lowerHex(String encoded) {
        StringBuilder b = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                b.append('%').append(Character.toLowerCase(encoded.charAt(i + 1))).append(Character.toLowerCase(encoded.charAt(i + 2)));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private List<Path> files() {
        List<Path> list = new ArrayList<>();
        Path aws = SandboxPolicy.Credentials.awsDirectory(host);
        // as botocore reads them: $HOME/... and ~user/... expanded (red team, round 20, F7)
        list.addAll(host.get("AWS_SHARED_CREDENTIALS_FILE").map(v -> SandboxPolicy.Credentials.awsFiles(host, v))
                .orElse(List.of(aws.resolve("credentials"))));
        list.addAll(host.get("AWS_CONFIG_FILE").map(v -> SandboxPolicy.Credentials.awsFiles(host, v))
                .orElse(List.of(aws.resolve("config"))));
        host.get("AWS_WEB_IDENTITY_TOKEN_FILE").map(host::expand).ifPresent(list::add);
        host.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map(host::expand).ifPresent(list::add);
        for (Path cache : List.of(aws.resolve("cli").resolve("cache"), aws.resolve("sso").resolve("cache"),
                aws.resolve("login").resolve("cache"))) {
            if (Files.isDirectory(cache)) {
                try (Stream<Path> entries = Files.list(cache)) {
                    entries.filter(Files::isRegularFile).limit(10_000).forEach(list::add);
                } catch (IOException e) {
                    // an unreadable cache holds nothing we can leak either
                }
            }
        }
        return list;
    }

    private Set<String> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                files.remove(file);
                return Set.of();
            }
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            Cached cached = files.get(file);
            if (cached != null && cached.modified().equals(modified) && cached.size() == size) {
                return cached.values();
            }
            if (size > 4 * 1024 * 1024) {
                return Set.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Set<String> values = file.toString().endsWith(".json") ? fromJson(text) : fromIniOrToken(file, text);
            files.put(file, new Cached(modified, size, Set.copyOf(values)));
            return values;
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    private Set<String> fromIniOrToken(Path file, String text) {
        Set<String> values = new LinkedHashSet<>();
        boolean tokenFile = host.get("AWS_WEB_IDENTITY_TOKEN_FILE").map(host::expand).map(file::equals).orElse(false)
                || host.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map(host::expand).map(file::equals).orElse(false);
        if (tokenFile) {
            values.add(text.strip());
            return values;
        }
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.stripLeading().startsWith("#") || line.stripLeading().startsWith(";")) {
                continue;
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if ((key.contains("secret") || key.contains("token") || key.contains("password")) && !key.endsWith("_file")
                    && !key.endsWith("_url")) {
                values.add(line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private static Set<String> fromJson(String text) {
        Set<String> values = new LinkedHashSet<>();
        try {
            collect(JSON.readTree(text), null, values);
        } catch (RuntimeException e) {
            // not JSON: nothing to take
        }
        return values;
    }

    private static void collect(JsonNode node, String key, Set<String> values) {
        if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(), e.getKey(), values));
        } else if (node.isArray()) {
            node.values().forEach(v -> collect(v, key, values));
        } else if (node.isString() && key != null) {
            String k = key.toLowerCase(Locale.ROOT);
            if (k.contains("secret") || k.contains("token") || k.contains("password") || k.equals("credentials")) {
                values.add(node.asString());
            }
        }
    }
}
