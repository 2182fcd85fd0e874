import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * `aws s3 cp` of a 256 MiB file to a local moto_server, sandboxed, through the egress proxy
 * (network mode hosts: the AWS CLI's plain-HTTP requests go through the proxy, under bubblewrap
 * also through socat) against the same command with the network on (direct), in the same run,
 * interleaved; prints the throughput of each and the median ratio proxy/direct.
 *
 * Then the proxy's own cost without moto: the same file PUT by curl to a local sink, direct vs
 * through the proxy.
 *
 * Run: bench/run EgressBench [landlock|bubblewrap] [repetitions] [MiB]
 */
public class EgressBench {
    public static void main(String[] args) throws Exception {
        BackendKind backend = args.length > 0 && args[0].startsWith("b") ? BackendKind.BUBBLEWRAP : BackendKind.LANDLOCK;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int mib = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        Path work = Files.createTempDirectory(Path.of(System.getProperty("user.home")), "egress-bench-");
        Path file = work.resolve("payload.bin");
        byte[] chunk = new byte[1 << 20];
        new Random(42).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                out.write(chunk);
            }
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(port);
            String endpoint = "http://127.0.0.1:" + port;
            Map<String, String> variables = new java.util.HashMap<>(System.getenv());
            variables.putAll(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                    "AWS_DEFAULT_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true"));
            HostEnvironment host = new HostEnvironment(variables, work, HostEnvironment.Platform.current());
            SandboxPolicy direct = SandboxPolicy.builder(host).allowNetwork(true).build();
            SandboxPolicy proxied = SandboxPolicy.builder(host).allowHosts("127.0.0.1:" + port).build();
            Sandbox directSandbox = Sandbox.builder().host(host).policy(direct).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            Sandbox proxiedSandbox = Sandbox.builder().host(host).policy(proxied).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            List<String> mb = List.of("aws", "--endpoint-url", endpoint, "s3", "mb", "s3://bench");
            check(directSandbox.run(Command.builder(mb).timeout(Duration.ofMinutes(2)).build()));
            List<String> cp = List.of("aws", "--endpoint-url", endpoint, "s3", "cp", "--only-show-errors", file.toString(),
                    "s3://bench/payload.bin");
            // warm-up: one of each
            run(directSandbox, cp);
            run(proxiedSandbox, cp);
            double[] directRates = new double[reps];
            double[] proxyRates = new double[reps];
            double[] ratios = new double[reps];
            for (int r = 0; r < reps; r++) {
                boolean proxyFirst = r % 2 == 1; // interleaved, alternating which goes first
                double a = proxyFirst ? run(proxiedSandbox, cp) : run(directSandbox, cp);
                double b = proxyFirst ? run(directSandbox, cp) : run(proxiedSandbox, cp);
                directRates[r] = mib / (proxyFirst ? b : a);
                proxyRates[r] = mib / (proxyFirst ? a : b);
                ratios[r] = proxyRates[r] / directRates[r];
                System.out.printf("rep %d: direct %.1f MiB/s, through the proxy %.1f MiB/s, ratio %.2f%n", r + 1,
                        directRates[r], proxyRates[r], ratios[r]);
            }
            ExecResult counted = proxiedSandbox.run(Command.builder(cp).timeout(Duration.ofMinutes(10)).build());
            check(counted);
            long sent = counted.connections().stream().mapToLong(ExecResult.Connection::bytesSent).sum();
            System.out.printf("%s, aws s3 cp of %d MiB to moto_server: direct %.1f MiB/s, through the egress proxy %.1f MiB/s"
                            + " (medians of %d); median ratio proxy/direct %.2fx; the proxy counted %d bytes sent%n",
                    backend.label(), mib, median(directRates), median(proxyRates), reps, median(ratios), sent);
            sink(backend, host, file, mib, reps);
        } finally {
            moto.destroy();
            moto.waitFor();
            Files.deleteIfExists(file);
            Files.deleteIfExists(work);
        }
        System.exit(0);
    }

    /**
     * The proxy's own cost, without moto's: the same file PUT by curl to a local server that only
     * counts bytes, direct vs through the proxy (plain HTTP), same backend.
     */
    private static void sink(BackendKind backend, HostEnvironment host, Path file, int mib, int reps) throws Exception {
        try (ServerSocket sink = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Thread.ofVirtual().start(() -> {
                while (!sink.isClosed()) {
                    try {
                        Socket s = sink.accept();
                        Thread.ofVirtual().start(() -> drain(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + sink.getLocalPort() + "/payload";
            SandboxPolicy direct = SandboxPolicy.builder(host).allowNetwork(true).build();
            SandboxPolicy proxied = SandboxPolicy.builder(host).allowHosts("127.0.0.1:" + sink.getLocalPort()).build();
            Sandbox d = Sandbox.builder().host(host).policy(direct).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            Sandbox p = Sandbox.builder().host(host).policy(proxied).mode(Sandbox.Mode.REQUIRED).backend(backend).build();
            List<String> put = List.of("curl", "-sS", "-f", "-o", "/dev/null", "-T", file.toString(), url);
            run(d, put);
            run(p, put);
            double[] ratios = new double[reps];
            double[] directRates = new double[reps];
            double[] proxyRates = new double[reps];
            for (int r = 0; r < reps; r++) {
                boolean proxyFirst = r % 2 == 1;
                double a = proxyFirst ? run(p, put) : run(d, put);
                double b = proxyFirst ? run(d, put) : run(p, put);
                directRates[r] = mib / (proxyFirst ? b : a);
                proxyRates[r] = mib / (proxyFirst ? a : b);
                ratios[r] = proxyRates[r] / directRates[r];
            }
            System.out.printf("%s, curl PUT of %d MiB to a local sink: direct %.0f MiB/s, through the egress proxy %.0f MiB/s"
                    + " (medians of %d); median ratio proxy/direct %.2fx%n", backend.label(), mib, median(directRates),
                    median(proxyRates), reps, median(ratios));
        }
    }

    /** Reads one request (head and Content-Length body, or until the client closes) and answers 200. */
    private static void drain(Socket s) {
        try (s) {
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                head.append((char) c);
            }
            long length = -1;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).strip());
                }
            }
            if (head.toString().toLowerCase(java.util.Locale.ROOT).contains("expect: 100-continue")) {
                s.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes());
            }
            byte[] buffer = new byte[1 << 16];
            long left = length;
            while (left != 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left < 0 ? buffer.length : left));
                if (n < 0) {
                    break;
                }
                left -= left < 0 ? 0 : n;
            }
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static double run(Sandbox sandbox, List<String> argv) throws Exception {
        long t0 = System.nanoTime();
        ExecResult result = sandbox.run(Command.builder(argv).timeout(Duration.ofMinutes(10)).build());
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(result);
        return seconds;
    }

    private static void check(ExecResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException(result.failureSummary() + ": " + result.stderr().text());
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException("moto_server did not start");
    }
}
