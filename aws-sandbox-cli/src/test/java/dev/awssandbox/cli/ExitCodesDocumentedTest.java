package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Scripts read the exit codes from the README: its table lists every one ExitCodes has (--help lists them from there). */
class ExitCodesDocumentedTest {

    @Test
    void theReadmeOrTheDocsListEveryExitCode() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String docs;
        try (Stream<Path> files = Stream.concat(Stream.of(root.resolve("README.md")),
                Files.isDirectory(root.resolve("docs")) ? Files.walk(root.resolve("docs")) : Stream.empty())) {
            docs = files.filter(p -> p.toString().endsWith(".md")).map(ExitCodesDocumentedTest::read)
                    .collect(Collectors.joining("\n"));
        }
        for (String code : ExitCodes.MEANINGS.keySet()) {
            assertThat(docs).as("exit code " + code + " in a table row of README.md or docs/").contains("\n| " + code + " | ");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
