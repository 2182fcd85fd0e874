package dev.awssandbox.core.linux;

import java.util.Locale;
import java.util.Optional;

/**
 * The CPU architectures we make raw system calls on, with the numbers of the calls we make through
 * {@code syscall(2)} because glibc has no wrapper for them (or only a recent one). Numbers come
 * from the kernel's {@code arch/x86/entry/syscalls/syscall_64.tbl} and
 * {@code include/uapi/asm-generic/unistd.h} (aarch64); they are pinned by {@code ArchTest}.
 */
public enum Arch {
    X86_64(424, 434, 444, 445, 446, 186, 126),
    AARCH64(424, 434, 444, 445, 446, 178, 91);

    private final long pidfdSendSignal;
    private final long pidfdOpen;
    private final long landlockCreateRuleset;
    private final long landlockAddRule;
    private final long landlockRestrictSelf;
    private final long gettid;
    private final long capset;

    Arch(long pidfdSendSignal, long pidfdOpen, long landlockCreateRuleset, long landlockAddRule,
         long landlockRestrictSelf, long gettid, long capset) {
        this.pidfdSendSignal = pidfdSendSignal;
        this.pidfdOpen = pidfdOpen;
        this.landlockCreateRuleset = landlockCreateRuleset;
        this.landlockAddRule = landlockAddRule;
        this.landlockRestrictSelf = landlockRestrictSelf;
        this.gettid = gettid;
        this.capset = capset;
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

    /** gettid(2): glibc wraps it only since 2.30. */
    public long gettid() {
        return gettid;
    }

    /** capset(2): glibc declares it only in libcap's header. */
    public long capset() {
        return capset;
    }
}
