package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.access.WriteProtection;
import dev.awssandbox.core.linux.ThreadRestriction;
import java.util.List;

/** No isolation: the command runs with the environment allow-list only. */
public final class UnsandboxedBackend implements SandboxBackend {
    private final List<String> notes;

    /** @param notes why we run unsandboxed (disabled by configuration, fallback reason, …) */
    public UnsandboxedBackend(List<String> notes) {
        this.notes = List.copyOf(notes);
    }

    @Override
    public Availability availability() {
        return Availability.yes("always available; isolates nothing");
    }

    @Override
    public Enforcement enforcement(NetworkMode network) {
        Enforcement none = Enforcement.none(network, notes);
        return network == NetworkMode.HOSTS ? none.withNote("network mode hosts is advice only here: the command gets"
                + " the proxy variables, and a program that ignores them reaches any host") : none;
    }

    @Override
    public Launch prepare(AccessPlan plan, boolean required) {
        return new Launch(ThreadRestriction.NONE, enforcement(plan.network()), () -> { });
    }

    /** Nothing is enforced, so nothing is withheld either: the negative controls run exactly what they are asked. */
    @Override
    public WriteProtection writeProtection() {
        return WriteProtection.NONE;
    }
}
