package dev.awssandbox.core;

import dev.awssandbox.core.backend.SandboxBackend;
import java.util.List;

/**
 * For the CLI's tests (on the class path this class shares the core's package): a sandbox builder
 * given one backend object that simulates another host, which the public API does not offer.
 */
public final class TestBackends {
    private TestBackends() {}

    /** {@code builder} trying {@code backend} as {@code kind}, falling back as the mode allows. */
    public static Sandbox.Builder first(Sandbox.Builder builder, BackendKind kind, SandboxBackend backend) {
        return builder.candidates(List.of(new Backends.Candidate(kind, backend)), false);
    }
}
