package dev.awssandbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged MCP stdio server exits when its stdin closes even if its client never read its answers (outside test
 * RT11, F12): the pipe full, an answer blocked in its write, the exit had flushed standard output and waited for that
 * write for ever. Control: the same client that reads gets its answers and the server exits too.
 */
class McpStdioUnreadExitIT {
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
            + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n";

    private static Process server(Path err) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/aws-sandbox.jar").toString(), "mcp")
                .redirectError(err.toFile()).start();
    }

    /** initialize, then 300 tools/list: ~1.5 MB of answers, far past a pipe's 64 KiB. */
    private static void ask(OutputStream in) throws Exception {
        StringBuilder requests = new StringBuilder(INIT);
        for (int id = 100; id < 400; id++) {
            requests.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id).append(",\"method\":\"tools/list\"}\n");
        }
        in.write(requests.toString().getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void theServerExitsWhenStdinClosesThoughItsAnswersAreUnread() throws Exception {
        Path err = Files.createTempFile("aws-sandbox-mcp", ".err");
        try {
            unreadAndRead(err);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void unreadAndRead(Path err) throws Exception {
        Process unread = server(err);
        try {
            ask(unread.getOutputStream());
            Thread.sleep(5_000); // the answers fill the pipe, the rest block in their writes
            assertThat(unread.isAlive()).as(Files.readString(err)).isTrue();
            unread.getOutputStream().close();
            // a bound for liveness, not speed: a CI host running the HTTP load test beside it took more than 20 s
            assertThat(unread.waitFor(60, TimeUnit.SECONDS)).as("exited, its answers unread; " + Files.readString(err))
                    .isTrue();
        } finally {
            unread.destroyForcibly().waitFor();
        }

        Process read = server(err);
        try {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    read.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // the server is gone
                }
            });
            ask(read.getOutputStream());
            Thread.sleep(5_000);
            read.getOutputStream().close();
            assertThat(read.waitFor(60, TimeUnit.SECONDS)).as("control: exited, its answers read").isTrue();
            reader.join(5_000);
        } finally {
            read.destroyForcibly().waitFor();
        }
        assertThat(List.of(unread.exitValue(), read.exitValue())).as("exit codes").containsOnly(0);
    }
}
