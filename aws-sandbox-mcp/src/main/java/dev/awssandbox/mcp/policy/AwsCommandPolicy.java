package dev.awssandbox.mcp.policy;

import dev.awssandbox.mcp.policy.AwsCommand.Role;
import dev.awssandbox.mcp.policy.AwsCommand.Word;
import dev.awssandbox.mcp.policy.ServiceModels.RegionMember;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one policy every {@code aws_cli_pipeline} and {@code aws_cli_help} call goes through. It
 * decides on the command as the AWS CLI will read it, never on raw strings, and hands back the
 * canonical argv that runs. Checks, in order:
 *
 * <ol>
 *   <li>the line splits into words and stages (no shell syntax), the first stage is {@code aws};</li>
 *   <li>the AWS CLI stage parses as the AWS CLI parses it ({@link AwsCli}): unknown, ambiguous and
 *       unmodelled commands and options are refused;</li>
 *   <li>the call's {@code profile} and {@code region} arguments are merged with {@code --profile}
 *       and {@code --region} (they must agree) and the default region is added;</li>
 *   <li>global options: no {@code --debug} (its log holds signatures and tokens), no
 *       {@code --ca-bundle} and no {@code --no-verify-ssl} (TLS is checked as the server's
 *       configuration says), {@code --endpoint-url} only where {@link Endpoints} allows, the profile
 *       on the policy's list, the region a region of an AWS partition and on the policy's list;</li>
 *   <li>every value the AWS CLI would read or write as a local file stays in the {@link Workspace},
 *       no parameter value is an {@code http(s)://} URL the AWS CLI would download, and a parameter
 *       that sets where the request goes ({@code --predict-endpoint}) passes the same check as
 *       {@code --endpoint-url}; every parameter file the AWS CLI reads ({@link #readsParamFile}) is
 *       read, checked (no shorthand file reference in it, among others) and copied, and the command
 *       names the copy;</li>
 *   <li>with a region list, no value names another region: no ARN of another region in any
 *       parameter (or in a {@code file://} parameter's file), no S3 ARN without a region (a
 *       Multi-Region Access Point), no {@code --source-region} off the list, no region-naming model
 *       member ({@code SourceRegion}, {@code DestinationRegion}, {@code ReplicaRegion}, {@code Region},
 *       {@code RegionName}) off the list as an option, in shorthand or JSON, or in
 *       {@code --cli-input-json}; and an AWS endpoint must name a region on the list;</li>
 *   <li>the operation is classified ({@link Classification}); a {@code deny} pattern refuses it,
 *       read-only mode refuses what does not only read;</li>
 *   <li>an {@code ask} pattern, or {@code requireConsent} for what does not only read, makes the
 *       call need the user's consent (asked by the tool through MCP elicitation);</li>
 *   <li>each later stage is an allowed filter with allowed options only ({@link Filters}).</li>
 * </ol>
 */
public final class AwsCommandPolicy {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");

    private final AwsCli cli;
    private final PolicyConfig config;
    private final Workspace workspace;
    private final Endpoints endpoints;
    private final DefaultRegion defaultRegion;
    private final boolean argumentRules;
    /** Where the checked copies of {@code file://} parameter files go: see {@link #withParamFileCopies}. */
    private final Path copies;
    /** What the AWS CLI's sandbox lets a command read: see {@link #withSandboxReads}. */
    private final SandboxReads sandboxReads;

    /**
     * What the AWS CLI's sandbox lets a command read, from the core's plan for that same command. The
     * server reads a parameter file only where the command itself could: it had read every workspace
     * file it was named, and a credential store the sandbox withholds from the command (the workspace
     * holds the file {@code KUBECONFIG} names, so the plan does not give the working directory) reached
     * the AWS CLI as the server's copy, whose "Invalid JSON … JSON received:" error gave the model the
     * token (testers' F4).
     */
    @FunctionalInterface
    public interface SandboxReads {
        /** Every file: for tests of the policy alone, which run no command. The server never uses it. */
        SandboxReads ANY = argv -> file -> Optional.empty();

        /**
         * Asked once per call, only when the command names a parameter file.
         *
         * @param argv the AWS CLI stage as checked
         * @return for each file, why the sandboxed command could not read it, or empty when it could
         */
        java.util.function.Function<Path, Optional<String>> forCommand(List<String> argv) throws Refused;
    }

    /** The region added to a command that names none, by the profile it names (empty: the AWS CLI decides). */
    @FunctionalInterface
    public interface DefaultRegion {
        Optional<String> forProfile(Optional<String> profile);
    }

    /**
     * @param defaultRegion the server's region, added to commands that name none
     * @param endpoints     the non-AWS endpoints allowed (the policy's and the server's own)
     */
    public AwsCommandPolicy(AwsCli cli, PolicyConfig config, Workspace workspace, Endpoints endpoints,
                            Optional<String> defaultRegion) {
        this(cli, config, workspace, endpoints, profile -> defaultRegion);
    }

    /** @param defaultRegion the region to add to a command that names none, by its profile */
    public AwsCommandPolicy(AwsCli cli, PolicyConfig config, Workspace workspace, Endpoints endpoints,
                            DefaultRegion defaultRegion) {
        this(cli, config, workspace, endpoints, defaultRegion, true,
                Path.of(System.getProperty("java.io.tmpdir", "/tmp")), SandboxReads.ANY);
    }

    private AwsCommandPolicy(AwsCli cli, PolicyConfig config, Workspace workspace, Endpoints endpoints,
                             DefaultRegion defaultRegion, boolean argumentRules, Path copies, SandboxReads sandboxReads) {
        this.cli = cli;
        this.config = config;
        this.workspace = workspace;
        this.endpoints = endpoints;
        this.defaultRegion = defaultRegion;
        this.argumentRules = argumentRules;
        this.copies = copies;
        this.sandboxReads = sandboxReads;
    }

    /**
     * A copy that puts the checked copies of {@code file://} parameter files in {@code directory}
     * (one private directory per call beneath it): the server's own, which the AWS CLI's sandbox may
     * read but no command may write. Without it they go to the JVM's temporary directory.
     */
    public AwsCommandPolicy withParamFileCopies(Path directory) {
        return new AwsCommandPolicy(cli, config, workspace, endpoints, defaultRegion, argumentRules, directory, sandboxReads);
    }

    /**
     * A copy that reads a parameter file only when {@code reads} says the AWS CLI's sandbox lets the
     * command read it, and otherwise refuses the call with the sandbox's reason. The server's own;
     * without it every workspace file is read ({@link SandboxReads#ANY}).
     */
    public AwsCommandPolicy withSandboxReads(SandboxReads reads) {
        return new AwsCommandPolicy(cli, config, workspace, endpoints, defaultRegion, argumentRules, copies, reads);
    }

    /**
     * A copy that skips the global-option and file rules (steps 4 and 5), for tests that prove
     * redaction alone keeps secrets from the client. Never used by the server.
     */
    public AwsCommandPolicy withoutArgumentRulesForTesting() {
        return new AwsCommandPolicy(cli, config, workspace, endpoints, defaultRegion, false, copies, sandboxReads);
    }

    public PolicyConfig config() {
        return config;
    }

    public Workspace workspace() {
        return workspace;
    }

    public AwsCli cli() {
        return cli;
    }

    /**
     * A call allowed to run.
     *
     * @param stages         canonical argv of each stage; the first is the AWS CLI
     * @param classification what the AWS CLI stage does to the account
     * @param consent        why the user must consent first, if they must
     * @param copies         the call's private directory of checked {@code file://} parameter files,
     *                       which the AWS CLI stage reads instead of the workspace's; {@link #release}
     *                       removes it
     * @param paramFiles     those files, for the consent question to show what they say
     * @param command        the AWS CLI stage as parsed (its {@link AwsCommand#argv()} is the first
     *                       stage), for the consent question to show each option with its values
     */
    public record Decision(List<List<String>> stages, Classification classification, Optional<String> consent,
                           Optional<Path> copies, List<ParamFile> paramFiles, AwsCommand command) {
        public Decision {
            stages = stages.stream().map(List::copyOf).toList();
            paramFiles = List.copyOf(paramFiles);
            java.util.Objects.requireNonNull(command, "command");
        }

        /**
         * Whether the command writes a local file: an outfile, or the local destination of {@code s3 cp}, {@code mv} or
         * {@code sync} (what it downloads may be named like a credential store, which makes the sandbox withhold the
         * workspace from later commands).
         */
        public boolean writesLocalFiles() {
            for (AwsCommand.Word w : command.options()) {
                if (w.role() == AwsCommand.Role.LOCAL_WRITE) {
                    return true;
                }
            }
            for (AwsCommand.Word w : command.positionals()) {
                if (w.role() == AwsCommand.Role.LOCAL_WRITE) {
                    return true;
                }
                if (w.role() == AwsCommand.Role.TRANSFER_PATH) {
                    for (int i = 1; i < w.values().size(); i++) {
                        String v = w.values().get(i);
                        if (!v.startsWith("s3://") && !v.equals("-")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** Removes the call's checked copies of parameter files, once the command has run (or will not). */
        public void release() {
            copies.ifPresent(ParamFileCopies::delete);
        }
    }

    /**
     * Commands whose output carries the credentials they were run with (a presigned URL holds
     * {@code X-Amz-Security-Token}): they run without filters, so that only redacted output leaves.
     */
    static final java.util.Set<String> PRINTS_THE_CALLERS_CREDENTIALS = java.util.Set.of("s3:presign");

    /**
     * The longest command line the server reads, in characters, checked before it is split or parsed:
     * a 4 MB line of repeated options kept a thread busy for minutes, past the call's timeout and
     * cancellation, which apply only once the command runs (red team, mcp round 10, F4).
     */
    static final int LONGEST_COMMAND_LINE = 1 << 20;
    /** The most words a call's stages may have together, checked before the AWS CLI stage is parsed. */
    static final int MOST_WORDS = 10_000;
    /** The most stages of a pipeline: the {@code aws} command and its filters. */
    static final int MOST_STAGES = 32;

    /** Checks an {@code aws_cli_pipeline} call. */
    public Decision pipeline(String commandLine, Optional<String> profile, Optional<String> region) throws Refused {
        if (commandLine.length() > LONGEST_COMMAND_LINE) {
            throw new Refused("the command line is " + commandLine.length() + " characters long; the server takes at most "
                    + LONGEST_COMMAND_LINE + " (1 MiB; Linux passes a program at most 2 MiB of arguments, and 128 KiB in"
                    + " one); put large values in a file in the workspace and pass it as file://NAME");
        }
        List<List<String>> stages = CommandLine.split(commandLine);
        if (stages.size() > MOST_STAGES) {
            throw new Refused("the pipeline has " + stages.size() + " stages; the server runs at most " + MOST_STAGES
                    + " (the aws command and its filters)");
        }
        int words = stages.stream().mapToInt(List::size).sum();
        if (words > MOST_WORDS) {
            throw new Refused("the command has " + words + " words; the server takes at most " + MOST_WORDS
                    + " in a call (over all stages); pass long lists in a file in the workspace as file://NAME");
        }
        List<String> first = stages.getFirst();
        if (!first.getFirst().equals("aws")) {
            throw new Refused("the command must start with the AWS CLI ('aws ...'), not '" + AwsCli.abbreviate(first.getFirst())
                    + "'; other programs may only follow a '|': " + String.join(", ", config.filters()));
        }
        if (first.size() < 2) {
            throw new Refused("'aws' needs a service and a command, e.g. 'aws s3 ls'");
        }
        AwsCommand command = cli.parse(first);
        command = withProfileAndRegion(command, profile, region);
        ParamFileCopies copied = new ParamFileCopies(copies);
        List<String> missing = List.of();
        try {
            if (argumentRules) {
                checkGlobals(command);
                missing = checkValues(command);
                // every parameter file the AWS CLI reads is read, checked and copied, and the command names
                // the copy: its text can hold what an inline value may not (a shorthand file reference:
                // red team, mcp round 14, F1), and what the user approves is what runs (round 9, F1)
                command = checkRegions(command, copied);
                command = noSymlinksOut(command);
            }
            return decide(stages, command, copied, missing);
        } catch (Refused | RuntimeException e) {
            copied.directory().ifPresent(ParamFileCopies::delete);
            throw e;
        }
    }

    /**
     * The rest of {@link #pipeline}, on the checked command: deny, read-only, a local file that is {@code missing}, consent,
     * the filters.
     */
    private Decision decide(List<List<String>> stages, AwsCommand command, ParamFileCopies copies, List<String> missing)
            throws Refused {
        Classification classification = Classification.of(command);
        Optional<String> denied = Patterns.firstMatch(config.deny(), classification.names());
        if (denied.isPresent()) {
            throw new Refused(classification.label() + " is denied by the server's policy (pattern '" + denied.get() + "')");
        }
        if (config.readOnly() && !classification.read()) {
            // when an option made the read a write, the same operation without it reads: say that, not "use
            // other operations" (testers' F9: get-parameter --with-decryption was sent to Describe/List/Get)
            // and an operation that only reads but returns secrets is withheld as such: "use Describe/List/Get" had sent the
            // model to get-function-configuration, which returns the same variables (outside test WF30, F11)
            throw new Refused("the server is read-only (AWS_MCP_READ_ONLY): " + classification.label()
                    + " does not only read; " + classification.readInstead().map(how -> how + " to read")
                            .orElse(classification.reason().startsWith("returns secrets")
                                    ? "a read-only server does not return secrets: no other operation that returns them is"
                                    + " allowed either; leave this value out, or ask the user to run it"
                                    : "use Describe/List/Get operations"));
        }
        if (!missing.isEmpty()) {
            throw new Refused(missing.getFirst());
        }
        Optional<String> consent = consent(classification);
        if (stages.size() > 1 && PRINTS_THE_CALLERS_CREDENTIALS.contains(classification.name())) {
            // redaction works on the pipeline's output: a filter sees the AWS CLI's output before it,
            // and `| tr % _` passed the session token a presigned URL carries (red team, round 4)
            throw new Refused(classification.name() + " prints a URL that carries this server's session token, which is"
                    + " redacted only in the final output; filters would see it: run it without filters");
        }
        List<List<String>> canonical = new ArrayList<>();
        canonical.add(command.argv());
        for (int i = 1; i < stages.size(); i++) {
            canonical.add(Filters.check(stages.get(i), i + 1, config.filters()));
        }
        return new Decision(canonical, classification, consent, copies.directory(), copies.files(), command);
    }

    /** Why the user must consent to an operation, if they must: an {@code ask} pattern, or {@code requireConsent} and a write. */
    private Optional<String> consent(Classification classification) {
        return Patterns.firstMatch(config.ask(), classification.names())
                .map(p -> "the policy asks before " + classification.name() + " (pattern '" + p + "')")
                .or(() -> config.requireConsent() && !classification.read()
                        ? Optional.of(classification.name() + " changes the AWS account") : Optional.empty());
    }

    /** The AWS CLI's services, as aws_cli_help with service {@code aws} lists them (outside test WF30, F2). */
    public java.util.Set<String> services() {
        return cli.commandNames();
    }

    /**
     * Checks an {@code aws_cli_help} call: argv of {@code aws SERVICE [COMMAND [SUBCOMMAND]] help};
     * {@code command} may hold both words ({@code wait instance-running}).
     */
    public List<String> help(String service, Optional<String> command) throws Refused {
        requireIdentifier("service", service);
        if (!cli.commandNames().contains(service)) {
            throw new Refused("unknown service '" + service + "': an AWS CLI service name such as s3, s3api, ec2, iam,"
                    + " lambda, sts; service 'aws' lists them");
        }
        List<String> argv = new ArrayList<>(List.of("aws", service));
        if (command.isPresent()) {
            // a command of a command ("wait instance-running") is two words
            List<String> words = List.of(command.get().strip().split("\\s+"));
            if (words.size() > 2) {
                throw new Refused("invalid command '" + AwsCli.abbreviate(command.get()) + "': at most a command and its"
                        + " subcommand, e.g. 'wait instance-running'");
            }
            for (String word : words) {
                requireIdentifier("command", word);
            }
            // 'help' is help only as the last command's one argument: 'aws configure set region help' sets the region
            // to "help" (red team, MCP round B, F3); only a waiter is a command's command
            if (words.size() == 2 && !words.getFirst().equals("wait")) {
                throw new Refused("invalid command '" + AwsCli.abbreviate(command.get()) + "': only 'wait' takes a"
                        + " subcommand here (e.g. 'wait instance-running'); give the command alone");
            }
            // refused here, as aws_cli_pipeline refuses it, not the AWS CLI's raw usage error with its banner (outside
            // test WF30, F3)
            // (configure's other commands are documented, though the server runs only 'configure list')
            java.util.Set<String> commands = cli.commandsOf(service);
            if (!service.equals("configure") && !commands.isEmpty() && !commands.contains(words.getFirst())) {
                String spelled = AwsCli.cliSpelling(words.getFirst());
                throw new Refused("'" + AwsCli.abbreviate(words.getFirst()) + "' is not a command of 'aws " + service + "'"
                        + (commands.contains(spelled) && !spelled.equals(words.getFirst()) ? "; did you mean '" + spelled
                        + "'?" : "") + "; aws_cli_help with service '" + service + "' alone lists them");
            }
            argv.addAll(words);
        }
        // help runs the AWS CLI too, which runs an alias of the service's or the command's name (round B, F2)
        cli.refuseAliases(service, argv.size() > 2 ? Optional.of(argv.get(2)) : Optional.empty());
        argv.add("help");
        return argv;
    }

    private static void requireIdentifier(String what, String value) throws Refused {
        if (!IDENTIFIER.matcher(value).matches()) {
            // the CLI's spelling of an API's name ('DescribeInstances', 'EC2'), which models often write (outside test
            // WF29, F17); each kind's own examples (a command had been among the services')
            String cli = AwsCli.cliSpelling(value);
            throw new Refused("invalid " + what + " '" + AwsCli.abbreviate(value) + "': an AWS CLI " + what
                    + " name is lower-case letters, digits and dashes (e.g. " + (what.equals("service") ? "s3, ec2, lambda"
                    : "describe-instances, list-buckets") + ")" + (IDENTIFIER.matcher(cli).matches() ? "; did you mean '"
                    + cli + "'?" : ""));
        }
    }

    private AwsCommand withProfileAndRegion(AwsCommand command, Optional<String> profile, Optional<String> region)
            throws Refused {
        if (command.kind() == AwsCommand.Kind.VERSION) {
            return command;
        }
        command = merge(command, "--profile", profile);
        command = merge(command, "--region", region);
        if (command.global("--region").isEmpty()) {
            Optional<String> added = defaultRegion.forProfile(command.global("--profile"));
            if (added.isPresent()) {
                command = command.withGlobal("--region", added.get());
            }
        }
        return command;
    }

    /** The call's argument and the command's option must agree; the argument is added when the command has none. */
    private static AwsCommand merge(AwsCommand command, String option, Optional<String> argument) throws Refused {
        if (argument.isEmpty()) {
            return command;
        }
        Optional<String> inLine = command.global(option);
        if (inLine.isPresent() && !inLine.get().equals(argument.get())) {
            throw new Refused("the call's " + option.substring(2) + " '" + AwsCli.abbreviate(argument.get())
                    + "' and the command's " + option + " '" + AwsCli.abbreviate(inLine.get()) + "' differ; give one");
        }
        return command.withGlobal(option, argument.get());
    }

    private void checkGlobals(AwsCommand command) throws Refused {
        if (command.hasGlobal("--debug")) {
            throw new Refused("--debug is not allowed: its log contains request signatures and session tokens");
        }
        if (command.hasGlobal("--ca-bundle")) {
            throw new Refused("--ca-bundle is not allowed: the server's AWS_CA_BUNDLE applies");
        }
        if (command.hasGlobal("--no-verify-ssl")) {
            throw new Refused("--no-verify-ssl is not allowed: it turns off the TLS certificate check of requests that"
                    + " carry the access key id and session token, so anyone on the network path could read them");
        }
        Optional<String> endpoint = command.global("--endpoint-url");
        if (endpoint.isPresent()) {
            checkEndpoint(endpoint.get(), "--endpoint-url");
        }
        Optional<String> profile = command.global("--profile");
        if (profile.isPresent() && !config.profiles().isEmpty() && !config.profiles().contains(profile.get())) {
            throw new Refused("profile '" + AwsCli.abbreviate(profile.get()) + "' is not allowed; allowed profiles: "
                    + String.join(", ", config.profiles()));
        }
        Optional<String> region = command.global("--region");
        if (region.isPresent() && !Regions.valid(region.get())) {
            throw new Refused("'" + AwsCli.abbreviate(region.get()) + "' is not a region of an AWS partition (e.g."
                    + " eu-west-1); botocore sends some other names elsewhere (dynamodb --region local goes to"
                    + " http://localhost:8000)");
        }
        if (!config.regions().isEmpty() && command.kind() != AwsCommand.Kind.VERSION
                && command.kind() != AwsCommand.Kind.CONFIGURE) {
            if (region.isEmpty()) {
                throw new Refused("name a region (the 'region' argument or --region): allowed regions: "
                        + String.join(", ", config.regions()));
            }
            if (!config.regions().contains(region.get())) {
                throw new Refused("region '" + region.get() + "' is not allowed; allowed regions: "
                        + String.join(", ", config.regions()));
            }
        }
    }

    /**
     * An upload from the workspace does not follow symbolic links: one pointing out of the workspace
     * (say, to ~/.aws) would otherwise be uploaded with everything it names.
     */
    private static AwsCommand noSymlinksOut(AwsCommand command) throws Refused {
        if (command.kind() != AwsCommand.Kind.S3 || command.positionals().isEmpty()) {
            return command;
        }
        List<String> paths = command.positionals().getFirst().values();
        boolean localSource = command.positionals().getFirst().role() == Role.TRANSFER_PATH && !paths.isEmpty()
                && !paths.getFirst().startsWith("s3://") && !paths.getFirst().equals("-");
        if (!localSource) {
            return command;
        }
        if (command.options().stream().anyMatch(w -> w.name().equals("--follow-symlinks"))) {
            throw new Refused("--follow-symlinks is not allowed for uploads: a link could lead out of the workspace");
        }
        return command.withFlag("--no-follow-symlinks");
    }

    /** Whether a value uses shorthand's {@code key@=file://…} (or {@code @ =}, {@code fileb://}), which the AWS CLI loads. */
    static boolean shorthandFileReference(String value) {
        if (!value.contains("file://") && !value.contains("fileb://")) {
            return false;
        }
        for (int i = value.indexOf('@'); i >= 0; i = value.indexOf('@', i + 1)) {
            int j = i + 1;
            while (j < value.length() && Character.isWhitespace(value.charAt(j))) {
                j++;
            }
            if (j < value.length() && value.charAt(j) == '=') {
                return true;
            }
        }
        return false;
    }

    /**
     * An endpoint the AWS CLI would send signed requests to: allowed by {@link Endpoints}, and with a
     * region list, an AWS endpoint must name a region on it (a host without one, such as
     * {@code s3.amazonaws.com}, is a global endpoint in us-east-1).
     */
    private void checkEndpoint(String url, String what) throws Refused {
        endpoints.check(url, what);
        if (config.regions().isEmpty() || endpoints.isConfigured(url)) {
            return;
        }
        String host = Endpoints.parse(url).orElseThrow().host();
        List<String> named = Regions.namedIn(host);
        if (named.isEmpty()) {
            throw new Refused(what + " '" + AwsCli.abbreviate(url) + "' names no region, and the server allows only"
                    + " these regions: " + String.join(", ", config.regions()) + "; name the regional endpoint");
        }
        for (String r : named) {
            if (!config.regions().contains(r)) {
                throw new Refused(what + " '" + AwsCli.abbreviate(url) + "' is in region '" + r + "', which is not"
                        + " allowed; allowed regions: " + String.join(", ", config.regions()));
            }
        }
    }

    /** Largest {@code file://} parameter file searched for ARNs when regions are restricted. */
    private static final long LARGEST_CHECKED_FILE = 16L << 20;

    /**
     * The most distinct parameter files one call may name when they are copied: one 16 MiB file
     * named 200 times made 3.2 GB of copies and a 478 KB question (red team, mcp round 10, F7).
     */
    static final int MOST_PARAM_FILES = ParamFileCopies.MOST_FILES;

    /**
     * Before anything is read or copied: at most {@link #MOST_PARAM_FILES} distinct parameter files
     * (a file named twice counts once, and is copied once), together at most
     * {@link ParamFileCopies#MOST_BYTES} by their sizes now. {@link ParamFileCopies} checks the
     * total again as it copies, for a file that grows in between.
     */
    private void boundParamFiles(AwsCommand command) throws Refused {
        java.util.Set<Path> files = new java.util.LinkedHashSet<>();
        List<Word> words = new ArrayList<>(command.positionals());
        words.addAll(command.options());
        for (Word w : words) {
            for (String v : w.values()) {
                if (readsParamFile(w, v)) {
                    files.add(workspace.root().resolve(v.substring(v.indexOf("://") + 3)).normalize());
                }
            }
        }
        if (files.size() > MOST_PARAM_FILES) {
            throw new Refused("the command names " + files.size() + " different file:// or fileb:// parameter files;"
                    + " the server reads and copies at most " + MOST_PARAM_FILES + " a call (to check them and show"
                    + " them to the user); name fewer files, or give values inline");
        }
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.size(f) : 0;
            } catch (java.io.IOException e) {
                // refused with its reason when it is read
            }
        }
        if (total > ParamFileCopies.MOST_BYTES) {
            throw new Refused(ParamFileCopies.tooMuch(total));
        }
    }

    /**
     * With a region list: no parameter value names another region in an ARN (botocore sends S3
     * and S3 Control requests for an access point ARN to the ARN's region), also inside the file
     * of a {@code file://}/{@code fileb://} parameter; and {@code --source-region} (the AWS CLI
     * reads the source of {@code s3 cp} there, and signs a request for it in
     * {@code rds copy-db-snapshot}) is on the list.
     *
     * <p>A parameter file is read once, checked, and copied into the call's private directory, and
     * the command names the copy: the AWS CLI reads it a second later, in the sandbox, and a
     * concurrent call could download other content over the workspace's file in between (an ARN of
     * another region passed the check: red team, mcp round 8, F5). A file that does not exist is
     * refused, for the same reason (it could be created after the check).
     *
     * <p>Without a region list the files are read, checked and copied too, always: what the user
     * approves is what runs (red team, mcp round 9, F1), and a file's text can hold a shorthand file
     * reference, which the AWS CLI resolves in text it loaded from a file as in an inline value (red
     * team, mcp round 14, F1: it was read only with a region list or consent, and
     * {@code put-item --item file://item} stored {@code ~/.aws/credentials}). The copy is what the AWS
     * CLI reads, so there is no race between the check and the read.
     *
     * @return the command, its checked parameter files replaced by their copies
     */
    private AwsCommand checkRegions(AwsCommand command, ParamFileCopies copied) throws Refused {
        boundParamFiles(command);
        CommandReads readable = new CommandReads(command.argv());
        Map<String, RegionMember> regionOptions = cli.regionOptions(command);
        java.util.Set<String> pathOptions = cli.pathOptions(command);
        List<Word> positionals = new ArrayList<>();
        for (Word w : command.positionals()) {
            positionals.add(checkRegions(w, copied, readable, RegionMember.NONE, namesBucket(command, w), false));
        }
        List<Word> options = new ArrayList<>();
        for (Word w : command.options()) {
            // --cli-input-json can set every member: "SourceRegion" in it passed while --source-region
            // was refused (red team, mcp round 9, F2)
            RegionMember region = w.name().equals("--cli-input-json") && !regionOptions.isEmpty() ? RegionMember.HOLDS
                    : regionOptions.getOrDefault(w.name(), RegionMember.NONE);
            options.add(checkRegions(w, copied, readable, region, namesBucket(command, w),
                    pathOptions.contains(w.name()) || !pathOptions.isEmpty() && INPUT_OPTIONS.contains(w.name())));
        }
        return new AwsCommand(command.globals(), command.service(), command.path(), command.kind(),
                command.operation(), positionals, options);
    }

    /**
     * @param region      whether the word's values name a region, or may hold members that do
     * @param namesBucket whether a parameter file's text may name the bucket ({@link #namesBucket})
     * @param inPath      whether a parameter file's text may be put into the request's path ({@link #checkDotSegments})
     */
    private Word checkRegions(Word w, ParamFileCopies copied, CommandReads readable, RegionMember region, boolean namesBucket,
                              boolean inPath) throws Refused {
        List<String> values = new ArrayList<>();
        boolean restricted = !config.regions().isEmpty();
        for (String v : w.values()) {
            if (restricted) {
                if (w.name().equals("--source-region") && !config.regions().contains(v)) {
                    throw new Refused("--source-region '" + AwsCli.abbreviate(v) + "' is not allowed; allowed regions: "
                            + String.join(", ", config.regions()));
                }
                checkArns(w.name(), v);
            }
            if (readsParamFile(w, v)) {
                String what = w.name() + " " + AwsCli.abbreviate(v);
                String name = v.substring(v.indexOf("://") + 3);
                Path key = workspace.root().resolve(name).normalize();
                Optional<ParamFileCopies.Copy> earlier = copied.copyOf(key);
                // a file named twice is read and copied once (red team, mcp round 10, F7)
                byte[] content = earlier.isPresent() ? earlier.get().content() : readParamFile(name, what, readable);
                // the bytes as Latin-1 find ASCII in any encoding that keeps it; the text as the AWS CLI's
                // JSON reading decodes it finds the rest (UTF-16, UTF-32: red team, mcp round 13, F1)
                // file:// is read as text in the locale's encoding (UTF-8), fileb:// as bytes that Python's
                // json decodes by their byte-order mark or zero bytes (red team, mcp round 14, F5)
                ParamFileText text = v.startsWith("fileb://") ? ParamFileText.ofBytes(content)
                        : ParamFileText.ofText(content);
                List<String> views = text.plainUtf8()
                        ? List.of(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1))
                        : List.of(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1), text.text());
                for (String view : views) {
                    if (shorthandFileReference(view)) {
                        // the AWS CLI's shorthand resolves key@=file://PATH in a file's text as in an inline
                        // value, reading a file nobody checked (red team, mcp round 14, F1)
                        throw new Refused(what + ": the file holds a shorthand file reference ('key@=file://…' or"
                                + " fileb://), which the AWS CLI would resolve, reading a file the server does not"
                                + " check; put that content in this file itself (or give it inline), without '@='");
                    }
                    if (restricted) {
                        checkArns(what, view);
                        checkRegionMembers(what, view, region);
                    }
                    if (namesBucket) {
                        checkObjectLambda(what, view);
                    }
                    checkEmulatorRoutes(what, view);
                    if (inPath) {
                        checkDotSegments(what, view, INPUT_OPTIONS.contains(w.name()));
                    }
                }
                checkDuplicateKeys(what, text.text());
                Path copy = earlier.isPresent() ? earlier.get().path()
                        : copied.copy(key, w.name(), v, name, content, text, what);
                values.add(v.substring(0, v.indexOf("://") + 3) + copy);
            } else {
                if (restricted) {
                    checkRegionMembers(w.name(), v, region);
                }
                values.add(v);
            }
        }
        return new Word(w.name(), values, w.nargs(), w.role());
    }

    /**
     * A value that is a region ({@code --replica-region}) must be on the list, and so must every
     * region-naming member a JSON or shorthand value sets ({@code Create={RegionName=…}},
     * {@code "SourceRegion": …}): the request reads from, writes to or replicates to that region
     * (red team, mcp round 9, F2 and F3).
     */
    private void checkRegionMembers(String what, String value, RegionMember region) throws Refused {
        List<String> named = switch (region) {
            case NONE -> List.of();
            case IS -> List.of(value);
            case HOLDS -> Regions.regionParameters(value);
        };
        for (String r : named) {
            if (!config.regions().contains(r)) {
                throw new Refused(what + ": region '" + AwsCli.abbreviate(r) + "' is not allowed (the request would"
                        + " read from, write to or replicate to it); allowed regions: " + String.join(", ", config.regions()));
            }
        }
    }

    /** The command's {@link SandboxReads} answer, asked of the core once, at the first parameter file. */
    private final class CommandReads {
        private final List<String> argv;
        private java.util.function.Function<Path, Optional<String>> whyNot;

        CommandReads(List<String> argv) {
            this.argv = argv;
        }

        Optional<String> whyNot(Path file) throws Refused {
            if (whyNot == null) {
                whyNot = sandboxReads.forCommand(argv);
            }
            return whyNot.apply(file);
        }
    }

    /**
     * A workspace parameter file's bytes, read once: a regular file (not through a symbolic link,
     * whose target a concurrent change could swap) inside the workspace, that the AWS CLI's sandbox
     * lets the command read ({@link SandboxReads}), at most {@link #LARGEST_CHECKED_FILE}.
     */
    private byte[] readParamFile(String name, String what, CommandReads readable) throws Refused {
        Path file = workspace.root().resolve(name).normalize();
        try {
            if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused(what + ": " + (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        ? "not a regular file" : "no such file in the workspace") + "; the server reads parameter files"
                        + " once, to check them and to show them to the user, and gives the AWS CLI that copy");
            }
            // before a byte is read: the copy is what the AWS CLI reads, and its errors quote it
            Optional<String> withheld = readable.whyNot(file);
            if (withheld.isPresent()) {
                throw new Refused(what + ": the AWS CLI's sandbox does not let the command read this file, so the server"
                        + " does not read it for the command either (" + withheld.get() + "); give the value inline");
            }
            byte[] content;
            try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(file,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (in.size() > LARGEST_CHECKED_FILE) {
                    throw new Refused(what + ": the file is larger than " + ParamFileCopies.mebibytes(LARGEST_CHECKED_FILE)
                            + ", the most the server reads to check it"
                            + " and keep a copy (it does so for every file the AWS CLI reads); upload larger content"
                            + " to S3 first and name it there");
                }
                content = java.nio.channels.Channels.newInputStream(in).readNBytes((int) LARGEST_CHECKED_FILE + 1);
            }
            if (content.length > LARGEST_CHECKED_FILE) {
                throw new Refused(what + ": the file is larger than " + ParamFileCopies.mebibytes(LARGEST_CHECKED_FILE)
                        + ", the most the server reads to check it"
                        + " and keep a copy (it does so for every file the AWS CLI reads); upload larger content"
                            + " to S3 first and name it there");
            }
            Object links = Files.getAttribute(file, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (links instanceof Integer n && n > 1) {
                // another name of the same file may lie outside the workspace (red team, mcp round 15, F2)
                throw new Refused(what + ": the file has " + n + " hard links, and another of its names may lie outside"
                        + " the workspace; copy its content into a new file in the workspace");
            }
            // its directories could have been links swapped in after the workspace check
            if (!file.toRealPath().startsWith(workspace.root())) {
                throw new Refused(what + " leads out of the workspace through a symbolic link");
            }
            return content;
        } catch (java.io.IOException e) {
            throw new Refused(what + " cannot be read to check it: " + e.getMessage());
        }
    }

    /**
     * Whether botocore may route the request by this word's values: an {@code s3://} path of the
     * {@code s3} commands, or a positional path of theirs that the AWS CLI reads from a file (whose
     * text is the path: red team, mcp round 14, F3), {@code --bucket} of {@code s3api}, and
     * {@code --cli-input-json} of {@code s3api}, whose {@code Bucket} member is the same parameter.
     * An S3 Object Lambda access point ARN or alias there sends the request to the access point's
     * function ({@link #checkObjectLambda}).
     */
    private static boolean namesBucket(AwsCommand command, Word w) {
        return command.kind() == AwsCommand.Kind.S3 && (w.values().stream().anyMatch(v -> v.startsWith("s3://"))
                        || w.positional() && w.values().stream().anyMatch(v -> readsParamFile(w, v)))
                || command.service().equals("s3api") && (w.name().equals("--bucket") || w.name().equals("--cli-input-json"));
    }

    /**
     * Whether the AWS CLI reads this value of the word as a parameter file ({@code file://},
     * {@code fileb://}), and so would download it were it {@code http(s)://}: AWS CLI v1's
     * {@code URIArgumentHandler._check_for_uri_param} ({@code awscli/paramfile.py}) loads a value only
     * when it is a string, or a list of exactly one string, of a parameter not in
     * {@code PARAMFILE_DISABLED}. An append option's value is a list of {@code [option, value]}
     * pairs, and a list option given two or more values is passed on as written: the server had
     * copied such files, shown their text as the value and put the copy's path in the command, so the
     * approved {@code s3 rm --exclude file://p} (text {@code *}) excluded nothing (red team, mcp round
     * 14, F2). Everything that treats a value as a parameter file asks this one question.
     */
    static boolean readsParamFile(Word w, String value) {
        return w.role() == Role.VALUE && w.values().size() == 1
                && (value.startsWith("file://") || value.startsWith("fileb://"));
    }

    /** Whether the AWS CLI downloads this value of the word and sends the content ({@link #readsParamFile}'s rule). */
    private static boolean downloadsUrl(Word w, String value) {
        return w.role() == Role.VALUE && w.values().size() == 1
                && (value.startsWith("http://") || value.startsWith("https://"));
    }

    /**
     * No S3 Object Lambda access point ARN where the request is routed by it, unless the user named
     * its host in {@code AWS_MCP_ALLOWED_ENDPOINTS}: botocore sends the signed request to
     * {@code NAME-ACCOUNT.s3-object-lambda.REGION.amazonaws.com} with no {@code --endpoint-url}, where
     * the access point's Lambda function, its owner's code in any account, gets the request and
     * writes the answer: round 11's rule for customer-named hosts before a service label (red team,
     * mcp round 11, left open). S3 access points and Multi-Region Access Points are served by S3
     * itself, as a bucket named by its name is, and pass (docs/decisions/mcp-policy-round-12.md).
     */
    private void checkObjectLambda(String what, String value) throws Refused {
        String unescaped = Regions.unescape(value);
        for (String alias : Endpoints.objectLambdaAliases(unescaped)) {
            throw new Refused(what + ": '" + AwsCli.abbreviate(alias) + "' is an S3 Object Lambda access point alias"
                    + " (a name ending in --ol-s3): S3 passes the request to the access point's Lambda function (code of"
                    + " the access point's owner), which writes the answer; use the bucket's name or an S3 access point"
                    + " ARN, or the Object Lambda access point's ARN with its endpoint in AWS_MCP_ALLOWED_ENDPOINTS");
        }
        for (String url : Endpoints.objectLambdaEndpoints(unescaped)) {
            if (!endpoints.isConfigured(url)) {
                throw new Refused(what + ": an S3 Object Lambda access point ARN sends the signed request to "
                        + url.substring("https://".length()) + ", where the access point's Lambda function (code of the"
                        + " access point's owner) receives the request and writes the answer; it is allowed only when"
                        + " the user names " + url + " in AWS_MCP_ALLOWED_ENDPOINTS; use the bucket's name or an S3"
                        + " access point ARN instead");
            }
        }
    }

    /**
     * No JSON value or parameter file with a key given twice: Python's {@code json}, which the AWS
     * CLI reads it with, keeps the last value, and the consent question shows the first 2048
     * characters, so a later duplicate could change what was approved unseen (red team, mcp round
     * 10, F5).
     */
    private static void checkDuplicateKeys(String what, String text) throws Refused {
        Optional<String> duplicate = JsonDuplicates.first(what, text);
        if (duplicate.isPresent()) {
            throw new Refused(what + ": the JSON has the key " + duplicate.get() + " more than once; the AWS CLI would"
                    + " use the last value, which the question to the user may not show; give each key once");
        }
    }

    private void checkArns(String what, String value) throws Refused {
        for (String arn : Regions.regionlessS3Arns(value)) {
            // an empty region routed nowhere for other ARNs, but an S3 Multi-Region Access Point goes to
            // any of its regions (red team, mcp round 9, F4)
            throw new Refused(what + ": the S3 ARN '" + AwsCli.abbreviate(arn) + "' names no region (a Multi-Region"
                    + " Access Point, which S3 routes to any of its regions), and the server allows only these regions: "
                    + String.join(", ", config.regions()) + "; use a regional access point or the bucket's name");
        }
        for (String r : Regions.inArns(value)) {
            if (!config.regions().contains(r)) {
                throw new Refused(what + ": an ARN in region '" + r + "' is not allowed (the request could go to that"
                        + " region); allowed regions: " + String.join(", ", config.regions()));
            }
        }
    }

    /**
     * An allowed emulator's own routes, named in any value: path-style addressing and URI parameters put a bucket, a key or
     * a path into the request's path ({@code s3api select-object-content --bucket moto-api --key reset} posted to moto's
     * {@code /moto-api/reset} and deleted every resource; {@code s3 cp s3://moto-api/data.json -} read all of moto's state,
     * secrets among them: red team, mcp round E, E1). Refused wherever a non-AWS endpoint is allowed: moto's
     * {@code moto-api}, LocalStack's {@code _localstack} and {@code _aws}. A list of the emulators known here, not a rule
     * (docs/mcp.md).
     */
    private void checkEmulatorRoutes(String what, String value) throws Refused {
        if (endpoints.configured().isEmpty()) {
            return;
        }
        // as the AWS CLI reads it: JSON's and YAML's escapes taken out ("moto\u002dapi": review of round E)
        for (String text : List.of(value, Regions.unescape(value))) {
            java.util.regex.Matcher route = EMULATOR_ROUTE.matcher(text);
            if (route.find()) {
                throw new Refused(what + " names '" + route.group(1) + "', the route of a local AWS emulator's own API (its"
                        + " state, a reset); with an emulator among the allowed endpoints, no command may name it");
            }
        }
    }

    /**
     * A value botocore puts into the request's path (S3's bucket and key, an {@code s3://} path, Lambda's function name,
     * or a member of {@code --cli-input-json} that may be one) with a {@code .} or {@code ..} segment: the HTTP client
     * removes them from the path before it sends the signed request ({@code --bucket decoy --key ../other/k} wrote
     * {@code /other/k}, and under an allowed endpoint's own path, {@code ../../x} left it: outside test RT33, F9).
     *
     * @param text a JSON or YAML text, whose strings are looked at; else one value
     */
    private static void checkDotSegments(String what, String value, boolean text) throws Refused {
        java.util.regex.Matcher dots = (text ? DOT_SEGMENT_IN_TEXT : DOT_SEGMENT).matcher(value);
        if (dots.find()) {
            throw new Refused(what + " holds a '.' or '..' path segment, which the AWS CLI's HTTP client takes out of the"
                    + " request's path, so the request would reach another bucket, object or path than the one named;"
                    + " name it without such segments");
        }
    }

    private static final java.util.regex.Pattern DOT_SEGMENT = java.util.regex.Pattern.compile("(?:^|/)\\.\\.?(?:/|$)");
    private static final java.util.regex.Pattern DOT_SEGMENT_IN_TEXT = java.util.regex.Pattern.compile(
            "(?:^|[/\"'\\s:=\\[,{])\\.\\.?(?=$|[/\"'\\s,}\\]])");

    /** The options whose text can set any member of the request. */
    private static final java.util.Set<String> INPUT_OPTIONS = java.util.Set.of("--cli-input-json", "--cli-input-yaml");

    /**
     * The known emulators' own routes (moto's {@code moto-api}, LocalStack's {@code _localstack} and {@code _aws}) as a
     * whole bucket name or path segment: a value's, a JSON string's, an {@code s3://} path's ({@code terraform_aws} and
     * {@code demo-moto-api} are none).
     */
    private static final java.util.regex.Pattern EMULATOR_ROUTE = java.util.regex.Pattern.compile(
            "(?:^|[/\"'\\s=:,{\\[])(moto-api|_localstack|_aws)(?=$|[/\"'\\s,}\\]?])",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** The checks of each value; returns the local files the command would use that are missing ({@link Workspace#missing}). */
    private List<String> checkValues(AwsCommand command) throws Refused {
        List<String> missing = new ArrayList<>();
        checkEmulatorRoutes("the command", String.join(" ", command.argv()));
        if (command.kind() == AwsCommand.Kind.OPERATION && command.patternName().equals("s3api:write-get-object-response")) {
            // botocore sends it to {RequestRoute}.s3-object-lambda.REGION.amazonaws.com (the model's
            // hostPrefix), a label the caller chooses and that can be an Object Lambda access point's
            // host, whose owner's function gets the signed request; it is the call an Object Lambda
            // function answers with, of no use to a model (red team, mcp round 14, F4)
            throw new Refused("'aws s3api write-get-object-response' is not allowed: it is the call an S3 Object Lambda"
                    + " function answers a request with, and --request-route chooses the host the signed request goes to"
                    + " (ROUTE.s3-object-lambda.REGION.amazonaws.com), which can be another account's access point");
        }
        List<Word> words = new ArrayList<>(command.positionals());
        words.addAll(command.options());
        java.util.Set<String> pathOptions = cli.pathOptions(command);
        boolean cp = command.kind() == AwsCommand.Kind.S3 && command.path().getFirst().equals("cp");
        java.util.Set<String> endpointOptions = command.kind() == AwsCommand.Kind.OPERATION
                ? AwsCliTables.ENDPOINT_PARAMETERS.getOrDefault(command.patternName(), java.util.Set.of())
                : java.util.Set.of();
        if (!endpointOptions.isEmpty() && words.stream().anyMatch(w -> w.name().equals("--cli-input-json"))) {
            throw new Refused("--cli-input-json is not allowed with 'aws " + command.service() + " "
                    + command.path().getFirst() + "': it could set " + String.join(", ", endpointOptions)
                    + ", which decides where the request goes; give the parameters as options");
        }
        for (Word w : words) {
            String what = w.name();
            if (endpointOptions.contains(what)) {
                for (String v : w.values()) {
                    checkEndpoint(v, what); // the value as it is: the AWS CLI does not read file:// here
                }
                continue;
            }
            boolean namesBucket = namesBucket(command, w);
            for (int i = 0; i < w.values().size(); i++) {
                String v = w.values().get(i);
                if (what.equals("--source-region") && !Regions.valid(v)) {
                    throw new Refused("--source-region '" + AwsCli.abbreviate(v) + "' is not a region of an AWS"
                            + " partition (e.g. eu-west-1)");
                }
                // a value the AWS CLI does not read as a file is checked as the text it is
                boolean paramfile = readsParamFile(w, v);
                if (!paramfile && (pathOptions.contains(what) || !pathOptions.isEmpty() && INPUT_OPTIONS.contains(what))) {
                    checkDotSegments(what, v, INPUT_OPTIONS.contains(what));
                }
                if (command.kind() == AwsCommand.Kind.S3 && v.regionMatches(true, 0, "s3://", 0, 5)) {
                    checkDotSegments(what, v.substring(5), false);
                }
                if (namesBucket && !paramfile) {
                    checkObjectLambda(what, v); // a file's text is checked when it is read (checkRegions)
                }
                switch (w.role()) {
                    case PLAIN -> { }
                    case VALUE, AS_WRITTEN -> {
                        if (!paramfile) {
                            checkDuplicateKeys(what, v); // a file's text is checked when it is read (checkRegions)
                        }
                        if (!paramfile && shorthandFileReference(v)) {
                            // the AWS CLI's shorthand reads files too: --filters 'Name@=file://~/.aws/credentials'
                            throw new Refused(what + ": shorthand 'key@=file://…' file references are not supported"
                                    + " here; pass the whole value as file://NAME (a file in the workspace) or inline");
                        }
                        if (paramfile) {
                            workspace.check(v.substring(v.indexOf("://") + 3), Workspace.Access.READ, what + " file://");
                        } else if (downloadsUrl(w, v)) {
                            throw new Refused(what + " " + AwsCli.abbreviate(v) + ": the AWS CLI v1 would download this"
                                    + " URL and send its content as the value (cli_follow_urlparam); give the content"
                                    + " itself, or a file in the workspace as file://NAME");
                        }
                    }
                    case LOCAL_READ, LOCAL_WRITE -> {
                        if (v.startsWith("file://") || v.startsWith("fileb://") || v.startsWith("http://")
                                || v.startsWith("https://")) {
                            throw new Refused(what + " takes a local path, not " + AwsCli.abbreviate(v)
                                    + " (the AWS CLI would use the file's content as the path)");
                        }
                        Workspace.Access access = w.role() == Role.LOCAL_READ ? Workspace.Access.READ
                                : Workspace.Access.WRITE_FILE;
                        workspace.check(v, access, what);
                        workspace.missing(v, access, what).ifPresent(missing::add);
                    }
                    case TRANSFER_PATH -> {
                        if (v.startsWith("s3://")) {
                            continue;
                        }
                        if (v.equals("-")) {
                            if (!cp) {
                                throw new Refused("'-' (stdin/stdout) works with aws s3 cp only");
                            }
                            if (i == 0) { // the AWS CLI would upload the empty stdin a call has as an empty object
                                throw new Refused("'-' as the source uploads standard input, which a tool call does"
                                        + " not have (it would upload an empty object): write the content to a file"
                                        + " in the workspace and upload that file");
                            }
                            continue;
                        }
                        Workspace.Access access = i == 0 ? Workspace.Access.READ : Workspace.Access.WRITE;
                        String side = i == 0 ? "the local source" : "the local destination";
                        workspace.check(v, access, side);
                        workspace.missing(v, access, side).ifPresent(missing::add);
                    }
                }
            }
        }
        return missing;
    }
}
