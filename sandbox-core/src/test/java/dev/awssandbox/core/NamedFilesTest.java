package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.Sandboxes;
import dev.awssandbox.core.testing.TestHost;
import dev.awssandbox.core.testing.TestHostExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression (red team, round 22): what the AWS config and ssh config <em>name</em> (F3) — a
 * {@code credential_process} script, a {@code web_identity_token_file}, a {@code ca_bundle} or
 * {@code AWS_CA_BUNDLE}, an {@code AWS_DATA_PATH} directory, an ssh {@code Include} and what it runs,
 * an {@code IdentityFile} —, the programs git's environment names ({@code GIT_SSH_COMMAND} & co.,
 * F4), and credential dotfiles linked into a checkout ({@code ~/.s3cfg}, {@code ~/.boto}, …, F8)
 * were writable or readable from a checkout. Each attack is shown to work without the
 * configuration (or unsandboxed, with real {@code aws}, {@code ssh} and {@code git} running the
 * payload), and to fail sandboxed, on both backends.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.awssandbox.core.testing.Backends#available")
@ExtendWith(TestHostExtension.class)
class NamedFilesTest {
    @Parameter
    BackendKind backend;

    private TestHost host;

    @BeforeEach
    void setUp(TestHost host) {
        Requirements.requireLandlock();
        this.host = host;
    }

    private boolean masks() {
        return backend == BackendKind.BUBBLEWRAP;
    }

    private Sandboxes from(Path dir) {
        return from(dir, SandboxPolicy.Credentials.BOTH);
    }

    private Sandboxes from(Path dir, SandboxPolicy.Credentials mode) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        return Sandboxes.of(environment, SandboxPolicy.defaults(environment, mode), backend);
    }

    private static Path script(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static String payload(Path file, Path marker) {
        return "printf '#!/bin/sh\\ntouch " + marker + "\\n' > '" + file + "'";
    }

    private void awsConfig(String body) throws Exception {
        Files.createDirectories(host.home().resolve(".aws"));
        Files.writeString(host.home().resolve(".aws/config"), "[default]\nregion = us-east-1\n" + body);
    }

    /** A host program run as the user would, with {@code HOME} the test's and {@code environment} added. */
    private String run(Map<String, String> environment, Path dir, String... command) throws Exception {
        command = command.clone();
        command[0] = Requirements.hostProgram(command[0]); // a control: what the host program does, past its shim
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", host.home().toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    /** F3: {@code credential_process = ~/…/tools/cred.sh}, the script in the working directory. */
    @Test
    void aCredentialProcessScriptInACheckoutCannotBeRewritten() throws Exception {
        Path tools = Files.createDirectories(host.work().resolve("tools"));
        Path cred = script(tools.resolve("cred.sh"));
        Path marker = host.outside().resolve("credential-process-ran");
        String attack = payload(cred, marker);
        // control: without the key, the checkout is an ordinary writable directory
        ExecResult before = from(tools).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        awsConfig("credential_process = " + cred + " --profile x\n");

        ExecResult inside = from(tools).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(cred)).doesNotContain("touch");
        if (!masks()) { // Landlock: the working directory is read-only, and says why
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("credential_process"));
        } else { // bubblewrap too since round 24 (F12): the script's neighbours are loaded with it
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(cred.toString()));
        }
        // control: unsandboxed, the same write makes the next aws on the host run it
        if (Requirements.which("aws").isPresent()) {
            assertThat(from(tools).outside("sh", "-c", attack).isSuccess()).isTrue();
            run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), host.outside(), "aws", "sts", "get-caller-identity",
                    "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1");
            assertThat(marker).exists();
        }
    }

    /**
     * Round 24, F12: under bubblewrap the named script alone was masked read-only; its interpreter
     * loads its neighbours from the same, writable directory ({@code python3 ~/proj/tools/cred.py}
     * imports {@code tools/json.py} before the standard library's). The script's directory is kept
     * whole now, on both backends: from the checkout, {@code tools} is read-only (bubblewrap: the
     * rest of the checkout stays writable; Landlock: the checkout is read-only, as before); from
     * {@code tools} itself, the working directory is read-only. Control: unsandboxed, the planted
     * {@code json.py} runs in the real {@code python3} running the script.
     */
    @Test
    void theNeighboursOfANamedScriptCannotBeWritten() throws Exception {
        Requirements.requireProgram("python3");
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path tools = Files.createDirectories(project.resolve("tools"));
        Path cred = Files.writeString(tools.resolve("cred.py"), "import json\nprint(json.dumps({'Version': 1}))\n");
        Path marker = host.outside().resolve("neighbour-ran");
        String attack = "echo 'open(\"" + marker + "\", \"w\").write(\"x\")' > " + tools.resolve("json.py");
        ExecResult before = from(project).inside("sh", "-c", "echo x > tools/notes.txt");
        assertThat(before.isSuccess()).as("control: " + before.stderr().text()).isTrue();
        awsConfig("credential_process = python3 " + cred + "\n");

        ExecResult fromProject = from(project).inside("sh", "-c", attack);
        ExecResult fromTools = from(tools).inside("sh", "-c", attack);
        ExecResult rest = from(project).inside("sh", "-c", "echo y > notes.txt");

        assertThat(fromProject.isSuccess()).as(fromProject.stderr().text()).isFalse();
        assertThat(fromTools.isSuccess()).as(fromTools.stderr().text()).isFalse();
        assertThat(tools.resolve("json.py")).doesNotExist();
        assertThat(fromTools.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(cred.toString()));
        assertThat(rest.isSuccess()).as("the rest of the checkout: " + rest.stderr().text()).isEqualTo(masks());
        // control: unsandboxed, the planted module runs in the python3 that runs the script
        assertThat(from(project).outside("sh", "-c", attack).isSuccess()).isTrue();
        run(Map.of(), host.outside(), "python3", cred.toString());
        assertThat(marker).exists();
    }

    /** F3: {@code web_identity_token_file} in the working directory, read with the credentials withheld. */
    @Test
    void aWebIdentityTokenTheConfigNamesIsWithheldAsTheVariablesIs() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path token = Files.writeString(project.resolve("token"), "eyJSECRETTOKEN\n");
        // control: without the key, the token is an ordinary file of the project
        assertThat(from(project, SandboxPolicy.Credentials.NONE).inside("cat", token.toString()).stdout().text())
                .contains("eyJSECRETTOKEN");
        awsConfig("role_arn = arn:aws:iam::123456789012:role/r\nweb_identity_token_file = " + token + "\n");

        ExecResult withheld = from(project, SandboxPolicy.Credentials.NONE).inside("cat", token.toString());
        ExecResult allowed = from(project, SandboxPolicy.Credentials.BOTH).inside("sh", "-c",
                "cat " + token + "; echo forged > " + token);

        assertThat(withheld.isSuccess()).isFalse();
        assertThat(withheld.stdout().text()).doesNotContain("SECRET");
        assertThat(withheld.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("web_identity_token_file"));
        // with the credentials given, the token is readable as AWS_WEB_IDENTITY_TOKEN_FILE's, never writable
        assertThat(allowed.stdout().text()).contains("eyJSECRETTOKEN");
        assertThat(allowed.isSuccess()).isFalse();
        assertThat(Files.readString(token)).isEqualTo("eyJSECRETTOKEN\n");
    }

    /**
     * Round 24, F6: the file {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} names (EKS Pod Identity,
     * ECS: botocore sends it as {@code Authorization} to {@code AWS_CONTAINER_CREDENTIALS_FULL_URI})
     * was readable with the credentials withheld, in the working directory and through a
     * {@code --ro}. It is withheld now as {@code AWS_WEB_IDENTITY_TOKEN_FILE}'s; the container
     * variables themselves reach no command. Control: the same file without the variable is read.
     */
    @Test
    void theContainerAuthorizationTokenFileIsWithheldAsTheWebIdentityTokenIs() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path token = Files.writeString(project.resolve("token"), "EKS-POD-IDENTITY-SECRET\n");
        Path other = Files.createDirectories(host.work().resolve("other"));
        assertThat(from(project, SandboxPolicy.Credentials.NONE).inside("cat", token.toString()).stdout().text())
                .as("control: without the variable").contains("SECRET");
        host.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
        host.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "INLINE-SECRET");
        host.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString());

        ExecResult withheld = from(project, SandboxPolicy.Credentials.NONE).inside("sh", "-c", "cat " + token + "; env");
        ExecResult allowed = from(project, SandboxPolicy.Credentials.BOTH).inside("sh", "-c",
                "env; echo forged > " + token);

        assertThat(withheld.stdout().text()).doesNotContain("SECRET").doesNotContain("AWS_CONTAINER");
        assertThat(withheld.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(token.toString()));
        assertThat(allowed.stdout().text()).doesNotContain("SECRET").doesNotContain("AWS_CONTAINER");
        assertThat(Files.readString(token)).isEqualTo("EKS-POD-IDENTITY-SECRET\n");
        HostEnvironment environment = host.environment().withWorkingDirectory(other);
        SandboxPolicy ro = SandboxPolicy.builder(environment).credentials(SandboxPolicy.Credentials.NONE)
                .addReadPath(project.toString()).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sandboxes.of(environment, ro, backend)
                .inside("cat", token.toString())).hasMessageContaining(token.toString());
        // a caller's --env of a container variable is withheld as the other secret variables are
        SandboxPolicy passed = SandboxPolicy.builder(environment).credentials(SandboxPolicy.Credentials.NONE)
                .addEnvPassthrough("AWS_CONTAINER_AUTHORIZATION_TOKEN").build();
        assertThat(Sandboxes.of(environment, passed, backend).inside("env").stdout().text()).doesNotContain("SECRET");
        host.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
        host.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "");
        host.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "");
    }

    /** F3: a CA bundle ({@code AWS_CA_BUNDLE}, {@code ca_bundle}) and {@code AWS_DATA_PATH} in a checkout. */
    @Test
    void trustedCaBundlesAndTheDataPathCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path variableCa = Files.writeString(project.resolve("corp-ca.pem"), "CA1\n");
        Path configCa = Files.writeString(project.resolve("other-ca.pem"), "CA2\n");
        Path models = Files.createDirectories(project.resolve("models/sts"));
        String attack = "echo EVIL >> corp-ca.pem; echo EVIL >> other-ca.pem; echo EVIL > models/sts/rules.json;"
                + " cat corp-ca.pem other-ca.pem models/sts/rules.json";
        // control: without the configuration, all three are written
        ExecResult before = from(project).inside("sh", "-c", attack);
        assertThat(before.stdout().text()).contains("CA1\nEVIL\nCA2\nEVIL\nEVIL");
        Files.writeString(variableCa, "CA1\n");
        Files.writeString(configCa, "CA2\n");
        Files.delete(models.resolve("rules.json"));
        host.set("AWS_CA_BUNDLE", variableCa.toString());
        host.set("AWS_DATA_PATH", "/nonexistent:" + project.resolve("models"));
        awsConfig("ca_bundle = " + configCa + "\n");

        ExecResult inside = from(project).inside("sh", "-c", attack);

        assertThat(Files.readString(variableCa)).isEqualTo("CA1\n");
        assertThat(Files.readString(configCa)).isEqualTo("CA2\n");
        assertThat(models.resolve("rules.json")).doesNotExist();
        if (!masks()) { // Landlock: the working directory is read-only, and says why
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("the host trusts"));
        } else { // the rest of the project stays writable
            ExecResult other = from(project).inside("sh", "-c", "echo y > notes.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
        }
    }

    /**
     * Red team, round RT15, F2: the TLS trust stores named by the generic variables (OpenSSL's {@code SSL_CERT_FILE} and
     * {@code SSL_CERT_DIR}, curl's, requests', Node's, pip's, …) stayed writable, while {@code AWS_CA_BUNDLE} naming the
     * same file was kept: a command appended its own CA, and the host's later {@code curl} and {@code python3} trusted a
     * server it forged. Each variable alone keeps the bundle, and (Landlock) the warning names it. Control: named by none,
     * the same bundle is written, and a new file in the directory.
     */
    @Test
    void trustStoresTheGenericVariablesNameCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path ca = Files.writeString(project.resolve("ca.pem"), "CA\n");
        Path certs = Files.createDirectories(project.resolve("certs"));
        String attack = "echo EVIL >> ca.pem; echo EVIL > certs/evil.pem";
        // control: named by nothing, both are written
        ExecResult before = from(project).inside("sh", "-c", attack);
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(Files.readString(ca)).isEqualTo("CA\nEVIL\n");
        assertThat(certs.resolve("evil.pem")).exists();
        List<String> written = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (String variable : List.of("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
                "NODE_EXTRA_CA_CERTS", "PIP_CERT", "HTTPLIB2_CA_CERTS", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH",
                "NPM_CONFIG_CAFILE", "CARGO_HTTP_CAINFO", "DENO_CERT", "NIX_SSL_CERT_FILE", "BUNDLE_SSL_CA_CERT",
                "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE")) {
            Files.writeString(ca, "CA\n");
            Files.deleteIfExists(certs.resolve("evil.pem"));
            boolean directory = variable.equals("SSL_CERT_DIR");
            host.set(variable, (directory ? "/nonexistent:" + certs : ca).toString());
            ExecResult inside = from(project).inside("sh", "-c", directory ? "echo EVIL > certs/evil.pem" : "echo EVIL >> ca.pem");
            if (directory ? Files.exists(certs.resolve("evil.pem")) : !Files.readString(ca).equals("CA\n")) {
                written.add(variable);
            }
            if (!masks() && inside.enforcement().notes().stream().noneMatch(n -> n.contains("named by " + variable))) {
                unexplained.add(variable);
            }
            if (masks()) { // bubblewrap: the bundle alone is kept, the rest of the project stays writable
                ExecResult other = from(project).inside("sh", "-c", "echo y > notes.txt");
                assertThat(other.isSuccess()).as(variable + ": " + other.stderr().text()).isTrue();
            }
            host.set(variable, "");
        }
        assertThat(written).as("variables whose trust store a command wrote").isEmpty();
        assertThat(unexplained).as("variables the warning does not name").isEmpty();
    }

    /**
     * Red team, round RT15, F2: the same set in {@code ~/.bashrc} ({@code export SSL_CERT_FILE=$HOME/proj5/ca.pem}: every
     * later shell of the user has it), and {@code ~/.curlrc}'s {@code cacert}, which every later {@code curl} trusts.
     * Control: the same {@code .bashrc} and {@code .curlrc} naming another file leave the bundle writable.
     */
    @Test
    void trustStoresAStartupFileOrCurlsConfigNamesCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.home().resolve("proj5"));
        Path ca = Files.writeString(project.resolve("ca.pem"), "CA\n");
        Path curlCa = Files.writeString(project.resolve("curlca.pem"), "CA\n");
        String attack = "echo EVIL >> ca.pem; echo EVIL >> curlca.pem";
        Path bashrc = host.home().resolve(".bashrc");
        Path curlrc = host.home().resolve(".curlrc");
        // control: the start-up file and curl's config name other files
        Files.writeString(bashrc, "export SSL_CERT_FILE=$HOME/elsewhere/ca.pem\n");
        Files.writeString(curlrc, "cacert = " + host.outside().resolve("curlca.pem") + "\n");
        ExecResult before = from(project).inside("sh", "-c", attack);
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(Files.readString(ca)).isEqualTo("CA\nEVIL\n");
        assertThat(Files.readString(curlCa)).isEqualTo("CA\nEVIL\n");
        Files.writeString(ca, "CA\n");
        Files.writeString(curlCa, "CA\n");
        Files.writeString(bashrc, "export SSL_CERT_FILE=$HOME/proj5/ca.pem\n");
        Files.writeString(curlrc, "--silent\ncacert = \"" + curlCa + "\"\n");
        try {
            ExecResult inside = from(project).inside("sh", "-c", attack);

            assertThat(Files.readString(ca)).isEqualTo("CA\n");
            assertThat(Files.readString(curlCa)).isEqualTo("CA\n");
            if (!masks()) { // Landlock: the working directory is read-only, and says why (the first reason)
                assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("named by cacert in " + curlrc));
                Files.delete(curlrc); // then the start-up file's alone
                ExecResult again = from(project).inside("sh", "-c", attack);
                assertThat(Files.readString(ca)).isEqualTo("CA\n");
                assertThat(again.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("named by SSL_CERT_FILE"));
            } else { // the rest of the project stays writable
                ExecResult other = from(project).inside("sh", "-c", "echo y > notes.txt");
                assertThat(other.isSuccess()).as(other.stderr().text()).isTrue();
            }
        } finally {
            Files.deleteIfExists(bashrc);
            Files.deleteIfExists(curlrc);
        }
    }

    /**
     * Red team, round RT15, F4: git's {@code gpg.ssh.allowedSignersFile} (and {@code gpg.ssh.revocationFile}) in the global
     * config stayed writable: a command added its own key, and {@code git log --show-signature} reported a good signature
     * of the user's for a commit the command signed. Kept as {@code http.sslCAInfo}'s file is. Control: without the keys,
     * both files are written.
     */
    @Test
    void gitsSshSignatureTrustFilesCannotBeWritten() throws Exception {
        Path trust = Files.createDirectories(host.work().resolve("trust"));
        Path signers = Files.writeString(trust.resolve("allowed_signers"), "user@example.com ssh-ed25519 AAAA\n");
        Path revoked = Files.writeString(trust.resolve("revoked"), "");
        String attack = "echo 'user@example.com ssh-ed25519 EVIL' >> allowed_signers; echo EVIL >> revoked";
        // control: named by no config, both are written
        ExecResult before = from(trust).inside("sh", "-c", attack);
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(Files.readString(signers)).contains("EVIL");
        assertThat(Files.readString(revoked)).contains("EVIL");
        for (String key : List.of("allowedSignersFile", "revocationFile")) {
            Path file = key.equals("allowedSignersFile") ? signers : revoked;
            Files.writeString(signers, "user@example.com ssh-ed25519 AAAA\n");
            Files.writeString(revoked, "");
            Files.writeString(host.home().resolve(".gitconfig"), "[gpg]\n\tformat = ssh\n[gpg \"ssh\"]\n\t" + key + " = "
                    + file + "\n");

            ExecResult inside = from(trust).inside("sh", "-c", "echo EVIL >> " + file.getFileName());

            assertThat(Files.readString(file)).as(key).doesNotContain("EVIL");
            // both backends: the directory is read-only, and says why (bubblewrap keeps the neighbours of what git's config
            // names too)
            assertThat(inside.enforcement().notes()).as(key).anySatisfy(n -> assertThat(n).contains("gpg.ssh." + key));
        }
        Files.delete(host.home().resolve(".gitconfig"));
    }

    /** F3: {@code ~/.ssh/config} includes a file in a checkout; what it runs; an {@code IdentityFile} there. */
    @Test
    void whatTheSshConfigIncludesRunsOrHoldsCannotBeWrittenOrRead() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path extra = Files.writeString(project.resolve("extra.conf"), "Host *\n");
        Path proxy = script(project.resolve("bin/px.sh"));
        Path keys = Files.createDirectories(host.work().resolve("keys"));
        Files.writeString(keys.resolve("id_deploy"), TestHost.SSH_BAIT);
        Path marker = host.outside().resolve("ssh-match-exec-ran");
        String attack = "echo 'Match exec \"touch " + marker + "\"' >> extra.conf";
        // control: without the config, the project is an ordinary writable directory and the keys readable
        ExecResult before = from(project).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        assertThat(from(keys).inside("cat", "id_deploy").stdout().text()).contains("FAKE PRIVATE KEY");
        Path config = host.home().resolve(".ssh/config");
        Files.writeString(config, "Include " + extra + "\nHost x\n  ProxyCommand " + proxy + " %h %p\n"
                + "  IdentityFile=\"" + keys.resolve("id_deploy") + "\"\n");

        ExecResult include = from(project).inside("sh", "-c", attack);
        ExecResult command = from(proxy.getParent()).inside("sh", "-c", payload(proxy, marker));
        ExecResult key = from(keys).inside("cat", "id_deploy");

        assertThat(include.isSuccess()).isFalse();
        assertThat(command.isSuccess()).isFalse();
        assertThat(Files.readString(extra)).isEqualTo("Host *\n");
        assertThat(Files.readString(proxy)).doesNotContain("touch");
        if (!masks()) {
            assertThat(include.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("Include"));
        }
        assertThat(key.stdout().text()).doesNotContain("FAKE PRIVATE KEY");
        assertThat(key.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("IdentityFile"));
        // control: unsandboxed, the same write makes the next ssh on the host run it
        assertThat(from(project).outside("sh", "-c", attack).isSuccess()).isTrue();
        run(Map.of(), host.outside(), "ssh", "-F", config.toString(), "-G", "example.invalid");
        assertThat(marker).exists();
    }

    /**
     * Red team, round 44, F12-F14: a key a config hands a program only inside a command string, and git's own secret
     * keys, were kept read-only but readable: {@code core.sshCommand = ssh -i KEY}, an alias's {@code -oIdentityFile=},
     * an ssh {@code ProxyCommand}'s {@code ssh -i}, {@code GIT_SSH_COMMAND}, a credential store's {@code --file},
     * {@code http.sslKey} (relative, in the repository's own config) and {@code http.cookieFile}. Each is now withheld
     * as an {@code IdentityFile} is: the working directory that holds it is not given. Control: without the config
     * each is read from its directory.
     */
    @Test
    void keysACommandStringOrGitNamesCannotBeRead() throws Exception {
        Path gitconfig = host.home().resolve(".gitconfig");
        Path awsConfig = host.home().resolve(".aws/config");
        String awsConfigBefore = Files.exists(awsConfig) ? Files.readString(awsConfig) : null;
        String profileBefore = Files.exists(host.home().resolve(".profile")) ? Files.readString(host.home().resolve(".profile")) : null;
        String bashrcBefore = Files.exists(host.home().resolve(".bashrc")) ? Files.readString(host.home().resolve(".bashrc")) : null;
        List<KeyForm> forms = List.of(
                new KeyForm("core.sshCommand = ssh -i", "deploy_key",
                        k -> write(gitconfig, "[core]\n\tsshCommand = ssh -i " + k + " -o IdentitiesOnly=yes\n")),
                new KeyForm("alias !ssh -oIdentityFile=", "id_alias",
                        k -> write(gitconfig, "[alias]\n\tjump = !ssh -oIdentityFile=" + k + " bastion\n")),
                new KeyForm("ProxyCommand ssh -i", "id_jump",
                        k -> write(host.home().resolve(".ssh/config"), "Host b\n  ProxyCommand ssh -i " + k + " -W %h:%p j\n")),
                new KeyForm("GIT_SSH_COMMAND", "id_env", k -> host.set("GIT_SSH_COMMAND", "ssh -i " + k)),
                new KeyForm("credential.helper store --file", "git-creds",
                        k -> write(gitconfig, "[credential]\n\thelper = store --file " + k + "\n")),
                new KeyForm("http.cookieFile", "cookies.txt", k -> write(gitconfig, "[http]\n\tcookieFile = " + k + "\n")),
                new KeyForm("http.sslKey (relative, in .git/config)", "client.key", k -> {
                    write(k.resolveSibling(".git/config"), "[http]\n\tsslKey = client.key\n");
                }),
                // round 45k: -c in an alias (F2), a variable the alias sets (F3), a relative IdentityFile (F5), a key
                // whose path the string computes (F7)
                new KeyForm("alias !git -c http.sslKey=", "alias.key",
                        k -> write(gitconfig, "[alias]\n\tpp = !git -c http.sslKey=" + k + " fetch\n")),
                new KeyForm("alias !GIT_SSL_KEY=", "env.key",
                        k -> write(gitconfig, "[alias]\n\tpe = !GIT_SSL_KEY=" + k + " git fetch\n")),
                new KeyForm("IdentityFile relative", "id_rel",
                        k -> write(host.home().resolve(".ssh/config"), "Host r\n  IdentityFile id_rel\n")),
                new KeyForm("ssh -i \"$(pwd)/KEY\"", "id_computed",
                        k -> write(gitconfig, "[core]\n\tsshCommand = ssh -i \"$(pwd)/id_computed\"\n")),
                // review of 2026-12-04: a .git linked to its git directory (git follows the link) had its config unread
                new KeyForm("http.sslKey in the config of a linked .git", "linked.key", k -> {
                    Path gitDirectory = k.getParent().resolveSibling(k.getParent().getFileName() + "-git");
                    write(gitDirectory.resolve("HEAD"), "ref: refs/heads/main\n");
                    write(gitDirectory.resolve("objects/info/.keep"), "");
                    write(gitDirectory.resolve("refs/heads/.keep"), "");
                    write(gitDirectory.resolve("config"), "[http]\n\tsslKey = linked.key\n");
                    try {
                        Files.createSymbolicLink(k.resolveSibling(".git"), gitDirectory);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }),
                // round 46: git's ssh signing key (F3), the client certificate botocore shows a proxy (F4)
                new KeyForm("user.signingKey with gpg.format = ssh", "signing_key",
                        k -> write(gitconfig, "[user]\n\tsigningKey = " + k + "\n[gpg]\n\tformat = ssh\n")),
                new KeyForm("user.signingKey relative", "sign_rel",
                        k -> write(gitconfig, "[user]\n\tsigningKey = sign_rel\n[gpg]\n\tformat = ssh\n")),
                new KeyForm("proxy_client_cert in the AWS config", "proxy.pem",
                        k -> write(awsConfig, "[default]\nregion = us-east-1\nproxy_client_cert = " + k + "\n")),
                // round 46, F12: credential stores a variable moves out of the home
                new KeyForm("KUBECONFIG", "kubeconfig", k -> host.set("KUBECONFIG", "/nonexistent/config:" + k)),
                new KeyForm("GOOGLE_APPLICATION_CREDENTIALS", "sa.json",
                        k -> host.set("GOOGLE_APPLICATION_CREDENTIALS", k.toString())),
                new KeyForm("GNUPGHOME", "gnupg/private-keys-v1.d/k.key", k -> host.set("GNUPGHOME", k.getParent().getParent()
                        .toString())),
                // red team, 2026-12-05, F1: stores the lists had missed, and a variable whose name says it names one
                new KeyForm("HF_HOME", "hf/token", k -> host.set("HF_HOME", k.getParent().toString())),
                new KeyForm("HF_TOKEN_PATH", "hf-token", k -> host.set("HF_TOKEN_PATH", k.toString())),
                new KeyForm("KAGGLE_CONFIG_DIR", "kaggle/kaggle.json", k -> host.set("KAGGLE_CONFIG_DIR", k.getParent().toString())),
                new KeyForm("GLAB_CONFIG_DIR", "glab/config.yml", k -> host.set("GLAB_CONFIG_DIR", k.getParent().toString())),
                new KeyForm("MC_CONFIG_DIR", "mc/config.json", k -> host.set("MC_CONFIG_DIR", k.getParent().toString())),
                new KeyForm("MYAPP_TOKEN_FILE (by its name)", "myapp.token", k -> host.set("MYAPP_TOKEN_FILE", k.toString())),
                new KeyForm("DEPLOY_KEY_PATH (by its name)", "deploy.pem", k -> host.set("DEPLOY_KEY_PATH", k.toString())),
                // re-attack of 2026-12-05: a bare file name, other spellings, a file:// value, other AWS_ names, the stores
                // a moved tool home holds
                new KeyForm("POSTGRES_PASSWORD_FILE=NAME (bare)", "pg-pass", k -> host.set("POSTGRES_PASSWORD_FILE", "pg-pass")),
                new KeyForm("UVICORN_SSL_KEYFILE", "server.key", k -> host.set("UVICORN_SSL_KEYFILE", k.toString())),
                new KeyForm("NATS_CREDS", "user.creds", k -> host.set("NATS_CREDS", k.toString())),
                new KeyForm("MY_SECRETS_FILE=file://", "app.secrets", k -> host.set("MY_SECRETS_FILE", "file://" + k)),
                new KeyForm("AWS_IOT_PRIVATE_KEY_PATH", "iot.key", k -> host.set("AWS_IOT_PRIVATE_KEY_PATH", k.toString())),
                new KeyForm("CARGO_HOME", "cargo/credentials.toml", k -> host.set("CARGO_HOME", k.getParent().toString())),
                new KeyForm("XDG_CACHE_HOME", "xc/huggingface/token", k -> host.set("XDG_CACHE_HOME",
                        k.getParent().getParent().toString())),
                // review of the whole change: a *_CREDENTIALS name with a bare file name (Terraform's GOOGLE_CREDENTIALS)
                new KeyForm("GOOGLE_CREDENTIALS=NAME (by its name)", "sa.json", k -> host.set("GOOGLE_CREDENTIALS", "sa.json")),
                // red team of the credential variables (2026-12-05, night): XDG_CONFIG_HOME set by a start-up file, or relative
                // (F1, F2); a Gradle home's key entry (F3); names the rule and the lists had missed (F5); npm's configs in
                // any case (F6); the keys other tools' ssh commands hand ssh (F10); a store a start-up file computes (F11)
                new KeyForm("XDG_CONFIG_HOME in ~/.profile", "xdg/gh/hosts.yml", k -> write(host.home().resolve(".profile"),
                        "export XDG_CONFIG_HOME=" + k.getParent().getParent() + "\n")),
                new KeyForm("XDG_CONFIG_HOME relative", "xdgr/git/credentials", k -> host.set("XDG_CONFIG_HOME", "xdgr")),
                new KeyForm("GRADLE_USER_HOME with gpr.key", "gh/gradle.properties", k -> {
                    write(k, "gpr.user=octocat\ngpr.key=" + TestHost.SSH_BAIT.replace('\n', ' ') + "\n");
                    host.set("GRADLE_USER_HOME", k.getParent().toString());
                }),
                new KeyForm("GOOGLE_CLOUD_KEYFILE_JSON", "tf-sa.json", k -> host.set("GOOGLE_CLOUD_KEYFILE_JSON", k.toString())),
                new KeyForm("X509_USER_PROXY", "x509up", k -> host.set("X509_USER_PROXY", k.toString())),
                new KeyForm("SIGNING_PASSPHRASE_FILE (by its name)", "passphrase", k -> host.set("SIGNING_PASSPHRASE_FILE",
                        k.toString())),
                new KeyForm("TOKEN_FILE (by its name, no prefix)", "token", k -> host.set("TOKEN_FILE", k.toString())),
                new KeyForm("GH_PAT_FILE (by its name)", "pat", k -> host.set("GH_PAT_FILE", k.toString())),
                new KeyForm("Npm_Config_Userconfig", "npmrc", k -> host.set("Npm_Config_Userconfig", k.toString())),
                new KeyForm("NPM_CONFIG_GLOBALCONFIG", "global-npmrc", k -> host.set("NPM_CONFIG_GLOBALCONFIG", k.toString())),
                new KeyForm("BORG_RSH=ssh -i", "borg_key", k -> host.set("BORG_RSH", "ssh -i " + k)),
                new KeyForm("ANSIBLE_SSH_ARGS=-i", "ansible_key", k -> host.set("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -i " + k)),
                new KeyForm("KUBECONFIG=$(realpath kc) in ~/.bashrc", "kc", k -> write(host.home().resolve(".bashrc"),
                        "export KUBECONFIG=$(realpath kc)\n")),
                // the same round: Kerberos' DIR:: cache (F12), a path with a blank (F13), stores of moved homes (F17), a
                // store named past what the start-up files' reading follows (F19), secrets in the repository's git config
                // (F20), Git Credential Manager's plaintext store (F18)
                new KeyForm("KRB5CCNAME=DIR::", "krb/tkt", k -> host.set("KRB5CCNAME", "DIR::" + k)),
                new KeyForm("DEMO_TOKEN_FILE in a directory with a blank", "my dir/tok", k -> host.set("DEMO_TOKEN_FILE",
                        k.toString())),
                new KeyForm("CONAN_HOME's .conan.db", "conan/.conan.db", k -> host.set("CONAN_HOME", k.getParent().toString())),
                new KeyForm("XDG_DATA_HOME's jupyter/runtime", "xd/jupyter/runtime/kernel-1.json", k -> host.set("XDG_DATA_HOME",
                        k.getParent().getParent().getParent().toString())),
                new KeyForm("KUBECONFIG in a file sourced six levels deep", "kc6", k -> {
                    write(host.home().resolve(".bashrc"), ". ~/deep/l1.sh\n");
                    for (int i = 1; i <= 5; i++) {
                        write(host.home().resolve("deep/l" + i + ".sh"), ". ~/deep/l" + (i + 1) + ".sh\n");
                    }
                    write(host.home().resolve("deep/l6.sh"), "export KUBECONFIG=" + k + "\n");
                }),
                new KeyForm("KUBECONFIG set past the start-up files' bound of values", "kcb", k -> {
                    StringBuilder bashrc = new StringBuilder();
                    for (int i = 0; i < 100; i++) {
                        for (int j = 0; j < 14; j++) {
                            bashrc.append("export FOO").append(i).append("=/nonexistent/x").append(i).append("/v").append(j)
                                    .append('\n');
                        }
                    }
                    for (int j = 0; j < 9; j++) {
                        bashrc.append("export KUBECONFIG=/nonexistent/k").append(j).append('\n');
                    }
                    write(host.home().resolve(".bashrc"), bashrc + "export KUBECONFIG=" + k + "\n");
                }),
                new KeyForm("http.extraheader Authorization in .git/config", "ci-token", k -> write(k.resolveSibling(
                        ".git/config"), "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3M=\n")),
                new KeyForm("a password in a remote's URL in .git/config", "pat", k -> write(k.resolveSibling(".git/config"),
                        "[remote \"origin\"]\n\turl = https://octocat:ghp_x@github.com/o/r.git\n")),
                new KeyForm("GCM_PLAINTEXT_STORE_PATH", "gcm/git/https/github.com/u.credential", k -> host.set(
                        "GCM_PLAINTEXT_STORE_PATH", k.getParent().getParent().getParent().getParent().toString())),
                new KeyForm("credential.plaintextStorePath in ~/.gitconfig", "gcm2/u.credential", k -> write(gitconfig,
                        "[credential]\n\thelper = manager\n\tplaintextStorePath = " + k.getParent() + "\n")),
                // F16: the keys a shell alias or function hands a program
                new KeyForm("alias ssh -i in ~/.bashrc", "deploy.pem", k -> write(host.home().resolve(".bashrc"),
                        "alias prod='ssh -i " + k + " ec2-user@10.0.0.1'\n")),
                new KeyForm("rsync -e \"ssh -i\" in an alias", "rsync.pem", k -> write(host.home().resolve(".bashrc"),
                        "alias rs='rsync -e \"ssh -i " + k + "\" -a . host:'\n")),
                new KeyForm("kubectl --kubeconfig= in a function", "kc16", k -> write(host.home().resolve(".bashrc"),
                        "kp() { kubectl --kubeconfig=" + k + " \"$@\"; }\n")),
                // the re-attack of those fixes: a cluster (R1), a continued line (R2), ssh-add (R4), a token as a URL's
                // user name (R5), GitLab's token header (R7)
                new KeyForm("ssh -Ai KEY in an alias", "cluster.pem", k -> write(host.home().resolve(".bashrc"),
                        "alias prod='ssh -Ai " + k + " host'\n")),
                new KeyForm("ssh \\ -i KEY continued in a function", "continued.pem", k -> write(host.home().resolve(".bashrc"),
                        "prod() {\n  ssh \\\n    -i " + k + " host\n}\n")),
                new KeyForm("ssh-add KEY in ~/.bashrc", "added.pem", k -> write(host.home().resolve(".bashrc"),
                        "ssh-add " + k + " 2>/dev/null\n")),
                new KeyForm("a token as a remote URL's user name", "tok-user", k -> write(k.resolveSibling(".git/config"),
                        "[remote \"origin\"]\n\turl = https://ghp_abcdef0123456789@github.com/o/r.git\n")),
                new KeyForm("http.extraheader PRIVATE-TOKEN", "gl-token", k -> write(k.resolveSibling(".git/config"),
                        "[http]\n\textraHeader = PRIVATE-TOKEN: glpat-x\n")),
                // R10, R11, R15
                new KeyForm("KUBECONFIG=~/.kube/config:$(realpath kc) in ~/.bashrc", "kc10", k -> write(host.home().resolve(
                        ".bashrc"), "export KUBECONFIG=$HOME/.kube/config:$(realpath kc10)\n")),
                new KeyForm("a password in http.proxy", "proxy-pass", k -> write(k.resolveSibling(".git/config"),
                        "[http]\n\tproxy = http://u:pw@proxy.example:3128\n")),
                new KeyForm("ansible-playbook --private-key= in an alias", "ansible.pem", k -> write(host.home().resolve(
                        ".bashrc"), "alias site='ansible-playbook --private-key=" + k + " site.yml'\n")),
                new KeyForm("TLS_KEY (R13)", "tls.key", k -> host.set("TLS_KEY", k.toString())),
                new KeyForm("sshpass -f in an alias (R15)", "sshpass-file", k -> write(host.home().resolve(".bashrc"),
                        "alias p='sshpass -f " + k + " ssh host'\n")),
                new KeyForm("CARGO_HOME's config.toml with a registry token", "cargo2/config.toml", k -> {
                    write(k, "[registry]\ntoken = \"cio_x\"\n# " + TestHost.SSH_BAIT.replace('\n', ' ') + "\n");
                    host.set("CARGO_HOME", k.getParent().toString());
                }),
                new KeyForm("SA_KEY_JSON (R13)", "sa-key.json", k -> host.set("SA_KEY_JSON", k.toString())),
                // red team, 2026-12-06: ssh's, scp's and sftp's own grammars (RT-1), options after ssh's host (RT-2),
                // quoted option values, nested quotes, %d, keychain, sshpass' options, an escaped alias (RT-3)
                bashrcKey("ssh -X -i (RT-1)", "x11.pem", k -> "alias prod='ssh -X -i " + k + " deploy@prod.example'"),
                bashrcKey("ssh -Xi (RT-1)", "x11c.pem", k -> "alias prod='ssh -Xi " + k + " deploy@prod.example'"),
                bashrcKey("scp -rp -i (RT-1)", "scp-rp.pem", k -> "alias push='scp -rp -i " + k + " dist/ d@prod.example:/srv'"),
                bashrcKey("scp -B -i (RT-1)", "scp-b.pem", k -> "alias push='scp -B -i " + k + " dist/ d@prod.example:/srv'"),
                bashrcKey("scp -O -i (RT-1)", "scp-o.pem", k -> "alias p='scp -O -i " + k + " a b:y'"),
                bashrcKey("sftp -s SUBSYSTEM -i (RT-1)", "sftp-s.pem", k -> "alias get='sftp -s /usr/lib/openssh/sftp-server -i "
                        + k + " d@prod.example'"),
                bashrcKey("autossh -M 0 -i (RT-1)", "autossh.pem", k -> "alias p='autossh -M 0 -i " + k + " host'"),
                bashrcKey("ssh HOST -i KEY (RT-2)", "after-host.pem", k -> "alias prod='ssh deploy@prod.example -i " + k + "'"),
                bashrcKey("ssh -o \"A b\" -i (RT-3)", "quoted-o.pem", k -> "alias p='ssh -o \"StrictHostKeyChecking no\" -i " + k
                        + " deploy@prod.example'"),
                bashrcKey("nested quotes (RT-3)", "nested.pem", k -> "alias p='ssh -o '\"'\"'ProxyJump bastion'\"'\"' -i " + k
                        + " deploy@prod.example'"),
                bashrcKey("-o \"IdentityFile KEY\" in a function (RT-3)", "space-form.pem", k -> "prod() { ssh -o \"IdentityFile "
                        + k + "\" deploy@prod.example \"$@\"; }"),
                bashrcKey("-o IdentityFile=%d/… (RT-3)", "percent-d.pem", k -> "alias prod='ssh -o IdentityFile=%d/"
                        + host.home().relativize(k) + " deploy@prod.example'"),
                bashrcKey("an escaped alias (RT-3)", "escaped.pem", k -> "alias prod=ssh\\ -i\\ " + k + "\\ deploy@prod.example"),
                bashrcKey("keychain KEY (RT-3)", "keychain.pem", k -> "eval $(keychain --eval --quiet " + k + ")"),
                bashrcKey("sshpass -v -f (RT-3)", "sshpass-v", k -> "alias p='sshpass -v -f " + k + " ssh deploy@prod.example'"),
                bashrcKey("sshpass -P passphrase -f (RT-3)", "sshpass-p", k -> "alias p='sshpass -P passphrase -f " + k
                        + " ssh deploy@prod.example'"),
                bashrcKey("az --private-key-file (RT-3)", "az.pem", k -> "alias az-prod='az ssh vm --private-key-file " + k
                        + " -n prod -g rg'"),
                // RT-5: any header git sends, a secret entry of git's config, a helper that writes the password itself
                new KeyForm("http.extraHeader cf-access-token (RT-5)", "cf-token", k -> write(k.resolveSibling(".git/config"),
                        "[http \"https://git.corp.example/\"]\n\textraHeader = cf-access-token: x\n")),
                new KeyForm("http.extraHeader Api-Key (RT-5)", "api-key-header", k -> write(k.resolveSibling(".git/config"),
                        "[http]\n\textraHeader = Api-Key: x\n")),
                new KeyForm("sendemail.smtpPass (RT-5)", "smtp-pass", k -> write(k.resolveSibling(".git/config"),
                        "[sendemail]\n\tsmtpPass = x\n")),
                new KeyForm("an inline credential.helper password (RT-5)", "inline-helper", k -> write(k.resolveSibling(
                        ".git/config"), "[credential]\n\thelper = \"!f() { echo username=x; echo password=y; }; f\"\n")),
                // RT-6: a secret variable read from a file, and a sourced file that gives one its value
                bashrcKey("AWS_SECRET_ACCESS_KEY=$(cat KEY) (RT-6)", "aws-secret", k -> "export AWS_SECRET_ACCESS_KEY=$(cat " + k
                        + ")"),
                bashrcKey("GITHUB_TOKEN=$(< KEY) (RT-6)", "gh-token", k -> "export GITHUB_TOKEN=\"$(< " + k + ")\""),
                bashrcKey("DB_PASSWORD=`gpg --decrypt KEY` (RT-6)", "db-pass.gpg", k -> "export DB_PASSWORD=`gpg --decrypt " + k
                        + "`"),
                // red team, 2026-12-06, R2-1: the home's variable in a key, outside an alias or after a matched option
                bashrcKey("ssh -i \"$HOME/…\" in a function (R2-1)", "home-var.pem", k -> "d(){ ssh -i \"$HOME/"
                        + host.home().relativize(k) + "\" host; }"),
                bashrcKey("ssh-add \"${HOME}/…\" at the top (R2-1)", "home-brace.pem", k -> "ssh-add \"${HOME}/"
                        + host.home().relativize(k) + "\" 2>/dev/null"),
                bashrcKey("kubectl --kubeconfig $HOME/… in an alias (R2-1)", "home-kc", k -> "alias d=\"kubectl --kubeconfig $HOME/"
                        + host.home().relativize(k) + " get pods\""),
                // R2-2: the spellings of a secret variable read from a file; R2-3: the names of secret variables
                bashrcKey("${T:-$(cat F)} (R2-2)", "default-exp", k -> "export GITHUB_TOKEN=${GITHUB_TOKEN:-$(cat " + k + ")}"),
                bashrcKey("\"token $(cat F)\" (R2-2)", "prefixed", k -> "export GITHUB_TOKEN=\"token $(cat " + k + ")\""),
                bashrcKey("a substitution over lines (R2-2)", "multi-line", k -> "export GITHUB_TOKEN=$(\n  cat " + k + "\n)"),
                bashrcKey("read -r T < F (R2-2)", "read-r", k -> "IFS= read -r GITHUB_TOKEN < \"" + k + "\"; export GITHUB_TOKEN"),
                bashrcKey("printf -v T (R2-2)", "printf-v", k -> "printf -v GITHUB_TOKEN %s \"$(cat " + k + ")\""),
                bashrcKey("PGPASSWORD (R2-3)", "pgpass-var", k -> "export PGPASSWORD=$(cat " + k + ")"),
                bashrcKey("mapfile -t T < F (R3-13)", "mapfile", k -> "mapfile -t GITHUB_TOKEN < " + k),
                bashrcKey("read -r T _ < F (R3-13)", "read-two", k -> "read -r GITHUB_TOKEN _ < " + k),
                bashrcKey("$(cat \"$HOME\"/…) (R3-3)", "quoted-home", k -> "export GITHUB_TOKEN=$(cat \"$HOME\"/"
                        + host.home().relativize(k) + ")"),
                new KeyForm("aws.secretAccessKey in .git/config (R3-12)", "git-aws-secret", k -> write(k.resolveSibling(
                        ".git/config"), "[aws]\n\tsecretAccessKey = x\n")),
                bashrcKey("RAILS_MASTER_KEY (R2-3)", "master-key", k -> "export RAILS_MASTER_KEY=$(cat " + k + ")"),
                bashrcKey("TF_TOKEN_<host> (R2-3)", "tf-token", k -> "export TF_TOKEN_app_terraform_io=$(cat " + k + ")"),
                // R2-7: a helper's password= through the shell's quoting; R2-8: a key through a variable the file sets
                new KeyForm("credential.helper pass\"word\"=X (R2-7)", "quoted-helper", k -> write(k.resolveSibling(
                        ".git/config"), "[credential]\n\thelper = \"!f() { echo username=u; echo pass\\\"word\\\"=x; }; f\"\n")),
                bashrcKey("K=KEY, alias d=\"ssh -i $K\" (R2-8)", "via-var.pem", k -> "K=" + k + "\nalias d=\"ssh -i $K host\""),
                bashrcKey("K=$HOME/…, ssh -i \"$K\" in a function (R2-8)", "via-home-var.pem", k -> "K=$HOME/"
                        + host.home().relativize(k) + "\nd(){ ssh -i \"$K\" host; }"),
                bashrcKey("${HOME%/}/… (R3-11)", "home-op.pem", k -> "alias d='ssh -i ${HOME%/}/"
                        + host.home().relativize(k) + " host'"),
                bashrcKey("${K:-…} of a variable the file sets (R3-11)", "var-default.pem", k -> "K=" + k
                        + "\nalias d='ssh -i ${K:-/nonexistent/k} host'"),
                // the outside attack on this session's fixes (RT4-1, RT4-2, RT4-5, RT4-6): more spellings of a key's path
                bashrcKey("${UNSET:-~/…} default (RT4-1)", "unset-default.pem", k -> "alias d='ssh -i ${SSH_KEY_X:-~/"
                        + host.home().relativize(k) + "} host'"),
                bashrcKey("${K:-$HOME/.ssh/id_rsa} of a K naming the key (RT4-5)", "default-home.pem", k -> "K=" + k
                        + "\nd() { ssh -i \"${K:-$HOME/.ssh/id_rsa}\" \"$@\"; }"),
                bashrcKey("${K%/*}/key (RT4-2)", "dirname.pem", k -> "K=" + k.resolveSibling("x")
                        + "\nalias d='ssh -i ${K%/*}/dirname.pem host'"),
                bashrcKey("${HOME:+$HOME}/… (RT4-2)", "alternative.pem", k -> "alias d='ssh -i ${HOME:+$HOME}/"
                        + host.home().relativize(k) + " host'"),
                bashrcKey("${K:=x} (RT4-2)", "assign-default.pem", k -> "K=" + k + "\nalias d='ssh -i ${K:=x} host'"),
                bashrcKey("K=\"${HOME%/}/…\" (RT4-6)", "var-home-op.pem", k -> "K=\"${HOME%/}/" + host.home().relativize(k)
                        + "\"\nalias d='ssh -i $K host'"),
                bashrcKey("D=…; K=$D/… (RT4-6)", "var-of-var.pem", k -> "D=" + k.getParent() + "\nK=$D/var-of-var.pem"
                        + "\nalias d='ssh -i $K host'"),
                bashrcKey("a one-line function's k=…; ssh -i \"$k\" (RT4-7)", "one-line-fn.pem", k -> "dep() { k=" + k
                        + "; ssh -i \"$k\" \"$@\"; }"),
                bashrcKey("declare -r K=… (RT4-7)", "declared.pem", k -> "declare -r K=" + k + "\nalias d='ssh -i $K host'"),
                bashrcKey("if …; then K=…; fi (RT4-7)", "if-then.pem", k -> "if true; then K=" + k
                        + "; fi\nalias d='ssh -i $K host'"),
                bashrcKey("D=${D:-$HOME/…} (RT4-7)", "self-default.pem", k -> "DEPLOY=${DEPLOY:-$HOME/"
                        + host.home().relativize(k) + "}\nalias d='ssh -i $DEPLOY host'"),
                bashrcKey(": ${D:=…} (RT4-7)", "colon-assign.pem", k -> ": ${DEPLOY:=" + k + "}\nalias d='ssh -i $DEPLOY host'"),
                bashrcKey("alias d=$'ssh -i KEY host' (RT4-11)", "ansi-c.pem", k -> "alias d=$'ssh -i " + k + " host'"),
                new KeyForm("a header whose token a command reads from a file (RT4-8)", ".token", k -> write(
                        host.home().resolve(".bashrc"), "export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader\n"
                                + "export GIT_CONFIG_VALUE_0=\"Authorization: Bearer $(cat " + k + ")\"\n")),
                new KeyForm("K set in .profile, alias d='ssh -i $K h' in .bashrc (RT4-10)", "other-file.pem", k -> {
                    write(host.home().resolve(".profile"), "K=" + k + "\n");
                    write(host.home().resolve(".bashrc"), "alias d='ssh -i $K host'\n");
                }),
                // the second outside attack of 2026-12-06 (RT5)
                bashrcKey("${K:-${HOME}/…} (RT5-1)", "nested-default.pem", k -> "alias d=\"ssh -i ${K:-${HOME}/"
                        + host.home().relativize(k) + "} h\""),
                bashrcKey("K=\"$HOME\"/… (RT5-4)", "quoted-home.pem", k -> "K=\"$HOME\"/" + host.home().relativize(k)
                        + "\nalias d=\"ssh -i \\$K h\""),
                new KeyForm("curl -u admin:PW as the first option, HTTPie's --auth (RT5-5)", "curl-first.sh", k -> sourced(k,
                        "alias api=\"curl -u admin:S3cretPw https://x\"\nalias h2='http --auth u:S3cretPw https://x'")),
                new KeyForm("curl -H \"Authorization: Bearer …\" in an alias (RT5-6)", "curl-header.sh", k -> sourced(k,
                        "alias api=\"curl -H \\\"Authorization: Bearer abcdef123456789\\\" https://x\"")),
                new KeyForm("a header whose token `cat F` reads (RT5-7)", "tok", k -> write(host.home().resolve(".bashrc"),
                        "export H=\"Authorization: Bearer `cat " + k + "`\"\n")),
                new KeyForm("alias api='curl -u admin:PW …' in a sourced file (RT4-9)", "curl-user.sh", k -> sourced(k,
                        "alias api='curl -s -u admin:hunter2pw https://api.example'")),
                new KeyForm("CURL_OPTS=\"--user u:PW\" and --oauth2-bearer (RT4-9)", "curl-opts.sh", k -> sourced(k,
                        "export CURL_OPTS=\"--user u:s3cretpw\"\nalias gh-api='curl --oauth2-bearer ghp_abc123def456'")),
                new KeyForm("a sourced .env with an X-Api-Key header (RT4-3)", "dot-env-api-key", k -> sourced(k,
                        "export HDR=\"X-Api-Key: ghp_abc123def456ghi789\"")),
                new KeyForm("a sourced .env with GitLab's PRIVATE-TOKEN header (RT4-3)", "dot-env-private-token", k -> sourced(k,
                        "export GIT_CONFIG_VALUE_0=\"PRIVATE-TOKEN: glpat-abcdefghij1234567890\"")),
                new KeyForm("a sourced .env with a URL's password (R2-3)", "dot-env-url", k -> sourcedExported(k,
                        "DATABASE_URL=postgres://u:pw@h/db")),
                new KeyForm("a sourced .env with git's extraHeader in GIT_CONFIG_VALUE_0 (R3-14)", "dot-env-header", k -> sourced(k,
                        "export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraHeader\n" + "export GIT_CONFIG_VALUE_0=\"Authorization: Bearer ghp_x1y2z3\"")),
                new KeyForm("a sourced .env with a secret's value (RT-6)", "dot-env", k -> sourcedExported(k,
                        "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI")),
                // outside attack of 2026-12-06, RT6-2: the guard operators ${K:?message} and ${K?}
                new KeyForm("ssh -i \"${KEY:?set KEY}\" in a function (RT6-2)", "id_guard", k -> write(host.home().resolve(".bashrc"),
                        "KEY=" + k + "\nk() { ssh -i \"${KEY:?set KEY}\" host; }\n")),
                new KeyForm("alias … ssh -i ${KEY?} (RT6-2)", "id_guard2", k -> write(host.home().resolve(".bashrc"),
                        "KEY=" + k + "\nalias d='ssh -i ${KEY?} host'\n")),
                // RT6-4: a key's variable with a fallback, in both arms of an 'if', in a 'case' arm, not first in its statement
                new KeyForm("K=KEY; [ -f \"$K\" ] || K=~/.ssh/… (RT6-4)", "id_fallback", k -> write(host.home().resolve(".bashrc"),
                        "IDFILE=" + k + "\n[ -f \"$IDFILE\" ] || IDFILE=~/.ssh/id_ed25519\nalias dep=\"ssh -i $IDFILE host\"\n")),
                new KeyForm("if …; then K=KEY; else K=…; fi (RT6-4)", "id_if", k -> write(host.home().resolve(".bashrc"),
                        "if [ -f " + k + " ]; then\n  IDFILE=" + k + "\nelse\n  IDFILE=~/.ssh/id_ed25519\nfi\n"
                                + "k() { ssh -i \"$IDFILE\" host; }\n")),
                new KeyForm("case …) K=KEY ;; esac (RT6-4)", "id_case", k -> write(host.home().resolve(".bashrc"),
                        "case $HOSTNAME in\n  *) KEY=" + k + " ;;\nesac\nk() { ssh -i \"$KEY\" host; }\n")),
                new KeyForm("export EDITOR=vim K=KEY (RT6-4)", "id_second", k -> write(host.home().resolve(".bashrc"),
                        "export EDITOR=vim IDFILE=" + k + "\nalias dep='ssh -i $IDFILE host'\n")),
                // RT6-5: a string of ssh options; RT6-14: an alias of ssh or of 'ssh -i'
                new KeyForm("SSH_OPTS=\"-i $D/k\"; alias d=\"ssh $SSH_OPTS h\" (RT6-5)", "id_opts", k -> write(host.home().resolve(".bashrc"),
                        "D=" + k.getParent() + "\nSSH_OPTS=\"-i $D/" + k.getFileName() + "\"\nalias dep=\"ssh $SSH_OPTS host\"\n")),
                new KeyForm("SSH_OPTS with $D/…; ssh $SSH_OPTS in a function (RT6-5)", "id_opts2", k -> write(host.home().resolve(".bashrc"),
                        "D=" + k.getParent() + "\nSSH_OPTS=\"-i $D/" + k.getFileName() + " -o IdentitiesOnly=yes\"\n"
                                + "k() { ssh $SSH_OPTS host; }\n")),
                new KeyForm("alias s='ssh'; alias prod='s -i KEY h' (RT6-14)", "id_alias_s", k -> write(host.home().resolve(".bashrc"),
                        "alias s='ssh'\nalias prod='s -i " + k + " prod'\n")),
                new KeyForm("alias x=/usr/bin/ssh; x -i KEY in a function (RT7-1)", "id_alias_x",
                        k -> write(host.home().resolve(".bashrc"), "alias x=/usr/bin/ssh\nk() { x -i " + k + " prod; }\n")),
                new KeyForm("alias sshi='ssh -i'; sshi KEY in a function (RT6-14)", "id_alias_i", k -> write(host.home().resolve(".bashrc"),
                        "alias sshi='ssh -i'\nprod() { sshi " + k + " prod; }\n")),
                // RT6-7, RT6-9, RT6-10, RT6-16: a credential of its issuer's shape anywhere in a start-up file's text
                new KeyForm("a token in an alias's git -c http.extraHeader (RT6-7)", "dotfiles-bashrc", k -> sourced(k,
                        "alias ll=\"ls -alF\"\nalias gpush=\"git -c http.extraHeader=\\\"Authorization: Bearer " + "ghp_abcdefabcdefabcdef1234\\\" push\"")),
                new KeyForm("a token in a git URL of an alias, piped to gh (RT6-9)", "clone.sh", k -> sourced(k,
                        "alias dl='git clone https://x-access-token:ghp_abcdefabcdefabcdef1234@github.com/o/r'\n" + "alias ghl='echo github_pat_11ABCDEFG0123456789abcdefghij | gh auth login --with-token'")),
                new KeyForm("a Slack webhook's URL (RT6-10)", "slack.env", k -> sourcedExported(k,
                        "export SLACK_WEBHOOK=https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX")),
                new KeyForm("an Azure storage account key (RT6-10)", "azure.env", k -> sourcedExported(k,
                        "export AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0c2VjcmV0'")),
                new KeyForm("a Stripe secret key (RT6-10)", "stripe.env", k -> sourcedExported(k,
                        "export STRIPE_SK=sk_live_abcdefabcdef123")),
                new KeyForm("a private key as SSH_PRIVATE_KEY's value (RT6-16)", "ci.env", k -> sourced(k,
                        "export SSH_PRIVATE_KEY='-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU" + "\\n-----END OPENSSH PRIVATE KEY-----'")),
                // outside attack RT8-1: Nix's ssh options; RT8-5, RT8-6: an age key, an SSH2 key block, a prefixed token
                bashrcKey("export NIX_SSHOPTS=\"-i KEY\" (RT8-1)", "id_nix", k -> "export NIX_SSHOPTS=\"-i " + k + "\""),
                new KeyForm("an age secret key (RT8-5)", "age.env", k -> sourced(k,
                        "X=AGE-SECRET-KEY-1QYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQSZQGPQYQS9ZKWCE")),
                new KeyForm("an SSH2 private key block (RT8-5)", "ssh2.env", k -> sourced(k,
                        "K='---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----'")),
                // RT8-13, RT8-15: other ssh clients, and Windows' OpenSSH under WSL
                bashrcKey("alias p='ssh.exe -i KEY h' (RT8-15)", "keys/id_exe", k -> "alias p='ssh.exe -i " + k + " h'"),
                bashrcKey("alias p='dbclient -i KEY h' (RT8-13)", "keys/id_dropbear", k -> "alias p='dbclient -i " + k + " h'"),
                bashrcKey("export PDSH_SSH_ARGS=\"-i KEY\" (RT8-1)", "keys/id_pdsh", k -> "export PDSH_SSH_ARGS=\"-i " + k + "\""),
                // RT8-7: the shells' tables of aliases and functions; RT8-14: quotes inside the program's name
                bashrcKey("BASH_ALIASES[p]='ssh -i KEY h' (RT8-7)", "keys/id_table", k -> "BASH_ALIASES[p]='ssh -i " + k + " h'"),
                bashrcKey("functions[p]='ssh -i KEY h' (RT8-7)", "keys/id_functions", k -> "functions[p]='ssh -i " + k + " h'"),
                bashrcKey("alias p=\"ss''h -i KEY h\" (RT8-14)", "keys/id_quoted", k -> "alias p=\"ss''h -i " + k + " h\""),
                bashrcKey("alias p='s\\sh -i KEY h' (RT8-14)", "keys/id_escaped", k -> "alias p='s\\sh -i " + k + " h'"),
                // RT8-10: ssh's options handed through another program's option
                bashrcKey("alias p='unison -sshargs \"-i KEY\" …' (RT8-10)", "keys/id_unison",
                        k -> "alias p='unison -sshargs \"-i " + k + "\" . ssh://h//x'"),
                bashrcKey("alias p='pssh -h hosts -x \"-i KEY\" uptime' (RT8-10)", "keys/id_pssh",
                        k -> "alias p='pssh -h hosts -x \"-i " + k + "\" uptime'"),
                bashrcKey("alias p='duplicity --ssh-options=\"-oIdentityFile=KEY\" …' (RT8-10)", "keys/id_duplicity",
                        k -> "alias p='duplicity --ssh-options=\"-oIdentityFile=" + k + "\" . sftp://h/x'"),
                // the re-attack of RT8's fixes (RT9-1, -3, -4, -7, -8)
                bashrcKey("alias m='<KEY ssh-add -' (RT9-1)", "keys/id_first", k -> "alias m='<" + k + " ssh-add -'"),
                bashrcKey("alias p=\"${SSH:=ssh} -i KEY h\" (RT9-3)", "keys/id_assign_default", k -> "alias p=\"${SSH:=ssh} -i " + k + " h\""),
                bashrcKey("BASH_ALIASES+=([p]='ssh -i KEY h') (RT9-4)", "keys/id_table_append", k -> "BASH_ALIASES+=([p]='ssh -i " + k + " h')"),
                bashrcKey("alias p='pnuke -h hosts -x \"-i KEY\" x' (RT9-7)", "keys/id_pnuke", k -> "alias p='pnuke -h hosts -x \"-i " + k + "\" x'"),
                bashrcKey("alias p='SSH.EXE -i KEY h' (RT9-8)", "keys/id_upper_exe", k -> "alias p='SSH.EXE -i " + k + " h'"),
                // RT8-2: the key on ssh-add's standard input
                bashrcKey("alias m='ssh-add - < KEY' (RT8-2)", "keys/id_add", k -> "alias m='ssh-add - < " + k + "'"),
                bashrcKey("alias m='base64 -d KEY | ssh-add -' (RT8-2)", "keys/id_b64", k -> "alias m='base64 -d " + k + " | ssh-add -'"),
                bashrcKey("alias m='gpg -d KEY | ssh-add -' (RT8-2)", "keys/id_gpg", k -> "alias m='gpg -d " + k + " | ssh-add -'"),
                // RT8-8: ssh named through a variable the file sets as written, or through a default
                bashrcKey("SSH=ssh; alias p=\"$SSH -i KEY h\" (RT8-8)", "keys/id_var_ssh", k -> "SSH=ssh; alias p=\"$SSH -i " + k + " h\""),
                bashrcKey("alias p=\"${SSH:-ssh} -i KEY h\" (RT8-8)", "keys/id_default_ssh", k -> "alias p=\"${SSH:-ssh} -i " + k + " h\""),
                new KeyForm("a Shopify admin token (RT8-6)", "shop.env", k -> sourcedExported(k,
                        "export SHOPIFY_ADMIN=shpat_0123456789abcdef0123456789abcdef")));
        List<String> read = new ArrayList<>();
        for (KeyForm form : forms) {
            Path project = Files.createDirectories(host.work().resolve("keys-" + forms.indexOf(form)));
            Path key = project.resolve(form.file());
            Files.createDirectories(key.getParent());
            Files.writeString(key, TestHost.SSH_BAIT);
            // control: without the config, the key is read from its directory
            assertThat(from(project).inside("cat", form.file()).stdout().text()).as(form.name())
                    .contains("FAKE PRIVATE KEY");
            form.configure().accept(key);

            ExecResult inside = from(project).inside("cat", form.file());

            if (inside.stdout().text().contains("FAKE PRIVATE KEY")) {
                read.add(form.name());
            } else {
                assertThat(inside.enforcement().notes()).as(form.name())
                        .anySatisfy(n -> assertThat(n).contains("no command is given"));
            }
            Files.deleteIfExists(gitconfig);
            Files.deleteIfExists(host.home().resolve(".ssh/config"));
            host.set("GIT_SSH_COMMAND", "").set("KUBECONFIG", "").set("GOOGLE_APPLICATION_CREDENTIALS", "")
                    .set("GNUPGHOME", "").set("HF_HOME", "").set("HF_TOKEN_PATH", "").set("KAGGLE_CONFIG_DIR", "")
                    .set("GLAB_CONFIG_DIR", "").set("MC_CONFIG_DIR", "").set("MYAPP_TOKEN_FILE", "").set("DEPLOY_KEY_PATH", "")
                    .set("POSTGRES_PASSWORD_FILE", "").set("UVICORN_SSL_KEYFILE", "").set("NATS_CREDS", "")
                    .set("MY_SECRETS_FILE", "").set("AWS_IOT_PRIVATE_KEY_PATH", "").set("CARGO_HOME", "")
                    .set("XDG_CACHE_HOME", "").set("GOOGLE_CREDENTIALS", "").set("XDG_CONFIG_HOME", "")
                    .set("GRADLE_USER_HOME", "").set("GOOGLE_CLOUD_KEYFILE_JSON", "").set("X509_USER_PROXY", "")
                    .set("SIGNING_PASSPHRASE_FILE", "").set("TOKEN_FILE", "").set("GH_PAT_FILE", "")
                    .set("Npm_Config_Userconfig", "").set("NPM_CONFIG_GLOBALCONFIG", "").set("BORG_RSH", "")
                    .set("ANSIBLE_SSH_ARGS", "").set("KRB5CCNAME", "").set("DEMO_TOKEN_FILE", "").set("CONAN_HOME", "")
                    .set("XDG_DATA_HOME", "").set("GCM_PLAINTEXT_STORE_PATH", "").set("TLS_KEY", "").set("SA_KEY_JSON", "");
            restore(host.home().resolve(".profile"), profileBefore);
            restore(host.home().resolve(".bashrc"), bashrcBefore);
            if (awsConfigBefore == null) {
                Files.deleteIfExists(awsConfig);
            } else {
                Files.writeString(awsConfig, awsConfigBefore);
            }
        }
        assertThat(read).as("keys read from the working directory").isEmpty();
    }

    /**
     * The review of RT29's fix, R4: git 2.52 reads the path after {@code :(optional)} where an earlier git reads the whole
     * value as a relative path, and the key is known under both names. The whole value always lies in the working
     * directory, which is then not given; the second name is what a read grant that holds the key is warned of (a grant
     * the caller names gives what it holds). Control: a value without the prefix is warned of alike.
     */
    @Test
    void aKeyGitNamesAfterOptionalIsWarnedOfInAReadGrantThatHoldsIt() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("optional-key"));
        Path keys = Files.createDirectories(host.outside().resolve("optional-keys"));
        Path key = keys.resolve("client.key");
        Files.writeString(key, TestHost.SSH_BAIT);
        Path gitconfig = host.home().resolve(".gitconfig");
        HostEnvironment environment = host.environment().withWorkingDirectory(project);
        Sandbox reading = Sandbox.builder().host(environment).mode(Sandbox.Mode.REQUIRED).backend(backend)
                .policy(SandboxPolicy.builder(environment).addReadPath(keys.toString()).build()).build();
        try {
            for (String value : List.of(key.toString(), ":(optional)" + key)) {
                write(gitconfig, "[http]\n\tsslKey = " + value + "\n");
                assertThat(reading.preview(List.of("true")).warnings()).as(value)
                        .anySatisfy(w -> assertThat(w).contains("--ro " + keys + ": it holds " + key));
            }
        } finally {
            Files.deleteIfExists(gitconfig);
        }
    }

    /** {@code key} written as a file {@code ~/.bashrc} sources, holding {@code text} (and the bait, as a comment). */
    private void sourced(Path key, String text) {
        write(key, text + "\n# " + TestHost.SSH_BAIT.replace('\n', ' ') + "\n");
        write(host.home().resolve(".bashrc"), ". " + key + "\n");
    }

    /** The same, sourced with its variables exported ({@code set -a}), as a {@code .env} is. */
    private void sourcedExported(Path key, String text) {
        write(key, text + "\n# " + TestHost.SSH_BAIT.replace('\n', ' ') + "\n");
        write(host.home().resolve(".bashrc"), "set -a; . " + key + "; set +a\n");
    }

    /** A way a config names a key, {@code file} in the working directory. */
    private record KeyForm(String name, String file, java.util.function.Consumer<Path> configure) {}

    /** A key form of one line in ~/.bashrc. */
    private KeyForm bashrcKey(String name, String file, java.util.function.Function<Path, String> line) {
        return new KeyForm(name, file, k -> write(host.home().resolve(".bashrc"), line.apply(k) + "\n"));
    }

    private static void restore(Path file, String before) throws java.io.IOException {
        if (before == null) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, before);
        }
    }

    /**
     * The re-attack of the credential variables' fixes (2026-12-05, night), R8: the reason a git config is withheld named
     * its key, and a key spelt with a URL ({@code url.https://u:PASSWORD@host/.insteadOf}, {@code http.<url>.sslKey})
     * showed the password in the warning, which the MCP server hands the model. The URL's credentials are left out.
     */
    @Test
    void aGitConfigsPasswordIsNotRepeatedInItsWarning() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("password-in-warning"));
        write(project.resolve(".git/config"), "[url \"https://u:ZQXpw0rd@example.com/\"]\n\tinsteadOf = https://example.com/\n"
                + "[http \"https://bob:ZQXt0ken@example.org/\"]\n\tsslKey = /nonexistent/k.pem\n");
        ExecResult run = from(project).inside("true");
        assertThat(run.enforcement().notes()).anyMatch(n -> n.contains("holds a password") && n.contains("https://…@example.com"))
                .noneMatch(n -> n.contains("ZQXpw0rd") || n.contains("ZQXt0ken"));
    }

    /**
     * Red team, 2026-12-06, RT-4: a warning quoted a start-up file's {@code $(…)} whole, and an ssh config's command
     * whole, passwords and tokens included ({@code $(curl https://u:PW@…)}, {@code sshpass -p PW}, {@code VAULT_TOKEN=…},
     * {@code ProxyCommand … --token T}), and the MCP server hands warnings to the model. The warning still says what
     * decided (the program, the key); control: the same files withhold the project as before.
     */
    @Test
    void aSecretInAStartupFilesCommandOrAnSshCommandIsNotRepeatedInItsWarning() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("secret-in-warning"));
        Files.writeString(project.resolve("README"), "project readme");
        Path bashrc = host.home().resolve(".bashrc");
        Path sshConfig = host.home().resolve(".ssh/config");
        String before = Files.exists(bashrc) ? Files.readString(bashrc) : null;
        String beforeSsh = Files.exists(sshConfig) ? Files.readString(sshConfig) : null;
        try {
            write(sshConfig, "Host prod\n  ProxyCommand $UNSET_TOOLS_DIR/connect --token ZQXtk401 %h\n");
            List<String> ssh = from(project).inside("cat", "README").enforcement().notes();
            assertThat(ssh).anyMatch(n -> n.contains("ProxyCommand") && n.contains("--token …"))
                    .noneMatch(n -> n.contains("ZQXtk401"));
            restore(sshConfig, beforeSsh);
            write(bashrc, "export KUBECONFIG=\"$(curl -fsS https://deploy:ZQXpw122@config.corp.example/kc)\"\n"
                    + "export GOOGLE_APPLICATION_CREDENTIALS=\"$(VAULT_TOKEN=ZQXvt120 vault kv get -field=path secret/gcp)\"\n"
                    + "export AWS_SHARED_CREDENTIALS_FILE=\"$(sshpass -p ZQXpw123 ssh ops@bastion cat /etc/kc-path)\"\n");
            ExecResult run = from(project).inside("cat", "README");
            List<String> notes = run.enforcement().notes();
            assertThat(run.stdout().text()).as("control: the project is withheld").doesNotContain("project readme");
            assertThat(notes).anyMatch(n -> n.contains("through a command's output ($(curl …))"))
                    .noneMatch(n -> n.contains("ZQXpw122") || n.contains("ZQXvt120") || n.contains("ZQXpw123"));
        } finally {
            restore(bashrc, before);
            restore(sshConfig, beforeSsh);
        }
    }

    /**
     * The re-attack of the credential variables' fixes (2026-12-05, night), FP1: the aliases' key reading had taken a
     * remote command's {@code -i} ({@code ssh web1 grep -i error}), rsync's and ssh-keygen's for a key, relative to every
     * working directory, so no project was given. These keep it; control: an alias that hands ssh a key there does not.
     */
    @Test
    void aliasesThatHandSshNoKeyKeepTheProject() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("aliases-no-key"));
        Files.writeString(project.resolve("README"), "project readme");
        Path bashrc = host.home().resolve(".bashrc");
        String before = Files.exists(bashrc) ? Files.readString(bashrc) : null;
        try {
            write(bashrc, "alias logs='ssh web1 grep -i error /var/log/syslog'\n"
                    + "alias push='rsync -e ssh -i -av ./ host:/srv/'\n"
                    + "alias fixhosts='ssh root@box sed -i s/old/new/ /etc/hosts'\n"
                    + "alias imp='ssh-keygen -i -f key.pub'\n"
                    + "alias x='ssh -p 2222 host grep -i foo'\n"
                    + "alias s='ssh -i \"$1\" host'\n"
                    + "# ssh -i key.pem bastion (a comment)\n"
                    + "alias hint='echo \"use ssh -i YOURKEY\"'\n"
                    // re-attack of 2026-12-06, FP3-2: a sourced file of the project with settings named like secrets that
                    // hold a switch or a word
                    + ". " + project.resolve("shell-env.sh") + "\n");
            // and a header whose credential another variable holds (R3-14's control: no secret is written here)
            write(project.resolve("shell-env.sh"), "export NPM_CONFIG_ALWAYS_AUTH=true\nexport TMUX_SESSION=main\n"
                    + "export GIT_CONFIG_KEY_0=http.extraHeader GIT_CONFIG_VALUE_0=\"Authorization: Bearer $GH_TOKEN\"\n"
                    // FP4-1: aliases named like secrets are commands; FP4-2: a header's scheme alone, or a placeholder
                    + "alias ghtoken=\"gh auth token\"\nalias token='gh auth status'\n"
                    + "alias awstoken='aws sts get-session-token'\nalias genpassword='pwgen -s 20 1'\n"
                    + "export HISTIGNORE=\"*Authorization: Bearer*\"\nexport HFMT=\"Authorization: Bearer %s\"\n"
                    // RT4-9's controls: a computed password, a uid:gid, pip's --user, docker's --password-stdin
                    + "alias api='curl -u \"admin:$API_PW\" https://api.example'\nalias dr='docker run -u 1000:1000 img'\n"
                    + "alias pu='pip install --user httpie'\nalias dl='docker login --password-stdin'\n"
                    // RT5's false positives: two aliases on one line, a password computed when the alias runs
                    + "alias ghtoken=\"gh auth token\"; alias readme=\"less " + project.resolve("README") + "\"\n"
                    + "alias c=\"curl -s -u user:\\$PW https://x\"\nalias w=\"wget -q --password=\\$PW x\"\n"
                    + "export HDR=\"Authorization: Bearer\"\nexport HDR2=\"Authorization: Bearer <your-token>\"\n"
                    + "export CURL_OPTS=\"--header Authorization:Basic\"\nexport GIT_AUTHOR_LINE=\"Author: Jane Developer\"\n"
                    // RT6's issuer shapes: a placeholder, a prefix alone, a public key's header are no credential
                    + "export GH_HINT=\"ghp_<your-token>\"\nalias ghp='echo ghp_ tokens start so'\n"
                    + "alias pub='grep -l \"BEGIN PUBLIC KEY\" *.pem'\n"
                    // RT8-FP3: ssh-add -T tests the keys of public key files: those are no secret
                    + "alias tk='ssh-add -T " + project.resolve("deploy.pub") + "'\n"
                    // RT9-FP3: nor are those of ssh-add -d
                    + "alias rk='ssh-add -d " + project.resolve("deploy.pub") + "'\n");
            // FP2-1: a helper that takes its password from a password manager holds none
            write(project.resolve(".git/config"), "[credential]\n\thelper = \"!f() { echo username=u; echo"
                    + " password=$(pass show git/host); }; f\"\n[alias]\n\tbypass = commit --no-verify\n\ttoken = config x.y\n");
            ExecResult kept = from(project).inside("cat", "README");
            assertThat(kept.stdout().text()).as(String.join(", ", kept.enforcement().notes())).contains("project readme");
            write(bashrc, Files.readString(bashrc) + "alias prod='ssh -i " + project.resolve("deploy.pem") + " host'\n");
            assertThat(from(project).inside("cat", "README").stdout().text()).doesNotContain("project readme");
        } finally {
            restore(bashrc, before);
        }
    }

    /**
     * Red team of the credential variables (2026-12-05, night), F8: the working directory that holds a store a variable names is
     * not given, and an explicit {@code --ro} of it gives the store: said, as for a grant of the home's key directories.
     * Control: the same grant without the variable says nothing of it.
     */
    @Test
    void anExplicitGrantThatHoldsAStoreAVariableNamesSaysSo() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("granted-store"));
        Path elsewhere = Files.createDirectories(host.work().resolve("granted-store-elsewhere"));
        Files.writeString(project.resolve("kc"), "token: x\n");
        HostEnvironment environment = host.environment().withWorkingDirectory(elsewhere);
        SandboxPolicy policy = SandboxPolicy.defaults(environment).toBuilder(environment).addReadPath(project.toString()).build();
        ExecResult control = Sandboxes.of(environment, policy, backend).inside("cat", project.resolve("kc").toString());
        assertThat(control.enforcement().notes()).noneMatch(n -> n.contains("(named by KUBECONFIG"));
        host.set("KUBECONFIG", project.resolve("kc").toString());
        try {
            environment = host.environment().withWorkingDirectory(elsewhere);
            ExecResult granted = Sandboxes.of(environment, policy, backend).inside("cat", project.resolve("kc").toString());
            assertThat(granted.enforcement().notes()).anyMatch(n -> n.contains("--ro " + project + ": it holds "
                    + project.resolve("kc") + " (named by KUBECONFIG") && n.contains("so the command can read it"));
        } finally {
            host.set("KUBECONFIG", "");
        }
    }

    /**
     * Review of the credential-variable rules of 2026-12-05: variables named like a credential store whose values name no
     * store there keep the project the command's — Jenkins' {@code X_CREDS=user:pass} (with a {@code /} in the password),
     * a base64 key, a Vault path, a token put in a {@code *_PATH} variable (ENAMETOOLONG), a directory such as {@code
     * /tmp}, a value with {@code $} or a glob, a Hugging Face cache without a token, Gradle's home in the project with
     * settings and no secret, a value this Java cannot name. Controls: the project's file is read with none set, and the
     * same Gradle home with a password entry is withheld.
     */
    @Test
    void variablesNamedLikeCredentialStoresThatNameNoneKeepTheProject() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("named-like-stores"));
        Files.writeString(project.resolve("README"), "project readme");
        Files.createDirectories(project.resolve("hf_cache/hub"));
        Files.createDirectories(project.resolve(".gradle"));
        Files.writeString(project.resolve(".gradle/gradle.properties"), "org.gradle.daemon=false\n");
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();
        variables.put("X_CREDS", "deploy:pa/ss");
        variables.put("GCP_CREDENTIALS", "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0/+abc=");
        variables.put("VAULT_SECRET_PATH", "secret/data/myapp");
        variables.put("VAULT_TOKEN_PATH", "x".repeat(300));
        variables.put("SOME_TOKEN_DIR", "/nonexistent-tokens");
        variables.put("DEPLOY_CREDS", "user:pa$word/x");
        variables.put("OTHER_CREDS", "/Pa?sw0rd");
        variables.put("HF_HOME", project.resolve("hf_cache").toString());
        variables.put("GRADLE_USER_HOME", project.resolve(".gradle").toString());
        // red team of the credential variables (2026-12-05, night): a public key's, a cookie's URL path, the home's own .config
        Files.writeString(project.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n");
        variables.put("JWT_PUBLIC_KEY_PATH", project.resolve("public.pem").toString());
        variables.put("SESSION_COOKIE_PATH", "/");
        variables.put("XDG_CONFIG_HOME", host.home().resolve(".config").toString());
        variables.put("JWT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nMIIEv/abc\n-----END PRIVATE KEY-----");
        assertThat(from(project).inside("cat", "README").stdout().text()).contains("project readme"); // control
        Path bashrc = host.home().resolve(".bashrc");
        String bashrcBefore = Files.exists(bashrc) ? Files.readString(bashrc) : null;
        try {
            // red team, 2026-12-06, FP-1: GnuPG's documented line for its agent's ssh socket, which no command can connect to
            write(bashrc, "export SSH_AUTH_SOCK=$(gpgconf --list-dirs agent-ssh-socket)\n");
            variables.forEach(host::set);
            ExecResult read = from(project).inside("cat", "README");
            assertThat(read.stdout().text()).as(String.join(", ", read.enforcement().notes())).contains("project readme");
            // control: a secret's entry in the same settings file withholds the project
            Files.writeString(project.resolve(".gradle/gradle.properties"), "ossrhPassword=hunter2\n");
            assertThat(from(project).inside("cat", "README").stdout().text()).doesNotContain("project readme");
        } finally {
            variables.keySet().forEach(name -> host.set(name, ""));
            restore(bashrc, bashrcBefore);
        }
    }

    /**
     * Red team, round 45, F2: a file {@code ~/.bashrc} sources from a writable dotfiles checkout ran at the next
     * interactive bash. Each form of the {@code .} or {@code source} line is attacked on its own: after {@code &&},
     * alone on a later line, indented in an {@code if} block (the second and third were not seen until the pattern
     * read each line as a line); round 46, F1: in a brace group, after {@code builtin} or {@code command}, {@code \.},
     * in a function, in a loop over a glob, through a variable the file sets; F2: a script the file runs in a function,
     * an {@code eval} or a {@code trap}; round 54: {@code $'…'} with an escape, {@code $"…"}, a backslash-newline inside
     * the path, a loop over the directory. Control, per form: without the {@code .bashrc} the append succeeds, and
     * unsandboxed the next real {@code bash -i} runs what was appended.
     */
    @Test
    void aFileTheShellsStartUpFilesSourceCannotBeAppendedTo() throws Exception {
        record Form(String bashrc, String then) {}
        Path dotfiles = Files.createDirectories(host.home().resolve("dotfiles"));
        Path aliases = dotfiles.resolve("aliases.sh");
        Path bashrc = host.home().resolve(".bashrc");
        Path marker = host.outside().resolve("sourced-ran");
        String attack = "echo 'touch " + marker + "' >> aliases.sh";
        List<Form> forms = List.of(new Form("[ -f ~/dotfiles/aliases.sh ] && . ~/dotfiles/aliases.sh\n", "true"),
                new Form("# aliases\nexport EDITOR=vi\n. \"$HOME/dotfiles/aliases.sh\"\n", "true"),
                new Form("case $- in *i*) ;; esac\nif [ -f ~/dotfiles/aliases.sh ]; then\n    source ~/dotfiles/aliases.sh\nfi\n",
                        "true"),
                new Form("{ . ~/dotfiles/aliases.sh; }\n", "true"),
                new Form("builtin source ~/dotfiles/aliases.sh\n", "true"),
                new Form("command . ~/dotfiles/aliases.sh\n", "true"),
                new Form("\\. ~/dotfiles/aliases.sh\n", "true"),
                new Form("myinit() { . ~/dotfiles/aliases.sh; }; myinit\n", "true"),
                new Form("for f in ~/dotfiles/*.sh; do . \"$f\"; done\n", "true"),
                new Form("DOTFILES=\"$HOME/dotfiles\"\nsource \"$DOTFILES/aliases.sh\"\n", "true"),
                new Form("deploy() { sh ~/dotfiles/aliases.sh; }\n", "deploy"),
                new Form("eval \"$(sh ~/dotfiles/aliases.sh)\"\n", "true"),
                new Form("trap 'sh ~/dotfiles/aliases.sh' EXIT\n", "true"),
                // red team, round 48, F3: a glob read as text and run
                new Form("eval \"$(cat ~/dotfiles/*.sh)\"\n", "true"),
                new Form(". <(cat ~/dotfiles/*.sh)\n", "true"),
                // round 49, F1: one file run through cat
                new Form("source <(cat ~/dotfiles/aliases.sh)\n", "true"),
                // round 54, F2: bash's other quotes, and a backslash-newline inside the word; F3: a loop's variable
                new Form(". \"$HOME\"$'/dot\\x66iles/aliases.sh'\n", "true"),
                new Form("source $\"$HOME/dotfiles/aliases.sh\"\n", "true"),
                new Form(". ~/dot\\\nfiles/aliases.sh\n", "true"),
                new Form("for d in ~/dotfiles; do [ -f \"$d/aliases.sh\" ] && . \"$d/aliases.sh\"; done\n", "true"));
        for (Form form : forms) {
            Files.deleteIfExists(bashrc);
            Files.writeString(aliases, "alias ll='ls -l'\n");
            ExecResult before = from(dotfiles).inside("sh", "-c", attack);
            assertThat(before.isSuccess()).as(form + before.stderr().text()).isTrue();
            Files.writeString(aliases, "alias ll='ls -l'\n");
            Files.writeString(bashrc, form.bashrc());

            ExecResult inside = from(dotfiles).inside("sh", "-c", attack);

            assertThat(Files.readString(aliases)).as(form.bashrc()).doesNotContain("touch");
            if (!masks()) {
                assertThat(inside.enforcement().notes()).as(form.bashrc())
                        .anySatisfy(n -> assertThat(n).containsAnyOf("sourced by", "which a new shell runs"));
            }
            // control: unsandboxed, the append runs in the user's next interactive bash
            Files.deleteIfExists(marker);
            assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).as(form.bashrc()).isTrue();
            run(Map.of(), host.outside(), "bash", "-i", "-c", form.then());
            assertThat(marker).as(form.bashrc()).exists();
        }
    }

    /**
     * Red team, round 51 (F12, F3, F1): a directory CUDA's idiom puts first on PATH
     * ({@code DIR${PATH:+:${PATH}}}, read before as {@code DIR}}), a script the start-up file runs once it exists,
     * and a directory a {@code .pth} file of Python's user site names: each plant is refused, and unsandboxed it runs
     * in the user's next interactive bash or Python (real bash, real python3).
     */
    @Test
    void round51PlantsThatRunLaterCannotBeMade() throws Exception {
        record Form(String what, Path file, String text, String attack, String then) {}
        Path dotfiles = Files.createDirectories(host.home().resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("notes.txt"), "notes\n");
        Path marker = host.outside().resolve("round51-ran");
        String userSite = run(Map.of(), host.outside(), "python3", "-c", "import site; print(site.getusersitepackages())")
                .strip();
        assertThat(userSite).startsWith(host.home().toString());
        String tool = "cp /bin/true %s && printf '#!/bin/sh\\n%s\\n' > %s";
        List<Form> forms = List.of(
                new Form("CUDA's PATH idiom", host.home().resolve(".bashrc"),
                        "export PATH=\"$HOME/dotfiles${PATH:+:${PATH}}\"\n",
                        String.format(tool, "mytool", "touch " + marker, "mytool"), "mytool"),
                new Form("a script run once it exists", host.home().resolve(".bashrc"),
                        "[ -x ~/dotfiles/dev-env ] && eval \"$(~/dotfiles/dev-env)\"\n",
                        String.format(tool, "dev-env", "echo touch " + marker, "dev-env"), "true"),
                new Form("a .pth file's directory", Path.of(userSite, "dotfiles.pth"), dotfiles + "\n",
                        "echo 'open(\"" + marker + "\", \"w\").close()' > usercustomize.py", "python3 -c pass"));
        for (Form form : forms) {
            Files.deleteIfExists(host.home().resolve(".bashrc"));
            Files.deleteIfExists(Path.of(userSite, "dotfiles.pth"));
            for (String name : List.of("mytool", "dev-env", "usercustomize.py")) {
                Files.deleteIfExists(dotfiles.resolve(name));
            }
            Files.createDirectories(form.file().getParent());
            Files.writeString(form.file(), form.text());

            ExecResult inside = from(dotfiles).inside("sh", "-c", form.attack());

            assertThat(inside.isSuccess()).as(form.what() + ": " + inside.stderr().text()).isFalse();
            assertThat(Files.exists(dotfiles.resolve("mytool")) || Files.exists(dotfiles.resolve("dev-env"))
                    || Files.exists(dotfiles.resolve("usercustomize.py"))).as(form.what()).isFalse();
            // control: unsandboxed, the plant runs in the user's next interactive bash or Python
            Files.deleteIfExists(marker);
            ExecResult outside = from(dotfiles).outside("sh", "-c", form.attack());
            assertThat(outside.isSuccess()).as(form.what() + ": " + outside.stderr().text()).isTrue();
            run(Map.of(), host.outside(), "bash", "-i", "-c", form.then());
            assertThat(marker).as(form.what()).exists();
        }
        Files.deleteIfExists(Path.of(userSite, "dotfiles.pth"));
    }

    /**
     * Red team, round 55, end to end: a sourced path with a quoted blank (F1), a {@code .} after a {@code $'…'} holding an
     * escaped quote and a {@code #} (F2), a UTF-8 name spelt with {@code $'…'}'s byte escapes (F3), a loop's variable
     * copied into another (F4), a loop over a variable holding several directories (F5), a {@code PYTHONPATH} set in a
     * loop (F7), a variable a sourced file sets (F11), an alias's script (F14). Each plant is refused; control:
     * unsandboxed, it runs in the user's next interactive bash (real bash, real python3).
     */
    @Test
    void round55PlantsThatRunLaterCannotBeMade() throws Exception {
        record Form(String what, String dir, String bashrc, String attack, String then, String planted) {
            Form(String what, String dir, String bashrc, String attack, String then) {
                this(what, dir, bashrc, attack, then, then.equals("true") ? "env.sh" : "lib/sitecustomize.py");
            }
        }
        Path marker = host.outside().resolve("round55-ran");
        String append = "echo 'touch " + marker + "' >> env.sh";
        Files.writeString(host.home().resolve(".bash_env55"), "export P55=\"$HOME/p55\"\n");
        List<Form> forms = List.of(
                new Form("a quoted blank", "my proj", "[ -f \"$HOME/my proj/env.sh\" ] && . \"$HOME/my proj/env.sh\"\n",
                        append, "true"),
                new Form("after $'…\\'…#'", "p55", "alias hi=$'echo it\\'s #1'; . ~/p55/env.sh\n", append, "true"),
                new Form("$'…' byte escapes", "caf\u00e9", ". ~/$'caf\\xc3\\xa9'/env.sh\n", append, "true"),
                new Form("a loop's variable copied", "p55", "for d in ~/p55 ~/other55; do\n  f=\"$d/env.sh\"\n"
                        + "  [ -f \"$f\" ] && . \"$f\"\ndone\n", append, "true"),
                new Form("a loop over a variable's words", "p55", "DIRS=\"$HOME/p55 $HOME/other55\"\n"
                        + "for d in $DIRS; do [ -f \"$d/env.sh\" ] && . \"$d/env.sh\"; done\n", append, "true"),
                new Form("PYTHONPATH in a loop", "p55", "for d in ~/p55 ~/other55; do\n"
                        + "  export PYTHONPATH=\"$d/lib${PYTHONPATH:+:$PYTHONPATH}\"\ndone\n",
                        "echo 'open(\"" + marker + "\", \"w\").close()' > lib/sitecustomize.py", "python3 -c pass"),
                new Form("a variable a sourced file sets", "p55", "[ -f ~/.bash_env55 ] && . ~/.bash_env55\n"
                        + "[ -f \"$P55/env.sh\" ] && . \"$P55/env.sh\"\n", append, "true"),
                new Form("an alias's script", "p55", "alias deploy55='~/p55/deploy55 --prod'\n", "cp /bin/true deploy55 && printf"
                        + " '#!/bin/sh\\ntouch " + marker + "\\n' > deploy55", "deploy55", "deploy55"));
        plantsAreRefused(forms.stream().map(f -> new Plant(f.what(), f.dir(), f.bashrc(), f.attack(), f.then(), f.planted()))
                .toList(), marker);
        Files.deleteIfExists(host.home().resolve(".bashrc"));
        Files.deleteIfExists(host.home().resolve(".bash_env55"));
    }

    /** A ~/.bashrc, and a plant a command makes in ~/DIR that the user's next interactive bash runs with it ({@code then}). */
    private record Plant(String what, String dir, String bashrc, String attack, String then, String planted) {}

    /**
     * Each plant is refused inside the sandbox; control: made outside it, the user's next interactive bash runs it (it
     * creates {@code marker}).
     */
    private void plantsAreRefused(List<Plant> plants, Path marker) throws Exception {
        Path bashrc = host.home().resolve(".bashrc");
        for (Plant plant : plants) {
            Path dir = Files.createDirectories(host.home().resolve(plant.dir()));
            Files.createDirectories(dir.resolve("lib"));
            Files.deleteIfExists(dir.resolve(plant.planted()));
            Files.writeString(bashrc, plant.bashrc());

            ExecResult inside = from(dir).inside("sh", "-c", plant.attack());

            assertThat(inside.isSuccess()).as(plant.what() + ": " + inside.stderr().text()).isFalse();
            assertThat(dir.resolve(plant.planted())).as(plant.what()).doesNotExist();
            // control: unsandboxed, the plant runs in the user's next interactive bash
            Files.deleteIfExists(marker);
            ExecResult outside = from(dir).outside("sh", "-c", plant.attack());
            assertThat(outside.isSuccess()).as(plant.what() + ": " + outside.stderr().text()).isTrue();
            run(Map.of(), host.outside(), "bash", "-i", "-c", plant.then());
            assertThat(marker).as("control: " + plant.what()).exists();
            Files.delete(dir.resolve(plant.planted()));
        }
    }

    /**
     * Red team, round 58: plants a start-up file's text leads to through a variable known only in another file or later
     * in the same one — a default a later override changes (F1), a function above the assignment it uses (F2), a file
     * sourced by ~/.profile before ~/.bashrc sets what it uses (F3), a loop's variable in the file the loop's body
     * sources (F4) — and through a case pattern's ')' inside '$(…)' before a '#' (F6), an alias defined in eval's
     * string (F10). Each plant is refused; control: unsandboxed, it runs in the user's next interactive bash.
     */
    @Test
    void round58PlantsThatRunLaterCannotBeMade() throws Exception {
        Path marker = host.outside().resolve("round58-ran");
        String append = "echo 'touch " + marker + "' >> env.sh";
        Path home = host.home();
        Files.writeString(home.resolve(".bash_env58"), "export CONF58=\"$HOME/.conf58\"\nexport WS58=\"$HOME/ws58\"\n");
        Files.createDirectories(home.resolve(".conf58"));
        Files.writeString(home.resolve(".conf58/local.sh"), "export WS58=\"$HOME/p58\"\n");
        Files.writeString(home.resolve(".common58"), "[ -f \"$WORK58/env.sh\" ] && . \"$WORK58/env.sh\"\n");
        Files.writeString(home.resolve(".each58"), "[ -f \"$dir/env.sh\" ] && . \"$dir/env.sh\"\n");
        Path profile = home.resolve(".profile");
        Files.writeString(profile, "[ -f ~/.common58 ] && . ~/.common58\n");
        List<Plant> plants = List.of(
                new Plant("a default a later override changes", "p58", ". ~/.bash_env58\n. \"$CONF58/local.sh\"\n"
                        + "[ -f \"$WS58/env.sh\" ] && . \"$WS58/env.sh\"\n", append, "true", "env.sh"),
                new Plant("a function above the assignment it uses", "p58", "load58() { [ -f \"$ROOT58/env.sh\" ] && . \"$ROOT58/env.sh\"; }\n"
                        + "ROOT58=$HOME/p58\nload58\n", append, "true", "env.sh"),
                new Plant("a file .profile sources before .bashrc sets its variable", "p58", "export WORK58=$HOME/p58\n"
                        + "[ -f ~/.common58 ] && . ~/.common58\n", append, "true", "env.sh"),
                new Plant("a loop's variable in the file its body sources", "p58", "for dir in ~/other58 ~/p58; do . ~/.each58; done\n",
                        append, "true", "env.sh"),
                new Plant("a case pattern in $(…) before a '#'", "p58", "T=\"$(case \"$TERM\" in xterm*) echo \"t # $TERM\";; *) echo p;;"
                        + " esac)\"; [ -f ~/p58/env.sh ] && . ~/p58/env.sh\n", append, "true", "env.sh"),
                new Plant("an alias eval defines", "p58", "eval \"alias deploy58=$HOME/p58/deploy58\"\n", "cp /bin/true deploy58 && printf"
                        + " '#!/bin/sh\\ntouch " + marker + "\\n' > deploy58", "deploy58", "deploy58"));
        plantsAreRefused(plants, marker);
        for (String name : List.of(".bashrc", ".profile", ".bash_env58", ".conf58/local.sh", ".common58", ".each58")) {
            Files.deleteIfExists(home.resolve(name));
        }
    }

    /**
     * Red team, round 60: plants a start-up file leads to through a loop's list past a word such as {@code print} (F10),
     * a ':' list one of whose entries is computed (F16), a variable's value an alias runs (F20), a directory glued to its
     * option (F18), a quoted file a text filter hands the shell (F12). Each plant is refused; control: unsandboxed, it
     * runs in the user's next interactive bash.
     */
    @Test
    void round60PlantsThatRunLaterCannotBeMade() throws Exception {
        Path marker = host.outside().resolve("round60-ran");
        String tool = "mkdir -p bin && printf '#!/bin/sh\\ntouch " + marker + "\\n' > bin/tool60 && chmod +x bin/tool60";
        List<Plant> plants = List.of(
                new Plant("a loop's list past 'print'", "p60", "for svc in billing print p60; do PATH=\"$HOME/$svc/bin:$PATH\"; done\n",
                        tool, "tool60", "bin/tool60"),
                new Plant("a ':' list with a computed entry", "p60", "EXTRA60=\"$GOPATH/bin:$HOME/p60/bin\"\nexport PATH=\"$EXTRA60:$PATH\"\n",
                        tool, "tool60", "bin/tool60"),
                new Plant("a variable's value an alias runs", "p60", "DEPLOY60=$HOME/p60/deploy60\nalias deploy60=\"$DEPLOY60 --prod\"\n",
                        "printf '#!/bin/sh\\ntouch " + marker + "\\n' > deploy60 && chmod +x deploy60", "deploy60", "deploy60"),
                new Plant("a directory glued to its option", "p60", "alias build60='env --chdir=$HOME/p60 sh run.sh'\n",
                        "echo 'touch " + marker + "' > run.sh", "build60", "run.sh"),
                new Plant("a quoted file a text filter hands the shell", "p60", "source <(grep -v '^#' \"$HOME/p60/a.env\")\n",
                        "echo 'touch " + marker + "' > a.env", "true", "a.env"));
        plantsAreRefused(plants, marker);
        Files.deleteIfExists(host.home().resolve(".bashrc"));
    }

    /**
     * Red team, round 63: plants a start-up file reaches through a {@code **} glob's file three directories down (F1), a
     * pattern right below the home whose matches a loop runs (F9) or a line runs (F13), a loop's variable given to a
     * text filter (F15). Each plant is refused (each passed with the previous reader); control: unsandboxed, it runs in
     * the user's next interactive bash. (F12, a sourced glob right in the home, needs a working directory outside it:
     * {@code NamedFilesReadTest.round63FormsAreKept}.)
     */
    @Test
    void round63PlantsThatRunLaterCannotBeMade() throws Exception {
        Path marker = host.outside().resolve("round63-ran");
        Path home = host.home();
        String env = "echo 'touch " + marker + "' > env.sh";
        String hook = "printf '#!/bin/sh\\ntouch " + marker + "\\n' > hook && chmod +x hook";
        Files.createDirectories(home.resolve("sh63/a/b"));
        Files.writeString(home.resolve("sh63/a/b/deep.sh"), "[ -f \"$HOME/p63/env.sh\" ] && . \"$HOME/p63/env.sh\"\n");
        Files.createDirectories(home.resolve("rc63.d"));
        Files.writeString(home.resolve("rc63.d/a.sh"), "[ -f \"$HOME/p63/env.sh\" ] && . \"$HOME/p63/env.sh\"\n");
        List<Plant> plants = List.of(
                new Plant("a file a '**' glob sources", "p63", "shopt -s globstar\nfor f in ~/sh63/**/*.sh; do . \"$f\"; done\n",
                        env, "true", "env.sh"),
                new Plant("a loop that runs a pattern's matches", "p63", "for s in ~/*/hook; do [ -x \"$s\" ] && \"$s\"; done\n",
                        hook, "true", "hook"),
                new Plant("a pattern a line runs", "p63", "[ -x ~/p6*/hook ] && ~/p6*/hook\n", hook, "true", "hook"),
                new Plant("a loop's file given to a text filter", "p63", "for f in ~/rc63.d/*.sh; do source <(cat \"$f\"); done\n",
                        env, "true", "env.sh"));
        plantsAreRefused(plants, marker);
        Files.deleteIfExists(home.resolve(".bashrc"));
    }

    /**
     * Red team, round 48, F2: a code-loading directory a start-up file exports ({@code export PYTHONPATH=~/dotfiles}
     * in {@code ~/.bashrc}), while aws-sandbox runs without it, cannot be given a {@code sitecustomize.py}. Control:
     * without the {@code .bashrc} the write succeeds, and unsandboxed the user's next shell's python runs it.
     */
    @Test
    void aCodeDirectoryTheStartUpFilesExportCannotBeWritten() throws Exception {
        Path dotfiles = Files.createDirectories(host.home().resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("notes.txt"), "notes\n");
        Path bashrc = host.home().resolve(".bashrc");
        Path marker = host.outside().resolve("sitecustomize-ran");
        String attack = "echo 'open(\"" + marker + "\", \"w\").close()' > sitecustomize.py";
        Files.deleteIfExists(bashrc);
        ExecResult before = from(dotfiles).inside("sh", "-c", attack);
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        Files.delete(dotfiles.resolve("sitecustomize.py"));
        Files.writeString(bashrc, "export PYTHONPATH=\"$HOME/dotfiles:$PYTHONPATH\"\n");

        ExecResult inside = from(dotfiles).inside("sh", "-c", attack);

        assertThat(dotfiles.resolve("sitecustomize.py")).doesNotExist();
        assertThat(inside.isSuccess()).isFalse();
        // control: unsandboxed, the user's next interactive shell's python imports it
        assertThat(from(dotfiles).outside("sh", "-c", attack).isSuccess()).isTrue();
        run(Map.of(), host.outside(), "bash", "-i", "-c", "python3 -c pass");
        assertThat(marker).exists();
    }

    /** F4: the programs {@code GIT_SSH_COMMAND}, {@code GIT_ASKPASS}, … name, in the working directory. */
    @Test
    void programsGitsEnvironmentNamesCannotBeRewritten() throws Exception {
        Path tools = Files.createDirectories(host.work().resolve("tools"));
        List<String> variables = List.of("GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EDITOR",
                "GIT_PAGER", "GIT_EXTERNAL_DIFF", "EDITOR");
        List<Path> scripts = new ArrayList<>();
        for (String variable : variables) {
            scripts.add(script(tools.resolve(variable.toLowerCase(java.util.Locale.ROOT) + ".sh")));
        }
        Path marker = host.outside().resolve("git-ssh-command-ran");
        // control: without the variables, the scripts are ordinary files of a writable directory
        ExecResult before = from(tools).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        for (int i = 0; i < variables.size(); i++) {
            host.set(variables.get(i), scripts.get(i) + (variables.get(i).equals("GIT_SSH") ? "" : " -q"));
        }

        for (Path script : scripts) {
            ExecResult inside = from(tools).inside("sh", "-c", payload(script, marker));
            assertThat(inside.isSuccess()).as(script.toString()).isFalse();
            assertThat(Files.readString(script)).as(script.toString()).doesNotContain("touch");
        }
        if (!masks()) {
            ExecResult one = from(tools).inside("true");
            assertThat(one.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("GIT_SSH_COMMAND"));
        } else { // the directory that holds them is kept whole since round 24 (F12): their neighbours run with them
            ExecResult other = from(tools).inside("sh", "-c", "echo y > notes.txt");
            assertThat(other.isSuccess()).as(other.stderr().text()).isFalse();
        }
        // control: unsandboxed, the same write makes the next git that uses ssh run it
        Path sshCommand = scripts.getFirst();
        assertThat(from(tools).outside("sh", "-c", payload(sshCommand, marker)).isSuccess()).isTrue();
        run(Map.of("GIT_SSH_COMMAND", sshCommand.toString()), host.outside(), "git", "ls-remote",
                "ssh://example.invalid/x");
        assertThat(marker).exists();
    }

    /** F8: {@code ~/.s3cfg}, {@code ~/.boto}, … linked into a dotfiles checkout, read with {@code --credentials none}. */
    @Test
    void credentialDotfilesLinkedIntoACheckoutAreNotGiven() throws Exception {
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Map<String, String> files = Map.of("s3cfg", "secret_key = wJalrSECRET\n", "boto",
                "aws_secret_access_key = wJalrSECRET2\n", "pgpass", "db:5432:*:app:pgSECRET\n", "npmrc",
                "//registry.npmjs.org/:_authToken=npm_SECRET\n", "pypirc", "password = pypiSECRET\n", "vault-token",
                "hvs.SECRET\n", "my.cnf", "password=mySECRET\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dotfiles.resolve(file.getKey()), file.getValue());
        }
        String attack = "cat " + String.join(" ", files.keySet().stream().sorted().toList());
        // control: without the links, a directory of such files is an ordinary readable one
        assertThat(from(dotfiles, SandboxPolicy.Credentials.NONE).inside("sh", "-c", attack).stdout().text())
                .contains("SECRET");
        for (String name : files.keySet()) {
            Path link = host.home().resolve("." + name);
            Files.createSymbolicLink(link, dotfiles.resolve(name));

            ExecResult inside = from(dotfiles, SandboxPolicy.Credentials.NONE).inside("sh", "-c", attack);

            assertThat(inside.stdout().text()).as(name).doesNotContain("SECRET");
            assertThat(inside.enforcement().notes()).as(name)
                    .anySatisfy(n -> assertThat(n).contains("is not given to the command").contains(link.toString()));
            Files.delete(link);
        }
    }

    /** A run from {@code dir} with {@code --rw writable}; empty when the grant is refused. */
    private Optional<ExecResult> withWritePath(Path dir, Path writable, String command) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        SandboxPolicy policy = SandboxPolicy.builder(environment).credentials(SandboxPolicy.Credentials.BOTH)
                .addWritePath(writable.toString()).build();
        Sandbox sandbox = Sandbox.builder().host(environment).policy(policy).mode(Sandbox.Mode.REQUIRED).backend(backend)
                .build();
        try {
            return Optional.of(Sandboxes.run(sandbox, "sh", "-c", command));
        } catch (IllegalStateException e) { // Sandboxes.run's wrapper of the SandboxException
            assertThat(e.getCause()).isInstanceOf(SandboxException.class);
            assertThat(e.getMessage()).contains("credential_process");
            return Optional.empty();
        }
    }

    /**
     * Round 23, F1: {@code credential_process: path} (botocore's configparser takes {@code :} as well
     * as {@code =}), and quoted, backslashed and adjacently quoted paths (botocore splits with shlex):
     * each script was rewritten from a checkout and ran at the next host {@code aws}.
     */
    @Test
    void aCredentialProcessWrittenAsBotocoreReadsItCannotBeRewritten() throws Exception {
        Path tools = Files.createDirectories(host.work().resolve("tools"));
        Path cred = script(tools.resolve("cred.sh"));
        Path spaced = script(host.work().resolve("My Tools/cred.sh"));
        Path slashed = script(host.work().resolve("proj/cred.sh"));
        Path adjacent = script(host.work().resolve("adj/cred.sh"));
        Path marker = host.outside().resolve("credential-process-ran");
        awsConfig("credential_process: " + cred + "\n");

        ExecResult inside = from(tools).inside("sh", "-c", payload(cred, marker));
        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(cred)).doesNotContain("touch");
        if (!masks()) {
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("credential_process"));
        }
        awsConfig("credential_process: " + cred + "\n[profile b]\ncredential_process = \"" + spaced + "\"\n"
                + "[profile c]\ncredential_process = " + host.work() + "/pr\\oj/cred.sh\n"
                + "[profile d]\ncredential_process = " + host.work() + "/ad''j/cred.sh\n");
        List<Path> rewritten = new ArrayList<>();
        for (Path other : List.of(spaced, slashed, adjacent)) { // an explicit --rw of its directory, from elsewhere
            withWritePath(host.outside(), other.getParent(), payload(other, marker));
            if (Files.readString(other).contains("touch")) {
                rewritten.add(other);
            }
        }
        assertThat(rewritten).as("credential_process scripts rewritten").isEmpty();
        // control: unsandboxed, the same write makes the next aws on the host run it
        if (Requirements.which("aws").isPresent()) {
            assertThat(from(tools).outside("sh", "-c", payload(cred, marker)).isSuccess()).isTrue();
            run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), host.outside(), "aws", "sts", "get-caller-identity",
                    "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1");
            assertThat(marker).exists();
        }
    }

    /** Round 23, F1: {@code web_identity_token_file: path} is withheld as {@code web_identity_token_file = path} is. */
    @Test
    void aWebIdentityTokenNamedWithAColonIsWithheld() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path token = Files.writeString(project.resolve("token"), "eyJSECRETTOKEN\n");
        awsConfig("role_arn: arn:aws:iam::123456789012:role/r\nweb_identity_token_file: " + token + "\n");

        ExecResult withheld = from(project, SandboxPolicy.Credentials.NONE).inside("cat", token.toString());

        assertThat(withheld.stdout().text()).doesNotContain("SECRET");
        assertThat(withheld.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("web_identity_token_file"));
    }

    /** Round 23, F2: the config's {@code data_path} (botocore's {@code AWS_DATA_PATH}) and {@code proxy_ca_bundle}. */
    @Test
    void theConfigsDataPathAndProxyCaBundleCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path models = Files.createDirectories(project.resolve("models/sts"));
        Path ca = Files.writeString(project.resolve("proxy-ca.pem"), "CA\n");
        String attack = "echo EVIL >> proxy-ca.pem; echo EVIL > models/sts/rules.json; cat proxy-ca.pem models/sts/rules.json";
        // control: without the keys, both are written
        assertThat(from(project).inside("sh", "-c", attack).stdout().text()).contains("CA\nEVIL\nEVIL");
        Files.writeString(ca, "CA\n");
        Files.delete(models.resolve("rules.json"));
        awsConfig("data_path = " + project.resolve("models") + "\nproxy_ca_bundle: " + ca + "\n");

        ExecResult inside = from(project).inside("sh", "-c", attack);

        assertThat(Files.readString(ca)).isEqualTo("CA\n");
        assertThat(models.resolve("rules.json")).doesNotExist();
        if (!masks()) {
            assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("data_path"));
        }
    }

    /**
     * Round 23, F3: {@code ~/.aws/cli/alias} linked into a dotfiles checkout; an alias {@code sts = !cmd}
     * written there ran at the next host {@code aws sts …}. The checkout is now a credential location
     * (not given); an alias's {@code !} command in a real alias file names its script.
     */
    @Test
    void theAwsCliAliasFileAndWhatItRunsCannotBeRewritten() throws Exception {
        Path dots = Files.createDirectories(host.work().resolve("dots"));
        Path alias = Files.writeString(dots.resolve("alias"), "[toplevel]\nwhoami = sts get-caller-identity\n");
        Path marker = host.outside().resolve("alias-ran");
        String attack = "printf '[toplevel]\\nsts = !touch " + marker + "\\n' > " + alias;
        // control: without the link, the checkout is an ordinary writable directory
        ExecResult before = from(dots).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        Files.createDirectories(host.home().resolve(".aws/cli"));
        awsConfig("");
        Files.createSymbolicLink(host.home().resolve(".aws/cli/alias"), alias);

        ExecResult inside = from(dots).inside("sh", "-c", attack);

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(alias)).doesNotContain("touch");
        assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains(".aws/cli/alias"));
        // an alias's shell command in a real alias file: its script is kept
        Path tools = Files.createDirectories(host.work().resolve("tools"));
        Path helper = script(tools.resolve("helper.sh"));
        Files.delete(host.home().resolve(".aws/cli/alias"));
        Files.writeString(host.home().resolve(".aws/cli/alias"), "[toplevel]\nhelp2 = !" + helper + " --x\n");
        ExecResult rewrite = from(tools).inside("sh", "-c", payload(helper, marker));
        assertThat(rewrite.isSuccess()).isFalse();
        assertThat(Files.readString(helper)).doesNotContain("touch");
        // control: unsandboxed, the alias written through the link runs at the next aws
        if (Requirements.which("aws").isPresent()) {
            Files.delete(host.home().resolve(".aws/cli/alias"));
            Files.createSymbolicLink(host.home().resolve(".aws/cli/alias"), alias);
            assertThat(from(dots).outside("sh", "-c", attack).isSuccess()).isTrue();
            run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), host.outside(), "aws", "sts", "get-caller-identity");
            assertThat(marker).exists();
        }
    }

    /**
     * Round 23, F5: more credential dotfiles linked into a checkout, read with {@code --credentials none};
     * and botocore's {@code ~/.aws/models} (F3's neighbour), by the same rule.
     */
    @Test
    void moreCredentialDotfilesLinkedIntoACheckoutAreNotGiven() throws Exception {
        Path dotfiles = Files.createDirectories(host.work().resolve("dotfiles"));
        Map<String, String> files = Map.of(".passwd-s3fs", "AKIA:s3fsSECRET\n", ".databrickscfg", "token = dapiSECRET\n",
                ".terraformrc", "credentials \"x\" { token = \"tfSECRET\" }\n", ".yarnrc.yml", "npmAuthToken: yarnSECRET\n",
                ".gradle/gradle.properties", "repoPassword=gradleSECRET\n", ".m2/settings.xml",
                "<password>mvnSECRET</password>\n", ".azure/msal_token_cache.json", "{\"azSECRET\": 1}\n",
                ".aws/models", "modelsSECRET\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(dotfiles.resolve(Path.of(file.getKey()).getFileName()), file.getValue());
        }
        String attack = "cat " + String.join(" ", files.keySet().stream().map(f -> Path.of(f).getFileName().toString())
                .sorted().toList());
        // control: without the links, a directory of such files is an ordinary readable one
        assertThat(from(dotfiles, SandboxPolicy.Credentials.NONE).inside("sh", "-c", attack).stdout().text())
                .contains("SECRET");
        List<String> read = new ArrayList<>();
        for (String name : files.keySet()) {
            Path link = host.home().resolve(name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, dotfiles.resolve(link.getFileName()));

            ExecResult inside = from(dotfiles, SandboxPolicy.Credentials.NONE).inside("sh", "-c", attack);

            if (inside.stdout().text().contains("SECRET")) {
                read.add(name);
            } else {
                assertThat(inside.enforcement().notes()).as(name).anySatisfy(n -> assertThat(n)
                        .contains("is not given to the command").contains(link.toString()));
            }
            Files.delete(link);
        }
        assertThat(read).as("linked dotfiles whose checkout was readable").isEmpty();
        // the Azure CLI's directory linked whole
        Path azure = Files.createDirectories(host.work().resolve("azure"));
        Files.writeString(azure.resolve("accessTokens.json"), "azSECRET2\n");
        Files.delete(host.home().resolve(".azure"));
        Files.createSymbolicLink(host.home().resolve(".azure"), azure);
        ExecResult whole = from(azure, SandboxPolicy.Credentials.NONE).inside("cat", "accessTokens.json");
        assertThat(whole.stdout().text()).doesNotContain("SECRET");
    }

    /**
     * Round 23, F4: a checkout on {@code PYTHONPATH} (the AWS CLI itself imports {@code sitecustomize}
     * from it) or another code-loading variable: planted code ran at the next host {@code aws}.
     */
    @Test
    void directoriesTheCodeLoadingVariablesNameCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path lib = Files.createDirectories(project.resolve("lib"));
        Path marker = host.outside().resolve("sitecustomize-ran");
        String attack = "echo 'open(\"" + marker + "\", \"w\").write(\"x\")' > lib/sitecustomize.py";
        // control: without the variable, the project is an ordinary writable directory
        ExecResult before = from(project).inside("sh", "-c", "echo x > lib/notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        List<String> written = new ArrayList<>();
        for (String variable : List.of("PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "PERL5LIB", "PERLLIB", "NODE_PATH",
                "RUBYLIB")) {
            host.set(variable, "/nonexistent:" + lib);
            ExecResult inside = from(project).inside("sh", "-c", "echo x > lib/planted.txt");
            if (inside.isSuccess()) {
                written.add(variable);
            }
            Files.deleteIfExists(lib.resolve("planted.txt"));
            host.set(variable, "");
        }
        Path file = Files.writeString(project.resolve("env.sh"), "true\n");
        for (String variable : List.of("BASH_ENV", "ENV", "PYTHONSTARTUP", "LD_PRELOAD")) {
            host.set(variable, variable.equals("LD_PRELOAD") ? "libjemalloc.so.2 " + file : file.toString());
            if (from(project).inside("sh", "-c", "echo x >> env.sh").isSuccess()) {
                written.add(variable);
            }
            host.set(variable, "");
        }
        assertThat(written).as("variables whose directory or file was written").isEmpty();
        // a project below a PYTHONPATH directory is read-only too since round 24 (F5): a package there is imported as
        // pkg.mod, and below PYTHONHOME, PERL5LIB and LD_LIBRARY_PATH the interpreters search subdirectories first
        host.set("PYTHONPATH", host.work().toString());
        ExecResult below = from(project).inside("sh", "-c", "echo y > lib/notes.txt");
        assertThat(below.isSuccess()).as(below.stderr().text()).isFalse();
        host.set("PYTHONPATH", "");
        // control: unsandboxed, the planted module runs in the next python the user starts with PYTHONPATH
        if (Requirements.which("python3").isPresent()) {
            assertThat(from(project).outside("sh", "-c", attack).isSuccess()).isTrue();
            run(Map.of("PYTHONPATH", lib.toString()), host.outside(), "python3", "-c", "pass");
            assertThat(marker).exists();
        }
    }
    /** A run from {@code dir} with {@code --rw writable}; empty when the grant is refused, whatever the reason. */
    private Optional<ExecResult> granting(Path dir, Path writable, String command) {
        HostEnvironment environment = host.environment().withWorkingDirectory(dir);
        SandboxPolicy policy = SandboxPolicy.builder(environment).credentials(SandboxPolicy.Credentials.BOTH)
                .addWritePath(writable.toString()).build();
        Sandbox sandbox = Sandbox.builder().host(environment).policy(policy).mode(Sandbox.Mode.REQUIRED).backend(backend)
                .build();
        try {
            return Optional.of(Sandboxes.run(sandbox, "sh", "-c", command));
        } catch (IllegalStateException e) { // Sandboxes.run's wrapper of the SandboxException
            assertThat(e.getCause()).isInstanceOf(SandboxException.class);
            return Optional.empty();
        }
    }

    /** Each script rewritten through an explicit {@code --rw} of its directory, from elsewhere: those it rewrote. */
    private List<Path> rewrittenThroughAGrant(List<Path> scripts, Path marker) throws Exception {
        List<Path> rewritten = new ArrayList<>();
        for (Path script : scripts) {
            granting(host.outside(), script.getParent(), payload(script, marker));
            if (Files.readString(script).contains("touch")) {
                rewritten.add(script);
            }
        }
        return rewritten;
    }

    /**
     * Round 24, F14, F1, F2: command strings read as the shell reads them. A quoted path with a space
     * in an alias's {@code !} command, an ssh {@code ProxyCommand} and git's {@code core.sshCommand}
     * (split at the space: the wrong files named), {@code $HOME}/{@code ${HOME}} starting a word
     * (named nothing), and paths glued to an option ({@code perl -I/dir}, {@code env -S/path}): each
     * script was rewritten from a checkout and ran at the next host {@code aws}, {@code ssh} or {@code git}.
     */
    @Test
    void commandStringsAreReadAsTheShellReadsThem() throws Exception {
        Path aliasTool = script(host.work().resolve("My Proj/tool.sh"));
        Path proxy = script(host.work().resolve("Ssh Proj/px.sh"));
        Path gitSsh = script(host.work().resolve("Git Proj/gs.sh"));
        Path dollar = script(host.home().resolve("proj/cred.sh"));
        Path braces = script(host.home().resolve("proj2/px.sh"));
        Path perlModule = script(host.work().resolve("plib/lib/Cred.pm"));
        Path envScript = script(host.work().resolve("envs/cred.sh"));
        Path marker = host.outside().resolve("shell-words-ran");
        awsConfig("credential_process = sh -c \"$HOME/proj/cred.sh\"\n[profile b]\ncredential_process = perl -I"
                + perlModule.getParent() + " -MCred -e1\n[profile c]\ncredential_process = env -S" + envScript + "\n");
        Files.createDirectories(host.home().resolve(".aws/cli"));
        Files.writeString(host.home().resolve(".aws/cli/alias"), "[toplevel]\nwhoami = !'" + aliasTool + "' --x\n");
        Path sshConfig = host.home().resolve(".ssh/config");
        Files.writeString(sshConfig, "Host x\n  ProxyCommand \"" + proxy + "\" %h %p\nHost y\n  ProxyCommand ${HOME}/proj2/px.sh %h\n");
        Files.writeString(host.home().resolve(".gitconfig"), "[core]\n\tsshCommand = \\\"" + gitSsh + "\\\"\n");

        List<Path> rewritten = rewrittenThroughAGrant(List.of(aliasTool, proxy, gitSsh, dollar, braces, perlModule,
                envScript), marker);

        assertThat(rewritten).as("scripts rewritten").isEmpty();
        // control: unsandboxed, the same writes make the next aws, ssh and git on the host run them
        Map<String, String> noMetadata = Map.of("AWS_EC2_METADATA_DISABLED", "true");
        for (Path script : List.of(aliasTool, dollar, proxy, gitSsh)) {
            Path ran = marker.resolveSibling(script.getParent().getFileName().toString().replace(' ', '-'));
            assertThat(from(host.outside()).outside("sh", "-c", payload(script, ran)).isSuccess()).isTrue();
        }
        if (Requirements.which("aws").isPresent()) {
            run(noMetadata, host.outside(), "aws", "whoami");
            assertThat(marker.resolveSibling("My-Proj")).exists();
            run(noMetadata, host.outside(), "aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                    "--cli-connect-timeout", "1");
            assertThat(marker.resolveSibling("proj")).exists();
        }
        run(Map.of(), host.outside(), "ssh", "-F", sshConfig.toString(), "-o", "BatchMode=yes", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null", "x", "true");
        assertThat(marker.resolveSibling("Ssh-Proj")).exists();
        run(Map.of(), host.outside(), "git", "ls-remote", "ssh://example.invalid/x");
        assertThat(marker.resolveSibling("Git-Proj")).exists();
    }

    /**
     * Round 24, F1: what cannot be known fails closed — a command word starting with a variable the
     * environment does not set leaves no write path writable, with a warning — and the variables bash
     * expands in {@code BASH_ENV} and ssh in {@code IdentityFile ${HOME}/…} are expanded.
     */
    @Test
    void aCommandWordThatCannotBeKnownFailsClosedAndVariablesAreExpanded() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        // control: without the config, the project is an ordinary writable directory
        ExecResult before = from(project).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        awsConfig("credential_process = sh -c '$AWS_SANDBOX_UNSET_R24/cred.sh'\n");

        ExecResult unknown = from(project).inside("sh", "-c", "echo y > notes.txt");

        assertThat(unknown.isSuccess()).isFalse();
        assertThat(unknown.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("cannot be known")
                .contains("AWS_SANDBOX_UNSET_R24"));
        awsConfig("");
        // BASH_ENV='$HOME/benv/env.sh': bash expands it
        Path env = script(host.home().resolve("benv/env.sh"));
        Path marker = host.outside().resolve("bash-env-ran");
        host.set("BASH_ENV", "$HOME/benv/env.sh");
        ExecResult bashEnv = from(env.getParent()).inside("sh", "-c", payload(env, marker));
        assertThat(bashEnv.isSuccess()).isFalse();
        assertThat(Files.readString(env)).doesNotContain("touch");
        host.set("BASH_ENV", "");
        // IdentityFile ${HOME}/keys/id_test: ssh expands it; the key is withheld as ~/.ssh
        Path keys = Files.createDirectories(host.home().resolve("keys"));
        Files.writeString(keys.resolve("id_test"), TestHost.SSH_BAIT);
        assertThat(from(keys, SandboxPolicy.Credentials.NONE).inside("cat", "id_test").stdout().text())
                .contains("FAKE PRIVATE KEY"); // control: no config names it
        Files.writeString(host.home().resolve(".ssh/config"), "Host x\n  IdentityFile ${HOME}/keys/id_test\n");
        ExecResult key = from(keys, SandboxPolicy.Credentials.NONE).inside("cat", "id_test");
        assertThat(key.stdout().text()).doesNotContain("FAKE PRIVATE KEY");
        assertThat(key.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("IdentityFile"));
        // control: unsandboxed, bash runs what BASH_ENV names after expanding it
        assertThat(from(host.outside()).outside("sh", "-c", payload(env, marker)).isSuccess()).isTrue();
        run(Map.of("BASH_ENV", "$HOME/benv/env.sh"), host.outside(), "bash", "-c", "true");
        assertThat(marker).exists();
    }

    /**
     * Round 24, F11: an AWS config on a RAM disk under {@code /dev} ({@code AWS_CONFIG_FILE=/dev/shm/…})
     * was not read: the {@code credential_process} script it names stayed writable.
     */
    @Test
    void anAwsConfigInDevShmIsRead() throws Exception {
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
        Path tools = Files.createDirectories(host.work().resolve("tools"));
        Path cred = script(tools.resolve("cred.sh"));
        Path marker = host.outside().resolve("shm-config-ran");
        Path dir = Files.createTempDirectory(shm, "aws-sandbox-test-");
        try {
            Path config = Files.writeString(dir.resolve("config"), "[default]\nregion = us-east-1\ncredential_process = "
                    + cred + "\n");
            host.set("AWS_CONFIG_FILE", config.toString());

            ExecResult inside = from(tools).inside("sh", "-c", payload(cred, marker));

            assertThat(inside.isSuccess()).isFalse();
            assertThat(Files.readString(cred)).doesNotContain("touch");
            if (!masks()) {
                assertThat(inside.enforcement().notes()).anySatisfy(n -> assertThat(n).contains("credential_process"));
            }
            // control: AWS_CONFIG_FILE=/dev/null still reads nothing and fails nothing
            host.set("AWS_CONFIG_FILE", "/dev/null");
            ExecResult devNull = from(tools).inside("sh", "-c", "echo x > notes.txt");
            assertThat(devNull.isSuccess()).as(devNull.stderr().text()).isTrue();
            host.set("AWS_CONFIG_FILE", "");
            // control: unsandboxed, the rewritten script runs at the next aws reading that config
            if (Requirements.which("aws").isPresent()) {
                assertThat(from(tools).outside("sh", "-c", payload(cred, marker)).isSuccess()).isTrue();
                run(Map.of("AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", config.toString()), host.outside(),
                        "aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                        "--cli-connect-timeout", "1");
                assertThat(marker).exists();
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * Round 24, F15: {@code credential_process = /h/work-bin/../tools/cred.sh} with {@code ~/work-bin -> dots/bin}
     * runs {@code dots/tools/cred.sh} (the kernel takes {@code ..} from the link's target); the text,
     * normalised, named {@code ~/tools/cred.sh}.
     */
    @Test
    void aDotDotAfterALinkIsResolvedAsTheKernelDoes() throws Exception {
        Path dots = Files.createDirectories(host.work().resolve("dots"));
        Files.createDirectories(dots.resolve("bin"));
        Path cred = script(dots.resolve("tools/cred.sh"));
        Path marker = host.outside().resolve("dotdot-ran");
        // control: without the config, the checkout is an ordinary writable directory
        ExecResult before = from(dots).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as(before.stderr().text()).isTrue();
        // not ~/bin (a PATH-like directory whose link LinkedCode keeps anyway): any directory link
        Files.createSymbolicLink(host.home().resolve("work-bin"), dots.resolve("bin"));
        Path ca = Files.writeString(Files.createDirectories(dots.resolve("ca")).resolve("ca.pem"), "CA\n");
        awsConfig("credential_process = " + host.home() + "/work-bin/../tools/cred.sh\nca_bundle = ~/work-bin/../ca/ca.pem\n");

        ExecResult inside = from(dots).inside("sh", "-c", payload(cred, marker));
        ExecResult trusted = from(dots).inside("sh", "-c", "echo EVIL >> ca/ca.pem");

        assertThat(inside.isSuccess()).isFalse();
        assertThat(Files.readString(cred)).doesNotContain("touch");
        assertThat(trusted.isSuccess()).isFalse();
        assertThat(Files.readString(ca)).isEqualTo("CA\n");
        // control: unsandboxed, the same write makes the next aws on the host run it
        if (Requirements.which("aws").isPresent()) {
            assertThat(from(dots).outside("sh", "-c", payload(cred, marker)).isSuccess()).isTrue();
            run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), host.outside(), "aws", "sts", "get-caller-identity",
                    "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1");
            assertThat(marker).exists();
        }
    }

    /**
     * Round 24, F7 and F17: AWS CLI v2's {@code cli_pager} and {@code AWS_PAGER} name a program; git's
     * {@code http.sslCAInfo}, {@code http.cookieFile}, {@code GIT_SSL_CERT} name files it trusts or
     * sends, and an {@code ext::} remote URL a command git runs. Each was writable from a checkout.
     */
    @Test
    void pagersGitsTrustFilesAndExtCommandsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("proj"));
        Path pager = script(project.resolve("pager/pg.sh"));
        Path envPager = script(project.resolve("pager2/pg.sh"));
        Path ca = script(project.resolve("ca/ca.pem"));
        Path cookies = script(project.resolve("cookies/jar"));
        Path cert = script(project.resolve("cert/client.pem"));
        Path ext = script(project.resolve("ext/up.sh"));
        Path marker = host.outside().resolve("ext-ran");
        List<Path> files = List.of(pager, envPager, ca, cookies, cert, ext);
        // control: without the configuration, each is rewritten through a grant of its directory
        assertThat(rewrittenThroughAGrant(files, marker)).containsExactlyElementsOf(files);
        for (Path f : files) {
            script(f);
        }
        awsConfig("cli_pager = " + pager + " -R\n");
        host.set("AWS_PAGER", envPager.toString());
        host.set("GIT_SSL_CERT", cert.toString());
        Files.writeString(host.home().resolve(".gitconfig"), "[http]\n\tsslCAInfo = " + ca + "\n\tcookieFile = " + cookies
                + "\n[remote \"origin\"]\n\turl = ext::" + ext + " %S\n");

        assertThat(rewrittenThroughAGrant(files, marker)).as("files rewritten").isEmpty();
        // control: unsandboxed, git runs the ext:: command of the global config's remote
        host.set("AWS_PAGER", "");
        host.set("GIT_SSL_CERT", "");
        assertThat(from(host.outside()).outside("sh", "-c", payload(ext, marker)).isSuccess()).isTrue();
        Path repository = Files.createDirectories(host.outside().resolve("repo"));
        run(Map.of(), repository, "git", "init", "-q");
        run(Map.of(), repository, "git", "-c", "protocol.ext.allow=always", "ls-remote", "origin");
        assertThat(marker).exists();
    }

    /**
     * Round 24, F5: {@code PYTHONHOME} was kept read-only as the directory itself, but Python loads
     * its standard library and {@code sitecustomize.py} from {@code $PYTHONHOME/lib/python3.X}, perl
     * searches each {@code PERL5LIB} entry's version and architecture subdirectories first, glibc an
     * {@code LD_LIBRARY_PATH} entry's {@code glibc-hwcaps} ones. The whole tree of each code-loading
     * directory is now kept: a working directory below one is read-only, a {@code --rw} below one
     * refused. Control: unsandboxed, a {@code sitecustomize.py} written below {@code PYTHONHOME}
     * runs in the next {@code python3} the user starts with it (the real interpreter, its standard
     * library linked entry by entry into the test's {@code PYTHONHOME}).
     */
    @Test
    void theTreesTheCodeLoadingVariablesNameCannotBeWritten() throws Exception {
        Path pyhome = Files.createDirectories(host.work().resolve("pyhome"));
        Path below = Files.createDirectories(pyhome.resolve("lib/sub"));
        ExecResult before = from(below).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as("control: " + before.stderr().text()).isTrue();
        List<String> written = new ArrayList<>();
        for (String variable : List.of("PYTHONHOME", "PYTHONPATH", "LD_LIBRARY_PATH", "PERL5LIB", "PERLLIB", "NODE_PATH",
                "RUBYLIB")) {
            host.set(variable, "/nonexistent:" + pyhome);
            if (from(below).inside("sh", "-c", "echo x > planted.txt").isSuccess()) {
                written.add(variable);
            }
            Files.deleteIfExists(below.resolve("planted.txt"));
            HostEnvironment environment = host.environment().withWorkingDirectory(host.work());
            SandboxPolicy rw = SandboxPolicy.builder(environment).addWritePath(below.toString()).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sandboxes.of(environment, rw, backend).inside("true"))
                    .as(variable).hasMessageContaining("named by " + variable);
            host.set(variable, "");
        }
        assertThat(written).as("variables below whose directory a command wrote").isEmpty();
        if (Requirements.which("python3").isEmpty()) {
            return;
        }
        Path stdlib = Path.of(run(Map.of(), host.outside(), "python3", "-c",
                "import sysconfig; print(sysconfig.get_paths()['stdlib'])").strip());
        Path mine = Files.createDirectories(pyhome.resolve("lib").resolve(stdlib.getFileName()));
        try (var entries = Files.list(stdlib)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals("site-packages")) {
                    Files.createSymbolicLink(mine.resolve(entry.getFileName()), entry);
                }
            }
        }
        Path marker = host.outside().resolve("pythonhome-sitecustomize-ran");
        String attack = "echo 'open(\"" + marker + "\", \"w\").write(\"x\")' > sitecustomize.py";
        host.set("PYTHONHOME", pyhome.toString());
        ExecResult inside = from(mine).inside("sh", "-c", attack);
        host.set("PYTHONHOME", "");
        assertThat(inside.isSuccess()).isFalse();
        assertThat(mine.resolve("sitecustomize.py")).doesNotExist();
        // control: unsandboxed, the same write runs in the next python3 started with PYTHONHOME
        assertThat(from(mine).outside("sh", "-c", attack).isSuccess()).isTrue();
        run(Map.of("PYTHONHOME", pyhome.toString()), host.outside(), "python3", "-c", "pass");
        assertThat(marker).exists();
    }

    /**
     * Red team, round 26, F1–F3: a script named without a {@code /} — {@code credential_process = sh x.sh},
     * an alias's {@code !find . -name x.sh -exec sh {} \;}, {@code ProxyCommand sh x.sh}, a module
     * {@code python3 -m} finds in the working directory —, a relative script after git's
     * {@code cd "$GIT_PREFIX"}, and the git config a relative {@code XDG_CONFIG_HOME} puts in the
     * working directory: each was written from the project and ran at the next host {@code aws},
     * {@code ssh} or {@code git} run there. Now the project is read-only (Landlock: it holds code that
     * runs; bubblewrap: that code does not exist yet, so no mask can hold it). Control: unsandboxed,
     * the same write runs in the real program, started in the project.
     */
    @Test
    void aScriptNamedWithoutASlashCannotBeWritten() throws Exception {
        Path repository = Files.createDirectories(host.work().resolve("r26"));
        run(Map.of(), repository, "git", "init", "-q");
        Path project = Files.createDirectories(repository.resolve("sub"));
        ExecResult before = from(project).inside("sh", "-c", "echo x > notes.txt");
        assertThat(before.isSuccess()).as("control: " + before.stderr().text()).isTrue();
        Path marker = host.outside().resolve("bare-script-ran");
        String plantScript = payload(project.resolve("x.sh"), marker);
        String plantModule = "echo 'open(\"" + marker + "\", \"w\").write(\"x\")' > c26.py";
        String plantGitConfig = "mkdir -p cfg/git && printf '[alias]\\n\\tx26 = !touch " + marker + "\\n' > cfg/git/config";
        Path sshConfig = host.home().resolve(".ssh/config");
        Files.createDirectories(host.home().resolve(".aws/cli"));
        List<Form> forms = List.of(
                new Form("credential_process = sh x.sh", () -> write(host.home().resolve(".aws/config"),
                        "[default]\ncredential_process = sh x.sh\n"), plantScript, project.resolve("x.sh"),
                        List.of("aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                                "--cli-connect-timeout", "1"), Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                new Form("credential_process = python3 -m c26", () -> write(host.home().resolve(".aws/config"),
                        "[default]\ncredential_process = python3 -m c26\n"), plantModule, project.resolve("c26.py"),
                        List.of("aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                                "--cli-connect-timeout", "1"), Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                new Form("!find -exec sh {}", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx26 = !find . -name x.sh -exec sh {} \\;\n"), plantScript, project.resolve("x.sh"),
                        List.of("aws", "x26"), Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                new Form("ProxyCommand sh x.sh", () -> write(sshConfig, "Host x\n  ProxyCommand sh x.sh\n"), plantScript,
                        project.resolve("x.sh"), List.of("ssh", "-F", sshConfig.toString(), "-o", "BatchMode=yes", "-o",
                                "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null", "x", "true"),
                        Map.of()),
                new Form("!cd \"$GIT_PREFIX\" && sh x.sh", () -> write(host.home().resolve(".gitconfig"),
                        "[alias]\n\tx26 = \"!cd \\\"$GIT_PREFIX\\\" && sh x.sh\"\n"), plantScript,
                        project.resolve("x.sh"), List.of("git", "x26"), Map.of()),
                new Form("XDG_CONFIG_HOME=cfg", () -> host.set("XDG_CONFIG_HOME", "cfg"), plantGitConfig,
                        project.resolve("cfg/git/config"), List.of("git", "x26"), Map.of("XDG_CONFIG_HOME", "cfg")));
        assertThat(writtenForms(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 27 (against round 26's fix): a code-loading variable set in the command string
     * ({@code env PYTHONPATH=lib python3 …}, F1), a relative value glued to an option ({@code perl -Ilib},
     * F2), an empty {@code PYTHONPATH} entry ({@code :/opt/x}: the working directory, F4), a relative
     * {@code GIT_CONFIG_GLOBAL} (F5), a command string in an option's value ({@code ssh -o
     * ProxyCommand="sh x.sh"}, F6) and {@code sh /dev/stdin < x.sh} (F8): each planted code that the
     * real host program ran. Controls as above.
     */
    @Test
    void round27FormsCannotBeWritten() throws Exception {
        Path repository = Files.createDirectories(host.work().resolve("r27"));
        run(Map.of(), repository, "git", "init", "-q");
        Path project = Files.createDirectories(repository.resolve("sub"));
        Path marker = host.outside().resolve("round27-ran");
        Path cred = host.outside().resolve("cred.py");
        Files.writeString(cred, "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'x', 'SecretAccessKey': 'y'}))\n");
        Path credPl = host.outside().resolve("cred.pl");
        Files.writeString(credPl, "use Cred;\nprint '{\"Version\": 1, \"AccessKeyId\": \"x\", \"SecretAccessKey\": \"y\"}';\n");
        String touch = "open(\\\"" + marker + "\\\", \\\"w\\\")";
        String plantJson = "mkdir -p lib && echo \"" + touch + "\" > lib/json.py";
        String plantPerl = "mkdir -p lib && echo 'open(my $f, \">" + marker + "\"); 1;' > lib/Cred.pm";
        String plantSite = "echo \"" + touch + "\" > sitecustomize.py";
        String plantScript = payload(project.resolve("x.sh"), marker);
        String plantGitConfig = "printf '[alias]\\n\\tst27 = !touch " + marker + "\\n' > gc";
        Path sshConfig = host.home().resolve(".ssh/config");
        Map<String, String> noMetadata = Map.of("AWS_EC2_METADATA_DISABLED", "true");
        List<String> sts = List.of("aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                "--cli-connect-timeout", "1");
        List<Form> forms = List.of(
                new Form("env PYTHONPATH=lib python3 cred.py", () -> write(host.home().resolve(".aws/config"),
                        "[default]\ncredential_process = env PYTHONPATH=lib python3 " + cred + "\n"), plantJson,
                        project.resolve("lib/json.py"), sts, noMetadata),
                new Form("perl -Ilib cred.pl", () -> write(host.home().resolve(".aws/config"),
                        "[default]\ncredential_process = perl -Ilib " + credPl + "\n"), plantPerl,
                        project.resolve("lib/Cred.pm"), sts, noMetadata),
                new Form("PYTHONPATH=:/nonexistent", () -> host.set("PYTHONPATH", ":/nonexistent"), plantSite,
                        project.resolve("sitecustomize.py"), List.of("aws", "--version"),
                        Map.of("PYTHONPATH", ":/nonexistent")),
                new Form("GIT_CONFIG_GLOBAL=gc", () -> host.set("GIT_CONFIG_GLOBAL", "gc"), plantGitConfig,
                        project.resolve("gc"), List.of("git", "st27"), Map.of("GIT_CONFIG_GLOBAL", "gc")),
                new Form("!ssh -o ProxyCommand=\"sh x.sh\"", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx27 = !ssh -o ProxyCommand=\"sh x.sh\" -o BatchMode=yes -F /dev/null x true\n"), plantScript, project.resolve("x.sh"), List.of("aws", "x27"),
                        noMetadata),
                new Form("!sh /dev/stdin < x.sh", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx27 = !sh /dev/stdin < x.sh\n"), plantScript, project.resolve("x.sh"),
                        List.of("aws", "x27"), noMetadata));

        assertThat(writtenForms(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 28, F1: a config given to ssh with {@code -F} — {@code core.sshCommand = ssh -F
     * ~/.ssh/work_config}, an alias {@code !ssh -F ~/.ssh/work_config …} — was kept itself, but its
     * {@code ProxyCommand sh proxy.sh} was not read: a planted {@code proxy.sh} ran at the next host
     * {@code git ls-remote} or {@code aws} alias. Controls as above.
     */
    @Test
    void whatAConfigGivenToSshRunsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p28"));
        Path marker = host.outside().resolve("round28-ran");
        Path work = host.home().resolve(".ssh/work_config");
        Files.writeString(work, "Host *\n  ProxyCommand sh proxy.sh %h %p\n");
        String plant = payload(project.resolve("proxy.sh"), marker);
        List<Form> forms = List.of(
                new Form("core.sshCommand = ssh -F ~/.ssh/work_config", () -> write(host.home().resolve(".gitconfig"),
                        "[core]\n\tsshCommand = ssh -F ~/.ssh/work_config -o BatchMode=yes\n"), plant,
                        project.resolve("proxy.sh"), List.of("git", "ls-remote", "ssh://example.invalid/x"), Map.of()),
                new Form("!ssh -F ~/.ssh/work_config", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx28 = !ssh -F ~/.ssh/work_config -o BatchMode=yes x true\n"), plant,
                        project.resolve("proxy.sh"), List.of("aws", "x28"), Map.of("AWS_EC2_METADATA_DISABLED", "true")));

        assertThat(writtenForms(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 29, F1, F3: a script a program outside round 27's list runs ({@code sed -f x.sed},
     * whose {@code e} command runs a shell command) and an alias given to git with {@code -c}
     * ({@code git -c alias.z='!sh z.sh' z}) were not named: the planted file ran at the next host
     * {@code aws} alias. Controls as above.
     */
    @Test
    void round29FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p29"));
        Path marker = host.outside().resolve("round29-ran");
        Map<String, String> noMetadata = Map.of("AWS_EC2_METADATA_DISABLED", "true");
        List<Form> forms = List.of(
                new Form("!sed -n -f x.sed", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx29 = !sed -n -f x.sed /etc/hostname\n"),
                        "printf '1e touch " + marker + "\\n' > x.sed", project.resolve("x.sed"), List.of("aws", "x29"),
                        noMetadata),
                new Form("!git -c alias.z='!sh z.sh' z", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx29 = !git -c alias.z='!sh z.sh' z\n"), payload(project.resolve("z.sh"), marker),
                        project.resolve("z.sh"), List.of("aws", "x29"), noMetadata));

        assertThat(writtenForms(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 30, F1–F4: git config entries a command string gives git in ways round 29's reader did
     * not read — {@code git --config-env=core.hooksPath=HK} with {@code HK} a relative or absolute directory
     * (F1), {@code GIT_CONFIG_COUNT}/{@code GIT_CONFIG_KEY_0}/{@code GIT_CONFIG_VALUE_0} (F2) and
     * {@code GIT_CONFIG_PARAMETERS} (F3) set in the string —, in {@code credential_process}, an AWS CLI alias,
     * a git alias and {@code core.sshCommand}; and a relative {@code init.templateDir} in the global git
     * config, read outside a repository (F4). The later {@code git clone} started in the project looks up
     * {@code HK/reference-transaction} there before it enters the new repository, and copies and runs the
     * template's {@code hooks/post-checkout}. F1–F3 fail closed (the project is not made writable, with a
     * warning); F4's template directory is named in the plan's working directory. Controls: without the
     * configuration, the same plant is written from the project sandboxed; unsandboxed, it runs in the real
     * {@code git}, {@code aws} started there.
     */
    @Test
    void round30FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p30"));
        Path marker = host.outside().resolve("round30-ran");
        Path source = sourceRepository("src30");
        Map<String, String> noMetadata = Map.of("AWS_EC2_METADATA_DISABLED", "true");
        List<String> sts = List.of("aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                "--cli-connect-timeout", "1");
        java.util.function.Function<String, String> clone = name -> "git clone -q " + source + " "
                + host.outside().resolve("clone-" + name);
        // chmod is refused inside: an executable is copied, then overwritten (its mode stays: the attacker's note)
        java.util.function.BiFunction<String, String, String> hook = (dir, name) -> "mkdir -p " + dir + " && cp /bin/true "
                + dir + "/" + name + " && printf '#!/bin/sh\\ntouch " + marker + "\\n' > " + dir + "/" + name;
        Path gitconfig = host.home().resolve(".gitconfig");
        List<Form> forms = List.of(
                new Form("credential_process = env HK=hk1 git --config-env=core.hooksPath=HK",
                        () -> write(host.home().resolve(".aws/config"), "[default]\ncredential_process = env HK=hk1 git"
                                + " --config-env=core.hooksPath=HK " + clone.apply("1").substring(4) + "\n"),
                        hook.apply("hk1", "reference-transaction"), project.resolve("hk1/reference-transaction"), sts,
                        noMetadata),
                new Form("!HK=hk2 git --config-env=core.hooksPath=HK (aws alias)",
                        () -> write(host.home().resolve(".aws/cli/alias"), "[toplevel]\nx30 = !HK=hk2 git"
                                + " --config-env=core.hooksPath=HK " + clone.apply("2").substring(4) + "\n"),
                        hook.apply("hk2", "reference-transaction"), project.resolve("hk2/reference-transaction"),
                        List.of("aws", "x30"), noMetadata),
                new Form("!HK=/abs/hk3 git --config-env=core.hooksPath=HK (git alias)",
                        () -> write(gitconfig, "[alias]\n\tx30 = !HK=" + project.resolve("hk3") + " git"
                                + " --config-env=core.hooksPath=HK " + clone.apply("3").substring(4) + "\n"),
                        hook.apply(project.resolve("hk3").toString(), "reference-transaction"),
                        project.resolve("hk3/reference-transaction"), List.of("git", "x30"), Map.of()),
                new Form("core.sshCommand = HK=hk4 git --config-env=core.hooksPath=HK",
                        () -> write(gitconfig, "[core]\n\tsshCommand = \"HK=hk4 git --config-env=core.hooksPath=HK "
                                + clone.apply("4").substring(4) + "; ssh -o BatchMode=yes\"\n"),
                        hook.apply("hk4", "reference-transaction"), project.resolve("hk4/reference-transaction"),
                        List.of("git", "ls-remote", "ssh://example.invalid/x"), Map.of()),
                new Form("!GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=hooks5 git",
                        () -> write(host.home().resolve(".aws/cli/alias"), "[toplevel]\nx30 = !GIT_CONFIG_COUNT=1"
                                + " GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=hooks5 " + clone.apply("5") + "\n"),
                        hook.apply("hooks5", "reference-transaction"), project.resolve("hooks5/reference-transaction"),
                        List.of("aws", "x30"), noMetadata),
                new Form("!GIT_CONFIG_PARAMETERS=\"'core.hooksPath'='hooks6'\" git",
                        () -> write(gitconfig, "[alias]\n\tx30 = \"!GIT_CONFIG_PARAMETERS=\\\"'core.hooksPath'='hooks6'\\\" "
                                + clone.apply("6") + "\"\n"),
                        hook.apply("hooks6", "reference-transaction"), project.resolve("hooks6/reference-transaction"),
                        List.of("git", "x30"), Map.of()),
                new Form("init.templateDir = tmpl7", () -> write(gitconfig, "[init]\n\ttemplateDir = tmpl7\n"),
                        hook.apply("tmpl7/hooks", "post-checkout"), project.resolve("tmpl7/hooks/post-checkout"),
                        List.of("git", "clone", "-q", source.toString(), host.outside().resolve("clone-7").toString()),
                        Map.of()));
        // control: without the configuration, each plant is written from the project, sandboxed
        for (Form form : forms) {
            ExecResult before = from(project).inside("sh", "-c", form.plant());
            assertThat(before.isSuccess()).as("control: " + form.name() + ": " + before.stderr().text()).isTrue();
            Files.delete(form.planted());
        }
        List<String> written = writtenForms(project, marker, forms);
        // F1–F3 fail closed with a warning; F4 names the template directory (Landlock: the project is read-only and
        // says why; bubblewrap masks it read-only in the writable project)
        List<String> silent = new ArrayList<>();
        for (Form form : forms.subList(0, masks() ? forms.size() - 1 : forms.size())) {
            form.configure().run();
            ExecResult inside = from(project).inside("true");
            unconfigure();
            String expected = form.name().contains("templateDir") ? project.resolve("tmpl7").toString()
                    : form.name().contains("GIT_CONFIG_COUNT") ? "GIT_CONFIG_COUNT"
                    : form.name().contains("GIT_CONFIG_PARAMETERS") ? "GIT_CONFIG_PARAMETERS" : "core.hooksPath=HK";
            if (inside.enforcement().notes().stream().noneMatch(n -> n.contains(expected))) {
                silent.add(form.name() + ": " + inside.enforcement().notes());
            }
        }

        assertThat(written).as("forms whose code a command wrote").isEmpty();
        assertThat(silent).as("forms without a warning that names them").isEmpty();
    }

    /**
     * Found while writing {@link #round30FormsCannotBeWritten} (both backends wrote both forms before the fix,
     * {@code ScriptScan.subcommandOptions}): the options of git's subcommands were not read — {@code git clone --template=tmpl} copies and runs the
     * template's {@code hooks/post-checkout} as {@code init.templateDir} does, and {@code git clone -c
     * core.hooksPath=hk} (also {@code --config}) looks up {@code hk/reference-transaction} where it is started,
     * as {@code git -c} does. Controls as above.
     */
    @Test
    void gitSubcommandOptionsThatRunHooksCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p30s"));
        Path marker = host.outside().resolve("round30s-ran");
        Path source = sourceRepository("src30s");
        java.util.function.BiFunction<String, String, String> hook = (dir, name) -> "mkdir -p " + dir + " && cp /bin/true "
                + dir + "/" + name + " && printf '#!/bin/sh\\ntouch " + marker + "\\n' > " + dir + "/" + name;
        List<Form> forms = List.of(
                new Form("!git clone --template=tmpl (git alias)", () -> write(host.home().resolve(".gitconfig"),
                        "[alias]\n\tx30 = !git clone -q --template=tmpl " + source + " " + host.outside().resolve("c1") + "\n"),
                        hook.apply("tmpl/hooks", "post-checkout"), project.resolve("tmpl/hooks/post-checkout"),
                        List.of("git", "x30"), Map.of()),
                new Form("!git clone -c core.hooksPath=hk (aws alias)", () -> write(host.home().resolve(".aws/cli/alias"),
                        "[toplevel]\nx30 = !git clone -q -c core.hooksPath=hk " + source + " " + host.outside().resolve("c2")
                                + "\n"), hook.apply("hk", "reference-transaction"),
                        project.resolve("hk/reference-transaction"), List.of("aws", "x30"),
                        Map.of("AWS_EC2_METADATA_DISABLED", "true")));
        assertNoFormWritten(project, marker, forms);
    }

    /**
     * Red team, round 31: a program given inline to Python computes the path it runs (F1); a project runner
     * moved by a glued option, and {@code env -C DIR} before a runner or a shell (F2) — in {@code credential_process}
     * and a git alias. As the red team ran them: the command runs from another directory with {@code --rw} on the
     * project in the home, and the real program later starts in the home. Each fails closed (the project is not
     * made writable). Controls: without the configuration the plant is written, sandboxed; unsandboxed, the
     * planted code runs in the real program.
     */
    @Test
    void round31FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.home().resolve("proj31"));
        Path agent = Files.createDirectories(host.work().resolve("agent31"));
        Path marker = host.outside().resolve("round31-ran");
        Map<String, String> noMetadata = Map.of("AWS_EC2_METADATA_DISABLED", "true");
        List<String> sts = List.of("aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9",
                "--cli-connect-timeout", "1");
        Path awsConfig = host.home().resolve(".aws/config");
        String makefile = "printf 'all creds:\\n\\t@touch " + marker + "\\n' > " + project.resolve("Makefile");
        List<Form> forms = List.of(
                new Form("credential_process = python3 -c '…os.environ[\"HOME\"], \"proj31\", \"c31.py\"…'",
                        () -> write(awsConfig, "[default]\ncredential_process = python3 -c \"import os,runpy;"
                                + " runpy.run_path(os.path.join(os.environ['HOME'],'proj31','c31.py'))\"\n"),
                        "printf 'import os\\nos.system(\"touch " + marker + "\")\\n' > " + project.resolve("c31.py"),
                        project.resolve("c31.py"), sts, noMetadata),
                new Form("credential_process = make -s -Cproj31 creds", () -> write(awsConfig,
                        "[default]\ncredential_process = make -s -Cproj31 creds\n"), makefile, project.resolve("Makefile"),
                        sts, noMetadata),
                new Form("credential_process = env -Cproj31 sh cred.sh", () -> write(awsConfig,
                        "[default]\ncredential_process = env -Cproj31 sh cred.sh\n"),
                        "printf 'touch " + marker + "\\n' > " + project.resolve("cred.sh"), project.resolve("cred.sh"),
                        sts, noMetadata),
                new Form("!env -C proj31 make -s (git alias)", () -> write(host.home().resolve(".gitconfig"),
                        "[alias]\n\tx31 = !env -C proj31 make -s\n"), makefile, project.resolve("Makefile"),
                        List.of("git", "x31"), Map.of()));
        HostEnvironment environment = host.environment().withWorkingDirectory(agent);
        java.util.function.Supplier<Sandboxes> withProject = () -> Sandboxes.of(environment,
                SandboxPolicy.builder(environment).addWritePath(project.toString()).build(), backend);
        List<String> written = new ArrayList<>();
        for (Form form : forms) {
            ExecResult before = withProject.get().inside("sh", "-c", form.plant());
            assertThat(before.isSuccess()).as("control: " + form.name() + ": " + before.stderr().text()).isTrue();
            Files.delete(form.planted());
            form.configure().run();
            try {
                ExecResult inside = withProject.get().inside("sh", "-c", form.plant());
                if (inside.isSuccess() || Files.exists(form.planted())) {
                    written.add(form.name());
                    Files.deleteIfExists(form.planted());
                }
            } catch (IllegalStateException refused) { // the --rw is refused, saying why: nothing ran
                assertThat(refused.getMessage()).as(form.name()).contains("is not made writable");
            }
            if (Requirements.which(form.later().getFirst()).isEmpty()) {
                System.out.println("skipped the control of " + form.name() + ": no " + form.later().getFirst());
                unconfigure();
                continue;
            }
            assertThat(withProject.get().outside("sh", "-c", form.plant()).isSuccess()).isTrue();
            run(form.environment(), host.home(), form.later().toArray(String[]::new));
            unconfigure();
            assertThat(marker).as("control: " + form.name()).exists();
            Files.delete(marker);
            Files.delete(form.planted());
        }

        assertThat(written).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 32: a git alias that runs a relative path ({@code !./r.sh}, {@code diff.external=./x.sh})
     * (F1), git's {@code ext::} transport (F3), a project runner behind an assignment or an unlisted wrapper
     * (F4), vim's {@code +cmd} and sqlite3's {@code .read} (F5) — each run by the real git started in the
     * project. Controls as in {@link #round30FormsCannotBeWritten}.
     */
    @Test
    void round32FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p32"));
        Path marker = host.outside().resolve("round32-ran");
        Path gitconfig = host.home().resolve(".gitconfig");
        // an executable is copied, then overwritten (chmod is refused inside)
        java.util.function.Function<String, String> executable = name -> "cp /bin/true " + name
                + " && printf '#!/bin/sh\\ntouch " + marker + "\\n' > " + name;
        String makefile = "printf 'all:\\n\\t@touch " + marker + "\\n' > Makefile";
        List<Form> forms = List.of(
                new Form("!./r32.sh", () -> write(gitconfig, "[alias]\n\tx32 = !./r32.sh\n"), executable.apply("r32.sh"),
                        project.resolve("r32.sh"), List.of("git", "x32"), Map.of()),
                new Form("!git -c diff.external=./ext32.sh diff", () -> write(gitconfig, "[alias]\n\tx32 = !git -c"
                        + " diff.external=./ext32.sh diff --no-index /etc/hostname /etc/hosts\n"), executable.apply("ext32.sh"),
                        project.resolve("ext32.sh"), List.of("git", "x32"), Map.of()),
                new Form("!git clone 'ext::sh e32.sh'", () -> write(gitconfig, "[alias]\n\tx32 = \"!git -c"
                        + " protocol.ext.allow=always clone -q 'ext::sh e32.sh' " + host.outside().resolve("c32") + "\"\n"),
                        "printf 'touch " + marker + "\\n' > e32.sh", project.resolve("e32.sh"), List.of("git", "x32"),
                        Map.of()),
                new Form("!CFLAGS=-O2 make -s", () -> write(gitconfig, "[alias]\n\tx32 = !CFLAGS=-O2 make -s\n"),
                        makefile, project.resolve("Makefile"), List.of("git", "x32"), Map.of()),
                new Form("!strace -o /dev/null -f make -s", () -> write(gitconfig,
                        "[alias]\n\tx32 = !strace -o /dev/null -f make -s\n"), makefile, project.resolve("Makefile"),
                        List.of("git", "x32"), Map.of()),
                new Form("!vim -es -N '+so f32.vim' '+qa!'", () -> write(gitconfig,
                        "[alias]\n\tx32 = \"!vim -es -N '+so f32.vim' '+qa!'\"\n"),
                        "printf 'call system(\"touch " + marker + "\")\\n' > f32.vim", project.resolve("f32.vim"),
                        List.of("git", "x32"), Map.of()),
                new Form("!sqlite3 :memory: '.read q32.sql'", () -> write(gitconfig,
                        "[alias]\n\tx32 = \"!sqlite3 :memory: '.read q32.sql'\"\n"),
                        "printf '.shell touch " + marker + "\\n' > q32.sql", project.resolve("q32.sql"),
                        List.of("git", "x32"), Map.of()));
        assertNoFormWritten(project, marker, forms);
    }

    /**
     * Red team, round 33, F1: {@code credential_process = sh …/venv/bin/../../tools/cred.sh} names, as text,
     * {@code …/tools/cred.sh} outside the write path {@code venv}; a command that can write {@code venv} replaces
     * {@code bin} with a link two levels down, and the kernel's reading lands on {@code venv/tools/cred.sh}. The
     * directories a {@code ..} walks back out of are named, so {@code venv} is not made writable. F2: code on
     * sqlite3's standard input ({@code !sqlite3 < x}, with {@code .shell}) fails closed. Controls: without the
     * configuration the plant is written, sandboxed; unsandboxed, the real aws and git run it.
     */
    @Test
    void round33FormsCannotBeWritten() throws Exception {
        Path base = Files.createDirectories(host.outside().resolve("c33"));
        Path venv = Files.createDirectories(base.resolve("venv/bin"));
        Files.createDirectories(base.resolve("tools"));
        Files.writeString(base.resolve("tools/cred.sh"), "echo '{\"Version\": 1}'\n");
        Path agent = Files.createDirectories(host.work().resolve("agent33"));
        Path marker = host.outside().resolve("round33-ran");
        String swap = "cd " + venv.getParent() + " && mv bin bin.old && mkdir -p x/y tools && ln -s x/y bin"
                + " && printf 'touch " + marker + "\\n' > tools/cred.sh";
        String undo = "cd " + venv.getParent() + " && rm -rf bin x tools && mv bin.old bin";
        Path planted = venv.getParent().resolve("tools/cred.sh");
        write(host.home().resolve(".aws/config"), "[default]\ncredential_process = sh " + venv.getParent()
                + "/bin/../../tools/cred.sh\n");
        Path configured = host.home().resolve(".aws/config");
        String config = Files.readString(configured);
        Files.delete(configured);
        HostEnvironment environment = host.environment().withWorkingDirectory(agent);
        java.util.function.Supplier<Sandboxes> withVenv = () -> Sandboxes.of(environment,
                SandboxPolicy.builder(environment).addWritePath(venv.getParent().toString()).build(), backend);
        // control: without the configuration, the swap and the plant are written, sandboxed
        assertThat(withVenv.get().inside("sh", "-c", swap).isSuccess()).isTrue();
        assertThat(planted).exists();
        assertThat(withVenv.get().outside("sh", "-c", undo).isSuccess()).isTrue();
        // control: unsandboxed, the real aws runs the planted script through the link
        write(configured, config);
        assertThat(withVenv.get().outside("sh", "-c", swap).isSuccess()).isTrue();
        run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), host.home(), "aws", "sts", "get-caller-identity",
                "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1");
        assertThat(marker).as("control: the host aws ran the plant").exists();
        Files.delete(marker);
        assertThat(withVenv.get().outside("sh", "-c", undo).isSuccess()).isTrue();

        boolean written;
        try {
            ExecResult inside = withVenv.get().inside("sh", "-c", swap);
            written = inside.isSuccess() || Files.exists(planted);
        } catch (IllegalStateException refused) { // the --rw is refused, saying why
            assertThat(refused.getMessage()).contains("is not made writable");
            written = false;
        }
        unconfigure();
        assertThat(written).as("the swap and the plant were written").isFalse();

        // F2: a git alias that gives sqlite3 its commands on its standard input
        Path project = Files.createDirectories(host.work().resolve("p33"));
        Path marker2 = host.outside().resolve("round33b-ran");
        List<Form> forms = List.of(new Form("!sqlite3 < x33", () -> write(host.home().resolve(".gitconfig"),
                "[alias]\n\tx33 = \"!sqlite3 < x33\"\n"), "printf '.shell touch " + marker2 + "\\n' > x33",
                project.resolve("x33"), List.of("git", "x33"), Map.of()));
        for (Form form : forms) {
            assertThat(from(project).inside("sh", "-c", form.plant()).isSuccess()).as("control: " + form.name()).isTrue();
            Files.delete(form.planted());
        }
        assertThat(writtenForms(project, marker2, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 34, F1: {@code AWS_CONFIG_FILE=w/b/../../aws-config} names, as text, a file beside
     * {@code w}; a command that can write {@code w} replaces {@code b} with a link two levels down, and the
     * kernel's reading lands on {@code w/aws-config}, which the command writes and the host's aws runs. The same
     * with {@code GIT_CONFIG_GLOBAL} and the host's git. The directories the {@code ..} walks back out of are
     * kept, so {@code w} is not made writable; {@code w/b} itself still is (it cannot replace itself). Controls:
     * without the variable the swap and the plant are written, sandboxed; unsandboxed, the real aws and git run
     * the plant.
     */
    @Test
    void round34PathsTheEnvironmentNamesCannotBeWalkedBackInto() throws Exception {
        Path w = Files.createDirectories(host.outside().resolve("c34/w"));
        Files.createDirectories(w.resolve("b"));
        Path agent = Files.createDirectories(host.work().resolve("agent34"));
        Path marker = host.outside().resolve("round34-ran");
        String swap = swapAndPlant(w, marker, "x34");
        String undo = "cd " + w + " && rm -rf b x aws-config gitconfig && mkdir b";
        Map<String, String> values = Map.of("AWS_CONFIG_FILE", w + "/b/../../aws-config",
                "GIT_CONFIG_GLOBAL", w + "/b/../../gitconfig");
        java.util.function.Function<String, Sandboxes> writing = path -> writingFrom(agent, path);
        // control: without the variables, the swap and the plants are written, sandboxed
        ExecResult control = writing.apply(w.toString()).inside("sh", "-c", swap);
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
        assertThat(w.resolve("aws-config")).exists();
        assertThat(writing.apply(w.toString()).outside("sh", "-c", undo).isSuccess()).isTrue();
        // control: unsandboxed, the real aws and git read the plants through the link
        assertThat(writing.apply(w.toString()).outside("sh", "-c", swap).isSuccess()).isTrue();
        hostRunsThePlants(agent, values.get("AWS_CONFIG_FILE"), values.get("GIT_CONFIG_GLOBAL"), "x34", marker);
        assertThat(writing.apply(w.toString()).outside("sh", "-c", undo).isSuccess()).isTrue();

        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> value : new java.util.TreeMap<>(values).entrySet()) {
            host.set(value.getKey(), value.getValue());
            try {
                ExecResult inside = writing.apply(w.toString()).inside("sh", "-c", swap);
                if (inside.isSuccess() || Files.exists(w.resolve("aws-config")) || Files.exists(w.resolve("gitconfig"))) {
                    written.add(value.getKey());
                }
            } catch (IllegalStateException refused) { // the --rw is refused, saying why
                assertThat(refused.getMessage()).contains("is not made writable").contains(value.getKey());
            }
            writing.apply(w.toString()).outside("sh", "-c", undo);
            // the directory walked back out of is writable itself: a command in it cannot replace it
            ExecResult inB = writing.apply(w.resolve("b").toString()).inside("sh", "-c", "echo x > " + w.resolve("b/f"));
            assertThat(inB.isSuccess()).as(value.getKey() + ": " + inB.stderr().text()).isTrue();
            Files.delete(w.resolve("b/f"));
            host.set(value.getKey(), "");
        }
        assertThat(written).as("variables through whose '..' a command planted a file").isEmpty();
    }

    /**
     * Round 35's open item: a {@code ..} inside a symbolic link's target. {@code GIT_CONFIG_GLOBAL}, {@code
     * AWS_CONFIG_FILE} and {@code ~/.gitconfig} name links to {@code w/b/../../cfg}: the path as written has no
     * {@code ..}, but the kernel goes up from wherever {@code b} leads, and a command that can write {@code w}
     * replaces {@code b} with a link two levels down, so that the host's git and aws read {@code w/cfg}, which the
     * command wrote. The directories the link's {@code ..} walks back out of are kept, so {@code w} is not made
     * writable; {@code w/b} itself still is. Controls: without the links the swap and the plants are written,
     * sandboxed; unsandboxed, the real aws and git read the plants through them.
     */
    @Test
    void linkTargetsCannotBeWalkedBackInto() throws Exception {
        Path c = Files.createDirectories(host.outside().resolve("c39"));
        Path w = Files.createDirectories(c.resolve("w"));
        Files.createDirectories(w.resolve("b"));
        Path agent = Files.createDirectories(host.work().resolve("agent39"));
        Path marker = host.outside().resolve("link39-ran");
        String swap = swapAndPlant(w, marker, "x39");
        String undo = "cd " + w + " && rm -rf b x aws-config gitconfig && mkdir b";
        Path gitLink = c.resolve("gc");
        Path awsLink = c.resolve("ac");
        Files.createSymbolicLink(gitLink, Path.of("w/b/../../gitconfig"));
        Files.createSymbolicLink(awsLink, Path.of("w/b/../../aws-config"));
        Path homeLink = host.home().resolve(".gitconfig");
        java.util.function.Function<String, Sandboxes> writing = path -> writingFrom(agent, path);
        // control: without the links named, the swap and the plants are written, sandboxed
        ExecResult control = writing.apply(w.toString()).inside("sh", "-c", swap);
        assertThat(control.isSuccess()).as(control.stderr().text()).isTrue();
        assertThat(w.resolve("aws-config")).exists();
        // control: unsandboxed, the real aws and git read the plants through the links
        hostRunsThePlants(agent, awsLink.toString(), gitLink.toString(), "x39", marker);
        assertThat(writing.apply(w.toString()).outside("sh", "-c", undo).isSuccess()).isTrue();

        Map<String, Runnable> forms = new java.util.TreeMap<>(Map.of(
                "AWS_CONFIG_FILE", () -> host.set("AWS_CONFIG_FILE", awsLink.toString()),
                "GIT_CONFIG_GLOBAL", () -> host.set("GIT_CONFIG_GLOBAL", gitLink.toString()),
                "~/.gitconfig", () -> {
                    try {
                        Files.deleteIfExists(homeLink);
                        Files.createSymbolicLink(homeLink, c.resolve("w/b/../../gitconfig"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Runnable> form : forms.entrySet()) {
            form.getValue().run();
            try {
                ExecResult inside = writing.apply(w.toString()).inside("sh", "-c", swap);
                if (inside.isSuccess() || Files.exists(w.resolve("aws-config")) || Files.exists(w.resolve("gitconfig"))) {
                    written.add(form.getKey());
                }
            } catch (IllegalStateException refused) { // the --rw is refused, saying why
                assertThat(refused.getMessage()).contains("is not made writable").contains("walks back out of");
            }
            writing.apply(w.toString()).outside("sh", "-c", undo);
            // the directory walked back out of is writable itself: a command in it cannot replace it
            ExecResult inB = writing.apply(w.resolve("b").toString()).inside("sh", "-c", "echo x > " + w.resolve("b/f"));
            assertThat(inB.isSuccess()).as(form.getKey() + ": " + inB.stderr().text()).isTrue();
            Files.delete(w.resolve("b/f"));
            host.set("AWS_CONFIG_FILE", "");
            host.set("GIT_CONFIG_GLOBAL", "");
            Files.deleteIfExists(homeLink);
        }
        assertThat(written).as("links through whose '..' a command planted a file").isEmpty();
    }

    /**
     * In {@code w}: replaces {@code b} with a link two levels down ({@code b/../..} then leads to {@code w}) and plants
     * an AWS config whose credential_process and a git config whose alias {@code alias} touch {@code marker}.
     */
    private static String swapAndPlant(Path w, Path marker, String alias) {
        return "cd " + w + " && rmdir b && mkdir -p x/y && ln -s x/y b"
                + " && printf '[default]\\ncredential_process = sh -c \"touch " + marker + "\"\\n' > aws-config"
                + " && printf '[alias]\\n\\t" + alias + " = !touch " + marker + "\\n' > gitconfig";
    }

    /** The sandboxes of a command run from {@code agent} with {@code path} writable. */
    private Sandboxes writingFrom(Path agent, String path) {
        HostEnvironment environment = host.environment().withWorkingDirectory(agent);
        return Sandboxes.of(environment, SandboxPolicy.builder(environment).addWritePath(path).build(), backend);
    }

    /** The control: unsandboxed, the real aws and git (alias {@code alias}) read the plants and touch {@code marker}. */
    private void hostRunsThePlants(Path agent, String awsConfigFile, String gitConfigGlobal, String alias, Path marker)
            throws Exception {
        run(Map.of("AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", awsConfigFile), agent,
                "aws", "sts", "get-caller-identity", "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1");
        assertThat(marker).as("control: the host aws ran the plant").exists();
        Files.delete(marker);
        run(Map.of("GIT_CONFIG_GLOBAL", gitConfigGlobal), agent, "git", alias);
        assertThat(marker).as("control: the host git ran the plant").exists();
        Files.delete(marker);
    }

    /**
     * Red team, round 34, F2, the general rule: a program a git alias gives its standard input to runs what a
     * command planted there — {@code xargs -0 env} runs the words of a planted list ({@code sh p.sh}), {@code sed -f -}
     * runs a planted sed program ({@code 1e sh p.sh}). Neither program was on a list; now a program given the
     * string's input that is not known to read only text (and xargs with a command whose options run code) fails
     * closed. Controls: without the alias the plants are written, sandboxed; unsandboxed, the real git runs them.
     */
    @Test
    void round34ProgramsGivenPlantedInputCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p34"));
        Path marker = host.outside().resolve("round34b-ran");
        String script = "printf 'touch " + marker + "\\n' > p34.sh";
        List<Form> forms = List.of(
                new Form("!cat l34 | xargs -0 env", () -> write(host.home().resolve(".gitconfig"),
                        "[alias]\n\tx34 = \"!cat l34 | xargs -0 env\"\n"), "printf 'sh\\0p34.sh' > l34 && " + script,
                        project.resolve("l34"), List.of("git", "x34"), Map.of()),
                new Form("!cat s34 | sed -n -f - s34", () -> write(host.home().resolve(".gitconfig"),
                        "[alias]\n\ty34 = \"!cat s34 | sed -n -f - s34\"\n"), "printf '1e sh p34.sh\\n' > s34 && " + script,
                        project.resolve("s34"), List.of("git", "y34"), Map.of()));
        assertNoFormWritten(project, marker, forms);
    }

    /**
     * Red team, round 35: an AWS config variable set in a git alias ({@code AWS_CONFIG_FILE=c aws …}, F1),
     * {@code $PWD} in a global alias (read as the home, F2), a script read through another descriptor
     * ({@code sh /dev/fd/3 3<x}, F3), a shell alias that hides the interpreter (F4), and a relative
     * {@code init.templateDir} whose {@code ..} walks back out of a directory where git runs (F5). Controls:
     * without the configuration each plant is written, sandboxed; unsandboxed, the real git (and aws) run it.
     */
    @Test
    void round35FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p35"));
        Path marker = host.outside().resolve("round35-ran");
        Path source = sourceRepository("src35");
        Path gitconfig = host.home().resolve(".gitconfig");
        String touch = "printf 'touch " + marker + "\\n' > ";
        java.util.function.Function<String, Runnable> alias = body -> () -> write(gitconfig, "[alias]\n\tz35 = \""
                + body.replace("\"", "\\\"") + "\"\n");
        Runnable template = () -> {
            write(gitconfig, "[init]\n\ttemplateDir = t35/b/../../tmpl35\n");
            try {
                run(Map.of(), project, "sh", "-c", "rm -rf t35 q35 tmpl35 && mkdir -p t35/b tmpl35");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        List<Form> forms = List.of(
                new Form("!AWS_CONFIG_FILE=c35 aws …", alias.apply("!AWS_CONFIG_FILE=c35 aws sts get-caller-identity"
                        + " --endpoint-url http://127.0.0.1:9 --cli-connect-timeout 1"),
                        "printf '[default]\\ncredential_process = touch " + marker + "\\n' > c35", project.resolve("c35"),
                        List.of("git", "z35"), Map.of("AWS_EC2_METADATA_DISABLED", "true")),
                new Form("!sh $PWD/x35.sh", alias.apply("!sh $PWD/x35.sh"), touch + "x35.sh", project.resolve("x35.sh"),
                        List.of("git", "z35"), Map.of()),
                new Form("!sh /dev/fd/3 3<y35.sh", alias.apply("!sh /dev/fd/3 3<y35.sh"), touch + "y35.sh",
                        project.resolve("y35.sh"), List.of("git", "z35"), Map.of()),
                new Form("!alias r=sh; eval 'r w35.sh'", alias.apply("!alias r=sh; eval 'r w35.sh'"), touch + "w35.sh",
                        project.resolve("w35.sh"), List.of("git", "z35"), Map.of()),
                new Form("init.templateDir = t35/b/../../tmpl35", template, "rmdir t35/b && mkdir -p q35/a/b"
                        + " q35/tmpl35/hooks && ln -s " + project.resolve("q35/a/b") + " t35/b && cp /bin/true q35/tmpl35/hooks/post-checkout"
                        + " && printf '#!/bin/sh\\ntouch " + marker + "\\n' > q35/tmpl35/hooks/post-checkout",
                        project.resolve("q35/tmpl35/hooks/post-checkout"),
                        List.of("git", "clone", "-q", source.toString(), host.outside().resolve("clone35").toString()),
                        Map.of()));
        for (Form form : forms) {
            form.configure().run(); // the template form's directories
            unconfigure();
            ExecResult before = from(project).inside("sh", "-c", form.plant());
            assertThat(before.isSuccess()).as("control: " + form.name() + ": " + before.stderr().text()).isTrue();
            Files.delete(form.planted());
        }
        assertThat(writtenFormsFresh(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /**
     * Red team, round 36: a sed {@code e} command after {@code a}/{@code i} text ending in an escaped backslash (F1),
     * a computed variable given as an argument to a program that runs it (F2), and {@code xargs git grep} taking
     * {@code -O./x.sh} as its pager (F3). Controls: without the alias each plant is written, sandboxed; unsandboxed,
     * the real git runs it.
     */
    @Test
    void round36FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p36"));
        Path marker = host.outside().resolve("round36-ran");
        Path gitconfig = host.home().resolve(".gitconfig");
        java.util.function.Function<String, Runnable> alias = body -> () -> write(gitconfig, "[alias]\n\tz36 = \""
                + body.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"\n");
        List<Form> forms = List.of(
                new Form("sed 1i ==\\\\ then e", alias.apply("!echo x | sed -e '1i ==\\\\\ne sh h36.sh'"),
                        "printf 'touch " + marker + "\\n' > h36.sh", project.resolve("h36.sh"), List.of("git", "z36"),
                        Map.of()),
                new Form("v=$(cat c36); timeout 5 $v", alias.apply("!v=$(cat c36); timeout 5 $v"),
                        "printf 'touch " + marker + "' > c36", project.resolve("c36"), List.of("git", "z36"), Map.of()),
                new Form("xargs git grep --no-index < p36", alias.apply("!xargs git grep --no-index < p36"),
                        "cp /bin/true x36.sh && printf '#!/bin/sh\\ntouch " + marker + "\\n' > x36.sh && echo TODO > t36"
                        + " && printf -- '-O./x36.sh TODO' > p36", project.resolve("p36"), List.of("git", "z36"), Map.of()));
        assertNoFormWritten(project, marker, forms);
    }

    /**
     * Red team, round 39: a variable bash sets itself ({@code read}'s {@code $REPLY}) given to ssh (F1); a computed word
     * that becomes {@code test -v} (F2); a command substitution not right after {@code =} before arithmetic (F3); a sed
     * program given as {@code --expression=} (F4); awk's {@code >} hidden behind a division (F5); a computed word a
     * redirection opens (F6); a process substitution as awk's script (F9); {@code [[ n -gt 0 ]]} on a read value (F10).
     * Controls: without the alias each plant is written, sandboxed; unsandboxed, the real git (with bash, ssh, sed,
     * awk) runs it.
     */
    @Test
    void round39FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p39"));
        Path marker = host.outside().resolve("round39-ran");
        Path out = host.outside().resolve("out39.sh"); // where F5's and F6's host git writes, then runs
        Path gitconfig = host.home().resolve(".gitconfig");
        java.util.function.Function<String, Runnable> alias = body -> () -> write(gitconfig, "[alias]\n\tz39 = \""
                + body.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
        String evaluated = "printf '%s\\n' 'a[$(touch " + marker + ")]' > ";
        List<String> thenOut = List.of("sh", "-c", "git z39; sh " + out);
        List<Form> forms = List.of(
                new Form("read < h; ssh $REPLY", alias.apply("!bash -c 'read < h39; ssh $REPLY'"),
                        "printf -- '-oProxyCommand=touch${IFS}" + marker + " h\\n' > h39", project.resolve("h39"),
                        List.of("git", "z39"), Map.of()),
                new Form("read v; [ $v = on ]", alias.apply("!bash -c 'read -r v < v39; [ $v = on ]'"),
                        "printf '%s\\n' '-v a[$(touch${IFS}" + marker + ")]' > v39", project.resolve("v39"),
                        List.of("git", "z39"), Map.of()),
                new Form("n=${T-$(cat n)}; (( n > 0 ))", alias.apply("!bash -c 'n=${T39-$(cat n39)}; (( n > 0 ))'"),
                        evaluated + "n39", project.resolve("n39"), List.of("git", "z39"), Map.of()),
                new Form("sed --expression=s///ep", alias.apply("!sed -n --expression='s/^[$] //ep' N39.md"),
                        "printf '$ touch " + marker + "\\n' > N39.md", project.resolve("N39.md"), List.of("git", "z39"),
                        Map.of()),
                new Form("awk print > $1 behind a division", alias.apply("!awk -F, '{ kb += $3/1024; print $2 > $1 } END"
                        + " { print kb/NR }' b39.csv"), "printf '" + out + ",touch " + marker + ",1\\n' > b39.csv",
                        project.resolve("b39.csv"), thenOut, Map.of()),
                new Form("cat t > $f", alias.apply("!for f in $(cat g39); do cat t39 > $f; done"),
                        "echo 'touch " + marker + "' > t39 && echo " + out + " > g39", project.resolve("g39"), thenOut,
                        Map.of()),
                new Form("awk -f <(cat p.awk)", alias.apply("!bash -c 'awk -f <(cat p39.awk) /dev/null'"),
                        "printf 'BEGIN { system(\"touch " + marker + "\") }\\n' > p39.awk", project.resolve("p39.awk"),
                        List.of("git", "z39"), Map.of()),
                new Form("[[ n -gt 0 ]]", alias.apply("!bash -c 'read -r n < r39; [[ n -gt 0 ]]'"), evaluated + "r39",
                        project.resolve("r39"), List.of("git", "z39"), Map.of()));
        try {
            assertNoFormWritten(project, marker, forms);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * Red team, round 40, F1: {@code tar czf b.tgz *} in an alias: the pathname expansion gives the names of files the
     * command created, and one named {@code --checkpoint-action=exec=sh p.sh} is an option tar runs. Control: without
     * the alias the plant is written, sandboxed; unsandboxed, the real git and tar run it.
     */
    @Test
    void round40GlobsCannotBeWrittenInto() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p40"));
        Path marker = host.outside().resolve("round40-ran");
        Path gitconfig = host.home().resolve(".gitconfig");
        Path archive = host.outside().resolve("b40.tgz");
        List<Form> forms = List.of(new Form("tar czf b.tgz *", () -> write(gitconfig, "[alias]\n\tz40 = \"!tar czf "
                + archive + " *\"\n"), "echo 'touch " + marker + "' > p40.sh && : > ./--checkpoint=1"
                + " && : > './--checkpoint-action=exec=sh p40.sh'", project.resolve("--checkpoint-action=exec=sh p40.sh"),
                List.of("git", "z40"), Map.of()));
        try {
            assertNoFormWritten(project, marker, forms);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /** {@link #writtenForms}, with the clone of the template form removed before each run of git clone. */
    private List<String> writtenFormsFresh(Path project, Path marker, List<Form> forms) throws Exception {
        List<String> written = new ArrayList<>();
        for (Form form : forms) {
            run(Map.of(), project, "rm", "-rf", host.outside().resolve("clone35").toString());
            written.addAll(writtenForms(project, marker, List.of(form)));
        }
        return written;
    }

    /**
     * The control (without the configuration, each plant is written from the project, sandboxed), then the
     * attempt with it: no form's code is written ({@link #writtenForms}, with the unsandboxed control).
     */
    /**
     * Red team, round 43: sed's {@code -f} after an {@code -e} (F11); git's {@code --exec-path} after a redirection
     * (F9); a pattern in a revision range handed to a shell alias (F3); an AWS alias's global option before the shell
     * alias it hands a pattern (F5). Controls: without the alias each plant is written, sandboxed; unsandboxed, the
     * real git (with sed, tar) or aws runs it.
     */
    @Test
    void round43FormsCannotBeWritten() throws Exception {
        Path project = Files.createDirectories(host.work().resolve("p43"));
        Path marker = host.outside().resolve("round43-ran");
        Path archive = host.outside().resolve("s43.tar");
        Path gitconfig = host.home().resolve(".gitconfig");
        java.util.function.Function<String, Runnable> alias = body -> () -> write(gitconfig, "[alias]\n\tz43 = \""
                + body.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n");
        String executable = "cp /usr/share/git-core/templates/hooks/pre-commit.sample ";
        String tarAlias = "t43 = \"!f() { tar cf " + archive + " $@; }; f\"";
        List<Form> forms = List.of(
                new Form("sed -e p -f f.sed", alias.apply("!sed -n -e p -f f43.sed /etc/hostname"),
                        "printf 'e touch " + marker + "\\n' > f43.sed", project.resolve("f43.sed"), List.of("git", "z43"),
                        Map.of()),
                new Form("git 2>/dev/null --exec-path=gx", alias.apply("!git 2>/dev/null --exec-path=gx43 s43"),
                        "mkdir -p gx43 && " + executable + "gx43/git-s43 && printf '#!/bin/sh\\ntouch " + marker
                        + "\\n' > gx43/git-s43", project.resolve("gx43/git-s43"), List.of("git", "z43"), Map.of()),
                new Form("bk = t *..*", () -> write(gitconfig, "[alias]\n\t" + tarAlias + "\n\tz43 = t43 *..*\n"),
                        "echo 'touch " + marker + "' > x..sh && : > '--use-compress-program=sh x..sh'",
                        project.resolve("--use-compress-program=sh x..sh"), List.of("git", "z43"), Map.of()),
                new Form("aws bk = --region r t *", () -> {
                    try {
                        Files.createDirectories(host.home().resolve(".aws/cli"));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    write(host.home().resolve(".aws/cli/alias"), "[toplevel]\nt43 = !f() { tar cf " + archive
                            + " $@; }; f\nz43 = --region us-east-1 t43 *\n");
                }, "echo 'touch " + marker + "' > y43.sh && : > '--use-compress-program=sh y43.sh'",
                        project.resolve("--use-compress-program=sh y43.sh"), List.of("aws", "z43"), Map.of()));
        try {
            assertNoFormWritten(project, marker, forms);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private void assertNoFormWritten(Path project, Path marker, List<Form> forms) throws Exception {
        for (Form form : forms) {
            ExecResult before = from(project).inside("sh", "-c", form.plant());
            assertThat(before.isSuccess()).as("control: " + form.name() + ": " + before.stderr().text()).isTrue();
            Files.delete(form.planted());
        }
        assertThat(writtenForms(project, marker, forms)).as("forms whose code a command wrote").isEmpty();
    }

    /** A repository with one commit outside the project, to clone from. */
    private Path sourceRepository(String name) throws Exception {
        Path source = Files.createDirectories(host.outside().resolve(name));
        run(Map.of(), source, "git", "init", "-q");
        run(Map.of(), source, "git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q",
                "--allow-empty", "-m", "x");
        return source;
    }

    /** A configuration, what a command plants in the project, and the host program that runs it later. */
    private record Form(String name, Runnable configure, String plant, Path planted, List<String> later,
                        Map<String, String> environment) {}

    /**
     * The forms whose plant a sandboxed command wrote from {@code project}; for each, the control:
     * unsandboxed, the same plant runs in the real program started in the project.
     */
    private List<String> writtenForms(Path project, Path marker, List<Form> forms) throws Exception {
        List<String> written = new ArrayList<>();
        for (Form form : forms) {
            form.configure().run();
            ExecResult inside = from(project).inside("sh", "-c", form.plant());
            if (inside.isSuccess() || Files.exists(form.planted())) {
                written.add(form.name());
            }
            unconfigure();
            if (Requirements.which(form.later().getFirst()).isEmpty()) {
                System.out.println("skipped the control of " + form.name() + ": no " + form.later().getFirst());
                continue;
            }
            form.configure().run();
            assertThat(from(project).outside("sh", "-c", form.plant()).isSuccess()).isTrue();
            run(form.environment(), project, form.later().toArray(String[]::new));
            unconfigure();
            assertThat(marker).as("control: " + form.name()).exists();
            Files.delete(marker);
            Files.delete(form.planted());
        }
        return written;
    }

    private void unconfigure() throws java.io.IOException {
        for (String variable : List.of("XDG_CONFIG_HOME", "PYTHONPATH", "GIT_CONFIG_GLOBAL")) {
            host.set(variable, "");
        }
        for (Path config : List.of(host.home().resolve(".aws/config"), host.home().resolve(".aws/cli/alias"),
                host.home().resolve(".ssh/config"), host.home().resolve(".gitconfig"))) {
            Files.deleteIfExists(config);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
