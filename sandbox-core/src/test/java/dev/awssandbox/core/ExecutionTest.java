package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Running one sandboxed command: input, output, status, timeout, directory, errors. */
@ExtendWith(TestHostExtension.class)
class ExecutionTest {
    private TestHost host;
    private Sandbox sandbox;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host.set("AWS_SECRET_ACCESS_KEY", "super-secret-value-42");
        sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
    }

    @Test
    void stdinBytesReachTheCommand() throws Exception {
        ExecResult result = sandbox.run(Command.builder(List.of("tr", "a-z", "A-Z"))
                .stdin("hello sandbox".getBytes(StandardCharsets.UTF_8)).build());

        assertThat(result.stdout().text()).isEqualTo("HELLO SANDBOX");
        assertThat(result.status()).isEqualTo(new ExitStatus.Exited(0));
    }

    @Test
    void aStdinStreamThatNeverEndsDoesNotKeepTheCommandsPipe() throws Exception {
        // a stream with no data and no end: the copying thread blocks in read(); the pipe must not stay,
        // nor a thread per command (issue 14, item 6: one thread and one descriptor stayed per call)
        java.io.PipedOutputStream never = new java.io.PipedOutputStream();
        java.io.PipedInputStream input = new java.io.PipedInputStream(never);
        long threadsBefore = stdinThreads();
        sandbox.run(Command.builder(List.of("true")).stdin(Command.Input.from(input)).build()); // warm
        long before = openDescriptors();
        for (int i = 0; i < 30; i++) {
            ExecResult result = sandbox.run(Command.builder(List.of("true")).stdin(Command.Input.from(input)).build());
            assertThat(result.isSuccess()).isTrue();
        }
        assertThat(openDescriptors() - before).as("descriptors kept by 30 runs").isLessThan(5);
        assertThat(stdinThreads() - threadsBefore).as("threads reading the stream after 31 runs").isLessThanOrEqualTo(1);

        never.close(); // the stream ends: its one reader goes too
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stdinThreads() > threadsBefore && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stdinThreads()).as("threads reading the stream once it ended").isEqualTo(threadsBefore);
    }

    @Test
    void bytesReadFromAStreamAfterItsCommandEndedGoToTheNextCommandThatReadsIt() throws Exception {
        // the first command ends while a read of the stream is blocked; what that read returns is not lost
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);
        byte[] late = "late bytes\n".getBytes(StandardCharsets.UTF_8);
        java.io.InputStream stream = new java.io.InputStream() {
            private int reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (reads++ > 0) {
                    return -1;
                }
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                System.arraycopy(late, 0, b, off, late.length);
                returned.countDown();
                return late.length;
            }
        };
        // a command that does not read; it is cancelled (its thread interrupted) while the read is under way
        java.util.concurrent.atomic.AtomicReference<Exception> firstOutcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                sandbox.run(Command.builder(List.of("sleep", "60")).stdin(Command.Input.from(stream)).build());
            } catch (SandboxException e) {
                firstOutcome.set(e);
            }
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        first.interrupt();
        first.join(30_000);
        assertThat(firstOutcome.get()).as("the first command was cancelled").hasMessageContaining("cancelled");
        release.countDown();
        assertThat(returned.await(30, TimeUnit.SECONDS)).isTrue();

        ExecResult second = sandbox.run(Command.builder(List.of("cat")).stdin(Command.Input.from(stream)).build());

        assertThat(second.stdout().text()).isEqualTo("late bytes\n");
    }

    @Test
    void stdinBytesAreNotCopied() throws Exception {
        // 100 MB of stdin used to cost ~5x its size; the bytes are now read where the caller keeps them
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        Command command = Command.builder(List.of("cat")).stdin(data).build();
        data[0] = 'x'; // not copied: the command reads the caller's array (documented: leave it unchanged)

        assertThat(sandbox.run(command).stdout().text()).isEqualTo("xbc");
        assertThat(sandbox.run(command).stdout().text()).as("a second run reads from the start").isEqualTo("xbc");
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.UTF_8)).position(4);
        assertThat(sandbox.run(Command.builder(List.of("cat")).stdin(Command.Input.of(buffer)).build()).stdout().text())
                .as("a buffer's remaining bytes").isEqualTo("456789");
        assertThat(buffer.position()).as("the caller's position is not moved").isEqualTo(4);
    }

    private static long stdinThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("aws-sandbox-stdin")).count();
    }

    @Test
    void aFileThatIsNeitherABinaryNorAScriptIsRefusedAsExecveWould() throws Exception {
        // it used to be run by /bin/sh (util-linux prlimit's execvp fell back to it on ENOEXEC)
        Path notAProgram = Files.writeString(host.work().resolve("plain"), "echo this would run in sh\n");
        notAProgram.toFile().setExecutable(true);

        assertThatThrownBy(() -> sandbox.run(notAProgram.toString()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("Exec format error");
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void withoutStdinTheCommandSeesEndOfFile() throws Exception {
        ExecResult result = sandbox.run("wc", "-c");

        assertThat(result.stdout().text().strip()).isEqualTo("0");
    }

    @Test
    void exitCodeAndStderrAreReported() throws Exception {
        ExecResult result = sandbox.run("sh", "-c", "echo out; echo err >&2; exit 7");

        assertThat(result.status()).isEqualTo(new ExitStatus.Exited(7));
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.stdout().text()).isEqualTo("out\n");
        assertThat(result.stderr().text()).isEqualTo("err\n");
        assertThat(result.duration()).isPositive();
    }

    @Test
    void aSignalIsReportedAsSuch() throws Exception {
        ExecResult result = sandbox.run("sh", "-c", "kill -KILL $$");

        assertThat(result.status()).isEqualTo(new ExitStatus.Signaled(9, false));
        assertThat(result.exitCode()).isEqualTo(137);
    }

    @Test
    void timeoutKillsTheCommandAndSaysSo() throws Exception {
        long start = System.nanoTime();
        ExecResult result = sandbox.run(Command.builder(List.of("sleep", "30"))
                .timeout(Duration.ofMillis(300)).build());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.status()).isEqualTo(new ExitStatus.Signaled(9, false));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void timeoutAlsoKillsTheCommandsChildren() throws Exception {
        Path pidFile = host.work().resolve("child.pid");
        ExecResult result = sandbox.run(Command.builder(List.of("sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"))
                .timeout(Duration.ofMillis(500)).build());

        assertThat(result.timedOut()).as("%s", result).isTrue();
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(waitUntilGone(child)).as("background child %d killed", child).isTrue();
    }

    @Test
    void backgroundChildrenDoNotOutliveANormalExit() throws Exception {
        Path pidFile = host.work().resolve("bg.pid");
        ExecResult result = sandbox.run("sh", "-c", "sleep 30 > /dev/null 2>&1 & echo $! > " + pidFile);

        assertThat(result.isSuccess()).isTrue();
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(waitUntilGone(child)).as("background child %d killed", child).isTrue();
    }

    private static boolean waitUntilGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(50);
            } else {
                return true;
            }
        }
        return false;
    }

    @Test
    void workingDirectoryIsHonoured() throws Exception {
        ExecResult result = sandbox.run(Command.builder(List.of("pwd")).workingDirectory(Path.of("/usr/share")).build());

        assertThat(result.stdout().text()).isEqualTo("/usr/share\n");
    }

    @Test
    void captureLimitTruncatesAndCounts() throws Exception {
        ExecResult result = sandbox.run(Command.builder(List.of("head", "-c", "100000", "/dev/zero"))
                .stdout(Command.Output.capture(1000)).build());

        assertThat(result.stdout().bytes()).hasSize(1000);
        assertThat(result.stdout().totalBytes()).isEqualTo(100_000);
        assertThat(result.stdout().truncated()).isTrue();
        assertThat(result.isSuccess()).isTrue();
    }

    @Test
    void streamedOutputArrivesAndIsNotKept() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ExecResult result = sandbox.run(Command.builder(List.of("echo", "streamed"))
                .stdout(Command.Output.streamTo(sink)).build());

        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("streamed\n");
        assertThat(result.stdout().bytes()).isEmpty();
        assertThat(result.stdout().totalBytes()).isEqualTo(9);
    }

    @Test
    void nulBytesAreRejected() {
        assertThatThrownBy(() -> Command.of("echo", "a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> sandbox(host.set("LANG", "C\0x")).run("true"))
                .isInstanceOf(SandboxException.class).hasMessageContaining("NUL");
    }

    private static Sandbox sandbox(TestHost host) {
        return Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
    }

    @Test
    void unknownProgramIsNotFound() {
        assertThatThrownBy(() -> sandbox.run("no-such-program-aws-sandbox"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("no-such-program-aws-sandbox")
                .hasMessageContaining("landlock")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_FOUND));
    }

    @Test
    void aFileThatExistsButIsNotExecutableIsNotExecutableNotMissing() throws Exception {
        // issue 14, item 6: /etc/passwd was reported as "no such executable file" (the CLI's 127, not 126)
        assertThatThrownBy(() -> sandbox.run("/etc/passwd"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("/etc/passwd: not executable (no execute permission)")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_EXECUTABLE));
        assertThatThrownBy(() -> sandbox.run("/etc"))
                .hasMessageContaining("/etc: it is a directory")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_EXECUTABLE));
        Path plain = Files.writeString(host.work().resolve("notes.txt"), "not a program\n");
        assertThatThrownBy(() -> sandbox.run(Command.builder(List.of("./notes.txt")).workingDirectory(host.work()).build()))
                .hasMessageContaining("./notes.txt: not executable")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_EXECUTABLE));
        // the control: what does not exist stays not found
        assertThatThrownBy(() -> sandbox.run("/etc/no-such-file-aws-sandbox"))
                .hasMessageContaining("/etc/no-such-file-aws-sandbox: no such file or directory")
                .satisfies(e -> assertThat(((SandboxException) e).kind()).isEqualTo(SandboxException.Kind.NOT_FOUND));
        assertThat(plain).exists();
    }

    @Test
    void programOutsideThePolicyCannotBeExecuted() throws Exception {
        // a copy of /bin/true in a directory the policy does not grant (symlinks would resolve into /usr)
        Path dir = Files.createDirectories(host.outside().resolve("bin2"));
        Path program = dir.resolve("mytrue");
        Files.copy(Path.of("/bin/true"), program);
        Sandbox noChain = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
        // the executable itself is granted by design; a program it execs from outside is not
        ExecResult viaShell = noChain.run("sh", "-c", program.toString());
        assertThat(viaShell.isSuccess()).isFalse();
        assertThat(viaShell.stderr().text()).contains("Permission denied");
        assertThat(Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.DISABLED).build()
                .run("sh", "-c", program.toString()).isSuccess()).isTrue();
        // asked for directly, it runs: the executable chain is granted
        assertThat(noChain.run(program.toString()).isSuccess()).isTrue();
    }

    @Test
    void errorMessagesNeverContainSecretValues() {
        assertThatThrownBy(() -> sandbox.run("no-such-program", "--secret", "super-secret-value-42"))
                .isInstanceOf(SandboxException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("super-secret-value-42");
                    assertThat(String.valueOf(e.getCause())).doesNotContain("super-secret-value-42");
                });
    }

    @Test
    void cancellingTheFutureKillsTheCommand() throws Exception {
        Path pidFile = host.work().resolve("cancel.pid");
        CompletableFuture<ExecResult> future =
                sandbox.runAsync(Command.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"));
        for (int i = 0; i < 100 && !(Files.exists(pidFile) && Files.size(pidFile) > 0); i++) {
            Thread.sleep(50);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());

        future.cancel(true);

        assertThatThrownBy(() -> future.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(waitUntilGone(pid)).isTrue();
    }

    @Test
    void asyncRunCompletesWithTheResult() throws Exception {
        ExecResult result = sandbox.runAsync(Command.of("echo", "async")).get(30, TimeUnit.SECONDS);

        assertThat(result.stdout().text()).isEqualTo("async\n");
    }
}
