package dev.awssandbox.cli;

import dev.awssandbox.core.HostEnvironment;
import java.io.InputStream;
import java.io.PrintStream;

/** The streams and host a command runs against: the real ones in main, captured ones in tests. */
record CliContext(InputStream in, PrintStream out, PrintStream err, HostEnvironment host) {

    static CliContext system() {
        return new CliContext(System.in, System.out, System.err, HostEnvironment.current());
    }
}
