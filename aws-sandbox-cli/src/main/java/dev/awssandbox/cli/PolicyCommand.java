package dev.awssandbox.cli;

import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.SandboxException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aws-sandbox policy -- CMD}: what a command would get, without running it. */
final class PolicyCommand implements Callable<Integer> {
    final CommandSpec spec = Specs.command(this, "policy",
            "Show what a command would run under, without running it.",
            "That is: the program and its interpreter chain, every path it could read or write and why, the environment"
                    + " variable names it would get (never their values), and what the backend would enforce.");
    private final PolicyOptions policy;
    private final CommandArguments command;

    PolicyCommand(CliContext context) {
        command = new CommandArguments(spec);
        policy = new PolicyOptions(context, spec);
    }

    @Override
    public Integer call() throws SandboxException {
        CliContext ctx = policy.context();
        Sandbox sandbox = policy.sandbox();
        Sandbox.Preview preview = sandbox.preview(command.argv());
        PrintStream out = ctx.out();
        out.println("program:     " + preview.executable());
        out.println("chain:       " + preview.executableChain().stream().map(Path::toString)
                .collect(Collectors.joining(" -> ")));
        out.println("backend:     " + sandbox.backend().label() + " (mode " + sandbox.mode().label() + ")");
        EnforcementReport report = preview.enforcement();
        out.println("enforcement: " + report.summary());
        out.println("network:     " + report.network().name().toLowerCase(Locale.ROOT));
        out.println("environment: " + String.join(" ", preview.environmentNames()));
        out.println("paths:");
        for (Sandbox.Preview.Grant grant : preview.grants()) {
            String shown = grant.path().equals(grant.resolved()) ? grant.path().toString()
                    : grant.path() + " -> " + grant.resolved();
            out.printf("  %-3s %s%s  (%s)%n", grant.writable() ? "rw" : "ro", shown,
                    grant.directory() ? "/" : "", grant.reason());
        }
        for (String gap : report.gaps()) {
            out.println("gap:         " + gap);
        }
        for (String warning : preview.warnings()) {
            out.println("warning:     " + Printable.line(warning));
        }
        return ExitCodes.OK;
    }
}
