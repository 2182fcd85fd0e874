package dev.awssandbox.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The text of a small /proc file, and the pid lists some of them hold. */
final class ProcText {
    private ProcText() {}

    /**
     * The file's text, or empty when it cannot be read (the process is gone). Read as a stream:
     * /proc files report size 0, by which {@code Files.readAllBytes} would size its buffer.
     */
    static Optional<String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The pids a {@code children} file lists, or empty when it cannot be read. */
    static Optional<List<Integer>> pids(Path childrenFile) {
        return read(childrenFile).map(text -> {
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
