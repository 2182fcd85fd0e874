package dev.awssandbox.cli;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What {@code run} and {@code pipe} share — the policy options, {@code --timeout}, and running a
 * pipeline through the CLI's stdin, stdout and stderr, streamed live, then reporting.
 */
final class StreamedRun {
    private final PolicyOptions policy;
    private final TimeoutOption timeout;
    private final AuditOption audit;
    /** The command ({@code run} or {@code pipe}) these options belong to. */
    private final CommandSpec spec;

    /** The options, added to {@code spec}, for an invocation in {@code context}. */
    StreamedRun(CliContext context, CommandSpec spec) {
        this.spec = spec;
        policy = new PolicyOptions(context, spec);
        timeout = new TimeoutOption(spec);
        audit = new AuditOption(spec);
    }

    /**
     * A pipeline refused for its syntax, before anything ran: recorded in the audit log when there is one (a workflow
     * test, 2026-12-05, F13: the log had no line for it, unlike any other refusal).
     */
    void refusedSyntax(String pipeline, String reason) {
        CliContext ctx = policy.context();
        if (audit.named(ctx.host()).isPresent()) {
            AuditedRun.refusedSyntax(pipeline, reason, ctx, audit);
        }
    }

    /**
     * Runs {@code command}; returns the exit code to exit with. With {@code --verbose}, every
     * connection through the egress proxy (network mode hosts) is listed on stderr afterwards,
     * allowed and denied, with its counts.
     */
    int run(Command command) throws SandboxException {
        CliContext ctx = policy.context();
        if (audit.named(ctx.host()).isPresent()) {
            return AuditedRun.run(this, command, ctx, audit);
        }
        ExecResult result;
        try {
            result = execute(command, new CheckedOutput(ctx.out()));
        } catch (SandboxException e) {
            if (e.kind() == SandboxException.Kind.OUTPUT_FAILED) {
                return brokenPipe(e);
            }
            throw explained(e);
        }
        return report(command, result);
    }

    /**
     * Our stdout broke or was closed, so the library killed the command: exit as a shell's {@code yes}
     * does in {@code yes | head -1}, by the status alone (a stage of ours that stopped reading early,
     * say {@code head}, is the usual reason, and then nobody wants a message); with {@code --verbose},
     * one line on stderr, if it is still there. A write that failed otherwise (a full disk) is an error, said.
     */
    int brokenPipe(SandboxException e) {
        if (!CheckedOutput.readerGone(e)) {
            // a full disk, an I/O error: the output is cut short, which the user must hear of (outside test WF25, F1)
            policy.context().err().println("aws-sandbox: error: " + Printable.line(String.valueOf(e.getMessage()))
                    + "; its output is incomplete");
            return ExitCodes.SANDBOX_FAILURE;
        }
        if (verbose()) {
            policy.context().err().println("aws-sandbox: " + Printable.line(String.valueOf(e.getMessage())));
        }
        return ExitCodes.BROKEN_PIPE;
    }

    /** The exit code {@link #brokenPipe} gives {@code e}. */
    static int outputFailedExitCode(SandboxException e) {
        return CheckedOutput.readerGone(e) ? ExitCodes.BROKEN_PIPE : ExitCodes.SANDBOX_FAILURE;
    }

    /**
     * Whether a stage of {@code command} could write {@code path} (its working directory, {@code --rw}
     * paths, caches, as planned; bind mounts included): where an audit log of it must not lie. A
     * stage that cannot be planned writes nothing (it will not run).
     */
    Predicate<Path> writableBy(Command command) {
        List<Sandbox.Preview> previews = new ArrayList<>();
        for (List<String> argv : command.argvs()) {
            try {
                previews.add(policy.sandbox().preview(argv));
            } catch (SandboxException e) {
                // refused when it is run, and audited as such
            }
        }
        return path -> previews.stream().anyMatch(p -> p.canWrite(path));
    }

    /**
     * Runs {@code command} with the CLI's stdin and stderr, its stdout to {@code stdout}: when that
     * throws, the library kills the command ({@link SandboxException.Kind#OUTPUT_FAILED}). The stderr
     * is the PrintStream itself, which never throws: a broken stderr does not stop the command (its
     * stdout may still have a reader that wants all of it); what it writes there is lost.
     */
    ExecResult execute(Command command, OutputStream stdout) throws SandboxException {
        CliContext ctx = policy.context();
        Sandbox sandbox = policy.sandbox();
        refuseAWorkingDirectoryNotMadeWritable(sandbox, command);
        warnOfPrivateTmpPaths(sandbox, command);
        return sandbox.run(command.toBuilder()
                .stdin(Command.Input.from(ctx.in()))
                .stdout(Command.Output.streamTo(stdout))
                .stderr(Command.Output.streamTo(ctx.err()))
                .timeout(timeout.value().orElse(null))
                .build());
    }

    /**
     * An explicit {@code --rw} of the working directory that the plan does not make writable (git metadata under Landlock,
     * code that runs later) is refused, as the same {@code --rw} given from another directory is: it had been folded into
     * the working directory's warning, and the command ran read-only and failed with its own status (outside test WF25,
     * F2).
     */
    private void refuseAWorkingDirectoryNotMadeWritable(Sandbox sandbox, Command command) throws SandboxException {
        java.nio.file.Path cwd = policy.context().host().workingDirectory();
        for (java.nio.file.Path given : policy.writePathsGiven()) {
            if (!sameFile(given, cwd)) {
                continue;
            }
            Sandbox.Preview preview = sandbox.preview(command.argvs().getFirst());
            if (!preview.canWrite(cwd)) {
                // the plan's warning, printed above, says why: not said twice (outside test WF29, F10)
                boolean warned = preview.warnings().stream().anyMatch(w -> w.startsWith("the working directory"));
                throw CliException.usage("--rw " + given + " is refused: the working directory " + cwd + " is not made"
                        + " writable for this command" + (warned ? " (the warning above says why)" : ""));
            }
            return;
        }
    }

    /**
     * Under bubblewrap the command's /tmp is its private temporary directory, emptied when it ends: a file it writes to a
     * /tmp path named on the command line is lost while the command reports success (outside test WF29, F33: Landlock
     * refuses the same write). Said before it runs, for each such path no grant holds.
     */
    private void warnOfPrivateTmpPaths(Sandbox sandbox, Command command) throws SandboxException {
        if (sandbox.backend() != dev.awssandbox.core.BackendKind.BUBBLEWRAP) {
            return;
        }
        for (List<String> argv : command.argvs()) {
            Sandbox.Preview preview = null;
            for (String word : argv.subList(1, argv.size())) {
                String path = word.substring(word.indexOf('=') + 1);
                if (!path.startsWith("/tmp/")) {
                    continue;
                }
                preview = preview != null ? preview : sandbox.preview(argv);
                java.nio.file.Path named = java.nio.file.Path.of(path);
                if (!preview.canRead(named) && !preview.canWrite(named)) {
                    policy.context().err().println("aws-sandbox: warning: " + Printable.line(path + " is in the command's"
                            + " private /tmp (bubblewrap), which is emptied when it ends: what it writes there is lost; to"
                            + " keep a file, write it in the working directory or grant its directory with --rw"));
                }
            }
        }
    }

    private static boolean sameFile(java.nio.file.Path a, java.nio.file.Path b) {
        try {
            return java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** {@code e} to throw, unless a stage is a script whose {@code #!} interpreter is missing: that is thrown, said as such. */
    static SandboxException explained(SandboxException e) {
        if (e.kind() == SandboxException.Kind.NOT_FOUND && e.missingInterpreter().isPresent()) {
            // 127, as from env(1) and the shell; the kernel's ENOENT would have named the script
            throw new CliException(ExitCodes.NOT_FOUND, "cannot run " + e.program().orElse("the command")
                    + e.backend().map(b -> " (backend " + b.label() + ")").orElse("") + ": its interpreter "
                    + e.missingInterpreter().get() + " (its #! line) does not exist; install it, or correct the #! line", e);
        }
        if (e.kind() == SandboxException.Kind.NOT_EXECUTABLE && !e.unreadable().isEmpty()) {
            // the next step: a grant of the directories that hold them, not of all of /tmp or $HOME (a workflow test,
            // 2026-12-05, F22: a program under /tmp got no hint)
            List<String> grants = e.unreadable().stream().map(p -> p.getParent() == null ? p : p.getParent())
                    .distinct().map(dir -> "--ro " + dir).toList();
            // a program reached through a link (~/bin/aws -> …/versions/3.11.7/bin/aws) gets nothing derived from its
            // installation, whose interpreter and libraries the grants above leave out: named by its own path it does
            // (outside test WF31, F11)
            java.nio.file.Path target = e.unreadable().getLast();
            String byItsPath = e.unreadable().size() > 1 ? "; or run it by its own path, " + target + " (a program"
                    + " named where it is installed may get its installation granted; one reached through a link gets"
                    + " nothing of it)" : "";
            throw new CliException(ExitCodes.NOT_EXECUTABLE, e.getMessage() + "; to run it, grant the directory that holds"
                    + " it: " + String.join(" ", grants) + byItsPath, e);
        }
        return e;
    }

    int report(Command command, ExecResult result) {
        CliContext ctx = policy.context();
        ctx.out().flush();
        if (JvmShutdown.inProgress()) {
            return result.exitCode(); // a signal ended it: its clean-up's doing, said by the status alone
        }
        if (verbose()) {
            for (ExecResult.Connection c : result.connections()) {
                // the host is the command's own text (a CONNECT line may carry C1 controls): escaped
                ctx.err().println("aws-sandbox: network: " + Printable.line((command.stages().size() > 1 ? "stage "
                        + (c.stage() + 1) + " (" + command.argvs().get(c.stage()).getFirst() + ") " : "") + c.summary()));
            }
        }
        for (ExecResult.Denial denial : result.denials()) {
            ctx.err().println("aws-sandbox: hint: " + Printable.line(DenialAdvice.of(denial, result.stages())));
        }
        if (!result.isSuccess()) {
            unreachableHosts(result).forEach(hint -> ctx.err().println("aws-sandbox: hint: " + Printable.line(hint)));
            SandboxPolicy ran = policy.sandbox().policy(); // built once for both notes
            proxiesNotGiven(ran).ifPresent(note -> ctx.err().println("aws-sandbox: note: " + Printable.line(note)));
            profileWithoutConfig(ran, command.argvs().getFirst())
                    .ifPresent(note -> ctx.err().println("aws-sandbox: note: " + Printable.line(note)));
            if (writesTheAwsConfiguration(command.argvs().getFirst())) {
                // the denial itself gets no hint inside ~/.aws (a forged one must not advise a grant there): a fact, no
                // grant (outside test WF29, F32: a bare Python errno)
                ctx.err().println("aws-sandbox: note: the AWS configuration (~/.aws) is read-only for sandboxed commands,"
                        + " and no option makes it writable: run 'aws configure' outside aws-sandbox");
            }
        }
        if (result.timedOut()) {
            String after = timeout.value().map(DurationFormat::format).orElse("its timeout");
            ctx.err().println("aws-sandbox: " + (command.stages().size() == 1
                    ? command.argvs().getFirst().getFirst() + " timed out after " + after + " and was killed"
                    : "the pipeline timed out after " + after + "; every stage was killed"));
            return ExitCodes.TIMED_OUT;
        }
        if (!result.isSuccess() && command.stages().size() > 1) {
            ctx.err().println("aws-sandbox: " + result.failureSummary());
        }
        return result.exitCode();
    }

    /**
     * After a failed AWS CLI command that names a profile (--profile, AWS_PROFILE) while the credentials mode withholds
     * ~/.aws, where profiles are defined: the AWS CLI says only that the profile "could not be found" (outside test WF30,
     * F7).
     */
    private Optional<String> profileWithoutConfig(SandboxPolicy ran, List<String> argv) {
        String program = argv.getFirst();
        if (ran.allowAwsConfig() || !(program.equals("aws") || program.endsWith("/aws"))) {
            return Optional.empty();
        }
        Optional<String> profile = Optional.empty();
        for (int i = 1; i < argv.size(); i++) {
            if (argv.get(i).equals("--profile") && i + 1 < argv.size()) {
                profile = Optional.of(argv.get(i + 1));
            } else if (argv.get(i).startsWith("--profile=")) {
                profile = Optional.of(argv.get(i).substring("--profile=".length()));
            }
        }
        profile = profile.or(() -> ran.envPassthrough().contains("AWS_PROFILE")
                ? policy.context().host().get("AWS_PROFILE") : Optional.empty());
        return profile.map(name -> "the command names the profile '" + name + "', and this credentials mode gives it no"
                + " ~/.aws (nor the AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE files), where profiles are defined;"
                + " use --credentials aws_config or both to give it them");
    }

    /** The proxy variables a command may need to reach the network, which are not passed unless asked for. */
    private static final List<String> PROXY_VARIABLES = List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
            "ALL_PROXY", "all_proxy");

    /**
     * After a failure with the network allowed: the proxy variables set here that the command was not given (a proxy's
     * URL may carry a password, so none is passed unless asked for); behind a proxy every connection of the command had
     * failed, and nothing said why (outside test WF30, F19).
     */
    private Optional<String> proxiesNotGiven(SandboxPolicy ran) {
        if (ran.network() != SandboxPolicy.Network.ALL) {
            return Optional.empty(); // mode hosts sets the command's proxy itself; mode off has no network
        }
        List<String> set = PROXY_VARIABLES.stream().filter(name -> policy.context().host().get(name).isPresent())
                .filter(name -> !ran.envPassthrough().contains(name)).toList();
        if (set.isEmpty()) {
            return Optional.empty();
        }
        String noProxy = policy.context().host().get("NO_PROXY").or(() -> policy.context().host().get("no_proxy"))
                .isPresent() ? " --env NO_PROXY" : "";
        return Optional.of(String.join(", ", set) + (set.size() == 1 ? " is" : " are") + " set here but not given"
                + " to the command (a proxy's URL may carry a password); if it reaches the network through that proxy,"
                + " pass " + (set.size() == 1 ? "it" : "them") + " with " + String.join(" ", set.stream()
                .map(name -> "--env " + name).toList()) + noProxy);
    }

    /**
     * An allowed host the egress proxy could not reach, or one it refused for where its name leads: the command says only
     * "Failed to connect to proxy URL", a 502 or a 403, which read as a broken proxy of the user's or a failing service
     * (outside test WF29, F28, F21: said only with --verbose).
     */
    private static List<String> unreachableHosts(ExecResult result) {
        List<String> hints = new java.util.ArrayList<>();
        for (ExecResult.Connection c : result.connections()) {
            String at = c.hostAndPort();
            if (c.allowed() && c.reason().equals("cannot resolve")) {
                hints.add(at + " is allowed, but its name does not resolve on this host (aws-sandbox's proxy, which the"
                        + " command's \"proxy\" or 502 error names, looked it up): check the name, and this host's DNS");
            } else if (c.allowed() && c.reason().equals("cannot connect")) {
                hints.add(at + " is allowed, but nothing answered there (aws-sandbox's proxy, which the command's"
                        + " \"proxy\" or 502 error names, could not connect): is the endpoint running?");
            } else if (c.portNotAllowed()) {
                // the user named the host: the port is what is missing (outside test WF31, F7: a bare 403)
                hints.add(at + " was refused: an --allow-host pattern names this host, but not port " + c.port() + " (a"
                        + " pattern without a port allows 443 only); to allow it, name the port: --allow-host " + at);
            } else if (!c.allowed() && c.reason().startsWith("resolves only to local addresses")) {
                hints.add(at + " was refused: its name resolves only to local addresses (loopback, link-local, this"
                        + " host's own); allow the address itself to reach it (--allow-host ADDRESS:PORT)");
            }
        }
        return hints;
    }

    /** Whether {@code argv} is {@code aws configure} writing the configuration (anything but list, get, export). */
    private static boolean writesTheAwsConfiguration(List<String> argv) {
        if (argv.isEmpty() || !java.nio.file.Path.of(argv.getFirst()).getFileName().toString().equals("aws")) {
            return false;
        }
        int at = argv.indexOf("configure");
        return at > 0 && (at + 1 >= argv.size() || !List.of("list", "get", "list-profiles", "export-credentials")
                .contains(argv.get(at + 1)));
    }

    /** Whether {@code --verbose} was given, before or after the subcommand's name. */
    private boolean verbose() {
        for (CommandSpec command = spec; command != null; command = command.parent()) {
            OptionSpec option = command.findOption("--verbose");
            if (option != null && Boolean.TRUE.equals(option.getValue())) {
                return true;
            }
        }
        return false;
    }
}
