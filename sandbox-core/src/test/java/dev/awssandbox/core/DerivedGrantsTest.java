package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The review's attacks on derived grants — grants the planner adds for a program's own files —
 * run for real on every backend. Each is paired with the same attempt unsandboxed, where it works.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class DerivedGrantsTest {
    @Parameter
    BackendKind backend;

    private TestHost host;
    private Sandboxes sandboxes;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
        sandboxes = Sandboxes.of(host, backend);
    }

    private static Path executable(Path path, String content) throws Exception {
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    /** The first certificate of the system's bundle, as PEM (a real one: the grant parses each). */
    /** A DER element of {@code tag} holding {@code content} (less than 64 KiB). */
    private static byte[] der(int tag, byte[] content) {
        byte[] head = content.length < 0x80 ? new byte[] {(byte) tag, (byte) content.length}
                : new byte[] {(byte) tag, (byte) 0x82, (byte) (content.length >> 8), (byte) content.length};
        byte[] out = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        return out;
    }

    /** A PEM block of {@code type} whose body is {@code first} then {@code then}. */
    private static String pem(String type, byte[] first, byte[] then) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + then.length);
        System.arraycopy(then, 0, both, first.length, then.length);
        return "-----BEGIN " + type + "-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(both)
                + "\n-----END " + type + "-----\n";
    }

    private static String systemCertificate() throws Exception {
        Path system = Path.of("/etc/ssl/certs/ca-certificates.crt");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(system), "no system CA bundle at " + system);
        String text = Files.readString(system);
        int end = text.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
        return text.substring(text.indexOf("-----BEGIN CERTIFICATE-----"), end) + "\n";
    }

    /**
     * Outside test WF30, F20: the CA bundle {@code AWS_CA_BUNDLE} names, outside every grant, is handed to the command
     * with the variable, and botocore opens it for every HTTPS call, which had failed with a bare "Permission denied". It
     * is readable, not writable (a later host program trusts it). Control: without the variable it is not readable.
     */
    @Test
    void theCaBundleAwsCaBundleNamesIsReadableAndNotWritable() throws Exception {
        String certificate = systemCertificate();
        Path bundle = host.outsideFile("ca-bundle.pem", "# bait CA\n" + certificate);
        assertThat(sandboxes.inside("cat", bundle.toString()).stdout().text()).as("control: no variable names it")
                .doesNotContain("bait");
        Sandboxes handed = Sandboxes.of(host.set("AWS_CA_BUNDLE", bundle.toString()), backend);
        ExecResult read = handed.inside("cat", bundle.toString());
        assertThat(read.stdout().text()).as(read.stderr().text()).contains("bait");
        handed.inside("sh", "-c", "echo planted >> " + bundle);
        assertThat(Files.readString(bundle)).doesNotContain("planted");
        // outside test RT38, F1-F3: a file that is no bundle of certificates (a key, one with a key in it, a kernel file)
        // is not granted under the variable's name
        int n = 0;
        for (String content : java.util.List.of("-----BEGIN OPENSSH PRIVATE KEY-----\nbait-key\n",
                certificate + "-----BEGIN RSA PRIVATE KEY-----\nbait-key\n",
                // RT39, F12: a secret in another form beside a certificate
                certificate + "AWS_SECRET_ACCESS_KEY=bait-key\n", certificate + "{\"SecretAccessKey\": \"bait-key\"}\n",
                certificate + "-----begin rsa private key-----\nbait-key\n", "-----BEGIN CERTIFICATE-----\nMIIB\nbait-key"
                        + " password\n-----END CERTIFICATE-----\n",
                // RT40, F2: a key's (or a secret's) base64 between CERTIFICATE lines is no certificate
                "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getEncoder().encodeToString("bait-key secret".getBytes())
                        + "\n-----END CERTIFICATE-----\n")) {
            Path key = host.outsideFile("id_rsa" + n++, content);
            ExecResult leaked = Sandboxes.of(host.set("AWS_CA_BUNDLE", key.toString()), backend).inside("cat", key.toString());
            assertThat(leaked.stdout().text()).as(content).isEmpty();
        }
        // RT41, F4: a certificate's DER followed by a key's passes the JDK's parser; a trusted certificate's settings with
        // a key id (bytes of any kind) too; settings of OIDs and a short alias are a trusted certificate's own (granted)
        String body = certificate.replaceAll("-----[A-Z ]+-----|\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(body);
        byte[] key = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
        byte[] serverAuth = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
        byte[] keyId = der(0x30, der(0x04, key));
        for (String content : java.util.List.of(pem("CERTIFICATE", der, key), pem("TRUSTED CERTIFICATE", der, key),
                pem("TRUSTED CERTIFICATE", der, keyId))) {
            Path appended = host.outsideFile("appended" + n++, content);
            ExecResult leaked = Sandboxes.of(host.set("AWS_CA_BUNDLE", appended.toString()), backend)
                    .inside("cat", appended.toString());
            assertThat(leaked.stdout().text()).as(content).isEmpty();
        }
        Path trustedBundle = host.outsideFile("trusted.pem", pem("TRUSTED CERTIFICATE", der, serverAuth));
        assertThat(Sandboxes.of(host.set("AWS_CA_BUNDLE", trustedBundle.toString()), backend)
                .inside("cat", trustedBundle.toString()).stdout().text()).contains("TRUSTED CERTIFICATE");
        // another process's command line: as readable (or not) as without the variable
        int without = Sandboxes.of(host.set("AWS_CA_BUNDLE", "/nonexistent-ca.pem"), backend).inside("cat", "/proc/1/cmdline")
                .exitCode();
        ExecResult kernel = Sandboxes.of(host.set("AWS_CA_BUNDLE", "/proc/1/cmdline"), backend).inside("cat", "/proc/1/cmdline");
        assertThat(kernel.exitCode() == 0).as("another process's command line").isEqualTo(without == 0);
    }

    /**
     * {@code #!/usr/bin/env -S -u /etc/hosts sh} with /etc/hosts executable granted all of /etc and
     * /etc/shadow was read: env's -u takes a variable name, not a program. Here a root-owned
     * directory of our own plays /etc.
     */
    @Test
    void envUnsetOfAnExecutableFileDoesNotOpenItsDirectory() throws Exception {
        Path etc = Files.createDirectories(host.outside().resolve("etc"));
        Path hosts = executable(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        Path shadow = Files.writeString(etc.resolve("shadow"), "root:$6$bait-hash:19000::::::\n");
        Path script = executable(host.home().resolve("bin/innocent"),
                "#!/usr/bin/env -S -u " + hosts + " sh\ncat " + shadow + "\n");

        ExecResult control = sandboxes.outside(script.toString());
        ExecResult inside = sandboxes.inside(script.toString());

        assertThat(control.stdout().text()).contains("bait-hash");
        assertThat(inside.stdout().text()).doesNotContain("bait-hash");
        assertThat(inside.isSuccess()).isFalse();
        assertThat(inside.stderr().text()).contains(shadow.toString()); // sh ran, only the read failed
    }

    /**
     * An executable {@code gradlew} in a project under $HOME granted the project, and its .env was
     * read: a program outside a known installation layout is granted alone.
     */
    @Test
    void aProjectToolDoesNotOpenTheProject() throws Exception {
        Path project = Files.createDirectories(host.home().resolve("project"));
        Path env = Files.writeString(project.resolve(".env"), "DB_PASSWORD=bait-password\n");
        Path gradlew = executable(project.resolve("gradlew"), "#!/bin/sh\nexec \"$@\"\n");

        ExecResult control = sandboxes.outside(gradlew.toString(), "cat", env.toString());
        ExecResult inside = sandboxes.inside(gradlew.toString(), "cat", env.toString());

        assertThat(control.stdout().text()).contains("bait-password");
        assertThat(inside.stdout().text()).doesNotContain("bait-password");
        assertThat(inside.isSuccess()).isFalse();
        assertThat(inside.stderr().text()).contains(env.toString()); // gradlew ran cat, only the read failed
    }

    /**
     * A {@code #!} naming a symlink where commands write (it was /tmp; the working directory now),
     * flipped by another process between a key and /usr/bin/sh: planned while it named the key,
     * run while it named sh, the key was printed within 4 tries (review). Now nothing is derived
     * from a link where commands write.
     */
    @Test
    void aShebangSymlinkFlippedInTmpNeverLeaksTheKey() throws Exception {
        Path key = host.home().resolve(".ssh/id_ed25519");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rwx------")); // executable: a valid target to plan
        Path dir = Files.createTempDirectory(host.work(), "flip-");
        Path link = dir.resolve("interp");
        Path script = executable(host.home().resolve("bin/flipped"),
                "#!" + link + "\necho RAN\ncat " + key + "\n");
        AtomicBoolean flipping = new AtomicBoolean(true);
        Thread flipper = Thread.ofPlatform().start(() -> {
            Path next = dir.resolve("next");
            boolean toKey = true;
            while (flipping.get()) {
                try {
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, toKey ? key : Path.of("/usr/bin/sh"));
                    Files.move(next, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    toKey = !toKey;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            int ran = 0;
            // 30 tries at least, and on until one ran through sh: on a loaded machine the flips and
            // the execs can fall into step, and 30 tries all met the key (never a leak, but no race)
            for (int i = 0; i < 30 || ran == 0 && i < 300; i++) {
                try {
                    ExecResult inside = sandboxes.sandboxed().run(script.toString());
                    assertThat(inside.stdout().text()).doesNotContain(TestHost.SSH_BAIT);
                    ran += inside.stdout().text().contains("RAN") ? 1 : 0;
                } catch (SandboxException e) {
                    // the link named the key when the kernel read the #! line: exec was denied, nothing ran
                    assertThat(e.getMessage()).doesNotContain(TestHost.SSH_BAIT);
                }
            }
            assertThat(ran).as("the script ran through sh at least once, so the race was on").isPositive();
            flipping.set(false);
            flipper.join();
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("/usr/bin/sh"));
            assertThat(sandboxes.outside(script.toString()).stdout().text()).contains(TestHost.SSH_BAIT); // control
        } finally {
            flipping.set(false);
            flipper.join();
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * What derived grants are for: a tool in a venv under $HOME, its interpreter a symlink to the
     * system Python, runs with its own library — and still cannot read the rest of $HOME.
     */
    @Test
    void aVenvToolRunsWithoutOpeningHome() throws Exception {
        Path python3 = Path.of("/usr/bin/python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(python3), "needs /usr/bin/python3");
        Path venv = host.home().resolve(".local/share/venvs/tool");
        Files.createDirectories(venv.resolve("bin"));
        Files.createSymbolicLink(venv.resolve("bin/python"), python3);
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\n");
        Path lib = Files.createDirectories(venv.resolve("lib/toolpkg"));
        Files.writeString(lib.resolve("__init__.py"), "GREETING = 'hello from the venv'\n");
        Path tool = executable(venv.resolve("bin/tool"), "#!" + venv.resolve("bin/python") + "\n"
                + "import sys; sys.path.insert(0, '" + venv.resolve("lib") + "')\n"
                + "import toolpkg; print(toolpkg.GREETING)\n"
                + "print(open(sys.argv[1]).read())\n");

        ExecResult inside = sandboxes.inside(tool.toString(), host.home().resolve(".ssh/id_ed25519").toString());

        assertThat(inside.stdout().text()).contains("hello from the venv").doesNotContain(TestHost.SSH_BAIT);
        assertThat(inside.isSuccess()).isFalse();
        ExecResult control = sandboxes.outside(tool.toString(), host.home().resolve(".ssh/id_ed25519").toString());
        assertThat(control.stdout().text()).contains(TestHost.SSH_BAIT);
    }
    /**
     * Red team, round 18 (F0): an earlier sandboxed command, whose working directory was
     * {@code tools}, planted {@code bin/x} and a link {@code lib -> TARGET} there; a later command,
     * run from elsewhere (so {@code tools} is no writable path of its policy), ran {@code x} and
     * was granted {@code tools/lib}, i.e. TARGET. Here the test plants them in the outside
     * directory, a data directory this policy does not make writable, and {@code x} prints what it
     * reads through the link (or, for {@code /proc/self}, through the path the link resolved to
     * in the JVM) between {@code [} and {@code ]}.
     */
    private ExecResult[] plantedBesideAProgram(String linkName, Path target, String read) throws Exception {
        return plantedBesideAProgram(host.outside().resolve("tools"), linkName, target, read);
    }

    private ExecResult[] plantedBesideAProgram(Path prefix, String linkName, Path target, String read) throws Exception {
        Path tools = Files.createDirectories(prefix);
        Files.createSymbolicLink(tools.resolve(linkName), target);
        Path x = executable(tools.resolve("bin/x"), "#!/bin/sh\nprintf '['; cat " + read.replace("LINK", tools.resolve(linkName).toString())
                + " | tr '\\000' ' '; printf ']'\n");
        return new ExecResult[] {sandboxes.outside(x.toString()), sandboxes.inside(x.toString())};
    }

    @Test
    void aLinkPlantedBesideAProgramDoesNotOpenADirectoryOfHome() throws Exception {
        Path documents = Files.createDirectories(host.home().resolve("Documents"));
        Files.writeString(documents.resolve("tax.pdf"), "TAX-SECRET\n");

        ExecResult[] runs = plantedBesideAProgram("lib64", documents, "LINK/tax.pdf");

        assertThat(runs[0].stdout().text()).contains("TAX-SECRET"); // control: the link leads there
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("TAX-SECRET"); // x ran, only the read failed
    }

    @Test
    void aLinkPlantedBesideAProgramDoesNotOpenProc() throws Exception {
        long jvm = ProcessHandle.current().pid();

        ExecResult[] runs = plantedBesideAProgram("lib", Path.of("/proc"), "LINK/" + jvm + "/cmdline");

        assertThat(runs[0].stdout().text()).contains("java"); // control: the JVM's command line
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("java");
    }

    @Test
    void aLinkPlantedBesideAProgramDoesNotOpenTheJvmsOwnProcEntry() throws Exception {
        long jvm = ProcessHandle.current().pid();

        // /proc/self is resolved when the command is planned, in the JVM: the grant was /proc/<jvm>
        ExecResult[] runs = plantedBesideAProgram("lib", Path.of("/proc/self"), "/proc/" + jvm + "/cmdline");

        assertThat(runs[0].stdout().text()).contains("java");
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("java");
    }

    @Test
    void aLinkPlantedBesideAProgramDoesNotOpenSys() throws Exception {
        Path online = Path.of("/sys/devices/system/cpu/online");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(online), "needs " + online);
        String content = Files.readString(online).strip();

        ExecResult[] runs = plantedBesideAProgram("lib", Path.of("/sys"), "LINK/devices/system/cpu/online");

        assertThat(runs[0].stdout().text()).contains("[" + content);
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("[" + content);
    }

    /**
     * The same links in a directory of $HOME where tools install themselves ({@code ~/.local}),
     * whose links are followed as the tools' own (pipx's {@code ~/.local/bin/aws}): an earlier
     * command given {@code --rw ~/.local/opt} could plant them there. What they lead to is refused
     * all the same: a kernel interface, or a directory of $HOME outside the tool locations.
     */
    @Test
    void aLinkInAToolLocationDoesNotOpenADirectoryOfHome() throws Exception {
        Path documents = Files.createDirectories(host.home().resolve("Documents"));
        Files.writeString(documents.resolve("tax.pdf"), "TAX-SECRET\n");

        ExecResult[] runs = plantedBesideAProgram(host.home().resolve(".local/opt"), "lib64", documents, "LINK/tax.pdf");

        assertThat(runs[0].stdout().text()).contains("TAX-SECRET");
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("TAX-SECRET");
    }

    @Test
    void aLinkInAToolLocationDoesNotOpenSys() throws Exception {
        Path online = Path.of("/sys/devices/system/cpu/online");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(online), "needs " + online);
        String content = Files.readString(online).strip();

        ExecResult[] runs = plantedBesideAProgram(host.home().resolve(".local/opt"), "lib", Path.of("/sys"),
                "LINK/devices/system/cpu/online");

        assertThat(runs[0].stdout().text()).contains("[" + content);
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("[" + content);
    }

    @Test
    void aLinkInAToolLocationDoesNotOpenProc() throws Exception {
        long jvm = ProcessHandle.current().pid();

        ExecResult[] runs = plantedBesideAProgram(host.home().resolve(".local/opt"), "lib", Path.of("/proc"),
                "LINK/" + jvm + "/cmdline");

        assertThat(runs[0].stdout().text()).contains("java");
        assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("java");
    }

    /** The tool location's own links are followed: a pipx-style {@code bin/tool} link into its venv keeps its library. */
    @Test
    void aToolLocationsOwnLinksAreFollowed() throws Exception {
        Path venv = host.home().resolve(".local/share/pipx/venvs/tool");
        Path lib = Files.createDirectories(venv.resolve("lib"));
        Files.writeString(lib.resolve("data.txt"), "hello from the venv\n");
        Path real = executable(venv.resolve("bin/tool"), "#!/bin/sh\ncat " + lib.resolve("data.txt") + "\n");
        Path link = Files.createDirectories(host.home().resolve(".local/bin")).resolve("tool");
        Files.createSymbolicLink(link, real);

        ExecResult inside = sandboxes.inside(link.toString());

        assertThat(inside.stdout().text()).contains("hello from the venv");
    }

    /**
     * A planted link to a directory neither in $HOME nor a kernel interface (F0: another checkout,
     * {@code /work/main}): refused because of where the link lies (a data directory some earlier
     * command could write), whatever it leads to. The target is a directory of this build's own
     * {@code target}, outside every home and owned by root or this user, as a checkout would be.
     */
    @Test
    void aLinkPlantedBesideAProgramDoesNotOpenAnotherCheckout() throws Exception {
        Path checkout = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "other-checkout-");
        try {
            Files.setPosixFilePermissions(checkout, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(checkout.resolve(".env"), "CHECKOUT-SECRET\n");

            ExecResult[] runs = plantedBesideAProgram("lib", checkout, "LINK/.env");

            assertThat(runs[0].stdout().text()).contains("CHECKOUT-SECRET");
            assertThat(runs[1].stdout().text()).startsWith("[").doesNotContain("CHECKOUT-SECRET");
        } finally {
            Files.deleteIfExists(checkout.resolve(".env"));
            Files.deleteIfExists(checkout);
        }
    }

    /**
     * Red team, round 19, F6: an earlier command wrote a script whose {@code #!} names a file that
     * is executable but no program ({@code notabinary}: a +x env file, anything on a vfat mount);
     * run later from elsewhere, the file was granted as its interpreter, and under bubblewrap
     * execvp's ENOEXEC fallback ran the script with {@code /bin/sh}, which printed the file. An
     * interpreter is granted only when it is a binary or a script leading to one. Controls: the file
     * is readable unsandboxed, and sandboxed when granted explicitly.
     */
    @Test
    void aShebangNamingAnExecutableDataFileGrantsNothing() throws Exception {
        Path secret = executable(host.outside().resolve("secret/notabinary"), "SECRET-EXEC-rt19 not a script\n");
        Path script = executable(host.outside().resolve("w19/tool2"), "#!" + secret + "\necho RUNNING-AS-SH; cat " + secret + "\n");

        try {
            ExecResult inside = sandboxes.sandboxed().run(Command.builder(java.util.List.of(script.toString())).build());
            assertThat(inside.stdout().text() + inside.stderr().text()).doesNotContain("SECRET-EXEC-rt19");
            assertThat(inside.isSuccess()).isFalse();
        } catch (SandboxException e) {
            // Landlock: the kernel is refused the interpreter, said as such
            assertThat(e.getMessage()).contains(secret + " is not readable in the sandbox").doesNotContain("SECRET-EXEC-rt19");
        }
        Sandbox.Preview plan = sandboxes.sandboxed().preview(java.util.List.of(script.toString()));
        assertThat(plan.grants()).noneMatch(g -> g.resolved().equals(secret));

        assertThat(sandboxes.outside("cat", secret.toString()).stdout().text()).contains("SECRET-EXEC-rt19");
        SandboxPolicy granted = SandboxPolicy.builder(host.environment()).addReadPath(secret.getParent().toString()).build();
        assertThat(Sandboxes.of(host.environment(), granted, backend).inside("cat", secret.toString()).stdout().text())
                .contains("SECRET-EXEC-rt19");
    }

    /**
     * Red team, round 19, F6 detail: {@code #!/root/.npmrc} was granted ({@code ro /root/.npmrc
     * (interpreter)}): a hidden file of $HOME is never a derived grant, even when it is a valid
     * program. The control: the same program elsewhere in $HOME is granted as the interpreter.
     */
    @Test
    void aShebangNamingAHiddenFileOfHomeGrantsNothing() throws Exception {
        Path npmrc = executable(host.home().resolve(".npmrc"), "#!/bin/sh\n# //registry.npmjs.org/:_authToken=bait-npm-token\n");
        Path visible = executable(host.home().resolve("tools/interp"), "#!/bin/sh\n");
        Path hiddenScript = executable(host.outside().resolve("w19/npm"), "#!" + npmrc + "\n");
        Path visibleScript = executable(host.outside().resolve("w19/ok"), "#!" + visible + "\n");

        Sandbox.Preview hidden = sandboxes.sandboxed().preview(java.util.List.of(hiddenScript.toString()));
        assertThat(hidden.grants()).noneMatch(g -> g.resolved().equals(npmrc));
        Sandbox.Preview control = sandboxes.sandboxed().preview(java.util.List.of(visibleScript.toString()));
        assertThat(control.grants()).anyMatch(g -> g.resolved().equals(visible) && g.reason().equals("interpreter"));
    }
}
