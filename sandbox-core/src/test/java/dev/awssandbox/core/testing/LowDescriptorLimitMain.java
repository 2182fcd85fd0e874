package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import dev.awssandbox.core.TestBackends;
import dev.awssandbox.core.backend.BubblewrapBackend;

/**
 * A JVM whose descriptor limit is 256 when its sandbox (mode auto, bubblewrap the one backend)
 * runs its first command, and 4096 for the second; prints each outcome on a line:
 * {@code first: ...} and {@code second: ...} (the backend, or the failure).
 */
public final class LowDescriptorLimitMain {
    private LowDescriptorLimitMain() {}

    public static void main(String[] args) throws Exception {
        HostEnvironment host = HostEnvironment.current();
        Sandbox sandbox = TestBackends.first(Sandbox.builder().host(host).policy(SandboxPolicy.builder(host).build())
                .mode(Sandbox.Mode.AUTO), BackendKind.BUBBLEWRAP, new BubblewrapBackend()).build();
        setSoftLimit(256);
        System.out.println("first: " + outcome(sandbox));
        setSoftLimit(4096);
        System.out.println("second: " + outcome(sandbox));
    }

    /** This JVM's soft descriptor limit, by util-linux's prlimit (the hard one stays). */
    private static void setSoftLimit(int soft) throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        Process p = new ProcessBuilder("prlimit", "--pid", pid, "--nofile=" + soft + ":").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("prlimit --nofile=" + soft + " failed");
        }
    }

    private static String outcome(Sandbox sandbox) {
        try {
            return sandbox.run(Command.of("true")).enforcement().backend().name();
        } catch (SandboxException e) {
            return "failed: " + e.getMessage();
        }
    }
}
