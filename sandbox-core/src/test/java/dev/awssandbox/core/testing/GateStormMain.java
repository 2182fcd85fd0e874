package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.util.List;

/**
 * A JVM that is stopped and killed by a test while it spawns: four threads run sandboxed
 * {@code /bin/true} on backend {@code args[0]} without pause, so that at almost any moment some
 * child is between its fork and its exec, waiting at its spawn gate. Prints "started" once the
 * first command has run.
 */
public final class GateStormMain {
    private GateStormMain() {}

    public static void main(String[] args) throws Exception {
        BackendKind backend = BackendKind.valueOf(args[0]);
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = Sandbox.builder().host(host).policy(SandboxPolicy.builder(host).build())
                .mode(Sandbox.Mode.REQUIRED).backend(backend).build();
        Command command = Command.builder(List.of("/bin/true")).build();
        sandbox.run(command);
        for (int i = 0; i < 4; i++) {
            Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        sandbox.run(command);
                    }
                } catch (dev.awssandbox.core.SandboxException e) {
                    System.out.println("failed: " + e.getMessage());
                }
            });
        }
        System.out.println("started");
        Thread.sleep(600_000);
    }
}
