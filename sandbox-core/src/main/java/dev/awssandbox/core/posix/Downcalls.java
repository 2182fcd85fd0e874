package dev.awssandbox.core.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The one owner of the FFM {@link Linker}, for {@link Posix}, {@link PosixSpawn} and
 * {@code linux.Libc}: handles to the C library's functions, and the errno a call sets, captured by
 * the linker as the call returns (read from the thread-local afterwards, it could be another
 * call's, the JVM's own).
 *
 * <p>Linking costs the JVM a few milliseconds per distinct {@link FunctionDescriptor} (and set
 * of options) the first time: it generates a stub for that shape, which it then shares between
 * every function of the same shape. So the callers link each function on its first use (a holder
 * class per function), and Linux's system calls share the one shape of {@code syscall(2)}.
 */
public final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Downcalls() {}

    /**
     * A function that sets errno: the handle takes a {@link #captureState} segment before the C
     * arguments. A variadic function names its first variadic argument in {@code extra}
     * ({@code Linker.Option.firstVariadicArg}): Apple's arm64 ABI passes those on the stack.
     */
    public static MethodHandle withErrno(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        return LINKER.downcallHandle(find(name), descriptor, withCapture(extra));
    }

    /** A function that returns its error number instead of setting errno (the posix_spawn family). */
    public static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(name), descriptor);
    }

    /** {@link #plain}, or empty when this C library has no such function. */
    public static Optional<MethodHandle> optionalPlain(String name, FunctionDescriptor descriptor) {
        return LIBC.find(name).map(symbol -> LINKER.downcallHandle(symbol, descriptor));
    }

    /** A segment for a {@link #withErrno} handle to leave errno in; one can serve many calls. */
    public static MemorySegment captureState(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * Each thread's errno capture, made once: a confined arena per call (a malloc, the JDK's
     * direct-memory accounting and a free) was ~5% of a command's calling thread. A segment is
     * written and read only between one call and its return on its own thread, so nothing else
     * can see or change it; it is freed once its thread is gone and nothing holds it.
     */
    private static final ThreadLocal<MemorySegment> THREAD_CAPTURE = ThreadLocal.withInitial(() -> captureState(Arena.ofAuto()));

    /** This thread's capture segment: read its errno right after the call, before any other call on this thread. */
    public static MemorySegment threadCaptureState() {
        return THREAD_CAPTURE.get();
    }

    /** The errno the last call through {@code state} left. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * What {@code MethodHandle.invokeExact} threw, to rethrow: an Error as it is, a runtime
     * exception as it is, anything else (a native call throws nothing checked) wrapped.
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static Linker.Option[] withCapture(Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return options;
    }
}
