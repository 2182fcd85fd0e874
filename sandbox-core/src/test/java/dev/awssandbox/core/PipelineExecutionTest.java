package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sandboxed pipelines: streaming, status (pipefail, broken pipes), per-stage policies, one deadline. */
@ExtendWith(TestHostExtension.class)
class PipelineExecutionTest {
    private TestHost host;
    private Sandbox sandbox;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
        sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
    }

    private ExecResult run(String pipeline) throws SandboxException {
        return sandbox.run(Command.parse(pipeline).toBuilder().timeout(Duration.ofSeconds(60)).build());
    }

    @Test
    void dataFlowsThroughEveryStage() throws Exception {
        ExecResult result = sandbox.run(Command.parse("tr a-z A-Z | rev | sed s/X/-/").toBuilder()
                .stdin(Command.Input.of("abcx\n".getBytes(StandardCharsets.UTF_8))).build());

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.stdout().text()).isEqualTo("-CBA\n");
        assertThat(result.stages()).hasSize(3).allMatch(s -> s.status().isSuccess());
        assertThat(result.stages()).allMatch(s -> s.enforcement().backend() == BackendKind.LANDLOCK);
    }

    @Test
    void theRightmostFailureIsThePipelinesStatus() throws Exception {
        ExecResult result = run("sh -c 'exit 3' | sh -c 'cat; exit 4' | cat");

        assertThat(result.status()).isEqualTo(new ExitStatus.Exited(4));
        assertThat(result.failedStage()).hasValue(1);
        assertThat(result.failureSummary()).isEqualTo("stage 2 (sh) exit code 4");
        assertThat(result.stages().get(0).failed()).isTrue();
    }

    /** Regression: the reader (cat) was often reaped before the failed writer (grep), which then passed as a broken pipe. */
    @org.junit.jupiter.api.RepeatedTest(20)
    void aFailingMiddleStageFailsThePipeline() throws Exception {
        ExecResult result = run("echo data | grep nomatch | cat");

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.failedStage()).hasValue(1);
    }

    @Test
    void anEarlyExitDownstreamIsNotAFailure() throws Exception {
        ExecResult result = run("yes | head -1");

        assertThat(result.isSuccess()).as(result.failureSummary()).isTrue();
        assertThat(result.stdout().text()).isEqualTo("y\n");
        ExecResult.Stage yes = result.stages().getFirst();
        assertThat(yes.status()).isEqualTo(new ExitStatus.Signaled(13, false));
        assertThat(yes.brokenPipe()).isTrue();
        assertThat(yes.failed()).isFalse();
    }

    @Test
    void stderrOfEveryStageIsCapturedInStageOrder() throws Exception {
        ExecResult result = run("sh -c 'sleep 0.3; echo first >&2; echo x' | sh -c 'echo second >&2; cat'");

        assertThat(result.stderr().text()).isEqualTo("first\nsecond\n");
        assertThat(result.stages().get(0).stderr().text()).isEqualTo("first\n");
        assertThat(result.stages().get(1).stderr().text()).isEqualTo("second\n");
        assertThat(result.stdout().text()).isEqualTo("x\n");
    }

    @Test
    void oneDeadlineKillsEveryStage() throws Exception {
        Path pids = host.work().resolve("pids");
        ExecResult result = sandbox.run(Command.pipeline(List.of(
                        List.of("sh", "-c", "echo $$ >> " + pids + "; exec sleep 30"),
                        List.of("sh", "-c", "echo $$ >> " + pids + "; exec sleep 30"))).toBuilder()
                .timeout(Duration.ofMillis(500)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.failureSummary()).contains("timed out");
        for (String pid : Files.readAllLines(pids)) {
            assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void aStageCanRunUnderItsOwnPolicy() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + " && echo connected";
            Command pipeline = Command.pipeline(List.of(List.of("bash", "-c", connect), List.of("bash", "-c", "cat; " + connect)));
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();

            ExecResult result = sandbox.run(pipeline.toBuilder().stagePolicy(1, offline).build());

            assertThat(result.stdout().text()).isEqualTo("connected\n"); // stage 1 connected and passed it on
            assertThat(result.failedStage()).hasValue(1);
            assertThat(result.stages().get(1).stderr().text()).contains("Permission denied");
            assertThat(result.stages().get(0).enforcement().network()).isEqualTo(EnforcementReport.Network.ALLOWED);
            assertThat(result.stages().get(1).enforcement().network()).isEqualTo(EnforcementReport.Network.DENIED);
        }
    }

    @Test
    void everyStageIsSandboxed() throws Exception {
        String bait = host.home().resolve(".ssh/id_ed25519").toString();

        ExecResult result = run("echo go | cat - " + bait);

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.stdout().text()).isEqualTo("go\n").doesNotContain(TestHost.SSH_BAIT);
    }

    @Test
    void anUnknownLaterStageFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> run("touch " + host.work().resolve("started") + " | no-such-filter-xyz"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("no-such-filter-xyz")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_FOUND));
        assertThat(host.work().resolve("started")).doesNotExist();
    }

    @Test
    void runPipelineParsesAndRuns() throws Exception {
        assertThat(sandbox.run(Command.parse("printf 'b\\na\\n' | sort")).stdout().text()).isEqualTo("a\nb\n");
        assertThatThrownBy(() -> sandbox.run(Command.parse("echo hi > /tmp/x"))).isInstanceOf(Command.SyntaxException.class);
    }

    @Test
    void aPythonWriterCutOffByHeadIsNotAFailure() throws Exception {
        // Python ignores SIGPIPE: it fails with BrokenPipeError, as the AWS CLI does
        ExecResult result = run("python3 -c 'import sys\nwhile True: sys.stdout.write(\"x\" * 65536)' | head -c 10");

        assertThat(result.stdout().text()).isEqualTo("xxxxxxxxxx");
        assertThat(result.isSuccess()).as(result.failureSummary() + result.stderr().text()).isTrue();
        assertThat(result.stages().getFirst().brokenPipe()).isTrue();
    }
}
