package dev.awssandbox.core.access;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Places that nothing derived by aws-sandbox — a grant for a program's installation, a denial
 * hint — may ever open: {@code /}, {@code /etc}, each home directory and its ancestors, and the
 * credential and key directories in a home ({@code ~/.ssh}, {@code ~/.aws}, {@code ~/.gnupg},
 * {@code ~/.config}, …), together with every directory that holds one of them.
 *
 * <p>The homes are both {@code $HOME} as the policy sees it and the JVM user's home from the
 * password database ({@code user.home}): a test or a caller may point {@code $HOME} elsewhere,
 * and neither home may leak. Every comparison is made on resolved paths.
 *
 * <p>An instance answers from the file-system answers of one plan ({@link FileFacts}) and
 * remembers its verdicts for that plan only: a credential directory may appear between two.
 */
public final class SensitiveLocations {
    /** Entries of a home directory that hold keys, tokens or credentials. */
    public static final List<String> CREDENTIAL_ENTRIES = List.of(
            ".ssh", ".aws", ".gnupg", ".config", ".netrc", ".git-credentials", ".docker", ".kube", ".password-store");

    /**
     * Credential files and directories below a home's credential directories that dotfile managers
     * (GNU stow, yadm, a hand-made {@code ln -s}) link one by one into a checkout: the AWS CLI's
     * credentials, its config ({@code credential_process}) and token caches, kubectl's and docker's
     * configs (cluster tokens, registry auth), gh's and gcloud's tokens. Each is resolved (one lstat,
     * a realpath only when it exists); a target reached through a link is a credential location as
     * the directories themselves are (red team, round 20, F4).
     */
    static final List<String> LINKED_CREDENTIALS = List.of(".aws/credentials", ".aws/config", ".aws/sso", ".aws/cli",
            ".kube/config", ".docker/config.json", ".config/gh/hosts.yml", ".config/gcloud", ".config/hub",
            // top-level credential dotfiles (red team, round 22, F8: a dotfiles checkout holding ~/.boto's or
            // ~/.s3cfg's AWS keys was readable with --credentials none): by name, not by what a project holds
            // (a project's own .npmrc is no credential location)
            ".boto", ".s3cfg", ".pgpass", ".npmrc", ".pypirc", ".vault-token", ".my.cnf", ".mylogin.cnf",
            ".gem/credentials", ".cargo/credentials", ".cargo/credentials.toml", ".terraform.d/credentials.tfrc.json",
            ".m2/settings-security.xml", ".config/rclone/rclone.conf", ".config/git/credentials",
            // red team, round 23, F3: the AWS CLI's aliases ('!cmd' runs with the shell, an alias may be named 'sts')
            // and botocore's own extra data path (models, endpoint rule sets), linked one by one into a checkout
            ".aws/cli/alias", ".aws/models",
            // round 23, F5: s3fs's AWS keys, Databricks', Terraform's and Yarn's tokens, Gradle's and Maven's
            // repository passwords, the Azure CLI's directory (its entries are listed: KEY_DIRECTORIES)
            ".passwd-s3fs", ".databrickscfg", ".terraformrc", ".yarnrc.yml", ".gradle/gradle.properties",
            ".m2/settings.xml", ".azure",
            // round 24, F4: s3curl's and the MinIO client's S3 keys, OCI's config and API key, Pulumi's tokens, docker's
            // legacy registry auth, Bundler's gem-server credentials, netrc-format passwords (Emacs, git-credential-netrc),
            // DigitalOcean's token, OpenStack's passwords, Composer's registry tokens
            ".s3curl", ".mc/config.json", ".oci", ".pulumi/credentials.json", ".dockercfg", ".bundle/config",
            ".authinfo", ".authinfo.gpg", ".config/doctl/config.yaml", ".config/openstack/clouds.yaml",
            ".config/openstack/secure.yaml", ".config/composer/auth.json");

    /**
     * Credential directories of a home whose every entry is a secret (a key, a key ring, a token):
     * their entries are listed (up to {@link #MAX_LISTED} each) and each one that is a symbolic link
     * makes its target a credential location.
     */
    static final List<String> KEY_DIRECTORIES = List.of(".ssh", ".gnupg", ".password-store",
            ".azure", // round 23, F5: token caches and service principals (accessTokens.json, msal_token_cache.json)
            ".oci"); // round 24, F4: the config and the API signing key it names (oci_api_key.pem)

    /** Entries read of each of {@link #KEY_DIRECTORIES}; past it the rest is not looked at (stated in docs/security.md). */
    static final int MAX_LISTED = 256;

    /** A credential location reached through a symbolic link: the link and its resolved target. */
    public record LinkedCredential(Path link, Path real) {}

    /** {@link #CREDENTIAL_ENTRIES} as path names, to compare without decoding. */
    private static final Set<Path> CREDENTIAL_NAMES = Set.copyOf(CREDENTIAL_ENTRIES.stream().map(Path::of).toList());
    private static final Path ROOT = Path.of("/");
    private static final Path ETC = Path.of("/etc");

    private final FileFacts facts;
    private final List<Path> homes;
    private final List<Path> credentialDirectories;
    private final List<LinkedCredential> linkedCredentials;
    private final Map<Path, Optional<String>> notDirectory = new HashMap<>();

    private SensitiveLocations(List<Path> homes, FileFacts facts) {
        this.facts = facts;
        this.homes = List.copyOf(homes);
        List<Path> credentials = new ArrayList<>();
        for (Path home : homes) {
            for (String entry : CREDENTIAL_ENTRIES) {
                credentials.add(realOrSelf(home.resolve(entry), facts));
            }
        }
        // XDG_CONFIG_HOME elsewhere (~/cfg): gh's token and fish's start-up files lie there, not in ~/.config (red
        // team, round 25, F6); it is a credential directory as ~/.config is
        configHome(homes, facts).ifPresent(credentials::add);
        this.credentialDirectories = List.copyOf(credentials);
        this.linkedCredentials = linkedCredentials(homes, facts);
    }

    /**
     * The targets of the symbolic links at the credential locations below the homes' credential
     * directories ({@link #LINKED_CREDENTIALS}, the entries of {@link #KEY_DIRECTORIES}) that lie
     * outside those directories: {@code ~/.aws/credentials -> ~/dots/aws/credentials} made a checkout
     * hold the credentials, read and rewritten (a planted {@code credential_process}) by a command
     * run there, even with {@code --credentials none}. Bounded: a fixed list of lstats and at most
     * {@link #MAX_LISTED} entries of each key directory, listings from the entry cache while unchanged.
     */
    private static List<LinkedCredential> linkedCredentials(List<Path> homes, FileFacts facts) {
        List<LinkedCredential> found = new ArrayList<>();
        Optional<Path> configHome = configHome(homes, facts);
        for (Path home : homes) {
            List<Path> candidates = new ArrayList<>();
            for (String file : LINKED_CREDENTIALS) {
                candidates.add(home.resolve(file));
                if (file.startsWith(".config/") && configHome.isPresent()) {
                    candidates.add(configHome.get().resolve(file.substring(".config/".length())));
                }
            }
            for (String dir : KEY_DIRECTORIES) {
                Path real = realOrSelf(home.resolve(dir), facts); // ~/.ssh itself a link: its target's entries
                List<Path> entries = facts.list(real);
                candidates.addAll(entries.subList(0, Math.min(entries.size(), MAX_LISTED)));
            }
            for (Path candidate : candidates) {
                // a missing entry is asked with an lstat the entry cache answers: resolving it throws, slowly
                if (facts.kind(candidate) == FileFacts.Kind.ABSENT) {
                    continue;
                }
                // a dangling link counts by the file a command could create through it (red team, round 21, F2)
                Path real = facts.whereCreated(candidate);
                Path lexical = candidate.toAbsolutePath().normalize();
                // reached through a link (the entry itself or a directory on the way: ~/.aws -> ~/dots/aws is
                // already a credential directory, and listed again harmlessly)
                // a target that is / or holds a home (~/.ssh/x -> ~) would make everything a credential location:
                // such a link gives nothing a command could be handed apart from what the home rules already withhold
                boolean holdsAHome = homes.stream().anyMatch(h -> h.startsWith(real));
                if (!real.equals(lexical) && !holdsAHome) {
                    found.add(new LinkedCredential(candidate, real));
                }
            }
        }
        return List.copyOf(found);
    }

    /** The credential locations reached through a symbolic link, with their resolved targets. */
    public List<LinkedCredential> linkedCredentials() {
        return linkedCredentials;
    }

    /** For {@code home} ({@code $HOME} of the policy) and the JVM user's own home. */
    public static SensitiveLocations forHome(Path home) {
        return of(home, new FileFacts());
    }

    /** The same, answering from one plan's {@code facts}; within a plan, {@link FileFacts#sensitiveLocations} (computed once). */
    static SensitiveLocations of(Path home, FileFacts facts) {
        Set<Path> homes = new LinkedHashSet<>();
        homes.add(realOrSelf(home, facts));
        String userHome = System.getProperty("user.home");
        if (userHome != null && !userHome.isEmpty() && !userHome.equals("?")) {
            homes.add(realOrSelf(Path.of(userHome).toAbsolutePath().normalize(), facts));
        }
        return new SensitiveLocations(List.copyOf(homes), facts);
    }

    /**
     * {@code XDG_CONFIG_HOME} of the plan (resolved) when it is set elsewhere than a home's
     * {@code .config}; never {@code /}, a home or above one (that would make every directory a
     * credential location: such a setting is left to the home rules).
     */
    static Optional<Path> configHome(List<Path> homes, FileFacts facts) {
        return facts.configHome().map(dir -> realOrSelf(dir, facts))
                .filter(dir -> !dir.equals(ROOT) && homes.stream().noneMatch(home -> home.startsWith(dir)));
    }

    /** The resolved homes this instance protects. */
    public List<Path> homes() {
        return homes;
    }

    /**
     * Whether a whole directory {@code dir} (resolved) may never be opened by a derived grant or
     * suggested by a hint, and why not; empty when it may.
     */
    public java.util.Optional<String> whyNotDirectory(Path dir) {
        Path real = realOrSelf(dir, facts);
        Optional<String> known = notDirectory.get(real);
        if (known == null) {
            known = whyNotResolvedDirectory(real);
            notDirectory.put(real, known);
        }
        return known;
    }

    private java.util.Optional<String> whyNotResolvedDirectory(Path real) {
        if (real.equals(ROOT)) {
            return java.util.Optional.of("it is /");
        }
        if (real.startsWith(ETC)) {
            return java.util.Optional.of("it is /etc or inside it");
        }
        return whySecretsResolved(real);
    }

    /**
     * Whether {@code dir} holds a home directory, or is, lies in or holds a key or credential
     * directory of one, and which: what a grant of it would give a command besides its data.
     */
    public java.util.Optional<String> whySecrets(Path dir) {
        return whySecretsResolved(realOrSelf(dir, facts));
    }

    private java.util.Optional<String> whySecretsResolved(Path real) {
        for (Path home : homes) {
            if (home.startsWith(real)) {
                return java.util.Optional.of("it is " + home + " or above it");
            }
        }
        java.util.Optional<String> inside = whyInsideCredentials(real);
        if (inside.isPresent()) {
            return inside;
        }
        for (Path credential : credentialDirectories) {
            if (credential.startsWith(real)) { // any depth: a plain prefix test on resolved paths
                return java.util.Optional.of("it holds " + credential);
            }
        }
        for (LinkedCredential linked : linkedCredentials) {
            if (linked.real().startsWith(real)) {
                return java.util.Optional.of("it holds " + linked.real() + ", which " + linked.link() + " links to");
            }
        }
        // another user's home, or a home we were not told about, shows itself by what it holds
        return facts.firstExisting(real, CREDENTIAL_ENTRIES).map(child -> "it holds " + child);
    }

    /**
     * Whether {@code path} (resolved) is a credential directory or inside one, and which: one of
     * a known home's, or any path through a directory of such a name (another user's
     * {@code ~/.ssh}).
     */
    public java.util.Optional<String> whyInsideCredentials(Path path) {
        Path real = realOrSelf(path, facts);
        for (Path credential : credentialDirectories) {
            if (real.startsWith(credential)) {
                return java.util.Optional.of("it is inside " + credential);
            }
        }
        for (LinkedCredential linked : linkedCredentials) {
            if (real.startsWith(linked.real())) {
                return java.util.Optional.of("it is or is inside " + linked.real() + ", which " + linked.link()
                        + " links to");
            }
        }
        for (Path name : real) {
            if (CREDENTIAL_NAMES.contains(name)) {
                return java.util.Optional.of("it is inside a " + name + " directory");
            }
        }
        return java.util.Optional.empty();
    }

    /** {@link Path#toRealPath()}, or the path made absolute and normalized where that throws. */
    static Path realOrSelf(Path path, FileFacts facts) {
        return facts.realOrNormalized(path);
    }
}
