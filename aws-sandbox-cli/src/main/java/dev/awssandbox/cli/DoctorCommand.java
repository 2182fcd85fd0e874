package dev.awssandbox.cli;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.SandboxException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aws-sandbox doctor}: what this machine can enforce, where the AWS CLI is, and a live
 * self-test that the sandbox really denies what it should.
 */
final class DoctorCommand implements Callable<Integer> {
    private static final String BAIT = "aws-sandbox doctor bait: if you can read this, the sandbox failed";

    final CommandSpec spec = Specs.command(this, "doctor",
            "Show what this machine's sandbox enforces, then test it live.",
            "It shows the platform, each backend's availability, what would be enforced and the resolved AWS CLI, then"
                    + " runs a live self-test. Exits 1 if a check fails.");
    private final PolicyOptions policy;

    DoctorCommand(CliContext context) {
        policy = new PolicyOptions(context, spec);
    }

    private PrintStream out;
    private int failures;

    @Override
    public Integer call() throws SandboxException, IOException {
        CliContext ctx = policy.context();
        out = ctx.out();
        out.println("aws-sandbox " + AwsSandboxCli.Version.version());
        out.println("platform:  " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        out.println("java:      " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");

        Sandbox sandbox = policy.sandbox();
        out.println();
        out.println("backends:");
        for (Sandbox.BackendStatus status : sandbox.backendStatuses()) {
            out.printf("  %-10s %-13s %s%n", status.kind().label(), status.available() ? "available" : "unavailable",
                    status.detail());
        }
        BackendKind selected;
        try {
            selected = sandbox.backend();
        } catch (SandboxException e) {
            out.println();
            fail("backend selection (mode " + sandbox.mode().label() + "): " + e.getMessage());
            return ExitCodes.CHECK_FAILED;
        }
        out.println("selected:  " + selected.label() + " (mode " + sandbox.mode().label() + ")");
        printEnforcement(sandbox.expectedEnforcement(), sandbox.policy().limits());
        printNetwork(sandbox);
        printAwsCli(sandbox);
        selfTest(sandbox, ctx);
        out.println();
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        return failures == 0 ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private void printEnforcement(EnforcementReport report, SandboxPolicy.Limits limits) {
        out.println();
        out.println("enforcement (" + report.level().name().toLowerCase(java.util.Locale.ROOT) + "):");
        report.landlockAbi().ifPresent(abi -> out.println("  landlock ABI:      " + abi));
        if (report.backend() == BackendKind.SEATBELT) {
            printSeatbelt(report, limits);
        } else if (report.backend() != BackendKind.NONE) {
            out.println("  filesystem:        " + label(report.filesystem()) + (report.landlockRights().isEmpty() ? ""
                    : " (" + report.landlockRights().stream().map(EnforcementReport.LandlockRight::label)
                            .collect(Collectors.joining(", ")) + ")"));
            out.println("  network:           " + label(report.network()));
            out.println("  isolates:          " + isolations(report));
            out.println("  no_new_privs:      " + (report.noNewPrivs() ? "yes" : "no"));
            out.println("  seccomp filter:    " + (report.seccomp()
                    ? "yes (mount family, ptrace, unshare/setns, namespaces in clone, io_uring, bpf, keyring,"
                    + " modules, kexec, TIOCSTI, netlink, leases, xattr reads by path …; non-TCP sockets unless the network mode is all)" : "no"));
            out.println("  capabilities:      " + (report.capabilitiesDropped() ? "all dropped (root inside has none)" : "kept"));
        }
        out.println("  gaps:              " + (report.gaps().isEmpty() ? "none" : String.join("; ", report.gaps())));
        for (String note : report.notes()) {
            out.println("  note:              " + note);
        }
    }

    /**
     * The network mode, and in mode hosts the allowed hosts and the egress proxy as a sandboxed
     * command sees it (its password hidden).
     */
    private void printNetwork(Sandbox sandbox) {
        SandboxPolicy policy = sandbox.policy();
        out.println("  network mode:      " + policy.network().label() + switch (policy.network()) {
            case OFF -> " (--no-network)";
            case HOSTS -> " (--allow-host)";
            case ALL -> " (the default; --allow-host PATTERN limits it to named hosts)";
        });
        if (policy.network() != SandboxPolicy.Network.HOSTS) {
            return;
        }
        out.println("  allowed hosts:     " + String.join(", ", policy.allowedHosts()));
        try {
            ExecResult env = sandbox.run(Command.builder(List.of("printenv", "HTTPS_PROXY"))
                    .timeout(Duration.ofSeconds(30)).build());
            String url = env.stdout().text().strip().replaceFirst("//[^@/]*@", "//");
            out.println("  egress proxy:      " + (url.isEmpty() ? "not reached (" + env.failureSummary() + ")"
                    : url + " in this process (HTTP CONNECT and plain HTTP; a password per command; names resolved"
                    + " by the proxy, never to local addresses)"));
        } catch (SandboxException e) {
            out.println("  egress proxy:      cannot be used: " + e.getMessage());
        }
    }

    /**
     * Seatbelt's lines: what the profile restricts and what macOS leaves open. The Linux
     * mechanisms (no_new_privs, seccomp, capabilities) have no counterpart there.
     */
    private void printSeatbelt(EnforcementReport report, SandboxPolicy.Limits limits) {
        out.println("  profile:           deny by default; read, exec and library mapping on the granted paths only,"
                + " writes on the writable ones; sysctls and devices by name");
        out.println("  network:           " + label(report.network())
                + (report.network() == EnforcementReport.Network.ALLOWED
                        ? " (IP sockets and DNS only; no other unix socket; bind on loopback only)" : ""));
        out.println("  isolates:          " + isolations(report));
        out.println("  resource limits:   " + describe(limits) + " (ulimit in /bin/sh inside the sandbox;"
                + " never above this process's hard limits)");
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    /** "signals, process_info": what of the processes outside the sandbox a command cannot reach. */
    private static String isolations(EnforcementReport report) {
        return report.isolations().isEmpty() ? "nothing"
                : report.isolations().stream().sorted().map(EnforcementReport.Isolation::label)
                        .collect(Collectors.joining(", "));
    }

    private static String describe(SandboxPolicy.Limits limits) {
        List<String> parts = new ArrayList<>();
        limits.processes().ifPresent(n -> parts.add(n + " more processes of the user"));
        limits.cpuTime().ifPresent(t -> parts.add(DurationFormat.format(t) + " CPU per process"));
        limits.fileSizeBytes().ifPresent(b -> parts.add(b + " bytes per file"));
        if (!limits.coreDumps()) {
            parts.add("no core dumps");
        }
        return parts.isEmpty() ? "none (--no-limits)" : String.join(", ", parts);
    }

    private void printAwsCli(Sandbox sandbox) {
        out.println();
        try {
            Sandbox.Preview preview = sandbox.preview(List.of("aws"));
            out.println("aws cli:   " + preview.executableChain().stream().map(Path::toString)
                    .collect(Collectors.joining(" -> ")));
            for (Sandbox.Preview.Grant grant : preview.grants()) {
                if (grant.reason().startsWith("executable") || grant.reason().equals("interpreter")) {
                    out.println("  readable: " + grant.resolved() + (grant.directory() ? "/" : "") + "  (" + grant.reason() + ")");
                }
            }
        } catch (SandboxException e) {
            out.println("aws cli:   not found (" + e.getMessage() + ")");
        }
    }

    private void selfTest(Sandbox sandbox, CliContext ctx) throws SandboxException, IOException {
        out.println();
        out.println("self-test:");
        try {
            List<Sandbox.Preview.Grant> grants = sandbox.preview(List.of("cat")).grants();
            Optional<Path> baitDir = baitDirectory(ctx, grants);
            if (baitDir.isEmpty()) {
                fail("no directory outside the policy was found to place a bait file in");
            } else {
                try {
                    fileSelfTest(sandbox, baitDir.get());
                } finally {
                    deleteTree(baitDir.get());
                }
            }
        } catch (SandboxException e) {
            // a program the test runs is missing (cat, touch): a failed check, not an aborted report (outside test
            // WF31, F10)
            fail("the file rules could not be tried: " + e.getMessage());
        }
        networkSelfTest(sandbox);
        try {
            ExecResult aws = sandbox.run(Command.builder(List.of("aws", "--version"))
                    .timeout(Duration.ofSeconds(60)).build());
            String version = (aws.stdout().text() + aws.stderr().text()).strip().lines().findFirst().orElse("");
            check(aws.isSuccess(), "aws --version works " + (sandbox.backend() == BackendKind.NONE ? "(unsandboxed)"
                    : "sandboxed") + ": " + version + (aws.isSuccess() ? ""
                    : " (" + aws.failureSummary() + "; the MCP server does not start until it does)"));
        } catch (SandboxException e) {
            if (e.kind() == SandboxException.Kind.NOT_FOUND) {
                // the MCP server does not start without it: a failed check, not a skip
                fail("aws --version: the AWS CLI ('aws') is not on PATH (" + ctx.host().get("PATH").orElse("")
                        + "); install it, or add its directory to PATH (the MCP server needs it)");
            } else {
                check(false, "aws --version works sandboxed: " + e.getMessage());
            }
        }
    }

    /** A bait file in {@code dir}, outside the policy: a sandboxed cat cannot read it, a sandboxed touch cannot write there. */
    private void fileSelfTest(Sandbox sandbox, Path dir) throws SandboxException, IOException {
        Path bait = dir.resolve("bait.txt");
        Files.writeString(bait, BAIT);
        boolean controlReadable = Files.readString(bait).equals(BAIT); // negative control: readable outside
        ExecResult read = sandbox.run(Command.builder(List.of("cat", bait.toString()))
                .timeout(Duration.ofSeconds(30)).build());
        check(controlReadable && !read.isSuccess() && !read.stdout().text().contains(BAIT),
                "read of a bait file outside the policy is denied (" + bait + ")" + unsandboxed(sandbox));
        Path written = dir.resolve("written.txt");
        ExecResult write = sandbox.run(Command.builder(List.of("touch", written.toString()))
                .timeout(Duration.ofSeconds(30)).build());
        check(!write.isSuccess() && !Files.exists(written),
                "write of a file outside the policy is denied (" + written + ")" + unsandboxed(sandbox));
    }

    /** Why a check fails that no sandbox can pass: the backend none was asked for (outside test WF31, F12). */
    private static String unsandboxed(Sandbox sandbox) throws SandboxException {
        return sandbox.backend() == BackendKind.NONE ? ": nothing is isolated with the backend none" : "";
    }

    /**
     * The network mode printed above, tried (outside test WF30, F9: only the file rules had been): a sandboxed bash
     * connects to a listener of this process on the loopback, which with the network off, or in mode hosts (not through
     * the egress proxy), must be refused, and with it on must work. The control: this process connects to it itself.
     */
    private void networkSelfTest(Sandbox sandbox) throws IOException {
        SandboxPolicy.Network mode = sandbox.policy().network();
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + listener.getLocalPort();
            try (java.net.Socket control = new java.net.Socket(listener.getInetAddress(), listener.getLocalPort())) {
                control.setSoLinger(true, 0);
            }
            ExecResult tried;
            try {
                tried = sandbox.run(Command.builder(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/"
                        + listener.getLocalPort() + " && echo connected")).timeout(Duration.ofSeconds(30)).build());
            } catch (SandboxException e) {
                out.println("  skip  the network mode: " + (e.kind() == SandboxException.Kind.NOT_FOUND
                        ? "bash is not on PATH to try a connection with" : e.getMessage()));
                return;
            }
            boolean connected = tried.isSuccess() && tried.stdout().text().contains("connected");
            switch (mode) {
                case ALL -> check(connected, "a connection to this machine (" + address + ") works: network mode all"
                        + (connected ? "" : " (" + tried.failureSummary() + ")"));
                case OFF -> check(!connected, "a connection to this machine (" + address + ") is refused: --no-network");
                case HOSTS -> check(!connected, "a direct connection to this machine (" + address + "), not through the"
                        + " egress proxy, is refused: --allow-host");
            }
        }
    }

    /** A fresh directory that no grant of the policy covers: under $HOME, else /var/tmp. */
    private static Optional<Path> baitDirectory(CliContext ctx, List<Sandbox.Preview.Grant> grants) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(ctx.host().home());
        candidates.add(Path.of("/var/tmp"));
        candidates.add(Path.of("/var/cache"));
        for (Path candidate : candidates) {
            try {
                Path real = candidate.toRealPath();
                boolean covered = grants.stream().anyMatch(g -> real.startsWith(g.resolved()));
                if (covered || !Files.isWritable(real)) {
                    continue;
                }
                return Optional.of(Files.createTempDirectory(real, ".aws-sandbox-doctor-"));
            } catch (IOException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    private void check(boolean ok, String what) {
        out.println((ok ? "  ok    " : "  FAIL  ") + what);
        if (!ok) {
            failures++;
        }
    }

    private void fail(String what) {
        check(false, what);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
