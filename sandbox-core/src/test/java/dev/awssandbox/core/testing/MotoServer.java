package dev.awssandbox.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        // port 0: moto_server binds a free port itself and says which. A port probed here and handed over
        // could be taken by another test JVM's server in between, and the readiness check would then
        // have found that server listening (its tests failed with ECONNREFUSED once it stopped)
        List<String> argv = new ArrayList<>(List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", "0"));
        if (tls) {
            argv.add("--ssl");
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().put("PYTHONUNBUFFERED", "1");
        Process process = builder.start();
        int port;
        try {
            port = announcedPort(process);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        MotoServer server = new MotoServer(process, port, tls);
        server.awaitReady();
        return server;
    }

    private static final Pattern RUNNING_ON = Pattern.compile("Running on https?://127\\.0\\.0\\.1:(\\d+)");

    /**
     * The port from moto_server's "Running on" line; its output is drained from then on (it logs every
     * request, and a full pipe would stall it).
     */
    private static int announcedPort(Process process) throws IOException, InterruptedException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> announced = new CompletableFuture<>();
        StringBuffer seen = new StringBuffer(); // read by the caller on a timeout
        Thread.ofPlatform().daemon().name("moto_server output").start(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    if (!announced.isDone()) {
                        Matcher m = RUNNING_ON.matcher(line);
                        if (m.find()) {
                            announced.complete(Integer.parseInt(m.group(1)));
                        } else if (seen.length() < 4000) {
                            seen.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            announced.completeExceptionally(new IOException("moto_server ended without saying its port: " + seen));
        });
        try {
            return announced.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (IOException) e.getCause();
        } catch (TimeoutException e) {
            throw new IOException("moto_server did not say its port within 60 s: " + seen);
        }
    }

    /** Waits until it accepts connections (it says its port once bound; this is the check that it serves). */
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
