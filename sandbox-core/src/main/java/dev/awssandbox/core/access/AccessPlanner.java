package dev.awssandbox.core.access;

import dev.awssandbox.core.access.PathGrant;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.awssandbox.core.process.GateDirectory;
import java.util.Set;

/**
 * Resolves a {@link SandboxPolicy} for one command on this host into an {@link AccessPlan}:
 * locates the program, derives the grants it needs, builds the child's environment.
 */
public final class AccessPlanner {
    private static final System.Logger LOG = System.getLogger(AccessPlanner.class.getName());
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Where PATH is searched when the child gets no PATH. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /**
     * System files every command may read beyond the policy: the dynamic loader's cache, name
     * service and time zone configuration, MIME types (the AWS CLI guesses content types), groff's
     * site configuration (without it {@code aws … help} renders with ANSI escapes instead of as it
     * does outside the sandbox).
     */
    public static final List<String> LINUX_SYSTEM_FILES = List.of(
            "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
            "/etc/localtime", "/etc/timezone", "/etc/default/locale", "/etc/locale.alias",
            "/etc/host.conf", "/etc/gai.conf", "/etc/services", "/etc/protocols", "/etc/mime.types",
            "/etc/groff");

    /** Devices a command may read; {@code /dev/null} may also be written. */
    public static final List<String> READ_DEVICES = List.of("/dev/zero", "/dev/urandom", "/dev/random");

    public static final String DEV_NULL = "/dev/null";

    private AccessPlanner() {}

    /**
     * The program could not be found on the child's PATH (or at the given path), or
     * ({@link #exists()}) it was found but cannot be executed: a directory, or a file without
     * execute permission (the shell's 126, where a missing program is its 127).
     */
    public static final class ProgramNotFound extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean exists;
        private final String missingInterpreter; // null: not why (a Path is not serializable)

        public ProgramNotFound(String message) {
            this(message, false);
        }

        public ProgramNotFound(String message, boolean exists) {
            this(message, exists, null);
        }

        private ProgramNotFound(String message, boolean exists, String missingInterpreter) {
            super(message);
            this.exists = exists;
            this.missingInterpreter = missingInterpreter;
        }

        /** A script that exists, whose {@code #!} interpreter does not. */
        static ProgramNotFound missingInterpreter(String program, Path interpreter) {
            return new ProgramNotFound(program + ": its #! interpreter " + interpreter + " does not exist", false,
                    interpreter.toString());
        }

        /** Whether something of that name exists, but cannot be executed. */
        public boolean exists() {
            return exists;
        }

        /** The {@code #!} interpreter that does not exist, when that is why. */
        public Optional<Path> missingInterpreter() {
            return Optional.ofNullable(missingInterpreter).map(Path::of);
        }
    }

    /**
     * Resolves {@code command} under {@code policy} on {@code host}.
     *
     * @param protection how the backend that will run it keeps git metadata and the installation
     *                   read-only inside writable paths
     * @throws IllegalArgumentException when an explicit write path of the policy cannot be made
     *                                  writable (it holds git metadata the backend cannot protect,
     *                                  or aws-sandbox's installation); the message names the option
     */
    public static AccessPlan plan(Rules policy, Host host, List<String> command,
                                  Optional<Path> requestedDirectory, WriteProtection protection) throws ProgramNotFound {
        return plan(policy, host, command, requestedDirectory, protection, EntryCache.PROCESS);
    }

    /** {@code XDG_CONFIG_HOME} when it is an absolute path other than {@code ~/.config} (programs ignore a relative one). */
    private static Optional<Path> configHome(Host host) {
        return host.get("XDG_CONFIG_HOME").filter(v -> v.startsWith("/")).map(v -> Path.of(v).normalize())
                .filter(dir -> !dir.equals(host.home().resolve(".config")));
    }

    /** The same, with another process-wide entry cache (tests: one that caches at once). */
    static AccessPlan plan(Rules policy, Host host, List<String> command,
                           Optional<Path> requestedDirectory, WriteProtection protection, EntryCache entries)
            throws ProgramNotFound {
        // every file-system question of this plan is asked once; nothing of it outlives the plan
        FileFacts facts = new FileFacts(entries, configHome(host));
        return FileFacts.during(facts, () -> plan(policy, host, command, requestedDirectory, protection, facts));
    }

    private static AccessPlan plan(Rules policy, Host host, List<String> command, Optional<Path> requestedDirectory,
                                   WriteProtection protection, FileFacts facts) throws ProgramNotFound {
        Path workingDirectory = requestedDirectory.orElse(host.workingDirectory());
        Map<String, String> environment = environment(policy, host);
        String pathVariable = environment.getOrDefault("PATH", DEFAULT_PATH);
        String program = command.getFirst();
        Optional<Path> found = ExecutableChain.locate(program, pathVariable, workingDirectory, facts);
        if (found.isEmpty()) {
            Optional<String> notExecutable = ExecutableChain.whyNotExecutable(program, pathVariable, workingDirectory, facts);
            if (notExecutable.isPresent()) {
                throw new ProgramNotFound(program + ": " + notExecutable.get(), true);
            }
            throw new ProgramNotFound(program.contains("/")
                    ? program + ": no such file or directory"
                    : program + ": not found on the sandboxed command's PATH (" + pathVariable + ")");
        }
        Path located = found.get();
        Optional<Path> interpreter = ExecutableChain.missingInterpreter(located, facts);
        if (interpreter.isPresent()) {
            // the kernel's ENOENT would name the script; under bubblewrap, bwrap's execvp would say it
            throw ProgramNotFound.missingInterpreter(program, interpreter.get());
        }
        ExecutableChain.Resolution chain = ExecutableChain.resolve(located, host.home(),
                Optional.ofNullable(environment.get("PATH")), commandsWritableRoots(policy, host, workingDirectory, facts),
                facts, derivedLinkPlantable(policy, host, workingDirectory, facts), real -> notDerivable(real, facts));
        for (String note : chain.notes()) {
            LOG.log(Level.DEBUG, note);
        }
        Optional<ExecutableChain.Resolution> awsChain = wrappedAwsCli(command, pathVariable, workingDirectory, located,
                policy, host, environment, facts);

        List<String> warnings = new ArrayList<>();
        GrantList grants = new GrantList(facts);
        // one predicate for the read and the write grants: the same command, run in the same directory
        java.util.function.Predicate<Path> plantable = plantable(policy, host, workingDirectory, facts);
        // where the stores' names lead, resolved once a plan and only for a plan that grants paths
        java.util.function.Supplier<StoreAliases> storeAliases = memoized(() -> new StoreAliases(facts));
        for (Path path : policy.readPaths()) {
            if (protection != WriteProtection.NONE) {
                plantedLink(path, plantable, facts).ifPresent(link -> {
                    throw new IllegalArgumentException("--ro " + path + throughLink(link));
                });
                Path real = facts.realOr(path, path);
                // reading what holds it is the caller's choice (--ro /); reading inside it is not
                Optional<String> why = supervisorStateInside(real, facts).or(() -> withheldCredentials(real, policy, host, facts))
                        .or(() -> kernelInterfaceBeneath(real, facts));
                if (why.isPresent()) {
                    throw new IllegalArgumentException("--ro " + path + " " + why.get() + "; grant a narrower path");
                }
                // a grant that is or lies in one of the host's secret stores is refused; one that holds one
                // (--ro /etc, --ro /) is granted around them, entry by entry, on every backend: Landlock cannot
                // leave a directory out of a broader grant (red team, round 19, F11; round 20, F3)
                StoreAliases aliases = storeAliases.get();
                Optional<String> secret = inSecretStore(path, aliases, facts);
                if (secret.isPresent()) {
                    throw new IllegalArgumentException("--ro " + path + " " + secret.get() + "; no grant opens them");
                }
                if (holdsSecretStores(path, aliases, facts)) {
                    addAroundSecretStores(real, grants, aliases, facts, new java.util.HashSet<>(), warnings);
                    // said for the grant as named (--ro /), not for each of its entries
                    warnings.addAll(secretsInExplicitGrants(List.of(new PathGrant(path, real, PathGrant.Access.READ, true,
                            EXPLICIT)), host, facts, protection));
                    continue;
                }
            }
            grants.add(path, PathGrant.Access.READ, EXPLICIT);
        }
        if (protection != WriteProtection.NONE) {
            // nothing keeps a secret store out of a writable grant (a mask would only make it read-only):
            // --rw /etc is refused as --rw /etc/ssl/private is (red team, round 19, F11; round 20, F3)
            Path cwd = facts.realOr(workingDirectory, workingDirectory);
            for (Path path : policy.writePaths()) {
                Path real = facts.realOr(path, path);
                if (real.equals(cwd) || real.getParent() == null) {
                    continue; // the working directory's own rule refuses system directories; / is refused for /tmp
                }
                StoreAliases aliases = storeAliases.get();
                Optional<String> keys = inSecretStore(path, aliases, facts).or(() -> holdsSecretStores(path, aliases, facts)
                        ? Optional.of("holds " + SECRETS_HELD) : Optional.empty());
                if (keys.isPresent()) {
                    throw new IllegalArgumentException("--rw " + path + " " + keys.get() + "; grant a narrower path");
                }
            }
        }
        if (host.linux()) {
            for (String file : LINUX_SYSTEM_FILES) {
                grants.add(Path.of(file), PathGrant.Access.READ, "system");
            }
            for (String device : READ_DEVICES) {
                grants.add(Path.of(device), PathGrant.Access.READ, "device");
            }
            grants.add(Path.of(DEV_NULL), PathGrant.Access.READ_WRITE, "device");
        }
        caBundle(environment, host, plantable, policy, storeAliases, facts, protection).ifPresent(bundle -> {
            if (bundle.refused().isPresent()) {
                warnings.add(bundle.path() + " (named by AWS_CA_BUNDLE) is not granted: " + bundle.refused().get()
                        + "; every HTTPS call of the AWS CLI then fails to open it");
            } else {
                grants.add(bundle.path(), PathGrant.Access.READ, "CA bundle named by AWS_CA_BUNDLE");
            }
        });
        if (policy.allowAwsConfig()) {
            List<Path> credentials = facts.credentialLocations(host).files();
            Path awsDirectory = AwsEnvironment.awsDirectory(host);
            // where a link on the way to ~/.aws, to what its files link to and to its caches may lie: $HOME and the
            // credential directories, which no command is given; anywhere else it could have been planted
            java.util.function.Predicate<Path> credentialPlantable = credentialPlantable(plantable, host, facts);
            boolean awsGranted = false;
            for (Path path : credentials) {
                if (path.equals(awsDirectory)) {
                    // ~/.aws -> dots/awsdir -> store/aws with dots/awsdir re-pointed at /etc, / or ~/.ssh by an earlier
                    // command: later commands read all of it through ~/.aws (red team, round 22, F9)
                    Optional<String> why = protection == WriteProtection.NONE ? Optional.empty()
                            : credentialGrantRefused(path, credentialPlantable, true, host, storeAliases, facts)
                                    .or(() -> mountBeneathAws(facts.realOrNormalized(path), facts));
                    if (why.isPresent()) {
                        warnings.add(path + " is not granted (nor its caches): " + why.get());
                        continue;
                    }
                    awsGranted = true;
                } else if (protection != WriteProtection.NONE) {
                    // a file named by AWS_CONFIG_FILE & co. is granted like a --ro path: never through a link
                    // an earlier command could have planted (it pointed at ~/.ssh: red team, round 5)
                    plantedLink(path, plantable, facts).ifPresent(link -> {
                        throw new IllegalArgumentException(path + " (named by an AWS_* variable) goes through the symbolic"
                                + " link " + link + ", which lies in a directory sandboxed commands can write (one of them"
                                + " could have planted it); name the file it should lead to instead");
                    });
                    inSecretStore(path, storeAliases.get(), facts).ifPresent(secret -> {
                        throw new IllegalArgumentException(path + " (named by an AWS_* variable) " + secret
                                + "; no grant opens them");
                    });
                }
                grants.add(path, PathGrant.Access.READ, "aws credentials");
            }
            // ~/.aws/credentials and ~/.aws/config linked out of ~/.aws (a dotfile checkout): the grant of ~/.aws
            // does not reach their targets, which are granted read-only themselves; the directory that holds them
            // is never given (red team, round 20, F4). Judged as a --ro of them would be, and never through a link
            // a command could have re-pointed: dots/l2 re-pointed at ~/.ssh/id_rsa or /etc/shadow was read by every
            // later command (red team, round 22, F9)
            for (SensitiveLocations.LinkedCredential linked : facts.sensitiveLocations(host.home()).linkedCredentials()) {
                if (linked.link().getParent().equals(facts.realOrNormalized(awsDirectory))
                        && facts.isRegularFile(linked.real(), true)) {
                    Optional<String> why = protection == WriteProtection.NONE ? Optional.empty()
                            : credentialGrantRefused(linked.link(), credentialPlantable, false, host, storeAliases, facts);
                    if (why.isPresent()) {
                        warnings.add(linked.link() + " is not granted: " + why.get());
                        continue;
                    }
                    grants.add(linked.real(), PathGrant.Access.READ, "aws credentials (linked)");
                }
            }
            // a web identity token the AWS config names: read by the sandboxed aws as AWS_WEB_IDENTITY_TOKEN_FILE's,
            // judged as the linked credentials are (never through a link a command could have re-pointed)
            for (NamedFiles.Named n : facts.namedFiles(host).all()) {
                if (n.use() != NamedFiles.Use.AWS_CREDENTIAL || !facts.isRegularFile(n.real(), true)) {
                    continue;
                }
                Optional<String> why = protection == WriteProtection.NONE ? Optional.empty()
                        : credentialGrantRefused(n.lexical(), credentialPlantable, false, host, storeAliases, facts);
                if (why.isPresent()) {
                    warnings.add(n.lexical() + " (" + n.why() + ") is not granted: " + why.get());
                    continue;
                }
                grants.add(n.real(), PathGrant.Access.READ, "aws credentials (" + n.why() + ")");
            }
            if (awsGranted) {
                // read before any cache is made: making one forgets the plan's facts, and reading the start-up files
                // again for each cache judged below would only find an empty new directory (review of this session)
                NamedFiles named = facts.namedFiles(host);
                boolean history = named.historyEnabled(); // the one read of the AWS config a plan
                Path awsReal = facts.realOrNormalized(awsDirectory);
                for (Path cache : AwsEnvironment.cacheDirectories(host)) {
                    if (cache.equals(AwsEnvironment.historyDirectory(host)) && !history) {
                        continue; // written only when the configuration turns the history on
                    }
                    if (cache.equals(AwsEnvironment.historyDirectory(host)) && protection == WriteProtection.MASK) {
                        // red team, round 24, F9: a history.db re-pointed by a command makes the host's aws write its
                        // history (with attacker-chosen text) where the link leads; bubblewrap cannot withhold the
                        // right to make links as Landlock does, so the history is not the command's to write
                        warnings.add(cache + " is not granted: this backend cannot keep a command from replacing"
                                + " history.db with a symbolic link the host's aws would follow; the sandboxed aws"
                                + " records no history (use the Landlock backend to keep it)");
                        continue;
                    }
                    // only a directory below the real ~/.aws, reached without a link: ~/.aws/cli/cache -> ~/dots/cache
                    // (or a chain re-pointed at /etc/cron.d, ~/.ssh) gave every later command that directory
                    // writable (red team, round 22, F10); made, when missing, one real directory at a time, never
                    // through a link (aws-sandbox itself made dots/evil/sso/cache through a planted one)
                    // judged before it is made: a missing cache is not made through a mount either
                    Optional<String> mounted = mountedCache(awsReal, awsDirectory.relativize(cache), facts);
                    if (mounted.isPresent()) {
                        warnings.add(cache + " is not granted: " + mounted.get());
                        continue;
                    }
                    CacheDirectory directory = cacheDirectory(awsReal, awsDirectory.relativize(cache), facts);
                    if (directory.refused().isPresent()) {
                        warnings.add(cache + " is not granted: " + directory.refused().get());
                        continue;
                    }
                    if (directory.created()) {
                        facts.forget(); // what this plan knew of ~/.aws and above is out of date
                        plantable = plantable(policy, host, workingDirectory, facts); // and what was computed from it
                    }
                    // judged as every write path is against what the start-up files and configs run (red team, round 64,
                    // F4: a start-up file that sources from ~/.aws/cli/cache), and not given where anything inside would
                    // need a read-only mask
                    Optional<String> runs = named.whyNotWritable(directory.real(), protection)
                            .or(() -> named.masksIn(directory.real()).stream().findFirst()
                                    .map(n -> "holds " + n.lexical() + " (" + n.why() + "), which runs outside the sandbox later"));
                    if (runs.isPresent()) {
                        warnings.add(cache + " is not granted: it " + runs.get());
                        continue;
                    }
                    // no symbolic links: the host's aws follows them when it writes a cache file or its history
                    grants.add(new PathGrant(cache, directory.real(), PathGrant.Access.READ_WRITE, true, "aws cli cache",
                            false));
                }
            }
        }
        chain.grants().forEach(grants::add);
        awsChain.ifPresent(aws -> aws.grants().forEach(grants::add));
        List<PathGrant> withheld = new ArrayList<>();
        List<String> workingDirectoryWithheld = new ArrayList<>(1);
        List<PathGrant> masks = writeGrants(policy, host, protection, grants, warnings, withheld, workingDirectoryWithheld,
                plantable, facts);
        masks.forEach(grants::addMask);
        warnings.addAll(secretsInExplicitGrants(grants.list(), host, facts, protection));
        warnings.addAll(ProgramLocations.of(grants.list(), pathVariable + ":" + host.get("PATH").orElse(""),
                facts.sensitiveLocations(host.home()).homes(), facts::realOrNormalized)
                .warnings(grants.list(), facts.realOr(workingDirectory, workingDirectory)));
        globalGitConfig(environment, host, grants.list(), withheld, facts);
        readOnlyInsideWritable(grants.list(), protection); // after the refusals that say more of the paths
        List<PathGrant> granted = nameableOnly(grants.list(), warnings, withheld);
        decodedAsGiven(environment);
        // a warning may quote a config's text: its secrets are left out before it is logged or carried (red team,
        // 2026-12-06, R2-4: the log had the text before the plan masked it)
        warnings.replaceAll(ShownText::withoutSecrets);
        for (String warning : warnings) {
            if (WARNED.add(warning)) { // once per process: the plan itself carries it for every command
                LOG.log(Level.WARNING, warning);
            }
        }
        return new AccessPlan(chain.executable(), command, environment, workingDirectory, granted,
                policy.network(), chain.chain(), warnings, Optional.empty(), withheld, policy.allowedHosts(),
                Optional.empty(), workingDirectoryWithheld.stream().findFirst());
    }

    /**
     * Whether the backends can pass {@code path} on by its text: the JDK gives it back as its bytes, and it holds no
     * U+FFFD, which is what the JDK reads undecodable bytes as when a path came to it as text (a link's target, an
     * environment variable's value): such a text names another file, one whose name holds a real U+FFFD (outside test
     * RT22, F1: a {@code ~/.aws/credentials} linked to {@code c\xff} granted {@code c\uFFFD}, a decoy). A real U+FFFD
     * cannot be told apart, and is left out too.
     */
    private static boolean nameable(Path path) {
        return NativePath.nameable(path) && path.toString().indexOf('\uFFFD') < 0;
    }

    /**
     * Refuses an environment the command would get with a variable whose name or value holds U+FFFD: the JDK reads the
     * bytes of the host's environment that are not text in the locale's encoding as U+FFFD, so the command would be
     * handed other bytes than the host has (outside test RT22, F2: {@code AWS_CONFIG_FILE=g\xff} reached the AWS CLI as
     * {@code g\uFFFD}, a decoy config it then read). Arguments are refused the same way.
     */
    private static void decodedAsGiven(Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (name.indexOf('\uFFFD') >= 0 || value.indexOf('\uFFFD') >= 0) {
                String shown = name.replace('\uFFFD', '?');
                throw new IllegalArgumentException("the environment variable " + shown + " holds bytes that"
                        + " are not text in this locale's encoding (" + System.getProperty("sun.jnu.encoding") + "), which"
                        + " Java cannot pass on as they were (it reads them as U+FFFD); nothing was run: unset it (env -u "
                        + shown + ") or give it a UTF-8 value, in a UTF-8 locale");
            }
        });
    }

    /**
     * The grants whose paths the backends can pass on: a path whose text the JDK cannot give back as its bytes (not
     * UTF-8) names another file or none, and a grant of it failed every command as "changed while it was being
     * granted" (outside test RT20, F4: a {@code ~/.aws} linked to such a directory). Such a grant is left out with a
     * warning; a read-only one inside a writable grant (a mask) cannot be, since leaving it out would make what it
     * keeps writable, and fails the plan.
     */
    private static List<PathGrant> nameableOnly(List<PathGrant> grants, List<String> warnings, List<PathGrant> withheld) {
        List<PathGrant> kept = new ArrayList<>(grants.size());
        for (PathGrant g : grants) {
            Path unnameable = !nameable(g.resolved()) ? g.resolved() : !nameable(g.path()) ? g.path() : null;
            if (unnameable == null) {
                kept.add(g);
                continue;
            }
            String why = NativePath.nameable(unnameable)
                    ? unnameable + ", a name read as text with U+FFFD where the real name has bytes that are not valid"
                            + " UTF-8 (or holding a real U+FFFD), cannot be passed to the sandbox by name"
                    : NativePath.escaped(unnameable) + ", whose name " + NativePath.whyUnnameable(unnameable)
                            + ", cannot be passed to the sandbox by name";
            boolean mask = g.access() == PathGrant.Access.READ && grants.stream().anyMatch(w -> w != g
                    && w.access() == PathGrant.Access.READ_WRITE && g.resolved().startsWith(w.resolved()));
            if (mask) {
                throw new IllegalArgumentException(why + ", so it cannot be kept read-only inside a writable directory ("
                        + g.reason() + "); nothing was run: rename it");
            }
            warnings.add(why + ", so it is not granted (" + g.reason() + "); rename it to grant it");
            withheld.add(g);
        }
        return List.copyOf(kept);
    }

    /**
     * git's global config as the command's git may read it. git stops ("unknown error occurred while reading the
     * configuration files") when {@code ~/.gitconfig} or {@code ~/.config/git/config} exists and cannot be read, as
     * under Landlock, where the home is not granted: every git command failed (workflow review of 2026-12-04, F5).
     * When one the plan does not grant exists, {@code GIT_CONFIG_GLOBAL} names the one it grants, or {@code /dev/null}:
     * git then runs without the user's global config, as under bubblewrap, where it is absent. Not when the caller
     * passes {@code GIT_CONFIG_GLOBAL}.
     */
    private static void globalGitConfig(Map<String, String> environment, Host host, List<PathGrant> grants,
                                        List<PathGrant> withheld, FileFacts facts) {
        if (environment.containsKey("GIT_CONFIG_GLOBAL")) {
            return;
        }
        Path xdg = host.get("XDG_CONFIG_HOME").filter(v -> v.startsWith("/")).map(Path::of)
                .orElse(host.home().resolve(".config"));
        List<Path> readable = new ArrayList<>();
        boolean hidden = false;
        for (Path config : List.of(host.home().resolve(".gitconfig"), xdg.resolve("git/config"))) {
            if (!facts.exists(config, true)) {
                continue;
            }
            Path real = facts.realOr(config, config);
            boolean granted = grants.stream().anyMatch(g -> g.directory() ? real.startsWith(g.resolved())
                    : real.equals(g.resolved())) && withheld.stream().noneMatch(w -> real.startsWith(w.resolved()));
            if (granted) {
                readable.add(config);
            } else {
                hidden = true;
            }
        }
        if (hidden && readable.size() <= 1) {
            environment.put("GIT_CONFIG_GLOBAL", readable.isEmpty() ? "/dev/null" : readable.getFirst().toString());
        }
    }

    /**
     * The AWS CLI's own chain when another program runs it: {@code xargs aws s3 ls}, {@code timeout 20 aws …},
     * {@code env aws}, {@code bash -c 'aws s3 ls | wc -l'} (a word {@code aws} anywhere in the command). What the AWS
     * CLI gets as the command itself it gets so too; an installation outside the system directories (pyenv, pipx, a
     * venv) was not granted, and the wrapper failed with EACCES (workflow review of 2026-12-04, F4). Empty when the
     * command is the AWS CLI, names no {@code aws}, or none is on the command's PATH.
     */
    private static Optional<ExecutableChain.Resolution> wrappedAwsCli(List<String> command, String pathVariable,
            Path workingDirectory, Path located, Rules policy, Host host, Map<String, String> environment, FileFacts facts) {
        if (command.size() < 2 || command.stream().skip(1).noneMatch(AccessPlanner::namesAwsCli)) {
            return Optional.empty();
        }
        return ExecutableChain.locate("aws", pathVariable, workingDirectory, facts)
                .filter(aws -> !aws.equals(located))
                .map(aws -> ExecutableChain.resolve(aws, host.home(), Optional.ofNullable(environment.get("PATH")),
                        commandsWritableRoots(policy, host, workingDirectory, facts), facts,
                        derivedLinkPlantable(policy, host, workingDirectory, facts), real -> notDerivable(real, facts)));
    }

    private static boolean namesAwsCli(String word) {
        return word.equals("aws") || word.contains("aws") && GitConfig.words(word).contains("aws");
    }

    /** The reason of a grant the policy names itself ({@code --ro}, {@code --rw}, the MCP workspace). */
    private static final String EXPLICIT = "policy";

    /**
     * A fact for each explicit grant that holds a home directory, or is, holds or lies in a key or
     * credential directory, and each grant that holds one of the host's shared temporary directories
     * ({@code /tmp}, {@code /var/tmp}, {@code /dev/shm}): granting it is the caller's choice ({@code --ro /} is allowed), and
     * the command gets everything it holds — private keys, tokens, start-up files that run later.
     * Said, not refused.
     */
    private static List<String> secretsInExplicitGrants(List<PathGrant> grants, Host host, FileFacts facts,
                                                        WriteProtection protection) {
        List<PathGrant> explicit = grants.stream().filter(g -> g.reason().equals(EXPLICIT)).toList();
        if (explicit.isEmpty()) {
            return List.of(); // the common case: nothing to look up
        }
        SensitiveLocations sensitive = facts.sensitiveLocations(host.home());
        List<String> found = new ArrayList<>();
        for (PathGrant grant : explicit) {
            boolean write = grant.access() == PathGrant.Access.READ_WRITE;
            sensitive.whySecrets(grant.resolved()).ifPresent(why -> found.add((write ? "--rw " : "--ro ") + grant.path()
                    + ": " + why + ", so the command can " + (write ? "read and change" : "read")
                    + " the keys, tokens and settings of other programs there"
                    + (write ? ", and start-up files that run outside the sandbox later" : "")
                    + "; grant only the directories the command needs"));
            // a credential store or key a variable or a config names (KUBECONFIG=./kc), which the working directory that
            // holds it is not given for: an explicit grant gives it (red team of the credential variables (2026-12-05, night), F8)
            facts.namedFiles(host).keyHeldBy(grant.resolved()).ifPresent(held -> found.add((write ? "--rw " : "--ro ")
                    + grant.path() + ": it " + held + ", so the command can " + (write ? "read and change" : "read")
                    + " it; grant only the directories the command needs"));
            // reading what holds the JVMs' state is the caller's choice, as reading inside it is not (--ro
            // /tmp/hsperfdata_root); so is a grant of the other shared temporary directories, /dev/shm and /var/tmp
            // (red team, round 18: --ro /dev/shm and --rw /var/tmp were given without a word)
            sharedTemporary(facts).stream().filter(tmp -> tmp.startsWith(grant.resolved())).findFirst()
                    .ifPresent(tmp -> found.add((write ? "--rw " : "--ro ") + grant.path() + ": it holds " + tmp
                            + ", where other programs keep their files (the JVMs' performance data with their command"
                            + " lines, Kerberos tickets, agent sockets), so the command can " + (write ? "read and change" : "read")
                            + " this user's; grant only the directories the command needs"));
            // the host's /proc, which a grant that holds it gives whole under Landlock (bubblewrap mounts a /proc of the
            // command's own processes): every process's command line and status (red team, 2026-12-05, F4); their
            // environment and memory stay out (the sandbox may not trace them)
            // (also one in it, --ro /proc/PID: re-attack of 2026-12-05, R2-F4a)
            // (not /proc/cpuinfo: review of the re-attack)
            boolean holdsProc = HOST_PROC.startsWith(grant.resolved());
            boolean inAProcess = grant.resolved().startsWith(HOST_PROC) && grant.resolved().getNameCount() > 1
                    && grant.resolved().getName(1).toString().chars().allMatch(Character::isDigit);
            if (protection == WriteProtection.WITHHOLD && host.linux() && (holdsProc || inAProcess)) {
                found.add((write ? "--rw " : "--ro ") + grant.path() + ": it " + (holdsProc ? "holds " : "lies in ") + HOST_PROC
                        + ", where the command can read the host's processes' command lines and status (a password given as"
                        + " an argument among them; not their environment or memory); grant only the directories the"
                        + " command needs, or use the bubblewrap backend, which shows the command only its own processes");
            }
        }
        return found;
    }

    private static final Path HOST_PROC = Path.of("/proc");

    /**
     * The system's certificate stores, readable by default, which hold the host's TLS private keys
     * in a {@code private} directory ({@code /etc/ssl/private}, {@code /etc/pki/tls/private}):
     * root inside the sandbox read them (found by the red team: capabilities do not matter when
     * root owns the file). Every {@code private} directory below them is a {@linkplain #inSecretStore
     * secret store}.
     */
    private static final List<Path> KEY_STORES = List.of(Path.of("/etc/ssl"), Path.of("/etc/pki"));

    private static final Path KUBERNETES = Path.of("/etc/kubernetes");

    private static final Path ETC = Path.of("/etc");
    private static final Path ETC_SSH = Path.of("/etc/ssh");

    /**
     * The host's secret stores in {@code /etc} besides the {@code private} directories, each with what
     * it holds: a fixed list, looked up by name (one lstat each), never a walk of {@code /etc}. Root
     * inside the sandbox reads whatever a grant gives, whatever the file's mode, so a broad grant
     * ({@code --ro /etc}, {@code --ro /}) gave certbot's keys, the password hashes and the Kerberos
     * keytab (red team, round 20, F3). Listed in docs/security.md; what is not listed is not covered.
     */
    private static final Map<Path, String> SECRET_STORES = secretStores();

    private static Map<Path, String> secretStores() {
        Map<Path, String> stores = new LinkedHashMap<>();
        for (String dir : List.of("archive", "live", "keys", "accounts")) {
            stores.put(Path.of("/etc/letsencrypt", dir), "certbot's TLS private keys and ACME account keys");
        }
        stores.put(Path.of("/etc/wireguard"), "WireGuard's private keys");
        stores.put(Path.of("/etc/krb5.keytab"), "the host's Kerberos keys");
        for (String file : List.of("shadow", "gshadow", "shadow-", "gshadow-")) {
            stores.put(ETC.resolve(file), "the password hashes");
        }
        stores.put(Path.of("/etc/security/opasswd"), "old password hashes");
        stores.put(Path.of("/etc/ipsec.secrets"), "IPsec's private keys and pre-shared keys");
        stores.put(Path.of("/etc/ipsec.d/private"), "IPsec's private keys");
        stores.put(Path.of("/etc/swanctl/private"), "strongSwan's private keys");
        stores.put(Path.of("/etc/NetworkManager/system-connections"), "Wi-Fi and VPN passwords and keys");
        stores.put(Path.of("/etc/ppp/chap-secrets"), "PPP passwords");
        stores.put(Path.of("/etc/ppp/pap-secrets"), "PPP passwords");
        stores.put(Path.of("/etc/kubernetes/pki"), "the Kubernetes cluster's CA and service-account keys");
        stores.put(Path.of("/etc/kubernetes/admin.conf"), "the Kubernetes cluster's admin credentials");
        // red team, round 21, F4: close relatives of the above
        stores.put(Path.of("/etc/kubernetes/super-admin.conf"), "the Kubernetes cluster's admin credentials");
        stores.put(Path.of("/etc/rancher/k3s/k3s.yaml"), "the k3s cluster's admin credentials");
        stores.put(Path.of("/etc/security/keytabs"), "Kerberos keys");
        stores.put(Path.of("/etc/.git"), "etckeeper's copies of /etc, the stores above included");
        // etckeeper's other version control systems keep the same copies (red team, round 23, F7)
        stores.put(Path.of("/etc/.hg"), "etckeeper's copies of /etc, the stores above included");
        stores.put(Path.of("/etc/.bzr"), "etckeeper's copies of /etc, the stores above included");
        stores.put(Path.of("/etc/_darcs"), "etckeeper's copies of /etc, the stores above included");
        return java.util.Collections.unmodifiableMap(stores);
    }

    /**
     * A read grant that is or lies inside a write path, where the backend cannot keep part of a writable directory
     * read-only ({@link WriteProtection#WITHHOLD}, Landlock): its rules only add access, so the path would be writable
     * while the policy says read-only (outside test WF29, F2: {@code --ro ./out} was writable under Landlock and
     * read-only under bubblewrap). Refused, not granted as something else.
     */
    private static void readOnlyInsideWritable(List<PathGrant> grants, WriteProtection protection) {
        if (protection != WriteProtection.WITHHOLD) {
            return;
        }
        for (PathGrant read : grants) {
            if (read.access() != PathGrant.Access.READ || !read.reason().equals(EXPLICIT)
                    || SystemReadPaths.LINUX.contains(read.path().toString())) {
                // the system's, which every policy reads, are not asked for read-only by the caller; Linux's only, as
                // only Landlock withholds: a macOS name (/opt/homebrew, /private/etc) is a caller's here (review R10)
                continue;
            }
            for (PathGrant write : grants) {
                if (write.access() == PathGrant.Access.READ_WRITE && read.resolved().startsWith(write.resolved())) {
                    throw new IllegalArgumentException("--ro " + read.path() + (read.resolved().equals(write.resolved())
                            ? " is" : " lies inside") + " the writable " + write.resolved() + ", and this backend (Landlock)"
                            + " cannot keep part of a writable directory read-only: its rules only add access; use the bubblewrap"
                            + " backend, which can, or a working directory that does not hold it");
                }
            }
        }
    }

    /** The CA bundle the command is handed, and why it is not granted if it is not. */
    private record CaBundle(Path path, Optional<String> refused) {}

    /**
     * The file {@code AWS_CA_BUNDLE} names, when the command is given the variable: botocore opens it for every HTTPS call,
     * and without a grant every call had failed with a bare "Permission denied" (outside test WF30, F20). A regular file
     * named by an absolute path, judged as a {@code --ro} of it is (never through a link a command could have planted,
     * never in a secret store or a credential location this policy withholds); a relative one lies where the command runs.
     */
    private static Optional<CaBundle> caBundle(Map<String, String> environment, Host host,
                                               java.util.function.Predicate<Path> plantable, Rules policy,
                                               java.util.function.Supplier<StoreAliases> aliases, FileFacts facts,
                                               WriteProtection protection) {
        String value = environment.get("AWS_CA_BUNDLE");
        if (value == null || protection == WriteProtection.NONE) {
            return Optional.empty();
        }
        Path path = host.expand(value);
        if (!path.isAbsolute() || !facts.isRegularFile(path, true)) {
            return Optional.empty();
        }
        Path resolved = facts.realOr(path, path);
        if (SystemReadPaths.LINUX.stream().anyMatch(system -> resolved.startsWith(system))) {
            return Optional.empty(); // read by every policy (/etc/ssl/certs): nothing to grant, nor to read at every plan
        }
        Optional<String> refused = plantedLink(path, plantable, facts).map(AccessPlanner::throughLink).map(String::strip);
        Path real = resolved;
        refused = refused.or(() -> supervisorStateInside(real, facts)).or(() -> withheldCredentials(real, policy, host, facts))
                .or(() -> kernelInterfaceBeneath(real, facts)).or(() -> inSecretStore(path, aliases.get(), facts))
                .or(() -> notACertificateBundle(real));
        return Optional.of(new CaBundle(path, refused));
    }

    /** The most of a CA bundle read to check it (the system's whole bundle is about 220 KB). */
    private static final int LARGEST_CA_BUNDLE = 8 << 20;

    /**
     * Why {@code real} is not a bundle of PEM certificates, if it is not: botocore reads only those, and a certificate is
     * public, so nothing else is granted under the variable's name (outside test RT38, F1-F3: {@code
     * AWS_CA_BUNDLE=~/.ssh/id_rsa}, another process's {@code /proc/PID/cmdline}, a hard link of the credentials file).
     */
    private static Optional<String> notACertificateBundle(Path real) {
        if (real.startsWith(PROC) || real.startsWith(Path.of("/sys")) || GitConfig.isKernelFile(real)) {
            return Optional.of("it is a file of the kernel's, not a CA bundle");
        }
        byte[] bytes;
        try {
            bytes = GitConfig.readRegular(real, LARGEST_CA_BUNDLE);
        } catch (java.io.IOException e) {
            return Optional.of("it cannot be read to check it (" + e.getMessage() + ")");
        }
        // a bundle's ~150 certificates parsed once per content, kept by its digest (not its text, up to 8 MiB, in a
        // long-lived server)
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        Optional<String> known = BUNDLE_VERDICTS.get(digest);
        if (known == null) {
            known = notOnlyCertificates(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
            BUNDLE_VERDICTS.put(digest, known);
        }
        return known;
    }

    private static final ReadingMemo<String, Optional<String>> BUNDLE_VERDICTS = new ReadingMemo<>(8);

    /** Why {@code text} is not only PEM certificates and comments, if it is not. */
    private static Optional<String> notOnlyCertificates(String text) {
        // nothing but certificate blocks and blank or comment lines: a secret in any other form beside them (a key
        // whatever its header, an AWS key as a variable or JSON, a token) is not granted (outside test RT39, F12)
        // and each block an X.509 certificate: a key's body between CERTIFICATE lines is none (RT40, F2)
        boolean inside = false;
        boolean trusted = false;
        int certificates = 0;
        StringBuilder block = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String l = line.strip();
            if (inside) {
                if (l.equals(trusted ? "-----END TRUSTED CERTIFICATE-----" : "-----END CERTIFICATE-----")) {
                    inside = false;
                    if (!isCertificate(block.toString(), trusted)) {
                        return Optional.of("a block of it is no X.509 certificate, so it is no CA bundle");
                    }
                    certificates++;
                } else if (!BASE64_LINE.matcher(l).matches()) {
                    return Optional.of("it holds more than certificates (a line that is not one's), so it is no CA bundle");
                } else {
                    block.append(l);
                }
            } else if (l.equals("-----BEGIN CERTIFICATE-----") || l.equals("-----BEGIN TRUSTED CERTIFICATE-----")) {
                inside = true;
                trusted = l.contains("TRUSTED");
                block.setLength(0);
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                // (curl's cacert.pem titles and 'openssl x509 -text' dumps too: RT40, F3, a cost written down; the file
                // can be granted by name, --ro)
                return Optional.of("it holds more than certificates and '#' comments, so it is not granted under the"
                        + " variable's name; grant the file by name if that is all it holds");
            }
        }
        return certificates == 0 || inside ? Optional.of("it holds no whole PEM certificate, so it is no CA bundle botocore"
                + " reads") : Optional.empty();
    }

    /**
     * Whether {@code base64} is the DER of an X.509 certificate and nothing else: the JDK's parser reads a certificate
     * from the bytes' start and ignores what follows, where a key's DER had been granted (outside test RT41, F4). An
     * OpenSSL trusted certificate's may be followed by its trust settings: the OIDs it is trusted and rejected for, and
     * an alias of at most {@value #MOST_ALIAS_BYTES} printable characters, nothing else.
     */
    private static boolean isCertificate(String base64, boolean trusted) {
        try {
            byte[] der = java.util.Base64.getDecoder().decode(base64);
            java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            int[] certificate = derElement(der, 0, der.length);
            if (certificate == null) {
                return false;
            }
            int end = certificate[2];
            return end == der.length || trusted && onlyTrustSettings(der, end);
        } catch (IllegalArgumentException | java.security.cert.CertificateException e) {
            return false;
        }
    }

    private static final int MOST_ALIAS_BYTES = 64;

    /** Whether {@code der} from {@code at} is one SEQUENCE of trust settings (OpenSSL's X509_CERT_AUX) as above. */
    private static boolean onlyTrustSettings(byte[] der, int at) {
        int[] aux = derElement(der, at, der.length);
        if (aux == null || aux[0] != 0x30 || aux[2] != der.length) {
            return false;
        }
        for (int i = aux[1]; i < aux[2]; ) {
            int[] field = derElement(der, i, aux[2]);
            if (field == null) {
                return false;
            }
            boolean fine = switch (field[0]) {
                case 0x30, 0xA0 -> onlyObjectIdentifiers(der, field[1], field[2]); // trusted for, rejected for
                case 0x0C -> field[2] - field[1] <= MOST_ALIAS_BYTES && printable(der, field[1], field[2]); // alias
                default -> false; // a key id, 'other': bytes of any kind
            };
            if (!fine) {
                return false;
            }
            i = field[2];
        }
        return true;
    }

    private static boolean onlyObjectIdentifiers(byte[] der, int from, int to) {
        for (int i = from; i < to; ) {
            int[] oid = derElement(der, i, to);
            if (oid == null || oid[0] != 0x06 || oid[2] - oid[1] > 32) {
                return false;
            }
            i = oid[2];
        }
        return true;
    }

    private static boolean printable(byte[] der, int from, int to) {
        for (int i = from; i < to; i++) {
            if (der[i] < 0x20 || der[i] > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The DER element at {@code at} (before {@code limit}): its tag (one byte), where its content starts and where it
     * ends; null when it is not one (a long tag, an indefinite or overlong length, or past the limit).
     */
    private static int[] derElement(byte[] der, int at, int limit) {
        if (at + 2 > limit || (der[at] & 0x1f) == 0x1f) {
            return null;
        }
        int tag = der[at] & 0xff;
        int first = der[at + 1] & 0xff;
        int start = at + 2;
        long length = first;
        if (first >= 0x80) {
            int bytes = first - 0x80;
            if (bytes == 0 || bytes > 3 || start + bytes > limit) {
                return null;
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[start + i] & 0xff;
            }
            start += bytes;
        }
        return start + length > limit ? null : new int[] {tag, start, (int) (start + length)};
    }

    /** A line of a PEM block's body. */
    private static final java.util.regex.Pattern BASE64_LINE = java.util.regex.Pattern.compile("[A-Za-z0-9+/=]*+");

    /** What {@code --rw} of a directory that holds secret stores is refused for. */
    private static final String SECRETS_HELD = "the host's secret stores (the host's TLS private keys, ssh host keys,"
            + " the password hashes, …: see docs/security.md)";

    /**
     * Why {@code entry} (resolved) is one of the host's secret stores, if it is: one of
     * {@link #SECRET_STORES}; an ssh host private key ({@code /etc/ssh/ssh_host_*_key}, not the
     * {@code .pub}); a keytab in {@code /etc} ({@code *.keytab}, {@code krb5.keytab*}); a {@code private} directory of a key store (any depth) or of a directory of
     * {@code /etc} ({@code /etc/dovecot/private}, {@code /etc/ssl/private}).
     */
    private static Optional<String> secretStore(Path named) {
        // every rule below compares names in lower case (the stores' names are folded alike): SHADOW, ssl/PRIVATE,
        // /etc/WireGuard, /etc/kubernetes/PKI, /etc/.GIT are the same copies, and on a case-folding directory (ext4
        // casefold, vfat) the same files (red team, round 23, F7; round 24, F10: the fixed list compared exactly)
        Path entry = folded(named);
        String known = FOLDED_STORES.get(entry);
        if (known != null) {
            return Optional.of(known);
        }
        if (!entry.startsWith(ETC)) {
            return Optional.empty(); // every store is in /etc
        }
        // name tests first, paths only for a name that may be a store's: a broad grant asks this of each entry it lists
        Path parent = entry.getParent();
        String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
        // ssh host private keys and their copies (ssh_host_rsa_key.bak, ssh_host_key, …), not the .pub, at any
        // depth of /etc/ssh and of its copies: old_ssh_host_rsa_key, host_rsa_key.orig, /etc/ssh/keys/ssh_host_rsa_key,
        // /etc/ssh.bak/ssh_host_ed25519_key (red team, round 22, F6)
        int host = name.indexOf("host");
        if (host >= 0 && (name.contains("ssh_host_") || name.indexOf("key", host) >= 0) && !name.contains(".pub")
                && inSshTree(entry)) {
            return Optional.of("an ssh host private key");
        }
        // service keytabs beside the host's (/etc/http.keytab, /etc/krb5.keytab.old): a name test, no read
        if (name.endsWith(".keytab") || (ETC.equals(parent) && name.startsWith("krb5.keytab"))) {
            return Optional.of("Kerberos keys");
        }
        // copies of the password hashes: shadow.bak, shadow.dpkg-old, gshadow~ (red team, round 21, F4), and
        // nshadow, oshadow (shadow-utils' new and old files), shadow2, .shadow.swp (red team, round 22, F6)
        if (ETC.equals(parent) && name.contains("shadow")) {
            return Optional.of("the password hashes");
        }
        // a copy of a listed store, or a listed store in a copy of its directory: /etc/letsencrypt/archive.bak,
        // /etc/letsencrypt.bak/archive, /etc/kubernetes/admin.conf.bak, /etc/ipsec.secrets.bak (red team, round 22, F6)
        String[] names = null;
        for (Map.Entry<Path, String> store : SECRET_STORES.entrySet()) {
            String[] storeNames = STORE_NAMES.get(store.getKey());
            if (!decorated(name, storeNames[storeNames.length - 1])) {
                continue;
            }
            names = names == null ? names(entry) : names;
            if (copyOf(names, storeNames)) {
                return Optional.of(store.getValue());
            }
        }
        // kubeadm's kubeconfigs (super-admin.conf, controller-manager.conf, kubelet.conf, …) hold client keys, and
        // their copies (admin.conf.bak) and those in a copy of the directory (/etc/kubernetes.bak/admin.conf)
        if (name.contains(".conf") && parent != null && copyOf(parent, KUBERNETES) && KUBECONFIG.matcher(name).matches()) {
            return Optional.of("a Kubernetes kubeconfig with a client key");
        }
        // a private directory anywhere in /etc, by name (easy-rsa's /etc/openvpn/easy-rsa/pki/private), and its
        // backups (private.bak, private.old, private~: red team, round 22, F6), not what a TLS client reads
        if (name.contains("private") && parent != null && !parent.equals(ETC) && (name.equals("private") || name.equals(".private")
                || PRIVATE_BACKUP.matcher(name).matches() && READABLE_WHOLE.stream().noneMatch(named::startsWith))) {
            return Optional.of("the host's TLS private keys");
        }
        return Optional.empty();
    }

    /**
     * A {@code private} directory's backups: {@code private} followed by {@code ~}, digits, or a
     * separator and a backup word ({@code private.bak}, {@code private-old}, {@code private.dpkg-old},
     * {@code private.2024}); not {@code private-files} (AppArmor's abstraction) nor a certificate
     * named {@code private-ca.pem}.
     */
    private static final java.util.regex.Pattern PRIVATE_BACKUP = java.util.regex.Pattern.compile(
            "\\.?private(?:~.*|[-._]?[0-9].*|[-._](?:bak|backup|old|orig|save|sav|swp|tmp|new|prev|dist|dpkg-|rpm|ucf-).*)");

    /** Whether {@code name} is {@code store}'s name decorated as copies are: {@code .name.swp}, {@code name.bak}, {@code name~}, {@code name2}. */
    private static boolean decorated(String name, String store) {
        if (name.equals(store)) {
            return true;
        }
        String bare = name.startsWith(".") && !store.startsWith(".") ? name.substring(1) : name;
        return bare.length() > store.length() && bare.startsWith(store) && "-._~0123456789".indexOf(bare.charAt(store.length())) >= 0;
    }

    /** A kubeconfig's name and its copies: {@code admin.conf}, {@code admin.conf.bak}, {@code kubelet.conf~}. */
    private static final java.util.regex.Pattern KUBECONFIG = java.util.regex.Pattern.compile(".*\\.conf(?:[-._~0-9].*)?");

    /** Each listed store's names in lower case, for {@link #copyOf(String[], String[])}. */
    private static final Map<Path, String[]> STORE_NAMES = SECRET_STORES.keySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(p -> p, p -> names(folded(p))));

    /** {@link #SECRET_STORES} by their names in lower case ({@code /etc/networkmanager/system-connections}). */
    private static final Map<Path, String> FOLDED_STORES = SECRET_STORES.entrySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(e -> folded(e.getKey()), Map.Entry::getValue));

    /**
     * {@code path} in lower case: what every name rule of the secret stores compares (the one place
     * that decides it), so that a re-cased copy ({@code /etc/WireGuard}, {@code /etc/dovecot/PRIVATE})
     * or a case-folding directory's other spelling is the store (red team, round 24, F10).
     */
    private static Path folded(Path path) {
        String text = path.toString();
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.equals(text) ? path : Path.of(lower);
    }

    private static String[] names(Path path) {
        String[] names = new String[path.getNameCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = path.getName(i).toString();
        }
        return names;
    }

    /**
     * Whether {@code entry} is {@code store} (a path below {@code /etc}) or a copy of it: as many
     * names, each the store's or a {@linkplain #decorated decorated} one
     * ({@code /etc/letsencrypt.bak/archive}, {@code /etc/kubernetes/pki.old}).
     */
    private static boolean copyOf(Path entry, Path store) {
        return entry.startsWith(ETC) && copyOf(names(folded(entry)), names(folded(store)));
    }

    /** {@link #copyOf(Path, Path)} on names, the last compared first (the one that differs most often). */
    private static boolean copyOf(String[] entry, String[] store) {
        if (entry.length != store.length) {
            return false;
        }
        for (int i = store.length - 1; i >= 1; i--) {
            if (!decorated(entry[i], store[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code path} lies below {@code /etc/ssh} or a copy of it ({@code /etc/ssh.bak}, {@code /etc/ssh~}, {@code /etc/ssh-old}). */
    private static boolean inSshTree(Path path) {
        return path.getNameCount() > 2 && path.startsWith(ETC) && decorated(folded(path.getName(1)).toString(), "ssh");
    }

    /** Whether {@code dir} is {@code /etc/ssh}, a copy of it, or a directory below one. */
    private static boolean sshTree(Path dir) {
        return dir.getNameCount() >= 2 && dir.startsWith(ETC) && decorated(folded(dir.getName(1)).toString(), "ssh");
    }

    /** Whether {@code dir} is (a copy of) a directory on the way to a listed store: {@code /etc/letsencrypt.bak}, {@code /etc/kubernetes}. */
    private static boolean onTheWayToAStore(Path dir) {
        for (Path store : SECRET_STORES.keySet()) {
            if (dir.getNameCount() < store.getNameCount()
                    && copyOf(dir, store.getRoot().resolve(store.subpath(0, dir.getNameCount())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code path} is or lies in one of the host's secret stores, if it does: the path as given
     * and every name the kernel passes on the way to it (each unresolved component, each symbolic
     * link and where it leads: {@link #namesOnTheWay}) is tested by name ({@link #secretStore}), and
     * so is each of them mapped back from where a store's own name leads ({@link StoreAliases}):
     * {@code /etc/letsencrypt -> /srv/persist/letsencrypt} made {@code /srv/persist/letsencrypt/archive}
     * no store, and {@code /etc/x -> /etc/shadow} was granted as an entry of {@code /etc} (red team,
     * round 21, F3).
     */
    private static Optional<String> inSecretStore(Path path, StoreAliases aliases, FileFacts facts) {
        for (Path name : namesOnTheWay(path, facts)) {
            Optional<String> why = inSecretStoreByName(name).or(() -> aliases.named(name).flatMap(AccessPlanner::inSecretStoreByName));
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /** Why {@code name} (as named, not resolved) is or lies in one of the host's secret stores ({@link #secretStore}). */
    private static Optional<String> inSecretStoreByName(Path name) {
        for (Path p = name; p != null; p = p.getParent()) {
            Optional<String> what = secretStore(p);
            if (what.isPresent()) {
                Path store = p;
                return what.map(w -> (store.equals(name) ? "is " : "lies in ") + store + ", which holds " + w);
            }
        }
        return Optional.empty();
    }

    /**
     * Every name the kernel passes on the way to {@code path}: each component as named, each
     * symbolic link, and each component of where a link leads, resolved component by component
     * (a {@code ..} goes up from where the links so far lead). Too many links: the path itself and
     * {@code /etc/shadow}, so that it is taken as a store (fail closed).
     */
    private static List<Path> namesOnTheWay(Path path, FileFacts facts) {
        PathWalk walk = PathWalk.of(path, facts);
        if (!walk.tooManyLinks()) {
            return walk.visited();
        }
        List<Path> names = new ArrayList<>(walk.visited());
        names.add(ETC.resolve("shadow"));
        return names;
    }

    /**
     * Where the names of the host's secret stores lead, for this plan: each listed store, each
     * directory on the way to one below {@code /etc}, {@code /etc/ssh} and the key stores that is
     * (or lies below) a symbolic link, by where it resolves to. {@code /etc/letsencrypt ->
     * /srv/persist/letsencrypt} or {@code /etc/pki -> /srv/pki}: a grant of the resolved location is
     * tested as the store's name (red team, round 21, F3). One resolution of each name a plan.
     */
    private static final class StoreAliases {
        private final Map<Path, Path> byReal = new LinkedHashMap<>();

        StoreAliases(FileFacts facts) {
            Set<Path> names = new java.util.LinkedHashSet<>();
            for (Path store : SECRET_STORES.keySet()) {
                for (Path p = store; p != null && !p.equals(ETC) && p.startsWith(ETC); p = p.getParent()) {
                    names.add(p);
                }
            }
            names.add(ETC_SSH);
            names.addAll(PRIVATE_TREES);
            // stores known by a name pattern in /etc and /etc/ssh (ssh_host_*key* -> /srv/…, shadow.bak
            // -> …): the links among their entries, as LinkedCode keeps them while the directory is unchanged (an
            // lstat of each of /etc's entries was a fourteenth of a plan)
            for (Path dir : List.of(ETC, ETC_SSH)) {
                for (Path entry : LinkedCode.symbolicLinksIn(dir, facts)) {
                    if (secretStore(entry).isPresent()) {
                        names.add(entry);
                    }
                }
            }
            for (Path name : names) {
                Path real = facts.realOr(name, name);
                if (!real.equals(name)) {
                    byReal.putIfAbsent(real, name);
                }
            }
        }

        /** {@code real} named as the store it resolves from, if it lies in where one leads. */
        Optional<Path> named(Path real) {
            for (Map.Entry<Path, Path> alias : byReal.entrySet()) {
                if (real.startsWith(alias.getKey())) {
                    return Optional.of(alias.getValue().resolve(alias.getKey().relativize(real)));
                }
            }
            return Optional.empty();
        }

        /** Whether a store's name leads to somewhere strictly below {@code real}. */
        boolean below(Path real) {
            for (Path to : byReal.keySet()) {
                if (to.startsWith(real) && !to.equals(real)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Whether the directory {@code path} holds one of the host's secret stores, so that a read grant
     * of it is {@linkplain #addAroundSecretStores given around them}: tested on the path as given,
     * where it resolves to, and that mapped back to a store's name ({@link StoreAliases}).
     */
    private static boolean holdsSecretStores(Path path, StoreAliases aliases, FileFacts facts) {
        if (!facts.isDirectory(path, true)) {
            return false;
        }
        Path real = facts.realOr(path, path);
        Path named = path.toAbsolutePath().normalize();
        return holdsSecretStoresByName(named, facts) || (!real.equals(named) && holdsSecretStoresByName(real, facts))
                || aliases.named(real).map(name -> holdsSecretStoresByName(name, facts)).orElse(false)
                || aliases.below(real);
    }

    /**
     * Whether the directory named {@code name} holds one of the host's secret stores: {@code /} and
     * {@code /etc} always (the password hashes are in every Linux system's {@code /etc}); below
     * {@code /etc}, a directory on the way to a listed store that exists, {@code /etc/ssh}, a
     * directory of a tree with {@code private} directories at any depth ({@link #PRIVATE_TREES}) that
     * has one below it (a bounded walk: {@link #holdsPrivateDirectory}), and a directory with a
     * {@code private} directory. One lstat each outside those trees.
     */
    private static boolean holdsSecretStoresByName(Path name, FileFacts facts) {
        if (ETC.startsWith(name)) {
            return true;
        }
        if (!name.startsWith(ETC)) {
            return false;
        }
        if (folded(name).equals(ETC_SSH) || PRIVATE_TREES.contains(folded(name))) {
            return true; // in lower case, as every store name rule (round 24, F10): /etc/SSL holds what /etc/ssl does
        }
        for (Path store : SECRET_STORES.keySet()) {
            if (store.startsWith(name) && !store.equals(name) && facts.exists(store, false)) {
                return true;
            }
        }
        if (READABLE_WHOLE.stream().anyMatch(name::startsWith)) {
            return false; // readable by default whole (a key kept there is readable: red team, round 21, F6)
        }
        // a copy of /etc/ssh or a directory below one (/etc/ssh/keys, /etc/ssh.bak), a directory on the way
        // to a listed store or a copy of one (/etc/letsencrypt.bak, /etc/kubernetes with only pki.bak):
        // a bounded walk for a store by name (red team, round 22, F6)
        if (PRIVATE_TREES.stream().anyMatch(folded(name)::startsWith) || sshTree(name) || onTheWayToAStore(name)) {
            int[] budget = {PRIVATE_WALK_ENTRIES};
            return holdsPrivateDirectory(name, 0, budget, facts);
        }
        // any other directory of /etc: one lstat of its private directory (a listing of each costs ~0.5 ms a
        // plan of --ro /etc: its backups, private.bak, are found only when named or in the trees above)
        Path privateDir = name.resolve("private");
        return secretStore(privateDir).isPresent() && facts.exists(privateDir, false);
    }

    /**
     * The trees of {@code /etc} whose {@code private} directories are found at any depth by a grant
     * of a directory that holds them: the key stores, and OpenVPN's (easy-rsa keeps its CA key in
     * {@code /etc/openvpn/easy-rsa/pki/private}). A {@code private} directory at /etc/ssl/X/Y/private
     * was given by {@code --ro /etc/ssl} (red team, round 21, F8; F4).
     */
    private static final List<Path> PRIVATE_TREES = java.util.stream.Stream.concat(KEY_STORES.stream(),
            java.util.stream.Stream.of(Path.of("/etc/openvpn"))).toList();

    /**
     * The key stores' directories a TLS client reads, readable whole by every command by default
     * ({@code SandboxPolicy.LINUX_READ_PATHS}): the walk for {@code private} directories does not
     * enter them (a key kept there is readable anyway: red team, round 21, F6), so {@code --ro /etc}
     * does not resolve {@code /etc/ssl/certs}' hundreds of links each plan.
     */
    private static final Set<Path> READABLE_WHOLE = Set.of(Path.of("/etc/ssl/certs"), Path.of("/etc/pki/tls/certs"),
            Path.of("/etc/pki/ca-trust"), Path.of("/etc/pki/java"));

    /** How many entries the walk for {@code private} directories looks at, and how deep: past either, a store is assumed. */
    private static final int PRIVATE_WALK_ENTRIES = 4_096;
    private static final int PRIVATE_WALK_DEPTH = 12;

    /**
     * Whether a directory named {@code private} lies below {@code dir} (links to directories
     * followed): a bounded walk, fail closed (past {@link #PRIVATE_WALK_ENTRIES} entries or
     * {@link #PRIVATE_WALK_DEPTH} levels, a store is assumed, so the grant is given entry by entry).
     */
    private static boolean holdsPrivateDirectory(Path dir, int depth, int[] budget, FileFacts facts) {
        if (depth >= PRIVATE_WALK_DEPTH) {
            return true;
        }
        Path real = facts.realOr(dir, dir);
        for (Path listed : facts.list(real)) {
            if (--budget[0] < 0) {
                return true;
            }
            Path entry = dir.resolve(listed.getFileName());
            if (READABLE_WHOLE.contains(entry)) {
                continue;
            }
            if (secretStore(entry).isPresent()) {
                return true; // a private directory, its backup, a host key, a keytab, a copy of a listed store
            }
            FileFacts.Kind kind = facts.kind(entry);
            if (kind != FileFacts.Kind.DIRECTORY && (kind != FileFacts.Kind.SYMLINK || !facts.isDirectory(entry, true))) {
                continue;
            }
            if (holdsPrivateDirectory(entry, depth + 1, budget, facts)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Grants {@code dir}'s entries one by one as if each were named ({@code --ro}), but for the
     * host's secret stores, left out, and the directories that hold one, whose entries are granted
     * the same way. The walk goes only where {@link #holdsSecretStores} leads: {@code /}'s entries,
     * {@code /etc}'s, and a few directories of {@code /etc}. An entry that is a symbolic link is
     * tested where it leads, as a named grant is ({@link #inSecretStore}): {@code /etc/x -> /etc/shadow}
     * and {@code /certs -> /etc/letsencrypt/archive/x} were granted (red team, round 21, F3).
     * {@code --ro /etc} gave {@code /etc/ssl/private} whole (red team, round 19, F11), and certbot's
     * keys, ssh host keys and {@code /etc/shadow} (round 20, F3). A directory reached twice (a
     * link loop) is expanded once.
     */
    private static void addAroundSecretStores(Path dir, GrantList grants, StoreAliases aliases, FileFacts facts,
            Set<Path> expanded, List<String> warnings) {
        Path realDir = facts.realOr(dir, dir);
        if (!expanded.add(realDir) || expanded.size() > PRIVATE_WALK_ENTRIES) {
            return; // a loop, or a walk past any real /etc's: what is left is not granted (fail closed)
        }
        // the listing, like every entry's type, is this plan's (or the entry cache's while the
        // directory is unchanged): Files.list and an lstat per entry cost ~35 µs a plan
        for (Path real : facts.list(realDir)) {
            Path entry = dir.resolve(real.getFileName());
            boolean link = facts.kind(real) == FileFacts.Kind.SYMLINK || !realDir.equals(dir);
            Optional<String> unnameable = unnameable(entry, link, facts);
            if (unnameable.isPresent()) {
                warnings.add(unnameable.get() + "; the rest of " + dir + " is granted");
                continue;
            }
            Optional<String> store = link ? inSecretStore(entry, aliases, facts)
                    : secretStore(entry).or(() -> aliases.named(entry).flatMap(AccessPlanner::inSecretStoreByName));
            if (store.isPresent()) {
                continue;
            }
            boolean directory = link ? facts.isDirectory(entry, true) : facts.kind(real) == FileFacts.Kind.DIRECTORY;
            if (directory && holdsSecretStores(entry, aliases, facts)) {
                addAroundSecretStores(entry, grants, aliases, facts, expanded, warnings);
            } else {
                grants.add(entry, PathGrant.Access.READ, AROUND_KEYS);
            }
        }
    }

    /**
     * Why an entry of a directory granted around the secret stores is left out: its name, or where
     * it leads, is text the JDK cannot give back as the same bytes (not UTF-8), so the backends,
     * which take paths as text, would grant another path or none. A file in {@code /etc} whose name
     * was not UTF-8 failed {@code --ro /etc} and {@code --ro /} with "changed while it was being
     * granted".
     */
    private static Optional<String> unnameable(Path entry, boolean link, FileFacts facts) {
        if (!NativePath.nameable(entry)) {
            return Optional.of(NativePath.escaped(entry) + " is not granted: its name " + NativePath.whyUnnameable(entry)
                    + ", so it cannot be passed to the sandbox by name (rename it to grant it)");
        }
        Path real = link ? facts.realOr(entry, entry) : entry;
        if (!NativePath.nameable(real)) {
            return Optional.of(entry + " is not granted: it leads to " + NativePath.escaped(real) + ", whose name "
                    + NativePath.whyUnnameable(real) + ", so it cannot be passed to the sandbox by name");
        }
        return Optional.empty();
    }

    private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> supplier) {
        Object[] value = {null};
        return () -> {
            if (value[0] == null) {
                value[0] = supplier.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) value[0];
            return t;
        };
    }

    /** The reason of the entries an explicit read grant is given as around a secret store (its warnings are the grant's). */
    private static final String AROUND_KEYS = "policy (around the host's secret stores)";

    /**
     * {@link #writableRoots} without a working directory that is no data directory ({@code $HOME}, {@code /}, a system
     * directory): it is never given to a command, so a program in it (a pyenv shim below {@code $HOME}, run from
     * {@code $HOME}) is no file this command could have written, and its chain is granted as anywhere else (it was
     * left out, and {@code aws} run from the home could not be executed).
     */
    private static List<Path> commandsWritableRoots(Rules policy, Host host, Path workingDirectory, FileFacts facts) {
        DataDirectories data = facts.dataDirectories(host.home(), host.get("PATH").orElse(""), workingDirectory);
        List<Path> roots = new ArrayList<>(writableRoots(policy, host, workingDirectory));
        for (Path directory : List.of(workingDirectory, host.workingDirectory())) {
            if (data.whyNot(facts.realOr(directory, directory)).isPresent()) {
                roots.removeIf(directory::equals);
            }
        }
        return roots;
    }

    /**
     * Everything a command of this policy could write, for the planting check: the policy's write
     * paths (granted or not), the command's directory, and the AWS CLI caches.
     */
    private static List<Path> writableRoots(Rules policy, Host host, Path workingDirectory) {
        List<Path> roots = new ArrayList<>(policy.writePaths());
        roots.add(workingDirectory);
        roots.add(host.workingDirectory());
        if (policy.allowAwsConfig()) {
            roots.addAll(AwsEnvironment.cacheDirectories(host));
        }
        return roots;
    }

    /**
     * Adds the policy's write paths to {@code grants}, except those that must not be writable:
     * {@code /}, {@code $HOME} and above as the working directory; aws-sandbox's installation and
     * anything inside it; git metadata unless the policy allows writing it; and, when the backend
     * cannot mask (Landlock), a directory that holds either. A default write path (the working
     * directory) is then granted read-only with a warning; an explicit one is an error. Returns the
     * read-only masks to lay over granted write paths.
     *
     * <p>Before any of that, the working directory is given to the command only when it is a data
     * directory ({@link DataDirectories}): not {@code /}, {@code /tmp}, {@code $HOME} or above, a
     * system directory, a hidden directory of {@code $HOME} or a directory on {@code PATH}; not a
     * credential or key directory, nor one that holds one; and it holds neither aws-sandbox's own
     * state nor, when the policy withholds them, the AWS credential files. Otherwise the command
     * gets no access to it at all, with a warning and the reason in {@code workingDirectoryWithheld} (the red team wrote {@code /etc} and
     * {@code ~/.ssh/authorized_keys} from there, and read a credentials file named by
     * {@code AWS_SHARED_CREDENTIALS_FILE} in it). An explicit write path holding aws-sandbox's
     * state or withheld credentials is an error.
     */
    private static List<PathGrant> writeGrants(Rules policy, Host host, WriteProtection protection,
                                               GrantList grants, List<String> warnings, List<PathGrant> withheld,
                                               List<String> workingDirectoryWithheld,
                                               java.util.function.Predicate<Path> plantable, FileFacts facts) {
        Path cwd = facts.realOr(host.workingDirectory(), host.workingDirectory());
        List<Path> writePaths = new ArrayList<>();
        for (Path path : policy.writePaths()) {
            Path real = facts.realOr(path, path);
            if (!facts.exists(real, true)) {
                continue;
            }
            if (protection != WriteProtection.NONE) {
                if (real.equals(cwd)) {
                    // compared resolved: $HOME may be spelled through a symlink (/home -> var/home)
                    Optional<String> why = notGiven(real, policy, host, facts)
                            .or(() -> reachedUnderAnotherName(real, policy, host, facts));
                    if (why.isPresent()) {
                        // a fact: the CLI and the MCP server each give their own advice (AccessPlan.workingDirectoryWithheld)
                        warnings.add("the working directory " + path + " is not given to the command (it is not made"
                                + " writable, nor readable but for what a grant of the policy names): " + why.get());
                        workingDirectoryWithheld.add(why.get());
                        continue;
                    }
                } else {
                    plantedLink(path, plantable, facts).ifPresent(link -> {
                        throw new IllegalArgumentException("--rw " + path + throughLink(link));
                    });
                    Optional<String> why = supervisorState(real, facts).or(() -> withheldCredentials(real, policy, host, facts))
                            .or(() -> reachedUnderAnotherName(real, policy, host, facts));
                    if (why.isPresent()) {
                        throw new IllegalArgumentException("--rw " + path + " " + why.get() + "; grant a narrower path");
                    }
                }
            }
            writePaths.add(path);
        }
        List<Kept> kept = new ArrayList<>();
        if (protection != WriteProtection.NONE) {
            for (Path part : Installation.paths(facts)) {
                kept.add(new Kept(part, "aws-sandbox's own installation (" + part + "), which runs outside the sandbox",
                        "aws-sandbox installation: read-only inside a writable path", false, true));
            }
            // the AWS CLI reads them and nothing sandboxed may change them (its caches in ~/.aws are granted on their own)
            for (Path file : facts.credentialLocations(host).files()) {
                Path real = facts.realOr(file, file);
                kept.add(new Kept(real, "the AWS credentials " + real + ", which no command may change",
                        "aws credentials: read-only inside a writable path"));
            }
            // a credential file an AWS_* variable names that is not there yet: a command must not create it
            // (red team, round 21, F1)
            for (Path place : facts.credentialLocations(host).places()) {
                kept.add(new Kept(place, "the AWS credentials an AWS_* variable names (" + place + ", not there yet),"
                        + " which no command may create", "aws credentials: read-only inside a writable path"));
            }
            // what the credential locations below $HOME's credential directories link to (~/.aws/credentials ->
            // ~/dots/aws/credentials: red team, round 20, F4): an explicit write path that holds one keeps it
            // read-only (bubblewrap) or is refused (Landlock); the working directory is not given at all (notGiven)
            for (SensitiveLocations.LinkedCredential linked : facts.sensitiveLocations(host.home()).linkedCredentials()) {
                kept.add(new Kept(linked.real(), "what " + linked.link() + " links to (" + linked.real() + "), a credential"
                        + " that no command may change", "credential linked from $HOME: read-only inside a writable path"));
            }
            // every symbolic link on the way from a credential location to its target: ~/.aws/config ->
            // dots/link2 -> store/config, where dots/link2 is what the AWS CLI really reads and a command run in
            // dots re-pointed it; AWS_CONFIG_FILE=proj/cfg with cfg -> ../store/config (or -> /dev/null), which a
            // command run in proj replaced, in every credentials mode (red team, round 22, F1 and F2)
            for (PathWalk walk : credentialWalks(host, facts)) {
                for (Path link : walk.links()) {
                    kept.add(new Kept(link, "the symbolic link " + link + " on the way to the AWS credentials or"
                            + " configuration, which no command may re-point", "", true));
                }
                kept.addAll(walkedBackInLinks(walk, "the AWS credentials or configuration"));
            }
            // a '..' in a path the environment names (AWS_CONFIG_FILE=/w/b/../../T): the directories it walks back
            // out of, whole, each link on the way, and where it leads today (red team, round 34, F1)
            kept.addAll(walkBacks(host, facts));
            // what $HOME's start-up files and PATH's programs link to (red team, round 19, F10), and each link on
            // the way there (round 22, F2): see LinkedCode
            List<Path> configDirectories = new ArrayList<>(facts.namedFiles(host).readWhole());
            configDirectories.add(AwsEnvironment.awsDirectory(host).resolve("models")); // botocore's own data path
            facts.configHome().ifPresent(configDirectories::add); // XDG_CONFIG_HOME outside ~/.config (round 25, F6)
            List<Path> writeRoots = writePaths.stream().map(p -> facts.realOr(p, p)).toList();
            LinkedCode.Found linked = LinkedCode.into(writeRoots, facts.sensitiveLocations(host.home()).homes(),
                    host.get("PATH").orElse(""), facts.namedFiles(host).runDirectories(), configDirectories, facts);
            // the walk of the configuration entries was cut short: a link past the bound could lead into any write path
            // (red team, round 24: fails closed rather than leaving what it did not read writable)
            linked.unchecked().ifPresent(why -> {
                for (Path root : writeRoots) {
                    kept.add(new Kept(root, why, ""));
                }
            });
            for (LinkedCode.Target t : linked.targets()) {
                if (t.walkedBack()) {
                    kept.add(Kept.entry(t.real(), "a directory a '..' in the target of " + t.link() + " walks back out"
                            + " of (" + t.real() + "), which a command could swap for a link", "walked back out of by a"
                            + " symbolic link's target: read-only inside a writable path"));
                    continue;
                }
                kept.add(t.onTheWay()
                        ? new Kept(t.real(), "the symbolic link " + t.real() + " on the way from " + t.link() + " to what"
                        + " it links to, which runs or is read outside the sandbox later", "", true)
                        : new Kept(t.real(), "what " + t.link() + " links to (" + t.real() + "), which runs or is read"
                        + " outside the sandbox later", "linked from $HOME or PATH: read-only inside a writable path", false,
                        true));
            }
        }
        List<GitMetadata.Entry> git = new ArrayList<>();
        List<Path> unchecked = new ArrayList<>(); // write paths too large to scan for git metadata
        if (protection != WriteProtection.NONE && !policy.allowGitWrites()) {
            for (Path path : writePaths) {
                Path real = facts.realOr(path, path);
                if (facts.isDirectory(real, true)) {
                    // never from a memo or cache: the scan is of what commands can write
                    GitMetadata.Scan scan = GitMetadata.find(real);
                    git.addAll(scan.entries());
                    if (!scan.complete()) {
                        unchecked.add(real);
                    }
                }
            }
        }
        // what the config of those repositories, and of any repository a write path lies in, names:
        // git runs or reads it as it does .git (red team, round 18)
        List<GitConfig.Target> named = new ArrayList<>();
        if (protection != WriteProtection.NONE && !policy.allowGitWrites()) {
            List<Path> reals = writePaths.stream().map(path -> facts.realOr(path, path)).toList();
            named.addAll(GitConfig.around(reals, git, host.home(),
                    GitConfig.globalFiles(host.variables(), host.home(), host.workingDirectory()),
                    GitConfig.runningIn(host.variables(), host.workingDirectory())));
        }
        List<PathGrant> masks = new ArrayList<>();
        for (Path path : writePaths) {
            Path real = facts.realOr(path, path);
            String which = real.equals(cwd) ? "the working directory " + path : null;
            Map<Path, String> code = codeIn(real, kept, facts.namedFiles(host), named); // refusal and masks ask
            Optional<Refusal> refusal = refusal(real, protection, policy.allowGitWrites(), kept, git, unchecked, facts)
                    .or(() -> namedRefusal(real, protection, named))
                    .or(() -> besideCode(real, protection, code, facts))
                    // what the AWS and ssh configs name (red team, round 22, F3): see NamedFiles
                    .or(() -> facts.namedFiles(host).whyNotWritable(real, protection)
                            .map(why -> new Refusal(why, Optional.of("no option makes it writable: run from another"
                                    + " directory, or grant subdirectories with --rw"))));
            if (refusal.isPresent()) {
                Refusal r = refusal.get();
                withheld.add(new PathGrant(path, real, PathGrant.Access.READ_WRITE, facts.isDirectory(real, true),
                        r.why() + r.remedy().map(flag -> "; " + flag).orElse("")));
                if (which == null) {
                    throw new IllegalArgumentException("--rw " + path + " " + r.why() + ", so it is not made writable"
                            + r.remedy().map(flag -> "; " + flag).orElse(""));
                }
                warnings.add(which + " " + r.why() + ", so it is read-only for this command"
                        + r.remedy().map(flag -> "; " + flag).orElse(""));
                grants.add(path, PathGrant.Access.READ, "policy (not writable: see the warning)");
                continue;
            }
            List<PathGrant> pathMasks = new ArrayList<>();
            if (protection == WriteProtection.MASK) {
                for (Kept k : kept) {
                    if (!k.link() && k.path().startsWith(real) && !k.path().equals(real)) {
                        pathMasks.add(new PathGrant(k.path(), k.path(), PathGrant.Access.READ, facts.isDirectory(k.path(), true),
                                k.maskReason()));
                    }
                }
                for (GitMetadata.Entry entry : git) {
                    if (entry.path().startsWith(real) && !entry.path().equals(real)) {
                        pathMasks.add(new PathGrant(entry.path(), entry.path(), PathGrant.Access.READ,
                                facts.isDirectory(entry.path(), true), "git metadata: read-only inside a writable path"));
                    }
                }
                for (NamedFiles.Named n : facts.namedFiles(host).masksIn(real)) {
                    pathMasks.add(new PathGrant(n.real(), n.real(), PathGrant.Access.READ, facts.isDirectory(n.real(), true),
                            n.why() + ": read-only inside a writable path"));
                }
                for (GitConfig.Target target : named) {
                    if (target.real().startsWith(real) && !target.real().equals(real)) {
                        pathMasks.add(new PathGrant(target.real(), target.real(), PathGrant.Access.READ,
                                facts.isDirectory(target.real(), true),
                                "git metadata (" + (target.why().startsWith("named by ") ? "" : "named by ") + target.why()
                                        + "): read-only inside a writable path"));
                    }
                }
                // the directory of each file that runs later, whole (red team, round 24, F12): its interpreter loads
                // its neighbours from there (python3 tools/cred.py imports tools/json.py, a linked bashrc sources the
                // files beside it), as Landlock, which withholds the write path, keeps them too
                for (Path file : code.keySet()) {
                    Path directory = file.getParent();
                    if (!facts.isDirectory(file, true) && !directory.equals(real) && directory.startsWith(real)) {
                        pathMasks.add(new PathGrant(directory, directory, PathGrant.Access.READ, true, "the directory of "
                                + file + ", which runs outside the sandbox later (its neighbours are loaded with it):"
                                + " read-only inside a writable path"));
                    }
                }
            }
            // a mask is made by name, and a name the JDK cannot give back as its bytes (not UTF-8) names another file or
            // none: the path is then not made writable at all, as where no mask can be made (outside test RT18, F5: a
            // command's .git in such a directory failed every later command there as "changed while it was granted").
            // The same test as the plan's last (nameableOnly), which would fail the whole plan on such a mask instead
            Optional<PathGrant> unnameable = pathMasks.stream().filter(m -> !nameable(m.path())).findFirst();
            if (unnameable.isPresent()) {
                String what = unnameable.get().reason().split(":")[0];
                Path at = unnameable.get().path();
                String why = "holds " + what + " at " + NativePath.escaped(at) + ", whose name " + (NativePath.nameable(at)
                        ? "was read as text with U+FFFD where the real name has bytes that are not valid UTF-8"
                        : NativePath.whyUnnameable(at)) + ": it cannot be kept read-only by name";
                withheld.add(new PathGrant(path, real, PathGrant.Access.READ_WRITE, facts.isDirectory(real, true), why));
                if (which == null) {
                    throw new IllegalArgumentException("--rw " + path + " " + why + ", so it is not made writable; rename it");
                }
                warnings.add(which + " " + why + ", so it is read-only for this command; rename it");
                grants.add(path, PathGrant.Access.READ, "policy (not writable: see the warning)");
                continue;
            }
            grants.add(path, PathGrant.Access.READ_WRITE, EXPLICIT);
            masks.addAll(pathMasks);
        }
        return masks;
    }

    /** Why a write path must not be writable, and the option (if any) that would allow it. */
    private record Refusal(String why, Optional<String> remedy) {}

    /**
     * Something no command may write, wherever it lies: aws-sandbox's installation, the AWS
     * credential files.
     *
     * @param path       resolved
     * @param what       "aws-sandbox's own installation (P), which runs outside the sandbox"
     * @param maskReason the reason of the read-only mask laid over it inside a writable path
     * @param link       whether it is a symbolic link (on the way to a credential or to code that runs
     *                   later), which no mask can keep: a write path that holds it is not made writable
     * @param code       whether it runs outside the sandbox later (its directory is kept with it)
     * @param entryOnly  whether only the directory entry is kept, not what is in it ({@link #entry})
     */
    private record Kept(Path path, String what, String maskReason, boolean link, boolean code, boolean entryOnly) {
        Kept(Path path, String what, String maskReason) {
            this(path, what, maskReason, false, false);
        }

        Kept(Path path, String what, String maskReason, boolean link, boolean code) {
            this(path, what, maskReason, link, code, false);
        }

        /**
         * A directory only its parent's write could replace (one a {@code ..} walks back out of): a write path
         * that is it or lies in it is no threat to it; one strictly around it is.
         */
        static Kept entry(Path path, String what, String maskReason) {
            return new Kept(path, what, maskReason, false, false, true);
        }

        Kept(Path path, String what, String maskReason, boolean link) {
            this(path, what, maskReason, link, false);
        }
    }

    /**
     * The files strictly inside the write path {@code real} that run (or are read as code) outside
     * the sandbox later and that a mask keeps: aws-sandbox's installation, what a link from the
     * home or {@code PATH} leads to, what the AWS and ssh configs and the code-loading variables
     * name to run (not a directory they name whole), and what a repository's config names.
     */
    private static Map<Path, String> codeIn(Path real, List<Kept> kept, NamedFiles namedFiles,
                                            List<GitConfig.Target> named) {
        Map<Path, String> code = new LinkedHashMap<>(); // each file with why it runs later
        for (Kept k : kept) {
            if (k.code() && !k.link()) {
                code.putIfAbsent(k.path(), k.what());
            }
        }
        for (NamedFiles.Named n : namedFiles.masksIn(real)) {
            if (n.use() == NamedFiles.Use.RUNS && !n.container()) {
                code.putIfAbsent(n.real(), n.why());
            }
        }
        for (GitConfig.Target target : named) {
            if (target.stable() && !target.container()) {
                code.putIfAbsent(target.real(), target.why());
            }
        }
        code.keySet().removeIf(p -> !p.startsWith(real) || p.equals(real));
        return code;
    }

    /**
     * Why the write path {@code real} may not be writable under bubblewrap: it is itself the
     * directory that holds a file that runs later ({@link #codeIn}). A mask keeps the file, not its
     * neighbours, which its interpreter loads with it: Python puts a script's directory first on
     * {@code sys.path} ({@code tools/json.py} beside {@code tools/cred.py} ran on the host), a shell
     * script sources its siblings (red team, round 24, F12). Landlock withholds such a write path
     * already ({@link #refusal}, {@link NamedFiles#whyNotWritable}); a file in a subdirectory has that
     * directory masked whole instead.
     */
    private static Optional<Refusal> besideCode(Path real, WriteProtection protection, Map<Path, String> code,
                                                FileFacts facts) {
        if (protection != WriteProtection.MASK) {
            return Optional.empty();
        }
        for (Map.Entry<Path, String> entry : code.entrySet()) {
            Path file = entry.getKey();
            if (real.equals(file.getParent()) && !facts.isDirectory(file, true)) {
                return Optional.of(new Refusal("holds " + file + " (" + entry.getValue() + "), which runs outside the"
                        + " sandbox later, and the files"
                        + " beside it, which its interpreter loads with it (a script imports or sources its neighbours)",
                        Optional.of("no option makes it writable: run from another directory, or grant subdirectories"
                                + " with --rw")));
            }
        }
        return Optional.empty();
    }

    private static final String GIT_REMEDY = "grant a subdirectory that holds none with --rw (--rw ./out), allow it"
            + " with --allow-git-writes (library: SandboxPolicy.Builder.allowGitWrites), or use the bubblewrap backend,"
            + " which keeps .git read-only inside a writable directory";

    private static Optional<Refusal> refusal(Path real, WriteProtection protection, boolean allowGitWrites,
                                             List<Kept> kept, List<GitMetadata.Entry> git, List<Path> unchecked,
                                             FileFacts facts) {
        if (protection == WriteProtection.NONE) {
            return Optional.empty();
        }
        for (Kept k : kept) {
            if (real.startsWith(k.path()) && !k.entryOnly()) {
                return Optional.of(new Refusal("is " + k.what(), Optional.of("no option makes it writable: run from"
                        + " another directory")));
            }
        }
        if (!allowGitWrites) {
            if (gitDirectory(real).isPresent()) {
                return Optional.of(new Refusal("is git metadata, whose hooks and config git runs outside the sandbox",
                        Optional.of("allow it with --allow-git-writes (library: SandboxPolicy.Builder.allowGitWrites)")));
            }
            for (GitMetadata.Entry entry : git) {
                if (real.startsWith(entry.path())) {
                    return Optional.of(new Refusal("is git metadata (" + entry.path() + "), whose hooks and config git runs"
                            + " outside the sandbox",
                            Optional.of("allow it with --allow-git-writes (library: SandboxPolicy.Builder.allowGitWrites)")));
                }
            }
        }
        for (Kept k : kept) {
            // a link cannot be kept read-only inside a writable directory (a mount over it would follow it): the
            // command could remove it and make another, on either backend (red team, round 22, F1 and F2)
            if (k.link() && k.path().startsWith(real)) {
                return Optional.of(new Refusal("holds " + k.what() + " (a read-only mount cannot keep a symbolic"
                        + " link: it follows it)", Optional.of("no option makes it writable: run from another directory,"
                        + " or grant subdirectories with --rw")));
            }
            if (k.entryOnly() && k.path().equals(real)) {
                continue; // its own write path cannot replace it
            }
            if (k.path().startsWith(real) && protection == WriteProtection.WITHHOLD) {
                return Optional.of(new Refusal("holds " + k.what()
                        + ", and this backend cannot keep it read-only inside a writable directory",
                        Optional.of("no option makes it writable: run from another directory, use the bubblewrap"
                                + " backend, or grant subdirectories with --rw")));
            }
            // a read-only mask needs something to lay over: what is not there yet, the command could create
            // (a credential file an AWS_* variable or a dangling link names: red team, round 21, F1 and F2)
            if (k.path().startsWith(real) && !k.path().equals(real) && !facts.exists(k.path(), false)) {
                return Optional.of(new Refusal("holds " + k.what() + ", which does not exist yet, so it cannot be"
                        + " kept read-only (the command could create it)",
                        Optional.of("no option makes it writable: run from another directory, or grant"
                                + " subdirectories with --rw")));
            }
        }
        if (unchecked.contains(real)) {
            return Optional.of(new Refusal("holds more than " + GitMetadata.MAX_ENTRIES + " entries within "
                    + GitMetadata.COMPLETE_DEPTH + " levels, too many to rule out git metadata (whose hooks and config git"
                    + " runs outside the sandbox)", Optional.of("grant the subdirectories it should write with --rw, or"
                    + " allow git writes with --allow-git-writes (library: SandboxPolicy.Builder.allowGitWrites)")));
        }
        for (GitMetadata.Entry entry : git) {
            if (!entry.path().startsWith(real)) {
                continue;
            }
            if (!entry.maskable()) {
                return Optional.of(new Refusal("holds a .git symlink (" + entry.path() + ") that the command could point"
                        + " at a repository of its own making", Optional.of("allow it with --allow-git-writes (library:"
                        + " SandboxPolicy.Builder.allowGitWrites)")));
            }
            if (protection == WriteProtection.WITHHOLD) {
                return Optional.of(new Refusal("holds git metadata (" + entry.path() + "), whose hooks and config git runs"
                        + " outside the sandbox, and this backend cannot keep it read-only inside a writable directory",
                        Optional.of(GIT_REMEDY)));
            }
        }
        return Optional.empty();
    }

    /**
     * Why the write path {@code real} must not be writable for what a repository's config names
     * ({@link GitConfig}): it is or lies in such a path; or holds one the backend cannot keep
     * read-only inside it — under Landlock any, under bubblewrap one that does not exist yet (a
     * read-only mask needs something to lay over: a command could create it) or is reached through
     * a symbolic link (the command could re-point the link).
     */
    private static Optional<Refusal> namedRefusal(Path real, WriteProtection protection, List<GitConfig.Target> named) {
        for (GitConfig.Target target : named) {
            for (Path path : List.of(target.lexical(), target.real())) {
                if (target.container() ? real.startsWith(path) : real.equals(path)) {
                    return Optional.of(new Refusal("is or lies in " + path + " (" + target.why() + "), which git runs or"
                            + " reads outside the sandbox", Optional.of(GIT_OPT_IN)));
                }
            }
        }
        for (GitConfig.Target target : named) {
            for (Path path : List.of(target.lexical(), target.real())) {
                if (!path.startsWith(real)) {
                    continue;
                }
                String holds = "holds " + path + " (" + target.why() + "), which git runs or reads outside the sandbox";
                if (protection == WriteProtection.WITHHOLD) {
                    return Optional.of(new Refusal(holds + ", and this backend cannot keep it read-only inside a writable"
                            + " directory", Optional.of(GIT_REMEDY)));
                }
                if (!target.stable()) {
                    return Optional.of(new Refusal(holds + ", and " + (!target.exists()
                            ? "it does not exist yet, so it cannot be kept read-only (the command could create it)"
                            : !target.lexical().equals(target.real())
                            ? "it is reached through a symbolic link the command could re-point"
                            : "it cannot be kept read-only"), Optional.of(GIT_OPT_IN)));
                }
            }
        }
        return Optional.empty();
    }

    private static final String GIT_OPT_IN = "allow it with --allow-git-writes (library: SandboxPolicy.Builder.allowGitWrites)";

    /**
     * Whether a directory (resolved) is one where an earlier sandboxed command could have planted
     * a symbolic link: any data directory — what some command, with its own policy, may have been
     * given to write (its working directory, a {@code --rw}); the red team planted a link with one
     * command and passed it to a later one whose policy did not make that directory writable —,
     * the AWS CLI's caches, and this policy's write paths that hold data ({@code /} or
     * {@code $HOME} as the working directory are never given, so nothing could have been planted
     * there through them).
     */
    private static java.util.function.Predicate<Path> plantable(Rules policy, Host host, Path workingDirectory,
                                                                FileFacts facts) {
        DataDirectories data = facts.dataDirectories(host.home(), host.get("PATH").orElse(""), workingDirectory);
        List<Path> roots = new ArrayList<>();
        for (Path root : writableRoots(policy, host, workingDirectory)) {
            Path real = facts.realOr(root, root);
            if (data.whyNot(real).isEmpty() || AwsEnvironment.cacheDirectories(host).contains(root)) {
                roots.add(real);
            }
        }
        // and any other directory this user can write: a --rw can make it writable for one command,
        // and a later one followed what it planted there (a hidden directory of $HOME, a directory on
        // PATH: round 5; /var/tmp, /dev/shm/x, /srv/x: round 6); and any directory someone but root
        // can write, wherever it lies (/run/lock, a service's home under /var/lib: round 7). / and
        // the system directories that only root writes hold the host's own links (/bin -> usr/bin,
        // /var/run -> /run) and are followed: root can plant there only by granting one of them
        // with --rw (stated in docs/security.md)
        return directory -> roots.stream().anyMatch(directory::startsWith) || notOnlyRootWrites(directory, facts)
                || !DataDirectories.isSystem(directory)
                && (data.whyNot(directory).isEmpty() || java.nio.file.Files.isWritable(directory));
    }

    private static final Path PROC = Path.of("/proc");

    /**
     * Where a symbolic link followed for a derived grant could have been planted: what
     * {@link #plantable} says for {@code --ro} (any data directory, any directory this user or
     * someone but root can write, a process's {@code /proc/PID}), but for the directories of a home
     * where tools install themselves ({@link ExecutableChain#TOOL_LOCATIONS}: pipx's
     * {@code ~/.local/bin/aws}, pyenv's versions), whose links are the tools' own. Red team, round
     * 18: {@code lib -> /proc} and {@code lib64 -> ~/Documents} planted beside a program by an earlier
     * command were granted to a later one run from elsewhere.
     */
    private static java.util.function.Predicate<Path> derivedLinkPlantable(Rules policy, Host host, Path workingDirectory,
                                                                           FileFacts facts) {
        java.util.function.Predicate<Path> plantable = plantable(policy, host, workingDirectory, facts);
        List<Path> homes = new ArrayList<>();
        homes.add(facts.realOrNormalized(host.home()));
        String userHome = System.getProperty("user.home");
        if (userHome != null && !userHome.isBlank() && Path.of(userHome).isAbsolute()) {
            homes.add(facts.realOrNormalized(Path.of(userHome)));
        }
        return directory -> plantable.test(directory) && !ExecutableChain.inToolLocation(directory, homes);
    }

    /** The kernel interfaces no derived grant may be or lie in, whatever the base policy grants of them. */
    private static final List<Path> KERNEL_INTERFACES = List.of(PROC, Path.of("/sys"), Path.of("/dev"));

    /**
     * Why {@code real}, the target of a derived grant, is never granted: a kernel interface (in
     * {@code /proc}, {@code /sys} or {@code /dev}, or a kernel file system mounted at, around or
     * beneath it: red team, round 18, was granted the host's {@code /proc}, the JVM's
     * {@code /proc/PID} and {@code /sys} through a planted {@code lib}), or aws-sandbox's and the
     * JVMs' own state.
     */
    private static Optional<String> notDerivable(Path real, FileFacts facts) {
        for (Path dir : KERNEL_INTERFACES) {
            if (real.startsWith(dir)) {
                return Optional.of("it is in " + dir + ", a kernel interface");
            }
        }
        for (MountTable.Opaque mount : facts.mounts().opaque(real)) {
            if (mount.kind() == MountTable.Opaque.Kind.KERNEL_INTERFACE) {
                return Optional.of("it " + describe(mount));
            }
        }
        return supervisorStateInside(real, facts).map(why -> "it " + why);
    }

    /** Why a grant through {@code link} is refused, said for where the link lies. */
    private static String throughLink(Path link) {
        if (link.startsWith(PROC)) {
            return " goes through the symbolic link " + link + ", which leads wherever that process is looking (its root,"
                    + " working directory or open files: another mount namespace, or a file it was handed); name the"
                    + " directory it should lead to instead";
        }
        return " goes through the symbolic link " + link + ", which lies in a directory sandboxed commands can write (one"
                + " of them could have planted it); name the directory it should lead to instead";
    }

    /**
     * Why the writable directory {@code real} reaches, under another name, what it could not be
     * granted as itself, or reaches what cannot be judged by name: the checks by path see one name,
     * and mounts give directories others (red team, rounds 8–11: binds of the installation, of
     * /tmp, of ~/.ssh, an overlay whose upper directory was $HOME, the directory a bind of $HOME
     * was made from, a proc mount in a project). Empty when nothing does.
     */
    private static Optional<String> reachedUnderAnotherName(Path real, Rules policy, Host host, FileFacts facts) {
        MountTable mounts = facts.mounts();
        List<MountTable.Opaque> opaque = mounts.opaque(real);
        if (!opaque.isEmpty()) {
            return Optional.of(describe(opaque.getFirst()));
        }
        Optional<String> untraceable = untraceableProtectedPlace(mounts, policy, host, facts);
        if (untraceable.isPresent()) {
            return untraceable;
        }
        // what a mount shows from elsewhere, and what shows it elsewhere, is judged as the working
        // directory would be (a place reached under another name was never named on purpose)
        for (Path original : mounts.reachedElsewhere(real)) {
            Optional<String> why = namedDirectly(original, policy, host, facts);
            if (why.isPresent()) {
                return Optional.of("reaches " + original + " through a mount, and a place reached under another name"
                        + " must pass the working directory's checks (" + why.get() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * A place no command may be given — what the working directory's rule refuses (a system
     * directory, a directory on PATH, $HOME or above, a hidden directory of it), a git directory,
     * aws-sandbox's installation, its spawn gates, the AWS credentials, the host's temporary
     * directories — that is or lies in a mount whose content may be anywhere (an overlay's layers
     * as typed, FUSE, a loop device's lost file): any writable directory could be where that
     * content lies, so none is given (red team, rounds 12 and 13: ~/.ssh, .git/hooks,
     * /usr/local/bin and /etc/profile.d as an overlay with {@code upperdir=up} typed in the
     * project, or a bindfs of a directory in it). Not one: a container's own root overlay at
     * {@code /}, and the storage of container and desktop runtimes ({@link #RUNTIME_STORAGE}).
     */
    private static Optional<String> untraceableProtectedPlace(MountTable mounts, Rules policy, Host host, FileFacts facts) {
        List<MountTable.Untraceable> untraceable = mounts.untraceable();
        if (untraceable.isEmpty()) {
            return Optional.empty();
        }
        Path home = facts.realOr(host.home(), host.home());
        for (MountTable.Untraceable mount : untraceable) {
            Path point = mount.point();
            if (runtimeStorage(point, home)) {
                continue;
            }
            Optional<String> why = neverWritableAround(point, host, facts)
                    .or(() -> gitDirectory(point).map(git -> "it is in the git directory " + git))
                    .or(() -> notGiven(point, policy, host, facts))
                    .or(() -> supervisorState(point, facts).map(state -> "it " + state));
            if (why.isPresent()) {
                return Optional.of("cannot be judged while the " + mount.type() + " mount " + point + " is mounted ("
                        + why.get() + "): " + switch (mount.kind()) {
                            case OVERLAY -> "an overlay's layers are listed as they were typed, and could be anywhere";
                            case FUSE -> "a user-space file system can show any directory";
                            case LOOP -> "the file behind its loop device cannot be found";
                            case KERNEL_INTERFACE -> "a kernel interface";
                        } + ", this one too; no writable directory is given until it is unmounted");
            }
        }
        return Optional.empty();
    }

    /**
     * Where container and desktop runtimes keep their own untraceable mounts (every container's
     * root is an overlay with relative layers; the desktop's document portal and gvfs are FUSE;
     * an AppImage is a FUSE mount in /tmp): judging them would refuse every directory on every
     * host that runs one. What they show is theirs (stated in docs/security.md).
     */
    private static final List<Path> RUNTIME_STORAGE = List.of(Path.of("/var/lib/docker"), Path.of("/var/lib/containers"),
            Path.of("/var/lib/kubelet"), Path.of("/run/containerd"), Path.of("/run/docker"), Path.of("/run/netns"));

    private static boolean runtimeStorage(Path point, Path home) {
        if (RUNTIME_STORAGE.stream().anyMatch(point::startsWith) || point.startsWith(home.resolve(".local/share/containers"))) {
            return true;
        }
        // /run/user/UID/doc, /run/user/UID/gvfs; /tmp/.mount_NAME
        return point.getNameCount() >= 4 && point.startsWith("/run/user") && Set.of("doc", "gvfs").contains(point.getName(3).toString())
                || point.getNameCount() >= 2 && point.startsWith("/tmp") && point.getName(1).toString().startsWith(".mount_");
    }

    /**
     * Why no grant would make {@code real} (resolved) writable — it is, holds or lies in
     * aws-sandbox's installation, its spawn gates or the AWS credentials — as the working
     * directory's rule says it: a denial's hint must not name a grant that is then refused (red
     * team, round 18: "--rw /install" was suggested, then refused).
     */
    public static Optional<String> whyNeverWritable(Path real, Host host) {
        return neverWritableAround(real, host, new FileFacts());
    }

    /**
     * What no command may change — aws-sandbox's installation, its spawn gates, the AWS
     * credentials — that {@code real} is, holds or lies in, said as a reason.
     */
    private static Optional<String> neverWritableAround(Path real, Host host, FileFacts facts) {
        List<Path> neverWritable = new ArrayList<>(Installation.paths(facts));
        neverWritable.add(GateDirectory.path());
        for (Path file : facts.credentialLocations(host).files()) {
            neverWritable.add(facts.realOr(file, file));
        }
        neverWritable.addAll(facts.credentialLocations(host).places());
        return neverWritable.stream().filter(kept -> kept.startsWith(real) || real.startsWith(kept)).findFirst()
                .map(kept -> "it is or holds " + kept + ", which no command may change");
    }

    /** The {@code .git} directory {@code path} is in, if any (a mount over its hooks plants code that git runs). */
    private static Optional<Path> gitDirectory(Path path) {
        for (int i = 0; i < path.getNameCount(); i++) {
            if (path.getName(i).toString().equals(".git")) {
                return Optional.of(path.getRoot().resolve(path.subpath(0, i + 1)));
            }
        }
        return Optional.empty();
    }

    /** A mount whose content cannot be judged, said as the reason a grant is refused. */
    private static String describe(MountTable.Opaque mount) {
        String where = switch (mount.relation()) {
            case AT -> "is";
            case INSIDE -> "lies in";
            case BENEATH -> "holds";
        };
        return where + " the " + mount.type() + " mount " + mount.point() + ", " + switch (mount.kind()) {
            case OVERLAY -> "whose layers the mount table cannot name reliably (a relative or since-moved upper or"
                    + " lower directory could be $HOME)";
            case FUSE -> "a user-space file system, which can show any directory under a new name (as bindfs does)";
            case LOOP -> "a loop device whose file cannot be found (deleted, or in a detached mount)";
            case KERNEL_INTERFACE -> "a kernel interface rather than stored files (writing its files acts on the host:"
                    + " proc's sysctls, binfmt_misc's handlers)";
        };
    }

    /**
     * A kernel interface mounted beneath a read grant {@code real} (a proc mount in a chroot build
     * directory shows every process's command line, red team round 11): the host's own in
     * {@code /proc}, {@code /sys}, {@code /dev} and {@code /run} excepted when the grant holds that
     * whole directory ({@code --ro /} means to include them).
     */
    private static Optional<String> kernelInterfaceBeneath(Path real, FileFacts facts) {
        for (MountTable.Opaque mount : facts.mounts().opaque(real)) {
            if (mount.kind() == MountTable.Opaque.Kind.KERNEL_INTERFACE && mount.relation() == MountTable.Opaque.Relation.BENEATH
                    && HOST_INTERFACES.stream().noneMatch(dir -> dir.startsWith(real) && mount.point().startsWith(dir))) {
                return Optional.of(describe(mount));
            }
        }
        return Optional.empty();
    }

    private static final List<Path> HOST_INTERFACES = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"), Path.of("/run"));

    /**
     * Why {@code original} (a directory or a file shown somewhere else by a mount) would be refused
     * as a writable grant if it were named: the working directory's rule (no $HOME or above, no
     * system or hidden directory, no supervisor state, no credentials) for a directory, that of its
     * directory for a file, and never aws-sandbox's installation, its spawn gates or the AWS
     * credentials, inside or around it.
     */
    private static Optional<String> namedDirectly(Path original, Rules policy, Host host, FileFacts facts) {
        Path real = facts.realOr(original, original);
        Optional<String> kept = neverWritableAround(real, host, facts);
        if (kept.isPresent()) {
            return kept;
        }
        Path directory = facts.isDirectory(real, true) || real.getParent() == null ? real : real.getParent();
        return notGiven(directory, policy, host, facts).or(() -> supervisorState(real, facts).map(state -> "it " + state));
    }

    /**
     * Whether someone other than root could have put a link in {@code directory} (resolved) without
     * any grant of ours: a user who owns it (another one, or this one through a {@code --rw} of an
     * earlier command), its group, everyone ({@code /run/lock}, 1777), or a process: the links of
     * {@code /proc/PID} ({@code cwd}, {@code root}, {@code fd/N}) lead wherever that process went.
     * Judged by owner and mode, not by where the directory lies; unexaminable counts as writable.
     */
    private static boolean notOnlyRootWrites(Path directory, FileFacts facts) {
        if (directory.startsWith(PROC) && directory.getNameCount() > 1) {
            return true;
        }
        try {
            FileFacts.Stat stat = facts.stat(directory);
            return stat.uid() != 0 || stat.groupWritable() || stat.othersWritable();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /**
     * The symbolic link on the way to {@code path} that lies in one of the {@code writable}
     * directories (resolved), if any: an earlier command could have planted it there, and an
     * innocent-looking {@code --rw ./out} then led to {@code ~/.ssh} (red team, round 2). Links
     * elsewhere ({@code /bin -> usr/bin}, a home reached through {@code /home -> /var/home}) are
     * the host's own and are followed.
     */
    private static Optional<Path> plantedLink(Path path, java.util.function.Predicate<Path> writable, FileFacts facts) {
        // component by component as the kernel resolves it: a link's target is read and walked in
        // its turn (a host link leading to a planted one is caught), and ".." is taken after links,
        // never lexically ("d/../x" with a planted d is the parent of d's target)
        Path absolute = path.toAbsolutePath();
        java.util.Deque<Path> names = new java.util.ArrayDeque<>();
        absolute.forEach(names::addLast);
        Path current = absolute.getRoot();
        int hops = 0;
        while (!names.isEmpty()) {
            Path name = names.pollFirst();
            if (name.equals(FileFacts.DOT)) {
                continue;
            }
            if (name.equals(FileFacts.DOT_DOT)) {
                current = current.getParent() == null ? current : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (facts.kind(next) != FileFacts.Kind.SYMLINK) {
                current = next;
                continue;
            }
            if (writable.test(current)) { // the link's own directory, resolved
                return Optional.of(next);
            }
            Path target;
            try {
                target = facts.readLink(next);
            } catch (java.io.IOException e) {
                return Optional.empty(); // gone meanwhile: the grant is judged elsewhere
            }
            if (++hops > FileFacts.MAX_LINKS) {
                return Optional.empty(); // a loop: the grant is refused elsewhere
            }
            List<Path> targetNames = new ArrayList<>();
            target.forEach(targetNames::add);
            for (int i = targetNames.size() - 1; i >= 0; i--) {
                names.addFirst(targetNames.get(i));
            }
            if (target.isAbsolute()) {
                current = target.getRoot();
            }
        }
        return Optional.empty();
    }

    /**
     * Why the working directory {@code real} is not given to the command at all, if it is not:
     * not a data directory, a credential or key directory (or one that holds one), aws-sandbox's
     * own state, or withheld AWS credentials.
     */
    private static Optional<String> notGiven(Path real, Rules policy, Host host, FileFacts facts) {
        return facts.dataDirectories(host.home(), host.get("PATH").orElse(""), real)
                .whyNot(real)
                .or(() -> facts.sensitiveLocations(host.home()).whyNotDirectory(real))
                .or(() -> supervisorState(real, facts))
                .or(() -> withheldCredentials(real, policy, host, facts))
                .or(() -> facts.namedFiles(host).whyKey(real));
    }

    /**
     * Whether {@code real} is or holds what belongs to aws-sandbox or the JVM rather than to a
     * command: the spawn gates (a file planted there could let a later command start before its
     * limits hold); the temporary directories (other commands' files); and the host's temporary
     * directories that hold them and the JVMs' performance data ({@code hsperfdata_USER/PID}, mapped
     * in memory: truncated, it crashed the JVM with SIGBUS; read, it gave away other JVMs' command
     * lines — found by the red team).
     */
    static Optional<String> supervisorState(Path real, FileFacts facts) {
        for (Path dir : supervisorStateHolders(facts)) {
            if (dir.startsWith(real)) {
                return Optional.of("holds " + dir + ", where aws-sandbox and the JVM keep their own state"
                        + " (commands get a private temporary directory of their own)");
            }
        }
        return supervisorStateInside(real, facts);
    }

    /** The directories that hold aws-sandbox's and the JVMs' state: the spawn gates, the host's temporary directories. */
    private static List<Path> supervisorStateHolders(FileFacts facts) {
        Path tmp = Path.of("/tmp");
        Path javaTmp = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
        return List.of(GateDirectory.path(), facts.realOr(tmp, tmp), facts.realOr(javaTmp, javaTmp));
    }

    /** The host's shared temporary directories: {@code /tmp}, the JVM's, {@code /var/tmp} and {@code /dev/shm}. */
    private static List<Path> sharedTemporary(FileFacts facts) {
        List<Path> holders = supervisorStateHolders(facts);
        List<Path> shared = new ArrayList<>(holders.subList(1, holders.size()));
        for (Path dir : List.of(Path.of("/var/tmp"), Path.of("/dev/shm"))) {
            shared.add(facts.realOr(dir, dir));
        }
        return shared.stream().distinct().toList();
    }

    /** Whether {@code real} is inside aws-sandbox's or a JVM's state (another command's temporary directory, …). */
    private static Optional<String> supervisorStateInside(Path real, FileFacts facts) {
        List<Path> state = supervisorStateHolders(facts);
        for (Path tmp : state.subList(1, state.size())) {
            if (real.startsWith(tmp) && real.getNameCount() > tmp.getNameCount()) {
                String name = real.getName(tmp.getNameCount()).toString();
                if (name.startsWith("hsperfdata_") || name.startsWith("aws-sandbox-tmp-") || name.startsWith("aws-sandbox-gates-")) {
                    return Optional.of("is in " + tmp.resolve(name) + ", which belongs to aws-sandbox or a JVM");
                }
            }
        }
        if (real.startsWith(state.getFirst())) {
            return Optional.of("is in aws-sandbox's private spawn directory " + state.getFirst());
        }
        // /proc/self, /proc/thread-self and /dev/fd resolve here to the supervisor, not to the command
        if (real.startsWith(OWN_PROC)) {
            return Optional.of("is " + OWN_PROC + ", aws-sandbox's own process (/proc/self is resolved when the"
                    + " command is planned, in aws-sandbox, not in the command)");
        }
        return Optional.empty();
    }

    private static final Path OWN_PROC = Path.of("/proc", Long.toString(ProcessHandle.current().pid()));

    /** Whether {@code real} is or holds an AWS credential file that the policy keeps from commands. */
    private static Optional<String> withheldCredentials(Path real, Rules policy, Host host, FileFacts facts) {
        if (policy.allowAwsConfig()) {
            return Optional.empty();
        }
        for (Path file : facts.credentialLocations(host).files()) {
            Path credentials = facts.realOr(file, file);
            if (credentials.startsWith(real) || real.startsWith(credentials)) {
                return Optional.of("holds the AWS credentials " + credentials + ", which this policy keeps from"
                        + " commands (credentials mode env or none)");
            }
        }
        // a credential file that is not there yet, which a command could create (red team, round 21, F1)
        for (Path place : facts.credentialLocations(host).places()) {
            if (place.startsWith(real) || real.startsWith(place)) {
                return Optional.of("holds " + place + ", where an AWS_* variable names the AWS credentials (not there"
                        + " yet), which this policy keeps from commands (credentials mode env or none)");
            }
        }
        // the same files linked out of ~/.aws (red team, round 20, F4)
        Path awsDirectory = facts.realOrNormalized(AwsEnvironment.awsDirectory(host));
        for (SensitiveLocations.LinkedCredential linked : facts.sensitiveLocations(host.home()).linkedCredentials()) {
            if (linked.link().startsWith(awsDirectory) && (linked.real().startsWith(real) || real.startsWith(linked.real()))) {
                return Optional.of("holds the AWS credentials " + linked.real() + " (" + linked.link() + " links there),"
                        + " which this policy keeps from commands (credentials mode env or none)");
            }
        }
        // a web identity token the AWS config names, as AWS_WEB_IDENTITY_TOKEN_FILE's (red team, round 22, F3)
        return facts.namedFiles(host).whyAwsCredential(real);
    }

    /**
     * Where a symbolic link on the way to a grant made for the AWS credentials could have been
     * planted: what {@link #plantable} says, but for the homes themselves and their credential
     * directories (resolved), which no command is given to write — except the AWS CLI's caches in
     * {@code ~/.aws}, which every command may write. {@code ~/.aws -> dots/aws} and
     * {@code ~/.aws/config -> ../dots/config} are the user's own links; {@code dots/link2} on the
     * way further is not.
     */
    private static java.util.function.Predicate<Path> credentialPlantable(java.util.function.Predicate<Path> plantable,
                                                                          Host host, FileFacts facts) {
        List<Path> homes = facts.sensitiveLocations(host.home()).homes();
        List<Path> credentialDirectories = new ArrayList<>();
        for (Path home : homes) {
            for (String entry : SensitiveLocations.CREDENTIAL_ENTRIES) {
                credentialDirectories.add(facts.realOrNormalized(home.resolve(entry)));
            }
        }
        List<Path> caches = AwsEnvironment.cacheDirectories(host).stream().map(facts::realOrNormalized).toList();
        return directory -> {
            boolean own = homes.contains(directory) || credentialDirectories.stream().anyMatch(directory::startsWith)
                    && caches.stream().noneMatch(directory::startsWith);
            return !own && plantable.test(directory);
        };
    }

    /**
     * Why a grant made for the AWS credentials is not made through {@code path} ({@code ~/.aws}, or
     * a file in it that links out of it), if it is not: a symbolic link on the way that a command
     * could have planted or re-pointed ({@code credentialPlantable}); or where it leads, judged as
     * an explicit {@code --ro} of it would be and more: a secret store of the host, a kernel
     * interface or aws-sandbox's state, {@code /}, {@code /etc}, a home or above, another
     * credential directory ({@code ~/.ssh}); a directory ({@code directory}) that holds one of them.
     */
    private static Optional<String> credentialGrantRefused(Path path, java.util.function.Predicate<Path> credentialPlantable,
                                                           boolean directory, Host host,
                                                           java.util.function.Supplier<StoreAliases> storeAliases,
                                                           FileFacts facts) {
        Path real = facts.realOrNormalized(path);
        if (real.equals(path.toAbsolutePath().normalize())) {
            return Optional.empty(); // no link on the way: it is where the home's rules judge it (the common case)
        }
        Optional<Path> link = plantedLink(path, credentialPlantable, facts);
        if (link.isPresent()) {
            return Optional.of("it" + throughLink(link.get()));
        }
        StoreAliases aliases = storeAliases.get();
        Optional<String> why = inSecretStore(path, aliases, facts).map(secret -> "it " + secret)
                .or(() -> notDerivable(real, facts));
        if (why.isPresent()) {
            return why;
        }
        if (real.getParent() == null || real.startsWith(ETC)) {
            return Optional.of("it leads to " + real + ", which is / or in /etc");
        }
        if (directory && holdsSecretStores(path, aliases, facts)) {
            return Optional.of("it leads to " + real + ", which holds " + SECRETS_HELD);
        }
        Path awsReal = facts.realOrNormalized(AwsEnvironment.awsDirectory(host));
        for (Path home : facts.sensitiveLocations(host.home()).homes()) {
            if (home.startsWith(real)) {
                return Optional.of("it leads to " + real + ", which is " + home + " or above it");
            }
            for (String entry : SensitiveLocations.CREDENTIAL_ENTRIES) {
                Path other = facts.realOrNormalized(home.resolve(entry));
                if (other.equals(awsReal) || entry.equals(".config")) {
                    continue; // ~/.aws -> .config/aws: the XDG layout some keep it in
                }
                if (real.startsWith(other) || directory && other.startsWith(real)) {
                    return Optional.of("it leads to " + real + ", which " + (real.startsWith(other) ? "is or lies in "
                            : "holds ") + other + ", a credential directory of its own");
                }
            }
        }
        return Optional.empty();
    }

    /** An AWS CLI cache directory as it may be granted: its real path, whether it was just made, or why not. */
    private record CacheDirectory(Path real, boolean created, Optional<String> refused) {}

    /**
     * The cache directory {@code relative} ({@code cli/cache}) below {@code awsReal}, the real
     * {@code ~/.aws}: each component must be a directory, not a symbolic link; a missing one is made
     * (owner-only, as the CLI itself would) with {@code mkdir}, which never follows a link at the
     * name it makes, and looked at again (a link put there meanwhile is refused, not followed).
     */
    private static CacheDirectory cacheDirectory(Path awsReal, Path relative, FileFacts facts) {
        Path at = awsReal;
        boolean created = false;
        for (Path name : relative) {
            at = at.resolve(name);
            FileFacts.Kind kind = created ? NativeLstat.kindNow(at) : facts.kind(at);
            if (kind == FileFacts.Kind.ABSENT) {
                try {
                    Files.createDirectory(at, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    created = true;
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.log(Level.DEBUG, "cannot create " + at + ": " + e);
                }
                kind = NativeLstat.kindNow(at);
            }
            if (kind == FileFacts.Kind.SYMLINK) {
                return new CacheDirectory(at, created, Optional.of(at + " is a symbolic link, and an AWS CLI cache is"
                        + " made writable only as a directory below the real " + awsReal + " (a command could re-point a"
                        + " link at a directory of its choice)"));
            }
            if (kind != FileFacts.Kind.DIRECTORY) {
                return new CacheDirectory(at, created, Optional.of(at + " is not a directory"));
            }
        }
        return new CacheDirectory(at, created, Optional.empty());
    }

    /**
     * Why the read grant of {@code ~/.aws} ({@code awsReal}, resolved) would give more than its own
     * files: a mount beneath it shows a place that has another name (a bind of {@code ~/.ssh} at
     * {@code ~/.aws/sso/cache} made the keys readable to every command), or content that cannot be
     * traced by name (an overlay, FUSE, a lost loop file, a kernel interface). A mount seen nowhere
     * else (a private tmpfs for the caches) is {@code ~/.aws}'s own; a mount at {@code ~/.aws} (a
     * container given the host's) is judged as {@code ~/.aws} itself.
     */
    private static Optional<String> mountBeneathAws(Path awsReal, FileFacts facts) {
        MountTable mounts = facts.mounts();
        for (MountTable.Opaque mount : mounts.opaque(awsReal)) {
            if (mount.relation() == MountTable.Opaque.Relation.BENEATH) {
                return Optional.of("it holds " + describe(mount));
            }
        }
        for (Path point : mounts.mountedBelow(awsReal, awsReal)) {
            Set<Path> elsewhere = new java.util.LinkedHashSet<>(mounts.names(point));
            elsewhere.remove(point);
            if (!elsewhere.isEmpty()) {
                return Optional.of(point + " is a mount point beneath it that shows " + elsewhere.iterator().next()
                        + ", and a read grant of " + awsReal + " would give that to every command");
            }
        }
        return Optional.empty();
    }

    /**
     * Why the cache {@code relative} ({@code sso/cache}) below the real {@code ~/.aws} is not made
     * writable: it is a mount point, a mount lies beneath it, or a directory between {@code ~/.aws}
     * and it is one. A mount there shows another directory (a bind of {@code ~/.ssh} made at
     * {@code ~/.aws/sso/cache} was granted read-write: red team, round 23, F6) which no one named,
     * and the AWS CLI keeps no mount in its caches; so any mount there, of any kind, drops the
     * grant, rather than judging what it shows as a {@code --rw} is judged. A mount at
     * {@code ~/.aws} or above (a container given the host's {@code ~/.aws}) is not one: the caches
     * are then that directory's own.
     */
    private static Optional<String> mountedCache(Path awsReal, Path relative, FileFacts facts) {
        List<Path> points = facts.mounts().mountedBelow(awsReal, awsReal.resolve(relative));
        if (points.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(points.getFirst() + " is a mount point, and an AWS CLI cache is made writable only as a directory"
                + " of " + awsReal + "'s own file system with no mount at, beneath or on the way to it (a mount there"
                + " shows a directory from elsewhere, which no one named)");
    }

    /** What {@link EnvironmentWalkBacks} finds, as what no command may change. */
    private static List<Kept> walkBacks(Host host, FileFacts facts) {
        List<Kept> kept = new ArrayList<>();
        Set<Path> paths = new java.util.LinkedHashSet<>();
        for (EnvironmentWalkBacks.WalkBack back : EnvironmentWalkBacks.of(host)) {
            String why = "a directory the '..' in " + back.variable() + "'s " + back.path() + " walks back out of ("
                    + back.directory() + "), which a command could swap for a link to choose what the host's programs"
                    + " read there later";
            PathWalk toDirectory = PathWalk.of(back.directory(), facts);
            kept.add(Kept.entry(toDirectory.end().normalize(), why, "walked back out of by a path in $"
                    + back.variable() + ": read-only inside a writable path"));
            for (Path link : toDirectory.links()) {
                kept.add(new Kept(link, "the symbolic link " + link + " on the way to " + why, "", true));
            }
            kept.addAll(walkedBackInLinks(toDirectory, back.directory().toString()));
            if (paths.add(Path.of(back.path()))) {
                // where the path leads today, the kernel's way: a file there is what the host reads
                PathWalk toPath = PathWalk.of(Path.of(back.path()), facts);
                kept.add(new Kept(toPath.end().normalize(), "what " + back.variable() + "'s " + back.path() + " leads"
                        + " to (" + toPath.end().normalize() + "), which the host's programs read later",
                        "named by $" + back.variable() + ": read-only inside a writable path"));
                for (Path link : toPath.links()) {
                    kept.add(new Kept(link, "the symbolic link " + link + " on the way to " + back.path() + " ("
                            + back.variable() + "), which a command could re-point", "", true));
                }
                kept.addAll(walkedBackInLinks(toPath, back.path()));
            }
        }
        return kept;
    }

    /**
     * Each directory a {@code ..} in a symbolic link's target on {@code walk}'s way walks back out of, as an entry
     * no command may replace ({@code ~/.aws/config -> ../dots/b/../../cfg}: a command that can write {@code dots}
     * swaps {@code b} for a link, and the kernel's {@code ..} goes up from there).
     */
    private static List<Kept> walkedBackInLinks(PathWalk walk, String to) {
        List<Kept> kept = new ArrayList<>();
        for (Path back : walk.walkedBack()) {
            kept.add(Kept.entry(back, "a directory a '..' in a symbolic link's target on the way to " + to + " walks"
                    + " back out of (" + back + "), which a command could swap for a link", "walked back out of by a"
                    + " symbolic link's target: read-only inside a writable path"));
        }
        return kept;
    }

    /**
     * The walks to the AWS credential locations ({@code ~/.aws}, the files the AWS_* variables name as
     * written — whatever they lead to, a device included — and the credential locations that link out of
     * their directories): every symbolic link on the way is kept, and a write path that holds one is not
     * made writable (red team, round 22, F1 and F2), and so is every directory a {@code ..} in a link's
     * target walks back out of. A few lstats, answered by the entry cache.
     */
    private static List<PathWalk> credentialWalks(Host host, FileFacts facts) {
        Set<Path> names = new java.util.LinkedHashSet<>(facts.credentialLocations(host).files());
        for (String variable : List.of("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")) {
            host.get(variable).ifPresent(value -> names.addAll(AwsEnvironment.asBotocoreReads(host, value)));
        }
        for (String variable : AwsEnvironment.TOKEN_FILE_VARIABLES) { // round 24, F6: the container token file too
            host.get(variable).ifPresent(value -> names.add(host.expand(value)));
        }
        for (SensitiveLocations.LinkedCredential linked : facts.sensitiveLocations(host.home()).linkedCredentials()) {
            names.add(linked.link());
        }
        List<PathWalk> walks = new ArrayList<>();
        for (Path name : names) {
            walks.add(PathWalk.of(name, facts));
        }
        return walks;
    }

    /**
     * The child's environment: each passthrough variable that is set on the host, secret AWS
     * variables only when the policy passes them.
     */
    public static Map<String, String> environment(Rules policy, Host host) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : policy.envPassthrough()) {
            if (!policy.passAwsEnv() && AwsEnvironment.AWS_SECRET_ENV_VARS.contains(name)) {
                continue;
            }
            String value = host.variables().get(name);
            if (value != null) {
                if (value.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("environment variable " + name + " contains a NUL byte");
                }
                env.put(name, value);
            }
        }
        return env;
    }

    /** Grants in order, existing paths only, each (resolved path, access) once. */
    private static final class GrantList {
        private final FileFacts facts;
        private final List<PathGrant> grants = new ArrayList<>();
        /** The directory grants among {@link #grants}: the only ones that can cover a later one. */
        private final List<PathGrant> directories = new ArrayList<>();
        private final Set<Seen> seen = new java.util.HashSet<>();

        /** A grant's resolved path and its access (or {@link #MASK}): each is added once. */
        private record Seen(Path resolved, Object access) {}

        private static final Object MASK = new Object();

        GrantList(FileFacts facts) {
            this.facts = facts;
        }

        void add(Path path, PathGrant.Access access, String reason) {
            Optional<FileFacts.Kind> kind = facts.realKind(path);
            if (kind.isEmpty()) {
                return; // missing paths are skipped, as the reference does
            }
            // it exists: it was just resolved (in this plan's answers)
            addExisting(new PathGrant(path, facts.real(path).orElseThrow(), access, kind.get() == FileFacts.Kind.DIRECTORY,
                    reason));
        }

        void add(PathGrant grant) {
            if (facts.exists(grant.resolved(), true)) {
                addExisting(grant);
            }
        }

        private void addExisting(PathGrant grant) {
            if (coveredByEarlierGrant(grant)) {
                return;
            }
            if (seen.add(new Seen(grant.resolved(), grant.access()))) {
                grants.add(grant);
                if (grant.directory()) {
                    directories.add(grant);
                }
            }
        }

        /**
         * A grant beneath an earlier directory grant with at least its access adds nothing, unless
         * it is reached through a symlink (/bin -> usr/bin): bubblewrap must recreate that name.
         */
        private boolean coveredByEarlierGrant(PathGrant grant) {
            if (!grant.path().equals(grant.resolved())) {
                return false;
            }
            for (PathGrant earlier : directories) {
                boolean atLeast = earlier.access() == PathGrant.Access.READ_WRITE || grant.access() == PathGrant.Access.READ;
                if (atLeast && grant.resolved().startsWith(earlier.resolved())) {
                    return true;
                }
            }
            return false;
        }

        /** A read-only mask beneath a writable grant: never dropped as "covered" by it. */
        void addMask(PathGrant mask) {
            if (facts.exists(mask.resolved(), false)
                    && seen.add(new Seen(mask.resolved(), MASK))) {
                grants.add(mask);
                if (mask.directory()) {
                    directories.add(mask);
                }
            }
        }

        List<PathGrant> list() {
            return List.copyOf(grants);
        }
    }
}
