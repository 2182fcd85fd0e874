package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/** The {@code aws-sandbox} command. */
public final class AwsSandboxCli implements Runnable {
    /**
     * Whether this process served MCP over stdio (set by {@code McpCommand}): standard output is the protocol's, every
     * answer written whole and flushed, and an answer its client never read (the pipe full, stdin closed) is blocked in
     * its write for good. The exit must not flush standard output then: it waited for that write, and the server
     * outlived its client (outside test RT11, F12). Here, not in {@code McpCommand}: reading it there would load and
     * verify that class, and the MCP classes it catches, on every {@code run}.
     */
    static volatile boolean stdoutIsMcps;

    /**
     * The subcommands, in the order --help lists them. An invocation that names one gets only that
     * one ({@code mcp}'s model loads MCP classes); {@code help} is picocli's own, read from its
     * annotations, so only an invocation that needs every command pays for that.
     */
    private static final List<String> SUBCOMMANDS = List.of("run", "pipe", "doctor", "policy", "mcp", "help");

    /** The subcommands that start processes: for them this JVM becomes the subreaper. */
    private static final Set<String> SPAWNING = Set.of("run", "pipe", "doctor", "mcp");

    /** Scope INHERIT: the subcommands get its version provider, and picocli copies --verbose to them. */
    private final CommandSpec spec = Specs.command(this, "aws-sandbox",
            "Run AWS CLI commands and pipelines inside an OS-level sandbox (Landlock or bubblewrap on Linux, Seatbelt on macOS).")
            .versionProvider(new Version()).scopeType(ScopeType.INHERIT);

    private final OptionSpec verbose = Specs.flag("--verbose", "Show stack traces and debug messages.")
            .scopeType(ScopeType.INHERIT).build();

    private AwsSandboxCli() {
        spec.addOption(verbose);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use run, pipe, policy, doctor or mcp");
    }

    public static void main(String[] args) {
        markInstallation();
        List<String> subcommands = subcommandsFor(args);
        // a subcommand the arguments name is the only one in the model
        boolean spawns = subcommands.size() == 1 && SPAWNING.contains(subcommands.getFirst());
        Runnable subreaper = () -> { };
        if (spawns && HostEnvironment.Platform.current() == HostEnvironment.Platform.LINUX) {
            CompletableFuture<Optional<String>> enabled = new CompletableFuture<>();
            try {
                Thread.ofPlatform().name("aws-sandbox-prepare").daemon(true).start(() -> prepareSpawning(enabled));
            } catch (OutOfMemoryError e) {
                // no thread to be had ("unable to create native thread"): the preparation is only a head
                // start, and the first spawn warms up and starts what it needs itself (or fails, saying
                // why, as a command's failure); becoming the subreaper is no head start but protection,
                // so it is done here, still before any process starts
                enableSubreaper(enabled);
            }
            subreaper = () -> enabled.join().ifPresent(warning -> System.err.println("aws-sandbox: warning: " + warning));
        }
        int code = execute(CliContext.system(), subreaper, subcommands, args);
        if (!stdoutIsMcps) {
            System.out.flush();
        }
        System.err.flush();
        // halt-free exit: the stdin forwarder may still be blocked reading the terminal
        System.exit(code);
    }

    /**
     * What a command's first spawn needs, made on a thread of its own while picocli builds the model
     * and the command is planned: this JVM, which is ours, becomes the child subreaper, so that
     * processes which escape their command's group ({@code setsid} and a fork) are caught, and
     * {@code subreaper} completes with the warning to print when it could not be had; then
     * {@link Sandbox#prepareSpawning()} (the native calls of a spawn linked, the watchdog and the
     * reaper started). {@code main} waits for the subreaper only, before parsing (so before any
     * process starts); a spawn waits for the rest by itself, and starts the watchdog itself.
     */
    private static void prepareSpawning(CompletableFuture<Optional<String>> subreaper) {
        if (enableSubreaper(subreaper)) {
            Sandbox.prepareSpawning();
        }
    }

    /**
     * Makes this JVM the child subreaper; {@code subreaper} completes with the warning to print when
     * it could not be, or with what else went wrong (main throws it: false, prepare nothing more).
     */
    private static boolean enableSubreaper(CompletableFuture<Optional<String>> subreaper) {
        try {
            Sandbox.enableSubreaper();
            subreaper.complete(Optional.empty());
        } catch (SandboxException e) {
            subreaper.complete(Optional.of(e.getMessage() + "; processes that leave their command's session will not be killed"));
        } catch (RuntimeException | Error e) {
            subreaper.completeExceptionally(e); // main throws it, as it did from the whole preparation
            return false;
        }
        return true;
    }

    /**
     * Run as {@code java -jar DIR/aws-sandbox.jar} without the launcher: DIR is the installation
     * (a wrapper script beside the jar runs later, outside any sandbox; the red team rewrote one
     * from a command run in DIR under bubblewrap). The launcher names its own directory instead.
     */
    private static void markInstallation() {
        if (System.getProperty("aws.sandbox.home") != null) {
            return;
        }
        try {
            java.security.CodeSource source = AwsSandboxCli.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null && "file".equals(source.getLocation().getProtocol())) {
                java.nio.file.Path jar = java.nio.file.Path.of(source.getLocation().toURI());
                if (java.nio.file.Files.isRegularFile(jar) && jar.getParent() != null) {
                    System.setProperty("aws.sandbox.home", jar.getParent().toString());
                }
            }
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            // no installation directory to name: the jar itself is still protected
        }
    }

    /** Runs the CLI against the given streams; returns the exit code (used in-process by tests). */
    static int execute(CliContext context, String... args) {
        return execute(context, () -> { }, subcommandsFor(args), args);
    }

    /**
     * A first word that names no command, said as such (picocli says "Unmatched argument at index 0"): a workflow test,
     * 2026-12-05.
     */
    private static java.util.Optional<String> unknownCommand(CommandLine.ParameterException e) {
        // 'pipe aws s3 ls | head': the pipeline as several words (the first mistake of a new user of pipe)
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine().getCommandName().equals("pipe")
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            return java.util.Optional.of("pipe takes the pipeline as one argument: quote it, as in aws-sandbox pipe"
                    + " \"aws s3api list-buckets | jq -r '.Buckets[].Name'\"");
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")
                && e.getCommandLine().getParseResult() != null && e.getCommandLine().getParseResult().subcommand() == null) {
            return java.util.Optional.of("unknown command '" + Printable.line(unmatched.getUnmatched().getFirst())
                    + "': use run, pipe, policy, doctor or mcp");
        }
        return java.util.Optional.empty();
    }

    /**
     * Runs the CLI with the {@link #subcommandsFor subcommands} {@code args} need, {@code beforeParsing}
     * once its model is built (main waits there for the subreaper: {@link #prepareSpawning}).
     */
    private static int execute(CliContext context, Runnable beforeParsing, List<String> subcommands, String... args) {
        Optional<String> undecodable = undecodableArgument(args);
        if (undecodable.isPresent()) {
            return report(context.err(), undecodable.get(), ExitCodes.USAGE);
        }
        AwsSandboxCli root = new AwsSandboxCli();
        CommandLine cli = root.model(context, subcommands);
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        documentExitCodes(cli);
        cli.setParameterExceptionHandler((e, a) -> report(context.err(), unknownCommand(e).orElse(e.getMessage()) + " (see '"
                + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')", ExitCodes.USAGE));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (Specs.given(root.verbose) || isVerbose(parseResult)) {
                e.printStackTrace(context.err());
            }
            CliException failure = CliException.of(e);
            return report(context.err(), failure.getMessage(), failure.exitCode());
        });
        Handler handler = installLogHandler(context.err());
        try {
            beforeParsing.run();
            return cli.execute(args);
        } finally {
            Logger.getLogger("").removeHandler(handler);
        }
    }

    /**
     * Why an argument cannot be passed on as it was given: the JVM decodes its command line with the locale's encoding
     * and puts U+FFFD for bytes it cannot decode, so the command would get other bytes than the caller gave (workflow
     * finding F21: {@code printf '%s' $'a\xffb'} printed {@code a\uFFFDb}, and under {@code LC_ALL=C} every non-ASCII
     * letter was replaced). A U+FFFD the caller wrote as such cannot be told apart, and is refused too.
     */
    static Optional<String> undecodableArgument(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf('\uFFFD') >= 0) {
                return Optional.of("argument " + (i + 1) + " (" + args[i] + ") holds bytes that are not text in this"
                        + " locale's encoding (" + System.getProperty("sun.jnu.encoding") + "), which Java cannot pass on"
                        + " as they were (it reads them as U+FFFD); nothing was run: use a UTF-8 locale (LC_ALL=C.UTF-8)"
                        + " and UTF-8 arguments");
            }
        }
        return Optional.empty();
    }

    /**
     * The subcommand that {@code args} name when only {@code --verbose} comes before it; empty
     * for anything else ({@code --help}, {@code help run}, a misspelt name), which gets them all.
     */
    static Optional<String> subcommandNamed(String... args) {
        for (String arg : args) {
            if (!arg.equals("--verbose")) {
                boolean known = SUBCOMMANDS.contains(arg);
                return known && !arg.equals("help") ? Optional.of(arg) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The subcommands whose model {@code args} need: the one they name ({@link #subcommandNamed}),
     * none for {@code --version} or {@code -V} alone (with {@code --verbose} or not: the version is
     * the root's, and the other subcommands' models, picocli's {@code help} read from its
     * annotations above all, were most of that invocation's time), all of them otherwise.
     */
    static List<String> subcommandsFor(String... args) {
        Optional<String> named = subcommandNamed(args);
        if (named.isPresent()) {
            return List.of(named.get());
        }
        List<String> rest = new ArrayList<>(List.of(args));
        rest.removeIf("--verbose"::equals);
        if (rest.equals(List.of("--version")) || rest.equals(List.of("-V"))) {
            return List.of();
        }
        return SUBCOMMANDS;
    }

    /**
     * The command model, for an invocation in {@code context}: this command with the subcommands
     * {@code names} (all of them for {@code --help}); options before a {@code run} or
     * {@code policy} command's first positional belong to aws-sandbox, everything after it to the
     * command.
     */
    CommandLine model(CliContext context, List<String> names) {
        CommandLine cli = new CommandLine(spec);
        for (String name : SUBCOMMANDS) {
            if (names.contains(name)) {
                cli.addSubcommand(name, new CommandLine(subcommand(name, context)));
            }
        }
        cli.setStopAtPositional(false);
        for (String name : List.of("run", "policy")) {
            if (cli.getSubcommands().containsKey(name)) {
                cli.getSubcommands().get(name).setStopAtPositional(true);
            }
        }
        return cli;
    }

    /** A model of the CLI for tests: {@link #model} of a new root. */
    static CommandLine model(CliContext context) {
        return new AwsSandboxCli().model(context, SUBCOMMANDS);
    }

    private static Object subcommand(String name, CliContext context) {
        return switch (name) {
            case "run" -> new RunCommand(context).spec;
            case "pipe" -> new PipeCommand(context).spec;
            case "doctor" -> new DoctorCommand(context).spec;
            case "policy" -> new PolicyCommand(context).spec;
            case "mcp" -> new McpCommand(context).spec;
            case "help" -> CommandLine.HelpCommand.class;
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** The exit codes at the foot of every command's --help. */
    private static void documentExitCodes(CommandLine cli) {
        List<CommandLine> commands = new ArrayList<>(List.of(cli));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                commands.add(sub);
            }
        });
        for (CommandLine command : commands) {
            command.getCommandSpec().usageMessage()
                    .exitCodeListHeading("%nExit codes (run and pipe exit with the command's own status when it ran,%n"
                            + "128+N when signal N killed it):%n")
                    .exitCodeList(ExitCodes.MEANINGS);
        }
    }

    private static boolean isVerbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** One line, whatever the message holds: scripts and people read the first line of stderr. */
    private static int report(PrintStream err, String message, int code) {
        if (!JvmShutdown.inProgress()) {
            err.println("aws-sandbox: error: " + Printable.line(message.replaceAll("\\R+", " ")));
        }
        return code;
    }

    /** Library warnings (fallback to no isolation, a directory not made writable) as one line each on stderr. */
    private static Handler installLogHandler(PrintStream err) {
        Logger rootLogger = Logger.getLogger("");
        for (Handler h : rootLogger.getHandlers()) {
            rootLogger.removeHandler(h);
        }
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // our own notes from INFO up; libraries (MCP SDK, Jetty) only when something is wrong
                String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
                Level threshold = logger.startsWith("dev.awssandbox") ? Level.INFO : Level.WARNING;
                if (record.getLevel().intValue() >= threshold.intValue()) {
                    String label = record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning" : "note";
                    err.println("aws-sandbox: " + label + ": " + Printable.line(CliWording.of(String.valueOf(record.getMessage()))));
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
            }
        };
        rootLogger.addHandler(handler);
        rootLogger.setLevel(Level.INFO);
        return handler;
    }

    /** The version from the jar's build properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aws-sandbox " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            Properties props = new Properties();
            try (InputStream in = AwsSandboxCli.class.getResourceAsStream("/aws-sandbox-version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            } catch (IOException e) {
                // fall through to unknown
            }
            return props.getProperty("version", "unknown");
        }
    }
}
