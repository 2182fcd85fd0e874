package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.PolicyConfig;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The MCP server: a drop-in for the reference Python server (same tools, arguments and
 * environment variables), every command checked by the AWS command policy and run through
 * sandbox-core.
 */
public final class AwsMcpServer {
    public static final String NAME = "aws-sandbox";

    /** The environment variable that holds the bearer token of the HTTP transport. */
    public static final String TOKEN_ENV_VAR = "AWS_MCP_AUTH_TOKEN";

    private AwsMcpServer() {}

    /**
     * Serves MCP over stdio until the client closes our stdin, then returns. Messages go to
     * {@code out}; nothing else may be written there.
     */
    public static void serveStdio(HostEnvironment host, InputStream in, OutputStream out, String version)
            throws SandboxException {
        try (ServerContext context = ServerContext.create(host)) {
            McpJsonMapper json = McpJsonDefaults.getMapper();
            StdioTransport transport = new StdioTransport(json, in, out);
            McpSyncServer server = build(McpServer.sync(transport), context, json, version);
            try {
                transport.serve();
            } catch (java.io.IOException e) {
                throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot read MCP messages from stdin: "
                        + e.getMessage(), Optional.empty(), e);
            } finally {
                server.closeGracefully();
            }
        }
    }

    /** A running HTTP server. */
    public interface HttpHandle extends AutoCloseable {
        /** The port it listens on (useful with port 0). */
        int port();

        /** Blocks until the server stops. */
        void join() throws InterruptedException;

        /** Stops the server and removes its private state. */
        @Override
        void close();
    }

    /**
     * Serves MCP over streamable HTTP at {@code http://HOST:PORT/mcp}. A non-loopback host requires
     * a bearer token in {@link #TOKEN_ENV_VAR}; every request must carry a Host naming this server
     * and, if it has an Origin, one of this server's. At most {@code AWS_MCP_MAX_SESSIONS} sessions
     * are held; one unused for {@code AWS_MCP_SESSION_IDLE_TIMEOUT} ends.
     */
    public static HttpHandle serveHttp(HostEnvironment host, String bindHost, int port, String version) throws Exception {
        InetAddress address = InetAddress.getByName(bindHost);
        Optional<String> token = host.get(TOKEN_ENV_VAR);
        if (!address.isLoopbackAddress() && token.isEmpty()) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, "binding to " + bindHost
                    + " (not loopback) needs a bearer token: set " + TOKEN_ENV_VAR, Optional.empty());
        }
        ServerContext context = ServerContext.create(host);
        try {
            McpSettings settings = context.settings;
            McpJsonMapper json = McpJsonDefaults.getMapper();
            // the SDK drops a session that saw no request for a whole sweep interval (and has no open stream)
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(json).mcpEndpoint("/mcp").sessionSweepInterval(settings.sessionIdleTimeout()).build();
            McpSyncServer mcp = build(McpServer.sync(transport), context, json, version);

            // requests (and the commands they wait for) run on virtual threads: a burst of calls costs no
            // platform threads, and the pool's few platform threads only accept and select
            QueuedThreadPool threads = new QueuedThreadPool(8, 2);
            threads.setName("mcp-http");
            threads.setIdleTimeout(2_000); // a burst leaves no idle platform threads behind for long (one retires per timeout)
            threads.setReservedThreads(0);
            threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Server server = new Server(threads);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(address.getHostAddress()); // the address checked above, not a second lookup
            connector.setPort(port);
            server.addConnector(connector);
            ServletContextHandler handler = new ServletContextHandler();
            handler.addServlet(new ServletHolder(transport), "/mcp");
            List<String> names = List.of("127.0.0.1", "localhost", "[::1]", bindHost.contains(":") ? "[" + bindHost + "]" : bindHost);
            handler.addFilter(new FilterHolder(new HttpGuard(names, connector::getLocalPort, token)), "/*",
                    EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            handler.addFilter(new FilterHolder(new HttpSessionLimit(settings.maxSessions(), settings.sessionIdleTimeout())),
                    "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            server.setHandler(handler);
            server.start();
            int actual = connector.getLocalPort();
            return new HttpHandle() {
                @Override
                public int port() {
                    return actual;
                }

                @Override
                public void join() throws InterruptedException {
                    server.join();
                }

                @Override
                public void close() {
                    try {
                        mcp.closeGracefully();
                        server.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot stop the MCP HTTP server: " + e.getMessage(), e);
                    } finally {
                        context.close();
                    }
                }
            };
        } catch (Exception | Error e) {
            context.close();
            throw e;
        }
    }

    /** The effective policy with where each value came from, as {@code aws-sandbox mcp --print-policy} shows it. */
    public static Map<String, Object> effectivePolicy(HostEnvironment host) throws SandboxException {
        try {
            return PolicyConfig.load(host).describe();
        } catch (PolicyConfig.Invalid e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), Optional.empty());
        }
    }

    static McpSyncServer build(McpServer.SyncSpecification<?> spec, ServerContext context, McpJsonMapper json,
                               String version) {
        return build(spec, context, context.policy, json, version);
    }

    /** With another policy than the context's: tests only (a policy without its argument rules). */
    static McpSyncServer build(McpServer.SyncSpecification<?> spec, ServerContext context,
                               dev.awssandbox.mcp.policy.AwsCommandPolicy policy, McpJsonMapper json, String version) {
        // tools run on the thread that received the call (a virtual thread of the stdio transport or of
        // Jetty), not on Reactor's shared bounded-elastic pool
        spec.immediateExecution(true);
        // the tools check their own arguments, with messages a model can act on, and accept what the
        // reference server accepted ("timeout": "30"); the SDK's schema check would refuse it first
        spec.validateToolInputs(false);
        CallGate gate = new CallGate(context.settings.maxConcurrentCalls());
        AwsTools tools = new AwsTools(context, policy, gate);
        AwsResources resources = new AwsResources(context, json, gate);
        return spec.serverInfo(NAME, version)
                .instructions(Instructions.of(context))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false)
                        .logging().build())
                .requestTimeout(context.settings.maxTimeout().plus(Duration.ofSeconds(30)))
                .tools(tools.specifications())
                .resources(resources.resources())
                .resourceTemplates(resources.templates())
                .prompts(AwsPrompts.specifications())
                .build();
    }
}
