package dev.awssandbox.core.landlock;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.awssandbox.core.linux.Errno;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.linux.LinuxPlatform;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The Landlock system calls and their structures ({@code <linux/landlock.h>}). Each layout is
 * written next to its C definition and pinned by {@code LandlockLayoutTest}.
 */
public final class Landlock {
    /** {@code landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)} returns the ABI. */
    static final int CREATE_RULESET_VERSION = 1;
    static final int RULE_PATH_BENEATH = 1;
    static final int RULE_NET_PORT = 2;

    /**
     * <pre>struct landlock_ruleset_attr {
     *     __u64 handled_access_fs;
     *     __u64 handled_access_net;   // ABI 4
     *     __u64 scoped;               // ABI 6
     * };</pre>
     */
    public static final StructLayout RULESET_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("handled_access_fs"),
            JAVA_LONG.withName("handled_access_net"),
            JAVA_LONG.withName("scoped"));

    /**
     * <pre>struct landlock_path_beneath_attr {
     *     __u64 allowed_access;
     *     __s32 parent_fd;
     * } __attribute__((packed));</pre>
     * Packed: 12 bytes, no tail padding.
     */
    public static final StructLayout PATH_BENEATH_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("allowed_access"),
            JAVA_INT.withName("parent_fd"));

    /**
     * <pre>struct landlock_net_port_attr {
     *     __u64 allowed_access;
     *     __u64 port;
     * };</pre>
     */
    public static final StructLayout NET_PORT_ATTR = MemoryLayout.structLayout(
            JAVA_LONG.withName("allowed_access"),
            JAVA_LONG.withName("port"));

    private Landlock() {}

    /** How much of {@link #RULESET_ATTR} a kernel of this ABI reads. */
    static long rulesetAttrSize(int abi) {
        if (abi >= Scope.ABI) {
            return 24;
        }
        if (abi >= NetAccess.ABI) {
            return 16;
        }
        return 8;
    }

    /** Asks the kernel which Landlock ABI it implements; never looks at the kernel version. */
    public static LandlockSupport probe() {
        if (!LinuxPlatform.isLinux()) {
            return LandlockSupport.unavailable("Landlock is a Linux feature; this is " + System.getProperty("os.name"));
        }
        if (!LinuxPlatform.isSupportedLinux()) {
            return LandlockSupport.unavailable("unsupported CPU architecture " + System.getProperty("os.arch"));
        }
        int rc = Libc.landlockCreateRuleset(MemorySegment.NULL, 0, CREATE_RULESET_VERSION);
        if (rc > 0) {
            return LandlockSupport.available(rc);
        }
        int errno = -rc;
        return switch (errno) {
            case Errno.ENOSYS -> LandlockSupport.unavailable("the kernel was built without Landlock (ENOSYS)");
            case Errno.EOPNOTSUPP -> LandlockSupport.unavailable(
                    "Landlock is built in but not enabled at boot (EOPNOTSUPP): add landlock to the lsm= kernel parameter");
            default -> LandlockSupport.unavailable("landlock_create_ruleset failed: " + Errno.describe(errno));
        };
    }
}
