package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.posix.Posix;
import dev.awssandbox.core.seccomp.Bpf;
import dev.awssandbox.core.seccomp.SeccompFilter;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The struct layouts the native calls read and write, pinned to the offsets of their C definitions
 * ({@code <linux/stat.h>}, {@code <dirent.h>}, {@code <signal.h>}, …); and, where gcc is installed,
 * checked against what gcc's {@code offsetof} says of the headers on this machine (gcc is not a
 * build requirement: without it that test is skipped with the reason printed). Landlock's
 * structures are {@code LandlockLayoutTest}'s: the installed header may be older than the ABI.
 */
class NativeLayoutTest {

    @Test
    void statxFieldsSitWhereTheKernelPutsThem() {
        assertThat(Libc.STATX.byteSize()).isEqualTo(256);
        assertThat(offset(Libc.STATX, "stx_mask")).isZero();
        assertThat(offset(Libc.STATX, "stx_uid")).isEqualTo(20);
        assertThat(offset(Libc.STATX, "stx_mode")).isEqualTo(28);
        assertThat(offset(Libc.STATX, "stx_ino")).isEqualTo(32);
        assertThat(offset(Libc.STATX, "stx_ctime.tv_sec")).isEqualTo(96);
        assertThat(offset(Libc.STATX, "stx_ctime.tv_nsec")).isEqualTo(104);
        assertThat(offset(Libc.STATX, "stx_dev_major")).isEqualTo(136);
        assertThat(offset(Libc.STATX, "stx_dev_minor")).isEqualTo(140);
    }

    @Test
    void direntNameFollowsTheTypeByte() {
        assertThat(offset(Libc.DIRENT64, "d_reclen")).isEqualTo(16);
        assertThat(offset(Libc.DIRENT64, "d_type")).isEqualTo(18);
        assertThat(offset(Libc.DIRENT64, "d_name")).isEqualTo(19);
    }

    @Test
    void siginfoOfAChildIsLp64Linux() {
        assertThat(Libc.SIGINFO.byteSize()).isEqualTo(128);
        assertThat(Libc.SIGINFO.byteAlignment()).isEqualTo(8);
        assertThat(offset(Libc.SIGINFO, "si_code")).isEqualTo(8);
        assertThat(offset(Libc.SIGINFO, "si_pid")).isEqualTo(16);
        assertThat(offset(Libc.SIGINFO, "si_status")).isEqualTo(24);
    }

    @Test
    void smallStructs() {
        assertThat(Posix.POLLFD.byteSize()).isEqualTo(8);
        assertThat(offset(Posix.POLLFD, "events")).isEqualTo(4);
        assertThat(offset(Posix.POLLFD, "revents")).isEqualTo(6);
        assertThat(Posix.RLIMIT.byteSize()).isEqualTo(16);
        assertThat(offset(Posix.RLIMIT, "rlim_max")).isEqualTo(8);
        assertThat(Libc.OPEN_HOW.byteSize()).isEqualTo(24);
        assertThat(offset(Libc.OPEN_HOW, "resolve")).isEqualTo(16);
        assertThat(Capabilities.CAP_HEADER.byteSize()).isEqualTo(8);
        assertThat(Capabilities.CAP_DATA.byteSize()).isEqualTo(12);
        assertThat(SeccompFilter.SOCK_FPROG.byteSize()).isEqualTo(16);
        assertThat(offset(SeccompFilter.SOCK_FPROG, "filter")).isEqualTo(8);
        assertThat(Bpf.SOCK_FILTER.byteSize()).isEqualTo(8);
        assertThat(offset(Bpf.SOCK_FILTER, "k")).isEqualTo(4);
    }

    /** Each layout, the C type it stands for, and the header that defines it. */
    private record Struct(StructLayout layout, String cType, boolean sameSize) {}

    private static final String C_HEADERS = """
            #define _GNU_SOURCE
            #include <stddef.h>
            #include <stdio.h>
            #include <dirent.h>
            #include <poll.h>
            #include <signal.h>
            #include <sys/resource.h>
            #include <linux/capability.h>
            #include <linux/filter.h>
            #include <linux/openat2.h>
            #include <linux/stat.h>
            """;

    private static Map<String, Struct> structs() {
        Map<String, Struct> structs = new LinkedHashMap<>();
        structs.put("statx", new Struct(Libc.STATX, "struct statx", true));
        // glibc's struct dirent64 is the kernel's linux_dirent64 with room for the longest name
        structs.put("dirent64", new Struct(Libc.DIRENT64, "struct dirent64", false));
        structs.put("siginfo", new Struct(Libc.SIGINFO, "siginfo_t", true));
        structs.put("open_how", new Struct(Libc.OPEN_HOW, "struct open_how", true));
        structs.put("pollfd", new Struct(Posix.POLLFD, "struct pollfd", true));
        structs.put("rlimit", new Struct(Posix.RLIMIT, "struct rlimit", true));
        structs.put("cap_header", new Struct(Capabilities.CAP_HEADER, "struct __user_cap_header_struct", true));
        structs.put("cap_data", new Struct(Capabilities.CAP_DATA, "struct __user_cap_data_struct", true));
        structs.put("sock_fprog", new Struct(SeccompFilter.SOCK_FPROG, "struct sock_fprog", true));
        structs.put("sock_filter", new Struct(Bpf.SOCK_FILTER, "struct sock_filter", true));
        return structs;
    }

    @Test
    void everyNamedFieldIsWhereGccPutsIt(@TempDir Path dir) throws Exception {
        Optional<Path> gcc = onPath("gcc");
        if (gcc.isEmpty()) {
            String reason = "gcc is not installed: the layouts are checked only against the offsets pinned above";
            System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
        StringBuilder c = new StringBuilder(C_HEADERS);
        c.append("#define FIELD(tag, type, field) printf(\"%s %s %zu\\n\", tag, #field, offsetof(type, field))\n");
        c.append("int main(void) {\n");
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, Struct> e : structs().entrySet()) {
            Struct struct = e.getValue();
            if (struct.sameSize()) {
                c.append("    printf(\"%s sizeof %zu\\n\", \"").append(e.getKey()).append("\", sizeof(")
                        .append(struct.cType()).append("));\n");
                expected.add(e.getKey() + " sizeof " + struct.layout().byteSize());
            }
            for (String field : fields(struct.layout(), "")) {
                c.append("    FIELD(\"").append(e.getKey()).append("\", ").append(struct.cType()).append(", ")
                        .append(field).append(");\n");
                expected.add(e.getKey() + " " + field + " " + offset(struct.layout(), field));
            }
        }
        c.append("    return 0;\n}\n");
        Path source = Files.writeString(dir.resolve("layouts.c"), c.toString());
        Path program = dir.resolve("layouts");
        String compiled = run(List.of(gcc.get().toString(), "-o", program.toString(), source.toString()));
        String printed = run(List.of(program.toString()));

        assertThat(printed.lines().toList()).as("gcc said, compiling:%n%s%s", c, compiled).isEqualTo(expected);
    }

    /** The named fields of a layout, nested ones as {@code outer.inner}; padding has no name. */
    private static List<String> fields(MemoryLayout layout, String prefix) {
        List<String> names = new ArrayList<>();
        if (!(layout instanceof StructLayout struct)) {
            return names;
        }
        for (MemoryLayout member : struct.memberLayouts()) {
            if (member.name().isEmpty()) {
                continue;
            }
            String name = prefix + member.name().get();
            if (member instanceof StructLayout) {
                names.addAll(fields(member, name + "."));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static long offset(MemoryLayout layout, String dottedPath) {
        return layout.byteOffset(Arrays.stream(dottedPath.split("\\.")).map(PathElement::groupElement)
                .toArray(PathElement[]::new));
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", command, out).isZero();
        return out;
    }
}
