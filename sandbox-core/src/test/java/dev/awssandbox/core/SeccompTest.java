package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.seccomp.Syscall;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seccomp filter, probed with raw system calls (harmless arguments) inside the sandbox and,
 * as the negative control, outside it: inside each blocked call fails with EPERM (clone3 with
 * ENOSYS); outside the same call fails differently or succeeds.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
class SeccompTest {
    @Parameter
    BackendKind backend;

    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private TestHost host;
    private Path probe;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("python3");
        host = new TestHost();
        probe = host.work().resolve("syscall-probe.py");
        try (InputStream in = getClass().getResourceAsStream("/syscall-probe.py")) {
            Files.write(probe, in.readAllBytes());
        }
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** name → "number:args" with arguments that fail harmlessly (or do nothing) outside the sandbox. */
    private static Map<String, String> probes(Arch arch) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("PTRACE", "-1:0:0:0");
        args.put("PROCESS_VM_READV", "0:0:0:0:0:0");
        args.put("PROCESS_VM_WRITEV", "0:0:0:0:0:0");
        args.put("MOUNT", "0:0:0:0:0");
        args.put("UMOUNT2", "0:0");
        args.put("PIVOT_ROOT", "0:0");
        args.put("MOVE_MOUNT", "-1:0:-1:0:0");
        args.put("OPEN_TREE", "-1:0:0");
        args.put("FSOPEN", "0:0");
        args.put("FSCONFIG", "-1:0:0:0:0");
        args.put("FSMOUNT", "-1:0:0");
        args.put("FSPICK", "-1:0:0");
        args.put("MOUNT_SETATTR", "-1:0:0:0:0");
        args.put("UNSHARE", "0");
        args.put("SETNS", "-1:0");
        args.put("KEYCTL", "-1:0:0:0:0");
        args.put("ADD_KEY", "0:0:0:0:0");
        args.put("REQUEST_KEY", "0:0:0:0");
        args.put("BPF", "-1:0:0");
        args.put("PERF_EVENT_OPEN", "0:0:-1:-1:0");
        args.put("USERFAULTFD", "0xffffffff");
        args.put("KEXEC_LOAD", "0:0:0:0xffffffff");
        args.put("KEXEC_FILE_LOAD", "-1:-1:0:0:0xffffffff");
        args.put("INIT_MODULE", "0:0:0");
        args.put("FINIT_MODULE", "-1:0:0");
        args.put("DELETE_MODULE", "0:0");
        args.put("REBOOT", "0:0:0:0");
        args.put("SWAPON", "0:0");
        args.put("SWAPOFF", "0");
        args.put("ACCT", "1");
        args.put("OPEN_BY_HANDLE_AT", "-1:0:0");
        args.put("IO_URING_SETUP", "0:0");
        args.put("IO_URING_ENTER", "-1:0:0:0:0:0");
        args.put("IO_URING_REGISTER", "-1:0:0:0");
        if (arch == Arch.X86_64) {
            args.put("IOPL", "99");
            args.put("IOPERM", "0xffffffff:1:0");
        }
        Map<String, String> specs = new LinkedHashMap<>();
        args.forEach((name, a) -> specs.put(name, Syscall.valueOf(name).number(arch).orElseThrow() + ":" + a));
        // clone with CLONE_NEWUSER|CLONE_FS (invalid together: EINVAL outside, so nothing is created)
        specs.put("CLONE_NEWUSER", Syscall.CLONE.number(arch).orElseThrow() + ":" + (0x10000000 | 0x200) + ":0:0:0:0");
        specs.put("CLONE3", Syscall.CLONE3.number(arch).orElseThrow() + ":0:0");
        // stdin is /dev/null: outside ENOTTY
        specs.put("IOCTL_TIOCSTI", Syscall.IOCTL.number(arch).orElseThrow() + ":0:0x5412:0");
        specs.put("IOCTL_TIOCLINUX", Syscall.IOCTL.number(arch).orElseThrow() + ":0:0x541C:0");
        return specs;
    }

    private static Map<String, Integer> run(Sandbox sandbox, Path probe, List<String> specs) {
        List<String> argv = new ArrayList<>(List.of("python3", probe.toString()));
        argv.addAll(specs);
        ExecResult result = Sandboxes.run(sandbox, argv.toArray(String[]::new));
        assertThat(result.isSuccess()).as(result.stderr().text()).isTrue();
        Map<String, Integer> errnos = new HashMap<>();
        result.stdout().text().lines().forEach(line -> {
            String[] parts = line.split(" ");
            errnos.put(parts[0], Integer.parseInt(parts[1]));
        });
        return errnos;
    }

    @Test
    void blockedSystemCallsFailInsideAndNotOutside() {
        assumeTrue(root(), "the negative control needs root: unprivileged, most of these calls fail with EPERM anyway");
        Arch arch = Arch.current().orElseThrow();
        Map<String, String> probes = probes(arch);
        List<String> specs = probes.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        Map<String, Integer> inside = run(sandboxes.sandboxed(), probe, specs);
        Map<String, Integer> outside = run(sandboxes.unsandboxed(), probe, specs);

        List<String> uncontrolled = new ArrayList<>();
        for (String name : probes.keySet()) {
            int expected = name.equals("CLONE3") ? ENOSYS : EPERM;
            assertThat(inside.get(name)).as("%s inside the sandbox", name).isEqualTo(expected);
            if (outside.get(name) == expected) {
                uncontrolled.add(name); // the host itself refuses it (a sysctl): no control possible here
            }
        }
        System.out.println("seccomp probes without a negative control on this host: " + uncontrolled);
        assertThat(uncontrolled).as("calls whose refusal outside hides the filter's effect").hasSizeLessThan(4);
    }

    @Test
    void aForeignSystemCallAbiKillsTheProcess() {
        assumeTrue(Arch.current().orElseThrow() == Arch.X86_64, "the x32 ABI exists only on x86_64");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        String getpidX32 = "x32:" + (0x40000000 | 39);

        ExecResult inside = Sandboxes.run(sandboxes.sandboxed(), "python3", probe.toString(), getpidX32);
        ExecResult outside = Sandboxes.run(sandboxes.unsandboxed(), "python3", probe.toString(), getpidX32);

        // SIGSYS (31) from SECCOMP_RET_KILL_PROCESS; bubblewrap's init reports it as exit code 128 + 31
        assertThat(inside.exitCode()).isEqualTo(128 + 31);
        assertThat(outside.isSuccess()).isTrue();
    }

    @Test
    void udpAndRawSocketsAreRefusedWithTheNetworkOff() {
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);
        Arch arch = Arch.current().orElseThrow();
        int socket = Syscall.SOCKET.number(arch).orElseThrow();
        List<String> specs = List.of("UDP:" + socket + ":2:2:0", "UDP6:" + socket + ":10:2:0",
                "SCTP_STREAM:" + socket + ":2:1:132", "PACKET:" + socket + ":17:3:0", "TCP:" + socket + ":2:1:0",
                "UNIX:" + socket + ":1:1:0");

        Map<String, Integer> inside = run(sandboxes.sandboxed(), probe, specs);
        Map<String, Integer> online = run(Sandboxes.of(host, backend).sandboxed(), probe, specs);

        assertThat(inside).containsEntry("UDP", EPERM).containsEntry("UDP6", EPERM)
                .containsEntry("SCTP_STREAM", EPERM).containsEntry("PACKET", EPERM)
                .containsEntry("TCP", 0).containsEntry("UNIX", EPERM);
        assertThat(online).containsEntry("UDP", 0).containsEntry("UDP6", 0).containsEntry("TCP", 0);
    }

    @Test
    void aDnsQueryOverUdpFailsWithTheNetworkOff() throws Exception {
        try (DatagramSocket resolver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            resolver.setSoTimeout(3000);
            // a DNS query for example.com, sent to a "resolver" on 127.0.0.1
            String query = "import socket; q = bytes.fromhex('abcd01000001000000000000076578616d706c6503636f6d0000010001');"
                    + " s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(q, ('127.0.0.1', "
                    + resolver.getLocalPort() + ")); print('sent')";
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();

            ExecResult denied = Sandboxes.run(Sandboxes.of(host.environment(), offline, backend).sandboxed(), "python3", "-c", query);
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stderr().text()).contains("PermissionError");
            assertThat(receives(resolver)).isFalse();

            ExecResult control = Sandboxes.run(Sandboxes.of(host, backend).sandboxed(), "python3", "-c", query);
            assertThat(control.stdout().text()).isEqualTo("sent\n");
            assertThat(receives(resolver)).isTrue();
        }
    }

    private static boolean receives(DatagramSocket socket) throws Exception {
        try {
            socket.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Reads the child's /proc status from outside (the child itself may not read /proc). */
    private static Map<String, String> statusOfARunningCommand(Sandbox sandbox, Path pidFile) throws Exception {
        var future = sandbox.runAsync(ExecRequest.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"));
        try {
            for (int i = 0; i < 200 && !(Files.exists(pidFile) && Files.size(pidFile) > 0); i++) {
                Thread.sleep(25);
            }
            Thread.sleep(100); // let sh exec sleep
            String pid = Files.readString(pidFile).strip();
            Map<String, String> fields = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            return fields;
        } finally {
            future.cancel(true);
            Files.deleteIfExists(pidFile);
        }
    }

    @Test
    void theChildRunsUnderTheFilterWithoutCapabilities() throws Exception {
        assumeTrue(backend == BackendKind.LANDLOCK,
                "under bubblewrap the child's pid is a namespace pid: BubblewrapTest reads its status from inside");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path pidFile = host.work().resolve("child.pid");

        Map<String, String> inside = statusOfARunningCommand(sandboxes.sandboxed(), pidFile);
        Map<String, String> outside = statusOfARunningCommand(sandboxes.unsandboxed(), pidFile);

        assertThat(inside).containsEntry("Seccomp", "2").containsEntry("NoNewPrivs", "1")
                .containsEntry("CapInh", "0000000000000000").containsEntry("CapPrm", "0000000000000000")
                .containsEntry("CapEff", "0000000000000000").containsEntry("CapAmb", "0000000000000000");
        assertThat(outside).containsEntry("Seccomp", "0").containsEntry("NoNewPrivs", "0");
        if (root()) {
            assertThat(inside).containsEntry("CapBnd", "0000000000000000");
            assertThat(outside.get("CapEff")).isNotEqualTo("0000000000000000");
        }
        ExecResult result = sandboxes.inside("true");
        assertThat(result.enforcement().seccomp()).isTrue();
        assertThat(result.enforcement().capabilitiesDropped()).isTrue();
    }

    @Test
    void rootInsideCannotOverrideFilePermissions() throws Exception {
        assumeTrue(root(), "DAC override is a root capability");
        Path locked = host.outsideFile("locked.txt", "only with CAP_DAC_OVERRIDE");
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);

        assertThat(sandboxes.outside("cat", locked.toString()).stdout().text()).isEqualTo("only with CAP_DAC_OVERRIDE");
        ExecResult inside = sandboxes.inside("cat", locked.toString());
        assertThat(inside.isSuccess()).isFalse();
        assertThat(inside.stderr().text()).contains("Permission denied");
    }

    @Test
    void unixSocketsOutsideCannotBeReachedByPath() throws Exception {
        Path socket = Path.of("/tmp", "aws-sandbox-test-" + java.util.UUID.randomUUID() + ".sock");
        Process server = new ProcessBuilder("python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.bind(sys.argv[1]); s.listen()
                print('ready', flush=True)
                while True:
                    c, _ = s.accept(); c.sendall(b'hello'); c.close()
                """, socket.toString()).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())).readLine())
                    .isEqualTo("ready");
            String[] client = {"python3", "-c", "import socket, sys\nc = socket.socket(socket.AF_UNIX)\n"
                    + "c.connect(sys.argv[1]); print(c.recv(5).decode())", socket.toString()};
            Sandboxes sandboxes = Sandboxes.of(host, backend);

            assertThat(sandboxes.outside(client).stdout().text()).isEqualTo("hello\n");
            ExecResult denied = sandboxes.inside(client); // /tmp is writable, the socket is there
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stderr().text()).contains("PermissionError");
        } finally {
            server.destroyForcibly().waitFor();
            java.nio.file.Files.deleteIfExists(socket);
        }
    }

    @Test
    void tcpFastOpenCannotGoAroundTheNetworkOff() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String fastOpen = "import socket\ns = socket.socket()\n"
                    + "s.sendto(b'GET / HTTP/1.0', 0x20000000, ('127.0.0.1', " + listener.getLocalPort() + "))\nprint('sent')";
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
            Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);

            assertThat(sandboxes.outside("python3", "-c", fastOpen).stdout().text()).isEqualTo("sent\n");
            ExecResult denied = sandboxes.inside("python3", "-c", fastOpen);
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stdout().text()).doesNotContain("sent");
        }
    }
}
