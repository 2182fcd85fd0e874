package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.process.PrivateTemp;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The host's {@code /tmp} is shared with every process of the host: the JVM's performance data
 * ({@code /tmp/hsperfdata_USER/PID}, mapped in memory: a command that truncated it crashed the JVM
 * with SIGBUS, and read other JVMs' command lines from the files beside it; found by the red team),
 * other programs' files, other commands' files. A command gets a private temporary directory
 * instead ({@code TMPDIR}; {@code /tmp} itself under bubblewrap), removed when it ends.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class PrivateTempTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Path marker;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        this.host = host;
        marker = Files.createTempFile(Path.of("/tmp"), "aws-sandbox-host-marker-", ".txt");
        Files.writeString(marker, "host file");
    }

    @AfterEach
    void tearDown() throws Exception {
        Files.deleteIfExists(marker);
    }

    private Sandboxes sandboxes() {
        return Sandboxes.of(host, backend);
    }

    @Test
    void theHostsTmpAndTheJvmsPerformanceDataAreOutOfReach() throws Exception {
        Sandboxes sandboxes = sandboxes();
        Path perfData = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"),
                Long.toString(ProcessHandle.current().pid()));

        ExecResult read = sandboxes.inside("cat", marker.toString());
        ExecResult truncate = sandboxes.inside("truncate", "-s", "0", marker.toString());
        ExecResult list = sandboxes.inside("ls", "/tmp/");

        assertThat(read.isSuccess()).isFalse();
        if (backend == BackendKind.LANDLOCK) {
            assertThat(truncate.isSuccess()).isFalse(); // under bubblewrap it made a file of that name in its own /tmp
        }
        assertThat(Files.readString(marker)).isEqualTo("host file");
        assertThat(list.stdout().text()).doesNotContain(marker.getFileName().toString());
        // negative controls: the same attempts work unsandboxed (the truncate last)
        assertThat(sandboxes.outside("cat", marker.toString()).stdout().text()).isEqualTo("host file");
        assertThat(sandboxes.outside("ls", "/tmp/").stdout().text()).contains(marker.getFileName().toString());
        assertThat(sandboxes.outside("truncate", "-s", "0", marker.toString()).isSuccess()).isTrue();

        if (Files.exists(perfData)) {
            assertThat(sandboxes.inside("head", "-c", "1", perfData.toString()).isSuccess()).isFalse();
            assertThat(sandboxes.inside("sh", "-c", ": >> " + perfData).isSuccess()).isFalse(); // opened for writing
            assertThat(sandboxes.outside("head", "-c", "1", perfData.toString()).isSuccess()).isTrue(); // control
        } else {
            System.err.println("SKIPPED the performance-data check: this JVM keeps none (" + perfData + ")");
        }
    }

    @Test
    void eachCommandHasAnEmptyPrivateTemporaryDirectoryAndLeavesNothingForTheNext() throws Exception {
        Sandboxes sandboxes = sandboxes();
        ExecResult first = sandboxes.inside("sh", "-c", "echo \"$TMPDIR\"; ls -A \"$TMPDIR\" | wc -l;"
                + " f=$(mktemp) && echo data > \"$f\" && cat \"$f\"; python3 -c 'import tempfile; print(tempfile.gettempdir())';"
                + " echo left > \"$TMPDIR/leftover\"; mkdir -m 000 \"$TMPDIR/locked\"; ln -s /etc/passwd \"$TMPDIR/link\"");

        assertThat(first.isSuccess()).as(first.stderr().text()).isTrue();
        List<String> lines = first.stdout().text().lines().toList();
        String tmpdir = lines.get(0);
        assertThat(lines.subList(1, 4)).containsExactly("0", "data", tmpdir);
        if (backend == BackendKind.BUBBLEWRAP) {
            assertThat(tmpdir).isEqualTo("/tmp");
        } else {
            Path dir = Path.of(tmpdir);
            assertThat(dir.startsWith(PrivateTemp.root())).as(tmpdir).isTrue();
            assertThat(!Files.exists(dir) || isEmpty(dir)).as("emptied with the command").isTrue();
        }
        for (int i = 0; i < 3; i++) {
            ExecResult next = sandboxes.inside("sh", "-c", "ls -A \"$TMPDIR\" | wc -l");
            assertThat(next.stdout().text()).isEqualTo("0\n");
        }
        assertThat(Files.exists(Path.of("/etc/passwd"))).isTrue(); // the link was removed, not followed
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Each stage its own (stages may run under different policies), and never another command's. */
    @Test
    void commandsAndStagesDoNotShareTemporaryFiles() throws Exception {
        Sandbox sandbox = sandboxes().sandboxed();
        Path ready = host.work().resolve("ready");
        CompletableFuture<ExecResult> holder = sandbox.runAsync(Command.builder(List.of("sh", "-c",
                "echo secret > \"$TMPDIR/s\" && touch " + ready + " && sleep 20")).timeout(Duration.ofSeconds(60)).build());
        try {
            for (int i = 0; i < 200 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertThat(ready).exists();
            List<Path> others;
            try (var dirs = Files.list(PrivateTemp.root())) {
                others = dirs.map(d -> d.resolve("s")).filter(Files::exists).toList();
            }
            assertThat(others).hasSize(1);
            Path secret = others.getFirst();

            ExecResult reach = Sandboxes.run(sandbox, "cat", secret.toString());
            assertThat(reach.isSuccess()).isFalse();
            assertThat(reach.stdout().text()).doesNotContain("secret");
            assertThat(Sandboxes.run(sandboxes().unsandboxed(), "cat", secret.toString()).stdout().text())
                    .isEqualTo("secret\n"); // control
        } finally {
            holder.cancel(true);
            try {
                holder.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // cancelled: the command was killed
            }
        }

        ExecResult stages = sandbox.run(Command.pipeline(List.of(
                List.of("sh", "-c", "echo one > \"$TMPDIR/a\" && echo \"$TMPDIR\""),
                List.of("sh", "-c", "cat >/dev/null; if test -e \"$TMPDIR/a\"; then echo shared; else echo own; fi"))));
        assertThat(stages.stdout().text()).isEqualTo("own\n");
    }

    /**
     * A writable grant of the host's /tmp (or anything above it), or any grant inside what belongs to
     * aws-sandbox or a JVM there, is refused with the reason; running from /tmp gives the command no
     * access to it.
     */
    @Test
    void theHostsTmpCannotBeGrantedAndRunningFromItGivesItNoAccess() throws Exception {
        HostEnvironment env = host.environment();
        for (SandboxPolicy policy : List.of(
                SandboxPolicy.builder(env).addWritePath("/tmp").build(),
                SandboxPolicy.builder(env).addWritePath("/").build(),
                SandboxPolicy.builder(env).addReadPath(PrivateTemp.root().toString()).build())) {
            Sandbox sandbox = Sandbox.builder().host(env).policy(policy).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            assertThatThrownBy(() -> sandbox.run("true")).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("aws-sandbox").hasMessageContaining("JVM")
                    .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.INVALID_REQUEST));
        }

        HostEnvironment inTmp = env.withWorkingDirectory(Path.of("/tmp"));
        Sandboxes fromTmp = Sandboxes.of(inTmp, SandboxPolicy.defaults(inTmp), backend);
        ExecResult result = fromTmp.inside("cat", marker.toString());
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.enforcement().notes()).anySatisfy(n -> assertThat(n)
                .contains("the working directory /tmp is not given to the command"));
        assertThat(fromTmp.outside("cat", marker.toString()).isSuccess()).isTrue(); // control
    }
}
