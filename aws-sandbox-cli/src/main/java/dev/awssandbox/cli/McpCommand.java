package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.AwsMcpServer;
import dev.awssandbox.mcp.policy.AwsCli;
import dev.awssandbox.mcp.policy.PolicyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code aws-sandbox mcp}: the MCP server, on stdio until the client disconnects. */
final class McpCommand implements Callable<Integer> {

    /** The environment variable that names the AWS CLI's service models when they are not found from PATH. */
    private static final String MODELS_VARIABLE = "AWS_MCP_BOTOCORE_DATA";

    /** How the server talks to its client. */
    enum Transport {
        STDIO,
        STREAMABLE_HTTP,
        /** The legacy HTTP+SSE transport of older clients. */
        SSE;

        static final String ENV_VAR = "AWS_MCP_TRANSPORT";

        String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The variables that give {@code --host}, {@code --port} and {@code --stateless} their defaults. */
    static final String HOST_ENV_VAR = "AWS_MCP_HOST";
    static final String PORT_ENV_VAR = "AWS_MCP_PORT";
    static final String STATELESS_ENV_VAR = "AWS_MCP_STATELESS";

    final CommandSpec spec = Specs.command(this, "mcp",
            "Serve the tools aws_cli_help and aws_cli_pipeline (and aws://config resources) over MCP.",
            "Configured like the reference server: AWS_MCP_SANDBOX, AWS_MCP_SANDBOX_CREDENTIALS, AWS_MCP_TIMEOUT,",
            "AWS_MCP_MAX_OUTPUT, AWS_MCP_TRANSPORT, AWS_PROFILE, AWS_REGION. What the model may do to the AWS account:",
            "the policy file (AWS_MCP_POLICY_FILE, default ~/.config/aws-sandbox/mcp-policy.json) and AWS_MCP_READ_ONLY,",
            "AWS_MCP_REQUIRE_CONSENT, AWS_MCP_DENY, AWS_MCP_ASK, AWS_MCP_ALLOWED_PROFILES, AWS_MCP_ALLOWED_REGIONS,",
            "AWS_MCP_ALLOWED_ENDPOINTS, AWS_MCP_FILTERS; files in AWS_MCP_WORKDIR (default: a private directory);",
            "more paths the AWS CLI may read: AWS_MCP_SANDBOX_READ_PATHS (a credential_process program).",
            "Over HTTP: AWS_MCP_HOST, AWS_MCP_PORT, AWS_MCP_AUTH_TOKEN, AWS_MCP_ALLOWED_HOSTS, AWS_MCP_STATELESS;",
            "GET /health answers {\"status\":\"ok\"}.");

    private final CliContext context;

    private final OptionSpec transport = Specs.option("--transport", "TRANSPORT", Transport.class,
            "${COMPLETION-CANDIDATES} (default: $AWS_MCP_TRANSPORT, else stdio).")
            .converters(new Choice.Transports()).completionCandidates(new Choice.Transports()).build();

    private final OptionSpec hostOption = Specs.option("--host", "HOST", String.class,
            "Address for streamable-http and sse (default: $AWS_MCP_HOST, else 127.0.0.1; others need $AWS_MCP_AUTH_TOKEN).")
            .converters(new Converters.HostName()).build();

    private final OptionSpec portOption = Specs.option("--port", "PORT", Integer.class,
            "Port for streamable-http and sse (default: $AWS_MCP_PORT, else 8000; 0 picks a free one).")
            .converters(new Converters.Port()).build();

    /** A Boolean, not a flag: not given, the variable decides. */
    private final OptionSpec statelessOption = OptionSpec.builder("--stateless").type(Boolean.class).description(
            "streamable-http without sessions, for replicas behind a load balancer without sticky sessions (default:"
            + " $AWS_MCP_STATELESS, else false). No consent questions, progress or log notifications.").build();

    private final AuditOption audit;

    private final OptionSpec printPolicy = Specs.flag("--print-policy",
            "Print the effective AWS policy (policy file and environment, with where each value came from) and exit.").build();

    /** {@code --host}, {@code --port} and {@code --stateless} as given, else from their variables ({@link #resolveHttpOptions}). */
    private String host;
    private Integer port;
    private Boolean stateless;

    McpCommand(CliContext context) {
        this.context = context;
        spec.addOption(transport);
        spec.addOption(hostOption);
        spec.addOption(portOption);
        spec.addOption(statelessOption);
        audit = new AuditOption(spec);
        spec.addOption(printPolicy);
    }

    @Override
    public Integer call() throws Exception {
        CliContext ctx = context;
        checkPolicy(ctx.host());
        if (Specs.given(printPolicy)) {
            ctx.out().println(io.modelcontextprotocol.json.McpJsonDefaults.getMapper()
                    .writeValueAsString(AwsMcpServer.effectivePolicy(ctx.host())));
            return ExitCodes.OK;
        }
        checkAwsOnPath(ctx.host());
        checkServiceModels(ctx.host());
        HostEnvironment env = AuditedRun.apply(audit, ctx.host());
        resolveHttpOptions(env);
        Transport given = transport.getValue();
        Transport chosen = given != null ? given : ctx.host().get(Transport.ENV_VAR)
                .map(v -> new Choice.Transports().fromVariable(Transport.ENV_VAR, v)).orElse(Transport.STDIO);
        checkHttpOptionsApply(chosen, given != null);
        try {
            switch (chosen) {
                case STDIO -> {
                    AwsSandboxCli.stdoutIsMcps = true;
                    AwsMcpServer.serveStdio(env, ctx.in(), ctx.out(), AwsSandboxCli.Version.version());
                }
                case STREAMABLE_HTTP, SSE -> {
                    AwsMcpServer.HttpMode mode = chosen == Transport.SSE ? AwsMcpServer.HttpMode.SSE
                            : stateless ? AwsMcpServer.HttpMode.STATELESS : AwsMcpServer.HttpMode.STREAMABLE;
                    try (AwsMcpServer.HttpHandle server = listen(env, mode)) {
                        ctx.err().println("aws-sandbox: MCP server listening on http://" + address(server.port()) + mode.path()
                                + (mode == AwsMcpServer.HttpMode.STATELESS ? " (stateless)" : ""));
                        server.join();
                    }
                }
            }
        } catch (SandboxException e) {
            // the server's start-up checks word their own advice (the AWS CLI missing or unable to start)
            if (e.kind() == SandboxException.Kind.NOT_FOUND || e.kind() == SandboxException.Kind.NOT_EXECUTABLE) {
                throw new CliException(CliException.exitCode(e.kind()), e.getMessage(), e);
            }
            throw e;
        }
        return ExitCodes.OK;
    }

    /**
     * {@code --host}, {@code --port} and {@code --stateless} given for a transport they do not apply to are a usage
     * error: the server had waited on stdin while the operator's HTTP client was refused (outside test WF29, F7). Their
     * variables are not checked: an environment may be shared by several servers.
     */
    private void checkHttpOptionsApply(Transport chosen, boolean transportGiven) {
        String from = transportGiven ? "--transport " + chosen.word() : context.host().get(Transport.ENV_VAR).isPresent()
                ? Transport.ENV_VAR + "=" + chosen.word() : "the default, stdio";
        for (OptionSpec option : java.util.List.of(hostOption, portOption, statelessOption)) {
            boolean applies = chosen == Transport.STREAMABLE_HTTP || chosen == Transport.SSE && option != statelessOption;
            if (option.getValue() != null && !applies) {
                throw CliException.usage(option.longestName() + " applies to "
                        + (option == statelessOption ? "streamable-http only" : "streamable-http and sse")
                        + ", but the transport is " + chosen.word() + " (" + from + "); add --transport streamable-http,"
                        + " or drop " + option.longestName());
            }
        }
    }

    /**
     * The AWS CLI must be on the PATH the server was given: 127, and one line saying so, rather than
     * a server whose every call fails (a desktop app often starts it without the shell's PATH).
     */
    private static void checkAwsOnPath(HostEnvironment env) {
        String path = env.get("PATH").orElse("");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws")) && !Files.isDirectory(Path.of(dir, "aws"))) {
                return;
            }
        }
        throw new CliException(ExitCodes.NOT_FOUND, "cannot find the AWS CLI ('aws') on PATH ("
                + (path.isEmpty() ? "PATH is empty" : path) + "): install it, or start the server with a PATH that holds it"
                + " (an MCP client started from a desktop does not read your shell's profile: set PATH in the server's"
                + " \"env\")");
    }

    /** {@code --host}, {@code --port}, {@code --stateless}, else their variables, else the defaults; a bad variable is a usage error naming it. */
    private void resolveHttpOptions(HostEnvironment env) {
        host = hostOption.getValue();
        port = portOption.getValue();
        stateless = statelessOption.getValue();
        if (host == null) {
            host = env.get(HOST_ENV_VAR).map(String::strip).filter(v -> !v.isEmpty())
                    .map(v -> fromVariable(HOST_ENV_VAR, v, new Converters.HostName()::convert)).orElse("127.0.0.1");
        }
        if (port == null) {
            port = env.get(PORT_ENV_VAR).map(String::strip).filter(v -> !v.isEmpty())
                    .map(v -> fromVariable(PORT_ENV_VAR, v, new Converters.Port()::convert)).orElse(8000);
        }
        if (stateless == null) {
            stateless = env.get(STATELESS_ENV_VAR).map(String::strip).filter(v -> !v.isEmpty()).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> throw CliException.usage("invalid " + STATELESS_ENV_VAR + " value '" + v + "': expected true or"
                        + " false; correct or unset " + STATELESS_ENV_VAR);
            }).orElse(false);
        }
    }

    private static <T> T fromVariable(String name, String value, java.util.function.Function<String, T> convert) {
        try {
            return convert.apply(value);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw CliException.usage("invalid " + name + " value: " + e.getMessage() + "; correct or unset " + name);
        }
    }

    private AwsMcpServer.HttpHandle listen(HostEnvironment env, AwsMcpServer.HttpMode mode) throws Exception {
        try {
            return AwsMcpServer.serveHttp(env, host, port, mode, AwsSandboxCli.Version.version());
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException bind) {
                    throw cannotListen(bind, e);
                }
            }
            throw e;
        }
    }

    /** The OS's reason, and the fix: another --host when the address is not this machine's, else another --port. */
    private CliException cannotListen(BindException bind, IOException failure) {
        String why = bind.getMessage() == null ? "cannot bind" : bind.getMessage().toLowerCase(Locale.ROOT);
        boolean ours;
        try {
            InetAddress address = InetAddress.getByName(host);
            ours = address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (IOException e) {
            ours = true;
        }
        return new CliException(ExitCodes.CANNOT_LISTEN, "cannot listen on " + address(port) + ": " + why + (ours
                ? "; stop what holds the port, or choose another --port (0 picks a free one)"
                : "; " + host + " is not an address of this machine: choose one with --host (default 127.0.0.1)"),
                failure);
    }

    private String address(int actualPort) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort;
    }

    /**
     * The MCP policy, read before the server starts so that a file that cannot be used is a usage
     * error that says which file and what to do.
     */
    private static void checkPolicy(HostEnvironment env) {
        Optional<String> named = env.get(PolicyConfig.FILE_VARIABLE);
        Path file = named.map(env::expand).orElse(PolicyConfig.defaultFile(env));
        String which = "the MCP policy file " + file + (named.isPresent() ? " (" + PolicyConfig.FILE_VARIABLE + ")" : "");
        String fix = "; point " + PolicyConfig.FILE_VARIABLE + " at a readable JSON file, or unset it";
        if (named.isPresent() && !Files.exists(file)) {
            throw CliException.usage(which + " does not exist" + fix);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw CliException.usage("cannot read " + which + ": it is not a file" + fix);
        }
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw CliException.usage("cannot read " + which + ": permission denied; make it readable by this user"
                    + " (chmod u+r), or point " + PolicyConfig.FILE_VARIABLE + " at another file");
        }
        try {
            PolicyConfig.load(env);
        } catch (PolicyConfig.Invalid e) {
            boolean inFile = e.getMessage().startsWith(file.toString());
            throw CliException.usage("invalid MCP policy: " + e.getMessage()
                    + (inFile ? "; correct the file, or point " + PolicyConfig.FILE_VARIABLE + " at another" : ""));
        }
    }

    /**
     * The AWS CLI's service models, without which the server cannot read a command: 127, like a
     * missing program. Read here once more than the server does, for a message that says what to do.
     */
    private static void checkServiceModels(HostEnvironment env) {
        Optional<String> named = env.get(MODELS_VARIABLE);
        Optional<Path> found = AwsCli.locate(env);
        if (found.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, named.isPresent()
                    ? MODELS_VARIABLE + "=" + named.get() + " is not a directory: point it at botocore's data directory"
                            + " (…/site-packages/botocore/data), or unset it to use the 'aws' on PATH"
                    : "cannot find the AWS CLI's service models (botocore's data directory) for the 'aws' on PATH:"
                            + " install the AWS CLI v1, or set " + MODELS_VARIABLE + " to botocore's data directory");
        }
        try {
            AwsCli.load(found.get());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CliException(ExitCodes.NOT_FOUND, "cannot use the AWS CLI's service models: " + e.getMessage()
                    + (named.isPresent() ? "; point " + MODELS_VARIABLE + " at botocore's data directory"
                            : "; reinstall the AWS CLI v1, or set " + MODELS_VARIABLE + " to botocore's data directory"), e);
        }
    }
}
