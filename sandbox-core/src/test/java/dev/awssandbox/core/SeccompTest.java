package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awssandbox.core.linux.Arch;
import dev.awssandbox.core.seccomp.Syscall;
import dev.awssandbox.core.testing.PythonProbes;
import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.LoopFileSystem;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(TestHostExtension.class)
class SeccompTest {
    /** The host's python3 past its pyenv shim ({@link Requirements#hostProgram}): a probe, not the shim's chain under test. */
    private static final String PYTHON = Requirements.hostProgram("python3");

    @Parameter
    BackendKind backend;

    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    private static final int EBADF = 9;
    private static final int ESRCH = 3;
    private static final int EROFS = 30;
    private static final int EISCONN = 106;
    private static final int AT_FDCWD = -100;

    private TestHost host;
    private Path probe;

    @BeforeEach
    void setUp(TestHost host) throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("python3");
        this.host = host;
        probe = host.copyResource(PythonProbes.SYSCALL);
    }

    /** A probe argument: a pointer to the NUL-terminated string (a path, an xattr name). */
    private static String string(String text) {
        return "mem:" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "00";
    }

    private static int nr(Syscall syscall) {
        return syscall.number(Arch.current().orElseThrow()).orElseThrow();
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
        List<String> argv = new ArrayList<>(List.of(PYTHON, probe.toString()));
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

        ExecResult inside = Sandboxes.run(sandboxes.sandboxed(), PYTHON, probe.toString(), getpidX32);
        ExecResult outside = Sandboxes.run(sandboxes.unsandboxed(), PYTHON, probe.toString(), getpidX32);

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

            ExecResult denied = Sandboxes.run(Sandboxes.of(host.environment(), offline, backend).sandboxed(), PYTHON, "-c", query);
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stderr().text()).contains("PermissionError");
            assertThat(receives(resolver)).isFalse();

            ExecResult control = Sandboxes.run(Sandboxes.of(host, backend).sandboxed(), PYTHON, "-c", query);
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
        var future = sandbox.runAsync(Command.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"));
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
        Process server = new ProcessBuilder(PYTHON, "-c", """
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
            String[] client = {PYTHON, "-c", "import socket, sys\nc = socket.socket(socket.AF_UNIX)\n"
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

    /**
     * Finding B of the red team: {@code socket(AF_UNIX)} was refused, but a datagram socketpair could
     * {@code sendto} any host datagram socket by path (journald, syslog, systemd's notify socket), and
     * under bubblewrap with the network on an abstract one. The command reports where it stopped:
     * the refusal must be {@code socketpair} itself (EPERM), a call Landlock never refuses, so no
     * other layer can be what stops it here; a stream pair, which cannot send to an address, stays.
     */
    @Test
    void hostDatagramSocketsCannotBeReachedThroughASocketpair() throws Exception {
        String name = "aws-sandbox-test-" + UUID.randomUUID();
        Path path = Path.of("/tmp", name + ".sock");
        Process server = new ProcessBuilder(PYTHON, "-c", """
                import select, socket, sys
                by_path = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); by_path.bind(sys.argv[1])
                abstract = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); abstract.bind("\\0" + sys.argv[2])
                print("ready", flush=True)
                got = []
                while b"stop" not in got:
                    for s in select.select([by_path, abstract], [], [], 60)[0]:
                        got.append(s.recv(100))
                for s in (by_path, abstract):
                    s.setblocking(False)
                    try:
                        while True:
                            got.append(s.recv(100))
                    except BlockingIOError:
                        pass
                print(" ".join(sorted(g.decode() for g in got if g != b"stop")), flush=True)
                """, path.toString(), name).start();
        String client = """
                import socket, sys
                def attempt(what, call):
                    try:
                        call(); print(what, 0)
                    except OSError as e:
                        print(what, e.errno)
                tag, path, name = sys.argv[1:4]
                try:
                    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
                except OSError as e:
                    print("dgram-pair", e.errno)
                else:
                    attempt("path", lambda: a.sendto(tag.encode() + b"-path", path))
                    attempt("abstract", lambda: a.sendto(tag.encode() + b"-abstract", "\\0" + name))
                    attempt("connect", lambda: a.connect(path))
                try:
                    socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET); print("seqpacket-pair", 0)
                except OSError as e:
                    print("seqpacket-pair", e.errno)
                a, b = socket.socketpair()  # a stream pair: refuses an address whatever the filter says
                attempt("stream-path", lambda: a.sendto(tag.encode() + b"-stream", path))
                a.sendall(b"x"); print("stream-pair", b.recv(1).decode())
                """;
        try {
            BufferedReader serverOut = new BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
            assertThat(serverOut.readLine()).isEqualTo("ready");
            Sandboxes sandboxes = Sandboxes.of(host, backend);

            ExecResult inside = sandboxes.inside(PYTHON, "-c", client, "inside", path.toString(), name);
            ExecResult outside = sandboxes.outside(PYTHON, "-c", client, "outside", path.toString(), name);
            new ProcessBuilder(PYTHON, "-c", "import socket, sys\nsocket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)"
                    + ".sendto(b'stop', sys.argv[1])", path.toString()).start().waitFor();
            String received = serverOut.readLine();

            assertThat(outside.stdout().text()).as(outside.stderr().text()).startsWith("path 0\nabstract 0\nconnect 0\n");
            assertThat(received).as("what the host's datagram sockets received").isEqualTo("outside-abstract outside-path");
            assertThat(inside.stdout().text()).as(inside.stderr().text()).isEqualTo("dgram-pair " + EPERM + "\n"
                    + "seqpacket-pair " + EPERM + "\nstream-path " + EISCONN + "\nstream-pair x\n");
            assertThat(outside.stdout().text()).endsWith("seqpacket-pair 0\nstream-path " + EISCONN + "\nstream-pair x\n");
        } finally {
            server.destroyForcibly().waitFor();
            Files.deleteIfExists(path);
        }
    }

    /**
     * Finding C of the red team: {@code umask(0)} then {@code open(O_CREAT, 0777)} or
     * {@code mkdir(01777)} made world-writable files. Every way a new file gets its mode from the
     * umask is tried after {@code umask(0)}; outside the sandbox each comes out group- and
     * world-accessible, inside none does. Other ways to such bits are refused outright: a
     * {@code chmod} to a non-private mode ({@code modeOwnerAndExtendedAttributesCannotBeChanged})
     * and a default ACL, which would override the umask for every file in a directory.
     */
    @Test
    void aCommandCannotCreateFilesOthersCanAccess() throws Exception {
        String create = """
                import os, socket, stat, sys
                d = sys.argv[1]
                os.umask(0)
                def made(name, create):
                    p = os.path.join(d, name)
                    try:
                        create(p); print(name, oct(stat.S_IMODE(os.lstat(p).st_mode)))
                    except OSError as e:
                        print(name, "errno", e.errno)
                made("file", lambda p: os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o777)))
                made("dir", lambda p: os.mkdir(p, 0o1777))
                made("fifo", lambda p: os.mkfifo(p, 0o666))
                made("node", lambda p: os.mknod(p, 0o666 | stat.S_IFREG))
                def tmpfile(p):
                    fd = os.open(d, os.O_TMPFILE | os.O_WRONLY, 0o666)
                    # linkat(AT_SYMLINK_FOLLOW): os.link passes the flag only when given a directory descriptor
                    os.link("/proc/self/fd/%d" % fd, p, src_dir_fd=os.open("/", os.O_PATH))
                made("tmpfile", tmpfile)
                made("socket", lambda p: socket.socketpair()[0].bind(p))
                def default_acl(p):
                    os.mkdir(p, 0o700)
                    # user::rwx group::rwx other::rwx (posix_acl_xattr version 2)
                    entry = lambda tag, perm: tag.to_bytes(2, "little") + perm.to_bytes(2, "little") + (0xFFFFFFFF).to_bytes(4, "little")
                    os.setxattr(p, "system.posix_acl_default", (2).to_bytes(4, "little") + entry(1, 7) + entry(4, 7) + entry(32, 7))
                    os.close(os.open(os.path.join(p, "inherits"), os.O_CREAT | os.O_WRONLY, 0o666))
                    print("acl-file", oct(stat.S_IMODE(os.lstat(os.path.join(p, "inherits")).st_mode)))
                made("acl-dir", default_acl)
                """;
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path in = Files.createDirectory(host.work().resolve("in"));
        Path out = Files.createDirectory(host.work().resolve("out"));

        ExecResult inside = sandboxes.inside(PYTHON, "-c", create, in.toString());
        ExecResult outside = sandboxes.outside(PYTHON, "-c", create, out.toString());

        Map<String, String> made = modes(outside);
        Map<String, String> madeInside = modes(inside);
        for (String name : List.of("file", "dir", "fifo", "node", "tmpfile", "socket")) {
            assertThat(made.get(name)).as("%s outside: %s", name, outside).startsWith("0o");
            assertThat(Integer.parseInt(made.get(name).substring(2), 8) & 077).as("%s outside", name).isNotZero();
        }
        for (String name : List.of("file", "dir", "fifo", "node", "tmpfile")) {
            assertThat(madeInside.get(name)).as("%s inside: %s", name, inside).startsWith("0o");
            assertThat(Integer.parseInt(madeInside.get(name).substring(2), 8) & 077).as("%s inside", name).isZero();
        }
        // no unix socket is bound inside at all: a bind with a unix address's length is refused (red team, round 12, F3)
        assertThat(madeInside).containsEntry("socket", "errno " + EPERM);
        assertThat(madeInside.get("dir")).isEqualTo("0o1700"); // the sticky bit is harmless on a private directory
        // a default ACL: outside the file it governs is 0666 whatever the umask; inside the ACL is refused
        assertThat(made).containsEntry("acl-file", "0o666");
        assertThat(madeInside).containsEntry("acl-dir", "errno " + EPERM).doesNotContainKey("acl-file");
        try (Stream<Path> files = Files.walk(in)) {
            assertThat(files.filter(f -> !f.equals(in)).filter(f -> {
                try {
                    return ((Integer) Files.getAttribute(f, "unix:mode") & 077) != 0;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).as("files others could use, made inside").isEmpty();
        }
    }

    private static Map<String, String> modes(ExecResult result) {
        Map<String, String> modes = new LinkedHashMap<>();
        result.stdout().text().lines().forEach(l -> modes.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return modes;
    }

    @Test
    void tcpFastOpenCannotGoAroundTheNetworkOff() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String fastOpen = "import socket\ns = socket.socket()\n"
                    + "s.sendto(b'GET / HTTP/1.0', 0x20000000, ('127.0.0.1', " + listener.getLocalPort() + "))\nprint('sent')";
            SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
            Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);

            assertThat(sandboxes.outside(PYTHON, "-c", fastOpen).stdout().text()).isEqualTo("sent\n");
            ExecResult denied = sandboxes.inside(PYTHON, "-c", fastOpen);
            assertThat(denied.isSuccess()).isFalse();
            assertThat(denied.stdout().text()).doesNotContain("sent");
        }
    }

    /** The JVM's thread ids now (the spawner threads of policies used before among them). */
    private static List<Long> jvmThreads() throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Long.parseLong(t.getFileName().toString())).sorted().toList();
        }
    }

    @Test
    void theCommandCannotActOnItsSupervisorNorOnOtherProcesses() throws Exception {
        assumeTrue(backend == BackendKind.LANDLOCK,
                "bubblewrap's PID namespace hides the JVM and every host process (BubblewrapTest)");
        Requirements.requireLandlockAbi(backend, 6, "signals to JVM threads outside the domain need Landlock's signal scope (ABI 6)");
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        // the same program as below, so the same ruleset: its spawner threads exist from now on and are listed
        run(sandboxes.sandboxed(), probe, List.of());
        Process sleeper = new ProcessBuilder("sleep", "300").start(); // a throwaway host process of the same user
        try {
            long jvm = ProcessHandle.current().pid();
            long other = sleeper.pid();
            String siQueue = "mem:0000000000000000ffffffff"; // siginfo_t with si_code SI_QUEUE, signal 0
            Map<String, String> acts = new LinkedHashMap<>();
            acts.put("TGKILL_JVM", nr(Syscall.TGKILL) + ":" + jvm + ":" + jvm + ":0");
            acts.put("RT_TGSIGQUEUEINFO_JVM", nr(Syscall.RT_TGSIGQUEUEINFO) + ":" + jvm + ":" + jvm + ":0:" + siQueue);
            acts.put("KILL_JVM", nr(Syscall.KILL) + ":" + jvm + ":0");
            acts.put("RT_SIGQUEUEINFO_JVM", nr(Syscall.RT_SIGQUEUEINFO) + ":" + jvm + ":0:" + siQueue);
            acts.put("PIDFD_OPEN_JVM", nr(Syscall.PIDFD_OPEN) + ":" + jvm + ":0");
            acts.put("KCMP_JVM", nr(Syscall.KCMP) + ":" + jvm + ":" + other + ":1:0:0"); // KCMP_VM
            acts.put("PRLIMIT64_JVM", nr(Syscall.PRLIMIT64) + ":" + jvm + ":7:0:0"); // RLIMIT_NOFILE, read nothing
            acts.put("FCNTL_SETOWN_JVM", nr(Syscall.FCNTL) + ":1:8:" + jvm); // owner of its own stdout
            acts.put("FCNTL_SETOWN_EX", nr(Syscall.FCNTL) + ":1:15:mem:00"); // {F_OWNER_TID, 0}: no owner
            acts.put("PRLIMIT64_OTHER", nr(Syscall.PRLIMIT64) + ":" + other + ":7:0:0");
            acts.put("SCHED_SETAFFINITY_OTHER", nr(Syscall.SCHED_SETAFFINITY) + ":" + other + ":8:mem:ffffffffffffffff");
            acts.put("SCHED_SETSCHEDULER_OTHER", nr(Syscall.SCHED_SETSCHEDULER) + ":" + other + ":0:mem:00");
            acts.put("SCHED_SETPARAM_OTHER", nr(Syscall.SCHED_SETPARAM) + ":" + other + ":mem:00");
            acts.put("SCHED_SETATTR_OTHER", nr(Syscall.SCHED_SETATTR) + ":" + other + ":mem:00:0");
            acts.put("SETPRIORITY_OTHER", nr(Syscall.SETPRIORITY) + ":0:" + other + ":19"); // PRIO_PROCESS
            acts.put("IOPRIO_SET_OTHER", nr(Syscall.IOPRIO_SET) + ":1:" + other + ":0x4007"); // best effort, 7
            acts.put("GET_ROBUST_LIST_OTHER", nr(Syscall.GET_ROBUST_LIST) + ":" + other + ":mem:00:mem:00");
            acts.put("MOVE_PAGES_OTHER", nr(Syscall.MOVE_PAGES) + ":" + other + ":0:0:0:0:0");
            acts.put("MIGRATE_PAGES_OTHER", nr(Syscall.MIGRATE_PAGES) + ":" + other + ":2:mem:01:mem:01");
            acts.put("TKILL_OTHER", nr(Syscall.TKILL) + ":" + other + ":0");
            acts.put("PIDFD_OPEN_THREAD_OTHER", nr(Syscall.PIDFD_OPEN) + ":" + other + ":0x80");
            // refused outright; outside they fail on the bad descriptor instead
            Map<String, String> refusedOutright = new LinkedHashMap<>();
            refusedOutright.put("PIDFD_GETFD", nr(Syscall.PIDFD_GETFD) + ":-1:0:0");
            refusedOutright.put("PROCESS_MADVISE", nr(Syscall.PROCESS_MADVISE) + ":-1:0:0:0:0");
            refusedOutright.put("PROCESS_MRELEASE", nr(Syscall.PROCESS_MRELEASE) + ":-1:0");
            refusedOutright.put("IOCTL_FIOSETOWN", nr(Syscall.IOCTL) + ":1:0x8901:mem:00");
            // every thread of the JVM: the spawner of this command among them (it shares its Landlock domain)
            Map<String, String> threads = new LinkedHashMap<>();
            for (long tid : jvmThreads()) {
                threads.put("KILL_" + tid, nr(Syscall.KILL) + ":" + tid + ":0");
                threads.put("TGKILL_" + tid, nr(Syscall.TGKILL) + ":" + jvm + ":" + tid + ":0");
                threads.put("PIDFD_OPEN_THREAD_" + tid, nr(Syscall.PIDFD_OPEN) + ":" + tid + ":0x80");
            }
            List<String> specs = new ArrayList<>();
            for (Map<String, String> group : List.of(acts, refusedOutright, threads)) {
                group.forEach((name, spec) -> specs.add(name + ":" + spec));
            }

            Map<String, Integer> inside = run(sandboxes.sandboxed(), probe, specs);
            Map<String, Integer> outside = run(sandboxes.unsandboxed(), probe, specs);

            for (String name : acts.keySet()) {
                assertThat(outside.get(name)).as("%s outside the sandbox", name).isZero();
                assertThat(inside.get(name)).as("%s inside the sandbox", name).isEqualTo(EPERM);
            }
            for (String name : refusedOutright.keySet()) {
                assertThat(outside.get(name)).as("%s outside the sandbox", name).isNotEqualTo(EPERM);
                assertThat(inside.get(name)).as("%s inside the sandbox", name).isEqualTo(EPERM);
            }
            List<String> reachedOutside = threads.keySet().stream().filter(n -> outside.get(n) == 0).toList();
            List<String> reachedInside = threads.keySet().stream().filter(n -> inside.get(n) == 0).toList();
            assertThat(reachedOutside).as("the JVM's threads, reached without the sandbox").isNotEmpty();
            assertThat(reachedInside).as("the JVM's threads, reached from the sandbox").isEmpty();
            threads.keySet().forEach(n -> assertThat(inside.get(n)).as(n).isIn(EPERM, ESRCH));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void setIdBitsCanNeverBeSet() throws Exception {
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        Path plain = Files.createFile(host.work().resolve("plain"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Arch arch = Arch.current().orElseThrow();
        int creat = 0100 | 01; // O_CREAT | O_WRONLY
        int regular = 0100000; // S_IFREG
        List<String> specs = new ArrayList<>(List.of(
                "OPENAT:" + nr(Syscall.OPENAT) + ":" + AT_FDCWD + ":" + string("openat-setuid") + ":" + creat + ":0o4755",
                "MKNODAT:" + nr(Syscall.MKNODAT) + ":" + AT_FDCWD + ":" + string("mknodat-setgid") + ":" + (regular | 02755) + ":0",
                "FCHMODAT:" + nr(Syscall.FCHMODAT) + ":" + AT_FDCWD + ":" + string(plain.toString()) + ":0o4755",
                "FCHMODAT2:" + nr(Syscall.FCHMODAT2) + ":" + AT_FDCWD + ":" + string(plain.toString()) + ":0o2755:0"));
        if (arch == Arch.X86_64) {
            specs.add("OPEN:" + nr(Syscall.OPEN) + ":" + string("open-setuid") + ":" + creat + ":0o4755");
            specs.add("CREAT:" + nr(Syscall.CREAT) + ":" + string("creat-setgid") + ":0o2755");
            specs.add("MKNOD:" + nr(Syscall.MKNOD) + ":" + string("mknod-setuid") + ":" + (regular | 04755) + ":0");
            specs.add("CHMOD:" + nr(Syscall.CHMOD) + ":" + string(plain.toString()) + ":0o6755");
        }

        Map<String, Integer> inside = run(sandboxes.sandboxed(), probe, specs);
        assertThat(setIdFiles(host.work())).as("set-id files left by the sandboxed command").isEmpty();
        Map<String, Integer> outside = run(sandboxes.unsandboxed(), probe, specs);

        for (String spec : specs) {
            String name = spec.substring(0, spec.indexOf(':'));
            assertThat(inside.get(name)).as("%s inside the sandbox", name).isEqualTo(EPERM);
            assertThat(outside.get(name)).as("%s outside the sandbox", name).isZero();
        }
        assertThat(setIdFiles(host.work())).as("set-id files made without the sandbox")
                .hasSize(arch == Arch.X86_64 ? 6 : 3); // the created files and "plain"
    }

    private static List<Path> setIdFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                try {
                    int mode = (Integer) Files.getAttribute(f, "unix:mode");
                    return (mode & 06000) != 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    void modeOwnerAndExtendedAttributesCannotBeChanged() throws Exception {
        // a file of this user under a read-only path: Landlock does not govern metadata; a read-only bind does
        Path file = host.outsideFile("owned.txt", "mine");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path inWorkDir = Files.writeString(host.work().resolve("written.txt"), "in a writable path");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(host.outside().toString()).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);
        int uid = (Integer) Files.getAttribute(file, "unix:uid");
        int gid = (Integer) Files.getAttribute(file, "unix:gid");
        String path = string(file.toString());
        String xattr = string("user.aws-sandbox-test");
        Arch arch = Arch.current().orElseThrow();
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("FCHMODAT", nr(Syscall.FCHMODAT) + ":" + AT_FDCWD + ":" + path + ":0o644");
        changes.put("FCHMODAT2", nr(Syscall.FCHMODAT2) + ":" + AT_FDCWD + ":" + path + ":0o644:0");
        changes.put("FCHOWNAT", nr(Syscall.FCHOWNAT) + ":" + AT_FDCWD + ":" + path + ":" + uid + ":" + gid + ":0");
        changes.put("SETXATTR", nr(Syscall.SETXATTR) + ":" + path + ":" + xattr + ":mem:78:1:0");
        changes.put("LSETXATTR", nr(Syscall.LSETXATTR) + ":" + path + ":" + xattr + ":mem:78:1:0");
        changes.put("REMOVEXATTR", nr(Syscall.REMOVEXATTR) + ":" + path + ":" + xattr);
        if (arch == Arch.X86_64) {
            changes.put("CHMOD", nr(Syscall.CHMOD) + ":" + path + ":0o640");
            changes.put("CHOWN", nr(Syscall.CHOWN) + ":" + path + ":" + uid + ":" + gid);
            changes.put("LCHOWN", nr(Syscall.LCHOWN) + ":" + path + ":" + uid + ":" + gid);
        }
        // a mode that is not private is refused in writable paths too: the filter cannot see paths
        changes.put("FCHMODAT_WRITABLE", nr(Syscall.FCHMODAT) + ":" + AT_FDCWD + ":" + string(inWorkDir.toString()) + ":0o640");

        List<String> specs = new ArrayList<>();
        changes.forEach((name, spec) -> specs.add(name + ":" + spec));
        // timestamps stay changeable (aws s3 cp sets them): under Landlock even outside the writable paths
        specs.add("UTIMENSAT:" + nr(Syscall.UTIMENSAT) + ":" + AT_FDCWD + ":" + path + ":0:0");
        // a private mode "succeeds" without effect (the file's mode is asserted unchanged below)
        specs.add("FCHMODAT_PRIVATE:" + nr(Syscall.FCHMODAT) + ":" + AT_FDCWD + ":" + path + ":0o400");

        Map<String, Integer> inside = run(sandboxes.sandboxed(), probe, specs);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Map<String, Integer> outside = run(sandboxes.unsandboxed(), probe, specs);

        for (String name : changes.keySet()) {
            assertThat(inside.get(name)).as("%s inside the sandbox", name).isEqualTo(EPERM);
            assertThat(outside.get(name)).as("%s outside the sandbox", name).isZero();
        }
        assertThat(Files.getPosixFilePermissions(file)).isNotEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(outside.get("UTIMENSAT")).isZero();
        assertThat(inside.get("FCHMODAT_PRIVATE")).as("a private mode inside").isZero();
        assertThat(outside.get("FCHMODAT_PRIVATE")).isZero();
        assertThat(Files.getPosixFilePermissions(file)).as("made outside").isEqualTo(PosixFilePermissions.fromString("r--------"));
        // bubblewrap's read-only bind refuses it; Landlock does not govern timestamps (README: Not enforced)
        assertThat(inside.get("UTIMENSAT")).isEqualTo(backend == BackendKind.LANDLOCK ? 0 : EROFS);
    }

    @Test
    void theHostsDeviceNodesKeepTheirMode() {
        assumeTrue(root(), "the host's device nodes belong to root: for others the kernel refuses anyway");
        // chmod to the mode /dev/null already has: harmless outside, and what root would need to change it
        String sameMode = "import os, stat\ntry:\n    os.chmod('/dev/null', stat.S_IMODE(os.stat('/dev/null').st_mode)); print(0)\n"
                + "except OSError as e:\n    print(e.errno)";
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        assertThat(sandboxes.outside(PYTHON, "-c", sameMode).stdout().text()).isEqualTo("0\n");
        assertThat(sandboxes.inside(PYTHON, "-c", sameMode).stdout().text()).isEqualTo(EPERM + "\n");
    }

    @Test
    void theHostsSysvIpcAndMessageQueuesAreOutOfReach() throws Exception {
        Path script = host.copyResource(PythonProbes.IPC);
        String key = "0x" + Integer.toHexString(0x5a000000 | ThreadLocalRandom.current().nextInt(1 << 24));
        String secret = "host ipc bait " + UUID.randomUUID();
        Sandboxes sandboxes = Sandboxes.of(host, backend);
        PythonProbes.runOnHost(script, "create", key, secret);
        try {
            ExecResult inside = sandboxes.inside(PYTHON, script.toString(), "read", key);
            ExecResult outside = sandboxes.outside(PYTHON, script.toString(), "read", key);

            assertThat(outside.stdout().text()).isEqualTo("shm " + secret + "\nmsg " + secret + "\nmq " + secret + "\n");
            // under Landlock the filter refuses them; bubblewrap's command has an IPC namespace of its own
            int refusal = backend == BackendKind.LANDLOCK ? EPERM : 2; // ENOENT
            assertThat(inside.stdout().text()).isEqualTo(
                    "shm errno " + refusal + "\nmsg errno " + refusal + "\nmq errno " + refusal + "\n");
        } finally {
            PythonProbes.runOnHost(script, "remove", key);
        }
    }

    @Test
    void withTheNetworkOffNothingListensForTheHost() throws Exception {
        Path server = host.copyResource(PythonProbes.LISTEN);
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), offline, backend);

        assertThat(listenAndConnect(sandboxes.unsandboxed(), server, "outside")).isEqualTo("hello from the command");
        assertThat(listenAndConnect(sandboxes.sandboxed(), server, "inside")).isEqualTo("refused " + EPERM);
    }

    /** Runs the listen probe, then connects to the port it reports from here, the host; returns what it read or the refusal. */
    private String listenAndConnect(Sandbox sandbox, Path server, String name) throws Exception {
        Path status = host.work().resolve(name + ".status");
        CompletableFuture<ExecResult> command = sandbox.runAsync(Command.builder(List.of(PYTHON, server.toString(),
                status.toString())).timeout(java.time.Duration.ofSeconds(90)).build());
        return PythonProbes.connectToReportedPort(status, command);
    }

    /**
     * Red team, round 12, F2: a netlink socket's queued messages are charged to no memory cgroup, and a command under
     * {@code --max-memory 64M} held ~320 MiB of the host's with 40 of them. No netlink socket, with the network on or
     * off; name resolution does without ({@code getent}, Python's {@code getaddrinfo}). Control: both families open
     * outside the sandbox.
     */
    @Test
    void netlinkSocketsAreRefusedAndNamesStillResolve() {
        SandboxPolicy offline = SandboxPolicy.builder(host.environment()).allowNetwork(false).build();
        Sandboxes off = Sandboxes.of(host.environment(), offline, backend);
        Sandboxes on = Sandboxes.of(host, backend);
        int socket = nr(Syscall.SOCKET);
        // AF_NETLINK, SOCK_RAW: NETLINK_SOCK_DIAG lists every socket of the host (`ss`); NETLINK_ROUTE its addresses
        List<String> specs = List.of("SOCK_DIAG:" + socket + ":16:3:4", "ROUTE:" + socket + ":16:3:0");

        assertThat(run(off.sandboxed(), probe, specs)).containsEntry("SOCK_DIAG", EPERM).containsEntry("ROUTE", EPERM);
        assertThat(run(on.sandboxed(), probe, specs)).containsEntry("SOCK_DIAG", EPERM).containsEntry("ROUTE", EPERM);
        assertThat(run(on.unsandboxed(), probe, specs)).containsEntry("SOCK_DIAG", 0).containsEntry("ROUTE", 0);
        for (Sandboxes sandboxes : List.of(off, on)) {
            for (String lookup : List.of("hosts", "ahosts")) {
                ExecResult resolved = sandboxes.inside("getent", lookup, "localhost");
                assertThat(resolved.isSuccess()).as(resolved.stderr().text()).isTrue();
                assertThat(resolved.stdout().text()).containsAnyOf("127.0.0.1", "::1");
            }
            ExecResult python = sandboxes.inside(PYTHON, "-c", "import socket\n"
                    + "print(sorted({a[4][0] for a in socket.getaddrinfo('localhost', 80, flags=socket.AI_ADDRCONFIG)}))");
            assertThat(python.stdout().text()).as(python.stderr().text()).containsAnyOf("127.0.0.1", "::1");
        }
    }

    /**
     * Red team, round 12, F1: Landlock does not govern reading extended attributes, and a command read those of files
     * it may not open ({@code user.xdg.origin.url}, where browsers and {@code curl --xattr} keep a download's URL, a
     * pre-signed one with its token). By path they are refused with EOPNOTSUPP (no extended attributes here); by a
     * descriptor of a file the command opened they stay. Control: outside, the same reads return the value.
     */
    @Test
    void extendedAttributesCannotBeReadByPath() throws Exception {
        Path secret = host.outsideFile("downloaded.pdf", "pdf");
        Path mine = Files.writeString(host.work().resolve("mine.txt"), "mine");
        byte[] url = "https://bucket.s3.amazonaws.com/k?X-Amz-Security-Token=SECRET".getBytes(StandardCharsets.US_ASCII);
        for (Path file : List.of(secret, mine)) {
            Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                    .write("xdg.origin.url", java.nio.ByteBuffer.wrap(url));
        }
        String read = """
                import os, sys
                def attempt(what, call):
                    try:
                        print(what, call())
                    except OSError as e:
                        print(what, "errno", e.errno)
                secret, mine = sys.argv[1:3]
                attempt("getxattr", lambda: os.getxattr(secret, "user.xdg.origin.url").decode())
                attempt("lgetxattr", lambda: os.getxattr(secret, "user.xdg.origin.url", follow_symlinks=False).decode())
                attempt("listxattr", lambda: os.listxattr(secret))
                attempt("llistxattr", lambda: os.listxattr(secret, follow_symlinks=False))
                fd = os.open(mine, os.O_RDONLY)
                attempt("fgetxattr", lambda: os.getxattr(fd, "user.xdg.origin.url").decode())
                attempt("flistxattr", lambda: os.listxattr(fd))
                """;
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult inside = sandboxes.inside(PYTHON, "-c", read, secret.toString(), mine.toString());
        ExecResult outside = sandboxes.outside(PYTHON, "-c", read, secret.toString(), mine.toString());

        String token = "https://bucket.s3.amazonaws.com/k?X-Amz-Security-Token=SECRET";
        assertThat(outside.stdout().text()).as(outside.stderr().text()).isEqualTo("getxattr " + token + "\nlgetxattr " + token
                + "\nlistxattr ['user.xdg.origin.url']\nllistxattr ['user.xdg.origin.url']\nfgetxattr " + token
                + "\nflistxattr ['user.xdg.origin.url']\n");
        assertThat(inside.stdout().text()).as(inside.stderr().text()).isEqualTo("getxattr errno " + EOPNOTSUPP
                + "\nlgetxattr errno " + EOPNOTSUPP + "\nlistxattr errno " + EOPNOTSUPP + "\nllistxattr errno " + EOPNOTSUPP
                + "\nfgetxattr " + token + "\nflistxattr ['user.xdg.origin.url']\n");
    }

    /**
     * Outside test RT15, F1 and F5: Linux 6.17's {@code file_setattr} set attribute flags (nodump) by path on a file the
     * command could not even read, {@code file_getattr} read them, the {@code chattr} ioctls set them through a descriptor
     * opened only to read, and {@code listmount} listed the host's mounts while {@code /proc/self/mountinfo} is denied:
     * Landlock governs none of them. Control: outside, each succeeds on the same files.
     */
    @Test
    void attributeFlagsCannotBeChangedNorTheMountTableListed() throws java.io.IOException {
        Path secret = host.outsideFile("id_rsa", "secret");
        Path mine = Files.writeString(host.work().resolve("mine.txt"), "mine");
        String probe = """
                import ctypes, fcntl, os, struct, sys
                libc = ctypes.CDLL(None, use_errno=True)
                libc.syscall.restype = ctypes.c_long
                def call(*args):
                    return 0 if libc.syscall(*args) >= 0 else ctypes.get_errno()
                secret, mine = sys.argv[1].encode(), sys.argv[2]
                attr = ctypes.create_string_buffer(24)
                print("file_getattr", call(ctypes.c_long(468), ctypes.c_int(-100), secret, attr, ctypes.c_size_t(24), 0))
                nodump = ctypes.create_string_buffer(struct.pack("Q16x", 0x80), 24)
                print("file_setattr", call(ctypes.c_long(469), ctypes.c_int(-100), secret, nodump, ctypes.c_size_t(24), 0))
                fd = os.open(mine, os.O_RDONLY)
                # chattr +d: the flags read (FS_IOC_GETFLAGS), nodump added
                flags = struct.unpack("l", fcntl.ioctl(fd, 0x80086601, struct.pack("l", 0)))[0]
                for what, cmd, arg in (("setflags", 0x40086602, struct.pack("l", flags | 0x40)),
                                       ("fssetxattr", 0x401c5820, struct.pack("5I8x", 0x80, 0, 0, 0, 0))):
                    try:
                        fcntl.ioctl(fd, cmd, arg); print(what, 0)
                    except OSError as e:
                        print(what, e.errno)
                ids = ctypes.create_string_buffer(8 * 64)
                request = ctypes.create_string_buffer(struct.pack("IIQQ", 24, 0, (1 << 64) - 1, 0), 24)
                print("listmount", call(ctypes.c_long(458), request, ids, ctypes.c_size_t(64), 0))
                """;
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult outside = sandboxes.outside(PYTHON, "-c", probe, secret.toString(), mine.toString());
        ExecResult inside = sandboxes.inside(PYTHON, "-c", probe, secret.toString(), mine.toString());

        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("file_getattr", EOPNOTSUPP);
        expected.put("file_setattr", EPERM);
        expected.put("setflags", EPERM);
        expected.put("fssetxattr", EPERM);
        expected.put("listmount", ENOSYS);
        Map<String, Integer> out = results(outside);
        Map<String, Integer> in = results(inside);
        assertThat(out.keySet()).as(outside.stderr().text()).containsExactlyElementsOf(expected.keySet());
        assertThat(in.keySet()).as(inside.stderr().text()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((call, refused) -> {
            if (out.get(call) == ENOSYS) {
                // a kernel before 6.17 (file_getattr, file_setattr) or 6.8 (listmount): nothing to refuse
                System.out.println("SeccompTest: skipped " + call + ": this kernel does not have it");
                return;
            }
            assertThat(out.get(call)).as("outside: " + call).isZero();
            assertThat(in.get(call)).as("inside: " + call).isEqualTo(refused);
        });
    }

    /**
     * Outside test RT17, F4 (a lead), shown on a real btrfs: Landlock governs none of a file system's own ioctls, so a
     * command made a subvolume, and a snapshot of a subvolume it could read, in a directory it could only read; and
     * under bubblewrap, whose read-only mounts refuse that, a snapshot into its working directory copied a subvolume
     * whole, past the mounts that hide what the command may not read. Refused with EPERM by the ioctl's type; the clone
     * call {@code cp --reflink} uses still works. Control: outside, each call succeeds on the same file system.
     */
    @Test
    void aFileSystemsOwnIoctlsCannotMakeSubvolumesOrSnapshots() throws Exception {
        try (LoopFileSystem btrfs = LoopFileSystem.make("btrfs", 128, host.outside())) {
            Path mnt = btrfs.mountPoint();
            Path readOnly = Files.createDirectories(mnt.resolve("ro"));
            Path control = Files.createDirectories(mnt.resolve("control"));
            Path work = Files.createDirectories(mnt.resolve("work"));
            Files.writeString(work.resolve("a"), "reflinked");
            String probe = """
                    import fcntl, os, sys
                    mnt, where, tag = sys.argv[1:4]
                    def vol_args(fd, name):  # struct btrfs_ioctl_vol_args: __s64 fd, char name[4088]
                        buffer = bytearray(4096)
                        buffer[0:8] = fd.to_bytes(8, "little", signed=True)
                        buffer[8:8 + len(name)] = name.encode()
                        return buffer
                    def call(what, path, cmd, arg, flags=os.O_RDONLY | os.O_DIRECTORY):
                        fd = os.open(path, flags, 0o644)
                        try:
                            fcntl.ioctl(fd, cmd, arg); print(what, 0)
                        except OSError as e:
                            print(what, e.errno)
                        finally:
                            os.close(fd)
                    if tag == "setup":
                        call("data", mnt, 0x5000940e, vol_args(0, "data"))  # BTRFS_IOC_SUBVOL_CREATE
                        sys.exit()
                    call("subvolume", where, 0x5000940e, vol_args(0, "subvolume"))
                    source = os.open(mnt + "/data", os.O_RDONLY | os.O_DIRECTORY)
                    call("snapshot", where, 0x50009401, vol_args(source, "snapshot"))  # BTRFS_IOC_SNAP_CREATE
                    call("snapshot-to-work", mnt + "/work", 0x50009401, vol_args(source, "copy-" + tag))
                    a = os.open(mnt + "/work/a", os.O_RDONLY)
                    call("clone", mnt + "/work/b-" + tag, 0x40049409, a, os.O_WRONLY | os.O_CREAT)  # FICLONE
                    """;
            SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(readOnly.toString())
                    .addWritePath(work.toString()).build();
            Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);
            ExecResult setUp = sandboxes.outside(PYTHON, "-c", probe, mnt.toString(), "", "setup");
            assertThat(setUp.stdout().text()).as(setUp.stderr().text()).isEqualTo("data 0\n");
            Files.writeString(mnt.resolve("data/secret"), "secret");
            // the data subvolume readable inside: a policy of its own, the same grants plus it
            policy = SandboxPolicy.builder(host.environment()).addReadPath(readOnly.toString())
                    .addReadPath(mnt.resolve("data").toString()).addWritePath(work.toString()).build();
            sandboxes = Sandboxes.of(host.environment(), policy, backend);

            ExecResult outside = sandboxes.outside(PYTHON, "-c", probe, mnt.toString(), control.toString(), "out");
            ExecResult inside = sandboxes.inside(PYTHON, "-c", probe, mnt.toString(), readOnly.toString(), "in");

            List<String> calls = List.of("subvolume", "snapshot", "snapshot-to-work", "clone");
            Map<String, Integer> out = results(outside);
            Map<String, Integer> in = results(inside);
            assertThat(out.keySet()).as(outside.stderr().text()).containsExactlyElementsOf(calls);
            assertThat(in.keySet()).as(inside.stderr().text()).containsExactlyElementsOf(calls);
            calls.forEach(call -> assertThat(out.get(call)).as("outside: " + call).isZero());
            assertThat(in).as("inside").containsEntry("subvolume", EPERM).containsEntry("snapshot", EPERM)
                    .containsEntry("snapshot-to-work", EPERM).containsEntry("clone", 0);
            assertThat(Files.readString(control.resolve("snapshot/secret"))).as("the control's snapshot").isEqualTo("secret");
            try (Stream<Path> left = Files.list(readOnly)) {
                assertThat(left).as("made in the read-only directory").isEmpty();
            }
            assertThat(work.resolve("copy-in")).as("a snapshot in the working directory").doesNotExist();
            assertThat(Files.readString(work.resolve("b-in"))).isEqualTo("reflinked");
        }
    }

    /** "name errno" lines, in order. */
    private static Map<String, Integer> results(ExecResult result) {
        Map<String, Integer> results = new java.util.LinkedHashMap<>();
        for (String line : result.stdout().text().split("\n")) {
            String[] words = line.split(" ");
            if (words.length == 2) {
                results.put(words[0], Integer.parseInt(words[1]));
            }
        }
        return results;
    }

    /**
     * Red team, round 12, F3: a socket of a stream pair took an abstract unix name in the host's namespace, and a host
     * service that binds it later could not start while the command ran. Control: outside the same bind succeeds, and
     * inside an IP socket still binds (the filter tells them apart by the address's length).
     */
    @Test
    void aSocketpairCannotTakeAnAbstractName() {
        String bind = """
                import socket, sys
                a, b = socket.socketpair()
                try:
                    a.bind("\\0" + sys.argv[1]); print("abstract", 0)
                except OSError as e:
                    print("abstract", e.errno)
                try:
                    socket.socket().bind(("127.0.0.1", 0)); print("inet", 0)
                except OSError as e:
                    print("inet", e.errno)
                """;
        String name = "aws-sandbox-test-" + UUID.randomUUID();
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult inside = sandboxes.inside(PYTHON, "-c", bind, name + "-in");
        ExecResult outside = sandboxes.outside(PYTHON, "-c", bind, name + "-out");

        assertThat(outside.stdout().text()).as(outside.stderr().text()).isEqualTo("abstract 0\ninet 0\n");
        assertThat(inside.stdout().text()).as(inside.stderr().text()).isEqualTo("abstract " + EPERM + "\ninet 0\n");
    }

    /**
     * Outside test RT18, F3: under Landlock the command shares the host's PID namespace, and {@code PIDFD_GET_INFO} on a
     * pidfd of any host process gave its parent, users and cgroup, {@code /proc} denied. Refused there; under bubblewrap
     * the command's PID namespace holds only its own processes. Control: outside, the same call answers for pid 1.
     */
    @Test
    void aPidfdDoesNotTellAboutHostProcesses() {
        String probe = """
                import ctypes, fcntl
                libc = ctypes.CDLL(None, use_errno=True)
                fd = libc.syscall(434, 1, 0)  # pidfd_open(1)
                if fd < 0:
                    print("pidfd_open", ctypes.get_errno()); raise SystemExit
                info = bytearray(64); info[0:8] = (1 | 2 | 4 | 8).to_bytes(8, "little")
                try:
                    fcntl.ioctl(fd, 0xc040ff0b, info); print("get_info", 0)  # PIDFD_GET_INFO, struct pidfd_info v0
                except OSError as e:
                    print("get_info", e.errno)
                """;
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult outside = sandboxes.outside(PYTHON, "-c", probe);
        ExecResult inside = sandboxes.inside(PYTHON, "-c", probe);

        Map<String, Integer> out = results(outside);
        assumeTrue(Integer.valueOf(0).equals(out.get("get_info")), "this kernel has no PIDFD_GET_INFO (6.13): " + out);
        if (backend == BackendKind.LANDLOCK) {
            assertThat(results(inside)).as(inside.stderr().text()).containsEntry("get_info", EPERM);
        } else {
            // pid 1 is the sandbox's own init there: nothing of the host to tell, nothing refused
            assertThat(results(inside)).as(inside.stderr().text()).containsEntry("get_info", 0);
        }
    }

    /**
     * Outside test RT18, F4: {@code connect} on a socket of a pair is refused (EISCONN) only after the kernel has looked
     * the address up, and before Landlock's scope is asked, so its answer told a listening host socket, by path or
     * abstract name, from none. Refused by the address's length now, whatever is there. Controls: outside, the answers
     * differ (EISCONN for a listener, ECONNREFUSED or ENOENT for nothing); inside, a TCP connect still works.
     */
    @Test
    void aSocketpairCannotProbeHostSocketsByConnecting() throws Exception {
        String name = "aws-sandbox-test-" + UUID.randomUUID();
        Path listening = host.outside().resolve("listening.sock");
        String probe = """
                import socket, sys
                def connect(address):
                    a, b = socket.socketpair()
                    try:
                        a.connect(address); return 0
                    except OSError as e:
                        return e.errno
                path, name = sys.argv[1], sys.argv[2]
                print("path", connect(path))
                print("no-path", connect(path + ".none"))
                print("abstract", connect("\\0" + name))
                print("no-abstract", connect("\\0" + name + "-none"))
                server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
                client = socket.socket()
                try:
                    client.connect(server.getsockname()); print("inet", 0)
                except OSError as e:
                    print("inet", e.errno)
                """;
        try (java.nio.channels.ServerSocketChannel byPath = java.nio.channels.ServerSocketChannel.open(
                     java.net.StandardProtocolFamily.UNIX);
             java.nio.channels.ServerSocketChannel byName = java.nio.channels.ServerSocketChannel.open(
                     java.net.StandardProtocolFamily.UNIX)) {
            byPath.bind(java.net.UnixDomainSocketAddress.of(listening));
            // Java cannot bind an abstract name: a helper holds one while the probes run
            Process holder = new ProcessBuilder(PYTHON, "-c", """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX); s.bind("\\0" + sys.argv[1]); s.listen(); print("held", flush=True)
                    sys.stdin.read()
                    """, name).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                assertThat(new BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
                        .isEqualTo("held");
                Sandboxes sandboxes = Sandboxes.of(host, backend);

                ExecResult outside = sandboxes.outside(PYTHON, "-c", probe, listening.toString(), name);
                ExecResult inside = sandboxes.inside(PYTHON, "-c", probe, listening.toString(), name);

                Map<String, Integer> out = results(outside);
                Map<String, Integer> in = results(inside);
                int eisconn = 106;
                assertThat(out).as(outside.stderr().text()).containsEntry("path", eisconn).containsEntry("abstract", eisconn)
                        .doesNotContainEntry("no-path", eisconn).doesNotContainEntry("no-abstract", eisconn)
                        .containsEntry("inet", 0);
                assertThat(in).as(inside.stderr().text()).containsEntry("path", EPERM).containsEntry("no-path", EPERM)
                        .containsEntry("abstract", EPERM).containsEntry("no-abstract", EPERM).containsEntry("inet", 0);
            } finally {
                holder.destroy();
                holder.waitFor();
            }
        } finally {
            Files.deleteIfExists(listening);
        }
    }

    /**
     * Red team, round 12, F4: a read lease on a file the command may only read ({@code ~/.aws/credentials}) held every
     * host writer of it for up to {@code fs.lease-break-time} (45 s) an open. Control: outside the lease is taken.
     */
    @Test
    void aLeaseCannotBeTaken() throws Exception {
        assumeTrue(root(), "a lease needs the file's owner or CAP_LEASE: the control takes it as root on a file of root's");
        Path credentials = host.outsideFile("credentials", "[default]\n");
        SandboxPolicy policy = SandboxPolicy.builder(host.environment()).addReadPath(credentials.toString()).build();
        Sandboxes sandboxes = Sandboxes.of(host.environment(), policy, backend);
        String lease = """
                import fcntl, os, sys
                fd = os.open(sys.argv[1], os.O_RDONLY)
                try:
                    fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK); print("lease", 0)
                except OSError as e:
                    print("lease", e.errno)
                """;

        ExecResult inside = sandboxes.inside(PYTHON, "-c", lease, credentials.toString());
        ExecResult outside = sandboxes.outside(PYTHON, "-c", lease, credentials.toString());

        assertThat(outside.stdout().text()).as(outside.stderr().text()).isEqualTo("lease 0\n");
        assertThat(inside.stdout().text()).as(inside.stderr().text()).isEqualTo("lease " + EPERM + "\n");
    }

    /**
     * Red team, round 12, F5: {@code fallocate} keeping the size allocated 200 MiB of disk to a file of size 0 under
     * {@code --max-file-size 1M} ({@code RLIMIT_FSIZE} checks sizes). Refused with EOPNOTSUPP, as a file system
     * without the mode answers. Controls: outside it allocates; inside an allocation that grows the file (checked by the
     * size limit) and a punched hole (which frees space) still work.
     */
    @Test
    void fallocateCannotAllocatePastTheEndOfAFile() {
        String allocate = """
                import ctypes, os, sys
                libc = ctypes.CDLL(None, use_errno=True)
                def attempt(what, mode, length):
                    fd = os.open(what, os.O_CREAT | os.O_RDWR, 0o600)
                    rc = libc.fallocate(fd, mode, ctypes.c_long(0), ctypes.c_long(length))
                    st = os.fstat(fd)
                    print(what, 0 if rc == 0 else ctypes.get_errno(), st.st_size, st.st_blocks * 512 >= length)
                    os.close(fd)
                    os.unlink(what)
                attempt("keep-size", 1, 8 << 20)
                attempt("grow", 0, 1 << 20)
                attempt("punch-hole", 3, 4096)
                # outside test RT13: the preallocation ioctl (F1), and inserting a range, which grows the size unchecked (F2)
                import fcntl, struct
                fd = os.open("resvsp", os.O_CREAT | os.O_RDWR, 0o600)
                try:
                    fcntl.ioctl(fd, 0x4030582a, struct.pack("hhxxxxqqii16x", 0, 0, 0, 8 << 20, 0, 0)); rc = 0
                except OSError as e:
                    rc = e.errno
                print("resvsp64", rc, os.fstat(fd).st_blocks * 512 >= 8 << 20)
                os.close(fd); os.unlink("resvsp")
                fd = os.open("insert", os.O_CREAT | os.O_RDWR, 0o600)
                os.write(fd, b"x" * 4096)
                rc = libc.fallocate(fd, 0x20, ctypes.c_long(0), ctypes.c_long(8 << 20))
                print("insert-range", 0 if rc == 0 else ctypes.get_errno(), os.fstat(fd).st_size)
                os.close(fd); os.unlink("insert")
                """;
        Sandboxes sandboxes = Sandboxes.of(host, backend);

        ExecResult inside = sandboxes.inside(PYTHON, "-c", allocate);
        ExecResult outside = sandboxes.outside(PYTHON, "-c", allocate);

        assertThat(outside.stdout().text()).as(outside.stderr().text())
                .isEqualTo("keep-size 0 0 True\ngrow 0 1048576 True\npunch-hole 0 0 False\nresvsp64 0 True\n"
                        + "insert-range 0 " + (4096 + (8 << 20)) + "\n");
        assertThat(inside.stdout().text()).as(inside.stderr().text())
                .isEqualTo("keep-size " + EOPNOTSUPP + " 0 False\ngrow 0 1048576 True\npunch-hole 0 0 False\nresvsp64 "
                        + EOPNOTSUPP + " False\ninsert-range " + EOPNOTSUPP + " 4096\n");
    }
}
