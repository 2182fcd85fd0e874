package dev.awssandbox.core.access;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.awssandbox.core.linux.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A directory's entries as {@code readdir} lists them — the same {@code getdents64(2)} calls, in
 * the same order — with the file type the kernel reports beside each name ({@code d_type}), so
 * that the {@code .git} scan need not {@code lstat} every entry to learn which are directories.
 * Through the JDK a listing also cost an {@code fstat}, a {@code dup} and two {@code fcntl} calls.
 *
 * <p>Only on Linux, only for a path whose text is ASCII, and only when every name read is ASCII
 * (its bytes are then exactly the name, which a {@code String} could otherwise change); in every
 * other case, and on every error, {@link #list} answers null; {@link #entries} then lists with the
 * JDK. {@link #entries} is what the planner's listings and the {@code .git} scan use.
 */
final class NativeDirectory {
    private static final int BUFFER = 32 * 1024; // what glibc's readdir asks for
    private static final VarHandle D_RECLEN = Libc.DIRENT64.varHandle(groupElement("d_reclen"));
    private static final VarHandle D_TYPE = Libc.DIRENT64.varHandle(groupElement("d_type"));
    private static final long D_NAME = Libc.DIRENT64.byteOffset(groupElement("d_name"));

    /**
     * One entry: its name and its {@code d_type} ({@link Libc#DT_UNKNOWN} when the file system does
     * not say). The name is a {@code Path} so that a name the JDK listed keeps its exact bytes: made
     * into a {@code String} and back, a name that is not valid UTF-8 becomes another name (a bare
     * repository under such a name was missed by the {@code .git} scan).
     */
    record Entry(Path name, int type) {
        boolean directory() {
            return type == Libc.DT_DIR;
        }

        boolean typeUnknown() {
            return type == Libc.DT_UNKNOWN;
        }
    }

    private record Buffers(MemorySegment path, MemorySegment entries, MemorySegment state) {}

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new Buffers(arena.allocate(NativePath.PATH_MAX + 1), arena.allocate(BUFFER, 8), Libc.newCaptureState(arena));
    });

    private NativeDirectory() {}

    /**
     * The first {@code max} entries of {@code dir}, in {@code readdir} order: with the kernel's
     * {@code d_type} where {@link #list} can read them, else through the JDK with the type
     * {@link Libc#DT_UNKNOWN}; empty where {@code dir} cannot be listed at all.
     */
    static Optional<List<Entry>> entries(Path dir, int max) {
        List<Entry> listed = list(dir, max);
        if (listed != null) {
            return Optional.of(listed);
        }
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path entry : stream) {
                if (entries.size() == max) {
                    break;
                }
                entries.add(new Entry(entry.getFileName(), Libc.DT_UNKNOWN));
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException | SecurityException e) {
            return Optional.empty(); // an error while listing, too: the listing is not known
        }
        return Optional.of(entries);
    }

    /**
     * The first {@code max} entries of {@code dir} (without {@code .} and {@code ..}), in the
     * order {@code readdir} returns them; null where the JDK should list it instead.
     */
    static List<Entry> list(Path dir, int max) {
        if (!NativePath.AVAILABLE) {
            return null;
        }
        Buffers buffers = BUFFERS.get();
        MemorySegment path = buffers.path();
        if (!NativePath.putAscii(dir.toString(), path)) {
            return null;
        }
        // as opendir(3) opens it: a FIFO or device put in a directory's place is refused, not opened
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC | Libc.oDirectory(), buffers.state());
        if (fd < 0) {
            return null;
        }
        try {
            List<Entry> entries = new ArrayList<>();
            MemorySegment buffer = buffers.entries();
            while (entries.size() < max) {
                long filled = Libc.getdents64(fd, buffer, BUFFER, buffers.state());
                if (filled < 0) {
                    return null;
                }
                if (filled == 0) {
                    break;
                }
                for (long offset = 0; offset < filled && entries.size() < max; ) {
                    int length = Short.toUnsignedInt((short) D_RECLEN.get(buffer, offset));
                    if (length <= D_NAME || offset + length > filled) {
                        return null; // not a record we understand
                    }
                    int type = Byte.toUnsignedInt((byte) D_TYPE.get(buffer, offset));
                    long nameStart = offset + D_NAME;
                    long nameEnd = nameStart;
                    while (nameEnd < offset + length && buffer.get(ValueLayout.JAVA_BYTE, nameEnd) != 0) {
                        byte b = buffer.get(ValueLayout.JAVA_BYTE, nameEnd);
                        if (b < 0) {
                            return null; // not ASCII: the JDK keeps the name's exact bytes
                        }
                        nameEnd++;
                    }
                    byte[] name = buffer.asSlice(nameStart, nameEnd - nameStart).toArray(ValueLayout.JAVA_BYTE);
                    offset += length;
                    if ((name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
                        continue;
                    }
                    entries.add(new Entry(Path.of(new String(name, StandardCharsets.US_ASCII)), type));
                }
            }
            return entries;
        } finally {
            Libc.close(fd, buffers.state());
        }
    }
}
