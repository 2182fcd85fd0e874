package dev.awssandbox.core.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The AWS CLI's environment variables and credential files, as the reference server defines them. */
public final class AwsEnvironment {
    /** AWS variables passed through to sandboxed commands (when set on the host). */
    public static final List<String> AWS_ENV_VARS = List.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_PROFILE",
            "AWS_CONFIG_FILE",
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CA_BUNDLE",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_SESSION_NAME",
            "AWS_STS_REGIONAL_ENDPOINTS",
            "AWS_EC2_METADATA_DISABLED",
            "AWS_METADATA_SERVICE_TIMEOUT",
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS");

    /** The variables that carry or point to secrets; dropped when environment credentials are off. */
    public static final Set<String> AWS_SECRET_ENV_VARS = Set.of(
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_SESSION_NAME",
            // the container credential provider's (EKS Pod Identity, ECS): never passed by default, and withheld like
            // the others when a caller passes them with --env (red team, round 24, F6)
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

    /**
     * The proxy settings the AWS CLI (Python's urllib) honours, in both spellings. Passed by the
     * macOS defaults, with the system proxy service in the Seatbelt profile; a proxy URL may carry
     * a password, which the command then sees.
     */
    public static final List<String> PROXY_ENV_VARS = List.of(
            "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy");

    /**
     * The AWS CLI's other settings, none of them a secret, passed as well (beyond the reference's list): the user's
     * endpoints ({@code AWS_ENDPOINT_URL} and every {@code AWS_ENDPOINT_URL_<SERVICE>}, {@link #isEndpointVariable}),
     * output, retries, FIPS and dual-stack endpoints. Dropping an endpoint sent a command meant for a local emulator,
     * signed, to AWS itself (workflow review of 2026-12-04, F1). Not {@code AWS_PAGER} or {@code AWS_CLI_AUTO_PROMPT},
     * which make the CLI wait for a terminal.
     */
    public static final List<String> AWS_SETTINGS_ENV_VARS = List.of("AWS_ENDPOINT_URL",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_DEFAULT_OUTPUT", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
            "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_SDK_UA_APP_ID", "AWS_CLI_FILE_ENCODING");

    /** Whether {@code name} sets an endpoint for the AWS CLI: {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_S3}, … */
    public static boolean isEndpointVariable(String name) {
        return name.equals("AWS_ENDPOINT_URL") || name.startsWith("AWS_ENDPOINT_URL_") && name.length() > 17;
    }

    /** Variables every sandboxed command gets (when set), before the AWS ones. */
    public static final List<String> BASE_ENV_VARS = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "TZ");

    private AwsEnvironment() {}

    /**
     * The variables that name a token file botocore sends as a credential: the web identity token,
     * and the container provider's authorization token (EKS Pod Identity, ECS), which botocore sends
     * as {@code Authorization} to {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} — a credential as the
     * first is (red team, round 24, F6: it was readable with {@code --credentials none}). Each is
     * taken as written, {@code ~} and {@code $X} expanded.
     */
    static final List<String> TOKEN_FILE_VARIABLES = List.of("AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");

    /**
     * The credential paths to make readable: {@code ~/.aws}, then the files named by
     * {@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_CONFIG_FILE}, {@code AWS_WEB_IDENTITY_TOKEN_FILE}
     * and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}; only those that exist (the named ones: as regular files, never a
     * directory), de-duplicated, in that order.
     */
    public static List<Path> credentialPaths(Host host) {
        return credentialPaths(host, Files::exists);
    }

    /** The same, asking {@code exists} (which follows symlinks, as {@link Files#exists} does) whether each exists. */
    public static List<Path> credentialPaths(Host host, Predicate<Path> exists) {
        Set<Path> paths = new LinkedHashSet<>();
        Path awsDir = awsDirectory(host);
        if (exists.test(awsDir)) {
            paths.add(awsDir);
        }
        List<String> variables = new ArrayList<>(List.of("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"));
        variables.addAll(TOKEN_FILE_VARIABLES);
        for (String variable : variables) {
            // files only: AWS_CONFIG_FILE=/ granted the whole tree (red team, round 8)
            host.get(variable).map(value -> TOKEN_FILE_VARIABLES.contains(variable) ? List.of(host.expand(value))
                    : asBotocoreReads(host, value)).orElse(List.of()).stream()
                    .filter(exists).filter(Files::isRegularFile).forEach(paths::add);
        }
        return List.copyOf(paths);
    }

    /**
     * Where {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE} name a file that is not
     * there yet — missing, or something else than a regular file (an empty directory the command
     * can remove, a FIFO) — as the path a file created there would have: the AWS CLI reads what a
     * command puts there, a {@code credential_process} included, so such a place is kept like the
     * credential files themselves (red team, round 21, F1). Devices ({@code AWS_CONFIG_FILE=/dev/null},
     * a common way to read no configuration) are no such place.
     */
    static List<Path> credentialPlaces(Host host, FileFacts facts) {
        Set<Path> places = new LinkedHashSet<>();
        for (String variable : List.of("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")) {
            host.get(variable).map(value -> asBotocoreReads(host, value).getFirst()).ifPresent(named -> {
                if (facts.isRegularFile(named, true)) {
                    return; // a credential file: credentialPaths
                }
                Path place = facts.whereCreated(named);
                if (!place.startsWith(DEV)) {
                    places.add(place);
                }
            });
        }
        return List.copyOf(places);
    }

    /**
     * What one plan asks of the credential locations: {@link #credentialPaths} (the files there) and
     * {@link #credentialPlaces} (where a named file is not there yet), with one plan's answers.
     */
    record CredentialLocations(List<Path> files, List<Path> places) {
        static CredentialLocations of(Host host, FileFacts facts) {
            return new CredentialLocations(credentialPaths(host, path -> facts.exists(path, true)),
                    credentialPlaces(host, facts));
        }
    }

    private static final Path DEV = Path.of("/dev");

    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+|\\{[^}]*\\})"); // ASCII names, as Python's

    /**
     * The files a value of {@code AWS_SHARED_CREDENTIALS_FILE} or {@code AWS_CONFIG_FILE} may name:
     * botocore expands {@code $NAME} and {@code ${NAME}} (a variable it does not have stays as
     * written), then {@code ~} and {@code ~user}, so {@code $HOME/conf/creds} written where no
     * shell expands it (an MCP client's {@code env}, a systemd unit) names a real file, which was
     * not taken for a credential file (red team, round 20, F7). Whether the command has a variable
     * is not known here, so both readings count: expanded from the host's environment, and left as
     * written.
     */
    public static List<Path> asBotocoreReads(Host host, String value) {
        Set<Path> readings = new LinkedHashSet<>();
        for (String expanded : botocoreExpansions(host, value)) {
            readings.add(host.expand(expanded));
        }
        return List.copyOf(readings);
    }

    /** The readings of {@link #asBotocoreReads} before they are made absolute and normalised. */
    static List<String> botocoreExpansions(Host host, String value) {
        Set<String> readings = new LinkedHashSet<>();
        for (String expanded : new LinkedHashSet<>(List.of(expandVariables(host, value), value))) {
            readings.add(expandUser(host, expanded));
        }
        return List.copyOf(readings);
    }

    /** {@code value} with each {@code $NAME} or {@code ${NAME}} the host has replaced once, as Python's {@code os.path.expandvars}. */
    private static String expandVariables(Host host, String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith("{")) {
                name = name.substring(1, name.length() - 1);
            }
            Optional<String> replacement = Optional.ofNullable(host.variables().get(name));
            out.append(value, last, m.start()).append(replacement.orElse(m.group()));
            last = m.end();
        }
        return out.append(value, last, value.length()).toString();
    }

    /** {@code ~} as {@code $HOME}, {@code ~user} from the password file, as Python's {@code os.path.expanduser}; otherwise as written. */
    private static String expandUser(Host host, String value) {
        if (!value.startsWith("~")) {
            return value;
        }
        int slash = value.indexOf('/');
        String user = slash < 0 ? value.substring(1) : value.substring(1, slash);
        String rest = slash < 0 ? "" : value.substring(slash);
        if (user.isEmpty()) {
            return host.home() + rest;
        }
        return GitConfig.homeOf(user).map(home -> home + rest).orElse(value);
    }

    /** {@code ~/.aws}, whether or not it exists. */
    public static Path awsDirectory(Host host) {
        return host.home().resolve(".aws");
    }

    /**
     * The directories under {@code ~/.aws} a command may write: the AWS CLI's and SSO's caches, and
     * the command history ({@code ~/.aws/cli/history}). No file is read here (the planner asks this
     * several times per plan); the history is granted only when the config turns it on ({@code NamedFiles.historyEnabled}),
     * and counted as writable (for the planted-link rule) always, which errs on the safe side.
     */
    public static List<Path> cacheDirectories(Host host) {
        Path awsDir = awsDirectory(host);
        return List.of(awsDir.resolve("cli").resolve("cache"), awsDir.resolve("sso").resolve("cache"), historyDirectory(host));
    }

    /** {@code ~/.aws/cli/history}, where the AWS CLI keeps its command history. */
    public static Path historyDirectory(Host host) {
        return awsDirectory(host).resolve("cli").resolve("history");
    }
}
