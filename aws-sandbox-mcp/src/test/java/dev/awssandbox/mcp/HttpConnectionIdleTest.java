package dev.awssandbox.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awssandbox.core.HostEnvironment;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request the server reads late is still answered: Jetty closes a connection idle for its idle
 * timeout with no request in progress, and a request it has not read yet is none. With Jetty's 30 s
 * default, a burst of calls on a loaded machine lost calls that way ("fetch failed", other side
 * closed, in Node's fetch). Here the request comes 31 s after the connection opened.
 */
class HttpConnectionIdleTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @Test
    void aRequestReadMoreThanThirtySecondsAfterTheConnectionsLastActivityIsAnswered() throws Exception {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put("AWS_MCP_SANDBOX", "disabled");
        try (AwsMcpServer.HttpHandle server = AwsMcpServer.serveHttp(HostEnvironment.current().withVariables(vars),
                "127.0.0.1", 0, "test");
             Socket socket = new Socket("127.0.0.1", server.port())) {
            Thread.sleep(31_000); // past Jetty's default idle timeout, as a request the server was too busy to read
            byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 200"; nothing if the server closed the connection
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        }
    }
}
