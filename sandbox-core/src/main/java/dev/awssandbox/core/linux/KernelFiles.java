package dev.awssandbox.core.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The text of the small files the kernel makes up as they are read ({@code /proc}, cgroupfs). They report size 0,
 * by which {@code Files.readAllBytes} and {@code Files.readString} size their buffer (the latter returned only "4" of
 * {@code cap_last_cap}'s "40": {@code CapabilitiesTest}), so they are read as streams.
 */
public final class KernelFiles {
    private KernelFiles() {}

    /** The file's text. */
    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The file's text, or empty when it cannot be read (its process is gone). */
    public static Optional<String> readIfPresent(Path file) {
        try {
            return Optional.of(read(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The number the file holds, or {@code otherwise} when it cannot be read as one. */
    public static int readInt(Path file, int otherwise) {
        try {
            return readIfPresent(file).map(String::strip).map(Integer::parseInt).orElse(otherwise);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The pids a {@code children} file lists, or empty when it cannot be read. */
    public static Optional<List<Integer>> pids(Path childrenFile) {
        return readIfPresent(childrenFile).map(text -> {
            List<Integer> pids = new ArrayList<>();
            for (String word : text.strip().split(" ")) {
                if (!word.isEmpty()) {
                    try {
                        pids.add(Integer.parseInt(word));
                    } catch (NumberFormatException e) {
                        // not a pid: the kernel writes none such
                    }
                }
            }
            return pids;
        });
    }
}
