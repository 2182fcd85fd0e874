package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.ExecResult.Denial.LimitReached;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The limits a command reached, worded for a model: what happened and what to do instead, never a
 * command-line flag (a model has none; the server's limits are its operator's).
 */
class DenialSentencesTest {
    private static final List<String> AWS = List.of("aws", "s3api", "list-objects-v2");

    @Test
    void eachLimitIsSaidWithItsValueAndWithoutFlags() {
        assertThat(DenialSentences.of(new LimitReached(0, LimitReached.Limit.MEMORY, 2L << 30), AWS))
                .contains("aws was killed").contains("2 GiB of memory").contains("--max-items");
        assertThat(DenialSentences.of(new LimitReached(0, LimitReached.Limit.PROCESS_MEMORY, 2L << 30), AWS))
                .contains("aws ran out of memory").contains("2 GiB of memory this server allows each process")
                .contains("--max-items");
        assertThat(DenialSentences.of(new LimitReached(0, LimitReached.Limit.PROCESSES, 512), AWS))
                .contains("limit of 512 processes and threads");
        assertThat(DenialSentences.of(new LimitReached(0, LimitReached.Limit.CPU_TIME, 600), AWS))
                .contains("600 seconds of CPU time");
        assertThat(DenialSentences.of(new LimitReached(0, LimitReached.Limit.FILE_SIZE, 4L << 30), AWS))
                .contains("larger than 4 GiB");
        for (LimitReached.Limit limit : LimitReached.Limit.values()) {
            assertThat(DenialSentences.of(new LimitReached(0, limit, 1), AWS))
                    .doesNotContain("--max-memory", "--max-processes", "--max-cpu", "--max-file-size", "--no-limits");
        }
    }

    @Test
    void aFileThatCouldNotBeCreatedIsSaidAsSuch() {
        assertThat(DenialSentences.of(new dev.awssandbox.core.ExecResult.Denial.NotCreatable(0,
                java.nio.file.Path.of("/srv/out/r.json"), java.nio.file.Path.of("/srv/out")), AWS))
                .startsWith("aws could not create /srv/out/r.json").contains("write into the working directory")
                .doesNotContain("--rw");
    }

    @Test
    void sizesAreWordedInTheirLargestWholeUnit() {
        assertThat(DenialSentences.size(2L << 30)).isEqualTo("2 GiB");
        assertThat(DenialSentences.size(1536L << 20)).isEqualTo("1536 MiB");
        assertThat(DenialSentences.size(100 << 10)).isEqualTo("100 KiB");
        assertThat(DenialSentences.size(1000)).isEqualTo("1000 bytes");
    }
}
