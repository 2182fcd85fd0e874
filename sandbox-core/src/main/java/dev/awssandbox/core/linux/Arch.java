package dev.awssandbox.core.linux;

import java.util.Locale;
import java.util.Optional;

/**
 * The CPU architectures we make raw system calls on, with the numbers of the calls glibc has no
 * wrapper for. Numbers come from the kernel's {@code arch/x86/entry/syscalls/syscall_64.tbl} and
 * {@code include/uapi/asm-generic/unistd.h} (aarch64); they are pinned by {@code ArchTest}.
 */
public enum Arch {
    X86_64(424, 434, 444, 445, 446),
    AARCH64(424, 434, 444, 445, 446);

    private final long pidfdSendSignal;
    private final long pidfdOpen;
    private final long landlockCreateRuleset;
    private final long landlockAddRule;
    private final long landlockRestrictSelf;

    Arch(long pidfdSendSignal, long pidfdOpen, long landlockCreateRuleset, long landlockAddRule,
         long landlockRestrictSelf) {
        this.pidfdSendSignal = pidfdSendSignal;
        this.pidfdOpen = pidfdOpen;
        this.landlockCreateRuleset = landlockCreateRuleset;
        this.landlockAddRule = landlockAddRule;
        this.landlockRestrictSelf = landlockRestrictSelf;
    }

    /** The architecture of this JVM, if it is one we support. */
    public static Optional<Arch> current() {
        return fromOsArch(System.getProperty("os.arch", ""));
    }

    static Optional<Arch> fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Optional.of(X86_64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }

    /** openat2(2): 437 in both tables (Linux 5.6). */
    public long openat2() {
        return 437;
    }

    public long pidfdSendSignal() {
        return pidfdSendSignal;
    }

    public long pidfdOpen() {
        return pidfdOpen;
    }

    public long landlockCreateRuleset() {
        return landlockCreateRuleset;
    }

    public long landlockAddRule() {
        return landlockAddRule;
    }

    public long landlockRestrictSelf() {
        return landlockRestrictSelf;
    }
}
