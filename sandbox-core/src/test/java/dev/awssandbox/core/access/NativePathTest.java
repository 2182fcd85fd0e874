package dev.awssandbox.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listed name the JVM cannot give back as the same bytes is told apart from one it can, and is
 * named by its exact bytes: the warning for an entry of {@code /etc} left out of a grant
 * ({@code NonUtf8EtcEntryIT}).
 */
class NativePathTest {

    @Test
    void aNameThatIsNotUtf8IsUnnameableAndNamedByItsBytes(@TempDir Path dir) throws Exception {
        Requirements.requireProgram("python3");
        Process p = new ProcessBuilder("python3", "-c", "import os,sys; d = os.fsencode(sys.argv[1]);"
                + " [open(d + n, 'w').close() for n in (b'/caf\\xe9', b'/a\\\\b\\x1b', '/caf\\u00e9'.encode())]",
                dir.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(listed::add);
        }
        assertThat(listed).hasSize(3);
        List<String> unnameable = listed.stream().filter(e -> !NativePath.nameable(e)).map(NativePath::escaped).toList();
        assertThat(unnameable).containsExactly(dir + "/caf\\xe9");
        assertThat(listed.stream().filter(NativePath::nameable).map(NativePath::escaped))
                .containsExactlyInAnyOrder(dir + "/a\\\\b\\x1b", dir + "/caf\\xc3\\xa9");
        assertThat(NativePath.whyUnnameable(listed.stream().filter(e -> !NativePath.nameable(e)).findFirst().orElseThrow()))
                .isEqualTo("is not valid UTF-8");
    }
}
