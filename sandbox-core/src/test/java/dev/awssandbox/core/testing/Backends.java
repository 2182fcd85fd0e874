package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.backend.BubblewrapBackend;
import dev.awssandbox.core.backend.LandlockBackend;
import dev.awssandbox.core.backend.SandboxBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The isolating backends this machine can run, for the one isolation test matrix. Landlock must
 * be there under CI; bubblewrap too when CI installed it (REQUIRE_BUBBLEWRAP=true in .ci/run).
 */
public final class Backends {
    private Backends() {}

    public static SandboxBackend create(BackendKind kind) {
        return switch (kind) {
            case LANDLOCK -> new LandlockBackend();
            case BUBBLEWRAP -> new BubblewrapBackend();
            case SEATBELT -> new dev.awssandbox.core.backend.SeatbeltBackend();
            case NONE -> throw new IllegalArgumentException("not an isolating backend");
        };
    }

    /** Used as a {@code @MethodSource} for {@code @ParameterizedClass}. */
    public static List<BackendKind> available() {
        List<BackendKind> kinds = new ArrayList<>();
        for (BackendKind kind : List.of(BackendKind.LANDLOCK, BackendKind.BUBBLEWRAP)) {
            SandboxBackend.Availability a = create(kind).availability();
            if (a.available()) {
                kinds.add(kind);
            } else if (Requirements.inCi() && (kind == BackendKind.LANDLOCK
                    || "true".equalsIgnoreCase(System.getenv("REQUIRE_BUBBLEWRAP")))) {
                throw new IllegalStateException(kind.label() + " is not available in CI: " + a.detail());
            } else {
                System.err.println("SKIPPED backend " + kind.label() + " in the isolation matrix: " + a.detail());
            }
        }
        return kinds;
    }
}
