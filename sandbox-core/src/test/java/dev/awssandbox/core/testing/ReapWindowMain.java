package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that runs one Landlock command, {@code sh -c 'echo $$ > FILE'} ({@code args[0]}: the
 * file, in the working directory), and then waits to be killed. A test runs it under strace with
 * its {@code waitid} calls held, to stop it between reaping the command and what follows.
 */
public final class ReapWindowMain {
    private ReapWindowMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = Sandbox.builder().host(host).policy(SandboxPolicy.builder(host)
                .addWritePath(file.getParent().toString()).build()).mode(Sandbox.Mode.REQUIRED)
                .backend(BackendKind.LANDLOCK).build();
        sandbox.run(Command.builder(List.of("sh", "-c", "echo $$ > " + file)).build());
        System.out.println("ran");
        Thread.sleep(600_000);
    }
}
