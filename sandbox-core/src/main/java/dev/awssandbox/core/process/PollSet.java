package dev.awssandbox.core.process;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.awssandbox.core.linux.ErrnoException;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The {@code poll(2)} set of a loop that runs on one thread of its own ({@link ChildReaper},
 * {@link IoLoop}): an eventfd that other threads write to wake the loop, always at index 0, then
 * the loop's own descriptors in the order of its list. {@link #wake()} may be called from any
 * thread; {@link #poll} and {@link #revents} only from the loop's thread.
 */
final class PollSet {
    private static final VarHandle FD = Posix.POLLFD.arrayElementVarHandle(groupElement("fd"));
    private static final VarHandle EVENTS = Posix.POLLFD.arrayElementVarHandle(groupElement("events"));
    private static final VarHandle REVENTS = Posix.POLLFD.arrayElementVarHandle(groupElement("revents"));

    private final int wakeFd;
    /** Never closed: a loop lives as long as the JVM. Shared because the set is made off the loop's thread. */
    private final Arena arena = Arena.ofShared();
    private final MemorySegment counter = arena.allocate(JAVA_LONG);
    private final MemorySegment state = Libc.newCaptureState(arena);
    private long capacity = 64;
    private MemorySegment fds = arena.allocate(Posix.POLLFD, capacity);

    /** Opens the wake descriptor: {@code eventfd(0, EFD_CLOEXEC)}. */
    PollSet() throws ErrnoException {
        wakeFd = Libc.eventfd();
    }

    /** Wakes the loop (adds 1 to the eventfd counter); returns 0 or errno. Any thread. */
    int wake() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment one = call.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            long n = Libc.write(wakeFd, one, 8, Libc.newCaptureState(call));
            return n < 0 ? (int) -n : 0;
        }
    }

    /**
     * Waits, without a timeout, until the wake descriptor or one of {@code entries} (polled for
     * {@code events} on {@code fd}) is ready, and clears the wake counter if it was written. Returns
     * false when {@code poll} failed (EINTR): the caller goes round again. After true, {@link
     * #revents} tells what happened to each entry.
     */
    <T> boolean poll(List<T> entries, ToIntFunction<T> fd, ToIntFunction<T> events) {
        long count = entries.size() + 1L;
        if (count > capacity) {
            capacity = Math.max(capacity * 2, count); // the old array stays in the arena: growth is rare
            fds = arena.allocate(Posix.POLLFD, capacity);
        }
        set(0, wakeFd, Libc.POLLIN);
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            set(i + 1L, fd.applyAsInt(entry), (short) events.applyAsInt(entry));
        }
        if (Libc.poll(fds, count, -1) < 0) {
            return false;
        }
        if ((short) REVENTS.get(fds, 0L, 0L) != 0) {
            Libc.read(wakeFd, counter, 8, state);
        }
        return true;
    }

    /** The revents of {@code entries.get(index)} after the last {@link #poll}; 0 when it was not ready. */
    short revents(int index) {
        return (short) REVENTS.get(fds, 0L, index + 1L);
    }

    private void set(long slot, int fd, short events) {
        FD.set(fds, 0L, slot, fd);
        EVENTS.set(fds, 0L, slot, events);
        REVENTS.set(fds, 0L, slot, (short) 0);
    }
}
