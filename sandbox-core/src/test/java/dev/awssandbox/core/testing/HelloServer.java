package dev.awssandbox.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on 127.0.0.1 that writes {@code hello\n} to every connection and counts them:
 * the target of the network isolation tests, whose count proves that a refused connection never
 * arrived.
 */
public final class HelloServer implements AutoCloseable {
    public static final String GREETING = "hello\n";

    private final ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();

    private HelloServer(ServerSocket listener) {
        this.listener = listener;
    }

    public static HelloServer start() {
        try {
            HelloServer server = new HelloServer(
                    new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1})));
            Thread.ofVirtual().name("hello-server").start(server::serve);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                accepted.incrementAndGet();
                s.getOutputStream().write(GREETING.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections arrived so far. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
