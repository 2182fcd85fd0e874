package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemoryLayout;
import org.junit.jupiter.api.Test;

/** System call numbers, pinned to the kernel's tables for both architectures. */
class ArchTest {

    @Test
    void x86_64Numbers() {
        assertThat(Arch.X86_64.pidfdSendSignal()).isEqualTo(424);
        assertThat(Arch.X86_64.pidfdOpen()).isEqualTo(434);
        assertThat(Arch.X86_64.landlockCreateRuleset()).isEqualTo(444);
        assertThat(Arch.X86_64.landlockAddRule()).isEqualTo(445);
        assertThat(Arch.X86_64.landlockRestrictSelf()).isEqualTo(446);
        assertThat(Arch.X86_64.gettid()).isEqualTo(186);
        assertThat(Arch.X86_64.capset()).isEqualTo(126);
    }

    @Test
    void aarch64Numbers() {
        assertThat(Arch.AARCH64.pidfdSendSignal()).isEqualTo(424);
        assertThat(Arch.AARCH64.pidfdOpen()).isEqualTo(434);
        assertThat(Arch.AARCH64.landlockCreateRuleset()).isEqualTo(444);
        assertThat(Arch.AARCH64.landlockAddRule()).isEqualTo(445);
        assertThat(Arch.AARCH64.landlockRestrictSelf()).isEqualTo(446);
        assertThat(Arch.AARCH64.gettid()).isEqualTo(178);
        assertThat(Arch.AARCH64.capset()).isEqualTo(91);
    }

    @Test
    void osArchNamesMap() {
        assertThat(Arch.fromOsArch("amd64")).contains(Arch.X86_64);
        assertThat(Arch.fromOsArch("aarch64")).contains(Arch.AARCH64);
        assertThat(Arch.fromOsArch("riscv64")).isEmpty();
    }

    @Test
    void pollfdAndSiginfoOffsets() {
        assertThat(Libc.POLLFD.byteSize()).isEqualTo(8);
        assertThat(Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("events"))).isEqualTo(4);
        assertThat(Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("revents"))).isEqualTo(6);
        assertThat(Libc.OPEN_HOW.byteSize()).isEqualTo(24);
        assertThat(Libc.OPEN_HOW.byteOffset(MemoryLayout.PathElement.groupElement("resolve"))).isEqualTo(16);
        assertThat(Libc.SIGINFO_CODE).isEqualTo(8);
        assertThat(Libc.SIGINFO_PID).isEqualTo(16);
        assertThat(Libc.SIGINFO_STATUS).isEqualTo(24);
    }
}
