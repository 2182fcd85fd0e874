package dev.awssandbox.core.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.linux.Libc;
import dev.awssandbox.core.testing.ChildJvm;
import dev.awssandbox.core.testing.SeccompSweepMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel decides as the interpreter does: {@link SeccompSweepMain} installs the production
 * filter for four option sets in a child JVM over a base filter that keeps every call from being
 * made, and asks it every call number of this architecture (but the few a Java thread needs, and
 * the x32 numbers, which kill) with three argument vectors; each answer must be the action
 * {@link SeccompDispatchTest#run} computes from the same program, and the one it computes from
 * the linear dispatch the search replaced. The binary search's jumps, offsets and unsigned
 * comparisons are the kernel's here, not only our interpreter's. The control:
 * the base filter alone answers every call with its own errno, so the refusals come from the filter.
 */
class SeccompKernelSweepTest {
    @Test
    void theKernelRefusesExactlyWhatTheInterpreterDoesForEveryCallNumber() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        Arch arch = Libc.arch();
        int highest = 0;
        for (Syscall s : Syscall.values()) {
            highest = Math.max(highest, s.number(arch).orElse(0));
        }
        highest += 64;
        List<String> lines = sweep(highest);
        long pid = Long.parseLong(lines.getFirst().substring("pid ".length()));
        Map<String, SeccompFilter.Options> sets = Map.of(
                "landlock-online", SeccompFilter.Options.landlock(false, pid),
                "landlock-offline", SeccompFilter.Options.landlock(true, pid),
                "bubblewrap-online", SeccompFilter.Options.bubblewrap(false),
                "bubblewrap-offline", SeccompFilter.Options.bubblewrap(true));
        Map<String, Integer> answered = new HashMap<>();
        Map<String, Integer> refused = new HashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("failed")) {
                mismatches.add(line);
            }
            if (f.length != 4) {
                continue;
            }
            int nr = Integer.parseInt(f[1]);
            long[] vector = SeccompSweepMain.VECTORS.get(Integer.parseInt(f[2]));
            String expected = "e" + SeccompSweepMain.BASE_ERRNO;
            if (!f[0].equals("base")) {
                int[] args = new int[4];
                for (int i = 0; i < 4; i++) {
                    args[i] = (int) vector[i];
                }
                int action = SeccompDispatchTest.run(SeccompFilter.program(arch, sets.get(f[0])),
                        InstalledProgram.audit(arch), nr, args).action();
                int linear = SeccompDispatchTest.run(LinearDispatchProgram.program(arch, sets.get(f[0])),
                        InstalledProgram.audit(arch), nr, args).action();
                if (linear != action) {
                    mismatches.add(line + ": the linear dispatch decides " + Integer.toHexString(linear)
                            + ", the search " + Integer.toHexString(action));
                }
                expected = switch (action) {
                    case SeccompFilter.RET_ALLOW -> expected; // the base filter's errno: allowed, not made
                    case SeccompFilter.RET_ERRNO -> "r0"; // errno 0: "succeeds" without effect
                    default -> {
                        assertThat(action & 0xFFFF_0000).as("nr %d: %x", nr, action).isEqualTo(SeccompFilter.RET_ERRNO);
                        yield "e" + (action & 0xFFFF);
                    }
                };
            }
            if (!f[3].equals(expected)) {
                mismatches.add(line + ", the interpreter: " + expected);
            }
            answered.merge(f[0], 1, Integer::sum);
            if (!f[3].equals("e" + SeccompSweepMain.BASE_ERRNO)) {
                refused.merge(f[0], 1, Integer::sum);
            }
        }
        assertThat(mismatches).isEmpty();
        int asked = (highest + 1 - SeccompSweepMain.needed(arch).size()) * SeccompSweepMain.VECTORS.size();
        for (String set : List.of("base", "landlock-online", "landlock-offline", "bubblewrap-online", "bubblewrap-offline")) {
            assertThat(answered.get(set)).as(set).isEqualTo(asked);
        }
        assertThat(refused).doesNotContainKey("base");
        // refused outright on every set: the always-blocked calls; more with the network off, more under Landlock
        assertThat(refused.get("bubblewrap-online")).isGreaterThan(3 * 30);
        assertThat(refused.get("bubblewrap-offline")).isGreaterThan(refused.get("bubblewrap-online"));
        assertThat(refused.get("landlock-online")).isGreaterThan(refused.get("bubblewrap-online"));
        System.out.println("asked " + asked + " calls per set on " + arch + "; refused: " + refused);
    }

    private static List<String> sweep(int highest) throws Exception {
        Process jvm = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", ChildJvm.classPath(), SeccompSweepMain.class.getName(),
                String.valueOf(highest))).redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        try {
            String text = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).isTrue();
            List<String> lines = text.lines().toList();
            assertThat(lines).as(text.length() > 4000 ? text.substring(0, 4000) : text).contains("end");
            assertThat(lines.getFirst()).startsWith("pid ");
            return lines;
        } finally {
            jvm.destroyForcibly();
        }
    }
}
