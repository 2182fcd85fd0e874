package dev.awssandbox.core;

import dev.awssandbox.core.access.Host;
import dev.awssandbox.core.access.Rules;
import dev.awssandbox.core.backend.Enforcement;
import dev.awssandbox.core.backend.SandboxBackend;
import dev.awssandbox.core.process.Limits;
import dev.awssandbox.core.process.OutputTarget;
import dev.awssandbox.core.process.PipelineRunner;
import dev.awssandbox.core.process.Stdin;
import java.util.Collections;
import java.util.List;

/**
 * For tests outside this package that drive the internals directly: a sandbox builder given one
 * backend object (one that simulates another host or kernel), and the conversions between the
 * public types and the engine's that the facade makes, which the public API does not offer.
 */
public final class TestBackends {
    private TestBackends() {}

    /** {@code builder} using exactly {@code backend} as {@code kind}. */
    public static Sandbox.Builder only(Sandbox.Builder builder, BackendKind kind, SandboxBackend backend) {
        return builder.candidates(List.of(new Backends.Candidate(kind, backend)), true);
    }

    /** {@code builder} trying {@code backend} as {@code kind}, falling back as the mode allows. */
    public static Sandbox.Builder first(Sandbox.Builder builder, BackendKind kind, SandboxBackend backend) {
        return builder.candidates(List.of(new Backends.Candidate(kind, backend)), false);
    }

    public static Rules rules(SandboxPolicy policy) {
        return policy.rules();
    }

    public static Host host(HostEnvironment host) {
        return host.host();
    }

    public static Limits limits(SandboxPolicy.Limits limits) {
        return limits.toEngine();
    }

    public static Stdin stdin(Command.Input input) {
        return Runner.stdin(input);
    }

    public static OutputTarget target(Command.Output output) {
        return Runner.target(output);
    }

    public static EnforcementReport report(BackendKind kind, Enforcement facts) {
        return EnforcementReport.of(kind, facts);
    }

    /** The public result of an engine's outcome, each stage reported as unsandboxed. */
    public static ExecResult result(List<List<String>> argvs, PipelineRunner.Outcome outcome) {
        EnforcementReport none = EnforcementReport.of(BackendKind.NONE, Enforcement.none(dev.awssandbox.core.access.NetworkMode.ALL, List.of()));
        return Runner.assemble(argvs, outcome, Collections.nCopies(argvs.size(), none),
                Collections.nCopies(argvs.size(), java.util.Optional.empty()));
    }
}
