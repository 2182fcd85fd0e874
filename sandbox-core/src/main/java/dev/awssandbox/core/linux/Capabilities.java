package dev.awssandbox.core.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;

/**
 * Drops every capability of the calling thread, so that a child it spawns, even as root, starts
 * with empty inheritable, permitted, effective, bounding and ambient sets. Capabilities are
 * per-thread on Linux: only the (dedicated) spawning thread is affected.
 */
public final class Capabilities {
    static final int PR_CAPBSET_DROP = 24;
    static final int PR_CAP_AMBIENT = 47;
    static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    /** _LINUX_CAPABILITY_VERSION_3: 64-bit sets as two 32-bit words. */
    static final int VERSION_3 = 0x20080522;

    /** <pre>struct __user_cap_header_struct { __u32 version; int pid; };</pre> ({@code <linux/capability.h>}) */
    static final StructLayout CAP_HEADER = MemoryLayout.structLayout(JAVA_INT.withName("version"), JAVA_INT.withName("pid"));
    /** <pre>struct __user_cap_data_struct { __u32 effective; __u32 permitted; __u32 inheritable; };</pre> */
    static final StructLayout CAP_DATA = MemoryLayout.structLayout(
            JAVA_INT.withName("effective"), JAVA_INT.withName("permitted"), JAVA_INT.withName("inheritable"));
    private static final long HEADER_VERSION = CAP_HEADER.byteOffset(MemoryLayout.PathElement.groupElement("version"));

    /** The highest capability number this kernel knows; read once, before any thread is restricted. */
    private static final int LAST_CAP = readLastCap();

    private Capabilities() {}

    /** The highest capability number of this kernel. */
    public static int lastCap() {
        return LAST_CAP;
    }

    /** The last capability's number ({@link KernelFiles}: read whole, "40", not "4"; a regression test pins it). */
    static int readLastCap() {
        return KernelFiles.readInt(Path.of("/proc/sys/kernel/cap_last_cap"), 63); // past the last one: only EINVAL
    }

    /**
     * Empties the bounding set (where the thread may: it needs CAP_SETPCAP, which only privileged
     * threads have, and unprivileged ones have nothing to drop), clears the ambient set, then sets
     * inheritable, permitted and effective to empty. Returns 0 or the errno of capset.
     */
    public static int dropAllOnCurrentThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newCaptureState(arena); // one for the loop: it runs on every spawn
            for (int cap = 0; cap <= LAST_CAP; cap++) {
                // EPERM without CAP_SETPCAP: an unprivileged thread has nothing in it to lose
                if (Libc.prctl(state, PR_CAPBSET_DROP, cap) == Errno.EPERM) {
                    break;
                }
            }
            Libc.prctl(state, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL); // EINVAL before Linux 4.3
            MemorySegment header = arena.allocate(CAP_HEADER); // pid 0: this thread
            header.set(JAVA_INT, HEADER_VERSION, VERSION_3);
            MemorySegment data = arena.allocate(CAP_DATA, 2); // version 3 takes two (64-bit sets), zeroed: empty
            return Libc.capset(header, data);
        }
    }
}
