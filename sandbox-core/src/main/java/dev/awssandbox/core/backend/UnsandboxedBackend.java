package dev.awssandbox.core.backend;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.EnforcementReport;
import dev.awssandbox.core.SandboxMode;
import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.WriteProtection;
import java.util.List;

/** No isolation: the command runs with the environment allow-list only. */
public final class UnsandboxedBackend implements SandboxBackend {
    private final List<String> notes;

    /** @param notes why we run unsandboxed (disabled by configuration, fallback reason, …) */
    public UnsandboxedBackend(List<String> notes) {
        this.notes = List.copyOf(notes);
    }

    @Override
    public BackendKind kind() {
        return BackendKind.NONE;
    }

    @Override
    public Availability availability() {
        return Availability.yes("always available; isolates nothing");
    }

    @Override
    public EnforcementReport expectedReport(boolean allowNetwork) {
        return EnforcementReport.unsandboxed(allowNetwork, notes);
    }

    @Override
    public Launch prepare(AccessPlan plan, SandboxMode mode) {
        return new Launch(dev.awssandbox.core.linux.ThreadRestriction.NONE, expectedReport(plan.allowNetwork()), () -> { });
    }

    /** Nothing is enforced, so nothing is withheld either: the negative controls run exactly what they are asked. */
    @Override
    public WriteProtection writeProtection() {
        return WriteProtection.NONE;
    }
}
