package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    /** Regression: Files.readString returned "4" of "40" for this /proc file, and only caps 0-4 were dropped. */
    @Test
    void lastCapIsReadWhole() throws Exception {
        String whole;
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap"))) {
            whole = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertThat(Capabilities.readLastCap()).isEqualTo(Integer.parseInt(whole)).isGreaterThanOrEqualTo(37);
    }
}
