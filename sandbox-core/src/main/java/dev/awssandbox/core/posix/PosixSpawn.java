package dev.awssandbox.core.posix;

import static dev.awssandbox.core.posix.Downcalls.optionalPlain;
import static dev.awssandbox.core.posix.Downcalls.plain;
import static dev.awssandbox.core.posix.Downcalls.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * One {@code posix_spawn(3)} call, its native arguments made ahead in an arena, for both engines
 * (glibc and macOS's libSystem): the child leads a new session ({@code POSIX_SPAWN_SETSID}: its
 * own process group, no controlling terminal), starts with default signal dispositions and an
 * empty signal mask, and gets the {@link FileAction}s in order. On Darwin every descriptor no
 * action names is closed ({@code POSIX_SPAWN_CLOEXEC_DEFAULT}); glibc has {@link CloseFrom}.
 *
 * <p>{@link #start()} allocates nothing and loads no class once one spawn has run: it is what a
 * thread carrying a Landlock domain calls.
 */
public final class PosixSpawn {
    // <spawn.h>
    private static final short SETSIGDEF = 0x04;
    private static final short SETSIGMASK = 0x08;
    private static final short SETSID = Posix.OS == Posix.Os.DARWIN ? (short) 0x0400 : (short) 0x80;
    private static final short CLOEXEC_DEFAULT = 0x4000; // Darwin only

    /** Opaque types: Darwin's are pointers, glibc's 80, 336 and 128 bytes on LP64. */
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long SPAWNATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;

    /** A step the child takes before it executes the program, in the order given. */
    public sealed interface FileAction permits Dup2, Open, Close, Chdir, CloseFrom {
        /** The C call that adds it, with its arguments, for messages. */
        String call();
    }

    /** {@code dup2(fd, target)}. */
    public record Dup2(int fd, int target) implements FileAction {
        @Override
        public String call() {
            return "posix_spawn_file_actions_adddup2(" + fd + ", " + target + ")";
        }
    }

    /** {@code open(path, flags)} as descriptor {@code target} (an open descriptor there is closed first). */
    public record Open(int target, String path, int flags) implements FileAction {
        @Override
        public String call() {
            return "posix_spawn_file_actions_addopen(" + target + ", " + path + ")";
        }
    }

    /** {@code close(fd)}. */
    public record Close(int fd) implements FileAction {
        @Override
        public String call() {
            return "posix_spawn_file_actions_addclose(" + fd + ")";
        }
    }

    /** {@code chdir(directory)}: macOS 10.15+, glibc 2.29+. */
    public record Chdir(String directory) implements FileAction {
        @Override
        public String call() {
            return "posix_spawn_file_actions_addchdir_np(" + directory + ")";
        }
    }

    /** Closes every descriptor from {@code lowest} up: glibc 2.34+ only ({@link #canCloseFrom()}). */
    public record CloseFrom(int lowest) implements FileAction {
        @Override
        public String call() {
            return "posix_spawn_file_actions_addclosefrom_np(" + lowest + ")";
        }
    }

    // The family returns an error number. Linked when this class is first used, which is to spawn;
    // addopen and addclose only with a spawn gate or without stdin, but the JVM links their shapes
    // for the other functions anyway.
    private static final MethodHandle SPAWN = plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = plain("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ADD_DUP2 = plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_OPEN = plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CLOSE = plain("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    /** POSIX 2024 dropped the suffix, so either name is accepted. */
    private static final MethodHandle ADD_CHDIR = optionalPlain("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS))
            .or(() -> optionalPlain("posix_spawn_file_actions_addchdir", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)))
            .orElseThrow(() -> new UnsupportedOperationException("posix_spawn cannot change directory in this C library"));
    private static final Optional<MethodHandle> ADD_CLOSEFROM = Posix.OS == Posix.Os.LINUX
            ? optionalPlain("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT))
            : Optional.empty();
    private static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    /** Darwin's {@code sigset_t} is one 32-bit word, filled by hand when libc has no function for it. */
    private static final Optional<MethodHandle> SIGEMPTYSET = optionalPlain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Optional<MethodHandle> SIGFILLSET = optionalPlain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    /**
     * The native arguments of {@code posix_spawn(pid, path, file_actions, attrp, argv, envp)}, in
     * its order: where it writes the child's pid, and what it reads.
     */
    private record Arguments(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
                             MemorySegment attributes, MemorySegment argv, MemorySegment envp) {}

    private final Arguments arguments;

    private PosixSpawn(Arguments arguments) {
        this.arguments = arguments;
    }

    /** Whether this C library can close every descriptor from a number up ({@link CloseFrom}). */
    public static boolean canCloseFrom() {
        return ADD_CLOSEFROM.isPresent();
    }

    /**
     * The arguments of a spawn of the absolute {@code path}, in {@code arena}; {@link #destroy()}
     * them after the spawn. Fails only when the C library does (ENOMEM, or an action it refuses).
     */
    public static PosixSpawn prepare(Arena arena, String path, List<String> argv, List<String> envp,
                                     List<FileAction> actions) throws PosixException {
        MemorySegment fileActions = arena.allocate(FILE_ACTIONS_SIZE, 16);
        MemorySegment attributes = arena.allocate(SPAWNATTR_SIZE, 16);
        MemorySegment noSignals = signalSet(arena, false);
        MemorySegment allSignals = signalSet(arena, true);
        short flags = (short) (SETSID | SETSIGDEF | SETSIGMASK | (Posix.OS == Posix.Os.DARWIN ? CLOEXEC_DEFAULT : 0));
        try {
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(fileActions));
            int error = (int) ATTR_INIT.invokeExact(attributes);
            if (error != 0) {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(fileActions);
                throw new PosixException("posix_spawnattr_init", error);
            }
        } catch (PosixException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try {
            for (FileAction action : actions) {
                check(action.call(), add(fileActions, action, arena));
            }
            // the JVM ignores or blocks some signals (SIGPIPE among them); the child starts clean
            check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attributes, noSignals));
            check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attributes, allSignals));
            check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attributes, flags));
        } catch (PosixException e) {
            destroy(fileActions, attributes);
            throw e;
        } catch (Throwable t) {
            destroy(fileActions, attributes);
            throw rethrow(t);
        }
        return new PosixSpawn(new Arguments(arena.allocate(JAVA_INT), arena.allocateFrom(path), fileActions, attributes,
                strings(arena, argv), strings(arena, envp)));
    }

    private static int add(MemorySegment fileActions, FileAction action, Arena arena) throws Throwable {
        return switch (action) {
            case Dup2(int fd, int target) -> (int) ADD_DUP2.invokeExact(fileActions, fd, target);
            case Open(int target, String file, int flags) ->
                    (int) ADD_OPEN.invokeExact(fileActions, target, arena.allocateFrom(file), flags, 0);
            case Close(int fd) -> (int) ADD_CLOSE.invokeExact(fileActions, fd);
            case Chdir(String directory) -> (int) ADD_CHDIR.invokeExact(fileActions, arena.allocateFrom(directory));
            case CloseFrom(int lowest) -> (int) ADD_CLOSEFROM
                    .orElseThrow(() -> new UnsupportedOperationException("this C library cannot close descriptors from a number up"))
                    .invokeExact(fileActions, lowest);
        };
    }

    private static void check(String call, int error) throws PosixException {
        if (error != 0) {
            throw new PosixException(call, error);
        }
    }

    /** {@code posix_spawn(3)}: 0, or its error number; then {@link #pid()} is the child's. Safe on a restricted thread. */
    public int start() {
        try {
            Arguments a = arguments;
            return (int) SPAWN.invokeExact(a.pid(), a.path(), a.fileActions(), a.attributes(), a.argv(), a.envp());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The child's pid, once {@link #start()} returned 0. */
    public int pid() {
        return arguments.pid().get(JAVA_INT, 0);
    }

    /** Frees what the C library allocated for the arguments (the arena frees the rest); errors are ignored. */
    public void destroy() {
        destroy(arguments.fileActions(), arguments.attributes());
    }

    private static void destroy(MemorySegment fileActions, MemorySegment attributes) {
        try {
            int ignored = (int) ACTIONS_DESTROY.invokeExact(fileActions);
            ignored = (int) ATTR_DESTROY.invokeExact(attributes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment signalSet(Arena arena, boolean full) {
        MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
        Optional<MethodHandle> function = full ? SIGFILLSET : SIGEMPTYSET;
        if (function.isEmpty()) {
            set.set(JAVA_INT, 0, full ? -1 : 0); // Darwin: a 32-bit mask
            return set;
        }
        try {
            int ignored = (int) function.get().invokeExact(set);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return set;
    }

    /** A NULL-terminated {@code char *[]}. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
