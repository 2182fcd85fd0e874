package dev.awssandbox.core.access;

import dev.awssandbox.core.linux.LinuxPlatform;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What {@link NativeLstat} and {@link NativeDirectory} share: whether their system calls can be
 * made here, and a path's text as the kernel takes it. Where this says no, they answer "ask the
 * JDK" and the JDK does the work.
 */
final class NativePath {
    /** The kernel's limit on a path ({@code PATH_MAX}); a buffer for {@link #putAscii} holds one byte more. */
    static final int PATH_MAX = 4096;
    /** Whether the calls can be made: a supported Linux, where {@code Libc} initialised. */
    static final boolean AVAILABLE = available();

    private NativePath() {}

    private static boolean available() {
        try {
            return LinuxPlatform.isSupportedLinux();
        } catch (Throwable t) { // Libc could not be initialised here: the JDK answers
            return false;
        }
    }

    /**
     * Writes {@code text} into {@code into} ({@code PATH_MAX + 1} bytes) as a NUL-terminated C
     * string; false where it cannot be passed: {@code PATH_MAX} characters or more, or a NUL or a
     * character that is not ASCII in it (only ASCII text is exactly the path's bytes, whatever
     * {@code sun.jnu.encoding} is).
     */
    static boolean putAscii(String text, MemorySegment into) {
        int length = text.length();
        if (length >= PATH_MAX) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == 0 || c > 0x7f) {
                return false;
            }
            into.set(ValueLayout.JAVA_BYTE, i, (byte) c);
        }
        into.set(ValueLayout.JAVA_BYTE, length, (byte) 0);
        return true;
    }
}
