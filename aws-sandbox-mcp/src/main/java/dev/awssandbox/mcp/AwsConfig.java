package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server can tell from the AWS CLI's configuration without running it: profile names, a
 * profile's region, and where credentials come from (their <em>source</em>, never a value). Read
 * from the files the AWS CLI reads ({@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE},
 * else {@code ~/.aws/config} and {@code ~/.aws/credentials}) each time it is asked: they are small,
 * and a change (a new profile, {@code aws sso login}) is seen at once.
 */
final class AwsConfig {
    /** The region the server uses when none is configured anywhere, as the reference server did. */
    static final String FALLBACK_REGION = "us-east-1";

    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*]\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_.-]+)\\s*=\\s*(.*?)\\s*$");

    private final HostEnvironment host;

    AwsConfig(HostEnvironment host) {
        this.host = host;
    }

    Path configFile() {
        // the first reading is botocore's with this environment ($HOME/..., ~user/... expanded)
        return host.get("AWS_CONFIG_FILE").map(v -> SandboxPolicy.Credentials.awsFiles(host, v).getFirst())
                .orElse(SandboxPolicy.Credentials.awsDirectory(host).resolve("config"));
    }

    Path credentialsFile() {
        return host.get("AWS_SHARED_CREDENTIALS_FILE").map(v -> SandboxPolicy.Credentials.awsFiles(host, v).getFirst())
                .orElse(SandboxPolicy.Credentials.awsDirectory(host).resolve("credentials"));
    }

    /** Whether the AWS CLI in the sandbox may read these files (credential modes aws_config and both). */
    boolean readableInSandbox() {
        return host.credentials().allowAwsConfig();
    }

    /** The profile the AWS CLI uses when a command names none. */
    String activeProfile() {
        return host.get("AWS_PROFILE").or(() -> host.get("AWS_DEFAULT_PROFILE")).orElse("default");
    }

    /** Every profile named in either file (sso-session and services sections are not profiles). */
    List<String> profiles() {
        Set<String> names = new TreeSet<>();
        names.addAll(sections(configFile(), true).keySet());
        names.addAll(sections(credentialsFile(), false).keySet());
        return List.copyOf(names);
    }

    /** A profile's settings from both files, the credentials file's winning as in the AWS CLI; keys lower-case. */
    Map<String, String> profile(String name) {
        Map<String, String> merged = new LinkedHashMap<>(sections(configFile(), true).getOrDefault(name, Map.of()));
        merged.putAll(sections(credentialsFile(), false).getOrDefault(name, Map.of()));
        return merged;
    }

    /** The region the environment sets for every command ({@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}). */
    Optional<String> environmentRegion() {
        return host.get("AWS_REGION").filter(r -> !r.isBlank()).or(() -> host.get("AWS_DEFAULT_REGION").filter(r -> !r.isBlank()));
    }

    /** A profile's region in the config file, when the sandboxed AWS CLI can read it. */
    Optional<String> profileRegion(String profile) {
        if (!readableInSandbox()) {
            return Optional.empty();
        }
        return Optional.ofNullable(profile(profile).get("region")).filter(r -> !r.isBlank());
    }

    /**
     * The region a command that names none would run in, and why: the environment's, the profile's,
     * else {@link #FALLBACK_REGION}.
     */
    Region regionFor(Optional<String> profile) {
        Optional<String> env = environmentRegion();
        if (env.isPresent()) {
            return new Region(env.get(), host.get("AWS_REGION").isPresent() ? "AWS_REGION" : "AWS_DEFAULT_REGION");
        }
        String name = profile.orElse(activeProfile());
        return profileRegion(name).map(r -> new Region(r, "profile " + name + " in " + configFile()))
                .orElse(new Region(FALLBACK_REGION, "default: no region is configured (AWS_REGION, or region in the"
                        + " profile " + name + ")"));
    }

    /** A region and where it came from. */
    record Region(String name, String source) {
        /** Whether the server must add it to a command ({@code --region}): only the fallback is the server's own. */
        boolean fallback() {
            return source.startsWith("default");
        }
    }

    /**
     * Where the AWS CLI would get credentials for {@code profile}, in its order: environment keys
     * (unless the profile is named on the command line, which skips them), then the profile (static
     * keys, assumed role, SSO, a process, web identity), then the container or instance metadata.
     * Names of sources only.
     *
     * @param explicit whether the profile is named by the command ({@code --profile}), not by AWS_PROFILE
     */
    Map<String, Object> credentialSource(String profile, boolean explicit) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean envKeys = host.get("AWS_ACCESS_KEY_ID").isPresent() && host.get("AWS_SECRET_ACCESS_KEY").isPresent();
        if (envKeys && host.credentials().passAwsEnv() && !explicit) {
            out.put("source", "environment");
            out.put("detail", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" + (host.get("AWS_SESSION_TOKEN").isPresent()
                    ? " with AWS_SESSION_TOKEN (temporary)" : ""));
            return out;
        }
        if (host.get("AWS_WEB_IDENTITY_TOKEN_FILE").isPresent() && host.get("AWS_ROLE_ARN").isPresent() && !explicit) {
            out.put("source", "web-identity");
            out.put("detail", "AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE");
            return out;
        }
        if (readableInSandbox()) {
            Map<String, String> p = profile(profile);
            String source = null;
            String detail = null;
            if (p.containsKey("aws_access_key_id")) {
                source = "profile";
                detail = "static keys of profile " + profile + (p.containsKey("aws_session_token") ? " (with a session token)" : "");
            } else if (p.containsKey("role_arn")) {
                source = "assume-role";
                detail = "profile " + profile + " assumes a role" + (p.containsKey("source_profile")
                        ? " from profile " + p.get("source_profile") : p.containsKey("credential_source")
                        ? " with credentials from " + p.get("credential_source") : p.containsKey("web_identity_token_file")
                        ? " with a web identity token" : "");
            } else if (p.containsKey("sso_session") || p.containsKey("sso_start_url")) {
                source = "sso";
                detail = "IAM Identity Center (SSO) for profile " + profile + "; renew with 'aws sso login'";
            } else if (p.containsKey("credential_process")) {
                source = "process";
                detail = "credential_process of profile " + profile;
            }
            if (source != null) {
                out.put("source", source);
                out.put("detail", detail);
                return out;
            }
        }
        if (host.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").isPresent()
                || host.get("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            out.put("source", "container");
            out.put("detail", "the container credentials endpoint (ECS, EKS Pod Identity)");
            return out;
        }
        boolean imdsOff = host.get("AWS_EC2_METADATA_DISABLED").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        out.put("source", imdsOff ? "none" : "instance-metadata-or-none");
        out.put("detail", imdsOff ? "no credentials are configured (and AWS_EC2_METADATA_DISABLED=true)"
                : "none configured here: only the EC2 instance metadata service could supply them, and the"
                + " sandbox's egress proxy refuses it, so a command gets none");
        if (envKeys && !explicit) {
            out.put("note", "AWS_ACCESS_KEY_ID is set, but AWS_MCP_SANDBOX_CREDENTIALS=" + host.credentials().name()
                    .toLowerCase(Locale.ROOT) + " withholds secret variables from the AWS CLI");
        }
        return out;
    }

    /**
     * Sections of an INI file and their keys (lower-case). In the config file a profile is
     * {@code [profile NAME]} or {@code [default]}; in the credentials file every section is one.
     */
    private static Map<String, Map<String, String>> sections(Path file, boolean config) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            if (!Files.isRegularFile(file)) {
                return out;
            }
            lines = Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        Map<String, String> current = null;
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || stripped.startsWith(";") || stripped.isEmpty()) {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                current = null;
                if (config) {
                    if (name.equals("default")) {
                        current = out.computeIfAbsent("default", k -> new LinkedHashMap<>());
                    } else if (name.startsWith("profile ") || name.startsWith("profile\t")) {
                        current = out.computeIfAbsent(name.substring(8).strip(), k -> new LinkedHashMap<>());
                    }
                } else {
                    current = out.computeIfAbsent(name, k -> new LinkedHashMap<>());
                }
                continue;
            }
            Matcher kv = KEY.matcher(line);
            if (current != null && kv.matches() && !Character.isWhitespace(line.charAt(0))) {
                current.put(kv.group(1).toLowerCase(Locale.ROOT), kv.group(2));
            }
        }
        return out;
    }
}
