package dev.awssandbox.core.backend;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A backend's trial start, run apart from its caller. The answer is kept for the backend's life,
 * and a caller that was interrupted (its command cancelled, a pool thread's stale interrupt) cut
 * the trial short, which was kept as "unavailable": in mode auto every later command then ran
 * without isolation (red team, round 17).
 */
final class Trials {
    private Trials() {}

    /** {@code trial} on a thread of its own, waited for whatever happens to the caller, whose interrupt status is kept. */
    static SandboxBackend.Availability apart(String name, Supplier<SandboxBackend.Availability> trial) {
        CompletableFuture<SandboxBackend.Availability> answer = new CompletableFuture<>();
        try {
            Thread.ofPlatform().name("aws-sandbox-trial-" + name).daemon(true).start(() -> {
                try {
                    answer.complete(trial.get());
                } catch (RuntimeException | Error e) {
                    answer.complete(SandboxBackend.Availability.unsettled("the trial start failed: " + e));
                }
            });
        } catch (OutOfMemoryError e) { // "unable to create native thread": out of processes for now
            return SandboxBackend.Availability.unsettled("cannot start a thread for the trial: " + e.getMessage());
        }
        return answer.join(); // not cut short by an interrupt, which it leaves set
    }
}
