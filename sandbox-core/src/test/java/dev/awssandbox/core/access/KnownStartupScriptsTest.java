package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KnownStartupScriptsTest {

    /**
     * nvm v0.40.6's own nvm.sh and completion script are that release; the same text changed by one character, or cut
     * short, or with a line added, is none.
     */
    @Test
    void onlyTheUnchangedTextOfARelease() throws Exception {
        String script = Files.readString(Path.of(getClass().getResource("/nvm/nvm.sh").toURI()));
        assertThat(KnownStartupScripts.nvmRelease(script)).contains("nvm v0.40.6");
        assertThat(KnownStartupScripts.nvmRelease(script.replaceFirst("nvm_cd\\(\\)", "nvm_cD()"))).isEmpty();
        assertThat(KnownStartupScripts.nvmRelease(script + " ")).isEmpty();
        assertThat(KnownStartupScripts.nvmRelease(script.substring(0, script.length() - 1))).isEmpty();
        assertThat(KnownStartupScripts.nvmRelease("nvm_process_parameters \"$@\"\n")).isEmpty();
        String completion = Files.readString(Path.of(getClass().getResource("/nvm/bash_completion").toURI()));
        assertThat(KnownStartupScripts.nvmRelease(completion)).contains("nvm's bash_completion v0.39.0–v0.40.6");
        assertThat(KnownStartupScripts.nvmRelease(completion + ". ./x\n")).isEmpty();
    }
}
