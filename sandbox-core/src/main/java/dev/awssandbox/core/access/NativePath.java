package dev.awssandbox.core.access;

import dev.awssandbox.core.linux.LinuxPlatform;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

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

    /**
     * Whether {@code path}'s text names it. The JDK keeps the bytes of a name it listed, but its
     * text is decoded with the file name encoding ({@code sun.jnu.encoding}), and a name that is not
     * valid there (a name in {@code /etc} that is not UTF-8) becomes other text: passed on by that
     * text (a Landlock rule's pinned path, a bubblewrap bind) it names another file, or none, and the
     * command failed as if the file had changed while it was being granted.
     */
    static boolean nameable(Path path) {
        return Path.of(path.toString()).equals(path);
    }

    /**
     * {@code path}'s exact bytes as printable ASCII: printable ASCII as is, a backslash doubled, any
     * other byte as {@code \xNN} ({@code /etc/caf\xe9}).
     */
    static String escaped(Path path) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes(path)) {
            int c = b & 0xff;
            if (c == '\\') {
                out.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /** {@code text} with each U+FFFD shown as {@code \\uFFFD}: a message says where the text lost its bytes. */
    static String shown(String text) {
        return text.replace("\uFFFD", "\\uFFFD");
    }

    /** {@link #shown(String)} of a path's text. */
    static String shown(Path path) {
        return shown(path.toString());
    }

    /** Why the text of {@code path}, which is not {@link #nameable}, does not name it: "is not valid UTF-8", or not in this JVM's encoding. */
    static String whyUnnameable(Path path) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes(path)));
            return "is not valid in this JVM's file name encoding (sun.jnu.encoding " + System.getProperty("sun.jnu.encoding")
                    + ": run aws-sandbox with a UTF-8 locale)";
        } catch (CharacterCodingException e) {
            return "is not valid UTF-8";
        }
    }

    /** The bytes of {@code path} (absolute): {@link Path#toUri} encodes them exactly, each byte outside a URI's path characters as {@code %XX}. */
    private static byte[] bytes(Path path) {
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.length() > 1 && raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1); // added for a directory
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
