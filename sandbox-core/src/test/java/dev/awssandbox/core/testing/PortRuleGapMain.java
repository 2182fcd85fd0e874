package dev.awssandbox.core.testing;

import dev.awssandbox.core.BackendKind;
import dev.awssandbox.core.Command;
import dev.awssandbox.core.ExecResult;
import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxPolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Measures what Landlock's TCP port rule holds in network mode hosts, in a network namespace of
 * its own (the test starts this JVM in one; it refuses to run anywhere else): a listener on
 * 127.0.0.2 at the egress proxy's port number (another address, the same port) and one at another
 * port, each connected to from a Landlock-sandboxed command and, as the control, unsandboxed.
 * Prints {@code samePort=…}, {@code otherPort=…}, {@code otherPortOutside=…}.
 */
public final class PortRuleGapMain {
    private PortRuleGapMain() {}

    public static void main(String[] args) throws Exception {
        List<String> interfaces = Files.readAllLines(Path.of("/proc/net/dev")).stream().skip(2)
                .map(l -> l.strip().split(":")[0]).toList();
        if (!interfaces.equals(List.of("lo"))) {
            System.out.println("refused: not in a network namespace of its own (interfaces " + interfaces + ")");
            System.exit(3);
        }
        HostEnvironment host = HostEnvironment.current();
        SandboxPolicy policy = SandboxPolicy.builder(host).allowHosts("*.amazonaws.com").build();
        Sandbox sandbox = Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.REQUIRED)
                .backend(BackendKind.LANDLOCK).build();
        String proxy = run(sandbox, "printenv HTTPS_PROXY").stdout().text().strip();
        int proxyPort = Integer.parseInt(proxy.substring(proxy.lastIndexOf(':') + 1));
        InetAddress elsewhere = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        try (ServerSocket samePort = listen(elsewhere, proxyPort); ServerSocket otherPort = listen(elsewhere, 0)) {
            System.out.println("samePort=" + outcome(run(sandbox, connect(proxyPort))));
            System.out.println("otherPort=" + outcome(run(sandbox, connect(otherPort.getLocalPort()))));
            Sandbox unsandboxed = Sandbox.builder().host(host).policy(policy).mode(Sandbox.Mode.DISABLED).build();
            System.out.println("otherPortOutside=" + outcome(run(unsandboxed, connect(otherPort.getLocalPort()))));
        }
        System.exit(0);
    }

    private static ServerSocket listen(InetAddress address, int port) throws Exception {
        ServerSocket server = new ServerSocket(port, 10, address);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("reached\n".getBytes());
                } catch (Exception e) {
                    return;
                }
            }
        });
        return server;
    }

    private static String connect(int port) {
        return "exec 3<>/dev/tcp/127.0.0.2/" + port + " && head -1 <&3";
    }

    private static ExecResult run(Sandbox sandbox, String script) throws Exception {
        return sandbox.run(Command.builder(List.of("bash", "-c", script)).timeout(Duration.ofSeconds(30)).build());
    }

    private static String outcome(ExecResult result) {
        if (result.stdout().text().equals("reached\n")) {
            return "connected";
        }
        String stderr = result.stderr().text();
        return stderr.contains("Permission denied") ? "refused: Permission denied"
                : "failed: " + stderr.strip().replace('\n', ' ');
    }
}
