package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.KernelHeaders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every number {@link Libc} passes to {@code syscall(2)}, checked against the kernel headers of
 * the machine: a wrong one would make another call, with these arguments.
 */
class SystemCallTest {

    @Test
    void x86_64NumbersMatchTheKernelHeader() throws IOException {
        check(Arch.X86_64, KernelHeaders.X86_64_UNISTD);
    }

    @Test
    void aarch64NumbersMatchTheGenericKernelHeader() throws IOException {
        check(Arch.AARCH64, KernelHeaders.GENERIC_UNISTD);
    }

    private static void check(Arch arch, Path header) throws IOException {
        Map<String, Integer> numbers = KernelHeaders.parseUnistd(KernelHeaders.require(header));
        List<String> mismatches = new ArrayList<>();
        for (SystemCall call : SystemCall.values()) {
            String name = call.name().toLowerCase(Locale.ROOT);
            Integer theirs = numbers.get(name);
            if (theirs == null || theirs != call.number(arch)) {
                mismatches.add(name + ": ours " + call.number(arch) + ", " + header + " " + theirs);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
