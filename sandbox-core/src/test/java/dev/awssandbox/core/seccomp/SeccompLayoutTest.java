package dev.awssandbox.core.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.testing.KernelHeaders;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Every number in {@link Syscall}, checked against sources that do not come from us: the kernel
 * headers of the machine ({@code linux-libc-dev}: {@code asm/unistd_64.h} for x86_64, and
 * {@code asm-generic/unistd.h}, the table aarch64 uses), and for calls newer than those headers
 * libseccomp's own tables when the library is installed. A wrong number would make the filter
 * refuse an unrelated call and let the intended one through, so every number must be checked.
 *
 * <p>Without the headers the test is skipped with the reason printed; under {@code CI=true} it
 * fails instead ({@code apt-get install linux-libc-dev}).
 */
class SeccompLayoutTest {
    static final Path X86_64_HEADER = KernelHeaders.X86_64_UNISTD;
    static final Path GENERIC_HEADER = KernelHeaders.GENERIC_UNISTD;

    static Map<String, Integer> parse(Path header) throws IOException {
        return KernelHeaders.parseUnistd(header);
    }

    private static Path requireHeader(Path header) {
        return KernelHeaders.require(header);
    }

    @Test
    void x86_64NumbersMatchTheKernelHeader() throws IOException {
        check(Arch.X86_64, parse(requireHeader(X86_64_HEADER)), X86_64_HEADER);
    }

    @Test
    void aarch64NumbersMatchTheGenericKernelHeader() throws IOException {
        check(Arch.AARCH64, parse(requireHeader(GENERIC_HEADER)), GENERIC_HEADER);
    }

    private static void check(Arch arch, Map<String, Integer> header, Path source) {
        int newestInHeader = header.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        Optional<Libseccomp> libseccomp = Libseccomp.load();
        List<String> mismatches = new ArrayList<>();
        List<String> byLibseccomp = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        Map<Integer, Syscall> seen = new HashMap<>();
        for (Syscall syscall : Syscall.values()) {
            String name = syscall.name().toLowerCase(Locale.ROOT);
            Optional<Integer> ours = syscall.number(arch);
            ours.ifPresent(n -> {
                Syscall other = seen.put(n, syscall);
                if (other != null) {
                    mismatches.add(name + " and " + other + " share number " + n);
                }
            });
            Integer theirs = header.get(name);
            if (theirs != null) {
                if (!ours.equals(Optional.of(theirs))) {
                    mismatches.add(name + ": ours " + ours.map(String::valueOf).orElse("absent") + ", " + source + " " + theirs);
                }
                continue;
            }
            if (ours.isEmpty()) {
                continue; // absent on this architecture, and the header agrees
            }
            // a call newer than the header: it must at least lie beyond every call the header knows,
            // or the number is a typo that lands on another call
            if (ours.get() <= newestInHeader) {
                mismatches.add(name + ": " + ours.get() + " is not in " + source + ", which knows calls up to "
                        + newestInHeader + ": the number belongs to another call");
                continue;
            }
            OptionalInt resolved = libseccomp.map(l -> l.resolve(arch, name)).orElse(OptionalInt.empty());
            if (resolved.isPresent()) {
                byLibseccomp.add(name);
                if (resolved.getAsInt() != ours.get()) {
                    mismatches.add(name + ": ours " + ours.get() + ", libseccomp " + resolved.getAsInt());
                }
            } else {
                unchecked.add(name + "=" + ours.get());
            }
        }
        System.out.println(arch + ": " + (Syscall.values().length - byLibseccomp.size() - unchecked.size())
                + " numbers checked against " + source + "; against libseccomp: " + byLibseccomp
                + (unchecked.isEmpty() ? "" : "; newer than every source on this machine, so only checked to lie beyond"
                        + " the header's last call (" + newestInHeader + "): " + unchecked));
        assertThat(mismatches).isEmpty();
    }

    @Test
    void theHeaderParserReadsGenericAliases() throws IOException {
        Map<String, Integer> generic = parse(requireHeader(GENERIC_HEADER));
        assertThat(generic).containsEntry("fcntl", 25).containsEntry("openat", 56).doesNotContainKey("fcntl64")
                .doesNotContainKey("syscalls").doesNotContainKey("open");
    }

    /** libseccomp's name → number tables, an independent source for calls newer than the headers. */
    private record Libseccomp(MethodHandle resolveNameArch, Arena arena) {
        static Optional<Libseccomp> load() {
            Arena arena = Arena.ofAuto();
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup("libseccomp.so.2", arena);
                MethodHandle handle = Linker.nativeLinker().downcallHandle(
                        lookup.find("seccomp_syscall_resolve_name_arch").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                return Optional.of(new Libseccomp(handle, arena));
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                System.err.println("libseccomp.so.2 is not installed: calls newer than the headers stay unchecked");
                return Optional.empty();
            }
        }

        /** The number, or empty when libseccomp does not know the call on {@code arch} (it returns a negative pseudo number). */
        OptionalInt resolve(Arch arch, String name) {
            int token = InstalledProgram.audit(arch);
            try (Arena call = Arena.ofConfined()) {
                int n = (int) resolveNameArch.invokeExact(token, call.allocateFrom(name));
                return n >= 0 ? OptionalInt.of(n) : OptionalInt.empty();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
