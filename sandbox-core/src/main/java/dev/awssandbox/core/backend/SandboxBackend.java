package dev.awssandbox.core.backend;

import dev.awssandbox.core.access.AccessPlan;
import dev.awssandbox.core.access.NetworkMode;
import dev.awssandbox.core.access.WriteProtection;

/** One isolation mechanism. The facade picks one; the process engine runs what it prepares. */
public sealed interface SandboxBackend permits LandlockBackend, BubblewrapBackend, SeatbeltBackend, UnsandboxedBackend {

    /** Whether this backend can run here, and if not, why not. Cheap after the first call. */
    Availability availability();

    /** What this backend would enforce for a policy of this network mode, built without side effects. */
    Enforcement enforcement(NetworkMode network);

    /**
     * Turns a resolved plan into what the spawner needs. When {@code required}, a plan the
     * backend cannot fully enforce is an error.
     */
    Launch prepare(AccessPlan plan, boolean required) throws BackendException;

    /**
     * How this backend keeps a path read-only inside a writable one (git metadata, the
     * installation): most cannot, so the planner withholds such writable paths instead.
     */
    default WriteProtection writeProtection() {
        return WriteProtection.WITHHOLD;
    }

    /**
     * Availability with the reason, for logs and {@code doctor}. {@code settled} is false when it
     * could not be told this time (a trial start that timed out, or could not be made): such an
     * answer is not kept, and no mode falls back to a weaker backend for it.
     */
    record Availability(boolean available, String detail, boolean settled) {
        public static Availability yes(String detail) {
            return new Availability(true, detail, true);
        }

        public static Availability no(String reason) {
            return new Availability(false, reason, true);
        }

        /** Not told this time: a later look may find the backend available. */
        public static Availability unsettled(String reason) {
            return new Availability(false, reason, false);
        }
    }
}
