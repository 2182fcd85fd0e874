package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Filesystem isolation under Landlock. Every denial is paired with a negative control: the same
 * command, same policy, run unsandboxed, succeeds.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class FilesystemIsolationTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Sandboxes sandboxes;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
        sandboxes = Sandboxes.of(host, backend);
    }

    @Test
    void readOfBaitInHomeIsDenied() {
        String bait = host.home().resolve(".ssh/id_ed25519").toString();

        ExecResult control = sandboxes.outside("cat", bait);
        ExecResult sandboxed = sandboxes.inside("cat", bait);

        assertThat(control.isSuccess()).isTrue();
        assertThat(control.stdout().text()).isEqualTo(TestHost.SSH_BAIT);
        assertThat(sandboxed.isSuccess()).isFalse();
        assertThat(sandboxed.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
        // Landlock denies the open; under bubblewrap the file is not there at all
        assertThat(sandboxed.stderr().text()).contains(backend == BackendKind.LANDLOCK ? "Permission denied" : "No such file");
        assertThat(sandboxed.backend()).isEqualTo(backend);
    }

    @Test
    void listingOfHomeIsDenied() {
        ExecResult control = sandboxes.outside("ls", host.home().resolve(".ssh").toString());
        ExecResult sandboxed = sandboxes.inside("ls", host.home().resolve(".ssh").toString());

        assertThat(control.stdout().text()).contains("id_ed25519");
        assertThat(sandboxed.isSuccess()).isFalse();
        assertThat(sandboxed.stdout().text()).doesNotContain("id_ed25519");
    }

    @Test
    void readInsideAnAddedReadPathIsAllowed() {
        Path file = host.outsideFile("allowed.txt", "visible");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Sandboxes withRead = Sandboxes.of(host.environment(), policy, backend);

        assertThat(sandboxes.inside("cat", file.toString()).isSuccess()).isFalse();
        ExecResult allowed = withRead.inside("cat", file.toString());
        assertThat(allowed.isSuccess()).isTrue();
        assertThat(allowed.stdout().text()).isEqualTo("visible");
    }

    @Test
    void readOnlyPathCannotBeWritten() throws Exception {
        Path file = host.outsideFile("ro.txt", "original");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Sandboxes withRead = Sandboxes.of(host.environment(), policy, backend);

        ExecResult sandboxed = withRead.inside("sh", "-c", "echo changed > " + file);

        assertThat(sandboxed.isSuccess()).isFalse();
        assertThat(Files.readString(file)).isEqualTo("original");
        assertThat(withRead.outside("sh", "-c", "echo changed > " + file).isSuccess()).isTrue();
        assertThat(Files.readString(file)).isEqualTo("changed\n");
    }

    @Test
    void writeOutsideThePolicyIsDenied() {
        Path target = host.outside().resolve("created.txt");

        ExecResult sandboxed = sandboxes.inside("touch", target.toString());
        assertThat(sandboxed.isSuccess()).isFalse();
        assertThat(target).doesNotExist();

        assertThat(sandboxes.outside("touch", target.toString()).isSuccess()).isTrue();
        assertThat(target).exists();
    }

    @Test
    void writeToTheTemporaryDirectoryAndTheWorkingDirectoryIsAllowed() throws Exception {
        Path inWork = host.work().resolve("written.txt");

        ExecResult tmp = sandboxes.inside("sh", "-c", "echo tmp > \"$TMPDIR/written.txt\" && cat \"$TMPDIR/written.txt\"");
        ExecResult work = sandboxes.inside("sh", "-c", "echo work > " + inWork);

        assertThat(tmp.isSuccess()).as(tmp.stderr().text()).isTrue();
        assertThat(tmp.stdout().text()).isEqualTo("tmp\n");
        assertThat(work.isSuccess()).as(work.stderr().text()).isTrue();
        assertThat(Files.readString(inWork)).isEqualTo("work\n");
    }

    @Test
    void addedWritePathIsWritable() throws Exception {
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addWritePath(host.outside().toString()).build();
        Sandboxes withWrite = Sandboxes.of(host.environment(), policy, backend);
        Path target = host.outside().resolve("made.txt");

        ExecResult result = withWrite.inside("touch", target.toString());

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(target).exists();
    }

    @Test
    void hardLinkOfOutsideFileIntoTmpIsDenied() throws Exception {
        Path secret = host.outsideFile("secret.txt", "secret");
        Path link = Files.createTempDirectory("aws-sandbox-link-test").resolve("link");
        try {
            ExecResult sandboxed = sandboxes.inside("ln", secret.toString(), link.toString());
            assertThat(sandboxed.isSuccess()).isFalse();
            assertThat(link).doesNotExist();

            ExecResult control = sandboxes.outside("ln", secret.toString(), link.toString());
            assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
            assertThat(Files.readString(link)).isEqualTo("secret");
        } finally {
            Files.deleteIfExists(link);
            Files.delete(link.getParent());
        }
    }

    @Test
    void renameOfOutsideFileIntoTmpIsDenied() throws Exception {
        Path secret = host.outsideFile("moved.txt", "secret");
        Path target = Files.createTempDirectory("aws-sandbox-rename-test").resolve("moved");
        try {
            ExecResult sandboxed = sandboxes.inside("mv", secret.toString(), target.toString());
            assertThat(sandboxed.isSuccess()).isFalse();
            assertThat(secret).exists();
            assertThat(target).doesNotExist();

            assertThat(sandboxes.outside("mv", secret.toString(), target.toString()).isSuccess()).isTrue();
            assertThat(target).exists();
        } finally {
            Files.deleteIfExists(target);
            Files.delete(target.getParent());
        }
    }

    @Test
    void truncateOfOutsideFileIsDenied() throws Exception {
        Path file = host.outsideFile("big.txt", "content that must survive");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Sandboxes withRead = Sandboxes.of(host.environment(), policy, backend);

        ExecResult sandboxed = withRead.inside("truncate", "-s", "0", file.toString());
        assertThat(sandboxed.isSuccess()).isFalse();
        assertThat(Files.size(file)).isPositive();

        assertThat(withRead.outside("truncate", "-s", "0", file.toString()).isSuccess()).isTrue();
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void devicesAndSystemFilesAreUsable() {
        ExecResult result = sandboxes.inside("sh", "-c",
                "echo x > /dev/null && head -c 4 /dev/urandom | wc -c && head -c 2 /dev/zero | wc -c"
                        + " && cat /etc/hosts /etc/resolv.conf > /dev/null && ls /usr/share/zoneinfo/UTC");

        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(result.stdout().text()).contains("4\n2\n").contains("/usr/share/zoneinfo/UTC");
    }

    @Test
    void otherProcessesEnvironAndCmdlineAreUnreadable() throws Exception {
        Process planted = new ProcessBuilder("sleep", "60").start();
        try {
            String environ = "/proc/" + planted.pid() + "/environ";
            String cmdline = "/proc/" + planted.pid() + "/cmdline";

            assertThat(sandboxes.outside("cat", cmdline).stdout().text()).contains("sleep");
            ExecResult env = sandboxes.inside("cat", environ);
            ExecResult cmd = sandboxes.inside("cat", cmdline);
            assertThat(env.isSuccess()).isFalse();
            assertThat(env.stdout().totalBytes()).isZero();
            assertThat(cmd.isSuccess()).isFalse();
            assertThat(cmd.stdout().text()).doesNotContain("sleep");
        } finally {
            planted.destroyForcibly().waitFor();
        }
    }

    /** Regression: rulesets are cached; a granted directory replaced by another must not keep the old rule. */
    @Test
    void aReplacedDirectoryIsGrantedAfresh() throws Exception {
        Path dir = Files.createDirectories(host.outside().resolve("data"));
        Files.writeString(dir.resolve("one.txt"), "one");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(dir.toString()).build();
        Sandboxes withRead = Sandboxes.of(host.environment(), policy, backend);
        assertThat(withRead.inside("cat", dir.resolve("one.txt").toString()).stdout().text()).isEqualTo("one");

        Files.delete(dir.resolve("one.txt"));
        Files.delete(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("two.txt"), "two");

        ExecResult again = withRead.inside("cat", dir.resolve("two.txt").toString());
        assertThat(again.isSuccess()).as(again.stderr().text()).isTrue();
        assertThat(again.stdout().text()).isEqualTo("two");
    }
    /**
     * A grant beneath /dev (a shared-memory directory of its own) is bound, and writable, on every
     * backend: under bubblewrap it was hidden by the fresh /dev (red team, round 12). The control:
     * without the grant the same write is refused.
     */
    @Test
    void aWritableGrantBeneathDevIsWritable() throws Exception {
        Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "aws-sandbox-test-");
        try {
            HostEnvironment env = host.environment();
            String write = "echo shared > " + shm.resolve("out.txt") + " && cat " + shm.resolve("out.txt");
            assertThat(sandboxes.inside("sh", "-c", write).isSuccess()).as("without the grant").isFalse();
            Sandbox granted = Sandbox.builder().host(env).policy(SandboxPolicy.builder(env).addWritePath(shm.toString())
                    .build()).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            ExecResult result = granted.run("sh", "-c", write);
            assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
            assertThat(shm.resolve("out.txt")).hasContent("shared");
        } finally {
            try (var files = Files.list(shm)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(shm);
        }
    }
}
