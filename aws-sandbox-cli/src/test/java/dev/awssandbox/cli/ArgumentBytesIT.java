package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An argument the JVM cannot decode is refused, not passed on changed (workflow finding F21: {@code printf '%s'
 * $'a\xffb'} printed {@code a}, U+FFFD's three bytes and {@code b}; under {@code LC_ALL=C} an {@code é} became two
 * U+FFFD). Each command is started by a shell, so that the argument's bytes reach the CLI as given. Controls: the same
 * UTF-8 argument under a UTF-8 locale is passed on byte for byte.
 */
class ArgumentBytesIT {

    private record Run(int code, byte[] stdout, String stderr) {}

    /** The CLI's jar run with {@code locale}, its last argument the bytes {@code printf} makes of {@code escaped}. */
    private static Run printfThrough(String locale, String escaped) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/aws-sandbox.jar").toAbsolutePath().toString();
        Process p = new ProcessBuilder("sh", "-c", "exec env LC_ALL=" + locale + " '" + java
                + "' --enable-native-access=ALL-UNNAMED -jar '" + jar + "' run -- printf %s \"$(printf '" + escaped + "')\"")
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void bytesTheLocaleCannotDecodeAreRefusedNotReplaced() throws Exception {
        Requirements.requireLandlock();
        Run invalid = printfThrough("C.UTF-8", "a\\377b");
        assertThat(invalid.code()).as(invalid.stderr()).isEqualTo(2);
        assertThat(invalid.stdout()).as("nothing was run").isEmpty();
        assertThat(invalid.stderr()).contains("aws-sandbox: error: argument 5").contains("not text in this locale's encoding")
                .contains("LC_ALL=C.UTF-8");

        Run ascii = printfThrough("C", "a\\303\\251b");
        assertThat(ascii.code()).as(ascii.stderr()).isEqualTo(2);
        assertThat(ascii.stdout()).isEmpty();

        Run control = printfThrough("C.UTF-8", "a\\303\\251b");
        assertThat(control.code()).as(control.stderr()).isZero();
        assertThat(control.stdout()).isEqualTo(new byte[] {'a', (byte) 0xc3, (byte) 0xa9, 'b'});
    }
}
