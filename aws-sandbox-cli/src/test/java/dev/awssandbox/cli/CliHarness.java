package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.testing.TestHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The CLI tests' one harness: {@code aws-sandbox} run in-process, as {@code main} runs it, on a
 * fresh {@link TestHost} that is deleted after each test; each run gets its own captured stdout
 * and stderr.
 *
 * <pre>{@code
 * @RegisterExtension final CliHarness cli = new CliHarness();
 *
 * CliHarness.Run r = cli.run("run", "--", "true");
 * assertThat(r.code()).isZero();
 * }</pre>
 */
final class CliHarness implements AfterEachCallback {
    private final TestHost host = new TestHost();
    private byte[] stdin = new byte[0];
    private HostEnvironment.Platform platform = HostEnvironment.Platform.current();
    private UnaryOperator<Sandbox.Builder> sandboxes = UnaryOperator.identity();

    /** What one run of aws-sandbox did. */
    record Run(int code, String out, String err) {
        /**
         * The error line, checked: apart from warnings and notes, stderr is exactly one line
         * {@code aws-sandbox: error: …}, with no stack trace.
         */
        String error() {
            List<String> lines = err.lines()
                    .filter(l -> !l.startsWith("aws-sandbox: warning: ") && !l.startsWith("aws-sandbox: note: ")).toList();
            assertThat(lines).as("stderr apart from warnings: one line\n%s", err).hasSize(1);
            assertThat(err).as("no stack trace").doesNotContain("\tat ").doesNotContain("Caused by");
            assertThat(lines.getFirst()).startsWith("aws-sandbox: error: ");
            return lines.getFirst();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        host.close();
    }

    TestHost host() {
        return host;
    }

    /** Later runs read {@code text} on stdin (none by default). */
    CliHarness stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Later runs see this platform (e.g. a simulated macOS). */
    CliHarness platform(HostEnvironment.Platform simulated) {
        platform = simulated;
        return this;
    }

    /** Later runs adjust the sandboxes they build with this (e.g. a simulated backend). */
    CliHarness sandboxes(UnaryOperator<Sandbox.Builder> adjust) {
        sandboxes = adjust;
        return this;
    }

    Run run(String... args) {
        return run(text -> { }, args);
    }

    /** Runs, calling {@code outputSoFar} with all of stdout after each write to it. */
    Run run(Consumer<String> outputSoFar, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream watched = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(b, off, len);
                outputSoFar.accept(out.toString(StandardCharsets.UTF_8));
            }
        };
        HostEnvironment environment = host.environment();
        CliContext context = new CliContext(new ByteArrayInputStream(stdin),
                new PrintStream(watched, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new HostEnvironment(environment.variables(), host.work(), platform), sandboxes);
        int code = AwsSandboxCli.execute(context, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
