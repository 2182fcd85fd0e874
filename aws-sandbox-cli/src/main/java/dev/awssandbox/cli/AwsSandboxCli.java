package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code aws-sandbox} command. */
@Command(name = "aws-sandbox",
        description = "Run AWS CLI commands inside an OS-level sandbox (Landlock on Linux).",
        mixinStandardHelpOptions = true,
        versionProvider = AwsSandboxCli.Version.class,
        subcommands = {RunCommand.class, PipeCommand.class, DoctorCommand.class, PolicyCommand.class, McpCommand.class,
                CommandLine.HelpCommand.class})
public final class AwsSandboxCli implements Runnable {
    private final CliContext context;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces and debug messages.")
    boolean verbose;

    AwsSandboxCli(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: use run, pipe, doctor or --help");
    }

    public static void main(String[] args) {
        // This JVM is ours: catch processes that escape their command's group (setsid + fork).
        if (HostEnvironment.Platform.current() == HostEnvironment.Platform.LINUX) {
            try {
                Sandbox.enableSubreaper();
            } catch (SandboxException e) {
                System.err.println("aws-sandbox: warning: " + e.getMessage()
                        + "; processes that leave their command's session will not be killed");
            }
        }
        int code = execute(CliContext.system(), args);
        System.out.flush();
        System.err.flush();
        // halt-free exit: the stdin forwarder may still be blocked reading the terminal
        System.exit(code);
    }

    /** Runs the CLI against the given streams; returns the exit code (used in-process by tests). */
    static int execute(CliContext context, String... args) {
        AwsSandboxCli root = new AwsSandboxCli(context);
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(context.out(), true));
        cli.setErr(new PrintWriter(context.err(), true));
        cli.setStopAtPositional(false);
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.getSubcommands().get("policy").setStopAtPositional(true);
        cli.setParameterExceptionHandler((e, a) -> {
            context.err().println("aws-sandbox: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = root.verbose || isVerbose(parseResult);
            if (verbose) {
                e.printStackTrace(context.err());
            }
            return switch (e) {
                case CliException c -> report(context.err(), c.getMessage(), c.exitCode());
                case SandboxException s -> report(context.err(), s.getMessage(), exitCode(s));
                default -> report(context.err(), "internal error: " + e + (verbose ? "" : " (rerun with --verbose for details)"),
                        ExitCodes.SANDBOX_FAILURE);
            };
        });
        Handler handler = installLogHandler(context.err());
        try {
            return cli.execute(args);
        } finally {
            Logger.getLogger("").removeHandler(handler);
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

    private static int report(PrintStream err, String message, int code) {
        err.println("aws-sandbox: " + message);
        return code;
    }

    static int exitCode(SandboxException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ExitCodes.NOT_FOUND;
            case NOT_EXECUTABLE -> ExitCodes.NOT_EXECUTABLE;
            case INVALID_REQUEST -> ExitCodes.USAGE;
            case UNAVAILABLE, UNENFORCEABLE, SYSTEM -> ExitCodes.SANDBOX_FAILURE;
        };
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
                    err.println("aws-sandbox: " + label + ": " + record.getMessage());
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
