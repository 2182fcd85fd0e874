package dev.awssandbox.core.testing;

import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;

/**
 * Pushes {@code args[0]} bytes through a sandboxed two-stage pipeline into the JVM, which
 * captures 1 MiB and counts the rest. Run in a JVM with a small heap by {@code BoundedMemoryTest}.
 */
public final class FloodMain {
    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]);
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(host), Sandbox.Mode.REQUIRED);
        ExecResult result = sandbox.run(Command.parse("head -c " + bytes + " /dev/zero | cat").toBuilder()
                .stdout(Command.Output.capture(1 << 20)).build());
        System.out.println("total=" + result.stdout().totalBytes() + " kept=" + result.stdout().bytes().length
                + " truncated=" + result.stdout().truncated() + " success=" + result.isSuccess()
                + " backend=" + result.backend().label());
    }
}
