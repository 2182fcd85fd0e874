package dev.awssandbox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostEnvironment.AwsCliAliases} against the installed AWS CLI: for each alias file, the real {@code aws sts
 * get-caller-identity} (no credentials, so the built-in command fails at once) runs the alias
 * exactly where the reader says {@code sts} is replaced. The MCP server had read only unindented
 * {@code name =} lines under a header written exactly {@code [toplevel]}, so an upper-case name,
 * {@code name: value}, a header with a comment after it or an indented option ran a shell command
 * under a read-only policy (red team, MCP round B, F1).
 */
class AwsCliAliasesTest {
    @TempDir
    Path home;

    /** An alias file and whether the AWS CLI runs its {@code sts} alias. */
    record Form(String text, boolean runs) {}

    static final String ALIAS = "!echo ALIAS-RAN";

    static final List<Form> FORMS = List.of(
            new Form("[toplevel]\nsts = " + ALIAS + "\n", true),
            new Form("[toplevel]\nSTS = " + ALIAS + "\n", true),
            new Form("[toplevel]\nsts: " + ALIAS + "\n", true),
            new Form("[toplevel]   # my aliases\nsts = " + ALIAS + "\n", true),
            new Form("[toplevel]\n  sts = " + ALIAS + "\n", true),
            new Form("[DEFAULT]\nsts = " + ALIAS + "\n[toplevel]\nwhoami = sts get-caller-identity\n", true),
            new Form("\u00a0[toplevel]\u2003\nsts\u00a0= " + ALIAS + "\n", true),
            new Form("[toplevel]\r\nsts = " + ALIAS + "\r\n", true),
            new Form("[other]\nsts = " + ALIAS + "\n", false),
            new Form("[toplevel]\n# sts = " + ALIAS + "\n; sts = " + ALIAS + "\n", false),
            new Form("[toplevel]\nwhoami = sts get-caller-identity\n  sts = " + ALIAS + "\n", false),
            new Form("[toplevel]\nwhoami = sts get-caller-identity\n", false));

    @Test
    void theAliasesTheAwsCliRunsAreTheOnesRead() throws Exception {
        Optional<Path> aws = Requirements.which("aws");
        assumeThat(aws).as("the AWS CLI on PATH (it is the oracle)").isPresent();
        Path file = Files.createDirectories(home.resolve(".aws/cli")).resolve("alias");
        for (Form form : FORMS) {
            Files.writeString(file, form.text());
            assertThat(runsTheAlias()).as("the AWS CLI with %s", form.text()).isEqualTo(form.runs());
            assertThat(HostEnvironment.AwsCliAliases.read(file).replaces("sts")).as("read: %s", form.text()).isEqualTo(form.runs());
        }
    }

    private boolean runsTheAlias() throws Exception {
        // the oracle: what the AWS CLI runs, past its pyenv shim (which tests nothing here and costs ~0.5 s of CPU a run)
        ProcessBuilder builder = new ProcessBuilder(Requirements.hostProgram("aws"), "sts", "get-caller-identity").redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Map.of("HOME", home.toString(), "PATH", System.getenv("PATH"),
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_DEFAULT_REGION", "us-east-1"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.contains("ALIAS-RAN");
    }

    @Test
    void subcommandAliasesUnreadableFilesAndDefaultsAreRead() throws Exception {
        Path file = Files.createDirectories(home.resolve(".aws/cli")).resolve("alias");
        Files.writeString(file, "[command s3]\nLS = !echo x\n[DEFAULT]\nwho = sts get-caller-identity\n");
        HostEnvironment.AwsCliAliases aliases = HostEnvironment.AwsCliAliases.read(file);
        assertThat(aliases.replaces("s3", "ls")).isTrue();
        assertThat(aliases.replaces("s3", "who")).as("a default is an option of every section").isTrue();
        assertThat(aliases.replaces("s3", "cp")).isFalse();
        assertThat(aliases.replaces("s3")).isFalse();

        Files.write(file, new byte[] {'[', 't', 'o', 'p', 'l', 'e', 'v', 'e', 'l', ']', '\n', (byte) 0xff, '=', 'x', '\n'});
        assertThat(HostEnvironment.AwsCliAliases.read(file).unreadable()).hasValueSatisfying(why -> assertThat(why).contains("not UTF-8"));
        assertThat(HostEnvironment.AwsCliAliases.read(file).replaces("s3")).as("unreadable: any name may be an alias").isTrue();

        Files.delete(file);
        assertThat(HostEnvironment.AwsCliAliases.read(file)).isEqualTo(new HostEnvironment.AwsCliAliases(java.util.Set.of(), Map.of(), Optional.empty()));
    }
}
