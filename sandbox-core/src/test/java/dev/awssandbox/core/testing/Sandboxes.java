package dev.awssandbox.core.testing;

import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.core.SandboxPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Pairs for negative controls: the same policy run sandboxed ({@code required}, so nothing can
 * silently fall back) and unsandboxed ({@code disabled}).
 */
public record Sandboxes(Sandbox sandboxed, Sandbox unsandboxed) {

    public static Sandboxes of(HostEnvironment host, SandboxPolicy policy) {
        return new Sandboxes(
                Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.REQUIRED).build(),
                Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.DISABLED).build());
    }

    public static Sandboxes of(TestHost host) {
        return of(host.environment(), SandboxPolicy.defaults(host.environment()));
    }

    /** The pair with the sandboxed side forced onto one backend. */
    public static Sandboxes of(HostEnvironment host, SandboxPolicy policy, dev.awssandbox.core.BackendKind backend) {
        return new Sandboxes(
                Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.REQUIRED)
                        .backend(backend).build(),
                Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.DISABLED).build());
    }

    public static Sandboxes of(TestHost host, dev.awssandbox.core.BackendKind backend) {
        return of(host.environment(), SandboxPolicy.defaults(host.environment()), backend);
    }

    public ExecResult inside(String... command) {
        return run(sandboxed, command);
    }

    public ExecResult outside(String... command) {
        return run(unsandboxed, command);
    }

    public static ExecResult run(Sandbox sandbox, String... command) {
        try {
            return sandbox.run(Command.builder(List.of(command)).timeout(Duration.ofSeconds(60)).build());
        } catch (SandboxException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

}
