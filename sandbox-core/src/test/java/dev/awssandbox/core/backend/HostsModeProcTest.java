package dev.awssandbox.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.egress.EgressRoute;
import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network mode hosts under bubblewrap runs the command's bwrap inside an outer bwrap with a PID
 * namespace of its own. The command's bwrap reads {@code /proc/PID/ns} of the child it starts, PID
 * as the outer namespace numbers it, so the outer sandbox needs a {@code /proc} of that namespace:
 * with the host's, the number was another process or none, and bwrap failed ("open /proc/12/ns
 * failed") whenever the forwarder was slow enough to listen that the outer namespace's count
 * reached a number the host had no process at (a combined test run under load, once). Here the
 * forwarder is made slower step by step (a socat that first runs {@code /bin/true} K times), so
 * the count passes through the host's gaps; every run must succeed. Premise: the host has gaps
 * among its low pids.
 */
class HostsModeProcTest {
    @TempDir
    Path dir;

    @Test
    void theCommandsBwrapStartsWhateverNumberItsChildGets() throws Exception {
        Path bwrap = Requirements.requireProgram("bwrap");
        Path socat = Requirements.requireProgram("socat");
        List<Integer> gaps = IntStream.rangeClosed(3, 60).filter(pid -> !Files.exists(Path.of("/proc/" + pid))).boxed().toList();
        if (gaps.isEmpty()) {
            System.err.println("SKIPPED: every pid from 3 to 60 is a process of this host: no gap to fall into");
        }
        Assumptions.assumeFalse(gaps.isEmpty(), "every pid from 3 to 60 is a process of this host");
        List<String> inner = List.of(bwrap.toString(), "--unshare-all", "--share-net", "--die-with-parent",
                "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--", "/bin/true");
        List<String> failures = new ArrayList<>();
        for (int k = 0; k <= 40; k++) {
            Path slowSocat = dir.resolve("socat-" + k);
            Files.writeString(slowSocat, "#!/bin/sh\ni=0\nwhile [ $i -lt " + k + " ]; do /bin/true; i=$((i+1)); done\nexec "
                    + socat + " \"$@\"\n");
            Files.setPosixFilePermissions(slowSocat, PosixFilePermissions.fromString("rwxr-xr-x"));
            BubblewrapBackend backend = new BubblewrapBackend(Optional.of(bwrap), Optional.of(slowSocat));
            int port = 40_000 + k;
            List<String> argv = backend.hostsArgv(bwrap, new EgressRoute(port, dir.resolve("proxy.sock"),
                    "http://127.0.0.1:" + port), inner);
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                failures.add("socat slowed by " + k + " processes: exit " + p.exitValue() + ": " + output);
            }
        }
        System.out.println("host pids without a process among 3..60: " + gaps);
        assertThat(failures).as("runs of the command's bwrap inside mode hosts' outer sandbox").isEmpty();
    }
}
