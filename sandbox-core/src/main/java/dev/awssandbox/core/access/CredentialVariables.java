package dev.awssandbox.core.access;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Credential stores that a variable moves out of the home, where the home's own ({@code ~/.kube}, {@code ~/.gnupg},
 * {@code ~/.docker}, {@code ~/.netrc}, …) are withheld: withheld as keys, wherever they are (red team, round 46, F12:
 * {@code KUBECONFIG=$PWD/kc/config} was readable, and rewritten with an {@code exec} plugin the next {@code kubectl}
 * ran). Listed files (a {@code KUBECONFIG} is a list) and directories (whole); the stores in a moved tool's home where
 * they are there; and any variable whose name says it names a secret's file, where that file is there (red team of
 * 2026-12-05, its re-attack and the review of both: docs/security.md). What each names is judged by {@link NamedFiles}
 * as the other keys are.
 */
final class CredentialVariables {

    /**
     * A store a variable names: {@code path} as the variable gives it (with {@code ~}, relative to the working
     * directory), whole when {@code container}; the working directory itself where the path is one this JVM cannot name
     * and may lie in it.
     */
    record Store(String path, boolean container, String why) {}

    private CredentialVariables() {}

    /**
     * The stores {@code host}'s variables name; {@code holdsSecretEntry}: whether a settings file ({@link
     * #SETTINGS_FILES}) has a secret's entry (read by the caller, which fails closed on a file it cannot read).
     */
    static List<Store> of(Host host, Predicate<Path> holdsSecretEntry) {
        List<Store> stores = new ArrayList<>();
        for (String name : MOVED_CREDENTIAL_FILES) {
            host.get(name).ifPresent(v -> {
                for (String file : v.split(name.equals("KUBECONFIG") || name.equals("BOTO_PATH") ? ":" : "\n")) {
                    // Kerberos' FILE:/path and DIR:/path caches; KEYRING:, KCM:, MEMORY: name no file
                    String path = name.startsWith("KRB5") ? file.replaceFirst("^(?:FILE|DIR|WRFILE):+", "") : file;
                    // MIT's DIR::/dir/tktXXX names one cache of a DIR collection: the collection, whole (red team of the
                    // credential variables, 2026-12-05, night, F12: the second ':' had made it no file)
                    if (file.startsWith("DIR::") && path.startsWith("/") && path.lastIndexOf('/') > 0) {
                        path = path.substring(0, path.lastIndexOf('/'));
                    }
                    if (!path.isBlank() && (path.startsWith("/") || path.startsWith("~") || path.indexOf(':') < 0)) {
                        stores.add(new Store(path, file.startsWith("DIR:"), "named by " + name + ", a credential store"));
                    }
                }
            });
        }
        for (String name : MOVED_CREDENTIAL_DIRECTORIES) {
            host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> stores.add(new Store(v, true, "named by " + name
                    + ", a credential store")));
        }
        // npm takes its configuration's variables in any case (npm_config_*, NPM_CONFIG_*, Npm_Config_*), and reads
        // registry tokens from its global config as from its user config (red team of the credential variables,
        // 2026-12-05, night, F6)
        host.variables().forEach((name, value) -> {
            if (NPM_CONFIG_FILE.matcher(name).matches() && !value.isBlank()) {
                stores.add(new Store(value, false, "named by " + name + ", a credential store"));
            }
        });
        // XDG_CONFIG_HOME moves ~/.config, where gh, git (its credentials store), rclone and others keep tokens: a
        // credential directory as ~/.config is, also where a start-up file sets it or the value is relative (gh and
        // git take it against the directory they run in) (red team of the credential variables (2026-12-05, night), F1, F2);
        // not the home's own .config (a home rule) or a directory that holds a home
        host.get("XDG_CONFIG_HOME").filter(v -> !v.isBlank()).ifPresent(v -> unlessUnnameable(host, "XDG_CONFIG_HOME", v,
                stores, () -> {
                    Path dir = host.expand(v).normalize();
                    if (!dir.equals(host.home().resolve(".config").normalize()) && !host.home().startsWith(dir)) {
                        stores.add(new Store(v, true, "named by XDG_CONFIG_HOME, where programs keep their settings and"
                                + " tokens (gh's, git's credentials), a credential directory as ~/.config is"));
                    }
                }));
        // the stores a tool's home holds, where a variable moves that home (re-attack of 2026-12-05, R2-F1c: cargo's
        // and gradle's tokens, helm's and borg's parents of listed stores, Hugging Face's token one level up), where they
        // are there (XDG_CACHE_HOME, HF_HOME, GRADLE_USER_HOME in a project are common, and one without a token holds
        // nothing to read), a settings file only where it holds a secret's entry (review of the re-attack)
        MOVED_CREDENTIALS_IN.forEach((name, entries) -> host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> {
            for (String entry : entries) {
                String path = v + "/" + entry;
                unlessUnnameable(host, name, path, stores, () -> {
                    Path found = host.expand(path);
                    if (isThere(found) && (!SETTINGS_FILES.contains(entry) || holdsSecretEntry.test(found))) {
                        stores.add(new Store(path, FileFacts.lstatKind(found) == FileFacts.Kind.DIRECTORY,
                                "named by " + name + " (its " + entry + "), a credential store"));
                    }
                });
            }
        }));
        // and any variable whose name says it names a secret's file (red team, 2026-12-05, F1: the lists had missed
        // HF_TOKEN_PATH's kin; re-attack, R2-F1a, b, d: a bare file name, the KEYFILE and CREDS spellings, a file://
        // value, lower case, other AWS_ names than the AWS CLI's own)
        host.variables().forEach((name, value) -> {
            if (!namedLikeASecretsFile(name) || AWS_CLI_FILES.contains(name) || MOVED_CREDENTIAL_FILES.contains(name)
                    || value.isBlank()) {
                return;
            }
            String path = value.startsWith("file://") ? value.substring("file://".length()) : value;
            // a path that is there, never a value that only looks like one (review of the re-attack: Jenkins'
            // X_CREDS=user:pass, a base64 key, VAULT_SECRET_PATH=secret/data/app, a JWT had each withheld the project):
            // no URL, no user:password, nothing the shell would expand, no blank; a file for a name that does not say
            // it names a file or a directory (*_CREDENTIALS=sa.json)
            int colon = path.indexOf(':');
            // a blank only in an absolute path ('/mnt/c/Users/John Doe/…': red team of the credential variables, 2026-12-05,
            // night, F13), never in a word list or a 'user pass'
            boolean absolute = path.startsWith("/") || path.startsWith("~/");
            if (path.contains("://") || colon >= 0 && (path.indexOf('/') < 0 || colon < path.indexOf('/'))
                    || (absolute ? NOT_A_PATH_BUT_BLANKS : NOT_A_PATH).matcher(path).find() || path.strip().length() != path.length()) {
                return;
            }
            unlessUnnameable(host, name, path, stores, () -> {
                Path found = host.expand(path);
                if (host.home().startsWith(found)) {
                    return; // '/', '/home': no store, a value such as a cookie's URL path (SESSION_COOKIE_PATH=/)
                }
                FileFacts.Kind kind = FileFacts.lstatKind(found);
                if (FILE_NAMED.matcher(name).matches() ? isThere(found)
                        : kind == FileFacts.Kind.REGULAR || kind == FileFacts.Kind.SYMLINK && Files.isRegularFile(found)) {
                    stores.add(new Store(path, false, "named by " + name + ", a credential file (by its variable's name)"));
                }
            });
        });
        return stores;
    }

    /** Whether a settings file's {@code text} has a secret's entry ({@link #SECRET_ENTRY}, {@link #SECRET_ENTRY_NAME}). */
    static boolean hasSecretEntry(String text) {
        return SECRET_ENTRY.matcher(text).find() || SECRET_ENTRY_NAME.matcher(text).find();
    }

    /**
     * Whether the variable {@code name} names a credential store: one of the lists, a moved tool home, {@code
     * XDG_CONFIG_HOME}, npm's configs, or a name that says so ({@link #SECRET_FILE_VARIABLE}); not the AWS CLI's own.
     */
    static boolean namesAStore(String name) {
        return MOVED_CREDENTIAL_FILES.contains(name) || MOVED_CREDENTIAL_DIRECTORIES.contains(name)
                || MOVED_CREDENTIALS_IN.containsKey(name) || name.equals("XDG_CONFIG_HOME")
                || NPM_CONFIG_FILE.matcher(name).matches() || namedLikeASecretsFile(name) && !AWS_CLI_FILES.contains(name);
    }

    /**
     * Whether the variable {@code name} holds a secret itself, by its name: {@code *_TOKEN}, {@code *_SECRET}, {@code
     * *_PASSWORD}, {@code *_API_KEY}, {@code AWS_SECRET_ACCESS_KEY}, {@code *_PAT}, {@code *_CREDENTIALS} (not a file's
     * name, {@link #namesAStore}; not a public key's).
     */
    static boolean namesASecretValue(String name) {
        return SECRET_VALUE_NAMES.get(name, n -> SECRET_VALUE_VARIABLE.matcher(n).matches() && !PUBLIC_KEY.matcher(n).find()
                && !SECRET_FILE_VARIABLE.matcher(n).matches());
    }

    /**
     * The name rules' answers, kept per name (a function of the name alone): every plan asks them of every variable of
     * the environment and of the start-up files, and the case-insensitive patterns had been a tenth of a warm plan.
     */
    private static final ReadingMemo<String, Boolean> SECRET_VALUE_NAMES = new ReadingMemo<>(4096);
    private static final ReadingMemo<String, Boolean> SECRET_FILE_NAMES = new ReadingMemo<>(4096);

    /**
     * A secret's own name: what ends in a token, a secret, a password (also glued: {@code PGPASSWORD}), a pass phrase, a
     * key, a session, an auth, a webhook's URL; Terraform's {@code TF_TOKEN_<host>}, 1Password's {@code OP_SESSION_<account>}
     * (red team, 2026-12-06, R2-3: {@code PGPASSWORD}, {@code MYSQL_PWD}, {@code SECRET_KEY}, {@code RAILS_MASTER_KEY},
     * {@code BW_SESSION}, {@code REDISCLI_AUTH}, {@code SLACK_WEBHOOK_URL} had not been secret names).
     */
    private static final Pattern SECRET_VALUE_VARIABLE = Pattern.compile(
            "(?:TF_TOKEN|OP_SESSION)_\\w+|(?:[A-Za-z]\\w*)?(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE)"
                    + "|(?:[A-Za-z]\\w*_)?(?:PWD|PASS|API_?KEY|APIKEY|KEY|PAT|CREDENTIALS?|CREDS|SESSION|AUTH|WEBHOOK_URL)",
            Pattern.CASE_INSENSITIVE);

    /** The name rule: a secret's file by its name, not a public key's ({@code JWT_PUBLIC_KEY_PATH}: review, FP1). */
    private static boolean namedLikeASecretsFile(String name) {
        return SECRET_FILE_NAMES.get(name, n -> SECRET_FILE_VARIABLE.matcher(n).matches() && !PUBLIC_KEY.matcher(n).find());
    }

    /** A public key's name: {@code *_PUBLIC_KEY_*}, {@code *_PUBKEY_*}, {@code *_PUB_KEY_*}. */
    private static final Pattern PUBLIC_KEY = Pattern.compile("PUB(?:LIC)?_?KEY", Pattern.CASE_INSENSITIVE);

    /** npm's user and global configs, in any case (npm lower-cases its variables' names). */
    private static final Pattern NPM_CONFIG_FILE = Pattern.compile("npm_config_(?:userconfig|globalconfig)",
            Pattern.CASE_INSENSITIVE);

    /** Whether {@code path} is there: a file, a directory or a link ({@code lstat}: not an error such as ENAMETOOLONG). */
    private static boolean isThere(Path path) {
        FileFacts.Kind kind = FileFacts.lstatKind(path);
        return kind == FileFacts.Kind.REGULAR || kind == FileFacts.Kind.DIRECTORY || kind == FileFacts.Kind.SYMLINK;
    }

    /**
     * Runs {@code check}; where this JVM cannot name {@code path} (a non-ASCII value without a UTF-8 locale), keeps the
     * working directory from the command (the path may lie in it), rather than failing every command.
     */
    private static void unlessUnnameable(Host host, String name, String path, List<Store> stores, Runnable check) {
        try {
            check.run();
        } catch (InvalidPathException e) {
            // wherever it is spelt to be: '//', '..' or a link may lead it into the working directory, which a string cannot
            // tell (red team of the credential variables, 2026-12-05, night, F14)
            stores.add(new Store(host.workingDirectory().toString(), true, "named by " + name + ", a credential store this"
                    + " Java cannot name (a UTF-8 locale names it)"));
        }
    }

    /** Characters no credential file's name the rule takes has: the shell's expansions, globs, blanks. */
    private static final Pattern NOT_A_PATH = Pattern.compile("[$`*?\\[\\s]");

    /** The same for an absolute path, which may hold blanks (not a line break). */
    private static final Pattern NOT_A_PATH_BUT_BLANKS = Pattern.compile("[$`*?\\[\\n\\r\\t]");

    /** Files in a moved tool home that hold a secret only when they have such an entry. */
    private static final Set<String> SETTINGS_FILES = Set.of("gradle.properties", "repositories.yaml", "config.toml");

    /** An entry of a settings file that is a secret's: a password, token, secret or key. */
    private static final Pattern SECRET_ENTRY = Pattern.compile(
            "(?i)(?:password|passwd|token|secret|apikey|api_key|keyfile|signing\\.|credential)");

    /**
     * An entry whose name ends in a key, a pass, a pwd, a pat or an auth: {@code gpr.key} (GitHub Packages' documented
     * name), {@code nexusPass}, {@code artifactoryPwd}, {@code mavenCentralPat}, {@code githubPackagesAuth}, {@code
     * signingInMemoryKey} (red team of the credential variables (2026-12-05, night), F3).
     */
    private static final Pattern SECRET_ENTRY_NAME = Pattern.compile(
            "(?m)^[ \\t]*(?:(?:[\\w.-]*[._-])?(?i:key|pass|pwd|pat|auth)|[\\w.-]*[a-z0-9](?:Key|Pass|Pwd|Pat|Auth))[ \\t]*[=:]");

    /**
     * A variable that names a secret's file by its name, in any case: {@code *_TOKEN_FILE}, {@code *_KEY_PATH}, {@code
     * *_KEYFILE}, {@code *_PASSWORD_FILE}, {@code *_SECRETS_FILE}, {@code *_TOKEN_DIR}, {@code *_IDENTITY_FILE},
     * {@code *_KEY_FILE_PATH}, {@code *_CREDENTIALS}, {@code *_CREDS}, …
     */
    private static final Pattern SECRET_FILE_VARIABLE = Pattern.compile(
            "(?:[A-Za-z]\\w*_)?(?:TOKEN|KEY|PASSWORD|PASSWD|PASS|PASSPHRASE|SECRETS?|AUTH|CREDENTIALS?|CREDS|IDENTITY"
                    + "|API_?KEY|PAT|KEYSTORE)_?(?:FILE(?:NAME)?|PATH|DIR|LOCATION)(?:_?PATH)?"
                    + "|(?:[A-Za-z]\\w*_)?COOKIES?_?(?:FILE|JAR)|[A-Za-z]\\w*_(?:CREDENTIALS?|CREDS)"
                    // a key's own name holding a file's path (re-attack of the credential variables' fixes, R13): a file
                    // that is there, never a key's text (a PEM's blanks and line breaks are no path)
                    + "|(?:[A-Za-z]\\w*_)?(?:PRIVATE|TLS|SSL|CLIENT|SIGNING|SSH|GPG)_KEY|(?:[A-Za-z]\\w*_)?SERVICE_ACCOUNT_(?:KEY|JSON)"
                    + "|[A-Za-z]\\w*_(?:KEY_JSON|AUTH_JSON|KEYSTORE|PEM)", Pattern.CASE_INSENSITIVE);

    /** Of those, a name that says its value is a file or a directory: a bare value is one where the tool runs. */
    private static final Pattern FILE_NAMED = Pattern.compile(".*(?:FILE|FILENAME|PATH|DIR|LOCATION|JAR)",
            Pattern.CASE_INSENSITIVE);

    /** The AWS CLI's own, which aws() reads as the policy's credentials mode says. */
    private static final Set<String> AWS_CLI_FILES = Set.of("AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_CONFIG_FILE");

    /** Variables that move a tool's home, and the credential stores in it. */
    private static final Map<String, List<String>> MOVED_CREDENTIALS_IN = Map.ofEntries(
            // red team, 2026-12-05, F1, where the review of the re-attack found the home itself common in projects
            // (HF_HOME=./hf_cache, CONAN_HOME=$PWD/.conan2, ODBCSYSINI=$HOME)
            Map.entry("HF_HOME", List.of("token", "stored_tokens")),
            Map.entry("KAGGLE_CONFIG_DIR", List.of("kaggle.json")),
            Map.entry("GLAB_CONFIG_DIR", List.of("config.yml")),
            Map.entry("MC_CONFIG_DIR", List.of("config.json")),
            Map.entry("CONAN_HOME", List.of("credentials.json", ".conan.db")),
            Map.entry("ODBCSYSINI", List.of("odbc.ini")),
            Map.entry("CARGO_HOME", List.of("credentials.toml", "credentials", "config.toml")),
            Map.entry("GRADLE_USER_HOME", List.of("gradle.properties")),
            Map.entry("HELM_CONFIG_HOME", List.of("registry/config.json", "repositories.yaml")),
            Map.entry("BORG_CONFIG_DIR", List.of("keys")),
            Map.entry("BORG_BASE_DIR", List.of(".config/borg/keys")),
            Map.entry("XDG_CACHE_HOME", List.of("huggingface/token", "huggingface/stored_tokens")),
            Map.entry("XDG_DATA_HOME", List.of("python_keyring", "keyrings", "jupyter/runtime", "opencode/auth.json")),
            // red team of the credential variables, 2026-12-05, night, F17: Jupyter's kernel keys and server tokens, Cloud
            // Foundry's tokens, a Kopia repository's password beside its config, cargo's registry token in its config
            Map.entry("JUPYTER_DATA_DIR", List.of("runtime")),
            Map.entry("CF_HOME", List.of(".cf/config.json")),
            Map.entry("HEX_HOME", List.of("hex.config")),
            Map.entry("VAGRANT_HOME", List.of("data/vagrant_login_token")));

    /** Variables that name a credential file (a kubeconfig's token, a service account's key, a netrc's passwords). */
    private static final List<String> MOVED_CREDENTIAL_FILES = List.of("KUBECONFIG", "NETRC", "BOTO_CONFIG", "BOTO_PATH",
            "S3CMD_CONFIG", "PGPASSFILE", "KRB5CCNAME", "GOOGLE_APPLICATION_CREDENTIALS", "TF_CLI_CONFIG_FILE",
            "VAULT_CONFIG_PATH", "AZURE_CONFIG_FILE",
            // round 47, F4
            "SOPS_AGE_KEY_FILE", "KRB5_KTNAME", "KRB5_CLIENT_KTNAME", "REGISTRY_AUTH_FILE", "MYSQL_TEST_LOGIN_FILE",
            "OCI_CLI_CONFIG_FILE", "PGSERVICEFILE", "PGSSLKEY", "TALOSCONFIG", "HELM_REGISTRY_CONFIG",
            "PIP_CONFIG_FILE", "VAULT_CLIENT_KEY", "CONSUL_CLIENT_KEY", "NOMAD_CLIENT_KEY", "AZURE_FEDERATED_TOKEN_FILE",
            "AZURE_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PATH", "KUBE_CONFIG_PATH",
            "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", "GOOGLE_GHA_CREDS_PATH", "RCLONE_CONFIG", "RESTIC_PASSWORD_FILE",
            "ANSIBLE_VAULT_PASSWORD_FILE", "SSH_AUTH_SOCK",
            // round 48, F12
            "TERRAFORM_CONFIG", "HELM_REPOSITORY_CONFIG", "DATABRICKS_CONFIG_FILE", "OS_CLIENT_CONFIG_FILE",
            "HCLOUD_CONFIG", "SBT_CREDENTIALS", "CONDARC", "ALIBABA_CLOUD_CREDENTIALS_FILE", "SCW_CONFIG_PATH",
            "TWINE_CONFIG_FILE",
            // red team, 2026-12-05, F1: Hugging Face's token, Linode's and Backblaze's CLI configs
            "HF_TOKEN_PATH", "LINODE_CLI_CONFIG", "B2_ACCOUNT_INFO",
            // re-attack of 2026-12-05, R2-F1b, c: etcd's and pip's client keys, teleport's identity, NATS' credentials,
            // R's environment file, hub's token, sentry-cli's, the ODBC data sources' passwords, travis' token
            "ETCDCTL_KEY", "PIP_CLIENT_CERT", "TELEPORT_IDENTITY_FILE", "NATS_CREDS", "R_ENVIRON_USER", "HUB_CONFIG",
            "SENTRY_PROPERTIES", "ODBCINI", "TRAVIS_CONFIG_PATH",
            // red team of the credential variables (2026-12-05, night), F5: Terraform's Google key, the grid's proxy and key,
            // the Azure SDK's auth file
            "GOOGLE_CLOUD_KEYFILE_JSON", "X509_USER_PROXY", "X509_USER_KEY", "AZURE_AUTH_LOCATION",
            // F5's addendum: Bundler's user config (gem servers' logins), wget's (password=)
            "BUNDLE_USER_CONFIG", "WGETRC");

    /** Variables that name a directory of credentials (gpg's private keys, docker's, gcloud's, gh's, az's, pass's). */
    private static final List<String> MOVED_CREDENTIAL_DIRECTORIES = List.of("GNUPGHOME", "DOCKER_CONFIG",
            "DOCKER_CERT_PATH", "CLOUDSDK_CONFIG", "GH_CONFIG_DIR", "AZURE_CONFIG_DIR", "PASSWORD_STORE_DIR",
            "OP_CONFIG_DIR",
            // round 48, F12
            "MINIKUBE_HOME", "STEPPATH", "TNS_ADMIN", "DBT_PROFILES_DIR", "PULUMI_HOME", "POETRY_CONFIG_DIR",
            "COMPOSER_HOME", "BORG_KEYS_DIR", "TELEPORT_HOME", "CURL_HOME",
            // red team, 2026-12-05, F1: Hugging Face's home (its token), Kaggle's API key, GitLab's CLI, MinIO's client;
            // the same kind: the coding agents' homes (their login), Snowflake's connections, IBM Cloud's CLI, JFrog's
            // CLI, Conan's remotes' logins, Bitwarden's CLI, aws-vault's file keyring
            // (Hugging Face's, Kaggle's, glab's, mc's, Conan's and ODBC's homes: MOVED_CREDENTIALS_IN, their stores only)
            "CODEX_HOME", "CLAUDE_CONFIG_DIR", "SNOWFLAKE_HOME", "IBMCLOUD_HOME", "JFROG_CLI_HOME_DIR",
            "BITWARDENCLI_APPDATA_DIR", "AWS_VAULT_FILE_DIR",
            // re-attack of 2026-12-05, R2-F1c: Jupyter's server tokens and kernel keys, LastPass' session
            "JUPYTER_RUNTIME_DIR", "LPASS_HOME",
            // red team of the credential variables, 2026-12-05, night, F18: Git Credential Manager's plaintext store
            "GCM_PLAINTEXT_STORE_PATH");

}
