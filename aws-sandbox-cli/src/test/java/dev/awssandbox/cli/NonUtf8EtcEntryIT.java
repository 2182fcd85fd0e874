package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A file in {@code /etc} whose name is not UTF-8 failed {@code --ro /etc} and {@code --ro /} on
 * both backends with "changed while it was being granted": {@code /etc} is granted entry by entry
 * around the secret stores, and the JVM passed that entry on by a name it could not give back as
 * the same bytes. It is now left out with a warning that names its bytes, and the rest of
 * {@code /etc} is granted. An integration test because it plants a file (one uniquely named,
 * removed at the end) in the host's {@code /etc}, which every unit test JVM's default grants
 * read: integration tests run alone. (Such a name elsewhere, in a directory granted whole:
 * {@code NonUtf8NamesTest}.)
 */
// alone, with no other test class beside it: it adds entries to the host's /etc while it runs: a command planned meanwhile (another class's) would see a grant change under it
@Isolated
class NonUtf8EtcEntryIT {

    private record Run(int code, String output) {}

    private static Run run(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toAbsolutePath().toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(Path.of("/var/tmp").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void anEntryOfEtcWhoseNameIsNotUtf8IsLeftOutWithAWarning() throws Exception {
        Requirements.requireLandlock();
        Requirements.requireProgram("python3");
        Assumptions.assumeTrue(Files.isWritable(Path.of("/etc")), "SKIPPED: /etc is not writable (the test runs as root)");
        String prefix = "aws-sandbox-test-" + ProcessHandle.current().pid() + "-";
        Path plain = Path.of("/etc", prefix + "plain");
        try {
            Files.writeString(plain, "ETC-PLAIN");
            // Java's Path cannot name it: made by bytes
            Process plant = new ProcessBuilder("python3", "-c", "import sys; open(b'/etc/' + sys.argv[1].encode() + b'\\xff', 'w')"
                    + ".write('ETC-LATIN1')", prefix).inheritIO().start();
            assertThat(plant.waitFor()).isZero();
            assertThat(planted(prefix)).hasSize(2);

            List<String> backends = new ArrayList<>(List.of("landlock"));
            if (new dev.awssandbox.core.backend.BubblewrapBackend().availability().available()) {
                backends.add("bubblewrap");
            } else {
                System.err.println("SKIPPED bubblewrap: not available here");
            }
            for (String backend : backends) {
                for (String grant : List.of("/etc", "/")) {
                    Run read = run("run", "--backend", backend, "--ro", grant, "--", "cat", plain.toString());
                    assertThat(read.code()).as(backend + " --ro " + grant + ": " + read.output()).isZero();
                    assertThat(read.output()).as(backend + " --ro " + grant).contains("ETC-PLAIN")
                            .contains("/etc/" + prefix + "\\xff is not granted: its name is not valid UTF-8");
                    // by its bytes (Landlock gives /etc's entries, not a listing of /etc: no glob)
                    String latin1File = "\"$(printf '/etc/" + prefix + "\\377')\"";
                    Run latin1 = run("run", "--backend", backend, "--ro", grant, "--", "sh", "-c", "cat " + latin1File);
                    assertThat(latin1.output()).as(backend + " --ro " + grant + ": the entry left out").doesNotContain("ETC-LATIN1");
                    assertThat(latin1.code()).isNotZero();
                    Process control = new ProcessBuilder("sh", "-c", "cat " + latin1File).redirectErrorStream(true).start();
                    assertThat(new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                            .as("unsandboxed, the same command reads it").isEqualTo("ETC-LATIN1");
                }
            }
        } finally {
            for (Path p : planted(prefix)) {
                Files.deleteIfExists(p); // the listed Path keeps the name's bytes
            }
        }
        assertThat(planted(prefix)).isEmpty();
    }

    private static List<Path> planted(String prefix) throws Exception {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/etc"))) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(prefix)) {
                    found.add(entry);
                }
            }
        }
        return found;
    }
}
