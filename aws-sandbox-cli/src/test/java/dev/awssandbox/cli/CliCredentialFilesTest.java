package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import dev.awssandbox.core.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Red team, round 8: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE and AWS_WEB_IDENTITY_TOKEN_FILE
 * name files, but a directory they named was granted whole ({@code AWS_CONFIG_FILE=/} made every
 * file readable, {@code AWS_SHARED_CREDENTIALS_FILE=~/.ssh} the keys). Only a regular file is
 * granted now; the control is the same variable naming a file, which is.
 */
class CliCredentialFilesTest {
    @RegisterExtension
    final CliHarness cli = new CliHarness();
    private final TestHost host = cli.host();

    @Test
    void aCredentialVariableNamingADirectoryGrantsNothing() throws Exception {
        Requirements.requireLandlock();
        Path key = host.home().resolve(".ssh/id_ed25519");
        for (String variable : new String[] {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"}) {
            host.set(variable, host.home().resolve(".ssh").toString());
            CliHarness.Run read = cli.run("run", "--backend", "landlock", "--", "cat", key.toString());
            assertThat(read.out()).as(variable).doesNotContain(Files.readString(key));
            assertThat(read.code()).as(variable).isEqualTo(1);
            host.set(variable, "/");
            CliHarness.Run root = cli.run("run", "--backend", "landlock", "--", "cat", key.toString());
            assertThat(root.out()).as(variable + "=/").doesNotContain(Files.readString(key));

            // the control: naming the file itself grants it (as the AWS CLI would read it)
            host.set(variable, key.toString());
            CliHarness.Run file = cli.run("run", "--backend", "landlock", "--", "cat", key.toString());
            assertThat(file.out()).as(variable + " naming a file").isEqualTo(Files.readString(key));
            host.set(variable, "");
        }
    }
}
