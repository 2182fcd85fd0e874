package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * The streams and host a command runs against: the real ones in main, captured ones in tests,
 * which may also adjust the sandboxes {@code doctor} builds (e.g. a simulated macOS backend).
 */
record CliContext(InputStream in, PrintStream out, PrintStream err, HostEnvironment host,
                  UnaryOperator<Sandbox.Builder> sandboxes) {

    CliContext(InputStream in, PrintStream out, PrintStream err, HostEnvironment host) {
        this(in, out, err, host, UnaryOperator.identity());
    }

    static CliContext system() {
        return new CliContext(System.in, System.out, System.err, HostEnvironment.current());
    }
}
