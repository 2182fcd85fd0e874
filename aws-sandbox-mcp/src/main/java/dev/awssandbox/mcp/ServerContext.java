package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.mcp.policy.AwsCli;
import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Endpoints;
import dev.awssandbox.mcp.policy.PolicyConfig;
import dev.awssandbox.mcp.policy.Secrets;
import dev.awssandbox.mcp.policy.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a server needs, built once at start-up so that a bad setting or a sandbox that
 * cannot run fails then, not at the first call: settings, the AWS command policy, the secrets to
 * redact, and the sandbox the AWS CLI runs in. The AWS CLI works in one workspace
 * ({@code AWS_MCP_WORKDIR}, or a private directory created here) and writes nothing else but its
 * own temporary directory; both private directories are removed when the server stops.
 */
final class ServerContext implements AutoCloseable {
    /** The environment variable that names the workspace. */
    static final String WORKDIR_VARIABLE = "AWS_MCP_WORKDIR";

    final McpSettings settings;
    final AwsCommandPolicy policy;
    final Secrets secrets;
    final SandboxRunner runner;
    private final AuditLog audit;
    /** The server's private directory: {@code aws-sandbox-mcp-TAG-…} in the JVM's temporary directory. */
    private static final String STATE_PREFIX = "aws-sandbox-mcp-";
    private final Sandbox.PrivateDirectory stateDirectory;
    private final Thread cleanup;

    private ServerContext(McpSettings settings, AwsCommandPolicy policy, Secrets secrets, SandboxRunner runner,
                          Sandbox.PrivateDirectory stateDirectory, AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
        this.policy = policy;
        this.secrets = secrets;
        this.runner = runner;
        this.stateDirectory = stateDirectory;
        this.cleanup = new Thread(stateDirectory::close, "aws-sandbox-mcp-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // SIGTERM also removes the private directories
    }

    static ServerContext create(HostEnvironment serverHost) throws SandboxException {
        McpSettings settings;
        PolicyConfig config;
        try {
            settings = McpSettings.fromEnvironment(serverHost);
            config = PolicyConfig.load(serverHost);
        } catch (IllegalArgumentException | PolicyConfig.Invalid e) {
            throw invalid(e.getMessage());
        }
        Path data = AwsCli.locate(serverHost).orElseThrow(() -> invalid("cannot find the AWS CLI's service models"
                + " (botocore's data directory) for the 'aws' on PATH; install the AWS CLI v1, or set AWS_MCP_BOTOCORE_DATA"));
        AwsCli cli = AwsCli.load(data).withAliasesOf(serverHost);
        try {
            config.requireCommandsOf(cli);
        } catch (PolicyConfig.Invalid e) {
            throw invalid("invalid MCP policy: " + e.getMessage());
        }
        Optional<Path> log = AuditLog.named(serverHost);
        String logSource = AuditLog.ENV_VAR + "=" + serverHost.get(AuditLog.ENV_VAR).orElse("");
        if (log.isPresent()) {
            AuditLog.check(log.get(), logSource); // an unusable log fails the start before anything is made
        }

        Sandbox.PrivateDirectory state;
        try {
            state = Sandbox.privateDirectory(STATE_PREFIX); // and removes those of this user's killed servers
        } catch (IOException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot create the server's private directory: "
                    + e.getMessage(), Optional.empty(), e);
        }
        AuditLog audit = AuditLog.none();
        try {
            Path workspace = workspace(serverHost, state.path());
            // the policy file: rewritten by a download into the workspace, it would lift read-only mode and the deny rules
            // at the server's next start (red team, round 51, F7); checked before any plan, whose warning about the same
            // file, worded for a command line, had come first (outside test WF29, F20)
            Path policyFile = PolicyConfig.file(serverHost);
            if (realOrSelf(policyFile).startsWith(realOrSelf(workspace))) {
                throw invalid(PolicyConfig.FILE_VARIABLE + ": the policy file " + policyFile + " is in the workspace "
                        + workspace + ", which the AWS CLI's commands write: a command could rewrite it; name a file"
                        + " outside it");
            }
            // the core gives every command a private temporary directory of its own
            HostEnvironment host = serverHost.withWorkingDirectory(workspace);
            // the AWS CLI runs in the workspace: through a pyenv shim, a downloaded .python-version there
            // chose another Python for every later call (red team, mcp round 10, F3); PYENV_VERSION,
            // which pyenv puts first, pins the version whose AWS CLI the policy loaded its models from
            Optional<String> pyenv = AwsCli.pyenvVersion(serverHost);
            if (pyenv.isPresent()) {
                Map<String, String> variables = new java.util.HashMap<>(serverHost.variables());
                variables.put("PYENV_VERSION", pyenv.get());
                host = host.withVariables(variables);
            }
            List<String> ownEndpoints = new ArrayList<>(config.endpoints());
            // checked copies of file:// parameter files (AwsCommandPolicy#checkRegions): the AWS CLI
            // reads them, no command writes them, so a concurrent call cannot change one once checked
            Path paramFiles = Files.createDirectory(state.path().resolve("paramfiles"));
            SandboxPolicy.Builder awsPolicy = Sandbox.fromEnvironment(host).policy().toBuilder(host)
                    .writePaths(List.of(workspace));
            awsPolicy.addReadPath(paramFiles.toString());
            List<Path> operatorReads = readPaths(serverHost);
            for (Path read : operatorReads) {
                // the model's commands read and write the workspace already, and under Landlock a path inside it cannot be
                // kept read-only: the sandbox's refusal had named the CLI's --ro and --backend (the review, R11)
                if (realOrSelf(read).startsWith(realOrSelf(workspace))) {
                    throw invalid(READ_PATHS_VARIABLE + ": " + read + " is in the workspace " + workspace + ", which the"
                            + " AWS CLI's commands read and write; name a path outside it");
                }
                awsPolicy.addReadPath(read.toString());
            }
            if (pyenv.isPresent()) {
                awsPolicy.addEnvPassthrough("PYENV_VERSION");
            }
            for (Map.Entry<String, String> e : serverHost.variables().entrySet()) {
                // the server's own endpoints reach the AWS CLI, and are allowed for --endpoint-url
                if (e.getKey().equals("AWS_ENDPOINT_URL") || e.getKey().startsWith("AWS_ENDPOINT_URL_")) {
                    awsPolicy.addEnvPassthrough(e.getKey());
                    ownEndpoints.add(e.getValue());
                }
            }
            // a proxy the server's environment names is not used: the egress proxy connects directly (outside test
            // WF29, F29: where it was the only way out, every call failed with "Failed to connect to proxy URL")
            serverHost.upstreamProxy().ifPresent(proxy -> System.getLogger(ServerContext.class.getName()).log(
                    System.Logger.Level.WARNING, proxy + " is set in the server's environment, but the AWS CLI's connections"
                    + " go through aws-sandbox's egress proxy, which connects to AWS and the allowed endpoints directly, not"
                    + " through that proxy: where it is the only way out, no call reaches AWS (not supported)"));
            // network mode hosts: the AWS CLI reaches AWS's endpoints and the allowed ones, nothing else
            try {
                awsPolicy.allowHosts(allowedHosts(settings.region(), config.regions(), ownEndpoints));
            } catch (IllegalArgumentException e) {
                throw invalid("an allowed endpoint cannot be reached through the egress proxy: " + e.getMessage());
            }
            Sandbox sandbox = Sandbox.builder().host(host).mode(Sandbox.fromEnvironment(host).mode())
                    .policy(awsPolicy.build()).build();
            sandbox.backend(); // a required sandbox that cannot run fails now
            SandboxRunner runner = new SandboxRunner(sandbox, workspace);
            runner.checkAwsCli(); // and so does an AWS CLI that is missing or cannot start in it
            // what the AWS CLI's stage is given, planned once for the checks below
            Sandbox.Preview awsPreview = sandbox.preview(List.of("aws"));
            if (log.isPresent()) { // the workspace: a model's command could rewrite the log
                AuditLog.refuseWritable(log.get(), awsPreview::canWrite, logSource);
            }
            secretsInOperatorReads(operatorReads, awsPreview);
            unreadableCredentialProcess(serverHost, awsPreview);
            audit = AuditLog.fromEnvironment(serverHost);
            AwsConfig awsConfig = new AwsConfig(serverHost);
            // a default profile the configuration does not have: every call that names none fails on it, and the model
            // cannot mend the server's environment (a workflow test, 2026-12-05: nothing was said at start)
            String active = awsConfig.activeProfile();
            if (!active.equals("default") && !awsConfig.profiles().contains(active)) {
                System.getLogger(ServerContext.class.getName()).log(System.Logger.Level.WARNING, "the server's AWS profile '"
                        + active + "' (AWS_PROFILE or AWS_DEFAULT_PROFILE) is in neither the AWS config nor the credentials"
                        + " file it reads, so every command that names no profile fails on it; name an existing profile in"
                        + " the server's configuration");
            }
            // credentials from the environment only, and none there: every command runs without them (outside test WF29,
            // F31: the model was told to set AWS_PROFILE, which this mode does not read)
            SandboxPolicy serverPolicy = Sandbox.fromEnvironment(host).policy();
            if (serverPolicy.passAwsEnv() && !serverPolicy.allowAwsConfig() && serverHost.get("AWS_ACCESS_KEY_ID").isEmpty()
                    && serverHost.get("AWS_WEB_IDENTITY_TOKEN_FILE").isEmpty()) {
                System.getLogger(ServerContext.class.getName()).log(System.Logger.Level.WARNING, SandboxPolicy.Credentials
                        .ENV_VAR + "=env gives commands only the credential variables (AWS_ACCESS_KEY_ID, …), and none is"
                        + " set: every command runs without credentials; set them, or use both or aws_config to give ~/.aws");
            }
            // a profile the policy allows that the configuration lacks: a call that names it fails (outside test WF29, F19)
            for (String allowed : config.profiles()) {
                if (!allowed.equals("default") && !awsConfig.profiles().contains(allowed)) {
                    System.getLogger(ServerContext.class.getName()).log(System.Logger.Level.WARNING, "the policy allows the"
                            + " AWS profile '" + allowed + "', which neither the AWS config nor the credentials file the"
                            + " server reads has: a call that names it fails");
                }
            }
            // a default region the policy does not allow: every call that names none is refused (outside test WF29, F5)
            AwsConfig.Region region = awsConfig.regionFor(Optional.empty());
            if (!config.regions().isEmpty() && !config.regions().contains(region.name())) {
                System.getLogger(ServerContext.class.getName()).log(System.Logger.Level.WARNING, "the server's default"
                        + " region '" + region.name() + "' (" + region.source() + ") is not among the allowed regions ("
                        + String.join(", ", config.regions()) + "), so every call that names no region is refused; set"
                        + " AWS_REGION to an allowed region in the server's configuration, or allow this one");
            }
            AwsCommandPolicy policy = new AwsCommandPolicy(cli, config, new Workspace(workspace),
                    new Endpoints(ownEndpoints), profile -> defaultRegion(awsConfig, config, profile))
                    .withParamFileCopies(paramFiles)
                    .withSandboxReads(argv -> sandboxReads(sandbox, argv, workspace));
            return new ServerContext(settings, policy, new Secrets(serverHost), runner, state, audit);
        } catch (SandboxException | RuntimeException e) {
            state.close();
            audit.close();
            throw e;
        } catch (IOException e) {
            state.close();
            audit.close();
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot prepare the workspace: " + e.getMessage(),
                    Optional.empty(), e);
        }
    }

    /** The variable that names more paths every sandboxed AWS CLI command may read (and run), ':'-separated. */
    static final String READ_PATHS_VARIABLE = "AWS_MCP_SANDBOX_READ_PATHS";

    /**
     * {@link #READ_PATHS_VARIABLE}'s paths: the operator's grants, as the CLI's {@code --ro} (a {@code credential_process}
     * program the AWS config names, and what it reads). Each must exist; the sandbox refuses those it never gives (a
     * secret store, the home).
     */
    private static List<Path> readPaths(HostEnvironment host) throws SandboxException {
        List<Path> paths = new ArrayList<>();
        for (String named : host.get(READ_PATHS_VARIABLE).orElse("").split(":")) {
            if (named.isBlank()) {
                continue;
            }
            // absolute as written ('~' too): a relative one would be taken against the server's own working directory
            // (the review, R9: expand makes every path absolute)
            boolean absolute = named.strip().startsWith("/") || named.strip().startsWith("~");
            Path path = host.expand(named.strip());
            if (!absolute || !Files.exists(path)) {
                throw invalid(READ_PATHS_VARIABLE + ": " + named + (absolute ? ": no such file or directory"
                        : ": not an absolute path") + "; name existing paths, separated by ':'");
            }
            paths.add(path);
        }
        return paths;
    }

    /**
     * A read path of {@link #READ_PATHS_VARIABLE} that the sandbox says opens other programs' keys and tokens (the home,
     * {@code ~/.ssh}, a tool's config directory) is refused: the CLI's {@code --ro} warns a person at a terminal, and here
     * the commands are a model's (outside test RT30, F5: {@code ~/.ssh} had been granted with a warning).
     */
    private static void secretsInOperatorReads(List<Path> reads, Sandbox.Preview aws) throws SandboxException {
        List<String> warnings = aws.warnings();
        for (Path read : reads) {
            for (String warning : warnings) {
                if (warning.startsWith("--ro " + read + ": ") && warning.contains("can read the keys")) {
                    throw invalid(READ_PATHS_VARIABLE + ": " + warning.substring("--ro ".length()) + "; name only the"
                            + " program's own directory or file");
                }
            }
        }
    }

    /**
     * The active profile's {@code credential_process} program, where the sandbox does not let the AWS CLI read it:
     * every call with that profile fails with a bare "Permission denied" (outside test WF29, F6). Said at start, with
     * how to grant it.
     */
    private static void unreadableCredentialProcess(HostEnvironment host, Sandbox.Preview awsStage) {
        AwsConfig aws = new AwsConfig(host);
        String process = aws.profile(aws.activeProfile()).get("credential_process");
        if (process == null || process.isBlank()) {
            return;
        }
        String first = process.strip().split("\\s+")[0].replaceAll("^[\"']|[\"']$", "");
        if (!first.startsWith("/") && !first.startsWith("~")) {
            return; // a name the AWS CLI looks up on PATH (aws-vault, granted): not a path to grant (the review, R8)
        }
        Path program = host.expand(first);
        if (awsStage.canRead(program)) {
            return;
        }
        System.getLogger(ServerContext.class.getName()).log(System.Logger.Level.WARNING, "the credential_process of"
                + " profile '" + aws.activeProfile() + "' (" + program + ") runs inside the sandbox, which does not let the"
                + " AWS CLI read it: every call with this profile fails with 'Permission denied'; grant it (and what it"
                + " reads) with " + READ_PATHS_VARIABLE + "=" + program + ", or give the server credentials with"
                + " AWS_MCP_SANDBOX_CREDENTIALS=env and the AWS_ACCESS_KEY_ID variables");
    }

    /**
     * What the sandboxed AWS CLI stage {@code argv} may read, from the core's plan for it: the server
     * reads a parameter file only where the command could (testers' F4). Why not is the plan's own
     * warning about the workspace (a working directory it does not give, and why), else that no grant
     * holds the file. A plan that cannot be made refuses the call: nothing is read on a guess.
     */
    private static java.util.function.Function<Path, Optional<String>> sandboxReads(Sandbox sandbox, List<String> argv,
                                                                                   Path workspace)
            throws dev.awssandbox.mcp.policy.Refused {
        Sandbox.Preview preview;
        try {
            preview = sandbox.preview(argv);
        } catch (SandboxException e) {
            throw new dev.awssandbox.mcp.policy.Refused("cannot tell whether the AWS CLI's sandbox lets the command read"
                    + " its parameter files: " + e.getMessage());
        }
        // the core's fact about the workspace in the server's words (outside test WF30, F5)
        String why = preview.workingDirectoryWithheld().map(reason -> SandboxRunner.workspaceWithheld(workspace, reason))
                .or(() -> preview.warnings().stream().filter(w -> w.contains(workspace.toString())).reduce((a, b) -> a + "; " + b))
                .orElse("no path the sandbox grants the command holds it");
        return file -> preview.canRead(file) ? Optional.empty() : Optional.of(why);
    }

    /**
     * {@code AWS_MCP_WORKDIR} (created if missing), or a private directory. The AWS CLI may write
     * anything there, so it may not be the home directory, an ancestor of it, or hold the AWS
     * configuration.
     */
    private static Path workspace(HostEnvironment host, Path state) throws IOException, SandboxException {
        Optional<String> named = host.get(WORKDIR_VARIABLE);
        if (named.isEmpty()) {
            return Files.createDirectory(state.resolve("workspace"));
        }
        // created private, parents too, as the default workspace is: the names of what the model downloads are its own
        // (red team, mcp round D, D5: a named workspace had been made 0755)
        Path dir = Files.createDirectories(host.expand(named.get()), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))).toRealPath();
        Path home = host.home();
        try {
            home = home.toRealPath();
        } catch (IOException e) {
            // compare the spelling
        }
        if (home.startsWith(dir)) {
            throw invalid(WORKDIR_VARIABLE + "=" + dir + " is the home directory or contains it: the AWS CLI may write"
                    + " anything in its workspace; use a directory of its own");
        }
        for (Path credentials : SandboxPolicy.Credentials.files(host)) {
            Path real = credentials;
            try {
                real = credentials.toRealPath();
            } catch (IOException e) {
                // compare the spelling
            }
            if (dir.startsWith(real) || real.startsWith(dir)) {
                throw invalid(WORKDIR_VARIABLE + "=" + dir + " overlaps the AWS configuration " + credentials);
            }
        }
        return dir;
    }

    /**
     * The hosts the AWS CLI stage may reach (network mode hosts): every endpoint of the AWS partitions
     * of the configured regions ({@code AWS_REGION}, {@code AWS_MCP_ALLOWED_REGIONS}; the commercial
     * partition when none is configured), and the host and port of each allowed endpoint
     * ({@code AWS_MCP_ALLOWED_ENDPOINTS}, the server's own {@code AWS_ENDPOINT_URL*}). The domains
     * include names AWS customers control (buckets, API Gateway, load balancers): the allow-list
     * keeps data from arbitrary hosts, the command policy keeps signed requests to AWS's own.
     */
    static List<String> allowedHosts(Optional<String> region, List<String> regions, List<String> endpoints) {
        java.util.Set<String> partitions = new java.util.LinkedHashSet<>();
        region.ifPresent(r -> partitions.add(partition(r)));
        regions.forEach(r -> partitions.add(partition(r)));
        if (partitions.isEmpty()) {
            partitions.add("aws");
        }
        List<String> hosts = new ArrayList<>();
        for (String p : partitions) {
            hosts.addAll(switch (p) {
                case "aws-cn" -> List.of("*.amazonaws.com.cn", "*.api.amazonwebservices.com.cn");
                case "aws-iso" -> List.of("*.c2s.ic.gov");
                case "aws-iso-b" -> List.of("*.sc2s.sgov.gov");
                case "aws-iso-e" -> List.of("*.cloud.adc-e.uk");
                case "aws-iso-f" -> List.of("*.csp.hci.ic.gov");
                default -> List.of("*.amazonaws.com", "*.api.aws"); // aws, aws-us-gov
            });
        }
        for (String endpoint : endpoints) {
            try {
                java.net.URI uri = new java.net.URI(endpoint.strip());
                if (uri.getHost() != null && uri.getScheme() != null) {
                    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
                    hosts.add(uri.getHost() + ":" + port);
                }
            } catch (java.net.URISyntaxException e) {
                // the command policy refuses it too
            }
        }
        return hosts;
    }

    /** The AWS partition of a region name, from its prefix. */
    static String partition(String region) {
        String r = region.strip().toLowerCase(java.util.Locale.ROOT);
        if (r.startsWith("cn-")) {
            return "aws-cn";
        }
        if (r.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (r.startsWith("us-isof-")) {
            return "aws-iso-f";
        }
        if (r.startsWith("eu-isoe-")) {
            return "aws-iso-e";
        }
        if (r.startsWith("us-iso-")) {
            return "aws-iso";
        }
        return "aws";
    }

    /**
     * The region added to a command that names none: the environment's ({@code AWS_REGION}); none
     * when the profile sets one (the AWS CLI reads it); else us-east-1, as the reference server did,
     * unless the policy's region list leaves it out (then the call must name one).
     */
    private static Optional<String> defaultRegion(AwsConfig aws, PolicyConfig config, Optional<String> profile) {
        AwsConfig.Region region = aws.regionFor(profile);
        if (aws.environmentRegion().isPresent()) {
            return Optional.of(region.name());
        }
        if (region.fallback() && (config.regions().isEmpty() || config.regions().contains(region.name()))) {
            return Optional.of(region.name());
        }
        // a profile's region that the allowed list holds: named, so that a command naming none passes the region check
        // (outside test RT33, F4: every such command, the aws://config/account resource too, was refused "name a region")
        if (!config.regions().isEmpty() && config.regions().contains(region.name())) {
            return Optional.of(region.name());
        }
        return Optional.empty();
    }

    private static Path realOrSelf(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            return absolute;
        }
    }

    private static SandboxException invalid(String message) {
        return new SandboxException(SandboxException.Kind.INVALID_REQUEST, message, Optional.empty());
    }

    Path workspace() {
        return policy.workspace().root();
    }

    Path stateDirectory() {
        return stateDirectory.path();
    }

    /** The audit log ({@code AWS_MCP_AUDIT_LOG}), or none. */
    AuditLog audit() {
        return audit;
    }

    @Override
    public void close() {
        audit.close();
        stateDirectory.close();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs (and finds nothing left)
        }
    }
}
