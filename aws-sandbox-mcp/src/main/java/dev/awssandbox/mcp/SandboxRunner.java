package dev.awssandbox.mcp;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.mcp.policy.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The MCP module's only door to sandbox-core's run API: runs canonical argvs (the AWS CLI in the
 * workspace, filters with nothing but stdin) and returns what the tools need, secrets already
 * redacted. Keeping every request type here makes the core's request rename a change to one class.
 */
final class SandboxRunner {
    /** The most stderr kept of a run, over all stages. */
    private static final int STDERR_BYTES = 64 * 1024;

    private final Sandbox sandbox;
    private final SandboxPolicy filterPolicy;
    private final Path workingDirectory;

    /**
     * @param sandbox          the AWS CLI's sandbox: its policy writes only the workspace (and each command its own temporary directory)
     * @param workingDirectory where the AWS CLI runs (the workspace)
     */
    SandboxRunner(Sandbox sandbox, Path workingDirectory) {
        this.sandbox = sandbox;
        this.workingDirectory = workingDirectory;
        // Filters (jq, grep, …) get nothing but stdin and the system: no network, no credentials (files or
        // variables), no writable path, a minimal environment. Otherwise 'aws --version | jq -n env' or
        // 'jq --rawfile c ~/.aws/credentials' would hand secrets to the model (found in review).
        this.filterPolicy = SandboxPolicy.builder(sandbox.host())
                .writePaths(List.of())
                .allowNetwork(false)
                .credentials(SandboxPolicy.Credentials.NONE)
                .envPassthrough(List.of("PATH", "LANG", "LC_ALL", "TZ"))
                .limits(sandbox.policy().limits())
                .build();
    }

    HostEnvironment host() {
        return sandbox.host();
    }

    /** The AWS CLI stage's policy. */
    SandboxPolicy sandboxPolicy() {
        return sandbox.policy();
    }

    /**
     * What a run produced, redacted.
     *
     * @param stdout        the last stage's stdout, at most the limit
     * @param truncated     whether stdout was cut at the limit
     * @param stdoutBytes   how many bytes stdout had in all
     * @param stderr        every stage's stderr
     * @param failure       "stage 2 (jq) exit code 5", "timed out …", or empty
     * @param hints         what the sandbox refused, in sentences a model can act on
     * @param connections   what the AWS CLI asked the egress proxy for (network mode hosts), allowed and denied
     * @param workspaceWithheld why the sandbox gives the AWS CLI nothing of the workspace, in the server's words
     * @param deniedInWorkspace whether the failure was a path in that withheld workspace being refused
     */
    record Outcome(String stdout, boolean truncated, long stdoutBytes, String stderr, int exitCode, boolean success,
                   boolean timedOut, OptionalInt failedStage, String failure, List<String> hints, String backend,
                   String enforcement, Duration duration, List<ExecResult.Connection> connections,
                   Optional<String> workspaceWithheld, boolean deniedInWorkspace) {}

    /**
     * The core's fact that the sandbox withholds the workspace ({@code why}: what it holds or leads to), in the server's
     * words: the CLI's advice (run elsewhere, {@code --ro}) is nothing a model can follow, removing the file is (outside
     * test WF30, F5).
     */
    static String workspaceWithheld(Path workingDirectory, String why) {
        return "the sandbox does not give the AWS CLI the workspace (" + workingDirectory + "): " + why
                + ". This stays so for every later command until the user removes what it names from the workspace;"
                + " the server cannot delete files: ask the user to remove it";
    }

    /** Runs the stages (the first is the AWS CLI), stdout streamed through the redactor and capped at {@code limit} bytes. */
    Outcome run(List<List<String>> stages, Duration timeout, Redactor redactor, long limit) throws SandboxException {
        return run(stages, timeout, redactor, limit, false);
    }

    /**
     * As {@link #run(List, Duration, Redactor, long)}; with {@code checkAfter}, a command that may have left a file in
     * the workspace is followed by a plan of the next command's AWS stage, whose warning about the workspace is said
     * now (a download named {@code .netrc} had made every later call fail with advice a model cannot follow).
     */
    Outcome run(List<List<String>> stages, Duration timeout, Redactor redactor, long limit, boolean checkAfter)
            throws SandboxException {
        Redactor.Sink stdout = redactor.sink(limit);
        Command.Builder request = Command.pipeline(stages).toBuilder()
                .timeout(timeout)
                .workingDirectory(workingDirectory)
                .stdout(Command.Output.streamTo(stdout))
                .stderr(Command.Output.capture(STDERR_BYTES));
        for (int i = 1; i < stages.size(); i++) {
            request.stagePolicy(i, filterPolicy);
        }
        ExecResult result;
        try {
            result = sandbox.run(request.build());
        } catch (SandboxException e) {
            throw new SandboxException(e.kind(), redactor.redact(e.getMessage()), e.backend(), e);
        }
        stdout.finish();
        Optional<String> withheld = result.stages().getFirst().workingDirectoryWithheld()
                .map(why -> workspaceWithheld(workingDirectory, why));
        if (withheld.isEmpty() && checkAfter && result.isSuccess()) {
            try {
                withheld = sandbox.preview(List.of("aws", "--version")).workingDirectoryWithheld()
                        .map(why -> "after this command, " + workspaceWithheld(workingDirectory, why));
            } catch (SandboxException e) {
                // the command ran; the next call's plan says what it says
            }
        }
        return new Outcome(stdout.text(), stdout.truncated(), stdout.totalBytes(),
                redactor.redact(stderr(result)), result.exitCode(), result.isSuccess(), result.timedOut(),
                result.failedStage(), result.failureSummary(), result.denials().stream()
                        // a refused host is worded from the connections, for every host (loopback too, where the
                        // core suggests none): AwsErrorHints.forConnections; saying it twice would be noise
                        .filter(d -> !(d instanceof ExecResult.Denial.HostNotAllowed))
                        .map(d -> redactor.redact(DenialSentences.of(d, result.stages().get(d.stage()).command()))).toList(),
                result.backend().label(), result.enforcement().summary(), result.duration(), result.connections(),
                withheld.map(redactor::redact),
                result.denials().stream().anyMatch(d -> d instanceof ExecResult.Denial.InWithheldWorkingDirectory));
    }

    /**
     * Python's lines for a write to a pipe whose reader had gone: the AWS CLI's own report, and the
     * interpreter's when it flushes stdout at exit. Nothing else is dropped.
     */
    private static final List<java.util.regex.Pattern> BROKEN_PIPE_LINES = List.of(
            java.util.regex.Pattern.compile("\\[Errno 32\\] Broken pipe"),
            java.util.regex.Pattern.compile("Exception ignored in: <_io\\.TextIOWrapper name='<stdout>' mode='w'"
                    + " encoding='[^']*'>"),
            java.util.regex.Pattern.compile("BrokenPipeError: \\[Errno 32\\] Broken pipe"));

    /**
     * Every stage's stderr, in order, as the core combines it; but of a stage that ended only because a
     * later stage stopped reading ({@link ExecResult.Stage#brokenPipe()}, which does not fail the
     * pipeline: {@code aws s3 ls | head -1}), without Python's broken-pipe lines, which a successful call
     * had carried in {@code error} (testers' F16). Its other lines stay.
     */
    static String stderr(ExecResult result) {
        if (result.stages().stream().noneMatch(ExecResult.Stage::brokenPipe)) {
            return result.stderr().text();
        }
        StringBuilder all = new StringBuilder();
        for (ExecResult.Stage stage : result.stages()) {
            String text = stage.stderr().text();
            if (stage.brokenPipe()) {
                text = String.join("", text.lines()
                        .filter(line -> BROKEN_PIPE_LINES.stream().noneMatch(p -> p.matcher(line).matches()))
                        .map(line -> line + "\n").toList());
            }
            all.append(text);
        }
        // each stage's stderr is kept up to the bound, the whole too: so is what is rebuilt from them
        return all.length() > STDERR_BYTES ? all.substring(0, STDERR_BYTES) : all.toString();
    }

    /**
     * Fails unless the AWS CLI starts in the AWS CLI's sandbox: {@code aws --version}, run exactly
     * as the tools will run commands. A server whose every call would fail (no {@code aws} on the
     * PATH it was given, as when a desktop app starts it without the shell's PATH; an installation
     * the sandbox cannot read) stops at start-up with one line saying why.
     *
     * @return the version line
     */
    String checkAwsCli() throws SandboxException {
        String path = sandbox.host().get("PATH").orElse("");
        Outcome result;
        try {
            result = run(List.of(List.of("aws", "--version")), Duration.ofSeconds(120), Redactor.none(), 64 * 1024);
        } catch (SandboxException e) {
            if (e.kind() == SandboxException.Kind.NOT_FOUND) {
                throw new SandboxException(SandboxException.Kind.NOT_FOUND, "cannot find the AWS CLI ('aws') on PATH ("
                        + (path.isEmpty() ? "empty" : path) + "): install it, or give the server a PATH that holds it (an"
                        + " MCP client started from a desktop does not read your shell's profile: set PATH in the"
                        + " server's \"env\")", e.backend(), e);
            }
            throw new SandboxException(e.kind(), "the AWS CLI cannot start in the sandbox: " + e.getMessage()
                    + "; 'aws-sandbox doctor' shows what the sandbox allows", e.backend(), e);
        }
        String said = (result.stdout() + "\n" + result.stderr()).strip();
        if (!result.success()) {
            String first = said.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
            throw new SandboxException(SandboxException.Kind.NOT_EXECUTABLE, "the AWS CLI cannot start in the sandbox:"
                    + " 'aws --version' " + (result.timedOut() ? "did not finish in 120 s" : result.failure()) + ": "
                    + (first.length() > 300 ? first.substring(0, 300) + "…" : first)
                    + "; 'aws-sandbox doctor' shows what the sandbox allows", java.util.Optional.empty());
        }
        return said.lines().findFirst().orElse("");
    }

    /** An argv as a command line a person can read (and paste), quoted where needed. */
    static String display(List<String> argv) {
        return String.join(" ", argv.stream().map(Command::quote).toList());
    }

    /** The sandbox in force, for resources. */
    Map<String, Object> describe() throws SandboxException {
        return Map.of("mode", sandbox.mode().label(), "backend", sandbox.backend().label(),
                "enforcement", sandbox.expectedEnforcement().summary(),
                "network", Map.of("mode", sandbox.policy().network().label(),
                        "allowedHosts", sandbox.policy().allowedHosts()));
    }
}
