package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * A JVM that is killed by a test: it starts a sandboxed {@code sleep} (which writes its pid to
 * {@code args[1]}) on backend {@code args[0]}, and, as the negative control, an unsandboxed
 * {@code setsid sleep} of its own (pid to {@code args[2]}), then waits to be killed.
 */
public final class SandboxedSleepMain {
    private SandboxedSleepMain() {}

    public static void main(String[] args) throws Exception {
        BackendKind backend = BackendKind.valueOf(args[0]);
        Path sandboxedPid = Path.of(args[1]);
        Path controlPid = Path.of(args[2]);
        HostEnvironment host = HostEnvironment.current();
        SandboxPolicy policy = SandboxPolicy.builder(host).addWritePath(sandboxedPid.getParent().toString()).build();
        Sandbox sandbox = Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.REQUIRED)
                .backend(backend).build();
        Process control = new ProcessBuilder("setsid", "sh", "-c", "echo $$ > " + controlPid + "; exec sleep 300").start();
        sandbox.runAsync(Command.builder(List.of("sh", "-c", "echo $$ > " + sandboxedPid + "; exec sleep 300")).build());
        System.out.println("started " + control.pid());
        Thread.sleep(600_000);
    }
}
