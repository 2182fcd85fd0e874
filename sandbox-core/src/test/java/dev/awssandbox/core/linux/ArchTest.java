package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JVM's {@code os.arch} names, mapped to the architectures we make system calls on. */
class ArchTest {

    @Test
    void osArchNamesMap() {
        assertThat(Arch.fromOsArch("amd64")).contains(Arch.X86_64);
        assertThat(Arch.fromOsArch("aarch64")).contains(Arch.AARCH64);
        assertThat(Arch.fromOsArch("riscv64")).isEmpty();
    }
}
