package dev.awssandbox.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.process.PrivateTemp;
import dev.awssandbox.core.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidDirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void eachFreshDirectoryIsNewAndOwnerOnly() throws Exception {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            Path fresh = PidDirectories.fresh(dir, "t-");
            assertThat(Files.isDirectory(fresh, LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(Files.getPosixFilePermissions(fresh, LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(fresh.getParent()).isEqualTo(dir);
            assertThat(fresh.getFileName().toString()).matches("t-\\d+");
            made.add(fresh);
        }
        assertThat(made).hasSize(50);
    }

    /**
     * A command's private temporary directory (and the per-JVM root it lies in) is made without the JDK's
     * {@code SecureRandom}, whose first use loads the security providers (milliseconds of a command-line run's
     * first command). Control: the JDK's own {@code Files.createTempDirectory}, in the same child, does load them.
     */
    @Test
    void aCommandsPrivateTemporaryDirectoryLoadsNoSecurityProvider() throws Exception {
        assertThat(classesInitializedBy("private-temp")).contains("dev/awssandbox/core/process/PrivateTemp'")
                .doesNotContain("java/security/SecureRandom'");
        assertThat(classesInitializedBy("jdk")).as("control").contains("java/security/SecureRandom'");
    }

    private String classesInitializedBy(String mode) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve(mode));
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-Xlog:class+init=info:stdout", "-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED",
                "-cp", ChildJvm.classPath(), Child.class.getName(), mode).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("made " + tmp.toRealPath());
        return out;
    }

    /** Makes a command's private temporary directory, or a JDK temporary directory, below java.io.tmpdir. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path made;
            if (List.of(args).contains("jdk")) {
                made = Files.createTempDirectory("jdk-");
            } else {
                try (PrivateTemp temporary = PrivateTemp.create()) {
                    made = temporary.path();
                }
            }
            System.out.println("made " + made.toRealPath().getParent().toString().replaceFirst("/aws-sandbox-tmp-[^/]*$", ""));
        }
    }
}
