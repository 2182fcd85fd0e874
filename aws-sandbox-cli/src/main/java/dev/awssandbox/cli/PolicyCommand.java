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
        // paths and names are the file system's and the environment's text, which an earlier command
        // may have chosen (a repository named with ESC[8m: red team, round 20, F5): every line escaped
        out.println(Printable.line("program:     " + preview.executable()));
        out.println(Printable.line("chain:       " + preview.executableChain().stream().map(Path::toString)
                .collect(Collectors.joining(" -> "))));
        out.println("backend:     " + sandbox.backend().label() + " (mode " + sandbox.mode().label() + ")");
        EnforcementReport report = preview.enforcement();
        out.println("enforcement: " + report.summary());
        out.println("network:     " + report.network().name().toLowerCase(Locale.ROOT) + switch (report.network()) {
            case HOSTS, HOSTS_BY_PORT -> " (through aws-sandbox's egress proxy only, to "
                    + String.join(", ", sandbox.policy().allowedHosts()) + "; a host without a port: port 443)";
            default -> "";
        });
        // sorted: two outputs can be compared (outside test WF29, F4: the set's order changed from run to run)
        out.println(Printable.line("environment: " + String.join(" ", preview.environmentNames().stream().sorted().toList())));
        out.println("limits:      " + limits(sandbox.policy().limits()));
        out.println("paths:");
        for (Sandbox.Preview.Grant grant : preview.grants()) {
            String shown = grant.path().equals(grant.resolved()) ? grant.path().toString()
                    : grant.path() + " -> " + grant.resolved();
            out.println(Printable.line(String.format("  %-3s %s%s  (%s)", grant.writable() ? "rw" : "ro", shown,
                    grant.directory() ? "/" : "", grant.reason())));
        }
        for (String gap : report.gaps()) {
            out.println(Printable.line("gap:         " + gap));
        }
        for (String warning : preview.warnings()) {
            out.println("warning:     " + Printable.line(CliWording.of(warning)));
        }
        if (preview.workingDirectoryWithheld().isPresent()) {
            out.println("hint:        " + CliWording.WORKING_DIRECTORY_ADVICE);
        }
        return ExitCodes.OK;
    }

    /**
     * The resource limits the command would get, as given or by default (outside test WF29, F26: the options were taken
     * and never shown).
     */
    private static String limits(dev.awssandbox.core.SandboxPolicy.Limits limits) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        limits.processes().ifPresent(n -> parts.add(n + " processes"));
        limits.memoryBytes().ifPresent(b -> parts.add(b + " bytes of memory"));
        limits.cpuTime().ifPresent(t -> parts.add(DurationFormat.format(t) + " CPU per process"));
        limits.fileSizeBytes().ifPresent(b -> parts.add(b + " bytes per file"));
        if (!limits.coreDumps()) {
            parts.add("no core dumps");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
