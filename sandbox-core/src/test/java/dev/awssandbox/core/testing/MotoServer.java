package dev.awssandbox.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real moto_server (the AWS API emulator) on a free port of 127.0.0.1, for the lifetime of a test class.
 *
 * @param process the moto_server process
 * @param port    the port it listens on
 * @param tls     whether it speaks HTTPS
 */
public record MotoServer(Process process, int port, boolean tls) implements AutoCloseable {

    /** Starts moto_server, or skips the test (printing why) if it is not installed. */
    public static MotoServer start() throws IOException, InterruptedException {
        return start(false);
    }

    /**
     * Starts moto_server over HTTPS with a certificate it makes itself (clients must not verify it:
     * {@code aws --no-verify-ssl}), or skips the test if it is not installed.
     */
    public static MotoServer startTls() throws IOException, InterruptedException {
        return start(true);
    }

    private static MotoServer start(boolean tls) throws IOException, InterruptedException {
        Path motoServer = Requirements.requireProgram("moto_server");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)));
        if (tls) {
            argv.add("--ssl");
        }
        Process process = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        MotoServer server = new MotoServer(process, port, tls);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IOException("moto_server did not start on port " + port + " within 60 s");
    }

    public String endpoint() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(5))) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
