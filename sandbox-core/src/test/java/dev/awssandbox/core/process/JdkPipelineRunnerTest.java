package dev.awssandbox.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.OutputTarget;
import dev.awssandbox.core.StdinSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The portable engine that runs Seatbelt's sandbox-exec on macOS, exercised here on Linux with
 * plain commands (what it runs is platform-neutral JDK code).
 */
class JdkPipelineRunnerTest {

    private static PipelineRunner.Stage stage(String... argv) {
        Path exe = Path.of("/usr/bin", argv[0]);
        return new PipelineRunner.Stage(List.of(argv),
                new SpawnSpec(exe, List.of(argv), Map.of("PATH", "/usr/bin:/bin"), Path.of("/"),
                        dev.awssandbox.core.linux.ThreadRestriction.NONE, Optional.empty(), dev.awssandbox.core.ResourceLimits.NONE),
                EnforcementReport.unsandboxed(true, List.of()));
    }

    @Test
    void runsAPipelineWithStdinAndPipefail() throws Exception {
        ExecResult ok = JdkPipelineRunner.run(List.of(stage("tr", "a-z", "A-Z"), stage("rev")),
                StdinSource.of("abc\n".getBytes(StandardCharsets.UTF_8)), OutputTarget.capture(), OutputTarget.capture(),
                Optional.empty()).result();
        assertThat(ok.stdout().text()).isEqualTo("CBA\n");
        assertThat(ok.isSuccess()).isTrue();

        ExecResult failed = JdkPipelineRunner.run(List.of(stage("sh", "-c", "echo x; exit 3"), stage("cat")),
                StdinSource.empty(), OutputTarget.capture(), OutputTarget.capture(), Optional.empty()).result();
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.failedStage()).hasValue(0);
    }

    @Test
    void anEarlyExitDownstreamIsNotAFailure() throws Exception {
        ExecResult result = JdkPipelineRunner.run(List.of(stage("yes"), stage("head", "-1")), StdinSource.empty(),
                OutputTarget.capture(), OutputTarget.capture(), Optional.empty()).result();

        assertThat(result.isSuccess()).isTrue();
        assertThat(result.stages().getFirst().brokenPipe()).isTrue();
    }

    @Test
    void theDeadlineKillsEveryStage() throws Exception {
        ExecResult result = JdkPipelineRunner.run(List.of(stage("sleep", "30"), stage("cat")), StdinSource.empty(),
                OutputTarget.capture(), OutputTarget.capture(), Optional.of(Duration.ofMillis(300))).result();

        assertThat(result.timedOut()).isTrue();
        assertThat(result.duration()).isLessThan(Duration.ofSeconds(20));
    }
}
