package dev.awssandbox.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
        // A probed port is free only until it is closed: another JVM's server (tests run in several
        // JVMs at once) may take it first, and then ours fails to bind while the other one answers.
        // So the listener is checked to be our process's own socket, and a lost port is tried again.
        IOException lost = null;
        for (int attempt = 0; attempt < 5; attempt++) {
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
            try {
                server.awaitReady();
                return server;
            } catch (PortTakenException e) {
                server.close();
                lost = e;
            }
        }
        throw new IOException("five probed ports were taken by other processes", lost);
    }

    /** The port was taken by another process before moto_server could bind it. */
    private static final class PortTakenException extends IOException {
        PortTakenException(int port) {
            super("port " + port + " of 127.0.0.1 was taken by another process before moto_server could bind it");
        }
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (listenerInode().isPresent()) {
                    throw new PortTakenException(port);
                }
                throw new IOException("moto_server exited with " + process.exitValue());
            }
            OptionalLong inode = listenerInode();
            if (inode.isPresent()) {
                if (holdsSocket(inode.getAsLong())) {
                    return;
                }
                // Someone else listens there: ours will fail to bind, or has failed already.
                throw new PortTakenException(port);
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("moto_server did not start on port " + port + " within 60 s");
    }

    /** The inode of the socket listening on 127.0.0.1:port, from {@code /proc/net/tcp}. */
    private OptionalLong listenerInode() throws IOException {
        String local = String.format("0100007F:%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].equals(local) && fields[3].equals("0A")) {
                return OptionalLong.of(Long.parseLong(fields[9]));
            }
        }
        return OptionalLong.empty();
    }

    /** Whether moto_server or one of its descendants holds the socket with this inode. */
    private boolean holdsSocket(long inode) {
        String target = "socket:[" + inode + "]";
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).anyMatch(handle -> {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(handle.pid()), "fd"))) {
                return fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).toString().equals(target);
                    } catch (IOException e) {
                        return false;
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                return false;
            }
        });
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
