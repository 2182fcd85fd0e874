package dev.awssandbox.core.testing;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.util.Arrays;
import java.util.List;

/**
 * Gives {@code args[0]} bytes of stdin to a sandboxed {@code wc -c} and prints what it counted.
 * With {@code args[1] = copy} it first makes one copy of the array itself: the negative control,
 * which shows that the small heap {@code BoundedMemoryTest} gives this JVM has no room for one.
 */
public final class StdinBytesMain {
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        Sandbox sandbox = Sandbox.create(SandboxPolicy.defaults(HostEnvironment.current()), Sandbox.Mode.REQUIRED);
        sandbox.run("true"); // the engine's threads and classes, before the big array
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        if (args.length > 1 && args[1].equals("copy")) {
            data = data.clone();
        }
        ExecResult result = sandbox.run(Command.builder(List.of("wc", "-c")).stdin(data).build());
        System.out.println("counted=" + result.stdout().text().strip() + " success=" + result.isSuccess());
    }
}
