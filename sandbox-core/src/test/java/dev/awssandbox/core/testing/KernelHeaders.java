package dev.awssandbox.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system call tables of the kernel headers installed on the machine ({@code linux-libc-dev}):
 * {@code asm/unistd_64.h} for x86_64 and {@code asm-generic/unistd.h}, the table aarch64 uses. A
 * test that needs one is skipped with the reason printed when it is missing, and fails under
 * {@code CI=true}.
 */
public final class KernelHeaders {
    public static final Path X86_64_UNISTD = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    public static final Path GENERIC_UNISTD = Path.of("/usr/include/asm-generic/unistd.h");

    private static final Pattern NUMBER = Pattern.compile("^#define\\s+__NR(3264)?_(\\w+)\\s+(\\d+)\\s*$");
    private static final Pattern ALIAS = Pattern.compile("^#define\\s+__NR_(\\w+)\\s+__NR3264_(\\w+)\\s*$");

    private KernelHeaders() {}

    /** name → number from a unistd header, resolving asm-generic's {@code __NR_x __NR3264_x} aliases. */
    public static Map<String, Integer> parseUnistd(Path header) throws IOException {
        Map<String, Integer> numbers = new HashMap<>();
        Map<String, Integer> numbers3264 = new HashMap<>();
        List<String[]> aliases = new ArrayList<>();
        for (String line : Files.readAllLines(header)) {
            Matcher m = NUMBER.matcher(line);
            if (m.matches()) {
                (m.group(1) == null ? numbers : numbers3264).put(m.group(2), Integer.parseInt(m.group(3)));
                continue;
            }
            Matcher a = ALIAS.matcher(line);
            if (a.matches()) {
                aliases.add(new String[] {a.group(1), a.group(2)});
            }
        }
        // asm-generic defines fcntl (64-bit) and fcntl64 (32-bit) as aliases of __NR3264_fcntl:
        // only the names without a 64 suffix concern a 64-bit architecture
        for (String[] alias : aliases) {
            if (numbers3264.containsKey(alias[1]) && alias[0].equals(alias[1])) {
                numbers.put(alias[0], numbers3264.get(alias[1]));
            }
        }
        numbers.remove("syscalls"); // __NR_syscalls is the table's size, not a call
        return numbers;
    }

    /** {@code header}, or the test is skipped (failed under CI) with the reason printed. */
    public static Path require(Path header) {
        if (!Files.isRegularFile(header)) {
            String reason = header + " is missing: the system call numbers cannot be checked (apt-get install linux-libc-dev)";
            if (Requirements.inCi()) {
                fail(reason + "; CI must check them");
            }
            System.err.println("SKIPPED: " + reason);
            assumeTrue(false, reason);
        }
        return header;
    }
}
