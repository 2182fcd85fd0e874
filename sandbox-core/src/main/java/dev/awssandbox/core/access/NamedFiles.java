package dev.awssandbox.core.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The files the AWS CLI's and ssh's configuration <em>name</em>, which those programs run, trust
 * or read as credentials outside the sandbox later (red team, round 22, F3): the words with a
 * {@code /} of a {@code credential_process} (a team's helper script kept in a checkout was
 * rewritten and ran at the next host {@code aws}), {@code web_identity_token_file} (readable with
 * the credentials withheld, while the same file named by {@code AWS_WEB_IDENTITY_TOKEN_FILE} was
 * not), {@code ca_bundle} and {@code AWS_CA_BUNDLE} (a CA of the command's own, trusted by the
 * next host {@code aws}), the {@code AWS_DATA_PATH} directories (botocore loads service models and
 * endpoint rule sets from them), and since round 23 (F1–F3) the config read as botocore reads it
 * ({@link AwsIni}), its {@code data_path}, {@code proxy_ca_bundle} and {@code proxy_client_cert},
 * and the {@code !} commands of the AWS CLI's {@code ~/.aws/cli/alias}; and in {@code ~/.ssh/config} (both homes; not
 * {@code /etc/ssh/ssh_config}: root's, in {@code /etc}, and reading it and its {@code ssh_config.d}
 * cost ~0.3 ms a plan): {@code Include} targets, the words with a {@code /} of
 * {@code ProxyCommand}, {@code KnownHostsCommand}, {@code LocalCommand}, {@code Match exec},
 * the programs and libraries {@code XAuthLocation}, {@code PKCS11Provider},
 * {@code SecurityKeyProvider} name, the known-hosts files (trust), and {@code IdentityFile} /
 * {@code CertificateFile} (keys: withheld like {@code ~/.ssh}).
 *
 * <p>Read once per plan ({@link FileFacts#namedFiles}), fresh from the disk (a config is re-read
 * each time the programs run). Bounded and failing closed as {@link GitConfig}: a config larger than
 * {@value GitConfig#MAX_BYTES} bytes, not a regular file, or unreadable names {@code /} itself
 * (what it names is unknown, so no write path is made writable); ssh includes are followed
 * {@value #MAX_DEPTH} levels deep and {@value #MAX_FILES} files at most, past that the same.
 * A word with a token or variable ({@code %h}, {@code ${X}}) or a glob names the directory before it,
 * whole. A missing file names nothing.
 *
 * <p>Round 24: every command string (and {@code cli_pager}, {@code AWS_PAGER}: F7) is read by
 * {@link CommandWords} — as the shell reads it, quotes and all (F14), variables the environment sets
 * expanded and what cannot be known failing closed (F1), paths glued to options named (F2); a config
 * in {@code /dev} that is a regular file ({@code /dev/shm}) is read (F11); a {@code ..} after a link
 * is taken as the kernel takes it, both readings named (F15).
 *
 * <p>Red team, round RT15, F2: the TLS trust stores other programs take from the environment ({@code SSL_CERT_FILE},
 * {@code SSL_CERT_DIR}, {@code REQUESTS_CA_BUNDLE}, …: {@link #TRUST_STORE_VARIABLES}), also where a start-up file
 * exports them, and curl's config's {@code cacert} and {@code capath}, kept as {@code AWS_CA_BUNDLE}'s file is.
 */
final class NamedFiles {
    static final int MAX_DEPTH = 4;
    static final int MAX_FILES = 256;

    /** What the host does with a named file. */
    enum Use {
        /** runs it (a program, a library, a config it reads as code): kept read-only */
        RUNS,
        /** trusts it (a CA bundle, botocore's data path, known hosts): kept read-only */
        TRUSTS,
        /** an AWS credential (a web identity token): withheld when the policy withholds the credentials, else kept read-only */
        AWS_CREDENTIAL,
        /** an ssh key or certificate, or a secret git sends (a client key, a cookie file): never given, as {@code ~/.ssh} */
        KEY
    }

    /**
     * One named path.
     *
     * @param lexical   as named, absolute and normalized
     * @param real      where it leads
     * @param exists    something (or a dangling link) is there
     * @param stable    it exists and no link is on the way: a read-only mask over it holds
     * @param container what lies inside counts too (an included directory, a data path, an unreadable config's {@code /})
     * @param why       "named by credential_process in /h/.aws/config"
     */
    record Named(Path lexical, Path real, boolean exists, boolean stable, boolean container, Use use, String why) {
        private boolean isOrHolds(Path path) {
            return List.of(lexical, real).stream().anyMatch(p -> container ? path.startsWith(p) : path.equals(p));
        }

        private Optional<Path> inside(Path path) {
            return List.of(lexical, real).stream().filter(p -> p.startsWith(path)).findFirst();
        }
    }

    /**
     * A pattern whose matches a start-up file runs or puts on a search path, where its literal directory cannot be kept
     * whole (the home, a directory above it, a top-level directory such as {@code /tmp}): judged against each write path
     * instead, as what the pattern makes of it ({@code ~}{@code /*}{@code /bin} makes {@code W/bin} of a write path
     * {@code ~/W}; a write path the pattern's rest holds a pattern in, whole). Red team, round 59, F6 (the working
     * directory); round 63, F8 ({@code --rw} paths), F9 and F13 (a file it runs, a loop's variable it runs or filters).
     *
     * @param literal    the directory before the first pattern character (a second record holds its real path where a
     *                   link leads to it; a third, under case folding, the root with every component)
     * @param components the components after it, as written
     * @param container  what the matches hold counts (a search path's directory: new files in it run)
     * @param caseFolded the start-up files fold case in patterns (zsh's NO_CASE_GLOB: every component of the word)
     * @param why        what names the pattern, for the refusal's message
     */
    record RunPattern(Path literal, List<String> components, boolean container, boolean caseFolded, String why) {
        /** What this pattern makes of the write path {@code root} (resolved): the named paths in it, or itself whole. */
        List<Named> namedIn(Path root) {
            if (literal.startsWith(root)) { // '--rw /home' holds every '~/NEW/bin' (review of round 63)
                return List.of(new Named(root, root, true, true, true, Use.RUNS, why + " (a write path that holds " + literal
                        + ", where its pattern begins)"));
            }
            if (!root.startsWith(literal)) {
                return List.of();
            }
            Set<Integer> rests = new java.util.TreeSet<>();
            remainders(0, root, literal.getNameCount(), rests, new java.util.HashSet<>());
            List<Named> out = new ArrayList<>();
            for (int rest : rests) {
                List<String> left = components.subList(rest, components.size());
                // with zsh's NO_CASE_GLOB a literal rest matches in any case ('BIN' for 'bin'): a pattern too (round 64, F7)
                if (caseFolded && !left.isEmpty() || left.stream().anyMatch(c -> shellPatternAt(c) >= 0)) {
                    out.add(new Named(root, root, true, true, true, Use.RUNS, why + " (a write path its pattern reaches)"));
                } else {
                    Path path = root.resolve(String.join("/", left));
                    GitConfig.Target t = GitConfig.target(path, container, why + " (what its pattern makes of a write path)");
                    // a search path's directory is not kept by a mount of it alone (its programs' interpreters and
                    // libraries may lie beside it: outside test RT32, F7)
                    out.add(new Named(t.lexical(), t.real(), t.exists(), t.stable() && !container, container, Use.RUNS,
                            t.why()));
                }
            }
            return out;
        }

        /** The indexes of {@link #components} that remain once the first ones have matched all of {@code root}'s after {@code at}. */
        private void remainders(int c, Path root, int at, Set<Integer> out, Set<Long> seen) {
            if (!seen.add((long) c << 32 | at)) {
                return; // each (component, name) once: many '**' stay linear
            }
            if (at == root.getNameCount()) {
                out.add(c);
            }
            if (c == components.size()) {
                return;
            }
            if (ShellPattern.recursive(components.get(c))) {
                remainders(c + 1, root, at, out, seen);
                if (at < root.getNameCount()) {
                    remainders(c, root, at + 1, out, seen);
                }
            } else if (at < root.getNameCount() && ShellPattern.name(components.get(c)).test(root.getName(at).toString())) {
                remainders(c + 1, root, at + 1, out, seen);
            }
        }
    }

    static final NamedFiles NONE = new NamedFiles(List.of(), List.of(), List.of(), false);

    private static final Path ROOT = Path.of("/");
    private static final Set<String> AWS_COMMAND_KEYS = Set.of("credential_process");

    /**
     * The variables other programs than the AWS CLI and git take a TLS trust store from (red team, round RT15, F2: with
     * {@code SSL_CERT_FILE=~/proj/ca.pem} a command appended a CA of its own, and the host's later {@code python3} and
     * {@code curl} trusted a server it forged, while {@code AWS_CA_BUNDLE} naming the same file was kept read-only):
     * OpenSSL's {@code SSL_CERT_FILE} (Python's {@code ssl}, Ruby, many more), curl's, requests', httplib2's, Node's extra
     * CAs, pip's, gRPC's roots, npm's, Cargo's, Deno's, Nix's, Bundler's and gcloud's. A file, or a directory where one
     * is there (requests and pip take a directory too); {@code SSL_CERT_DIR}, OpenSSL's list of directories, is read
     * apart.
     */
    static final List<String> TRUST_STORE_VARIABLES = List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
            "NODE_EXTRA_CA_CERTS", "PIP_CERT", "HTTPLIB2_CA_CERTS", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "CARGO_HTTP_CAINFO",
            "DENO_CERT", "NIX_SSL_CERT_FILE", "BUNDLE_SSL_CA_CERT", "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE",
            // libpq's, OpenLDAP's, Yarn's (review of RT15, R7); npm's is read in any case (trustStores)
            "PGSSLROOTCERT", "LDAPTLS_CACERT", "YARN_CAFILE", "YARN_HTTPS_CA_FILE_PATH",
            // Vault's, Consul's, Nomad's, etcdctl's, Composer's (outside test RT16, F7)
            "VAULT_CACERT", "CONSUL_CACERT", "NOMAD_CACERT", "ETCDCTL_CACERT", "COMPOSER_CAFILE");

    /** Directories of CAs, each kept whole: OpenLDAP's, Vault's, Consul's, Nomad's (outside test RT17, F3). */
    static final List<String> TRUST_STORE_DIRECTORY_VARIABLES = List.of("LDAPTLS_CACERTDIR", "VAULT_CAPATH", "CONSUL_CAPATH",
            "NOMAD_CAPATH");

    /**
     * Whether {@code name} is a variable whose file or directory {@link Reader#trustStores} keeps: one of the lists,
     * {@code SSL_CERT_DIR}, or npm's CA file in any case (npm takes its {@code npm_config_*} variables so).
     */
    static boolean namesATrustStore(String name) {
        return TRUST_STORE_VARIABLES.contains(name) || TRUST_STORE_DIRECTORY_VARIABLES.contains(name)
                || name.equals("SSL_CERT_DIR") || name.equalsIgnoreCase("npm_config_cafile");
    }

    private final List<Named> named;
    private final List<RunPattern> runPatterns;
    private final List<Path> runDirectories;
    private final boolean historyEnabled;

    private NamedFiles(List<Named> named, List<RunPattern> runPatterns, List<Path> runDirectories, boolean historyEnabled) {
        this.named = List.copyOf(named);
        this.runPatterns = List.copyOf(runPatterns);
        this.runDirectories = List.copyOf(runDirectories);
        this.historyEnabled = historyEnabled;
    }

    /**
     * The directories the shells' start-up files put on a search path (PATH, zsh's fpath) or run every file of
     * ({@code run-parts}), outside {@code /etc} and the distribution's {@code /usr} (not {@code /usr/local}): each is kept
     * whole, and a symbolic link among its entries runs what it leads to, which {@link LinkedCode} follows as it follows
     * PATH's (red team, round 68, F5, F6: {@code ~/tools/bin/x -> ~/proj/x} with {@code ~/tools/bin} on the start-up
     * files' PATH only).
     */
    List<Path> runDirectories() {
        return runDirectories;
    }

    /** The named paths and what the run patterns make of the write path {@code real}. */
    List<Named> namedFor(Path real) {
        if (runPatterns.isEmpty()) {
            return named;
        }
        List<Named> all = new ArrayList<>(named);
        for (RunPattern pattern : runPatterns) {
            all.addAll(pattern.namedIn(real));
        }
        return all;
    }

    List<Named> all() {
        return named;
    }

    /**
     * The directories the host reads as a whole, whose entries {@link LinkedCode} walks for links
     * (red team, round 24, F3, F16): the data paths ({@code AWS_DATA_PATH}, {@code data_path}) and
     * the directory of an ssh {@code Include} glob (each match is read; a match that links into a
     * checkout was rewritten). Not {@code /}, which a config this cannot read names (it already
     * keeps every write path from being writable).
     */
    List<Path> readWhole() {
        return named.stream().filter(n -> n.container() && !n.lexical().equals(ROOT)
                        && (n.use() == Use.TRUSTS || n.why().toLowerCase(Locale.ROOT).startsWith("named by include ")))
                .map(Named::lexical).distinct().toList();
    }

    /**
     * Whether the AWS CLI's configuration ({@code AWS_CONFIG_FILE}'s file, else {@code ~/.aws/config})
     * turns the command history on in any section ({@code cli_history = enabled}, read as botocore
     * reads it), from the same read as what the config names: the file is read once a plan. A config
     * this does not read — larger than {@value GitConfig#MAX_BYTES} bytes, not a regular file (a FIFO
     * would block the read; a device such as {@code /dev/null}), unreadable, or not UTF-8 (botocore fails on it) — turns
     * nothing on: the history directory is then not made writable.
     */
    boolean historyEnabled() {
        return historyEnabled;
    }

    /**
     * What the ssh config {@code file} (given with {@code ssh -F} in a git command) names, as git's
     * targets: read as {@link #of} reads {@code ~/.ssh/config} (round 28, F1).
     */
    static List<GitConfig.Target> sshConfigTargets(Path file, Path home, java.util.Map<String, String> variables,
                                                   Path workingDirectory) {
        java.util.Map<String, String> withHome = new java.util.HashMap<>(variables);
        withHome.putIfAbsent("HOME", home.toString());
        Reader reader = new Reader(new Host(withHome, workingDirectory, true));
        reader.ssh(file, home, home.resolve(".ssh"), 1);
        return reader.found.stream()
                .map(n -> new GitConfig.Target(n.lexical(), n.real(), n.exists(), n.stable(), n.container(), n.why()))
                .toList();
    }

    /** For {@code host}: its AWS config and credentials files and variables, and the ssh configs of {@code homes}. */
    static NamedFiles of(Host host, List<Path> homes) {
        Reader reader = new Reader(host);
        reader.aws();
        reader.trustStores();
        reader.curlConfigs();
        reader.codeLoading();
        Set<Path> sshHomes = new LinkedHashSet<>(homes);
        sshHomes.add(host.home());
        for (Path home : sshHomes) {
            reader.ssh(home.resolve(".ssh/config"), home, home.resolve(".ssh"), 0);
        }
        reader.git();
        reader.shellStartup();
        reader.movedCredentials();
        reader.otherProgramsCommands();
        reader.exportedByStartupFiles();
        reader.keysHanded();
        return new NamedFiles(reader.found, List.copyOf(reader.runPatterns), List.copyOf(reader.runDirectories),
                reader.historyEnabled);
    }

    /**
     * Why {@code real} (resolved) may not be given to a command when the policy withholds the AWS
     * credentials: it is, holds or lies in a web identity token the AWS config names (as the file
     * {@code AWS_WEB_IDENTITY_TOKEN_FILE} names).
     */
    Optional<String> whyAwsCredential(Path real) {
        return heldBy(real, Use.AWS_CREDENTIAL).map(held -> held
                + ", a credential this policy keeps from commands (credentials mode env or none)");
    }

    /**
     * Why the working directory {@code real} (resolved) is not given: it is, holds or lies in an ssh key, a certificate
     * or another secret a config names (git's {@code http.sslKey}, a key its {@code core.sshCommand} hands ssh).
     */
    Optional<String> whyKey(Path real) {
        return keyHeldBy(real).map(held -> held
                + ", a key or secret a program on the host sends, which no command is given (as ~/.ssh)");
    }

    /**
     * What the grant {@code real} (resolved) holds of the keys and credential stores the configs and variables name
     * ({@code holds /p/kc (named by KUBECONFIG, a credential store)}), where it is, holds or lies in one.
     */
    Optional<String> keyHeldBy(Path real) {
        return heldBy(real, Use.KEY);
    }

    /** {@code holds P (why)} for the first path of {@code use} that {@code real} is, holds or lies in. */
    private Optional<String> heldBy(Path real, Use use) {
        for (Named n : named) {
            if (n.use() == use) {
                for (Path p : List.of(n.lexical(), n.real())) {
                    if (p.startsWith(real) || real.startsWith(p)) {
                        return Optional.of("holds " + p + " (" + n.why() + ")");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the write path {@code real} (resolved) may not be writable: it is or lies in a named path;
     * or holds one that {@code protection} cannot keep read-only inside it (Landlock: any;
     * bubblewrap: one not there yet, or reached through a link the command could re-point).
     */
    Optional<String> whyNotWritable(Path real, WriteProtection protection) {
        if (protection == WriteProtection.NONE) {
            return Optional.empty();
        }
        List<Named> named = namedFor(real);
        for (Named n : named) {
            if (n.isOrHolds(real)) {
                return Optional.of("is or lies in " + n.lexical() + " (" + n.why() + "), which " + runsLater(n));
            }
        }
        for (Named n : named) {
            Optional<Path> inside = n.inside(real);
            if (inside.isEmpty()) {
                continue;
            }
            String holds = "holds " + inside.get() + " (" + n.why() + "), which " + runsLater(n);
            if (protection == WriteProtection.WITHHOLD) {
                return Optional.of(holds + ", and this backend cannot keep it read-only inside a writable directory");
            }
            if (!n.stable()) {
                return Optional.of(holds + ", and " + (!n.exists()
                        ? "it does not exist yet, so it cannot be kept read-only (the command could create it)"
                        : n.container() && n.lexical().equals(n.real())
                        ? "it cannot be kept read-only alone (what runs from it may lie beside it)"
                        : "it is reached through a symbolic link the command could re-point"));
            }
        }
        return Optional.empty();
    }

    /** The named paths strictly inside the write path {@code real} to lay a read-only mask over (bubblewrap). */
    List<Named> masksIn(Path real) {
        return namedFor(real).stream().filter(n -> n.stable() && n.real().startsWith(real) && !n.real().equals(real)).toList();
    }

    private static String runsLater(Named n) {
        return switch (n.use()) {
            case RUNS -> "runs outside the sandbox later";
            case TRUSTS -> "the host trusts outside the sandbox later";
            case AWS_CREDENTIAL, KEY -> "is a credential read outside the sandbox";
        };
    }

    /**
     * Credentials by their issuers' shapes, at least 20 characters of a token (no placeholder or prefix alone): GitHub,
     * GitLab, npm, Slack (tokens, webhooks and workflow triggers), Stripe, OpenAI, Anthropic, Hugging Face, PyPI, Google
     * API keys, DigitalOcean, Docker Hub, Vault, Tailscale, Discord webhooks, Azure account and shared access keys,
     * private keys' PEM and PGP armour and PuTTY's key files (outside attacks of 2026-12-06, RT6, RT7-4 to RT7-6); age's
     * secret keys, SSH2 (RFC 4716) private key blocks, and the tokens of Shopify, SendGrid, Atlassian, Google OAuth
     * client secrets, Sentry, Linear, Postman, Grafana, New Relic, Databricks, Pulumi, Terraform Cloud and Heroku, each
     * by its documented prefix (RT8-5, RT8-6).
     */
    static final java.util.regex.Pattern ISSUED_CREDENTIAL = java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|gl(?:pat|ptt|dt|rt)-[A-Za-z0-9_-]{20,}"
                    + "|npm_[A-Za-z0-9]{30,}|xox[a-z]-[A-Za-z0-9-]{20,}|xoxe\\.xox[a-z]-[A-Za-z0-9-]{20,}"
                    + "|[sr]k_(?:live|test)_[A-Za-z0-9]{12,}|whsec_[A-Za-z0-9]{20,}"
                    + "|sk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|pypi-AgE[A-Za-z0-9_-]{20,}"
                    + "|AIza[0-9A-Za-z_-]{35}|do[pro]_v1_[a-f0-9]{40,}|dckr_pat_[A-Za-z0-9_-]{20,}|hv[sb]\\.[A-Za-z0-9_-]{20,}"
                    + "|tskey-[a-z]+-[A-Za-z0-9-]{16,}"
                    + "|(?i:AGE-SECRET-KEY-1)[0-9A-Za-z]{50,}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{20,}"
                    + "|ATATT3[A-Za-z0-9_=-]{40,}|GOCSPX-[A-Za-z0-9_-]{24,}|sntry[su]_[A-Za-z0-9+/=_-]{30,}|lin_api_[A-Za-z0-9]{32,}"
                    + "|PMAK-[A-Za-z0-9]{24}-[A-Za-z0-9]{34}|glsa_[A-Za-z0-9]{32}_[A-Za-z0-9]{8}|NRAK-[A-Za-z0-9]{27}|dapi[a-f0-9]{32}"
                    + "|pul-[a-f0-9]{40}|[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,}|FlyV1 fm[12]_[A-Za-z0-9_+/=-]{20,}"
                    + "|HRKU-[A-Za-z0-9_-]{30,})"
                    + "|hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9]+/[A-Za-z0-9/]{8,}"
                    + "|discord(?:app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{6,}"
                    + "|(?i:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{12,}"
                    + "|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\\d+:[\\s\\S]*Private-Lines:"
                    + "|---- BEGIN SSH2 (?:ENCRYPTED )?PRIVATE KEY ----");

    /** Reads the configs once, collecting what they name. */
    private static final class Reader {
        private final Host host;
        private final List<Named> found = new ArrayList<>();
        private final Set<RunPattern> runPatterns = new LinkedHashSet<>(); // once, whatever the readings
        /**
         * A script a start-up file runs by its bare name, or a function zsh autoloads, found in a directory of the home the
         * start-up files or aws-sandbox's PATH search (wherever in their order: each one found): read as a start-up file is,
         * as one run by its path is (red team, round 68, F8: '~/bin/proj-init' was read, 'proj-init' was not).
         */
        private void byName(String name, Path file, List<Path> searched, boolean runs, int depth, Set<Path> read,
                            java.util.Map<String, String> variables) {
            for (Path directory : searched) {
                Set<String> names = namesIn(directory);
                if (!names.contains(name) && !(names == MANY_NAMES)) {
                    continue;
                }
                Path found = directory.resolve(name);
                FileFacts.Kind kind = FileFacts.lstatKind(found);
                if ((kind == FileFacts.Kind.REGULAR || kind == FileFacts.Kind.SYMLINK && Files.isRegularFile(found))
                        && sizeAtMost(found, 64 * 1024)) {
                    add(found, false, Use.RUNS, (runs ? "run" : "sourced") + " by its name by " + file + ", found in "
                            + directory);
                    if (runs) {
                        foundByName.add(found.toAbsolutePath().normalize()); // a program of its own: see searchedFrom
                        interpreterOf(found, file, depth, read, variables);
                    }
                    sourcedBy(found, depth + 1, read, variables);
                }
            }
        }

        /**
         * The interpreter a script's {@code #!} line names runs with the script, outside the sandbox: kept as the script is
         * (red team, round 70, F4: {@code ~/bin/tool}, run by its name by {@code .bashrc}, named {@code
         * ~/proj/.venv/bin/python3}, which a command replaced). One {@code env} finds by its name is looked for as {@code
         * file}'s names are; a relative one, found where the later shell runs, is not followed.
         */
        private void interpreterOf(Path script, Path file, int depth, Set<Path> read, java.util.Map<String, String> variables) {
            if (GitConfig.isKernelFile(script)) {
                return; // its read may block (round 72, F11)
            }
            Optional<ExecutableChain.Shebang> line = ExecutableChain.shebang(script);
            if (line.isEmpty() || !line.get().interpreter().isAbsolute()) {
                return;
            }
            Path interpreter = line.get().interpreter().normalize();
            add(interpreter, false, Use.RUNS, "the #! interpreter of " + script + ", which " + file + " runs");
            // an interpreter that is a script of the home is read as one run by its path (review of round 71)
            if (interpreter.startsWith(host.home()) && Files.isRegularFile(interpreter) && sizeAtMost(interpreter, 64 * 1024)) {
                sourcedBy(interpreter, depth + 1, read, variables);
            }
            // an interpreter in an installation's bin loads the installation's code (a virtualenv's site-packages and .pth
            // files: red team, round 71, F9): a virtualenv, or an installation below the home, whole (not /usr/local or
            // /opt/homebrew, which package managers the sandbox runs write: review of round 71)
            Path bin = interpreter.getParent();
            if (bin != null && bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null
                    && (Files.exists(bin.getParent().resolve("pyvenv.cfg")) || bin.getParent().startsWith(host.home()))
                    && keepableWhole(bin.getParent()) && Files.isDirectory(bin.getParent())) {
                add(bin.getParent(), true, Use.RUNS, "the installation of the #! interpreter of " + script + ", which " + file
                        + " runs");
            }
            // what the line gives it ('#!/usr/bin/env -S PYTHONPATH=~/p/lib python3', '#!/usr/bin/perl -I~/p/lib',
            // '#!/usr/bin/env -S node --require ~/p/pre.js': round 71, F10): each path a variable or an option there
            // gives, a directory whole
            line.get().argument().ifPresent(argument -> {
                for (String word : argument.trim().split("\\s+")) {
                    for (String piece : SHEBANG_VALUE.matcher(word).replaceFirst("").split(":")) {
                        String expanded = piece.replaceFirst("^(?:\\$\\{HOME}|\\$HOME|~)(?=/|$)",
                                java.util.regex.Matcher.quoteReplacement(host.home().toString()));
                        if (expanded.startsWith("/") && expanded.indexOf('$') < 0 && keepableWhole(Path.of(expanded).normalize())) {
                            add(Path.of(expanded).normalize(), Files.isDirectory(Path.of(expanded)), Use.RUNS, "given by the #! line of "
                                    + script + ", which " + file + " runs");
                        }
                    }
                }
            });
            if (depth < MAX_DEPTH && interpreter.getFileName() != null && interpreter.getFileName().toString().equals("env")
                    && GnuEnv.parseShebang(line.get().argument(), Optional.empty()) instanceof GnuEnv.Runs runs
                    && runs.program().indexOf('/') < 0) {
                byName(runs.program(), file, searchedFrom(file), true, depth + 1, read, variables);
            }
        }

        /** What comes before a path in a {@code #!} line's word: a variable's name, an option glued to its value. */
        private static final java.util.regex.Pattern SHEBANG_VALUE = java.util.regex.Pattern.compile(
                "^(?:[A-Za-z_]\\w*=|--[\\w-]+=|-[A-Za-z](?=[~/$]))");

        /**
         * Where {@link #byName} looks for what {@code file} runs by its name: the home's directories of the start-up files'
         * search paths and of aws-sandbox's own; none for a script itself found by its name (what it runs by name is
         * another program's business: pyenv's and the like's own commands, read at every plan, had been a quarter of one).
         */
        private List<Path> searchedFrom(Path file) {
            if (foundByName.contains(file.toAbsolutePath().normalize())) {
                return List.of();
            }
            if (pathInHome == null) {
                pathInHome = new ArrayList<>();
                for (String entry : host.get("PATH").orElse("").split(":")) {
                    if (entry.startsWith("/")) {
                        pathInHome.add(Path.of(entry).normalize());
                    }
                }
            }
            Set<Path> searched = new LinkedHashSet<>(runDirectories);
            searched.addAll(pathInHome);
            searched.removeIf(d -> !d.startsWith(host.home()) || d.startsWith(host.home().resolve(".ssh")));
            return List.copyOf(searched);
        }

        /** A file name without a directory, as {@code . NAME} gives one. */
        private static final java.util.regex.Pattern BARE_SOURCED = java.util.regex.Pattern.compile("[\\w.+-]+");

        /** aws-sandbox's own PATH's directories, once a plan. */
        private List<Path> pathInHome;

        /** The scripts {@link #byName} found. */
        private final Set<Path> foundByName = new java.util.HashSet<>();

        /** The names any of {@code directories} holds, once a plan; null where one holds too many to list. */
        private Set<String> namesInAny(List<Path> directories) {
            Set<String> names = namesInAll.get(directories);
            if (names == null && !namesInAll.containsKey(directories)) {
                names = new java.util.HashSet<>();
                for (Path directory : directories) {
                    Set<String> in = namesIn(directory);
                    if (in == MANY_NAMES) {
                        names = null;
                        break;
                    }
                    names.addAll(in);
                }
                namesInAll.put(directories, names);
            }
            return names;
        }

        private final java.util.Map<List<Path>, Set<String>> namesInAll = new java.util.HashMap<>();

        /**
         * The names in {@code directory}, listed once a plan; none where it is no directory or cannot be listed (the shell
         * finds nothing there either); {@link #MANY_NAMES} past {@value #MOST_GLOB_ENTRIES} entries (each name then asked).
         */
        private Set<String> namesIn(Path directory) {
            return listedNames.computeIfAbsent(directory, d -> {
                List<Path> listed = FileFacts.namesIn(d, MOST_GLOB_ENTRIES);
                if (listed == null) {
                    return MANY_NAMES;
                }
                Set<String> names = new java.util.HashSet<>();
                listed.forEach(name -> names.add(name.toString()));
                return names;
            });
        }

        /** {@link #namesIn} of a directory too large to list here. */
        private static final Set<String> MANY_NAMES = Set.of("\0");

        private final java.util.Map<Path, Set<String>> listedNames = new java.util.HashMap<>();

        /** {@link NamedFiles#runDirectories}. */
        private final Set<Path> runDirectories = new LinkedHashSet<>();

        /** Keeps {@code directory} whole as one whose files run, and lists it among {@link #runDirectories}. */
        private void runDirectory(Path directory, String why) {
            if (unfollowable(directory.toString(), why)) {
                return;
            }
            add(directory, true, Use.RUNS, why);
            Path normal = directory.normalize();
            if (FileFacts.lstatKind(normal) != FileFacts.Kind.ABSENT) {
                // its programs start interpreters and load libraries beside it ('#!/w/interp/run', RUNPATH
                // '$ORIGIN/../lib'): a read-only mount of the directory alone does not keep what they run, so the write
                // path that holds it is not made writable under bubblewrap either (outside test RT32, F7)
                found.add(new Named(normal, normal, true, false, true, Use.RUNS, why + ", whose programs may run an"
                        + " interpreter or load a library beside it"));
            }
            // not the distribution's data (/usr/share/zsh's fpath: hundreds of entries, root's), but /usr/local's
            // (a link there into a project: review of round 69)
            if (!normal.equals(ROOT) && !(normal.startsWith("/usr/") && !normal.startsWith("/usr/local/"))
                    && !normal.startsWith("/etc/")) {
                runDirectories.add(normal);
            }
        }
        private final Set<Path> seen = new LinkedHashSet<>();
        private final Set<String> added = new java.util.HashSet<>();
        private boolean historyEnabled;

        Reader(Host host) {
            this.host = host;
        }

        void aws() {
            Set<Path> files = new LinkedHashSet<>();
            // both the variables' files and the defaults: the user's next aws may run without the variables
            host.get("AWS_CONFIG_FILE").ifPresent(v -> files.addAll(AwsEnvironment.asBotocoreReads(host, v)));
            host.get("AWS_SHARED_CREDENTIALS_FILE").ifPresent(v -> files.addAll(AwsEnvironment.asBotocoreReads(host, v)));
            files.add(AwsEnvironment.awsDirectory(host).resolve("config"));
            files.add(AwsEnvironment.awsDirectory(host).resolve("credentials"));
            // the CLI's own settings (cli_history) come from the config file it reads now: the variable's, else the default
            Set<Path> configs = new LinkedHashSet<>(host.get("AWS_CONFIG_FILE").map(v -> AwsEnvironment.asBotocoreReads(host, v))
                    .orElse(List.of(AwsEnvironment.awsDirectory(host).resolve("config"))));
            for (Path file : files) {
                // red team, round 24, F11: a regular file in /dev (/dev/shm: a RAM disk) is read as botocore
                // reads it; only what is no regular file there (/dev/null, a device) is skipped, elsewhere a
                // FIFO or the like still fails closed
                if (!file.startsWith(Path.of("/dev")) || Files.isRegularFile(file)) {
                    awsFile(file, configs.contains(file));
                }
            }
            host.get("AWS_CA_BUNDLE").ifPresent(v -> {
                for (Path p : AwsEnvironment.asBotocoreReads(host, v)) {
                    add(p, false, Use.TRUSTS, "named by AWS_CA_BUNDLE");
                }
                unnormalised(v).ifPresent(p -> add(p, false, Use.TRUSTS, "named by AWS_CA_BUNDLE"));
            });
            host.get("AWS_DATA_PATH").ifPresent(v -> dataPath(v, "named by AWS_DATA_PATH"));
            // red team, round 24, F7: AWS CLI v2 runs its pager (shlex-split, no shell) at every paged output
            host.get("AWS_PAGER").ifPresent(v -> awsCommand(v, "named by AWS_PAGER"));
            awsAliases();
        }

        /**
         * One AWS config or credentials file, read as botocore reads it ({@link AwsIni}: {@code :} as
         * well as {@code =}, red team, round 23, F1): every section counts (a {@code DEFAULT}
         * section's keys are every profile's).
         */
        private void awsFile(Path file, boolean config) {
            Optional<byte[]> bytes = readBytes(file, "the AWS config");
            if (bytes.isEmpty()) {
                return;
            }
            String text = new String(bytes.get(), StandardCharsets.UTF_8); // what it names: malformed bytes replaced
            boolean utf8 = isUtf8(bytes.get()); // the CLI's settings: botocore fails on a config that is not UTF-8
            for (AwsIni.Option option : AwsIni.parse(text)) {
                if (config && utf8 && option.key().equals("cli_history") && option.value().equals("enabled")) {
                    historyEnabled = true;
                }
                String value = option.value();
                if (value.isEmpty()) {
                    continue; // botocore takes an empty value as unset
                }
                String why = "named by " + option.key() + " in " + file;
                switch (option.key()) {
                    // round 24, F7: AWS CLI v2's cli_pager is run as credential_process is (shlex.split, Popen)
                    case "credential_process", "cli_pager" -> awsCommand(value, why);
                    case "web_identity_token_file" -> awsPath(value, Use.AWS_CREDENTIAL, why);
                    // round 23, F2: proxy_ca_bundle is trusted as ca_bundle
                    case "ca_bundle", "proxy_ca_bundle" -> awsPath(value, Use.TRUSTS, why);
                    // the client certificate botocore shows the proxy, often with its private key in the same PEM: a key,
                    // as git's http.sslCert is (red team, round 46, F4: it was only kept read-only, and read)
                    case "proxy_client_cert" -> awsPath(value, Use.KEY, why);
                    case "data_path" -> dataPath(value, why); // round 23, F2: the config's AWS_DATA_PATH
                    // AWS CLI v2 imports the [plugins] modules from this directory at every command (red team, round 48, F8)
                    case "cli_legacy_plugin_path" -> AwsEnvironment.asBotocoreReads(host, value)
                            .forEach(p -> add(p, true, Use.RUNS, why));
                    default -> { }
                }
            }
        }

        /**
         * {@code credential_process}: the words {@code shlex.split} gives (botocore runs exactly those,
         * with no shell: {@code "/h/My Tools/cred.sh"}, {@code /h/pr\oj/cred.sh}, {@code /h/pr''oj/cred.sh})
         * and the over-inclusive split ({@link GitConfig#words}: what an {@code sh -c '…'} among them runs).
         * A value shlex cannot split runs nothing; its over-inclusive words are named all the same.
         */
        private void awsCommand(String value, String why) {
            AwsIni.shlexSplit(value).ifPresent(words -> commandWords(
                    words.stream().flatMap(w -> CommandWords.withTails(w).stream()).toList(), host.home(), Use.RUNS, why));
            // botocore runs the words without a shell, which would expand '~' and variables: '~/bin/cred' and
            // '$HOME/bin/cred' are paths where aws runs (outside test RT32, F11); the shell's reading stays (other SDKs
            // run the value with 'sh -c')
            AwsIni.shlexSplit(value).ifPresent(words -> words.stream()
                    .filter(w -> (w.startsWith("~") || w.indexOf('$') >= 0) && w.indexOf('/') >= 0)
                    .forEach(w -> add(host.workingDirectory().resolve(w).normalize(), false, Use.RUNS, why
                            + " (botocore expands neither ~ nor variables in it: a path where aws runs)")));
            command(value, host.home(), Use.RUNS, why);
            if (value.indexOf('\n') >= 0) {
                // a value continued on indented lines is one command to botocore ('ssh\n  -i key h': red team, round
                // 45k, F4); read as the shell would, the lines were separate commands
                command(value.replace('\n', ' '), host.home(), Use.RUNS, why);
            }
        }

        /** A file botocore opens: the value as written (no quotes are taken off), {@code $X} and {@code ~} expanded or not. */
        private void awsPath(String value, Use use, String why) {
            Set<String> readings = new LinkedHashSet<>();
            readings.add(value);
            value.lines().map(AwsIni::strip).filter(l -> !l.isEmpty()).forEach(readings::add); // a continued value, line by line too
            for (String reading : readings) {
                AwsEnvironment.asBotocoreReads(host, reading).forEach(p -> add(p, false, use, why));
                unnormalised(reading).ifPresent(p -> add(p, false, use, why));
            }
        }

        /**
         * An absolute or {@code ~/} value with {@code ..}, not normalised ({@code asBotocoreReads} normalises
         * as text): {@link #add} walks it as the kernel does (round 24, F15: a {@code ..} after a link).
         */
        private Optional<Path> unnormalised(String value) {
            if (!value.contains("..")) {
                return Optional.empty();
            }
            if (value.startsWith("/")) {
                return Optional.of(Path.of(value));
            }
            return value.startsWith("~/") ? Optional.of(host.home().resolve(value.substring(2))) : Optional.empty();
        }

        /**
         * The TLS trust stores {@link #TRUST_STORE_VARIABLES} and {@code SSL_CERT_DIR} name, kept read-only as the file
         * {@code AWS_CA_BUNDLE} names is (red team, round RT15, F2): the host's later {@code curl}, {@code python3},
         * {@code node}, {@code pip} trust what they hold. Read as {@code AWS_CA_BUNDLE}'s value is (a relative one where
         * the later program runs, {@code ~} and variables expanded or not: over-inclusive, these programs expand neither).
         */
        void trustStores() {
            for (String name : TRUST_STORE_VARIABLES) {
                host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> trustStore(v, false, "named by " + name));
            }
            // npm takes its npm_config_* variables in any case (Npm_Config_Cafile too: review of RT15, R7)
            host.variables().forEach((name, value) -> {
                if (name.equalsIgnoreCase("npm_config_cafile") && !value.isBlank()) {
                    trustStore(value, false, "named by " + name);
                }
            });
            for (String name : TRUST_STORE_DIRECTORY_VARIABLES) {
                host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> trustStore(v, true, "named by " + name));
            }
            // OpenSSL's list of directories of hashed certificates (c_rehash): each whole, a new file in it is trusted
            host.get("SSL_CERT_DIR").ifPresent(v -> {
                for (String entry : v.split(":")) {
                    if (!entry.isBlank()) {
                        trustStore(entry, true, "named by SSL_CERT_DIR");
                    }
                }
            });
        }

        /** A CA bundle, or a directory of CAs (whole), a later program trusts: as {@code AWS_CA_BUNDLE}'s (a directory whole). */
        private void trustStore(String value, boolean directory, String why) {
            for (Path p : AwsEnvironment.asBotocoreReads(host, value)) {
                add(p, directory || Files.isDirectory(p), Use.TRUSTS, why);
            }
            unnormalised(value).ifPresent(p -> add(p, directory || Files.isDirectory(p), Use.TRUSTS, why));
        }

        /**
         * curl's own configs, which every later {@code curl} on the host reads (red team, round RT15, F2: {@code cacert =
         * ~/p6/curlca.pem} in {@code ~/.curlrc} was writable): {@code .curlrc} in {@code CURL_HOME}, {@code XDG_CONFIG_HOME}
         * (also {@code curlrc} there, which newer curls read) and the home. Their {@code cacert}, {@code capath} and the
         * proxy's are trust stores ({@link #curlConfig}).
         */
        void curlConfigs() {
            // curl's search (tool_findfile.c): CURL_HOME's .curlrc and .config/curlrc, XDG_CONFIG_HOME's curlrc, the home's
            // .curlrc and .config/curlrc (read where XDG_CONFIG_HOME is not set: review of RT15, R2); .curlrc in
            // XDG_CONFIG_HOME too, over-inclusively
            Set<Path> files = new LinkedHashSet<>();
            host.get("CURL_HOME").filter(v -> v.startsWith("/")).ifPresent(v -> {
                files.add(Path.of(v, ".curlrc"));
                files.add(Path.of(v, ".config", "curlrc"));
            });
            host.get("XDG_CONFIG_HOME").filter(v -> v.startsWith("/")).ifPresent(v -> {
                files.add(Path.of(v, "curlrc"));
                files.add(Path.of(v, ".curlrc"));
            });
            files.add(host.home().resolve(".curlrc"));
            files.add(host.home().resolve(".config/curlrc"));
            Set<Path> read = new java.util.HashSet<>();
            for (Path file : files) {
                curlConfig(file, 0, read);
            }
        }

        /**
         * One curl config, read as curl reads it: an option per line, with or without its dashes ({@code cacert},
         * {@code --cacert}), then blanks, {@code =} or {@code :}, then a word or a {@code "quoted"} string (with curl's
         * backslash escapes). {@code cacert}, {@code capath}, {@code proxy-cacert}, {@code proxy-capath} (also as curl 8's
         * {@code expand-} forms, whose {@code {{NAME}}} is read as {@code $NAME}) name trust stores, relative where curl runs;
         * a config it reads in turn ({@code config}, {@code -K}) is read too, {@value #MAX_DEPTH} levels deep.
         */
        private void curlConfig(Path file, int depth, Set<Path> read) {
            if (depth > MAX_DEPTH) {
                failClosed("curl's config " + file + " is read through more than " + MAX_DEPTH + " nested configs");
                return;
            }
            if (!read.add(file.toAbsolutePath().normalize())) {
                return;
            }
            // the config itself, there or not: a command that writes it (or creates it where CURL_HOME points into a
            // project) sets what every later curl trusts, or turns verification off (review of RT15, R1)
            add(file, false, Use.TRUSTS, "curl's config, which every later curl on the host reads");
            Optional<String> text = read(file, "curl's config");
            if (text.isEmpty()) {
                return;
            }
            for (String raw : text.get().split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int at = 0;
                while (at < line.length() && line.charAt(at) == '-') {
                    at++;
                }
                boolean shortOption = at == 1;
                if (shortOption) {
                    // a cluster of short options, -K among them with its value glued or next: '-K/p', '-sK p' (review
                    // of RT15, R6); over-inclusive where a letter before K takes a value itself
                    String cluster = line.substring(1).split("[\\s=:]", 2)[0];
                    int k = cluster.indexOf('K');
                    if (k >= 0) {
                        String glued = cluster.substring(k + 1);
                        String value = glued.isEmpty() ? curlParameter(line.substring(1 + cluster.length()).replaceFirst(
                                "^[\\s=:]+", "")) : glued;
                        if (!value.isEmpty()) {
                            AwsEnvironment.asBotocoreReads(host, value).forEach(f -> curlConfig(f, depth + 1, read));
                        }
                    }
                    continue;
                }
                int start = at;
                while (at < line.length() && !Character.isWhitespace(line.charAt(at)) && line.charAt(at) != '='
                        && line.charAt(at) != ':') {
                    at++;
                }
                String option = line.substring(start, at);
                while (at < line.length() && (Character.isWhitespace(line.charAt(at)) || line.charAt(at) == '='
                        || line.charAt(at) == ':')) {
                    at++;
                }
                String value = curlParameter(line.substring(at));
                if (value.isEmpty()) {
                    continue;
                }
                String name = option.toLowerCase(Locale.ROOT);
                if (name.startsWith("expand-")) {
                    name = name.substring("expand-".length());
                    value = CURL_VARIABLE.matcher(value).replaceAll("\\${$1}");
                }
                String why = "named by " + option + " in " + file;
                // a name or a prefix of one (curl takes a unique prefix of a long option: 'cac'; an ambiguous one is
                // read as every option it begins, over-inclusively: review of RT15, R6)
                if (abbreviates(name, CURL_TRUST_FILES)) {
                    trustStore(value, false, why);
                }
                if (abbreviates(name, List.of("capath", "proxy-capath"))) {
                    trustStore(value, true, why);
                }
                if (abbreviates(name, List.of("config"))) {
                    AwsEnvironment.asBotocoreReads(host, value).forEach(f -> curlConfig(f, depth + 1, read));
                }
            }
        }

        /**
         * curl's options whose file decides whom a later curl trusts: the CA bundles, the pinned public keys (a
         * command's own key would be pinned) and the revocation lists (an empty one revokes nothing).
         */
        private static final List<String> CURL_TRUST_FILES = List.of("cacert", "proxy-cacert", "pinnedpubkey",
                "proxy-pinnedpubkey", "crlfile", "proxy-crlfile");

        /** Whether {@code name} is one of {@code options} or a prefix of one (two characters at least). */
        private static boolean abbreviates(String name, List<String> options) {
            return options.stream().anyMatch(o -> o.equals(name) || name.length() >= 2 && o.startsWith(name));
        }

        /** curl's {@code {{NAME}}} (and {@code {{NAME:function}}}) in an {@code --expand-} option's value. */
        private static final java.util.regex.Pattern CURL_VARIABLE = java.util.regex.Pattern.compile(
                "\\{\\{(\\w+)(?::[^}]*)?}}");

        /** A curl config's parameter: a {@code "quoted"} string with its backslash escapes, else the word up to a blank. */
        private static String curlParameter(String rest) {
            if (!rest.startsWith("\"")) {
                int end = 0;
                while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) {
                    end++;
                }
                return rest.substring(0, end);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < rest.length() && rest.charAt(i) != '"'; i++) {
                char c = rest.charAt(i);
                if (c == '\\' && i + 1 < rest.length()) {
                    char next = rest.charAt(++i);
                    out.append(switch (next) {
                        case 't' -> '\t';
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 'v' -> (char) 11; // a vertical tab
                        default -> next;
                    });
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        /** {@code AWS_DATA_PATH} or the config's {@code data_path}: directories botocore loads models and rule sets from. */
        private void dataPath(String value, String why) {
            for (String entry : value.split(":")) {
                if (!entry.isEmpty()) {
                    for (Path p : AwsEnvironment.asBotocoreReads(host, entry)) {
                        add(p, true, Use.TRUSTS, why);
                    }
                    unnormalised(entry).ifPresent(p -> add(p, true, Use.TRUSTS, why));
                }
            }
        }

        /**
         * The variables through which later programs load code (red team, round 23, F4: with
         * {@code PYTHONPATH=~/proj/lib} a command planted {@code sitecustomize.py}, which the next
         * host {@code aws} imported): each directory of a search path and each file named.
         * A relative or empty entry ({@code PYTHONPATH=.}, {@code PYTHONPATH=:/opt/x}, which
         * {@code export PYTHONPATH=$PYTHONPATH:/opt/x} makes) is the directory the later program runs in:
         * named against the working directory (red team, round 27, F4: a {@code sitecustomize.py} planted
         * in the project ran at the next host {@code aws}). {@code ZDOTDIR} holds zsh's start-up files,
         * which the shell ssh starts its commands with runs (round 27, F3). A bare {@code LD_PRELOAD} name
         * ({@code libjemalloc.so}) is looked up on the library path, not in the working directory.
         */
        void codeLoading() {
            for (String name : List.of("PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "PERL5LIB", "PERLLIB", "NODE_PATH",
                    "RUBYLIB", "ZDOTDIR")) {
                // the whole tree, not the directory alone (red team, round 24, F5): Python loads its standard library
                // and sitecustomize.py from $PYTHONHOME/lib/python3.X, perl searches the version and architecture
                // subdirectories of each PERL5LIB entry before the entry, glibc the glibc-hwcaps subdirectories of each
                // LD_LIBRARY_PATH entry, and a package in a subdirectory is imported as pkg.mod (so a project below
                // PYTHONPATH=~/src is read-only for a command, as the directory itself was)
                host.get(name).ifPresent(v -> entries(v, ":", true, "named by " + name));
            }
            // Python's library directory below its prefix ('lib'): an absolute one is that directory, and any other
            // (with '..' it walks out of the prefix, of whichever Python runs) is not known here; Python imports its
            // standard library from it before any script (outside test RT36, F10)
            host.get("PYTHONPLATLIBDIR").filter(v -> !v.isEmpty() && !v.equals("lib") && !v.equals("lib64")).ifPresent(v -> {
                if (v.startsWith("/")) {
                    entries(v, "\0", true, "named by PYTHONPLATLIBDIR");
                } else {
                    failClosed("PYTHONPLATLIBDIR=" + v + " moves Python's standard library below the prefix of whichever"
                            + " Python runs");
                }
            });
            // more of the same (red team, round 48, F1): Python's user site (its .pth files run), the active virtualenv,
            // Ruby's gems, Java's class path, nvm's and pyenv's trees, IPython's start-up scripts, bash's completions
            for (String name : List.of("PYTHONUSERBASE", "VIRTUAL_ENV", "GEM_HOME", "GEM_PATH", "CLASSPATH", "NVM_DIR",
                    "PYENV_ROOT", "RBENV_ROOT", "IPYTHONDIR", "BASH_COMPLETION_USER_DIR", "PERL_LOCAL_LIB_ROOT",
                    // round 49, F8: Python's bytecode cache, OpenSSL's providers, Julia's depots
                    "PYTHONPYCACHEPREFIX", "OPENSSL_MODULES", "JULIA_DEPOT_PATH", "JULIA_LOAD_PATH",
                    // round 50, F18
                    "R_LIBS_USER", "R_LIBS", "PHP_INI_SCAN_DIR",
                    // round 51, F4: a JDK (aws-sandbox's own launcher runs $JAVA_HOME/bin/java), Go's and .NET's trees,
                    // Erlang's libraries, PHP's php.ini
                    "JAVA_HOME", "GOROOT", "DOTNET_ROOT", "ERL_LIBS", "PHPRC",
                    // round 52: Gradle's init scripts and Cargo's config (a rustc wrapper) run in every build
                    "GRADLE_USER_HOME", "CARGO_HOME", "RUSTUP_HOME",
                    // red team, round 61, F3, F5, F7, F8, F10: gconv modules, Tcl's and Tk's init.tcl, the plugin and
                    // module directories later programs dlopen, npm's prefix (its etc/npmrc runs node-options), bash's
                    // loadable builtins, the version managers' hook and plugin trees, the include and library paths
                    // compiled into later builds, and the other language runtimes' load paths and homes
                    "GCONV_PATH", "TCL_LIBRARY", "TK_LIBRARY", "OPENSSL_ENGINES", "GIO_MODULE_DIR", "GTK_PATH",
                    "GST_PLUGIN_PATH", "GST_PLUGIN_SYSTEM_PATH", "QT_PLUGIN_PATH", "SASL_PATH", "LIBGL_DRIVERS_PATH",
                    "NPM_CONFIG_PREFIX", "npm_config_prefix", "BASH_LOADABLES_PATH", "PYENV_HOOK_PATH", "RBENV_HOOK_PATH",
                    "NODENV_HOOK_PATH", "GOENV_ROOT", "JENV_ROOT", "ASDF_DATA_DIR", "ASDF_DIR", "MISE_DATA_DIR",
                    "DIRENV_CONFIG", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "LIBRARY_PATH", "GOBIN",
                    "GOMODCACHE", "JUPYTER_CONFIG_DIR", "EMACSLOADPATH", "GUILE_LOAD_PATH", "XDG_CONFIG_DIRS", "DENO_DIR",
                    "BUN_INSTALL", "VOLTA_HOME", "PKG_CONFIG_PATH",
                    // round 61, F12: a repository every later git uses (its config's commands run), and the homes of
                    // configs whose entries are commands (bat's and rg's pagers and preprocessors, mysql's pager,
                    // Mercurial's hooks, GNU parallel's profiles, TeX's inputs)
                    "GIT_DIR", "GIT_COMMON_DIR", "BAT_CONFIG_DIR", "MYSQL_HOME", "HGRCPATH", "PARALLEL_HOME",
                    "TEXMFHOME",
                    // round 62, F2: pnpm's and corepack's homes
                    "PNPM_HOME", "COREPACK_HOME",
                    // round 73, F6: where CMake finds the package configs (CMake code) and programs of every configure
                    "CMAKE_PREFIX_PATH", "CMAKE_APPBUNDLE_PATH", "CMAKE_FRAMEWORK_PATH", "CMAKE_PROGRAM_PATH",
                    "CMAKE_INCLUDE_PATH", "CMAKE_LIBRARY_PATH",
                    // round 74, F23: helm's and krew's plugins, pipx's environments
                    "HELM_PLUGINS", "HELM_DATA_HOME", "KREW_ROOT", "PIPX_HOME", "PIPX_BIN_DIR")) {
                host.get(name).ifPresent(v -> entries(v, ":", true, "named by " + name));
            }
            // GOPATH's bin, which 'go install' fills and PATH holds, also where PATH names it through a command
            // ('PATH="$PATH:$(go env GOPATH)/bin"': red team, round 62, F9); not GOPATH whole, where GOPATH-style
            // projects live (docs/security.md)
            host.get("GOPATH").ifPresent(v -> {
                for (String entry : v.split(":")) {
                    if (entry.startsWith("/")) {
                        add(Path.of(entry, "bin"), true, Use.RUNS, "GOPATH's bin directory, which PATH holds");
                    }
                }
            });
            for (String name : List.of("DOTNET_STARTUP_HOOKS", "NODE_REPL_EXTERNAL_MODULE", "BASH_COMPLETION_USER_FILE",
                    // round 61, F10, F12: configs whose entries run commands (starship's at every prompt, rg's --pre,
                    // bat's --pager)
                    "STARSHIP_CONFIG", "RIPGREP_CONFIG_PATH", "BAT_CONFIG_PATH",
                    // round 62, F2: npm's global and user configs (node-options, script-shell), less's system keys
                    "NPM_CONFIG_GLOBALCONFIG", "npm_config_globalconfig", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig",
                    "LESSKEY_SYSTEM",
                    // round 73, F6: the toolchain file every CMake configure runs, the script 'npm init' runs
                    "CMAKE_TOOLCHAIN_FILE", "NPM_CONFIG_INIT_MODULE", "npm_config_init_module",
                    // round 74, F23: ansible's config (its plugin directories, a vault password script)
                    "ANSIBLE_CONFIG")) {
                host.get(name).ifPresent(v -> entries(v, ":", false, "named by " + name));
            }
            // the launchers CMake runs around every compile and link (round 74, F22)
            for (String name : host.variables().keySet()) {
                if (CMAKE_LAUNCHER.matcher(name).matches()) {
                    host.get(name).ifPresent(v -> entries(v, ";", false, "named by " + name));
                }
            }
            // readline's init file INPUTRC names, in the environment or set by a start-up file (round 51, F2; round 53,
            // F2), and what it $includes
            host.get("INPUTRC").filter(v -> !v.isBlank())
                    .map(v -> v.startsWith("~/") ? host.home().resolve(v.substring(2)) : host.workingDirectory().resolve(v))
                    .ifPresent(file -> {
                        add(file, false, Use.RUNS, "readline's init file INPUTRC names (its key bindings type commands"
                                + " into every interactive bash)");
                        inputrc(file, 0);
                    });
            // the shell programs start for the user (a program path, not a command line)
            host.get("SHELL").filter(v -> v.startsWith("/")).ifPresent(v -> entries(v, "\n", false, "named by SHELL"));
            // the MCP server's policy file: rewritten, it lifts read-only mode and the deny rules at the server's next
            // start (round 51, F7)
            host.get("AWS_MCP_POLICY_FILE").filter(v -> !v.isBlank())
                    .ifPresent(v -> entries(v, "\n", false, "the MCP server's policy file (AWS_MCP_POLICY_FILE)"));
            host.get("XDG_DATA_HOME").filter(v -> v.startsWith("/")).ifPresent(v -> add(Path.of(v, "bash-completion"), true,
                    Use.RUNS, "bash's completions below XDG_DATA_HOME"));
            host.get("XDG_DATA_DIRS").ifPresent(v -> {
                for (String entry : v.split(":")) {
                    if (entry.startsWith("/")) {
                        add(Path.of(entry, "bash-completion"), true, Use.RUNS, "bash's completions below XDG_DATA_DIRS");
                    }
                }
            });
            host.get("TCLLIBPATH").ifPresent(v -> entries(v, "\\s+", true, "named by TCLLIBPATH"));
            host.get("LD_AUDIT").ifPresent(v -> entries(v, "[:\\s]", false, "named by LD_AUDIT"));
            // the compilers and tools cargo and make run (red team, round 60, F15: 'export RUSTC=~/p/build/rustc'; CC and
            // CXX below)
            for (String name : List.of("RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "PERL5DB", "RUSTC", "RUSTDOC",
                    "CARGO_BUILD_RUSTC", "CARGO_BUILD_RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WORKSPACE_WRAPPER",
                    "CARGO_BUILD_RUSTDOC", "LD", "AR", "CCACHE_PREFIX")) {
                host.get(name).ifPresent(v -> command(v, host.home(), Use.RUNS, "named by " + name));
            }
            for (String name : List.of("R_PROFILE_USER", "R_PROFILE", "SCREENRC", "OPENSSL_CONF", "GOENV")) {
                host.get(name).ifPresent(v -> entries(v, "\\n", false, "named by " + name));
            }
            host.get("LUA_INIT").filter(v -> v.startsWith("@")).ifPresent(v -> entries(v.substring(1), "\\n", false,
                    "named by LUA_INIT"));
            // options that load code into the JVM, node, ruby and perl (a Java agent, a module required first): every
            // path among their words; JAVA_TOOL_OPTIONS's agent would run in aws-sandbox's own next JVM
            for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "NODE_OPTIONS", "RUBYOPT",
                    "PERL5OPT", "MAVEN_OPTS", "MAVEN_ARGS", "npm_config_node_options", "NPM_CONFIG_NODE_OPTIONS", "GOFLAGS",
                    "GRADLE_OPTS", "JAVA_OPTS", "SBT_OPTS", "ANT_OPTS", "JAVA_OPTIONS")) {
                host.get(name).ifPresent(v -> optionPaths(v, "named by " + name, 0));
            }
            for (String name : List.of("LD_PRELOAD", "PYTHONSTARTUP", "MAKEFILES", "PSQLRC")) {
                // MAKEFILES: the makefiles GNU make reads before every makefile, whose $(shell …) runs (round 59, F12)
                host.get(name).ifPresent(v -> entries(v, name.equals("LD_PRELOAD") ? "[:\\s]" : name.equals("MAKEFILES")
                        ? "\\s+" : "\\n", false, "named by " + name));
            }
            // red team, round 24, F1: bash expands parameters (and runs command substitutions) in BASH_ENV, sh in
            // ENV: BASH_ENV='$HOME/proj/env.sh' runs ~/proj/env.sh. Read as a command's word: expanded from the
            // environment, failing closed on what cannot be known
            for (String name : List.of("BASH_ENV", "ENV")) {
                host.get(name).ifPresent(v -> {
                    if (v.indexOf('$') < 0 && v.indexOf('`') < 0) {
                        entries(v, "\\n", false, "named by " + name);
                    } else {
                        command("'" + v.replace("'", "'\\''") + "'", host.home(), Use.RUNS, "named by " + name);
                    }
                });
            }
        }

        /** The credential stores the environment's variables name ({@link CredentialVariables}), withheld as keys. */
        void movedCredentials() {
            for (CredentialVariables.Store store : CredentialVariables.of(host, this::holdsSecretEntry)) {
                path(store.path(), host.home(), host.workingDirectory(), store.container(), Use.KEY, store.why());
            }
        }

        /** Whether a settings file has a secret's entry; unreadable or too large: taken to (read fails closed). */
        private boolean holdsSecretEntry(Path file) {
            return read(file, "a credential store").map(CredentialVariables::hasSecretEntry).orElse(true);
        }

        /** The variables {@link #otherProgramsCommands} reads as commands. */
        private static final List<String> OTHER_PROGRAMS_COMMANDS = List.of("LESSOPEN", "LESSCLOSE", "MANPAGER",
                "SUDO_ASKPASS", "BROWSER", "SUDO_EDITOR", "FCEDIT", "SYSTEMD_PAGER", "TERMINAL", "PROMPT_COMMAND",
                // round 51, F4: kubectl's editor, the C compilers builds run; round 59, F12: rsync's remote shell, fzf's
                // commands
                "KUBE_EDITOR", "CC", "CXX", "RSYNC_RSH", "FZF_DEFAULT_COMMAND", "FZF_CTRL_T_COMMAND", "FZF_ALT_C_COMMAND",
                // round 61, F12; round 62, F2
                "SVN_EDITOR", "KUBECTL_EXTERNAL_DIFF", "npm_config_script_shell", "NPM_CONFIG_SCRIPT_SHELL", "PSQL_EDITOR",
                "PSQL_PAGER",
                // the ssh commands of borg, Subversion, rclone's sftp and darcs: code that runs later, and the keys their
                // 'ssh -i KEY' hands ssh (red team of the credential variables (2026-12-05, night), F10)
                "BORG_RSH", "SVN_SSH", "RCLONE_SFTP_SSH", "DARCS_SSH",
                // CVS's remote shell (outside attack RT8-1's class: another program's ssh)
                "CVS_RSH",
                // the editor Debian's sensible-editor runs, which ~/.selected_editor sets (outside test RT32, F8)
                "SELECTED_EDITOR");

        /**
         * The commands other programs take from the environment and run later, outside any sandbox (red team, round 46,
         * F13: the script {@code LESSOPEN} names was rewritten, and the next {@code less} ran it): less's input
         * preprocessor and postprocessor, man's pager, the browsers programs open, sudo's askpass program, and the files
         * vim's and ex's start-up commands source. Read as command strings, their words with a {@code /} kept.
         */
        void otherProgramsCommands() {
            for (String name : List.of("LESSKEYIN", "LESSKEY")) { // a lesskey source's #env sets LESSOPEN (round 47, F5)
                host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> path(v, host.home(), host.workingDirectory(), false,
                        Use.RUNS, "named by " + name));
            }
            host.get("LESS").ifPresent(v -> {
                java.util.regex.Matcher m = LESSKEY_OPTION.matcher(v);
                while (m.find()) {
                    path(m.group(1), host.home(), host.workingDirectory(), false, Use.RUNS, "named by LESS");
                }
            });
            // Ansible's options for its ssh: an '-i KEY' there is a key ssh is handed (red team of the credential variables,
            // 2026-12-05, night, F10)
            // (outside attack RT8-1: Nix's options for its ssh, of nix copy and nixos-rebuild; pdsh's)
            for (String name : List.of("ANSIBLE_SSH_ARGS", "ANSIBLE_SSH_EXTRA_ARGS", "ANSIBLE_SCP_EXTRA_ARGS",
                    "ANSIBLE_SFTP_EXTRA_ARGS", "NIX_SSHOPTS", "PDSH_SSH_ARGS", "PDSH_SSH_ARGS_APPEND",
                    "GIT_ANNEX_SSH_OPTIONS")) {
                host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> command("ssh " + v, host.home(), Use.RUNS,
                        "named by " + name));
            }
            host.get("MANOPT").ifPresent(v -> { // man's '-P pager' (round 47, F13)
                java.util.regex.Matcher m = MAN_PAGER_OPTION.matcher(v);
                while (m.find()) {
                    command(m.group(1), host.home(), Use.RUNS, "named by MANOPT");
                }
            });
            host.get("VIMRUNTIME").filter(v -> !v.isBlank()).ifPresent(v -> path(v, host.home(), host.workingDirectory(),
                    true, Use.RUNS, "named by VIMRUNTIME")); // round 47, F6: vim loads its runtime scripts there
            for (String name : OTHER_PROGRAMS_COMMANDS) {
                host.get(name).filter(v -> !v.isBlank()).ifPresent(v -> {
                    // LESSOPEN='|/usr/bin/lesspipe %s' ('||', '|-' too); BROWSER is a list of commands
                    for (String command : name.equals("BROWSER") ? v.split(":") : new String[] {v}) {
                        // (the file less is given is any file: not one of the working directory's, which a name in
                        // its place had made one: outside test RT59, L2)
                        String plain = command.replaceFirst("^\\|+-?", "").replace("%s", "/dev/null");
                        if (!plain.isBlank()) {
                            command(plain, host.home(), Use.RUNS, "named by " + name);
                        }
                    }
                });
            }
            // $VIM/vimrc is vim's system vimrc, $VIM/vimfiles on its runtimepath (red team, round 61, F2)
            host.get("VIM").filter(v -> !v.isBlank()).ifPresent(v -> path(v, host.home(), host.workingDirectory(),
                    true, Use.RUNS, "named by VIM"));
            for (String name : List.of("VIMINIT", "EXINIT", "GVIMINIT", "MYVIMRC")) {
                host.get(name).ifPresent(v -> {
                    // Ex commands: every path in them (':source ~/x.vim | set nu'), a directory whole ('set rtp^=~/p',
                    // "let &rtp = '~/p,' . &rtp": its plugin/*.vim load, round 61, F2)
                    for (String word : ShellStartupText.EX_PATH_SEPARATORS.split(v)) {
                        if (word.startsWith("/") || word.startsWith("~/") || word.startsWith("$HOME/")) {
                            // a directory whole, also before it exists, as an Ex command's path in an alias is
                            // (readWords); a file there is the file
                            Path named = Path.of(word.replaceFirst("^(~|\\$HOME)/", host.home() + "/"));
                            path(word, host.home(), host.workingDirectory(), !Files.isRegularFile(named), Use.RUNS,
                                    "named by " + name);
                        }
                    }
                });
            }
        }

        /**
         * Every path among an options variable's words, quotes taken off ({@code -javaagent:"/x/a.jar"}: round 49, F3),
         * and those in a Java argument file it names ({@code @/x/args}), one level deep.
         */
        private void optionPaths(String value, String why, int depth) {
            // a quoted path whole, spaces and all ('-javaagent:"/h/my proj/a.jar"': round 50, F15), else up to a blank
            java.util.regex.Matcher m = OPTION_PATH.matcher(value);
            while (m.find()) {
                String named = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                Path path = named.startsWith("~/") ? host.home().resolve(named.substring(2)) : Path.of(named);
                FileFacts.Kind kind = FileFacts.lstatKind(path);
                add(path, kind == FileFacts.Kind.DIRECTORY, Use.RUNS, why);
                String before = value.substring(0, m.start()).concat(value.substring(m.start(), m.start() + 1));
                boolean optionsFile = before.endsWith("@") || before.endsWith("@\"") || before.endsWith("@'")
                        || OPTIONS_FILE.matcher(value.substring(0, Math.min(value.length(), m.start() + 1))).find();
                if (depth == 0 && optionsFile && kind == FileFacts.Kind.REGULAR) {
                    // a Java argument file (@FILE), -XX:VMOptionsFile=FILE, -XX:Flags=FILE (round 50, F6)
                    read(path, "the options file").ifPresent(text -> optionPaths(text, why + " (in " + path + ")", 1));
                }
            }
        }

        private static final java.util.regex.Pattern OPTIONS_FILE = java.util.regex.Pattern.compile(
                "(?:@|-XX:VMOptionsFile=|-XX:Flags=)[\"']?$");

        private void entries(String value, String separator, boolean container, String why) {
            if (value.isEmpty()) {
                return; // unset, in effect
            }
            for (String entry : value.split(separator, -1)) {
                if (entry.startsWith("/") || entry.startsWith("~/")) {
                    // not normalised: a ".." after a link is the link target's parent (round 24, F15)
                    add(entry.startsWith("~/") ? host.home().resolve(entry.substring(2)) : Path.of(entry), container,
                            Use.RUNS, why);
                } else if (container || entry.indexOf('/') >= 0 || !separator.startsWith("[")) {
                    // relative or empty: where the later program runs (round 27, F4); a separator of [:\s] is
                    // LD_PRELOAD's, whose bare names are found on the library path
                    if (!entry.isEmpty() || container) {
                        add(host.workingDirectory().resolve(entry), container, Use.RUNS, why + " (a relative entry: the"
                                + " directory the program runs in)");
                    }
                }
            }
        }

        /**
         * {@code ~/.aws/cli/alias} (red team, round 23, F3): the AWS CLI runs an alias whose value starts
         * with {@code !} with the shell at the next {@code aws}, and an alias may take a built-in
         * command's name. Its words with a {@code /} are named as a {@code credential_process}'s.
         */
        void awsAliases() {
            Path file = host.home().resolve(".aws/cli/alias");
            Optional<String> text = read(file, "the AWS CLI alias file");
            if (text.isEmpty()) {
                return;
            }
            List<AwsIni.Option> options = AwsIni.parse(text.get());
            // the aliases that run the shell, directly or through aliases of aws's own words ('bk = u *', 'u = t',
            // 't = !f() { tar czf b.tgz $@; }; f'): a pattern handed to one may expand into names a command chose (red
            // team, round 42, F6)
            Set<String> shell = new java.util.HashSet<>();
            for (boolean grew = true; grew; ) {
                grew = false;
                for (AwsIni.Option option : options) {
                    String value = option.value().strip();
                    List<String> words = unquotedWords(value);
                    // any word, not only the first: aws's global options may come before the alias's name ('bk =
                    // --region us-east-1 t *': red team, round 43, F5)
                    if (!shell.contains(option.key()) && (value.startsWith("!") || words.stream().anyMatch(shell::contains))) {
                        grew = shell.add(option.key());
                    }
                }
            }
            for (AwsIni.Option option : options) {
                String value = option.value().strip();
                String why = "named by alias " + option.key() + " in " + file;
                List<String> words = unquotedWords(value);
                if (!value.startsWith("!") && CommandWords.writesAwsConfig(String.join(" ", words))) {
                    // 'x = configure add-model --service-model file://m.json': the host's aws writes its config or
                    // models from what the command planted (red team, round 44, F15)
                    failClosed("the alias " + option.key() + " in " + file + " runs aws configure, which writes the AWS"
                            + " config or models the host's aws reads later");
                }
                Optional<String> reached = words.stream().filter(shell::contains).findFirst();
                if (!value.startsWith("!") && reached.isPresent() && words.stream().anyMatch(w -> w.indexOf('*') >= 0
                        || w.indexOf('?') >= 0 || w.indexOf('[') >= 0)) {
                    failClosed("the alias " + option.key() + " in " + file + " hands the alias " + reached.get()
                            + ", which runs the shell, a pattern it may expand into file names a command chose");
                }
                if (value.startsWith("!")) {
                    command(value.substring(1), host.home(), Use.RUNS, why);
                } else {
                    // an alias of aws's own words: the CA bundle it trusts (red team, round 40, F7: 's3 ls --ca-bundle
                    // ca.pem', a CA the command planted in the working directory)
                    caBundles(CommandWords.of(value, host.variables(), host.home(), host.workingDirectory()).words(), why);
                }
            }
        }

        /** An alias value's words split at blanks with their quotes removed ({@code p"a"ck} is {@code pack}), and its pieces. */
        private static List<String> unquotedWords(String value) {
            List<String> words = new java.util.ArrayList<>(GitConfig.words(value));
            for (String word : value.split("\\s+")) {
                words.add(word.replace("\"", "").replace("'", "").replace("\\", ""));
            }
            return words;
        }

        /** The files {@code --ca-bundle} names among {@code words}: trusted where aws runs (and the home). */
        private void caBundles(List<String> words, String why) {
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                String bundle = w.equals("--ca-bundle") && i + 1 < words.size() ? words.get(i + 1)
                        : w.startsWith("--ca-bundle=") ? w.substring("--ca-bundle=".length()) : null;
                if (bundle != null && !bundle.isEmpty()) {
                    path(bundle, host.home(), host.workingDirectory(), false, Use.TRUSTS, why + " (--ca-bundle)");
                }
            }
        }

        /** An ssh config; relative includes against {@code base} ({@code ~/.ssh}, {@code /etc/ssh}). */
        void ssh(Path file, Path home, Path base, int depth) {
            if (depth > MAX_DEPTH || seen.size() >= MAX_FILES) {
                failClosedUnread("the ssh config " + file + " is included more than " + MAX_DEPTH + " levels deep or past "
                        + MAX_FILES + " files");
                return;
            }
            if (!seen.add(file)) {
                return;
            }
            Optional<String> text = read(file, "the ssh config");
            if (text.isEmpty()) {
                return;
            }
            for (String line : text.get().lines().toList()) {
                List<String> words = sshWords(line);
                if (words.isEmpty()) {
                    continue;
                }
                String keyword = words.getFirst().toLowerCase(Locale.ROOT);
                List<String> args = words.subList(1, words.size());
                String why = "named by " + words.getFirst() + " in " + file;
                switch (keyword) {
                    case "include" -> {
                        for (String arg : args) {
                            include(arg, home, base, depth, why);
                        }
                    }
                    case "proxycommand", "knownhostscommand", "localcommand" -> {
                        // ssh runs the rest of the line as written, quotes and all, with the shell (round 24,
                        // F14: "/h/My Proj/tool.sh" was split at the space); the unquoted words as well
                        command(restOfLine(line), home, Use.RUNS, why);
                        command(String.join(" ", args), home, Use.RUNS, why);
                    }
                    case "match" -> {
                        for (int i = 0; i + 1 < args.size(); i++) {
                            if (args.get(i).equalsIgnoreCase("exec")) {
                                command(args.get(i + 1), home, Use.RUNS, why + " (exec)");
                            }
                        }
                    }
                    case "xauthlocation", "pkcs11provider", "securitykeyprovider" -> args.stream().limit(1).forEach(a -> {
                        path(a, home, base, false, Use.RUNS, why);
                        if (a.startsWith("~")) {
                            // OpenSSH does not expand '~' in these: it loads ./~/… where it runs (outside test RT32, F12)
                            add(host.workingDirectory().resolve(a).normalize(), false, Use.RUNS, why
                                    + " (ssh does not expand ~ in it: a path where ssh runs)");
                        }
                        if (!a.startsWith("/") && !a.startsWith("~") && a.indexOf('$') < 0 && !a.startsWith("%")) {
                            // ssh loads a relative library where it runs (red team, round 39, F15: ./token.so)
                            path(a, home, host.workingDirectory(), false, Use.RUNS, why + " (relative: where ssh runs)");
                        }
                    });
                    case "userknownhostsfile", "globalknownhostsfile", "revokedhostkeys" ->
                            args.forEach(a -> path(a, home, base, false, Use.TRUSTS, why));
                    case "identityfile", "certificatefile" -> args.stream().limit(1).forEach(a -> {
                        path(a, home, base, false, Use.KEY, why);
                        if (!a.startsWith("/") && !a.startsWith("~") && a.indexOf('$') < 0 && !a.startsWith("%")) {
                            // ssh opens a relative one where it runs (red team, round 45k, F5: IdentityFile ./key)
                            path(a, home, host.workingDirectory(), false, Use.KEY, why + " (relative: where ssh runs)");
                        }
                    });
                    default -> { }
                }
            }
        }

        private void include(String arg, Path home, Path base, int depth, String why) {
            Optional<Path> expanded = expand(arg, home, base);
            if (expanded.isEmpty()) {
                return;
            }
            Path pattern = expanded.get();
            Path parent = pattern.getParent();
            String last = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
            if (parent == null || isPattern(parent.toString())) {
                // a glob or token before the last name: its fixed directory, whole; what it includes is unknown
                path(arg, home, base, true, Use.RUNS, why);
                failClosedUnread("the ssh config includes " + arg + " (" + why + "), a pattern this does not follow");
                return;
            }
            if (!isPattern(last)) {
                add(pattern, false, Use.RUNS, why);
                ssh(pattern, home, base, depth + 1);
                return;
            }
            add(parent, true, Use.RUNS, why + " (" + last + ")"); // a glob: its directory, whole (a new match is included)
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(parent, last)) {
                int n = 0;
                for (Path match : matches) {
                    if (++n > MAX_FILES) {
                        failClosedUnread(parent + " holds more than " + MAX_FILES + " files matching " + last);
                        return;
                    }
                    ssh(match, home, base, depth + 1);
                }
            } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
                // nothing included
            } catch (IOException | RuntimeException e) {
                failClosedUnread("the ssh config's include " + arg + " cannot be listed (" + e.getMessage() + ")");
            }
        }

        /**
         * The words of a command with a {@code /}, as paths (a bare word: a program on PATH, or an argument):
         * read as the shell reads it and over-inclusively ({@link CommandWords}, red team, round 24, F14, F1,
         * F2); what it runs that cannot be known (an unset variable or a command substitution where a path is
         * decided) fails closed.
         */
        private void command(String value, Path home, Use use, String why) {
            CommandWords.Reading reading = CommandWords.of(value, host.variables(), host.home(), host.workingDirectory());
            for (String unknown : reading.unknown()) {
                failClosed("the command " + value + " (" + why + ") runs a path that cannot be known here: " + unknown);
            }
            commandWords(reading.words(), home, use, why);
            caBundles(reading.words(), why);
            // red team, round 26, F1: 'sh x.sh' runs x.sh from wherever the later program runs: named there whether
            // or not it exists (a glob: its directory, whole); so are the directories whose files run
            for (String script : reading.scripts()) {
                relative("./" + script, home, false, why + " (a script it runs)");
            }
            for (String directory : reading.directories()) {
                // a relative one against the working directory only: against the home it would hold every project
                String word = directory.startsWith("/") || directory.startsWith("~") ? directory : "./" + directory;
                path(word, home, host.workingDirectory(), true, Use.RUNS, why + " (a directory whose files it runs)");
            }
            for (String config : reading.configs()) {
                sshConfig(config, home, why); // ssh -F cfg: what that config runs (round 28, F1)
            }
            keys(reading, why);
            for (String argument : reading.arguments()) { // another word: a file it may read, where one exists
                for (Path base : List.of(home, host.workingDirectory())) {
                    Path candidate = base.resolve(argument);
                    if (firstPatternCharacter(argument) < 0 && FileFacts.lstatKind(candidate) != FileFacts.Kind.ABSENT) {
                        add(candidate, false, use, why);
                    }
                }
            }
        }

        /** The secret files a command string hands a program ({@code ssh -i KEY}): where it runs, or as written. */
        private void keys(CommandWords.Reading reading, String why) {
            for (String key : reading.keys()) {
                key(key, host.workingDirectory(), why + " (a key or secret it hands a program)");
            }
        }

        /**
         * A key as written, relative ones against {@code base}. One whose path the program computes ({@code ssh -i
         * "$(git rev-parse --show-toplevel)/key"}, {@code $GIT_PREFIX/key}, {@code ~+/key}) is taken to lie where the
         * program runs: the working directory is withheld, and the fixed directory before the unknown part, if any
         * (red team, round 45k, F7: such a key was kept read-only, not withheld).
         */
        private void key(String word, Path base, String why) {
            String expanded = expandVariables(word);
            if (expanded.indexOf('$') < 0 && expanded.indexOf('`') < 0 && !expanded.startsWith("~+")
                    && !expanded.startsWith("~-") && !expanded.startsWith(GitConfig.RUNTIME_PREFIX)) {
                path(expanded, host.home(), base, false, Use.KEY, why);
                return;
            }
            String unknowable = why + ": the key " + word + ", whose path cannot be known here, is taken to lie where the"
                    + " program runs";
            add(host.workingDirectory(), true, Use.KEY, unknowable);
            int cut = java.util.stream.IntStream.of(expanded.indexOf('$'), expanded.indexOf('`'))
                    .filter(i -> i >= 0).min().orElse(0);
            int slash = expanded.lastIndexOf('/', cut);
            if (slash > 0 && (expanded.startsWith("/") || expanded.startsWith("~/"))) {
                path(expanded.substring(0, slash), host.home(), base, true, Use.KEY, unknowable);
            }
        }

        /**
         * The secrets git sends or hands a program (red team, round 44, F12-F14), which no command is given, as an
         * ssh config's {@code IdentityFile}: {@code http.sslKey}, {@code sslCert}, {@code cookieFile} (and their
         * {@code http.<url>} and proxy forms), and the keys its command strings name ({@code core.sshCommand = ssh -i
         * KEY}, {@code credential.helper = store --file F}, an alias) — in the global and system configs, the
         * working directory's repository, what they include, and git's environment ({@code GIT_SSH_COMMAND},
         * {@code GIT_SSL_KEY}, {@code GIT_CONFIG_PARAMETERS}). What they run is {@link GitConfig}'s. A relative
         * path is taken where git runs.
         */
        void git() {
            Set<Path> read = new java.util.HashSet<>();
            List<Path> files = new ArrayList<>(GitConfig.globalFiles(host.variables(), host.home(), host.workingDirectory()));
            GitMetadata.repositoryAround(host.workingDirectory()).ifPresent(found -> files.addAll(found.everyConfig()));
            for (Path file : files) {
                gitFile(file, 0, read);
            }
            try {
                gitEntries(GitConfig.environment(host.variables()), host.workingDirectory(), "in git's environment", 0, read);
            } catch (GitConfig.Unparseable e) {
                // git refuses to run with it: it sends nothing
            }
        }

        /** The shells' start-up files in the home, which a new shell runs (fish's below its config directory). */
        private static final List<String> STARTUP_FILES = List.of(
                // the login shells' files first, as a login shell reads them: what .profile exports, the .bashrc it
                // sources sees (round 50, F3)
                ".profile", ".bash_profile", ".bash_login", ".zshenv", ".zprofile", ".bashrc",
                ".bash_aliases", ".bash_logout", ".zshrc", ".zlogin", ".zlogout", ".kshrc", ".mkshrc",
                ".cshrc", ".tcshrc", ".login", ".logout",
                // red team, round 48, F5 and F7: Maven's bin/mvn sources ~/.mavenrc at every build (the launcher's rebuild
                // too); the X session sources ~/.xprofile, ~/.xsessionrc and ~/.xsession at every graphical login
                ".mavenrc", ".xprofile", ".xsessionrc", ".xsession",
                // round 49, F15: bash-completion sources ~/.bash_completion, startx runs ~/.xinitrc
                ".bash_completion", ".xinitrc",
                // outside test RT32, F8, F9: Debian's Xsession runs ~/.Xsession where no ~/.xsession is, xinit ~/.xserverrc,
                // im-config's hook sources ~/.xinputrc, Red Hat's xinitrc ~/.Xclients, a VNC server ~/.vnc/xstartup, the
                // GNOME session ~/.gnomerc; sensible-editor (crontab -e, …) sources ~/.selected_editor, xdg-user-dir
                // ~/.config/user-dirs.dirs, Ant's launcher ~/.antrc and ~/.ant/ant.conf: each with sh
                ".Xsession", ".xserverrc", ".xinputrc", ".Xclients", ".vnc/xstartup", ".gnomerc", ".selected_editor",
                ".antrc", ".ant/ant.conf",
                // outside test RT34, F7: TigerVNC's new place, openbox's, fluxbox's and icewm's session scripts
                ".config/tigervnc/xstartup", ".config/openbox/autostart", ".config/openbox/environment", ".fluxbox/startup",
                ".icewm/startup", ".icewm/env");


        /**
         * The code the shells' start-up files name ({@link ShellStartupText}): what they source ({@code [ -f
         * ~/dotfiles/aliases.sh ] && . ~/dotfiles/aliases.sh}, followed {@value #MAX_DEPTH} levels; a glob's directory
         * whole), the scripts they name anywhere else (an alias, a function, {@code eval}, {@code trap}), the
         * directories they put on {@code PATH}, and the directory {@code ZDOTDIR} names in {@code ~/.zshenv}: code a
         * new shell runs (red team, round 45, F2; round 46, F1 and F2). What a start-up file computes is not known here.
         */
        void shellStartup() {
            // read again while the files give variables values not known before: each file is then read with every
            // value any of them gives a variable (everyValue), whatever the order they run in (red team, round 58,
            // F1-F5); a chain of copies through files needs one reading a link
            java.util.Map<String, String> variables = startupEnvironment();
            // At most MOST_READINGS: a value built from itself through another variable (bash-preexec's, nvm's and
            // SDKMAN's strings) grows at every reading and never settles; failing closed there had made every working
            // directory read-only for their users (red team, round 59, FP5-FP7). A chain of copies through files
            // longer than that is not followed (docs/security.md).
            for (int reading = 0; reading < MOST_READINGS; reading++) {
                int known = valuesKnown();
                boolean folded = caseFolded;
                int searched = runDirectories.size();
                variables = startupEnvironment();
                startupFilesOnce(variables);
                // and again once case folding is turned on: a file read before the one that turns it on (a function in
                // .zshenv that .zshrc runs after 'setopt nocaseglob') is matched in any case too (red team, round 65, F8);
                // and once a search path is longer: a name run before the file that puts its directory there is found
                if (valuesKnown() == known && caseFolded == folded && runDirectories.size() == searched) {
                    break;
                }
            }
            startupVariables = variables;
            // readline's init file, and what it $includes: a key binding there types commands into every interactive
            // bash (round 51, F2); read also where INPUTRC moves it (codeLoading): a shell without INPUTRC reads this one
            inputrc(host.home().resolve(".inputrc"), 0);
            pythonUserSite();
        }

        /**
         * The environment the start-up files are read in: the host's, with {@code $PWD} the working directory, where a
         * shell's start-up file's {@code $PWD} is taken as a command string's is (where the later shell starts is a guess;
         * the environment's own had been this JVM's, which an MCP server's commands do not run in).
         */
        private java.util.Map<String, String> startupEnvironment() {
            java.util.Map<String, String> variables = new java.util.HashMap<>(host.variables());
            variables.put("PWD", host.workingDirectory().toString());
            return variables;
        }

        /** How many times the start-up files are read at most (see {@link #shellStartup}). */
        private static final int MOST_READINGS = 8;

        /** The most values the start-up files may give one variable: more, and the reader fails closed. */
        private static final int MOST_VALUES = 1024;

        /** Every value the start-up files read so far give a variable, and every word their loops give one. */
        private final java.util.Map<String, Set<String>> everyValue = new java.util.HashMap<>();

        /** {@link #everyValue} as it is now, unchangeable; made again only after it changed. */
        private java.util.Map<String, Set<String>> everyValueNow() {
            if (everyValueNow == null) {
                java.util.Map<String, Set<String>> now = new java.util.HashMap<>();
                everyValue.forEach((name, values) -> now.put(name, Frozen.set(values)));
                everyValueNow = Frozen.map(now);
            }
            return everyValueNow;
        }

        private java.util.Map<String, Set<String>> everyValueNow;

        private int valuesKnown() {
            return everyValue.values().stream().mapToInt(Set::size).sum();
        }

        /** What a reading gives variables, into {@link #everyValue}: values known whole (no '$' or '`' left). */
        private void learnValues(Path file, ShellStartupText.Reading reading) {
            for (java.util.Map.Entry<String, String> assigned : reading.assigned()) {
                String value = assigned.getValue();
                // nor a line of code or a string built up (bash-preexec's, nvm's, SDKMAN's grew at every reading)
                if (value.indexOf('$') >= 0 || value.indexOf('`') >= 0 || value.indexOf(';') >= 0 || value.indexOf('\n') >= 0
                        || value.length() > MOST_LEARNED_CHARS && !pathList(value) || !mayNameAPath(value)) {
                    continue;
                }
                Set<String> values = everyValue.computeIfAbsent(assigned.getKey(), k -> new java.util.LinkedHashSet<>());
                if (values.size() >= MOST_VALUES) {
                    failClosed("the shell start-up file " + file + " gives " + assigned.getKey() + " more than " + MOST_VALUES
                            + " values");
                    return;
                }
                if (values.add(value)) {
                    everyValueNow = null;
                }
            }
        }

        /**
         * Whether a value can be a path or a part of one where another file uses it ({@code ~/p}, {@code $HOME/$d}): one
         * with a {@code /} or {@code ~}, or words none of which is an option (a list of names a loop elsewhere makes paths
         * of). A completion script's option lists ({@code COMPREPLY=(--help --version)}) are not: several such scripts had
         * given COMPREPLY more values than the bound, which failed every plan closed (red team, round 59, FP2).
         */
        private static boolean mayNameAPath(String value) {
            // a list of names: 'WORK_PROJECTS="api web"' (red team, round 60, F3)
            return value.indexOf('/') >= 0 || value.indexOf('~') >= 0
                    || !value.isBlank() && java.util.Arrays.stream(value.strip().split("\\s+")).noneMatch(w -> w.startsWith("-"));
        }

        /**
         * Whether a value longer than {@link #MOST_LEARNED_CHARS} is a search path's list, given to the other files all
         * the same: up to 16 KiB of directories, each after a ':' or a blank (a 40-directory toolchain list set in a
         * sourced file and put on PATH in another: red team, round 60, F2).
         */
        private static boolean pathList(String value) {
            return value.length() <= 16 * 1024 && java.util.Arrays.stream(value.strip().split("[:\\s]+"))
                    .allMatch(piece -> piece.startsWith("/") || piece.startsWith("~"));
        }

        /** The longest value other files are given (see {@link #mayNameAPath}). */
        private static final int MOST_LEARNED_CHARS = 1024;

        /** Every start-up file the shells read, once (see {@link #shellStartup}). */
        private void startupFilesOnce(java.util.Map<String, String> variables) {
            Set<Path> read = new java.util.HashSet<>();
            for (String name : STARTUP_FILES) {
                if (SH_READS.contains(name)) { // .profile also by bash, when no .bash_profile is there
                    sourcedBySh(host.home().resolve(name), 0, read, variables);
                } else {
                    sourcedBy(host.home().resolve(name), 0, read, variables);
                }
            }
            // zsh reads $ZDOTDIR's start-up files when the environment sets it (red team, round 47, F3)
            host.get("ZDOTDIR").filter(v -> v.startsWith("/")).map(Path::of).ifPresent(dir -> {
                for (String name : List.of(".zshenv", ".zshrc", ".zprofile", ".zlogin", ".zlogout")) {
                    sourcedBy(dir.resolve(name), 0, read, variables);
                }
            });
            String xdg = host.variables().get("XDG_CONFIG_HOME");
            Path config = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : host.home().resolve(".config");
            sourcedBy(config.resolve("fish/config.fish"), 0, read, variables);
            // fish runs every conf.d/*.fish before config.fish (red team, round 48, F7): the directory whole, so that
            // none can be added, and what each sources
            everyFileIn(config.resolve("fish/conf.d"), ".fish", "fish's conf.d", "whose files every fish runs",
                    file -> sourcedBy(file, 1, read, variables));
            // xdg-user-dir sources the user-dirs.dirs of XDG_CONFIG_HOME (outside test RT32, F8); Plasma sources every
            // env/*.sh of its workspace at login: the directory whole, as fish's conf.d
            sourcedBySh(config.resolve("user-dirs.dirs"), 0, read, variables);
            everyFileIn(config.resolve("plasma-workspace/env"), ".sh", "Plasma's env directory", "whose scripts every"
                    + " Plasma login sources", file -> sourcedBySh(file, 1, read, variables));
            // and those it runs at logout, KDE's autostart scripts, an older Plasma's env (outside test RT34, F7)
            everyFileIn(config.resolve("plasma-workspace/shutdown"), ".sh", "Plasma's shutdown directory", "whose scripts"
                    + " every Plasma logout runs", file -> sourcedBySh(file, 1, read, variables));
            everyFileIn(config.resolve("autostart-scripts"), "", "KDE's autostart-scripts", "whose scripts every Plasma"
                    + " login runs", file -> sourcedBySh(file, 1, read, variables));
            everyFileIn(host.home().resolve(".kde/env"), ".sh", "KDE's env directory", "whose scripts every KDE login"
                    + " sources", file -> sourcedBySh(file, 1, read, variables));
            // sshd runs ~/.ssh/rc with sh at every login, and a key's command="…" in authorized_keys at every login with
            // that key (red team, round 51, F13)
            sourcedBySh(host.home().resolve(".ssh/rc"), 0, read, variables);
            // the files BASH_ENV and ENV name, which every bash script (every interactive sh) sources, as start-up files:
            // what they source is code too (red team, round 58, F16), wherever they are set
            for (String name : List.of("BASH_ENV", "ENV")) {
                Set<String> values = new java.util.LinkedHashSet<>(everyValue.getOrDefault(name, Set.of()));
                host.get(name).ifPresent(values::add);
                java.util.Optional.ofNullable(variables.get(name)).ifPresent(values::add);
                for (String value : values) {
                    if (withVariables(value).indexOf('$') >= 0 || value.indexOf('`') >= 0) {
                        // sh expands ENV, and bash BASH_ENV, before reading the file: a part only they know
                        // ('ENV=/w/pro$(echo j)/shrc') names a file not known here (outside test RT31, F5)
                        failClosedUnread(name + " names " + value + ", a file whose path the shell computes");
                        continue;
                    }
                    if (value.startsWith("/")) {
                        if (name.equals("ENV")) {
                            sourcedBySh(Path.of(value), 1, read, variables);
                        } else {
                            sourcedBy(Path.of(value), 1, read, variables);
                        }
                    }
                }
            }
            authorizedKeysCommands(host.home().resolve(".ssh/authorized_keys"));
            authorizedKeysCommands(host.home().resolve(".ssh/authorized_keys2")); // sshd's default reads both
        }

        /**
         * A directory whose every file with {@code suffix} a shell runs (fish's {@code conf.d}, Plasma's {@code env}):
         * kept whole, so that none can be added, and each file read by {@code reader}. One a command could create where
         * the directory links to is not kept (docs/security.md).
         */
        private void everyFileIn(Path directory, String suffix, String name, String what,
                                 java.util.function.Consumer<Path> reader) {
            if (!Files.isDirectory(directory)) {
                return;
            }
            add(directory, true, Use.RUNS, name + ", " + what);
            try (java.util.stream.Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().limit(MAX_FILES)
                        .toList()) {
                    reader.accept(file);
                }
            } catch (IOException | RuntimeException e) {
                failClosedUnread(name + " " + directory + " cannot be listed (" + e.getMessage() + ")");
            }
        }

        /** The {@code command="…"} options of {@code ~/.ssh/authorized_keys}: commands sshd runs at a login with that key. */
        private void authorizedKeysCommands(Path file) {
            Optional<String> text = read(file, "ssh's authorized_keys");
            if (text.isEmpty()) {
                return;
            }
            java.util.regex.Matcher m = AUTHORIZED_COMMAND.matcher(text.get());
            while (m.find()) {
                command(m.group(1).replace("\\\"", "\""), host.home(), Use.RUNS, "a command= of " + file
                        + ", which sshd runs at a login with that key");
            }
        }

        private static final java.util.regex.Pattern AUTHORIZED_COMMAND = java.util.regex.Pattern.compile(
                "(?:^|[\\s,])command=\"((?:[^\"\\\\]|\\\\.)*)\"",
                java.util.regex.Pattern.MULTILINE | java.util.regex.Pattern.CASE_INSENSITIVE); // sshd ignores the case

        /**
         * A key binding to a macro: {@code "KEYS": "TEXT"} or {@code 'TEXT'} (group 1 or 2 is TEXT, as written), at a
         * line's start; what follows the closing quote is ignored, as readline ignores it (round 59, F10; round 60, F13).
         */
        private static final java.util.regex.Pattern MACRO = java.util.regex.Pattern.compile(
                "\\s*(?:\"(?:[^\"\\\\]|\\\\.)*+\"|[^\\s:\"]++)\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*+)\"|'((?:[^'\\\\]|\\\\.)*+)')");

        /**
         * A macro's text as readline types it: {@code \\n}, {@code \\r}, {@code \\C-m} and {@code \\C-j} end a line; octal
         * {@code \\NNN} and hexadecimal {@code \\xHH} are their characters; other control keys a blank.
         */
        static String macroText(String written) {
            StringBuilder out = new StringBuilder(written.length());
            for (int i = 0; i < written.length(); i++) {
                char c = written.charAt(i);
                if (c != '\\' || i + 1 == written.length()) {
                    out.append(c);
                    continue;
                }
                char e = written.charAt(++i);
                if (e == 'n' || e == 'r') {
                    out.append('\n');
                } else if ((e == 'C' || e == 'M') && i + 2 < written.length() && written.charAt(i + 1) == '-') {
                    char key = written.charAt(i + 2);
                    out.append(e == 'C' && (key == 'm' || key == 'j' || key == 'M' || key == 'J') ? '\n' : ' ');
                    i += 2;
                } else if (e >= '0' && e <= '7') {
                    int end = i;
                    while (end < written.length() && end < i + 3 && written.charAt(end) >= '0' && written.charAt(end) <= '7') {
                        end++;
                    }
                    out.append((char) Integer.parseInt(written.substring(i, end), 8));
                    i = end - 1;
                } else if (e == 'x') {
                    int end = i + 1;
                    while (end < written.length() && end < i + 3 && Character.digit(written.charAt(end), 16) >= 0) {
                        end++;
                    }
                    out.append(end > i + 1 ? (char) Integer.parseInt(written.substring(i + 1, end), 16) : 'x');
                    i = end - 1;
                } else if ("abdefvt".indexOf(e) >= 0) {
                    out.append(' ');
                } else {
                    out.append(e);
                }
            }
            return out.toString();
        }
        /** readline's {@code $include}, as it reads it: any case, blanks after the {@code $} (round 52). */
        private static final java.util.regex.Pattern INCLUDE = java.util.regex.Pattern.compile(
                "\\s*\\$\\s*include\\s+(.*)", java.util.regex.Pattern.CASE_INSENSITIVE);

        /** readline's init file and the files it {@code $include}s, 4 levels deep (deeper fails closed). */
        private void inputrc(Path file, int depth) {
            if (depth > MAX_DEPTH) {
                failClosedUnread("readline's init file " + file + " is included more than " + MAX_DEPTH + " levels deep");
                return;
            }
            Optional<String> text = read(file, "readline's init file");
            if (text.isEmpty()) {
                return;
            }
            for (String line : text.get().split("\n")) {
                // a key binding's macro is a command line readline types into bash when the key is pressed: read as a
                // line of a start-up file ('"\C-xe": "source ~/p/.env.sh\n"': red team, round 58, F20)
                java.util.regex.Matcher macro = MACRO.matcher(line);
                if (macro.lookingAt()) {
                    // in either quotes, its escapes as readline decodes them (round 59, F2); readline ignores what
                    // follows the closing quote, a comment or not (red team, round 60, F13)
                    String typed = macroText(macro.group(1) != null ? macro.group(1) : macro.group(2));
                    judgeStartupText(file, typed, "typed by a key binding in " + file + ", readline's init file", depth,
                            new java.util.HashSet<>(), new java.util.HashMap<>(startupVariables));
                    continue;
                }
                java.util.regex.Matcher include = INCLUDE.matcher(line);
                if (include.matches()) {
                    String named = include.group(1).strip();
                    if (named.isEmpty()) {
                        continue;
                    }
                    // readline opens a relative name where bash runs: named where the command runs, as other relative paths
                    Path included = named.startsWith("~/") ? host.home().resolve(named.substring(2))
                            : host.workingDirectory().resolve(named);
                    add(included, false, Use.RUNS, "$include in " + file + ", readline's init file (its key bindings"
                            + " type commands into every interactive bash)");
                    inputrc(included.normalize(), depth + 1);
                }
            }
        }

        /**
         * The directories the {@code .pth} files of Python's user site put on {@code sys.path} ({@code pip install --user
         * -e ~/proj} leaves one): a {@code usercustomize.py} or a module there runs in every later Python, the next
         * {@code aws} too (red team, round 51, F1). A plain line is a directory; an {@code import} line's absolute quoted
         * paths are named as directories too.
         */
        private void pythonUserSite() {
            Path base = host.get("PYTHONUSERBASE").filter(v -> v.startsWith("/")).map(Path::of)
                    .orElse(host.home().resolve(".local"));
            Path lib = base.resolve("lib");
            if (!Files.isDirectory(lib)) { // through a link too (round 52)
                return;
            }
            try (DirectoryStream<Path> versions = Files.newDirectoryStream(lib, "python*")) {
                for (Path version : versions) {
                    Path site = version.resolve("site-packages");
                    if (!Files.isDirectory(site)) {
                        continue;
                    }
                    try (DirectoryStream<Path> pths = Files.newDirectoryStream(site, "*.pth")) {
                        for (Path pth : pths) {
                            pthFile(site, pth);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                failClosed("Python's user site below " + lib + " cannot be listed (" + e.getMessage() + ")");
            }
        }

        /**
         * A home path a {@code .pth} line writes or builds, with the call that builds it ({@code "~/x"},
         * {@code expanduser("~/x")}, {@code environ["HOME"] + "/x"}): group 1 or 2 is the part below the home. Removed
         * from the line, what is left is judged as computed.
         */
        private static final java.util.regex.Pattern HOME_PATH = java.util.regex.Pattern.compile(
                "(?:(?:os\\.path\\.)?expanduser\\(\\s*)?[\"']~(/[^\"']*)?[\"'](?:\\s*\\))?"
                        + "|(?:os\\.)?(?:environ\\s*\\[\\s*[\"']HOME[\"']\\s*]|(?:environ\\.get|getenv)\\(\\s*[\"']HOME[\"']\\s*\\))"
                        + "\\s*\\+\\s*[\"']([^\"']*)[\"']");
        /** A {@code .pth} line that changes {@code sys.path} (or adds a site directory) with a value it computes. */
        private static final java.util.regex.Pattern COMPUTED_SYS_PATH = java.util.regex.Pattern.compile(
                "(?:sys\\.path|addsitedir|runpy|run_path|exec\\(|execfile|open\\()[\\s\\S]*"
                        + "(?:environ|getenv|expand|home\\(|Path|join|format|\\+|%|f[\"'])"
                        + "|(?:environ|getenv|expand|home\\(|Path\\(|join|format|f[\"'])[\\s\\S]*(?:sys\\.path|addsitedir|runpy|run_path|exec\\(|execfile)");
        private static final java.util.regex.Pattern QUOTED_ABSOLUTE = java.util.regex.Pattern.compile("[\"'](/[^\"']+)[\"']");

        private void pthFile(Path site, Path pth) {
            Optional<String> text = read(pth, "the .pth file");
            if (text.isEmpty()) {
                return;
            }
            String why = "a directory " + pth + " puts on Python's sys.path (its modules, usercustomize.py among them, run"
                    + " in every later Python)";
            for (String line : text.get().split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.startsWith("import ") || trimmed.startsWith("import\t")) {
                    // a path below the home the line builds (environ['HOME'] + '/proj', expanduser('~/proj'): round 52)
                    java.util.regex.Matcher home = HOME_PATH.matcher(trimmed);
                    while (home.find()) {
                        String below = home.group(1) != null ? home.group(1) : home.group(2) == null ? "" : home.group(2);
                        add(host.home().resolve(below.replaceFirst("^/+", "")), true, Use.RUNS, why);
                    }
                    String rest = HOME_PATH.matcher(trimmed).replaceAll("''");
                    java.util.regex.Matcher quoted = QUOTED_ABSOLUTE.matcher(rest);
                    while (quoted.find()) {
                        add(Path.of(quoted.group(1)), true, Use.RUNS, why);
                    }
                    if (COMPUTED_SYS_PATH.matcher(rest).find()) {
                        failClosed("the .pth file " + pth + " computes a directory it puts on Python's sys.path");
                    }
                    continue;
                }
                Path directory = site.resolve(trimmed).normalize();
                if (!directory.equals(site)) {
                    add(directory, true, Use.RUNS, why);
                }
            }
        }

        /**
         * Variables whose value is a command other programs run later (git's editor, pager and ssh, less's preprocessor,
         * sudo's askpass, the browser, the C compiler a build runs): set by the start-up files to a bare name, the script
         * found by that name in the home's search directories runs then (red team, round 70, F12: {@code export
         * EDITOR=mytool}, {@code ~/bin/mytool} running {@code ~/proj/hook}). What a path among them names is judged as
         * aws-sandbox's own environment's is ({@link #judgeAsEnvironment}).
         */
        private static final Set<String> COMMAND_VARIABLES = java.util.stream.Stream.concat(OTHER_PROGRAMS_COMMANDS.stream(),
                java.util.stream.Stream.of("EDITOR", "VISUAL", "PAGER", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER",
                        "GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF",
                        "BAT_PAGER", "DELTA_PAGER", "AWS_PAGER")).collect(java.util.stream.Collectors.toUnmodifiableSet());

        private void programsOtherProgramsRunByName() {
            // a copy: a script found by name is read as a start-up file, whose assignments join the set (review of round 70)
            for (java.util.Map.Entry<String, String> assignment : List.copyOf(startupAssignments)) {
                if (!COMMAND_VARIABLES.contains(assignment.getKey())) {
                    continue;
                }
                Path variable = Path.of("$" + assignment.getKey()); // what byName says it was run by
                for (String text : ShellStartupText.alternatives(assignment.getValue())) {
                    // LESSOPEN='|mytool %s' ('||', '|-' too); BROWSER is a list of commands
                    for (String command : text.replaceFirst("^\\|+-?", "").split(":")) {
                        Set<String> names = new LinkedHashSet<>();
                        ShellStartupText.commandNames(command, names);
                        for (String name : names) {
                            byName(name, variable, searchedFrom(variable), true, 1, new java.util.HashSet<>(),
                                    new java.util.HashMap<>(startupVariables));
                        }
                    }
                }
            }
        }

        /** What the environment and the start-up files hold once a new shell has read them ({@link #shellStartup}). */
        private java.util.Map<String, String> startupVariables = java.util.Map.of();
        /** Every value the start-up files give a variable, in the order they are read. */
        private final Set<java.util.Map.Entry<String, String>> startupAssignments = new java.util.LinkedHashSet<>();

        /**
         * The variables the start-up files set, judged as aws-sandbox's own environment is (red team, round 48, F2): every
         * later shell of the user has them, also where aws-sandbox runs without them (an MCP client's, an IDE's
         * environment). A code-loading directory ({@code PYTHONPATH}), a credential store ({@code KUBECONFIG}), a command
         * other programs run ({@code LESSOPEN}), a global git config moved by {@code XDG_CONFIG_HOME} or
         * {@code GIT_CONFIG_GLOBAL}, the AWS config and credentials files. What a value computes is left out: the
         * {@code :}-separated parts with a {@code $} or {@code `} ({@code $PYTHONPATH} of {@code ~/lib:$PYTHONPATH}).
         */
        void exportedByStartupFiles() {
            programsOtherProgramsRunByName();
            // every value each variable is given, also one a later file or branch replaces (round 49, F2)
            java.util.Map<String, List<String>> values = new java.util.LinkedHashMap<>();
            for (java.util.Map.Entry<String, String> assignment : startupAssignments) {
                String name = assignment.getKey();
                // what programs take from the environment has an upper-case name (a loop's 'd', a completion script's
                // 'cur' are the shell's own), and is no option list (COMPREPLY=(--help …): red team, round 59, FP2)
                // (and npm's lower-case configuration variables, which npm reads as its upper-case ones: round 62, F3)
                if (name.equals(name.toLowerCase(Locale.ROOT)) && !name.startsWith("npm_config_")
                        || name.startsWith("__ARG") // a function's parameters (ShellStartupText.withArguments): not exported
                        || name.equals("PATH") || name.equals("HOME")) {
                    continue;
                }
                computedStore(name, assignment.getValue());
                for (String known : knownTexts(assignment.getValue())) {
                    if (!known.equals(host.variables().get(name))) {
                        List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
                        if (!list.contains(known)) {
                            list.add(known);
                        }
                    }
                }
            }
            // the first 8 values of each together (a later one of a variable set fewer times: its last), then each
            // further value alone: a sourced library (nvm.sh) sets its own variables many times
            int generations = values.values().stream().mapToInt(List::size).max().orElse(0);
            for (int g = 0; g < Math.min(generations, 8); g++) {
                java.util.Map<String, String> exported = new java.util.HashMap<>();
                for (java.util.Map.Entry<String, List<String>> v : values.entrySet()) {
                    exported.put(v.getKey(), v.getValue().get(Math.min(g, v.getValue().size() - 1)));
                }
                judgeAsEnvironment(exported);
            }
            int further = 0;
            boolean past = false;
            for (java.util.Map.Entry<String, List<String>> v : values.entrySet()) {
                for (String value : v.getValue().subList(Math.min(8, v.getValue().size()), v.getValue().size())) {
                    if (!past && ++further > MAX_FURTHER_VALUES) {
                        failClosed("the shells' start-up files set variables more than " + MAX_FURTHER_VALUES
                                + " further times");
                        past = true;
                    }
                    if (!past) {
                        judgeAsEnvironment(java.util.Map.of(v.getKey(), value));
                    } else if (CredentialVariables.namesAStore(v.getKey())) {
                        // past the bound, the credential stores still: a check of the value alone (red team of the
                        // credential variables, 2026-12-05, night, F19: one set after nvm's many values was readable)
                        storesNamedBy(java.util.Map.of(v.getKey(), value));
                    }
                }
            }
        }

        /** The credential stores {@code exported} names, judged as aws-sandbox's own environment's ({@link #movedCredentials}). */
        private void storesNamedBy(java.util.Map<String, String> exported) {
            Reader later = readerOf(exported);
            later.movedCredentials();
            found.addAll(later.found);
        }

        /** A reader of the environment {@code exported} gives, with this host's home and working directory. */
        private Reader readerOf(java.util.Map<String, String> exported) {
            java.util.Map<String, String> variables = new java.util.HashMap<>(exported);
            variables.put("HOME", host.home().toString());
            return new Reader(new Host(variables, host.workingDirectory(), host.linux()));
        }

        private static final int MAX_FURTHER_VALUES = 512;

        /**
         * The files a start-up file reads a secret variable's value from ({@code export AWS_SECRET_ACCESS_KEY=$(cat
         * ~/p/.aws-secret)}, {@code GITHUB_TOKEN=$(< ~/p/.token)}, {@code $(gpg --decrypt ~/p/pw.gpg)}): each path in the
         * command substitution is a key (red team, 2026-12-06, RT-6: such a file was kept read-only as code the shell
         * sources, and read with {@code --credentials none}). Only absolute paths and paths below the home count.
         */
        private void secretsReadFromFiles(String text) {
            for (SecretFile found : SECRET_FILES.get(text, Reader::secretFilesIn)) {
                if (found.path() == null) {
                    failClosedUnread("a line that sets " + found.variable() + " in a shell start-up file is longer than "
                            + MOST_KEY_LINE_CHARS + " characters and is not read for the files it reads the secret from");
                } else {
                    key(found.path(), host.workingDirectory(), "the file " + found.variable() + " is read from in a"
                            + " start-up file (a secret's value)");
                }
            }
        }

        /** A path a statement reads a secret variable's value from; a null path: a statement too long to read. */
        private record SecretFile(String variable, String path) {}

        /**
         * The paths {@code text}'s statements read secret variables' values from: a function of the text alone, kept for
         * the same text as the keys its aliases hand are (the start-up files are read at each of a plan's readings).
         */
        private static List<SecretFile> secretFilesIn(String text) {
            if (!SECRET_SET.matcher(text).find() && !READS_INTO.matcher(text).find()) {
                return List.of();
            }
            List<SecretFile> found = new ArrayList<>();
            String[] lines = text.replace("\\\n", " ").split("\n");
            for (int i = 0; i < lines.length; i++) {
                // a statement: the line, and the lines a command substitution left open on it goes on to
                StringBuilder statement = new StringBuilder(lines[i]);
                while (statement.lastIndexOf("$(") > statement.lastIndexOf(")") && i + 1 < lines.length
                        && statement.length() < MOST_KEY_LINE_CHARS) {
                    statement.append(' ').append(lines[++i]);
                }
                String line = statement.toString();
                java.util.Optional<String> name = secretSetIn(line);
                if (name.isEmpty()) {
                    continue;
                }
                if (line.length() > MOST_KEY_LINE_CHARS) {
                    found.add(new SecretFile(name.get(), null));
                    continue;
                }
                // every path the statement names: what it reads the secret from, through whatever spelling (R2-2:
                // ${T:-$(cat F)}, "token $(cat F)", a temporary variable, read -r T < F, printf -v T, mapfile)
                for (String word : SUBSTITUTION_WORDS.split(line.replace("\"", "").replace("'", ""))) { // "$HOME"/p (R3-3)
                    // absolute, or below the home, as written: a relative word is where a later shell runs, not known
                    // here, and is most often no file at all (a vault path: 'vault kv get secret/app')
                    String path = word.replace("}", "").replaceFirst("^(?:\\$HOME|\\$\\{HOME)(?=/)", "~");
                    if ((path.startsWith("/") || path.startsWith("~/")) && !path.contains("://")) {
                        found.add(new SecretFile(name.get(), path));
                    }
                }
            }
            return List.copyOf(found);
        }

        private static final ReadingMemo<String, List<SecretFile>> SECRET_FILES = new ReadingMemo<>(1024);

        /** The secret variable {@code line} sets, if it sets one ({@code NAME=}, {@code ${NAME:-…}}, {@code read NAME}, {@code printf -v NAME}). */
        private static java.util.Optional<String> secretSetIn(String line) {
            if (READS_INTO.matcher(line).find()) { // read/mapfile/readarray: any of their names (re-attack, R3-13)
                java.util.regex.Matcher word = IDENTIFIER.matcher(line);
                while (word.find()) {
                    if (CredentialVariables.namesASecretValue(word.group())) {
                        return java.util.Optional.of(word.group());
                    }
                }
            }
            java.util.regex.Matcher set = SECRET_SET.matcher(line);
            String first = null;
            while (set.find()) {
                for (int g = 1; g <= set.groupCount(); g++) {
                    String name = set.group(g);
                    if (name != null && CredentialVariables.namesASecretValue(name)) {
                        return java.util.Optional.of(name);
                    }
                    first = first == null ? name : first;
                }
            }
            // a header whose credential a command reads, under any variable's name (re-attack of 2026-12-06, RT4-8:
            // GIT_CONFIG_VALUE_0="Authorization: Bearer $(cat ~/p/.token)")
            if (first != null && HEADER_FROM_COMMAND.matcher(line).find()) {
                return java.util.Optional.of(first);
            }
            return java.util.Optional.empty();
        }

        /**
         * A header's name that says it carries a credential ({@code X-Api-Key}, {@code PRIVATE-TOKEN}, {@code Cookie}; not
         * {@code Author}): one list for the headers written as values and those whose value a command reads.
         */
        private static final String CREDENTIAL_HEADER_NAME =
                "(?<![\\w-])[\\w-]{0,32}(?:auth(?!ors?\\b)|token|api-?key|secret|passw(?:or)?d|session|cookie)[\\w-]{0,32}";

        /** A credential header's name, then (on the same statement) a command substitution for its value. */
        private static final java.util.regex.Pattern HEADER_FROM_COMMAND = java.util.regex.Pattern.compile(
                "(?i)" + CREDENTIAL_HEADER_NAME + "\\s{0,8}:[^$`\\n]{0,40}(?:\\$\\(|`)");

        /** The builtins that read a file into the variables they name. */
        private static final java.util.regex.Pattern READS_INTO = java.util.regex.Pattern.compile(
                "(?<![\\w-])(?:read|mapfile|readarray)\\s");

        private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("(?<![\\w$])[A-Za-z_]\\w*+");

        /** Where a statement sets a variable: {@code NAME=}, {@code NAME+=}, {@code ${NAME:-}}, {@code ${NAME:=}}, {@code read … NAME}, {@code printf -v NAME}. */
        private static final java.util.regex.Pattern SECRET_SET = java.util.regex.Pattern.compile(
                "(?<![\\w$])(?<!alias\\s)([A-Za-z_]\\w*+)\\+?=|\\$\\{([A-Za-z_]\\w*+):?[-=]|(?<![\\w-])read\\s[^;&|\\n<]{0,200}?"
                        + "(?<![\\w$-])([A-Za-z_]\\w*+)\\s*(?:<|;|$)|(?<![\\w-])printf\\s+-v\\s*([A-Za-z_]\\w*+)", java.util.regex.Pattern.MULTILINE);

        /** Where a command substitution's words end. */
        private static final java.util.regex.Pattern SUBSTITUTION_WORDS = java.util.regex.Pattern.compile(
                "[\\s()'\"`<>|;&]+|\\$\\(");

        /**
         * A start-up file that gives a secret variable a value as written ({@code export AWS_SECRET_ACCESS_KEY=wJal…},
         * a sourced {@code .env}) is itself a key (RT-6: {@code set -a; . ~/p/.env} kept it read-only only).
         */
        private void secretsAssignedIn(Path file, String text, ShellStartupText.Reading reading) {
            if (reading == null) {
                return;
            }
            String secret = SECRETS_ASSIGNED.get(new Assignments(text, reading.assigned()), Reader::secretAssigned);
            if (!secret.isEmpty()) {
                add(file.toAbsolutePath().normalize(), false, Use.KEY, "the shell start-up file " + file
                        + ", which gives " + secret + " its value as written (a secret)");
            }
        }

        /** A text and the assignments its reading found: what {@link #secretAssigned} judges. */
        private record Assignments(String text, List<java.util.Map.Entry<String, String>> assigned) {}

        /**
         * The first variable {@code assignments} give a secret value as written, or "" when none: a function of the text
         * and its assignments, kept for them (it had been a third of a warm plan, with pyenv's scripts read as start-up
         * text: every value matched against the credential patterns at every plan).
         */
        private static String secretAssigned(Assignments assignments) {
            Set<String> aliases = ALIASES_ONLY.get(assignments.text(), Reader::aliasesOnly);
            for (java.util.Map.Entry<String, String> assignment : assignments.assigned()) {
                if (aliases.contains(assignment.getKey())) {
                    continue; // 'alias ghtoken="gh auth token"': a command, not a value (re-attack of 2026-12-06, FP4-1)
                }
                String value = assignment.getValue().replace("\"", "").replace("'", "").strip();
                boolean literal = !value.isEmpty() && value.indexOf('$') < 0 && value.indexOf('`') < 0;
                if ((CredentialVariables.namesASecretValue(assignment.getKey()) && literal && !NOT_A_SECRET.matcher(value).matches())
                        || ShownText.PASSWORD_IN_URL.matcher(value).find() // DATABASE_URL=postgres://u:PW@h (R2-3)
                        // an HTTP credential under any name: GIT_CONFIG_VALUE_0="Authorization: Bearer …" (R3-14)
                        || literal && CREDENTIAL_HEADER.matcher(value).find()) {
                    return assignment.getKey();
                }
            }
            return "";
        }

        private static final ReadingMemo<Assignments, String> SECRETS_ASSIGNED = new ReadingMemo<>(1024);

        /**
         * A start-up file that gives an HTTP client a password or token as written on its command line is a key: {@code
         * alias api='curl -u admin:PW …'}, {@code --oauth2-bearer T}, HTTPie's {@code -a u:PW}, wget's {@code --password=PW},
         * also in a variable of options ({@code CURL_OPTS="--user u:PW"}) (outside attack of 2026-12-06, RT4-9). A value
         * the shell computes ({@code -u "u:$PW"}) holds none.
         */
        private void credentialsOnCommandLines(Path file, String text) {
            if (CREDENTIALS_ON_COMMAND_LINES.get(text, Reader::credentialsOnCommandLines)) {
                add(file.toAbsolutePath().normalize(), false, Use.KEY, "the shell start-up file " + file
                        + ", which gives a program a password or token on its command line as written (a secret)");
            }
        }

        /** Whether {@code text} gives an HTTP client a password or token as written: a function of the text, kept per text. */
        private static Boolean credentialsOnCommandLines(String text) {
            return (SHORT_CREDENTIAL_OPTION.matcher(text).find() && HTTP_CLIENT_LINE.matcher(text).find())
                    || LONG_CREDENTIAL_OPTION.matcher(text).find() || headerOptionHoldsACredential(text);
        }

        private static final ReadingMemo<String, Boolean> CREDENTIALS_ON_COMMAND_LINES = new ReadingMemo<>(1024);

        /**
         * A start-up file that holds a credential of a shape its issuer gives it — a GitHub, GitLab, npm, Slack or Stripe
         * token, a Slack or Discord webhook's URL, an Azure storage account key, a private key's PEM text — anywhere in
         * its text (an alias, a variable of any name, a command's argument, a comment) is a key: the shapes are the
         * issuers' own, so no spelling of the shell's hides them (outside attack of 2026-12-06, RT6-7, RT6-9, RT6-10,
         * RT6-16: a token in a git URL or `-c http.extraHeader` of an alias, piped to `gh auth login`, a private key as
         * the value of `SSH_PRIVATE_KEY`).
         */
        private void tokensWrittenIn(Path file, String text) {
            Path absolute = file.toAbsolutePath().normalize();
            if (absolute.getParent() == null || DataDirectories.isSystem(absolute.getParent())) {
                return; // the system's own scripts (bash-completion's): no user writes a token there, and none is withheld
            }
            if (TOKENS_WRITTEN.get(text, t -> ISSUED_CREDENTIAL.matcher(t).find())) {
                add(absolute, false, Use.KEY, "the shell start-up file " + file
                        + ", which holds a token or private key as written (a secret)");
            }
        }

        private static final ReadingMemo<String, Boolean> TOKENS_WRITTEN = new ReadingMemo<>(1024);

        private static final ReadingMemo<String, Set<String>> ALIASES_ONLY = new ReadingMemo<>(1024);

        /** {@code -u user:PW} or {@code -a user:PW} on the line of an HTTP client ({@code curl}, {@code http}, {@code xh}). */
        private static final java.util.regex.Pattern HTTP_CLIENT_LINE = java.util.regex.Pattern.compile(
                // the option first too ('curl -u admin:PW', '-uadmin:PW': a second outside attack of 2026-12-06, RT5-5)
                "(?m)(?<![\\w-])(?:curl|https?|xh)(?:\\s[^\\n]{0,2000}?)?\\s-[ua]\\s*+['\"]?[^\\s'\"$`:\\\\]{1,64}:[^\\s'\"$`\\\\]");
        private static final java.util.regex.Pattern SHORT_CREDENTIAL_OPTION = java.util.regex.Pattern.compile(
                "\\s-[ua]\\s*+['\"]?[^\\s'\"$`:\\\\]{1,64}:[^\\s'\"$`\\\\]");
        /**
         * curl's {@code --user}/{@code --proxy-user} with {@code user:PW}, HTTPie's {@code --auth}, {@code --oauth2-bearer},
         * wget's passwords, a cookie's value; a value after an escaped {@code \$} is computed when the alias runs (FP5-2).
         */
        private static final java.util.regex.Pattern LONG_CREDENTIAL_OPTION = java.util.regex.Pattern.compile(
                "(?<![\\w-])(?:--(?:(?:proxy-)?user|auth)[=\\s]\\s*+['\"]?[^\\s'\"$`:\\\\]{1,64}:[^\\s'\"$`\\\\]"
                        + "|--oauth2-bearer[=\\s]\\s*+['\"]?[^\\s'\"$`\\\\]{8}"
                        + "|--(?:http-|proxy-|ftp-)?password[=\\s]\\s*+['\"]?[^\\s'\"$`\\\\-]"
                        + "|--cookie[=\\s]\\s*+\\\\?['\"]?[^\\s'\"$`=\\\\]{1,64}=[^\\s'\"$`;\\\\]{8})");
        /** A header given to a program on its command line ({@code curl -H "Authorization: Bearer …"}: RT5-6). */
        private static final java.util.regex.Pattern HEADER_OPTION = java.util.regex.Pattern.compile(
                "(?<![\\w-])(?:-H|--header)(?:[=\\s]\\s*+)?\\\\?['\"]?([^'\"\\n\\\\]{1,300})");

        /** Whether a {@code -H}/{@code --header} in {@code text} gives a credential as written. */
        private static boolean headerOptionHoldsACredential(String text) {
            if (text.indexOf("-H") < 0 && text.indexOf("--header") < 0) {
                return false;
            }
            java.util.regex.Matcher header = HEADER_OPTION.matcher(text);
            while (header.find()) {
                String value = header.group(1).strip();
                if (value.indexOf('$') < 0 && value.indexOf('`') < 0 && CREDENTIAL_HEADER.matcher(value).find()) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The names every {@code NAME=} of which in {@code text} defines an alias (the reader takes them for assignments too):
         * counted in one pass each, not a pass a name (600 aliases had made a plan take seconds: RT5-8).
         */
        private static Set<String> aliasesOnly(String text) {
            if (text.indexOf("alias") < 0) {
                return Set.of();
            }
            java.util.Map<String, Integer> aliased = new java.util.HashMap<>();
            java.util.regex.Matcher alias = ALIAS_DEFINITION.matcher(text);
            while (alias.find()) {
                aliased.merge(alias.group(1), 1, Integer::sum);
            }
            java.util.Map<String, Integer> set = new java.util.HashMap<>();
            java.util.regex.Matcher any = ANY_SET.matcher(text);
            while (any.find()) {
                if (aliased.containsKey(any.group(1))) {
                    set.merge(any.group(1), 1, Integer::sum);
                }
            }
            Set<String> only = new java.util.HashSet<>();
            aliased.forEach((name, n) -> {
                if (n.equals(set.get(name))) {
                    only.add(name);
                }
            });
            return Frozen.set(only);
        }

        private static final java.util.regex.Pattern ALIAS_DEFINITION = java.util.regex.Pattern.compile(
                "\\balias\\s++(?:-\\S++\\s++)*+([A-Za-z_][\\w-]*+)=");
        private static final java.util.regex.Pattern ANY_SET = java.util.regex.Pattern.compile("(?<![\\w-])([A-Za-z_][\\w-]*+)\\+?=");

        /**
         * A value that is an HTTP credential whatever its variable's name: an {@code Authorization} or {@code
         * Proxy-Authorization} header with a credential (a scheme alone, {@code Authorization: Bearer}, or a placeholder
         * is none: FP4-2), a header named after a credential, or a bearer or basic credential on its own (git takes a header
         * from {@code GIT_CONFIG_KEY_0=http.extraHeader} and {@code GIT_CONFIG_VALUE_0}: re-attack of 2026-12-06, R3-14).
         */
        private static final java.util.regex.Pattern CREDENTIAL_HEADER = java.util.regex.Pattern.compile(
                "(?i)(?<![\\w-])(?:proxy-)?authorization\\s{0,8}:\\s{0,8}(?:(?:bearer|basic|token|digest|negotiate)\\s{1,8})?"
                        + "[\\w.~+/=-]{8,}"
                        // a header named after a credential (X-Api-Key, PRIVATE-TOKEN, Cookie: re-attack of 2026-12-06, RT4-3)
                        + "|" + CREDENTIAL_HEADER_NAME
                        + "\\s{0,8}:\\s{0,8}[\\w.~+/=-]{8,}"
                        + "|^(?:bearer|basic|token)\\s{1,8}[\\w.~+/=-]{8,}");

        /**
         * A value no secret is: a switch or a short plain word ({@code NPM_CONFIG_ALWAYS_AUTH=true}, {@code
         * TMUX_SESSION=main}: re-attack of 2026-12-06, FP3-2); a secret is longer, or has digits or symbols.
         */
        private static final java.util.regex.Pattern NOT_A_SECRET = java.util.regex.Pattern.compile(
                "(?i)true|false|yes|no|on|off|0|1|[a-z]{1,12}");

        /**
         * The command substitution of a start-up file's value as a warning shows it: its program's name only, never
         * its words, which may hold a password (red team, 2026-12-06, RT-4: {@code $(curl https://u:PW@…)}).
         */
        private static String commandShown(String value) {
            java.util.regex.Matcher program = SUBSTITUTED_PROGRAM.matcher(value);
            if (!program.find()) {
                return "$(…)";
            }
            return program.group(1).equals("`") ? "`" + program.group(2) + " …`" : "$(" + program.group(2) + " …)";
        }

        /** A command substitution's program: its first word after the assignments before it ({@code $(X=1 vault …)}). */
        private static final java.util.regex.Pattern SUBSTITUTED_PROGRAM = java.util.regex.Pattern.compile(
                "(\\$\\(|`)\\s*+(?:\\w++=\\S*+\\s++)*+([^\\s)`'\"]++)");

        /**
         * A credential store a start-up file names through a command's output ({@code export KUBECONFIG=$(git rev-parse
         * --show-toplevel)/kc}, {@code $(realpath kc)}): what a shell started in the working directory makes of it may lie
         * there, so the working directory is withheld as the store's, unless the literal directory before the command
         * substitution does not hold it (red team of the credential variables (2026-12-05, night), F11: it had been left out, and
         * the project given). {@code $(pwd)} and its kin are {@code $PWD} by then ({@link ShellStartupText}).
         */
        private void computedStore(String name, String value) {
            if (value.indexOf("$(") < 0 && value.indexOf('`') < 0 || !CredentialVariables.namesAStore(name)
                    // an agent's socket ($(gpgconf --list-dirs agent-ssh-socket), GnuPG's documented line: red team,
                    // 2026-12-06, FP-1): no command may connect to a unix socket by path (the seccomp filter, Seatbelt's
                    // rules), so where the shell puts it protects nothing, and it withheld every project
                    || name.equals("SSH_AUTH_SOCK")) {
                return;
            }
            for (String alternative : ShellStartupText.alternatives(value)) {
                // each element of a list (KUBECONFIG=~/.kube/config:$(realpath kc): re-attack, R10)
                for (String text : alternative.split(":(?![^(]*\\))")) {
                    if (mayLieInTheWorkingDirectory(text)) {
                        Path cwd = host.workingDirectory();
                        path(cwd.toString(), host.home(), cwd, true, Use.KEY, "named by " + name + " in a start-up file"
                                + " through a command's output (" + commandShown(value) + "), a credential store that may"
                                + " lie here");
                        return;
                    }
                }
            }
        }

        /** Whether a path a command substitution computes may lie in the working directory (see {@link #computedStore}). */
        private boolean mayLieInTheWorkingDirectory(String text) {
            int computed = java.util.stream.IntStream.of(text.indexOf("$("), text.indexOf('`')).filter(i -> i >= 0).min()
                    .orElse(-1);
            if (computed < 0) {
                return false;
            }
            String before = text.substring(0, computed).replaceFirst("^(?:~|\\$HOME|\\$\\{HOME})(?=/|$)",
                    java.util.regex.Matcher.quoteReplacement(host.home().toString()));
            int variable = before.indexOf('$');
            before = variable >= 0 ? before.substring(0, variable) : before;
            return !before.startsWith("/")
                    || host.workingDirectory().startsWith(Path.of(before.substring(0, before.lastIndexOf('/') + 1)).normalize());
        }

        /** CMake's launcher variables, {@code CMAKE_C_COMPILER_LAUNCHER}, {@code CMAKE_CXX_LINKER_LAUNCHER}. */
        private static final java.util.regex.Pattern CMAKE_LAUNCHER = java.util.regex.Pattern.compile(
                "CMAKE_\\w+_(?:COMPILER|LINKER)_LAUNCHER");

        /**
         * What can be known of each text a value can give, blanks left out; none for a value that cannot name a path. A
         * function of the value alone, kept for the same value: every plan reads the same start-up files, and this
         * reading of their thousands of assignments had been a tenth of a plan.
         */
        private static List<String> knownTexts(String value) {
            return KNOWN_TEXTS.get(value, Reader::knownTextsNow);
        }

        private static List<String> knownTextsNow(String value) {
            List<String> texts = new ArrayList<>();
            if (mayNameAPath(value)) {
                // each text the shell's operators can give: CUDA's LD_LIBRARY_PATH=/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:${
                // LD_LIBRARY_PATH}} had left a relative '+' that kept every working directory read-only (round 52, FP1)
                for (String text : ShellStartupText.alternatives(value)) {
                    String known = knownPart(text);
                    if (!known.isBlank() && !texts.contains(known)) {
                        texts.add(known);
                    }
                }
            }
            return List.copyOf(texts);
        }

        private static final ReadingMemo<String, List<String>> KNOWN_TEXTS = new ReadingMemo<>(8192);

        /**
         * What can be known of a value a start-up file gives: a part that is only a variable ({@code $PYTHONPATH} of
         * {@code ~/lib:$PYTHONPATH}) dropped, one not known here taken out of the rest ({@code $PERL5OPT -Mx} is
         * {@code -Mx}: round 49, F9), and a part with a command substitution left out.
         */
        private static String knownPart(String value) {
            List<String> parts = new ArrayList<>();
            for (String part : value.split(":", -1)) {
                if (BARE_VARIABLE.matcher(part).matches()) {
                    continue;
                }
                String rest = VARIABLE.matcher(part).replaceAll("");
                if (rest.indexOf('$') < 0 && rest.indexOf('`') < 0 && !rest.isBlank()) {
                    parts.add(rest.strip());
                }
            }
            return String.join(":", parts);
        }

        private static final java.util.regex.Pattern BARE_VARIABLE = java.util.regex.Pattern.compile(
                "\\s*\\$(?:\\w+|\\{\\w+})\\s*");

        private void judgeAsEnvironment(java.util.Map<String, String> exported) {
            Reader later = readerOf(exported);
            java.util.Map<String, String> variables = later.host.variables();
            later.codeLoading();
            if (exported.containsKey("PYTHONUSERBASE")) {
                later.pythonUserSite(); // the .pth files of a user site a start-up file moves (round 52)
            }
            later.movedCredentials();
            later.otherProgramsCommands();
            // the trust stores SSL_CERT_FILE & co. name, set in a start-up file (red team, round RT15, F2), and curl's config
            // where a start-up file moves it
            later.trustStores();
            if (exported.containsKey("CURL_HOME") || exported.containsKey("XDG_CONFIG_HOME")) {
                later.curlConfigs();
            }
            // an AWS config moved there, and git's own variables (round 49, F6, F7); read again only when the start-up
            // files set such a variable (most set PYENV_ROOT, NVM_DIR and the like)
            if (exported.keySet().stream().anyMatch(name -> name.startsWith("AWS_"))) {
                later.aws();
            }
            if (exported.keySet().stream().anyMatch(name -> name.startsWith("GIT_") || name.equals("EDITOR")
                    || name.equals("VISUAL") || name.equals("PAGER") || name.equals("SSH_ASKPASS"))) {
                later.git();
                for (GitConfig.Target target : GitConfig.around(List.of(), List.of(), host.home(), List.of(), variables)) {
                    later.add(target.lexical(), target.container(), Use.RUNS, target.why() + " (set in a start-up file)");
                }
            }
            List<Path> global = GitConfig.globalFiles(host.variables(), host.home(), host.workingDirectory());
            List<Path> moved = GitConfig.globalFiles(variables, host.home(), host.workingDirectory()).stream()
                    .filter(file -> !global.contains(file)).toList();
            if (!moved.isEmpty()) {
                // the config itself and what it runs, as the planner names the environment's global config's
                for (GitConfig.Target target : GitConfig.around(List.of(), List.of(), host.home(), moved, variables)) {
                    later.add(target.lexical(), target.container(), Use.RUNS, target.why() + " (moved by a start-up file)");
                }
                Set<Path> read = new java.util.HashSet<>();
                for (Path file : moved) {
                    later.add(file, false, Use.RUNS, "the global git config " + file + " (moved by a start-up file)");
                    later.gitFile(file, 0, read); // the keys it names
                }
            }
            for (String name : List.of("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")) {
                java.util.Optional.ofNullable(exported.get(name)).ifPresent(v -> later.path(v, host.home(),
                        host.workingDirectory(), false, Use.KEY, "named by " + name + " in a start-up file"));
            }
            found.addAll(later.found);
        }

        private void sourcedBy(Path file, int depth, Set<Path> read, java.util.Map<String, String> variables) {
            if (read.contains(file.toAbsolutePath().normalize())) {
                return;
            }
            // zsh's completion dump: named (kept) where it is, its text zsh's own, written from the fpath functions (which
            // are read); read, prezto's gave _comps over 1,024 values, and every working directory was read-only (red
            // team, round 72, FP-1)
            if (file.getFileName() != null && file.getFileName().toString().startsWith(".zcompdump")
                    || file.getFileName() != null && file.getFileName().toString().startsWith("zcompdump")) {
                return;
            }
            if (FileFacts.lstatKind(file) == FileFacts.Kind.ABSENT) {
                // nothing to read (the path itself is named by the caller), and not one of the files the bound counts:
                // every value of a variable and every word of a loop name many paths, most of them missing
                return;
            }
            if (depth > MAX_DEPTH || read.size() >= MAX_FILES) {
                // fails closed, as an ssh include past the same bounds (red team, round 47, F2: the fifth file of a
                // chain was not read, and what it sourced was writable)
                failClosedUnread("the shell start-up file " + file + " is sourced more than " + MAX_DEPTH + " levels deep or"
                        + " past " + MAX_FILES + " files");
                return;
            }
            read.add(file.toAbsolutePath().normalize());
            if (program(file)) {
                // a program a start-up file runs for its output ('source <(/usr/bin/dircolors -b)', 'eval "$(zoxide
                // init bash)"'): the file itself is named by the caller, what it prints is not known here (written), and
                // its bytes are no shell text (read as words, they had named paths with NULs, and every command failed:
                // outside test RT59, L1)
                return;
            }
            Optional<byte[]> bytes = readBytes(file, SHELL_STARTUP_FILE);
            if (bytes.isEmpty()) {
                return;
            }
            String text = new String(bytes.get(), StandardCharsets.UTF_8);
            Optional<String> nvm = KnownStartupScripts.nvmRelease(text);
            if (nvm.isPresent()) {
                nvmRelease(file, nvm.get(), variables);
                return;
            }
            // dash keeps $'x' and $"x" as a '$' and a quoted word, where bash (and the reader) decode them: '.
            // /w/$'x'/e.sh' in ~/.profile made dash source /w/$x/e.sh, which a command could create (outside test RT29,
            // F4). Not in the system's files (bash-completion's IFS=$'\n', under /usr): no path of the user's
            Optional<String> otherwise = readByPosixSh && !file.startsWith("/usr/") && !file.startsWith("/etc/")
                    ? ShellStartupText.readOtherwiseBySh(text) : Optional.empty();
            if (otherwise.isPresent()) {
                failClosedUnread("the shell start-up file " + file + ", which sh (dash) reads too, holds "
                        + otherwise.get() + ", which sh reads as written and bash decodes");
            }
            // zsh ignores '_' and case in an option's name ('unsetopt c_a_s_e_glob'), the shell joins quoted pieces
            // ("nocase'glob'"): both taken out before looking (red team, round 65, F1)
            caseFolded |= foldsCase(text);
            String why = "sourced by " + file;
            // what the files it sources set ('. ~/.bash_env' setting PROJECT_HOME, then '. "$PROJECT_HOME/env.sh"': red
            // team, round 55, F11; round 56, F3; round 58, F1) is known at the next reading of every file (shellStartup)
            ShellStartupText.Reading reading = judgeStartupText(file, text, why, depth, read, variables);
            keysHandedIn(file, text);
            secretsReadFromFiles(text);
            secretsAssignedIn(file, text, reading);
            credentialsOnCommandLines(file, text);
            tokensWrittenIn(file, text);
        }

        /**
         * While a file POSIX sh (dash) reads is read ({@link #SH_READS}, {@code ~/.ssh/rc}, {@code ENV}'s) and what it
         * sources; set and reset by {@link #sourcedBySh} only.
         */
        private boolean readByPosixSh;

        /** The start-up files of the home sh reads: a login's, X sessions' (Xsession, xinit), Maven's {@code mvn}. */
        private static final Set<String> SH_READS = Set.of(".profile", ".mavenrc", ".xsessionrc", ".xprofile", ".xsession",
                ".xinitrc", ".Xsession", ".xserverrc", ".xinputrc", ".Xclients", ".vnc/xstartup", ".gnomerc",
                ".selected_editor", ".antrc", ".ant/ant.conf", ".config/tigervnc/xstartup", ".config/openbox/autostart",
                ".config/openbox/environment", ".fluxbox/startup", ".icewm/startup", ".icewm/env");

        /** {@code value} with the home for a leading {@code ~} and the environment's variables it names put in. */
        private String withVariables(String value) {
            String home = value.equals("~") || value.startsWith("~/") ? host.home() + value.substring(1) : value;
            return java.util.regex.Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?").matcher(home).replaceAll(m -> {
                String known = m.group(1).equals("HOME") ? host.home().toString() : host.variables().get(m.group(1));
                return java.util.regex.Matcher.quoteReplacement(known != null ? known : m.group());
            });
        }

        /** {@link #sourcedBy}, {@code file} and what it sources read as POSIX sh reads them too. */
        private void sourcedBySh(Path file, int depth, Set<Path> read, java.util.Map<String, String> variables) {
            boolean before = readByPosixSh;
            readByPosixSh = true;
            try {
                sourcedBy(file, depth, read, variables);
            } finally {
                readByPosixSh = before;
            }
        }

        /**
         * The keys a start-up file's aliases and functions hand a program as they are written — ssh's, scp's, sftp's and
         * autossh's {@code -i KEY} (in a cluster, {@code -Ai KEY}; before or after the host), rsync's {@code -e "ssh -i
         * KEY"}, {@code ssh-add KEY} and keychain's operands, {@code -o IdentityFile=KEY} (or {@code "IdentityFile KEY"}),
         * {@code --kubeconfig}, {@code --netrc-file}, gcloud's {@code --credential-file-override}, {@code sshpass -f} —,
         * read by the reader of git's command strings ({@link CommandWords}) and withheld as the same key in a git alias is
         * (red team of the credential variables, 2026-12-05, night, F16: {@code alias prod='ssh -i
         * ~/p/deploy.pem …'} left the key readable; its re-attack: clusters, line continuations, and a remote command's
         * {@code -i} taken for a key). A path the shell computes ({@code "$1"}, {@code $KEY}) is not known here.
         */
        private void keysHandedIn(Path file, String text) {
            startupTexts.put(file.toAbsolutePath().normalize(), text);
        }

        /** The start-up files read, and their texts: their keys are read once all are known ({@link #keysHanded}). */
        private final java.util.Map<Path, String> startupTexts = new java.util.LinkedHashMap<>();

        /**
         * The keys the start-up files' aliases and functions hand a program, each file read with the variables every start-up
         * file gives a value as written: an alias or a function expands its variables when it runs, after all of them have
         * run ({@code K} set in {@code .profile}, {@code alias d='ssh -i $K h'} in {@code .bashrc}: outside attack of
         * 2026-12-06, RT4-10). A file's own value of a variable comes first.
         */
        void keysHanded() {
            Literals everyFiles = Literals.NONE;
            for (String text : startupTexts.values()) {
                if (everyFiles.values().size() < 1024) {
                    everyFiles = everyFiles.with(LITERALS.get(text,
                            t -> literalVariables(COMMENT_LINE.matcher(t).replaceAll("").replace("\\\n", " "))));
                }
            }
            for (java.util.Map.Entry<Path, String> file : startupTexts.entrySet()) {
                for (String k : KEYS_HANDED.get(new HandedKeys(file.getValue(), everyFiles), Reader::keysHandedIn)) {
                    if (k.equals(LINE_TOO_LONG)) {
                        failClosedUnread("a line of the shell start-up file " + file.getKey() + " longer than " + MOST_KEY_LINE_CHARS
                                + " characters, which may hand a program a key, is not read");
                    } else {
                        key(k, host.workingDirectory(), "a key " + file.getKey() + " hands a program (a key or secret it hands a"
                                + " program)");
                    }
                }
            }
        }

        /** A start-up file's text and the variables the start-up files give values as written: what its handed keys are a function of. */
        private record HandedKeys(String text, Literals startupValues) {}

        /**
         * The values a text gives variables as written: each variable's last, and the ones it was given before (a fallback,
         * an 'if' whose other arm sets it, a 'case' arm: each may be the one a later alias or function hands a program).
         */
        private record Literals(java.util.Map<String, String> values, java.util.Map<String, List<String>> earlier) {
            static final Literals NONE = new Literals(java.util.Map.of(), java.util.Map.of());

            /** These with {@code later}'s on top: its values win, every earlier value of both is kept. */
            Literals with(Literals later) {
                java.util.Map<String, String> merged = new java.util.HashMap<>(values);
                merged.putAll(later.values());
                java.util.Map<String, List<String>> before = new java.util.HashMap<>(earlier);
                later.earlier().forEach((name, list) -> before.merge(name, list,
                        (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().toList()));
                return new Literals(Frozen.map(merged), Frozen.map(before));
            }
        }

        private static final ReadingMemo<String, Literals> LITERALS = new ReadingMemo<>(1024);

        /**
         * The keys a text hands a program, as written (see {@link #keysHanded}): a function of the
         * text alone, kept for the same text (the start-up files are read again at each of a plan's readings, and in
         * every plan).
         */
        private static List<String> keysHandedIn(HandedKeys input) {
            String text = input.text();
            if (!mayHandAKey(text)) {
                return List.of();
            }
            List<String> keys = new ArrayList<>();
            // a command continued on the next line; comment lines left out (re-attack, FP3: '# … ssh -i key.pem …')
            String joined = COMMENT_LINE.matcher(text).replaceAll("").replace("\\\n", " ");
            Literals literals = input.startupValues().with(literalVariables(joined));
            java.util.Map<String, String> variables = literals.values();
            // and each earlier value a variable is given as written, in place of its last one: a key with a fallback, set in
            // both arms of an 'if' or in a 'case' arm (outside attack of 2026-12-06, RT6-4: 'K=~/p/k; [ -f "$K" ] || K=~/.ssh/x')
            List<java.util.Map<String, String>> readings = new ArrayList<>(List.of(variables));
            literals.earlier().forEach((name, values) -> {
                for (String earlier : values) {
                    if (readings.size() < 16 && !earlier.equals(variables.get(name))) {
                        java.util.Map<String, String> with = new java.util.HashMap<>(variables);
                        with.put(name, earlier);
                        readings.add(with);
                    }
                }
            });
            java.util.function.BiConsumer<String, java.util.Map<String, String>> keyWith = (word, values) -> {
                // quotes taken off, a variable the file gives a value as written as that value, the home's as ~ (red
                // team, 2026-12-06, R2-1, R2-8: "$HOME/p/k", ${HOME}/p/k, "$K"), ssh's %d as the home (RT-3)
                // ${NAME} as $NAME where no name goes on, so that a default may hold one (RT5-1: ${K:-${HOME}/p/k})
                String k = LEADING_VARIABLE.matcher(PLAIN_BRACES.matcher(word.strip().replace("\"", "").replace("'", ""))
                                .replaceAll("\\$$1"))
                        .replaceFirst(m -> java.util.regex.Matcher.quoteReplacement(expandedLeading(m, values)))
                        .replaceFirst("^%d(?=/)", "~");
                // as written and absolute (or below the home): a relative one is where a later shell runs, which is not
                // known here (re-attack, FP3: 'echo "use ssh -i YOURKEY"' had withheld every project)
                if ((k.startsWith("/") || k.startsWith("~/")) && k.indexOf('$') < 0 && k.indexOf('`') < 0) {
                    keys.add(k);
                }
            };
            java.util.function.Consumer<String> key = word -> keyWith.accept(word, variables);
            java.util.Map<String, String> aliases = new java.util.HashMap<>();
            java.util.regex.Matcher alias = SIMPLE_ALIAS.matcher(joined);
            while (alias.find() && aliases.size() < 256) {
                aliases.put(alias.group(1), alias.group(2) != null ? alias.group(2)
                        : alias.group(3) != null ? alias.group(3) : alias.group(4));
            }
            // every line, a here-document's text and a trailing comment's included: a reader that skipped them was led to
            // skip real commands (a '<<WORD' in a comment or in arithmetic, a '#' inside '${…}': re-attack, R3-1, R3-2);
            // a key named in such text withholds the project (declared)
            for (String written : joined.split("\n")) {
                // the line read as the shell reads it, by the reader of git's command strings: quotes, clusters, options
                // after ssh's host, '-e "ssh -i K"' read again (red team, 2026-12-06, RT-1 to RT-3: a walk of its own,
                // words split on blanks before quotes were taken off, had missed 'ssh -X -i K', 'scp -rp -i K',
                // 'ssh -o "StrictHostKeyChecking no" -i K', 'ssh host -i K', an alias in nested quotes)
                // bash's $'…' without escapes is '…' (re-attack of 2026-12-06, RT4-11: alias d=$'ssh -i K h' was not read)
                String line = ANSI_C_PLAIN.matcher(written).replaceAll("'$1'");
                // an alias of the text run where a command starts is its value, one level (an alias of ssh, 'alias s=ssh'
                // then 'alias prod="s -i K h"', or of 'ssh -i': outside attack of 2026-12-06, RT6-14, RT7-1)
                line = withAliases(line, aliases);
                if (line.indexOf('$') < 0 && !mayHandAKey(line)) {
                    continue; // no word of it may hand a key, and no variable can splice one in
                }
                for (java.util.Map<String, String> values : readings) {
                    // a variable holding words as written spliced in as those words ('SSH_OPTS="-i ~/p/k"; ssh $SSH_OPTS h':
                    // RT6-5), as the shell splits it unquoted and as an alias defined with it in double quotes holds it;
                    // so is one word as written, such as the program a line runs ('SSH=ssh; alias p="$SSH -i ~/p/k h"'),
                    // and a default's word where the file gives the variable no value ('${SSH:-ssh} -i …': RT8-8)
                    String defaulted = DEFAULT_WORD.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                            values.containsKey(m.group(1)) ? "$" + m.group(1) : m.group(2)));
                    String spliced = WORDS_VARIABLE.matcher(defaulted).replaceAll(m -> {
                        String value = values.get(m.group(1) != null ? m.group(1) : m.group(2));
                        return java.util.regex.Matcher.quoteReplacement(value != null && (value.indexOf(' ') >= 0
                                || PLAIN_WORD.matcher(value).matches())
                                && value.indexOf('\'') < 0 && value.indexOf('"') < 0 ? value : m.group());
                    });
                    if (!mayHandAKey(spliced)) {
                        continue;
                    }
                    if (spliced.length() > MOST_KEY_LINE_CHARS) {
                        keys.add(LINE_TOO_LONG); // not read word by word: the caller fails closed
                        continue;
                    }
                    for (String command : commandsOf(spliced, values)) {
                        CommandWords.of(command, values, ROOT, ROOT).keys().forEach(word -> keyWith.accept(word, values));
                    }
                }
            }
            java.util.regex.Matcher option = CREDENTIAL_FILE_OPTION.matcher(joined);
            while (option.find()) {
                key.accept(option.group("key"));
            }
            java.util.regex.Matcher keychain = KEYCHAIN.matcher(joined);
            while (keychain.find()) { // keychain hands the agent its operands, as ssh-add does (RT-3)
                for (String word : keychain.group(1).split("\\s+")) {
                    key.accept(word.replace("'", "").replace("\"", ""));
                }
            }
            return List.copyOf(new java.util.LinkedHashSet<>(keys));
        }

        /** {@code alias NAME='VALUE'} (or with double quotes, or none), one alias, its value without quotes inside. */
        private static final java.util.regex.Pattern SIMPLE_ALIAS = java.util.regex.Pattern.compile(
                "(?<![\\w-])alias[ \\t]++([A-Za-z_][\\w.-]*+)=(?:'([^'\\n]*+)'|\"([^\"\\n]*+)\"|([^\\s'\";&|]++))");

        /** Where a command starts in a line: its start, after {@code ;}, {@code &}, {@code |}, {@code {}, {@code (}, {@code then}, {@code do}, {@code else}, or an alias's quote. */
        private static final java.util.regex.Pattern COMMAND_START = java.util.regex.Pattern.compile(
                "(^|[;&|{(]\\s*+|(?<![\\w-])(?:then|do|else)\\s++|=['\"]?)([A-Za-z_][\\w.-]*+)(?=\\s)");

        /** {@code line} with each alias of {@code aliases} that starts a command written as its value (one level). */
        private static String withAliases(String line, java.util.Map<String, String> aliases) {
            if (aliases.isEmpty()) {
                return line;
            }
            return COMMAND_START.matcher(line).replaceAll(m -> {
                String value = aliases.get(m.group(2));
                return java.util.regex.Matcher.quoteReplacement(m.group(1) + (value != null ? value.strip() : m.group(2)));
            });
        }

        /** A word with nothing the shell would expand or split: a program's name, a path. */
        private static final java.util.regex.Pattern PLAIN_WORD = java.util.regex.Pattern.compile("[\\w./~+@%:-]++");

        /** {@code ${NAME:-WORD}}, {@code ${NAME-WORD}} or {@code ${NAME:=WORD}} (re-attack RT9-3) with a plain word. */
        private static final java.util.regex.Pattern DEFAULT_WORD = java.util.regex.Pattern.compile(
                "\\$\\{([A-Za-z_]\\w*+):?[-=]([\\w./~+@%:-]++)}");

        /** An unquoted-able variable reference, {@code $NAME} or {@code ${NAME}}. */
        private static final java.util.regex.Pattern WORDS_VARIABLE = java.util.regex.Pattern.compile(
                "\\$(?:([A-Za-z_]\\w*+)|\\{([A-Za-z_]\\w*+)})");

        /** A start-up file's line, and each alias it defines: the alias's value is a command string of its own. */
        private static List<String> commandsOf(String line, java.util.Map<String, String> variables) {
            List<String> commands = new ArrayList<>(List.of(line));
            // and the shells' own tables of aliases and functions: bash's BASH_ALIASES[p]='…', zsh's aliases[p]='…' and
            // functions[p]='…' (outside attack RT8-7)
            // ('BASH_ALIASES+=([p]=…)', 'declare -A BASH_ALIASES=(…)' too: re-attack RT9-4)
            if (line.contains("alias") || line.contains("ALIASES") || line.contains("functions[")) {
                for (String word : CommandWords.of(line, variables, ROOT, ROOT).words()) {
                    java.util.regex.Matcher alias = ALIAS_VALUE.matcher(word);
                    if (alias.matches()) {
                        commands.add(alias.group(1)); // 'alias p=ssh\ -i\ K', '-o '"'"'ProxyJump b'"'"'' unquoted
                    }
                }
            }
            return commands;
        }

        /** {@code ${NAME}} with no operator, where the next character cannot go on with the name. */
        private static final java.util.regex.Pattern PLAIN_BRACES = java.util.regex.Pattern.compile("\\$\\{(\\w++)}(?!\\w)");

        /** bash's {@code $'…'} quoting of a text without backslashes, which means what {@code '…'} does. */
        private static final java.util.regex.Pattern ANSI_C_PLAIN = java.util.regex.Pattern.compile("(?<![\\w$])\\$'([^'\\\\]*+)'");

        /** The longest line read for the keys it hands a program; a longer one that may hand one fails closed. */
        private static final int MOST_KEY_LINE_CHARS = 16 * 1024;

        /** What {@link #keysHandedIn(String)} gives for such a line (no path has a NUL). */
        private static final String LINE_TOO_LONG = "\u0000a line too long";

        /**
         * The variables keys are read with: {@code $HOME} is {@code ~}, as a key is kept as written, and the variables the
         * text gives a value as written ({@code K=~/p/deploy.pem}, then {@code alias d="ssh -i $K h"} or {@code ssh -i
         * "$K"}: re-attack of 2026-12-06, R2-8); a value the shell computes is not known here.
         */
        private static Literals literalVariables(String text) {
            java.util.Map<String, String> variables = new java.util.HashMap<>();
            java.util.Map<String, List<String>> earlier = new java.util.HashMap<>();
            variables.put("HOME", "~");
            java.util.regex.Matcher assignment = LITERAL_ASSIGNMENT.matcher(text);
            while (assignment.find() && variables.size() < 256) {
                String name = assignment.group(1) != null ? assignment.group(1) : assignment.group(3);
                String written = assignment.group(1) != null ? assignment.group(2) : assignment.group(4);
                if (assignment.group(1) == null && variables.containsKey(name)) {
                    continue; // ': ${K:=V}' leaves a K that is set as it is
                }
                // a leading variable read as the keys' is: the home's or one set before, as written (re-attack of
                // 2026-12-06, RT4-6: K="${HOME%/}/p/k", D=~/p then K=$D/k)
                String value = LEADING_VARIABLE.matcher(PLAIN_BRACES.matcher(written.replace("\"", "").replace("'", ""))
                                .replaceAll("\\$$1"))
                        .replaceFirst(m -> java.util.regex.Matcher.quoteReplacement(expandedLeading(m, variables)));
                // and a known variable further in the value ('SSH_OPTS="-i $HOME/p/k"': RT6-5)
                value = WORDS_VARIABLE.matcher(value).replaceAll(m -> {
                    String known = variables.get(m.group(1) != null ? m.group(1) : m.group(2));
                    return java.util.regex.Matcher.quoteReplacement(known != null ? known : m.group());
                });
                if (value.indexOf('$') < 0 && value.indexOf('`') < 0 && !name.equals("HOME")) {
                    String before = variables.put(name, value);
                    if (before != null && !before.equals(value)) { // an earlier value kept too (RT6-4), a few of them
                        List<String> kept = earlier.computeIfAbsent(name, n -> new ArrayList<>());
                        if (kept.size() < 4 && !kept.contains(before)) {
                            kept.add(before);
                        }
                    }
                }
                // the statement's further assignments ('export EDITOR=vim K=~/p/k', 'readonly A=1 K=…': RT6-4)
                if (assignment.group(1) != null) {
                    java.util.regex.Matcher further = FURTHER_ASSIGNMENT.matcher(text);
                    for (int at = assignment.end(); further.region(at, text.length()).lookingAt() && variables.size() < 256;
                            at = further.end()) {
                        String more = further.group(2).replace("\"", "").replace("'", "");
                        if (more.indexOf('$') < 0 && more.indexOf('`') < 0 && !further.group(1).equals("HOME")) {
                            variables.put(further.group(1), more);
                        }
                    }
                }
            }
            java.util.Map<String, List<String>> before = new java.util.HashMap<>();
            earlier.forEach((name, values) -> before.put(name, List.copyOf(values)));
            return new Literals(Frozen.map(variables), Frozen.map(before));
        }

        /** One more {@code NAME=value} of the same statement, after blanks. */
        private static final java.util.regex.Pattern FURTHER_ASSIGNMENT = java.util.regex.Pattern.compile(
                "[ \\t]++([A-Za-z_]\\w*+)=((?:\"[^\"\\n`]*+\"|'[^'\\n]*+'|[^\\s;&|`\"']++)++)");

        /**
         * A key's leading variable, {@code $NAME} or {@code ${NAME}}, also with an operator: a default or an alternative
         * ({@code ${NAME:-D}}, {@code -}, {@code :=}, {@code =}, {@code :+}, {@code +}), a guard ({@code ${NAME:?message}},
         * {@code ?}), a trailing {@code /} taken off
         * ({@code ${NAME%/}}) or the last component ({@code ${NAME%/*}}).
         */
        private static final java.util.regex.Pattern LEADING_VARIABLE = java.util.regex.Pattern.compile(
                "^\\$(?:(\\w++)|\\{(\\w++)(:?[-=+?][^}`]*+|%%?/\\*?)?})");

        /**
         * What a key's leading variable holds where the shell runs it: the value the file (or the home) gives it, or for a
         * variable not known here its default, which the shell uses when the variable is unset (re-attack of 2026-12-06,
         * RT4-1: {@code ${SSH_KEY:-~/p/deploy.pem}}); a default or alternative spelt with {@code $HOME} or a known variable
         * is read as its value (RT4-5: {@code ${K:-$HOME/.ssh/id_rsa}}). Left as written (and so not read as a key) when
         * nothing here says what it holds.
         */
        private static String expandedLeading(java.util.regex.MatchResult m, java.util.Map<String, String> variables) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = variables.get(name);
            String operator = m.group(3) == null ? "" : m.group(3);
            boolean set = value != null && !value.isEmpty();
            if (operator.isEmpty()) {
                return value != null ? value : m.group();
            }
            if (operator.startsWith("%")) { // ${K%/}, ${K%%/}: a trailing '/' off; ${K%/*}: the last component off
                return value == null ? m.group() : operator.endsWith("*") ? value.replaceFirst("/[^/]*+$", "")
                        : value.replaceFirst("/++$", "");
            }
            char sign = operator.charAt(operator.charAt(0) == ':' ? 1 : 0);
            if (sign == '?') { // ${K:?message}, ${K?}: the value, or the shell stops there (outside attack of 2026-12-06, RT6-2)
                return value != null ? value : m.group();
            }
            String word = operator.substring(operator.charAt(0) == ':' ? 2 : 1);
            String expanded = LEADING_VARIABLE.matcher(word).replaceFirst(inner -> {
                String innerName = inner.group(1) != null ? inner.group(1) : inner.group(2);
                String innerValue = inner.group(3) == null ? variables.get(innerName) : null;
                return java.util.regex.Matcher.quoteReplacement(innerValue != null ? innerValue : inner.group());
            });
            return operator.charAt(operator.charAt(0) == ':' ? 1 : 0) == '+' ? (set ? expanded : "")
                    : set ? value : expanded;
        }

        /** {@code NAME=value} at a line's start (exported or not), the value one word. */
        private static final java.util.regex.Pattern LITERAL_ASSIGNMENT = java.util.regex.Pattern.compile(
                // at a line's start, or after ';', '{', '&', '|', then, do, else (re-attack of 2026-12-06, RT4-7: a one-line
                // function's 'k=~/p/k;', 'if …; then K=…; fi'), with declare's and typeset's options too; or ': ${K:=V}'
                "(?m)(?:(?:^|[;{&|)]|(?<![\\w-])(?:then|do|else))[ \\t]*+(?:(?:export|local|readonly|declare|typeset)"
                        + "(?:[ \\t]++-\\w++)*+[ \\t]++)?([A-Za-z_]\\w*+)=((?:\"[^\"\\n`]*+\"|'[^'\\n]*+'|[^\\s;&|`\"']++)++)"
                        + "|\\$\\{([A-Za-z_]\\w*+):?=([^}\\s`]++)})");

        private static final Path ROOT = Path.of("/");
        private static final Path DEV_NULL = Path.of("/dev/null");

        /** An alias's definition as the shell has it: {@code NAME=VALUE}, the value a command with a blank. */
        private static final java.util.regex.Pattern ALIAS_VALUE = java.util.regex.Pattern.compile(
                "[^=\\s/$`'\"]+=(.*\\s.*)", java.util.regex.Pattern.DOTALL);

        /**
         * Whether {@code text} has a word that may hand a key, also where quotes or backslashes inside a word split it
         * for the eye but not for the shell ({@code ss''h}, {@code s\\sh}, {@code /usr/bin/s'sh'}: outside attack RT8-14).
         */
        private static boolean mayHandAKey(String text) {
            return MAY_HAND_A_KEY.matcher(text).find() || (text.indexOf('\'') >= 0 || text.indexOf('"') >= 0
                    || text.indexOf('\\') >= 0) && MAY_HAND_A_KEY.matcher(QUOTING.matcher(text).replaceAll("")).find();
        }

        /** The shell's quote characters and backslash. */
        private static final java.util.regex.Pattern QUOTING = java.util.regex.Pattern.compile("['\"\\\\]");

        /** Words that may hand a key: a line without one is not read. */
        private static final java.util.regex.Pattern MAY_HAND_A_KEY = java.util.regex.Pattern.compile(
                "(?i:ssh|scp|sftp)|dentity|--kubeconfig|--netrc-file|--credential-file-override|--private-key|--key-file"
                        + "|keychain|slogin|dbclient|plink|putty|pnuke|pslurp|prsync|parallel-");

        /** keychain's operands: the keys it hands the agent. */
        private static final java.util.regex.Pattern KEYCHAIN = java.util.regex.Pattern.compile(
                "(?<![\\w./-])keychain\\s+([^\\n;|&)`]*)");

        private static final ReadingMemo<HandedKeys, List<String>> KEYS_HANDED = new ReadingMemo<>(1024);

        /**
         * The credential-file options of kubectl, helm, curl, gcloud and Ansible, and sshpass' password file, as written
         * (re-attack, R15).
         */
        private static final java.util.regex.Pattern CREDENTIAL_FILE_OPTION = java.util.regex.Pattern.compile(
                "(?:--(?:kubeconfig|netrc-file|credential-file-override|private-key(?:-file)?|ssh-key-file|key-file)(?:=|\\s+)|(?<![\\w-])sshpass(?:\\s+(?:-[hVve]+|-[dpP]\\s*\\S+))*\\s+-f\\s*)"
                        + "(['\"]?)(?<key>[^\\s'\";|&)]+)\\1");

        /** A line that is only a comment. */
        private static final java.util.regex.Pattern COMMENT_LINE = java.util.regex.Pattern.compile("(?m)^[ \\t]*#.*$");

        /**
         * A home the shell does not expand where the assignment writes it: {@code ~} in quotes or escaped
         * ({@code PATH="~/bin:$PATH"}, {@code PATH=\\~/bin}, zsh's {@code path=('~/bin' $path)}, {@code T="~"}), and
         * {@code $HOME} in single quotes ({@code PATH='$HOME/bin':$PATH}). The value holds the text itself, which dash and
         * zsh search as the relative {@code ./~/bin}, and which Python ({@code PYTHONSTARTUP}, {@code PYTHONPATH}), the
         * dynamic loader ({@code LD_PRELOAD}), git ({@code GIT_SSH}, {@code GIT_CONFIG_GLOBAL}) and the others take as a
         * path where they run (outside test RT32, F10; RT34, F3, F9). Kept where the later program most likely starts,
         * the working directory, as a relative path elsewhere is. {@code PATH} in a file only bash reads is not: bash
         * expands a leading {@code ~} of an entry when it searches. The system's files (/usr, /etc) are not read so.
         */
        private void quotedTildes(Path file, String text, String why) {
            if (text.indexOf('~') < 0 && !text.contains("HOME") || file.startsWith("/usr/") || file.startsWith("/etc/")) {
                return;
            }
            boolean shOrZsh = readByPosixSh || zshFile(file);
            for (java.util.Map.Entry<String, String> held : UNEXPANDED_HOMES.get(text, NamedFiles.Reader::unexpandedHomesAssigned)) {
                String name = held.getKey();
                if ((name.equals("PATH") || name.equals("path")) && !shOrZsh
                        || EXPANDED_WHEN_USED.contains(name) && held.getValue().startsWith("$")) {
                    continue;
                }
                add(host.workingDirectory().resolve(held.getValue()).normalize(), true, Use.RUNS, why + " (" + name
                        + " holds " + held.getValue() + " as text, which the shell does not expand there: a path where the"
                        + " later program runs)");
            }
        }

        /**
         * Variables whose value the shell itself expands where it uses it: bash's {@code PROMPT_COMMAND} is code, the
         * prompts are expanded each time they are shown (bash's promptvars, zsh's prompt_subst). A {@code $HOME} in
         * single quotes there is the home when it counts, not text a program takes as a path: the usual terminal title,
         * {@code PROMPT_COMMAND='printf … "${PWD/#$HOME/\~}"'}, had kept every working directory read-only (outside
         * test RT61, M1). A quoted {@code ~} stays text there too ({@code PROMPT_COMMAND='. "~/x"'} sources {@code ./~/x}),
         * and the code itself is read as code elsewhere.
         */
        private static final Set<String> EXPANDED_WHEN_USED = Set.of("PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS3", "PS4",
                "PROMPT", "PROMPT2", "PROMPT3", "PROMPT4", "RPROMPT", "RPROMPT2", "RPS1", "RPS2", "SPROMPT");

        /**
         * Each assignment's variable with each home its value holds as text ({@link #unexpandedHomes}): a function of the
         * text alone, kept per text (every plan reads the start-up files several times: docs/performance.md).
         */
        private static List<java.util.Map.Entry<String, String>> unexpandedHomesAssigned(String text) {
            List<java.util.Map.Entry<String, String>> out = new ArrayList<>();
            for (java.util.regex.Matcher m = ASSIGNMENT.matcher(ShellStartupText.commentFree(text)); m.find(); ) {
                for (String literal : unexpandedHomes(m.group(2))) {
                    out.add(java.util.Map.entry(m.group(1), literal));
                }
            }
            return List.copyOf(out);
        }

        private static final ReadingMemo<String, List<java.util.Map.Entry<String, String>>> UNEXPANDED_HOMES =
                new ReadingMemo<>(ReadingMemo.PER_TEXT);

        /** An assignment at a command's start, with its value: a word or zsh's and bash's {@code (…)}. */
        private static final java.util.regex.Pattern ASSIGNMENT = java.util.regex.Pattern.compile(
                "(?:^|[;&|({\\n]|\\bthen|\\bdo|\\belse)[ \\t]*(?:(?:export|declare|typeset|local|readonly)[ \\t]+(?:-\\w+[ \\t]+)*)?"
                        + "([A-Za-z_]\\w*)\\+?=(\\([^()\\n]*\\)|(?:'[^'\\n]*'|\"(?:[^\"\\\\\\n]|\\\\.)*\"|\\\\.|[^\\s;&|()'\"\\\\])+)");

        /**
         * The homes {@code value} holds as text: {@code ~} (with what follows it to the next {@code :}, quote or blank)
         * at a quoted piece's start, after a {@code :} in one, or escaped; {@code $HOME} and {@code ${HOME}} in single
         * quotes.
         */
        static List<String> unexpandedHomes(String value) {
            List<String> out = new ArrayList<>();
            char quote = 0;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '$' && quote != '\'' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
                    // a command substitution is read in quotes of its own: '"$(cat ~/.npm_token)"' expands its '~'
                    // (outside test RT66, FP-2); what it quotes is read as the value's text is
                    int end = substitutionEnd(value, i + 1);
                    out.addAll(unexpandedHomes(value.substring(i + 2, end)));
                    i = end;
                    continue;
                }
                if (quote != 0 && c == quote) {
                    quote = 0;
                    continue;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                    continue;
                }
                char before = i == 0 ? ' ' : value.charAt(i - 1);
                // also a parameter operator's word, '"${X:-~}/bin"', '"${HOME:+~/bin}"' (outside test RT35, F6)
                // (and without the colon, '"${X-~}"', '"${X=~}"', '"${X+~}"': RT36, F18)
                boolean start = before == ':' || before == ' ' || before == '(' || before == '\'' || before == '"'
                        || "-+=?".indexOf(before) >= 0 && i >= 2 && (value.charAt(i - 2) == ':'
                        || value.lastIndexOf("${", i) >= 0 && (Character.isLetterOrDigit(value.charAt(i - 2))
                        || "_]@*".indexOf(value.charAt(i - 2)) >= 0));
                boolean literalTilde = c == '~' && start && quote != 0
                        || c == '\\' && quote == 0 && i + 1 < value.length() && value.charAt(i + 1) == '~'
                        && (i == 0 || ":( ".indexOf(before) >= 0);
                boolean literalHome = quote == '\'' && (value.startsWith("$HOME", i) || value.startsWith("${HOME}", i));
                if (literalTilde || literalHome) {
                    int from = c == '\\' ? i + 1 : i;
                    int end = from;
                    while (end < value.length() && ":'\" \t)}".indexOf(value.charAt(end)) < 0) {
                        end++;
                    }
                    out.add(value.substring(from, end));
                    i = end - 1;
                }
            }
            return out;
        }

        /** The index of the {@code )} that closes the parenthesis at {@code open}, quotes skipped; the text's end if none. */
        private static int substitutionEnd(String value, int open) {
            int depth = 0;
            char quote = 0;
            for (int i = open; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            return value.length();
        }

        /**
         * A start-up file that sets {@code HOME}: from there on the shell's {@code ~}, the files it reads later (zsh's
         * {@code .zshrc}, bash's {@code .bash_logout}) and every program's configuration are the new home's (outside
         * test RT32, F2, F4: {@code HOME=/w; . ~/e.sh}, and {@code export HOME=/w} in {@code .zshenv}, had left the
         * working directory writable). The directory it names is kept whole; one the shell computes is not known here.
         */
        private void movedHome(Path file, String value) {
            if (value.equals(host.home().toString()) || value.equals(host.home() + "/")) {
                return;
            }
            if (!value.startsWith("/") || value.indexOf('$') >= 0 || value.indexOf('`') >= 0) {
                failClosed("the shell start-up file " + file + " sets HOME to " + value + ", a directory not known here,"
                        + " where the shell then reads its start-up files");
                return;
            }
            add(Path.of(value), true, Use.RUNS, "HOME in " + file + ", where the shell then reads its start-up files and"
                    + " programs their configuration");
        }

        /**
         * nvm's own script, unmodified ({@link KnownStartupScripts}): not read as text. What it runs from is kept whole: its
         * own directory, and {@code NVM_DIR}, whose {@code versions/…/bin} it puts on {@code PATH} (its own directory
         * where no start-up file sets one); an {@code NVM_DIR} not known here fails closed.
         */
        private void nvmRelease(Path file, String release, java.util.Map<String, String> variables) {
            Path own = file.toAbsolutePath().getParent();
            add(own, true, Use.RUNS, "the directory of " + file + " (" + release + ")");
            Set<String> values = new LinkedHashSet<>(everyValueNow().getOrDefault("NVM_DIR", Set.of()));
            Optional.ofNullable(variables.get("NVM_DIR")).ifPresent(values::add);
            for (String value : values) {
                if (!value.startsWith("/") || value.indexOf('$') >= 0 || value.indexOf('`') >= 0) {
                    failClosed("the shell start-up file " + file + " (" + release + ") puts the node versions below NVM_DIR"
                            + " on PATH, and NVM_DIR is " + value + ", a directory not known here");
                    continue;
                }
                add(Path.of(value), true, Use.RUNS, "NVM_DIR, whose node versions " + file + " (" + release
                        + ") puts on PATH");
            }
        }

        /** Judges what one shell start-up file's text names; returns its reading. */
        private ShellStartupText.Reading judgeStartupText(Path file, String text, String why, int depth, Set<Path> read,
                                                          java.util.Map<String, String> variables) {
            ShellStartupText.Reading reading;
            try {
                reading = ShellStartupText.of(text, variables, everyValueNow(), host.home());
            } catch (StackOverflowError | ShellStartupText.TooComplex e) {
                // nesting past what the reader's regular expressions can follow (red team, round 56, R1: a kilobyte's
                // value had thrown out of every plan), or a value past its bound (round 57, F5: 'a=$a$a' lines had
                // exhausted the heap): the file is unknown, named in the warning
                failClosedUnread("the shell start-up file " + file + " is past what aws-sandbox reads ("
                        + (e instanceof ShellStartupText.TooComplex ? e.getMessage() : "nested too deeply") + ")");
                return new ShellStartupText.Reading(List.of(), List.of(), List.of(), List.of(), List.of(), java.util.Set.of(),
                        List.of());
            }
            startupAssignments.addAll(reading.assigned());
            learnValues(file, reading);
            quotedTildes(file, text, why);
            // in a file bash or sh reads at start-up, $0 is the shell's name ('bash', '-bash'), so 'dirname "$0"' is '.',
            // where the shell starts: a path made of it is the working directory's. zsh's $0 is the file, but which shell
            // reads a file is not known here (a '~/.zsh/common.sh' .bashrc sources: RT50, F8), nor whether zsh's
            // FUNCTION_ARGZERO is on (F10): in any file, fails closed
            ShellStartupText.shellNameAsPath(text).ifPresent(use -> failClosedUnread("the shell start-up file " + file
                    + " is past what aws-sandbox reads (it makes a path of $0 (" + use + "), the shell's name in a file"
                    + " bash or sh reads at start-up, so the path may lie where the shell starts)"));
            ShellStartupText.evaluatedVariable(text).ifPresent(eval -> failClosedUnread("the shell start-up file " + file
                    + " is past what aws-sandbox reads (it evaluates a variable that holds code not read here: " + eval + ")"));
            // a relative path it sources ('. ./env.sh', 'source .env', a bare name bash finds there when PATH has none)
            // lies where the shell starts, which may be the working directory: read as $PWD is (round 68; a relative
            // path had been declared not enforced, RT49)
            Set<String> aliases = ShellStartupText.aliasesDefined(text);
            if (!aliases.isEmpty() && everyValue.computeIfAbsent(ShellStartupText.ALIASES, k -> new LinkedHashSet<>()).addAll(aliases)) {
                everyValueNow = null;
            }
            for (String relative : ShellStartupText.relativelySourced(text, everyValueNow().getOrDefault(ShellStartupText.ALIASES,
                    Set.of()))) {
                add(host.workingDirectory().resolve(relative).normalize(), false, Use.RUNS, why + " (" + relative
                        + ": a relative path, where the shell starts)");
            }
            if (!file.startsWith("/usr/") && !file.startsWith("/etc/")) { // the system's own: 'typeset -gU ${param}'
                ShellStartupText.declarationNotFollowed(text).ifPresent(declaration -> failClosedUnread("the shell"
                        + " start-up file " + file + " is past what aws-sandbox reads (" + declaration + ")"));
            }
            // its functions that may load code, which the files read after it may call (a helper .zshenv defines, .zshrc
            // calls: round 74, F28)
            Set<String> functions = ShellStartupText.loadingFunctionsOf(text);
            if (!functions.isEmpty()
                    && everyValue.computeIfAbsent(ShellStartupText.FUNCTIONS, k -> new LinkedHashSet<>()).addAll(functions)) {
                everyValueNow = null;
            }
            // what it redefines or hooks of what changes or prints a directory, which every other file's '$(cd ~ && pwd)'
            // then prints otherwise (outside test RT47: the class RT46 had declared, an alias or hook in another file)
            // the names it unsets or declares without a value, which another file's '$(cd "$D" && pwd)' may then meet
            // empty (outside test RT52, F8)
            Set<String> unset = ShellStartupText.unsetIn(text);
            if (!unset.isEmpty() && everyValue.computeIfAbsent(ShellStartupText.UNSET, k -> new LinkedHashSet<>()).addAll(unset)) {
                everyValueNow = null;
            }
            Set<String> redefined = ShellStartupText.redefinedIn(text);
            if (!redefined.isEmpty()
                    && everyValue.computeIfAbsent(ShellStartupText.REDEFINED, k -> new LinkedHashSet<>()).addAll(redefined)) {
                everyValueNow = null;
            }
            // ZDOTDIR, where zsh reads its other start-up files, as the reading expands it: 'export ZDOTDIR=~/z', after
            // '&&', ': ${ZDOTDIR:=~/z}' (round 46, F1), the XDG set-up "${XDG_CONFIG_HOME:-$HOME/.config}/zsh" (round
            // 50, F14); an XDG_CONFIG_HOME not set here is zsh's default, ~/.config
            for (java.util.Map.Entry<String, String> assigned : reading.assigned()) {
                if (assigned.getKey().equals("HOME")) {
                    movedHome(file, assigned.getValue());
                    continue;
                }
                if (!assigned.getKey().equals("ZDOTDIR")) {
                    continue;
                }
                String value = assigned.getValue().replace("${XDG_CONFIG_HOME}", "$XDG_CONFIG_HOME")
                        .replace("$XDG_CONFIG_HOME", host.home().resolve(".config").toString());
                if (value.startsWith("/") && value.indexOf('$') < 0) {
                    Path dir = Path.of(value);
                    add(dir, true, Use.RUNS, "ZDOTDIR in " + file + ", where zsh reads its start-up files");
                    for (String name : List.of(".zshenv", ".zshrc", ".zprofile", ".zlogin", ".zlogout")) {
                        sourcedBy(dir.resolve(name), depth + 1, read, variables);
                    }
                }
            }
            for (String sourced : withLinkedMatches(reading.sourced(), file, pattern -> true)) {
                int computed = computedAt(sourced);
                if (computed >= 0 && (zshFile(file) || sourced.contains("zsh"))) {
                    // a file zsh sources through a path not known here may turn case folding on (prezto's completion
                    // module runs 'unsetopt CASE_GLOB': red team, round 66, F5): over-inclusively, as on
                    caseFolded = true;
                }
                Optional<String> globbed = globBeforeComputed(sourced, computed);
                if (globbed.isPresent()) {
                    patternKept(globbed.get(), shellPatternAt(globbed.get()), false, true, why);
                    continue;
                }
                if (sourced.startsWith("/") && computed > 0) {
                    // 'for f in a b; do . ~/proj/$f.sh; done': the literal directory before the computed part, whole
                    // (red team, round 47, F9), unless that is the home itself or above it (docs/security.md)
                    literalBefore(sourced, computed).ifPresent(literal -> runDirectory(literal,
                            why + " (a path it computes below this directory)"));
                    computedBelow(sourced, computed, why + " (a path it computes)");
                    continue;
                }
                if (computed < 0 && BARE_SOURCED.matcher(sourced).matches()) {
                    // '. NAME' and 'source NAME' search PATH first (bash's sourcepath, zsh's '.': red team, round 69, F16)
                    byName(sourced, file, searchedFrom(file), false, depth, read, variables);
                }
                if (!sourced.startsWith("/") || computed >= 0) {
                    // relative: where the shell starts, the working directory's, up to its first computed name ('a=.;
                    // . "$a/x"', 'for f in x; do . "$f"; done', 'for f in *.sh', the working directory whole: outside
                    // test RT53, F1-F3; ShellStartupText.relativelySourced's, above, read the text); computed from its
                    // start: not known here (docs/security.md)
                    ShellStartupText.relativeToWhereItStarts(sourced)
                            .filter(relative -> !ShellStartupText.onlyInAliasValues(text, sourced)).ifPresent(relative -> add(
                            host.workingDirectory().resolve(relative).normalize(), false, Use.RUNS,
                            why + " (" + sourced + ": a relative path, where the shell starts)"));
                    continue;
                }
                int pattern = shellPatternAt(sourced);
                if (pattern >= 0) { // 'for f in ~/.bashrc.d/*.sh; do . "$f"; done': the directory whole, new files too
                    // (each file it matches now is among the paths withLinkedMatches gives, read below as named: Fedora's
                    // ~/.bashrc.d, red team, round 49, F1; round 63, F1, F5, F12); where that directory is the home or
                    // a top-level one ('~/.bash_*', '~/*/env.sh'), what the pattern makes of each write path (round 64,
                    // FP1: the home had been kept whole, so no directory below it was writable)
                    patternKept(sourced, pattern, false, true, why);
                    continue;
                }
                Path path = Path.of(sourced);
                add(path, false, Use.RUNS, why);
                sourcedBy(path, depth + 1, read, variables);
            }
            for (String directory : withLinkedMatches(reading.directories(), file, pattern -> true)) {
                int computed = computedAt(directory);
                Optional<String> globbed = globBeforeComputed(directory, computed);
                if (globbed.isPresent()) {
                    globOnPath(globbed.get(), file);
                    continue;
                }
                if (computed < 0 && shellPatternAt(directory) >= 0 && directory.startsWith("/")) {
                    globOnPath(directory, file);
                } else if (computed < 0 && shellPatternAt(directory) < 0) {
                    runDirectory(Path.of(directory), "a directory " + file + " puts on PATH");
                } else if (directory.startsWith("/") && computed > 0) {
                    // 'PATH="~/p/tools/$(uname -m)/bin:$PATH"', "…/hosts/$HOSTNAME/bin": the literal directory before the
                    // computed part, whole, as a sourced path's (red team, round 58, F11)
                    literalBefore(directory, computed).ifPresent(literal -> runDirectory(literal, "a directory " + file
                            + " puts on PATH (a path it computes below this directory)"));
                    computedBelow(directory, computed, "a directory " + file + " puts on PATH (a path it computes)");
                }
            }
            // the files a pattern matches are read as named, but not for a pattern that is only a value (an alias's
            // argument to a searcher: round 53, FP1)
            List<String> paths = withLinkedMatches(reading.paths(), file, pattern -> !reading.namedOnly().contains(pattern));
            for (String named : paths) {
                int computedAt = computedAt(named);
                Optional<String> globbed = globBeforeComputed(named, computedAt);
                if (globbed.isPresent()) {
                    patternKept(globbed.get(), shellPatternAt(globbed.get()), false, !reading.namedOnly().contains(named),
                            "named by a glob in " + file + ", which a new shell runs");
                    continue;
                }
                int pattern = named.indexOf('$') < 0 && named.indexOf('`') < 0 ? shellPatternAt(named) : -1;
                if (named.startsWith("/") && pattern > 0) {
                    // 'eval "$(cat ~/proj/rc.d/*.sh)"', '. <(cat ~/proj/rc.d/*)' (red team, round 48, F3): the glob's
                    // directory whole, as a sourced glob's; not the home's or a shared directory such as /tmp, where what
                    // the pattern makes of each write path is judged instead ('for s in ~/*/hook; do "$s"; done': round 63,
                    // F9, F13)
                    patternKept(named, pattern, false, !reading.namedOnly().contains(named), "named by a glob in " + file
                            + ", which a new shell runs");
                    continue;
                }
                if (named.indexOf('$') < 0 && named.indexOf('`') < 0 && shellPatternAt(named) < 0
                        && !reading.namedOnly().contains(named)) { // a value or an editor's file: no code (round 53, FP1)
                    Path path = Path.of(named);
                    FileFacts.Kind kind = FileFacts.lstatKind(path);
                    if (kind == FileFacts.Kind.REGULAR || kind == FileFacts.Kind.SYMLINK && java.nio.file.Files.isRegularFile(path)) {
                        add(path, false, Use.RUNS, "named by " + file + ", which a new shell runs");
                        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                        if (path.startsWith(host.home()) && !path.startsWith(host.home().resolve(".ssh"))
                                && !name.contains("hist") && !name.endsWith(".log") && sizeAtMost(path, 64 * 1024)) {
                            // and read as a start-up file: its text may be run ('eval "$(<~/.shellenv)"', '/bin/cat
                            // ~/.env', round 50, F5)
                            sourcedBy(path, depth + 1, read, variables);
                        }
                        // a list of directories, one a line or a ':' list: what a loop over its lines puts on a search
                        // path ('while read -r d; do PATH="$d:$PATH"; done < ~/.paths', round 51, F9), also a file
                        // outside the home ('PATH="$(cat ~/dots/path.txt):$PATH"' with the dotfiles elsewhere: red team,
                        // round 60, F19)
                        if (!path.startsWith(host.home().resolve(".ssh")) && sizeAtMost(path, 64 * 1024)) {
                            for (Path listed : directoryList(path)) {
                                runDirectory(listed, "listed in " + path + ", which " + file
                                        + " reads (a search path built from its lines)");
                            }
                        }
                    }
                }
            }
            // a path it names that is not there yet, unless only as a variable's value or a directory to change to: a
            // command that creates it may plant what the next shell runs (round 51, F3; round 53, F1: 'if ~/p/x; then',
            // 'nohup ~/p/x', 'bash ~/p/x.sh', "$HOME"/p/x)
            for (String named : paths) {
                if (named.startsWith("/") && named.indexOf('$') < 0 && named.indexOf('`') < 0
                        && shellPatternAt(named) < 0 && !reading.namedOnly().contains(named)
                        && !named.startsWith("/dev/") && !named.startsWith("/proc/")) {
                    Path path = Path.of(named);
                    FileFacts.Kind kind = FileFacts.lstatKind(path);
                    if (kind == FileFacts.Kind.ABSENT || kind == FileFacts.Kind.SYMLINK && !Files.exists(path)) {
                        add(path, false, Use.RUNS, "named by " + file + ", which a new shell may run once it exists");
                    }
                }
            }
            // a directory an interpreter or a project's build tool is given in an alias or a function: its code, whole
            // ('alias lint="node ~/p/scripts/lint"' runs lint/index.js, 'make -C ~/p dev': red team, round 58, F14, F15)
            for (String named : reading.codeDirectories()) {
                Path directory = named.startsWith("/") ? Path.of(named).normalize() : null;
                // not the home or a directory above it ('/': a word whose variables git's completion script computes)
                if (directory != null && named.indexOf('$') < 0 && named.indexOf('`') < 0 && firstPatternCharacter(named) < 0
                        && keepableWhole(directory) && Files.isDirectory(directory)) {
                    add(Path.of(named), true, Use.RUNS, "a directory " + file + " gives an interpreter, a project's build tool or a copy"
                            + " (its code), which a new shell runs");
                }
            }
            // what it runs as a command, also where nothing or a directory is there now: a command that creates (or
            // replaces) it plants what the next shell runs ('[ -x ~/p/env ] && eval "$(~/p/env)"', PS1='$(~/p/ps1.sh)':
            // red team, round 51, F3; round 52); a path it only names (an alias's argument, a variable) is no command
            List<Path> searched = null;
            Set<String> available = null;
            for (String command : reading.commands()) {
                if (command.indexOf('/') < 0) {
                    if (searched == null) {
                        searched = searchedFrom(file);
                        available = namesInAny(searched);
                    }
                    // every word of every command is a name to look up (ShellStartupText.commandNames): those no searched
                    // directory holds are passed over at once
                    if (available != null && !available.contains(command)) {
                        continue;
                    }
                    byName(command, file, searched, true, depth, read, variables);
                } else if (!command.startsWith("/dev/") && !command.startsWith("/proc/")) {
                    add(Path.of(command), false, Use.RUNS, "run by " + file + " (also once it exists)");
                    if (Files.isRegularFile(Path.of(command))) {
                        interpreterOf(Path.of(command), file, depth, read, variables);
                    }
                }
            }
            return reading;
        }

        /**
         * {@code paths}, and for each pattern among them what the shell's glob reaches now, judged as if the file had named
         * it: each match (where {@code expandMatches} takes the pattern and it is not the system's, below {@code /etc} or
         * {@code /usr}: the system's start-up files are not read, docs/security.md), and each symbolic link met after the
         * pattern began, as the path through it and as where it leads, each with the rest of the pattern after it ({@code
         * ~}{@code /*}{@code /bin} with {@code ~/proj -> /w/proj} gives {@code ~/proj/bin} and {@code /w/proj/bin}): the
         * link, the links on its way and its target are then judged as named (red team, round 60, F7-F9; round 63, F4,
         * F10). Past {@link #MOST_GLOB_ENTRIES} entries listed, the file fails closed.
         */
        private List<String> withLinkedMatches(List<String> paths, Path file, java.util.function.Predicate<String> expandMatches) {
            List<String> all = new ArrayList<>(paths);
            for (String word : paths) {
                // a computed part as a pattern matching anything: '~/src/*/env.$(uname -s).sh', '~/dots/hosts/$(hostname).sh'
                // meet the links the shell's expansion meets ('~/src/proj -> /data/proj': red team, round 68, F4, F5)
                String path = computedAt(word) < 0 ? word : COMPUTED_PART.matcher(word).replaceAll("*");
                int pattern = shellPatternAt(path);
                if (!path.startsWith("/") || pattern < 0 || path.indexOf('$') >= 0 || path.indexOf('`') >= 0) {
                    continue;
                }
                if (!path.equals(word) && path.indexOf('/', pattern) < 0 && literalBefore(path, pattern).isEmpty()) {
                    // but not a computed name right in a directory not kept whole, the home or above ('. "$HOME/$ENVFILE"'):
                    // every link there would be taken for what the file sources, a linked project among them (review of
                    // round 69)
                    continue;
                }
                if (path.contains("/..")) {
                    // '~/dots/*/../../proj/env.sh' walks back out of the pattern's directory: as the shell reads it where
                    // each pattern component matches a directory (red team, round 64, F2); the links are followed below
                    String lexical = Path.of(path).normalize().toString();
                    if (!lexical.equals(path)) {
                        all.add(lexical);
                    }
                }
                // once a plan: the files are read again at each reading, the directories stay what they were
                // keyed with the case folding the files read so far ask for (a later file may turn it on)
                String key = (caseFolded ? "i\0" : "\0") + path;
                if (!throughLinks.containsKey(key) && globEntriesListed > MOST_GLOB_ENTRIES_A_PLAN) {
                    // the entries all patterns list together are bounded too: 1,300 patterns each walking thousands of
                    // entries had kept a plan going for minutes (outside test RT30, F3); past it, fail closed once
                    if (!globBudgetSpent) {
                        globBudgetSpent = true;
                        failClosedUnread("the patterns in the shell start-up files (the last in " + file + ") list more"
                                + " than " + MOST_GLOB_ENTRIES_A_PLAN + " entries together");
                    }
                    continue;
                }
                Expansion expansion = throughLinks.computeIfAbsent(key, k -> {
                    String p = k.substring(k.indexOf('\0') + 1);
                    Expansion found = new Expansion(new ArrayList<>(), new ArrayList<>(), new java.util.HashSet<>(), new int[] {0});
                    expand(Path.of("/"), ShellPattern.components(p), 0, false, found);
                    globEntriesListed += found.listed()[0];
                    return found; // past the bound too: listed once a plan (review of round 63)
                });
                if (expansion.listed()[0] > MOST_GLOB_ENTRIES && !path.equals(word)) {
                    continue; // a computed word's links past the bound: not followed, as before round 68 (declared)
                }
                if (expansion.listed()[0] > MOST_GLOB_ENTRIES) {
                    failClosedUnread("the pattern " + path + " in the shell start-up file " + file + " matches more than "
                            + MOST_GLOB_ENTRIES + " entries");
                    continue;
                }
                all.addAll(expansion.throughLinks());
                // not a computed word's matches: '. "$HOME/$ENVFILE"' would read every file of the home as sourced
                if (path.equals(word) && expandMatches.test(word) && !path.startsWith("/etc/") && !path.startsWith("/usr/")) {
                    all.addAll(expansion.matches());
                }
            }
            return all;
        }

        /**
         * A pattern's expansion: its matches, the paths through and to the links it meets, the links' targets expanded
         * (each with the index of the component it expands from: once each, so a cycle of links ends), the entries listed.
         */
        private record Expansion(List<String> matches, List<String> throughLinks, Set<String> expanded, int[] listed) {}

        /** {@link #withLinkedMatches}'s expansion of each pattern in this plan. */
        private final java.util.Map<String, Expansion> throughLinks = new java.util.HashMap<>();

        /** A command that sets shell options: zsh's setopt, unsetopt, {@code set -o}, {@code options[…]}, bash's shopt. */
        private static final java.util.regex.Pattern OPTION_COMMAND = java.util.regex.Pattern.compile(
                "(?:\\b(?:setopt|unsetopt|shopt|set\\s+[-+]o)\\b|\\boptions\\[)([^;&|#\\n]*)");
        /** bash's shopt, whose nocaseglob folds only a pattern's components (which are matched in any case anyway). */
        private static final java.util.regex.Pattern SHOPT = java.util.regex.Pattern.compile("\\bshopt\\b[^;&|\\n]*");

        /**
         * Whether {@code text} may turn zsh's case folding on: "caseglob" anywhere in it, read as zsh reads an option's
         * name (no {@code _}, any case) after the shell joins its pieces (backslash-newlines, quotes) — so {@code emulate -o
         * no_case_glob}, {@code set -e -o nocaseglob}, {@code options+=(caseglob off)} count (review of round 66) — but not
         * in bash's shopt; or an option command that names options this cannot read ({@code -m 'case*'}, {@code ${o}glob}:
         * red team, round 65, F1; round 66, F1, F2): over-inclusively, as on.
         */
        private static boolean foldsCase(String text) {
            // a function of the text alone, asked of every start-up file at each reading in every plan (a tenth of a plan
            // with this VM's home: its regular expressions run over the whole text): kept per text, as readings are
            return FOLDS_CASE.get(text, Reader::foldsCaseNow);
        }

        /** {@link #foldsCase}'s answers by text. */
        private static final ReadingMemo<String, Boolean> FOLDS_CASE = new ReadingMemo<>(ReadingMemo.PER_TEXT);
        /** Characters zsh's option names and the shell's joining of quoted pieces ignore. */
        private static final java.util.regex.Pattern IGNORED_IN_OPTION = java.util.regex.Pattern.compile("[_'\"\\\\]");
        /** Option words this cannot read: a {@code -m} pattern, a computed or globbed name. */
        private static final java.util.regex.Pattern UNREADABLE_OPTION = java.util.regex.Pattern.compile(
                ".*(?:-m\\b|[$*?\\[`]).*");

        private static boolean foldsCaseNow(String text) {
            String joined = SHOPT.matcher(text.replace("\\\n", "")).replaceAll("");
            if (IGNORED_IN_OPTION.matcher(joined).replaceAll("").toLowerCase(Locale.ROOT).contains("caseglob")) {
                return true;
            }
            java.util.regex.Matcher command = OPTION_COMMAND.matcher(joined);
            while (command.find()) {
                String words = IGNORED_IN_OPTION.matcher(command.group(1)).replaceAll("").toLowerCase(Locale.ROOT);
                if (UNREADABLE_OPTION.matcher(words).matches()) {
                    return true;
                }
            }
            return false;
        }

        /** The most directory entries {@link #withLinkedMatches} lists for one pattern. */
        private static final int MOST_GLOB_ENTRIES = 16384;

        /** The most directory entries the start-up files' patterns list together in one plan ({@link #globEntriesListed}). */
        private static final int MOST_GLOB_ENTRIES_A_PLAN = 65_536;

        /** The entries the start-up files' patterns listed so far in this plan, and whether that went past its bound. */
        private int globEntriesListed;
        private boolean globBudgetSpent;

        /**
         * The pattern's {@code components} from {@code next} on, at the directory {@code at}; {@code begun} once a
         * component with a pattern has been matched. A {@code **} component matches any number of directories (without
         * descending into links, as zsh's {@code **} and bash's globstar; a link it meets is taken as a link, with the
         * {@code **} still in the rest).
         */
        private void expand(Path at, List<String> components, int next, boolean begun, Expansion out) {
            if (out.listed()[0] > MOST_GLOB_ENTRIES) {
                return;
            }
            if (next == components.size()) {
                if (begun) {
                    out.matches().add(at.toString());
                }
                return;
            }
            String component = components.get(next);
            // a literal component; under case folding, where it is not there as written, listed as a pattern, whose
            // letters match in any case (round 64, F11; round 65, F6: '~/Dots/*' with '~/dots/x' a link), but not listed
            // where it is (round 66, FP1: a home of 17,000 entries listed for '~/.zsh/*.zsh' failed every plan closed)
            Path child = shellPatternAt(component) < 0 ? at.resolve(component) : null;
            FileFacts.Kind kind = child == null ? FileFacts.Kind.ABSENT : FileFacts.lstatKind(child);
            if (child != null && (!caseFolded || kind != FileFacts.Kind.ABSENT)) {
                if (kind == FileFacts.Kind.SYMLINK && begun) {
                    linked(child, components, next + 1, out);
                } else if (kind != FileFacts.Kind.ABSENT) {
                    expand(child, components, next + 1, begun, out);
                }
                return;
            }
            boolean recursive = ShellPattern.recursive(component);
            if (recursive) {
                expand(at, components, next + 1, true, out); // no directory at all
            }
            java.util.function.Predicate<String> glob = ShellPattern.name(component);
            if (!recursive && component.startsWith(".") && glob.test("..") && at.getParent() != null) {
                // bash before 5.2 (and with globskipdots off) matches '..' and '.' with '.*': out of the directory (round 64,
                // F12; no directory lists them): the paths they give, judged as named, whether or not they are there yet
                String rest = String.join("/", components.subList(next + 1, components.size()));
                for (Path dot : List.of(at.getParent(), at)) {
                    out.throughLinks().add(rest.isEmpty() ? dot.toString() : dot + "/" + rest);
                }
            }
            // none where at is no directory or cannot be listed (the shell's glob cannot list it either); sorted, taken from
            // the process cache where the directory is unchanged (FileFacts.namesIn)
            List<Path> names = FileFacts.namesIn(at, MOST_GLOB_ENTRIES);
            if (names == null) {
                out.listed()[0] = MOST_GLOB_ENTRIES + 1;
                return;
            }
            // a '**' before a pattern component lists the same directory that component lists: counted once (round 64, FP2)
            boolean countedNext = recursive && next + 1 < components.size()
                    && shellPatternAt(components.get(next + 1)) >= 0 && !ShellPattern.recursive(components.get(next + 1));
            List<Path> entries = new ArrayList<>(names.size());
            for (Path name : names) {
                if ((countedNext ? out.listed()[0] : ++out.listed()[0]) > MOST_GLOB_ENTRIES) {
                    return;
                }
                entries.add(at.resolve(name));
            }
            // outside the listing: a failure further on (a path Java cannot name) is the plan's, not a shorter listing
            for (Path entry : entries) {
                if (!glob.test(entry.getFileName().toString())) {
                    continue;
                }
                if (FileFacts.lstatKind(entry) == FileFacts.Kind.SYMLINK) {
                    linked(entry, components, recursive ? next : next + 1, out);
                } else if (recursive) {
                    if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        expand(entry, components, next, true, out);
                    } else if (next + 1 == components.size()) {
                        out.matches().add(entry.toString()); // a trailing '**' matches files too (review of round 63)
                    }
                } else {
                    expand(entry, components, next + 1, true, out);
                }
            }
        }

        /** A link {@link #expand} met: the path through it and where it leads, each with the rest; then on in its target. */
        private void linked(Path link, List<String> components, int next, Expansion out) {
            String rest = String.join("/", components.subList(next, components.size()));
            out.throughLinks().add(rest.isEmpty() ? link.toString() : link + "/" + rest);
            Optional<Path> real = leadsTo(link);
            if (real.isPresent()) {
                out.throughLinks().add(rest.isEmpty() ? real.get().toString() : real.get() + "/" + rest);
                // and links further on in the target ('~/*/*/bin'), also below a '**' (bash lists a link a '**' meets and
                // globs in it; zsh's '***' follows links at every level: red team, round 64, F3, F5), and its matches
                if (out.expanded().add(real.get() + "\0" + next)) {
                    expand(real.get(), components, next, true, out);
                }
            }
        }

        /**
         * Where {@code path} leads, as the kernel walks it through the plan's file facts: its real location, or where a
         * file created through a dangling link would be; empty past the kernel's bound on links (a cycle).
         */
        private static Optional<Path> leadsTo(Path path) {
            PathWalk walk = PathWalk.of(path, FileFacts.LSTAT);
            return walk.tooManyLinks() ? Optional.empty() : Optional.of(walk.end().normalize());
        }

        /**
         * The literal directory of {@code path} before index {@code at} (where a computed part or a pattern begins), when
         * it may be kept whole: see {@link #keepableWhole}.
         */
        private Optional<Path> literalBefore(String path, int at) {
            Path literal = withoutDots(Path.of(path.substring(0, Math.max(1, path.lastIndexOf('/', at)))));
            return keepableWhole(literal) ? Optional.of(literal) : Optional.empty();
        }

        /**
         * A path with a part only the shell knows ({@code ~/p/$X/bin}, {@code /tmp/p$HOSTTYPE/bin}), judged against each
         * write path as a pattern is, each computed component as its literal start and anything after it. The literal
         * directory before the computed part is kept as a search path's too (its links followed), but its subdirectories
         * run nothing as a search path's, and one too broad to keep ({@code /tmp}) is not: a project below it had stayed
         * writable (outside test RT32, F3:
         * RT30-F2's own form, {@code /tmp/p$HOSTTYPE/bin}). Below a directory that holds no home, a computed part may
         * also hold a '/': what lies below its component is reached whole. Not below the home itself, which is written
         * as not enforced: there it would withhold every project; below a directory above the home
         * ({@code /home/$USER/bin} where {@code USER} is not set) the computed part is taken as one component.
         */
        private void computedBelow(String path, int computed, String why) {
            Path literal = withoutDots(Path.of(path.substring(0, Math.max(1, path.lastIndexOf('/', computed)))));
            if (homes().contains(literal)) {
                return;
            }
            boolean aboveAHome = homes().stream().anyMatch(home -> home.startsWith(literal));
            StringBuilder pattern = new StringBuilder(literal.equals(ROOT) ? "" : literal.toString());
            int first = -1;
            List<String> components = List.of(path.substring(path.lastIndexOf('/', computed) + 1).split("/"));
            for (int c = 0; c < components.size(); c++) {
                String component = components.get(c);
                int at = computedAt(component);
                pattern.append('/');
                if (at < 0) {
                    pattern.append(ShellPattern.quoted(component));
                    continue;
                }
                if (first < 0) {
                    first = pattern.length() + ShellPattern.quoted(component.substring(0, at)).length();
                }
                pattern.append(ShellPattern.quoted(component.substring(0, at))).append('*');
                if (c == 0 && !aboveAHome) {
                    pattern.append("/**"); // what the value holds after a '/' of its own: anything below
                    break;
                }
            }
            runPattern(pattern.toString(), first, true, why);
        }

        /** {@code path} without its {@code .} components ({@code ~/./*}: the home, not a directory below it: review of round 66). */
        private static Path withoutDots(Path path) {
            Path out = path.getRoot();
            for (Path name : path) {
                out = name.toString().equals(".") ? out : out == null ? name : out.resolve(name);
            }
            return out == null ? path : out;
        }

        /**
         * Whether a directory a start-up file names only through a pattern or a computed part may be kept whole: one
         * below the home, or one elsewhere below a top-level directory; never the home itself, a directory above it, or
         * a top-level directory such as {@code /tmp} (docs/security.md).
         */
        private boolean keepableWhole(Path directory) {
            for (Path home : homes()) {
                if (directory.startsWith(home)) {
                    return !directory.equals(home);
                }
            }
            return homes().stream().noneMatch(home -> home.startsWith(directory)) && directory.getNameCount() > 1;
        }

        /** The home as named and, where a symbolic link leads to it, its real path (red team, round 60, F21). */
        private List<Path> homes() {
            if (homes == null) {
                Path home = host.home();
                homes = leadsTo(home).filter(real -> !real.equals(home)).map(real -> List.of(home, real)).orElse(List.of(home));
            }
            return homes;
        }

        private List<Path> homes;

        /**
         * A glob on a search path ({@code for d in ~/*}{@code /bin; do PATH="$d:$PATH"; done}, zsh's {@code path=(~/*}{@code
         * /bin $path)}): the directories it matches now and those a command could make match, so its literal directory
         * before the pattern, whole; where that is the home or a directory above it (red team, round 59, F6: it had been
         * left out), what the pattern makes of each write path ({@link RunPattern}).
         */
        private void globOnPath(String directory, Path file) {
            patternKept(directory, shellPatternAt(directory), true, true, "a directory a pattern in " + file + " puts on PATH");
        }

        /**
         * A pattern's literal directory whole where it may be kept whole; where it may not (the home, a top-level one), and
         * where the pattern is {@code run} (not only a value), what it makes of each write path ({@link #runPattern}), and
         * under case folding the whole word in any case ({@link #caseFolded}).
         */
        private void patternKept(String path, int pattern, boolean container, boolean run, String why) {
            Optional<Path> whole = literalBefore(path, pattern);
            whole.ifPresent(literal -> add(literal, true, Use.RUNS, why));
            if (run && whole.isEmpty()) {
                runPattern(path, pattern, container, why);
            } else if (run && caseFolded) {
                caseFolded(path, container, why);
            }
        }

        /**
         * {@code path}'s pattern (from index {@code pattern}) judged against each write path, from its literal directory
         * and, where a symbolic link leads to that (a linked home: the write paths are real paths, red team, round 60,
         * F21), from where it leads too.
         */
        private void runPattern(String path, int pattern, boolean container, String why) {
            if (unfollowable(path, why)) {
                return;
            }
            Path literal = withoutDots(Path.of(path.substring(0, Math.max(1, path.lastIndexOf('/', pattern)))));
            // the components after as many as the literal directory has ('//tmp/*/bin' is '/tmp' and '*/bin': review of
            // round 63)
            List<String> all = ShellPattern.components(path);
            List<String> components = all.subList(Math.min(literal.getNameCount(), all.size()), all.size());
            runPatterns.add(new RunPattern(literal, components, container, caseFolded, why));
            leadsTo(literal).filter(real -> !real.equals(literal))
                    .ifPresent(real -> runPatterns.add(new RunPattern(real, components, container, caseFolded, why)));
            if (caseFolded) {
                caseFolded(path, container, why);
            }
        }

        /**
         * Under zsh's NO_CASE_GLOB (a start-up file that mentions it) every component of a pattern word matches in any
         * case, the literal ones too ('~/Code/*' + '/bin' reaches '~/code/p/bin': red team, round 64, F8, F11): the word
         * from the root on is judged against each write path, over-inclusively.
         */
        private void caseFolded(String path, boolean container, String why) {
            runPatterns.add(new RunPattern(ROOT, ShellPattern.components(path), container, true, why + " (in any case)"));
            // the write paths are real paths: a linked home's pattern from its real path too (round 65, F9)
            Path home = host.home();
            for (Path real : homes()) {
                if (!real.equals(home) && path.startsWith(home + "/")) {
                    runPatterns.add(new RunPattern(ROOT, ShellPattern.components(real + path.substring(home.toString().length())),
                            container, true, why + " (in any case)"));
                }
            }
        }

        /**
         * Whether {@code file} is one of zsh's start-up files or a zsh script ({@code .zshrc}, {@code init.zsh}, a file in
         * {@code ~/.zsh} or {@code ~/.oh-my-zsh}); not a file whose home merely has "zsh" in its name (review of round 66).
         */
        private static boolean zshFile(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString();
            Path parent = file.getParent();
            String directory = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
            return name.startsWith(".z") || name.endsWith(".zsh") || directory.contains("zsh") || directory.startsWith(".z");
        }

        /**
         * A path with a pattern before its first computed part ({@code ~/src/*}{@code /env.$(uname -s).sh}) as a pattern
         * whose computed parts match anything ({@code *}); empty where nothing is computed or no pattern comes first.
         * The computed part had been cut at, leaving a literal directory with a {@code *} in it that named nothing (red
         * team, round 67, F1-F4).
         */
        private static Optional<String> globBeforeComputed(String path, int computed) {
            if (computed <= 0 || !path.startsWith("/") || shellPatternAt(path.substring(0, computed)) < 0) {
                return Optional.empty();
            }
            return Optional.of(COMPUTED_PART.matcher(path).replaceAll("*"));
        }

        /** Where the first computed part of {@code word} starts (a {@code $} or a backquote), or -1. */
        private static int computedAt(String word) {
            int dollar = word.indexOf('$');
            int backquote = word.indexOf('`');
            return dollar < 0 ? backquote : backquote < 0 ? dollar : Math.min(dollar, backquote);
        }

        /** A computed part of a word: a command substitution, a variable, a backquoted command. */
        private static final java.util.regex.Pattern COMPUTED_PART = java.util.regex.Pattern.compile(
                "\\$\\([^)]*\\)|\\$\\{[^}]*}|\\$\\w+|`[^`]*`|\\$");

        /** Whether a start-up file read so far mentions case folding in patterns (zsh's NO_CASE_GLOB, bash's nocaseglob). */
        private boolean caseFolded;

        /** The lines of {@code file} when each (but blank and {@code #} lines) is one absolute path ({@code ~/} too); else none. */
        private List<Path> directoryList(Path file) {
            Optional<String> text = read(file, READ_BY_A_STARTUP_FILE);
            if (text.isEmpty()) {
                return List.of();
            }
            List<Path> listed = new ArrayList<>();
            for (String line : text.get().split("\n")) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                entry = entry.startsWith("~/") ? host.home() + entry.substring(1)
                        : entry.startsWith("$HOME/") ? host.home() + entry.substring(5) : entry;
                if (!entry.startsWith("/") || entry.chars().anyMatch(c -> Character.isWhitespace(c) || c == '$' || c == '`'
                        || c == '=')) {
                    return List.of();
                }
                // a line that is a ':' list is each of its directories ('PATH="$(cat ~/.config/path):$PATH"': round 59, F9)
                for (String part : entry.split(":")) {
                    if (part.startsWith("/")) {
                        listed.add(Path.of(part));
                    }
                }
            }
            return listed;
        }

        private static boolean sizeAtMost(Path file, long bytes) {
            long size = FileFacts.size(file);
            return size >= 0 && size <= bytes;
        }

        private void gitFile(Path file, int depth, Set<Path> read) {
            if (depth > MAX_DEPTH || read.size() >= MAX_FILES) {
                // GitConfig fails closed past its own bounds for what git runs; the keys and stores it may name too (red
                // team of the credential variables, 2026-12-05, night, F19)
                failClosedUnread("the git config " + file + " is included more than " + MAX_DEPTH + " levels deep or past "
                        + MAX_FILES + " files");
                return;
            }
            if (!read.add(file.toAbsolutePath().normalize())) {
                return;
            }
            Optional<byte[]> bytes = readBytes(file, "the git config");
            if (bytes.isEmpty()) {
                return;
            }
            try {
                List<GitConfig.Entry> entries = GitConfig.parse(new String(bytes.get(), StandardCharsets.UTF_8), file.toString());
                secretsIn(file, entries);
                gitEntries(entries, file.toAbsolutePath().getParent(), "in " + file, depth, read);
            } catch (GitConfig.Unparseable e) {
                // git refuses to run with it; GitConfig fails closed on it
            }
        }

        /**
         * A git config that holds a secret itself is withheld as a key: an {@code Authorization} header git sends
         * ({@code http.<url>.extraHeader}, where actions/checkout keeps the job's token), a password in a URL ({@code
         * https://user:TOKEN@host/…} in a remote's or a submodule's URL, an {@code insteadOf}), and Git Credential
         * Manager's plaintext store ({@code credential.plaintextStorePath}) (red team of the credential variables,
         * 2026-12-05, night, F18, F20).
         */
        private void secretsIn(Path file, List<GitConfig.Entry> entries) {
            for (GitConfig.Entry entry : entries) {
                String name = entry.name().toLowerCase(Locale.ROOT);
                String value = entry.value();
                if (value == null || value.isBlank()) {
                    continue;
                }
                String last = name.substring(name.lastIndexOf('.') + 1);
                if (name.startsWith("http.") && name.endsWith(".extraheader")) {
                    // every header: git sends it with each request, and what one is for is a credential nearly always; a
                    // list of names was walked past (red team, 2026-12-06, RT-5: cf-access-token, Api-Key, DD-API-KEY)
                    add(file, false, Use.KEY, "the git config " + file + ", whose " + ShownText.withoutPasswords(entry.name())
                            + " is a header git sends with every request (a credential, as a rule)");
                } else if (SECRET_ENTRY.matcher(last).matches() && !name.startsWith("alias.")) { // an alias's name is the user's (FP2-4)
                    // sendemail.smtpPass, github.token, a tool's password kept in git's config (RT-5)
                    add(file, false, Use.KEY, "the git config " + file + ", whose " + ShownText.withoutPasswords(entry.name())
                            + " holds a secret");
                } else if (name.startsWith("credential.") && name.endsWith(".helper") && value.strip().startsWith("!")
                        && HELPER_PASSWORD.matcher(value.replace("\"", "").replace("'", "").replace("\\", "")).find()) {
                    // '!f() { echo password=TOKEN; }; f': the helper's own text is the password (RT-5)
                    add(file, false, Use.KEY, "the git config " + file + ", whose " + ShownText.withoutPasswords(entry.name())
                            + " writes a password itself");
                } else if ((name.endsWith(".url") || name.endsWith(".pushurl") || name.endsWith(".insteadof")
                        || name.endsWith(".proxy") // http.proxy, remote.<name>.proxy with a password (re-attack, R11)
                        || name.endsWith(".pushinsteadof") || name.startsWith("url.")) && ShownText.PASSWORD_IN_URL.matcher(
                        name.startsWith("url.") ? name + " " + value : value).find()) {
                    add(file, false, Use.KEY, "the git config " + file + ", whose " + ShownText.withoutPasswords(entry.name())
                            + " holds a password");
                } else if (name.startsWith("credential.") && name.endsWith(".plaintextstorepath")) {
                    path(value, host.home(), file.toAbsolutePath().getParent(), true, Use.KEY, "Git Credential Manager's"
                            + " plaintext store (" + ShownText.withoutPasswords(entry.name()) + " in " + file + ")");
                }
            }
        }

        /**
         * A helper's {@code password=} with a value written in it, as the shell it runs in prints it (quotes and
         * backslashes joined away: {@code pass"word"=X}, {@code password\\=X}); not one it computes ({@code
         * password=$(pass show …)}, a password manager's: re-attack of 2026-12-06, R2-7, FP2-1).
         */
        private static final java.util.regex.Pattern HELPER_PASSWORD = java.util.regex.Pattern.compile(
                "(?i)password=(?![$`\\s;}]|$)");

        /** The last part of a git config key that names a secret value: {@code smtpPass}, {@code token}, {@code password}. */
        private static final java.util.regex.Pattern SECRET_ENTRY = java.util.regex.Pattern.compile(
                "(?i)(?!askpass$)[\\w-]*(?:pass|password|passwd|token|secret|apikey|api-key|secretaccesskey|privatekey|credentials?)"
                        + "|pat"); // core.askPass is a program; aws.secretAccessKey, a tool's privateKey (R3-12)

        private void gitEntries(List<GitConfig.Entry> entries, Path includeBase, String where, int depth, Set<Path> read) {
            for (GitConfig.Entry entry : entries) {
                String name = entry.name();
                String value = entry.value();
                if (value == null || value.isBlank()) {
                    continue;
                }
                String why = "named by " + ShownText.withoutPasswords(entry.original()) + " " + where;
                if (name.equals("include.path") || name.startsWith("includeif.") && name.endsWith(".path")) {
                    // every includeIf, whatever its condition: over-inclusive
                    if (value.startsWith(GitConfig.OPTIONAL_PREFIX)) { // git 2.52's optional include: the path after it
                        String after = value.substring(GitConfig.OPTIONAL_PREFIX.length());
                        GitConfig.expandHome(after, host.home()).ifPresent(v -> gitFile(includeBase.resolve(v), depth + 1, read));
                    } // and, for an earlier git, the whole value as a relative path
                    GitConfig.expandHome(value, host.home()).ifPresent(v -> gitFile(includeBase.resolve(v), depth + 1, read));
                } else if (GitConfig.isFileKey(name) && ScriptScan.SECRET_FILE_KEYS.contains(name.substring(name.lastIndexOf('.') + 1))) {
                    key(value, host.workingDirectory(), why);
                    optionalPath(value).ifPresent(after -> key(after, host.workingDirectory(), why));
                } else if (name.equals("user.signingkey") && signingKeyFile(value)) {
                    // gpg.format = ssh: the private (or public) ssh key git signs with, a path where git runs (red team,
                    // round 46, F3); a GPG key's id, an e-mail and a literal key (key::…, ssh-…) name no file
                    key(value, host.workingDirectory(), why);
                    optionalPath(value).ifPresent(after -> key(after, host.workingDirectory(), why));
                } else if (GitConfig.isCommandKey(name)) { // read whole: a quick filter missed quoted forms ('-"i" k')
                    String command = value.startsWith("!") ? value.substring(1) : value;
                    CommandWords.Reading reading = CommandWords.of(command, host.variables(), host.home(),
                            host.workingDirectory());
                    keys(reading, why);
                    for (String config : reading.configs()) {
                        sshConfig(config, host.home(), why); // 'ssh -F cfg': its IdentityFile (and what it runs)
                    }
                }
            }
        }

        /**
         * The path after git 2.52's {@code :(optional)} prefix, which that git reads where an earlier one reads the whole
         * value as a relative path: a key is withheld under both names (the review of RT29's fix, R4).
         */
        private static Optional<String> optionalPath(String value) {
            return value.startsWith(GitConfig.OPTIONAL_PREFIX)
                    ? Optional.of(value.substring(GitConfig.OPTIONAL_PREFIX.length())) : Optional.empty();
        }

        /**
         * Whether a {@code user.signingKey} names a file: a path ({@code ~/.ssh/sign}, {@code keys/sign}), or a plain
         * word that is a file where git runs; not a literal key ({@code key::ssh-ed25519 AAAA…}, {@code ssh-ed25519 …})
         * nor a GPG key's id or e-mail where no such file is.
         */
        private boolean signingKeyFile(String value) {
            if (value.startsWith("key::") || value.startsWith("ssh-") || value.startsWith("ecdsa-") || value.startsWith("sk-")) {
                return false;
            }
            return value.indexOf('/') >= 0 || value.startsWith("~") || value.indexOf('$') >= 0
                    || FileFacts.lstatKind(host.workingDirectory().resolve(value)) != FileFacts.Kind.ABSENT;
        }

        /**
         * A config given to ssh with {@code -F}, read as {@code ~/.ssh/config} is (its includes relative
         * to {@code ~/.ssh}); a relative one against the home and the working directory; one whose
         * name cannot be known fails closed.
         */
        private void sshConfig(String config, Path home, String why) {
            String word = expandVariables(config);
            if (word.indexOf('$') >= 0 || word.indexOf('`') >= 0) {
                failClosedUnread("the ssh config " + config + " (" + why + ") cannot be known here");
                return;
            }
            Optional<String> expanded = expandTokens(word, home);
            if (expanded.isEmpty()) {
                return;
            }
            Path path = Path.of(expanded.get());
            for (Path file : path.isAbsolute() ? List.of(path)
                    : List.of(home.resolve(path), host.workingDirectory().resolve(path))) {
                add(file, false, Use.RUNS, "the ssh config given with -F (" + why + ")");
                ssh(file.normalize(), home, home.resolve(".ssh"), 1);
            }
        }

        /** A word taken against the home and against the working directory (where the later program most likely runs). */
        private void relative(String word, Path home, boolean container, String why) {
            path(word, home, home, container, Use.RUNS, why);
            if (!word.startsWith("/") && !word.startsWith("~")) {
                path(word, home, host.workingDirectory(), container, Use.RUNS, why);
            }
        }

        private void commandWords(List<String> words, Path home, Use use, String why) {
            for (String word : words) {
                if (word.startsWith("-") || !word.contains("/")) {
                    continue; // an option's glued path is a word of its own (CommandWords.tails)
                }
                if (GitConfig.URI_OR_ARN.matcher(word).lookingAt()) {
                    continue; // https://…, file://…, op://…, arn:aws:iam::…:role/x: no path a program runs
                }
                path(word, home, home, false, use, why);
                if (!word.startsWith("/") && !word.startsWith("~")) {
                    path(word, home, host.workingDirectory(), false, use, why); // relative: where aws or ssh runs
                }
            }
        }

        private void path(String word, Path home, Path base, boolean container, Use use, String why) {
            if (word.indexOf('$') >= 0) {
                // ssh expands ${VAR} in IdentityFile, CertificateFile, UserKnownHostsFile, ControlPath, …
                // (round 24, F1: IdentityFile ${HOME}/proj/id_test named nothing); a variable not set here
                // with no directory before it fails closed
                String expanded = expandVariables(word);
                if (expanded.indexOf('$') < 0) {
                    word = expanded;
                } else if (expanded.lastIndexOf('/', expanded.indexOf('$')) < 0) {
                    failClosed("the word " + word + " (" + why + ") names a path that cannot be known here: it starts"
                            + " with a variable the environment aws-sandbox runs in does not set");
                    return;
                } else {
                    word = expanded;
                }
            }
            String prefix = word;
            int cut = firstPatternCharacter(word);
            boolean pattern = cut >= 0;
            if (pattern) {
                int slash = word.lastIndexOf('/', cut);
                if (slash < 0) {
                    return; // no directory before the token: nothing fixed to name
                }
                prefix = slash == 0 ? "/" : word.substring(0, slash);
            }
            Optional<Path> expanded = expand(prefix, home, base);
            expanded.ifPresent(p -> add(p, container || pattern, use, why));
        }

        private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$(\\w+|\\{(\\w+)\\})");
        /** An absolute or {@code ~/} path in an options variable: a word, or after {@code :}, {@code =}, {@code ,}, {@code @}, {@code -r}, {@code -I}. */
        private static final java.util.regex.Pattern OPTION_PATH = java.util.regex.Pattern.compile(
                "(?:^|[\\s:=,@]|-[A-Za-z])(?:\"((?:/|~/)[^\"]+)\"|'((?:/|~/)[^']+)'|((?:/|~/)[^\\s:,;=\"']+))");
        private static final java.util.regex.Pattern LESSKEY_OPTION = java.util.regex.Pattern.compile(
                "--lesskey-(?:src|file)[= ](\\S+)");
        private static final java.util.regex.Pattern MAN_PAGER_OPTION = java.util.regex.Pattern.compile(
                "(?:^|\\s)(?:-P\\s*|--pager=)(\\S+)");

        /** {@code $NAME} and {@code ${NAME}} the environment sets expanded (others kept as written). */
        private String expandVariables(String word) {
            java.util.regex.Matcher m = VARIABLE.matcher(word);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(2) != null ? m.group(2) : m.group(1);
                String value = name.equals("HOME") ? host.home().toString() : host.variables().get(name);
                m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** {@code ~}, {@code ~user} and ssh's {@code %d} expanded; relative against {@code base}. */
        private Optional<String> expandTokens(String word, Path home) {
            String w = word.replace("%d", home.toString());
            return GitConfig.expandHome(w, home);
        }

        private Optional<Path> expand(String word, Path home, Path base) {
            // not normalised: the kernel takes a ".." after a link from the link's target (round 24, F15)
            return expandTokens(word, home).map(base::resolve);
        }

        private void add(Path lexical, boolean container, Use use, String why) {
            if (unfollowable(lexical.toString(), why)) {
                return;
            }
            Path raw = lexical.toAbsolutePath();
            if (!added.add(raw + "\0" + container + use)) {
                return; // read twice (a command's words are read several ways): named once, with its first reason
            }
            Path path = raw.normalize();
            if (raw.toString().contains("..")) {
                // a directory a '..' walks back out of could become a link before the later program runs
                // (red team, round 33, F1: w/X/../../f with X replaced inside the write path w)
                for (Path back : GitConfig.walkedBack(raw)) {
                    addResolved(back, true, use, why + " (a directory a '..' in " + raw + " walks back out of: the"
                            + " command could swap it for a link)");
                }
            }
            if (!raw.equals(path) && raw.toString().contains("..")) {
                // red team, round 24, F15: ~/bin/../tools/cred.sh with ~/bin -> ~/dots/bin runs ~/dots/tools/cred.sh.
                // The kernel's reading (a ".." goes up from where the links so far lead) is named as well as the
                // textual one, and every link on its way (the command could re-point it)
                PathWalk walk = PathWalk.of(raw, FileFacts.LSTAT);
                if (!walk.end().normalize().equals(path)) {
                    addResolved(walk.end().normalize(), container, use, why);
                    if (use != Use.KEY) {
                        for (Path link : walk.links()) {
                            found.add(new Named(link, link, true, false, false, use, "the symbolic link " + link
                                    + " on the way to " + raw + " (" + why + "), which the command could re-point"));
                        }
                    }
                }
            }
            addResolved(path, container, use, why);
        }

        private void addResolved(Path path, boolean container, Use use, String why) {
            // one lstat a component; no link on the way: the path is its own real path (no realpath, which throws
            // for a missing file, slowly)
            List<GitConfig.Target> links = GitConfig.replaceableOnTheWay(path, path.toString());
            if (links.isEmpty()) {
                boolean exists = FileFacts.lstatKind(path) != FileFacts.Kind.ABSENT;
                found.add(new Named(path, path, exists, exists, container, use, why));
                return;
            }
            GitConfig.Target t = GitConfig.target(path, container, why);
            found.add(new Named(t.lexical(), t.real(), t.exists(), t.stable(), container, use, why));
            if (use != Use.KEY) { // a link on the way re-pointed: other code, trust or token
                for (GitConfig.Target link : links) {
                    found.add(new Named(link.lexical(), link.real(), true, false, false, use, link.why() + " (" + why + ")"));
                }
            }
        }

        /**
         * Whether {@code path}, read from a config's or a variable's text, holds U+FFFD: the text bytes that are not valid
         * UTF-8 are read as, which names another file than the program reading the same bytes opens (or none), so
         * neither it nor where its links lead could be kept (outside test RT26, F1-F4: an {@code IdentityFile}, a sourced
         * file, {@code core.hooksPath} and a {@code ProxyCommand} named through a link {@code l\xff} reached files
         * in the working directory, which were readable or writable). Fails closed, as for a config that cannot be read.
         */
        private boolean unfollowable(String path, String why) {
            if (path.indexOf('\uFFFD') < 0 || path.equals(host.workingDirectory().toString())) {
                return false; // the working directory is the host's, not text read (and failing closed names it)
            }
            failClosedUnread(why + " names " + NativePath.shown(path) + ", a name with bytes that are not valid UTF-8 (read as U+FFFD),"
                    + " with U+FFFD itself, or with an escape this reader does not decode as the shell does, which cannot be"
                    + " followed by name");
            return true;
        }

        private void failClosed(String why) {
            if (!added.add("\0unknown\0" + why)) {
                return; // a start-up file read twice (what its sourced files set: round 55, F11) fails closed once
            }
            found.add(new Named(ROOT, ROOT, true, false, true, Use.RUNS, why + ": what it names is unknown"));
        }

        /**
         * Fails closed where a config's text goes unread (past a depth, a size, a pattern's bound, a read error): what it
         * names may be a key or a credential store as well as code, so the working directory is not given either, as for
         * a key whose path cannot be known (red team of the credential variables, 2026-12-05, night, F19: a KUBECONFIG
         * set in a file sourced five levels deep was readable, the working directory only read-only).
         */
        private void failClosedUnread(String why) {
            failClosed(why);
            add(host.workingDirectory(), true, Use.KEY, why + ": what it names is unknown, and may be a key or a credential"
                    + " store here");
        }

        /** A config's text; empty when it is missing or a directory (the program reads none); unreadable: fails closed. */
        private Optional<String> read(Path file, String what) {
            return readBytes(file, what).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
        }

        /** A config's bytes, as {@link #read}. */
        private Optional<byte[]> readBytes(Path file, String what) {
            FileFacts.Kind kind = FileFacts.lstatKind(file); // one lstat: most of these files are absent
            if (kind == FileFacts.Kind.ABSENT || kind == FileFacts.Kind.DIRECTORY) {
                return Optional.empty();
            }
            if (GitConfig.isKernelFile(file)) {
                return Optional.empty(); // the kernel's, no start-up file of anyone's (its read may block: round 72, F11)
            }
            if (file.equals(DEV_NULL)) {
                // holds nothing: 'pushd . >/dev/null' had been read as '.' sourcing it, and every working directory was
                // withheld (outside test RT65, F6)
                return Optional.empty();
            }
            try {
                byte[] bytes = GitConfig.readRegular(file, GitConfig.MAX_BYTES);
                if (!what.equals(READ_BY_A_STARTUP_FILE) && holdsNul(bytes) && !binary(file, bytes)) {
                    // bash and dash drop a NUL and read on, ssh stops at it; the readers here do neither (outside test
                    // RT27, F1: 'source /w/pro\0j/evil.sh' in ~/.bashrc sourced /w/proj/evil.sh, which was writable).
                    // A program a start-up file reads (/usr/bin/env) is not text, and names no path
                    failClosedUnread(what + " " + file + " holds a NUL byte, which the programs that read it drop or stop"
                            + " at");
                }
                // the shells keep a CR before a line's LF in the word ('PATH=$PATH:/w/bin<CR>' searches '/w/bin\r', a
                // directory a command could create: outside test RT29, F3); Python, git and ssh take CRLF as a line end
                boolean shell = what.equals(SHELL_STARTUP_FILE);
                if (what.equals(READ_BY_A_STARTUP_FILE) && (file.startsWith("/usr/") || file.startsWith("/etc/"))) {
                    // the system's own program a start-up file runs (a Python script's form feeds: /usr/bin/pygettext3,
                    // which oh-my-zsh names, had withheld every working directory of its users): read as it is
                    return Optional.of(bytes);
                }
                ambiguousSpace(bytes, !shell).ifPresent(c -> failClosedUnread(what + " " + file + " holds " + c
                        + (c.equals("U+000D") && shell ? " (a carriage return, which the shells keep in a word: DOS line"
                        + " ends)" : "") + " outside a comment, where the program that reads it and aws-sandbox's reader"
                        + " split words differently"));
                return Optional.of(bytes);
            } catch (NoSuchFileException e) {
                return Optional.empty(); // a dangling link: the program reads none either
            } catch (IOException | RuntimeException e) {
                if (Files.isDirectory(file)) {
                    return Optional.empty(); // a link to a directory
                }
                failClosedUnread(what + " " + file + " cannot be read (" + e.getMessage() + ")");
                return Optional.empty();
            }
        }
    }

    /** A shell's start-up file, or a file it sources: read by bash, zsh, fish or sh. */
    private static final String SHELL_STARTUP_FILE = "the shell start-up file";

    /** What a start-up file reads besides code: a program's text or bytes ({@code $(cat F)}, a {@code #!} line's program). */
    private static final String READ_BY_A_STARTUP_FILE = "the file a start-up file reads";

    /** The first bytes of binary formats a start-up file names but no shell reads as code (a program, a sound, an image). */
    private static final List<byte[]> BINARY_MAGIC = List.of(new byte[] {0x7f, 'E', 'L', 'F'}, "OggS".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "RIFF".getBytes(StandardCharsets.US_ASCII), "ID3".getBytes(StandardCharsets.US_ASCII),
            "fLaC".getBytes(StandardCharsets.US_ASCII), "GIF8".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, new byte[] {'P', 'K', 3, 4});

    /**
     * Whether {@code file} is a binary file's, which names no path: zsh's compiled {@code .zwc} or a format by its magic
     * (review R6: a start-up file names them, and their NULs had failed closed). Not by how many NULs it holds: bash reads
     * any file as text, dropping each NUL (outside test RT28, F5: eight scattered NULs had made a start-up file "binary").
     */
    private static boolean binary(Path file, byte[] bytes) {
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".zwc")) {
            return true;
        }
        for (byte[] magic : BINARY_MAGIC) {
            if (bytes.length >= magic.length && java.util.Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code file} is a regular file that starts as a compiled program does (ELF), whatever its size: its first
     * bytes read once a plan (the start-up files are read several times a plan).
     */
    private static boolean program(Path file) {
        try {
            return java.util.Arrays.equals(FileFacts.readOnce(file, 4, NamedFiles::firstBytes), BINARY_MAGIC.getFirst());
        } catch (IOException | RuntimeException e) {
            return false; // read as text, which fails closed where it cannot be read
        }
    }

    /** The first {@code most} bytes of a regular file (none of another file or a kernel file's, whose read may block). */
    private static byte[] firstBytes(Path file, int most) throws IOException {
        if (!Files.isRegularFile(file) || GitConfig.isKernelFile(file)) {
            return new byte[0];
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(most);
        }
    }

    private static boolean holdsNul(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first character outside a comment line of {@code bytes} that Java's text handling takes for a space or a line's
     * end and a shell or ssh keeps inside a word ({@code \\v}, {@code \\f}, {@code \\x1c}-{@code \\x1f}, a carriage
     * return but a CRLF line end's, U+1680, U+2000-U+2006, U+2008-U+200A, U+2028, U+2029, U+205F, U+3000), shown as {@code U+XXXX}:
     * the readers split and trim on them, so a path named with one was read as another, and what it named was not kept
     * (outside test RT26, F9: {@code IdentityFile lnk/k\\u3000z} reached a key in the working directory, which was read;
     * a file sourced through {@code r\\fz} was written). Comment lines ({@code #}, {@code ;}) are skipped: they name
     * nothing, and a comment in another script's spaces should not withhold the working directory.
     */
    static Optional<String> ambiguousSpace(byte[] bytes) {
        return ambiguousSpace(bytes, true);
    }

    /** {@link #ambiguousSpace(byte[])}, where a CR before a LF is a line's end only if {@code crlfEndsALine}. */
    static Optional<String> ambiguousSpace(byte[] bytes, boolean crlfEndsALine) {
        if (holdsNul(bytes)) {
            return Optional.empty(); // not text (a program a start-up file reads, /usr/bin/env), or failed closed for it
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean lineStart = true;
        boolean comment = false;
        boolean continued = false; // the line goes on a continued one: its '#' is no comment's start (outside test RT32, F1)
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                continued = !crlfEndsALine && endsInABackslash(text, i) && !comment;
                lineStart = true;
                comment = false;
                continue;
            }
            if (lineStart && (c == ' ' || c == '\t')) {
                continue;
            }
            if (lineStart) {
                lineStart = false;
                // ';' starts a comment in the ini files (git's, the AWS CLI's), not in a shell's: ';; *) PATH=…' is code
                // (the review of RT29's fix, R3)
                comment = (c == '#' || c == ';' && crlfEndsALine) && !continued;
            }
            if (c == '\r' && !crlfEndsALine) {
                // a shell keeps it in a word wherever it stands: a line the reader takes for a comment may be none (in a
                // quoted string over lines, a here-document)
                return Optional.of("U+000D");
            }
            // a CRLF line's end is one (Python's and ssh's readers take it so; bash keeps the \r, a file it fails on)
            boolean crlf = crlfEndsALine && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            // what the readers' Character.isWhitespace splits or trims at besides a space, a tab and a newline (not the
            // no-break spaces U+00A0, U+2007, U+202F, which it excludes: review R2)
            boolean ambiguous = c == '\r' ? !crlf : c != ' ' && c != '\t' && Character.isWhitespace(c);
            if (ambiguous && !comment) {
                return Optional.of(String.format("U+%04X", (int) c));
            }
        }
        return Optional.empty();
    }

    /** Whether the line that ends at {@code newline} ends in an unescaped backslash (an odd run of them). */
    private static boolean endsInABackslash(String text, int newline) {
        int run = 0;
        for (int i = newline - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            run++;
        }
        return run % 2 == 1;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isPattern(String s) {
        return firstPatternCharacter(s) >= 0;
    }

    /**
     * The first pattern character of a shell's word ({@link #firstPatternCharacter}), also zsh's: {@code ^x} anywhere and
     * {@code x#} after a character (red team, round 63, F6: {@code $P/^x/env.zsh} was read as a name), a numeric range.
     */
    static int shellPatternAt(String s) {
        // one pass (every word of every start-up file's reading is asked, at each reading of every plan)
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isPatternCharacter(s, i) || c == '^' || c == '#' && i > 0 && s.charAt(i - 1) != '/'
                    || c == '<' && NUMERIC_RANGE.matcher(s).region(i, s.length()).lookingAt()) {
                return i;
            }
        }
        return -1;
    }

    /** zsh's numeric range, {@code <->}, {@code <1-9>} (red team, round 64, F1). */
    private static final java.util.regex.Pattern NUMERIC_RANGE = java.util.regex.Pattern.compile("<\\d*-\\d*>");

    /** The first glob character, token ({@code %x} other than {@code %d}) or variable in {@code s}; -1 when none. */
    private static int firstPatternCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isPatternCharacter(s, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code s}'s character at {@code i} is one {@link #firstPatternCharacter} looks for. */
    private static boolean isPatternCharacter(String s, int i) {
        char c = s.charAt(i);
        return c == '*' || c == '?' || c == '[' || c == '$' || c == '`'
                || c == '%' && !(i + 1 < s.length() && s.charAt(i + 1) == 'd');
    }

    /** An ssh config line after its keyword and the {@code =} or blanks that end it, as written. */
    static String restOfLine(String line) {
        String s = line.strip();
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
            i++;
        }
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '=') {
            i++;
        }
        return s.substring(i).strip();
    }

    /**
     * An ssh config line's words: {@code Keyword value} or {@code Keyword=value}, double quotes
     * group, {@code #} starts a comment line.
     */
    static List<String> sshWords(String line) {
        String s = line.strip();
        List<String> words = new ArrayList<>();
        if (s.isEmpty() || s.startsWith("#")) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && (Character.isWhitespace(c) || c == '=' && words.isEmpty())) {
                if (any) {
                    words.add(word.toString());
                    word.setLength(0);
                    any = false;
                }
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }
}
