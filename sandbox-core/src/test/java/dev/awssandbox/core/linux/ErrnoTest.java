package dev.awssandbox.core.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** errno values are shown by name and wording, never as a bare number ("errno 24", issue 14, item 6). */
class ErrnoTest {

    @Test
    void everyValueLinuxDefinesHasItsNameAndTheCLibrarysWording() {
        assertThat(Errno.describe(Errno.EMFILE)).isEqualTo("EMFILE (Too many open files)");
        assertThat(Errno.describe(Errno.ENFILE)).isEqualTo("ENFILE (Too many open files in system)");
        assertThat(Errno.describe(Errno.EACCES)).isEqualTo("EACCES (Permission denied)");
        // beyond the old table's last entries: what pidfd_open, waitid and friends may return
        assertThat(Errno.describe(75)).isEqualTo("EOVERFLOW (Value too large for defined data type)");
        assertThat(Errno.describe(125)).isEqualTo("ECANCELED (Operation canceled)");
        assertThat(Errno.describe(133)).isEqualTo("EHWPOISON (Memory page has hardware error)");
        Set<Integer> unused = Set.of(41, 58); // asm-generic defines no value there
        for (int errno = 1; errno <= 133; errno++) {
            if (!unused.contains(errno)) {
                assertThat(Errno.describe(errno)).as("errno value %d", errno).matches("E[A-Z0-9]+ \\(.+\\)");
            }
        }
    }

    @Test
    void aValueLinuxDoesNotDefineIsStillNotABareNumber() {
        for (int errno : new int[] {0, 41, 58, 134, 4095, -1}) {
            assertThat(Errno.describe(errno)).startsWith("unknown error " + errno + " (").doesNotStartWith("errno");
        }
    }

    @Test
    void anErrnoExceptionNamesTheCallAndTheError() {
        assertThat(new ErrnoException("pidfd_open(123)", Errno.EMFILE))
                .hasMessage("pidfd_open(123): EMFILE (Too many open files)");
    }
}
