package dev.awssandbox.core.landlock;

import java.util.Optional;

/** What the ABI probe found: the ABI version, or why Landlock cannot be used. */
public record LandlockSupport(int abi, Optional<String> unavailableReason) {
    public static LandlockSupport available(int abi) {
        return new LandlockSupport(abi, Optional.empty());
    }

    public static LandlockSupport unavailable(String reason) {
        return new LandlockSupport(0, Optional.of(reason));
    }

    public boolean isAvailable() {
        return unavailableReason.isEmpty();
    }
}
