package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.JvmLeftovers;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stream given to {@code Command.Output.streamTo} that throws stops the command: every stage is
 * killed and {@code run} throws {@link SandboxException.Kind#OUTPUT_FAILED} with the stream's
 * exception as the cause. Red team, round 27: the failure was swallowed and {@code yes} ran on for
 * ever, its output read and dropped.
 */
@ExtendWith(TestHostExtension.class)
class FailingOutputStreamTest {
    private Sandbox sandbox;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        sandbox = Sandbox.builder().host(host.environment()).mode(Sandbox.Mode.REQUIRED).build();
    }

    @Test
    void aCommandWhoseStdoutStreamFailsIsKilledAndTheFailureReported() throws Exception {
        String marker = marker();
        BrokenAfterOneWrite stdout = new BrokenAfterOneWrite(new IOException("Broken pipe"));

        SandboxException e = failure(Command.builder(List.of("yes", marker)).stdout(Command.Output.streamTo(stdout)).build());

        assertThat(e.kind()).isEqualTo(SandboxException.Kind.OUTPUT_FAILED);
        assertThat(e).hasRootCause(stdout.failure).hasMessageContaining("yes").hasMessageContaining("Broken pipe");
        assertThat(stdout.first).startsWith(marker + "\n");
        assertThat(yeses(marker)).as("the command after run threw").isEmpty();
    }

    @Test
    void everyStageOfAPipelineIsKilled() throws Exception {
        String marker = marker();
        BrokenAfterOneWrite stdout = new BrokenAfterOneWrite(new IOException("Broken pipe"));

        SandboxException e = failure(Command.parse("yes " + marker + " | cat").toBuilder()
                .stdout(Command.Output.streamTo(stdout)).build());

        assertThat(e.kind()).isEqualTo(SandboxException.Kind.OUTPUT_FAILED);
        assertThat(yeses(marker)).as("the first stage after run threw").isEmpty();
    }

    /** The library's rule is the same for stderr; the CLI gives it a stream that never throws (docs/cli.md). */
    @Test
    void aFailingStderrStreamStopsTheCommandToo() throws Exception {
        String marker = marker();
        BrokenAfterOneWrite stderr = new BrokenAfterOneWrite(new IOException("Broken pipe"));

        SandboxException e = failure(Command.builder(List.of("sh", "-c", "exec yes " + marker + " >&2"))
                .stderr(Command.Output.streamTo(stderr)).build());

        assertThat(e.kind()).isEqualTo(SandboxException.Kind.OUTPUT_FAILED);
        assertThat(yeses(marker)).isEmpty();
    }

    /** The stream is written on the I/O thread every command shares: an unchecked exception must not end it. */
    @Test
    void anUncheckedExceptionOfTheStreamIsReportedAndLaterCommandsStillRun() throws Exception {
        String marker = marker();
        IllegalStateException thrown = new IllegalStateException("the caller's bug");
        OutputStream stdout = new OutputStream() {
            @Override
            public void write(int b) {
                throw thrown;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw thrown;
            }
        };

        SandboxException e = failure(Command.builder(List.of("yes", marker)).stdout(Command.Output.streamTo(stdout)).build());

        assertThat(e.kind()).isEqualTo(SandboxException.Kind.OUTPUT_FAILED);
        assertThat(e).hasRootCause(thrown);
        assertThat(yeses(marker)).isEmpty();
        assertThat(sandbox.run("echo", "still served").stdout().text()).isEqualTo("still served\n");
    }

    /** The command ended by itself, but the caller did not get its output: that is said, not a success. */
    @Test
    void aStreamThatFailsOnTheLastOutputIsStillReported() throws Exception {
        BrokenAfterOneWrite stdout = new BrokenAfterOneWrite(new IOException("Broken pipe"));
        stdout.written = true; // fails at once

        SandboxException e = failure(Command.builder(List.of("echo", "hello")).stdout(Command.Output.streamTo(stdout)).build());

        assertThat(e.kind()).isEqualTo(SandboxException.Kind.OUTPUT_FAILED);
    }

    /** What {@code run} threw, waited for generously (a failing stream used to leave it running for ever). */
    private SandboxException failure(Command command) throws Exception {
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                sandbox.run(command);
                return null;
            } catch (SandboxException e) {
                return e;
            }
        });
        Throwable t = thrown.get(60, TimeUnit.SECONDS);
        assertThat(t).as("what run threw").isInstanceOf(SandboxException.class);
        return (SandboxException) t;
    }

    /** Takes one write, then throws {@code failure} on every write, as a pipe does once its reader has gone. */
    private static final class BrokenAfterOneWrite extends OutputStream {
        final IOException failure;
        volatile String first = "";
        volatile boolean written;

        BrokenAfterOneWrite(IOException failure) {
            this.failure = failure;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written) {
                throw failure;
            }
            written = true;
            first = new String(b, off, len, StandardCharsets.UTF_8);
        }
    }

    private static String marker() {
        return "epipe-" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    }

    /** Every running process whose command line ends in {@code yes MARKER}. */
    private static List<Long> yeses(String marker) throws IOException {
        return JvmLeftovers.running("yes", marker);
    }
}
