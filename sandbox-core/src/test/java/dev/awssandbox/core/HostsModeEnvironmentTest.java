package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression (red team, round 18, F3): under bubblewrap in network mode hosts, the outer
 * sandbox's shell started the forwarder ({@code socat}) without closing the descriptor of the
 * command's environment ({@code memfd:aws-sandbox-environment}, with the AWS secrets and the
 * proxy's token), so socat and each of its per-connection children held it for the command's
 * whole life. While such a command runs, no socat holds it.
 */
@ExtendWith(TestHostExtension.class)
class HostsModeEnvironmentTest {
    @Test
    void theForwarderDoesNotHoldTheCommandsEnvironment(TestHost host) throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("bwrap");
        Requirements.requireProgram("socat");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).allowHosts("127.0.0.1:9").build();
        Set<String> holders = ConcurrentHashMap.newKeySet();
        Set<String> forwarders = ConcurrentHashMap.newKeySet();
        long self = ProcessHandle.current().pid();
        Thread scanner = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                    for (Path proc : procs) {
                        if (proc.getFileName().toString().equals(Long.toString(self))) {
                            continue;
                        }
                        String comm = read(proc.resolve("comm"));
                        if (comm.equals("socat")) {
                            forwarders.add(proc.getFileName().toString());
                        }
                        try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                            for (Path fd : fds) {
                                try {
                                    if (Files.readSymbolicLink(fd).toString().contains("memfd:aws-sandbox-environment")) {
                                        holders.add(comm + " (pid " + proc.getFileName() + ", fd " + fd.getFileName() + ")");
                                    }
                                } catch (java.io.IOException e) {
                                    // closed meanwhile
                                }
                            }
                        } catch (java.io.IOException | java.nio.file.DirectoryIteratorException e) {
                            // gone, or not ours to read
                        }
                    }
                } catch (java.io.IOException e) {
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ExecResult result;
        try {
            result = Sandboxes.of(host.environment(), policy, BackendKind.BUBBLEWRAP).inside("sleep", "3");
        } finally {
            scanner.interrupt();
            scanner.join();
        }
        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        assertThat(forwarders).as("the forwarder ran while the command did").isNotEmpty();
        assertThat(holders).as("processes holding the command's environment").noneMatch(h -> h.startsWith("socat"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
