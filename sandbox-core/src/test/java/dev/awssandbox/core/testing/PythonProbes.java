package dev.awssandbox.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.ExecResult;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Python probes of the seccomp tests ({@code src/test/resources}), copied into a
 * {@link TestHost}'s working directory with {@link TestHost#copyResource}, and what the host
 * does with them from outside the sandbox.
 */
public final class PythonProbes {
    /** The host's python3 past its pyenv shim ({@link Requirements#hostProgram}): a probe, not the shim's chain under test. */
    private static final String PYTHON = Requirements.hostProgram("python3");

    /** Raw system calls with given arguments; prints each one's errno. */
    public static final String SYSCALL = "syscall-probe.py";
    /** SysV shared memory, a SysV message queue and a POSIX message queue: create, read, remove. */
    public static final String IPC = "ipc-probe.py";
    /** Listens without binding first and reports the port (or the refusal) in a status file. */
    public static final String LISTEN = "listen-probe.py";

    private PythonProbes() {}

    /** Runs {@code script} on the host, unsandboxed (the IPC probe's set-up and removal); fails unless it exits 0. */
    public static void runOnHost(Path script, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(PYTHON, script.toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    /**
     * Waits for the listen probe run as {@code command} to write {@code status}; when it reports a
     * port, connects to it from here, the host, and returns what the command sent; otherwise
     * returns the report ({@code refused ERRNO}). The command is awaited in any case.
     */
    public static String connectToReportedPort(Path status, CompletableFuture<ExecResult> command) throws Exception {
        try {
            while (!Files.exists(status) && !command.isDone()) {
                Thread.sleep(20);
            }
            assertThat(status).as(command.isDone() ? command.get().stderr().text() : "").exists();
            String report = Files.readString(status);
            if (!report.startsWith("port ")) {
                return report;
            }
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(report.substring(5))), 10_000);
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            command.get(90, TimeUnit.SECONDS);
        }
    }
}
