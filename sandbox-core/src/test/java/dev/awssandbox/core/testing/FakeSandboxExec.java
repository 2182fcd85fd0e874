package dev.awssandbox.core.testing;

import dev.awssandbox.core.backend.SeatbeltBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in for macOS's {@code /usr/bin/sandbox-exec}, to run the Seatbelt launch path on
 * Linux: it checks the shape of its arguments ({@code -p PROFILE}, {@code -D NAME=VALUE}…,
 * {@code --}, the command), records them, and execs the command <em>without any sandbox</em>.
 * Or it fails the way sandbox-exec fails, with a message and exit 71.
 */
public final class FakeSandboxExec {
    private final Path script;
    private final Path record;

    private FakeSandboxExec(Path script, Path record) {
        this.script = script;
        this.record = record;
    }

    /** One that execs its command, in {@code dir}. */
    public static FakeSandboxExec passingThrough(Path dir) {
        Path record = dir.resolve("sandbox-exec.argv");
        return write(dir, record, """
                #!/bin/sh
                # stand-in for macOS sandbox-exec: check the argument shape, record it, exec the command unsandboxed
                printf '%s\\0' "$@" > RECORD
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -p|-D) [ $# -ge 2 ] || { echo "sandbox-exec: $1 needs a value" >&2; exit 64; }; shift 2 ;;
                    --) shift; exec "$@" ;;
                    *) echo "sandbox-exec stand-in: expected -- before the command, got $1" >&2; exit 64 ;;
                  esac
                done
                echo "sandbox-exec stand-in: no command" >&2
                exit 64
                """.replace("RECORD", record.toString()));
    }

    /** One that fails as sandbox-exec does, e.g. inside an already sandboxed parent. */
    public static FakeSandboxExec failing(Path dir, String message) {
        return write(dir, dir.resolve("unused"), "#!/bin/sh\necho 'sandbox-exec: " + message + "' >&2\nexit 71\n");
    }

    private static FakeSandboxExec write(Path dir, Path record, String text) {
        try {
            Path script = dir.resolve("sandbox-exec");
            Files.writeString(script, text);
            if (!script.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + script + " executable");
            }
            return new FakeSandboxExec(script, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return script;
    }

    /** The arguments of the last run (without argv[0]). */
    public List<String> lastArguments() {
        try {
            String all = Files.readString(record, StandardCharsets.UTF_8);
            return Arrays.asList(all.substring(0, all.length() - 1).split("\0", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A probe for a simulated macOS 14.5 whose sandbox-exec is this stand-in. */
    public SeatbeltBackend.PlatformProbe macProbe() {
        Path sandboxExec = script;
        return new SeatbeltBackend.PlatformProbe() {
            @Override
            public String osName() {
                return "Mac OS X";
            }

            @Override
            public String osVersion() {
                return "14.5";
            }

            @Override
            public boolean isExecutable(Path path) {
                return Files.isExecutable(path);
            }

            @Override
            public Path sandboxExec() {
                return sandboxExec;
            }
        };
    }
}
