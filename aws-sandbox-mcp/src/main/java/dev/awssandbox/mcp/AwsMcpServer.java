package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.Sandbox;
import dev.awssandbox.core.SandboxException;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The MCP server: a drop-in for the reference Python server (same tools, arguments and
 * environment variables), every command run through sandbox-core.
 */
public final class AwsMcpServer {
    public static final String NAME = "aws-sandbox";

    private AwsMcpServer() {}

    /**
     * Serves MCP over stdio until the client closes our stdin, then returns. Messages go to
     * {@code out}; nothing else may be written there.
     */
    public static void serveStdio(HostEnvironment host, InputStream in, OutputStream out, String version)
            throws SandboxException, InterruptedException {
        Setup setup = setup(host);
        McpJsonMapper json = McpJsonDefaults.getMapper();
        StdioTransport transport = new StdioTransport(json, in, out);
        McpSyncServer server = build(McpServer.sync(transport), setup.sandbox(), setup.settings(), json, version);
        try {
            transport.serve();
        } catch (java.io.IOException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot read MCP messages from stdin: " + e.getMessage(),
                    java.util.Optional.empty(), e);
        } finally {
            server.closeGracefully();
        }
    }

    /** The environment variable that holds the bearer token of the HTTP transport. */
    public static final String TOKEN_ENV_VAR = "AWS_MCP_AUTH_TOKEN";

    /** A running HTTP server. */
    public interface HttpHandle extends AutoCloseable {
        /** The port it listens on (useful with port 0). */
        int port();

        /** Blocks until the server stops. */
        void join() throws InterruptedException;

        @Override
        void close() throws Exception;
    }

    /**
     * Serves MCP over streamable HTTP at {@code http://HOST:PORT/mcp}. A non-loopback host requires
     * a bearer token in {@link #TOKEN_ENV_VAR}; every request must carry a Host naming this server
     * and, if it has an Origin, one of this server's.
     */
    public static HttpHandle serveHttp(HostEnvironment host, String bindHost, int port, String version) throws Exception {
        java.net.InetAddress address = java.net.InetAddress.getByName(bindHost);
        java.util.Optional<String> token = host.get(TOKEN_ENV_VAR);
        if (!address.isLoopbackAddress() && token.isEmpty()) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, "binding to " + bindHost
                    + " (not loopback) needs a bearer token: set " + TOKEN_ENV_VAR, java.util.Optional.empty());
        }
        Setup setup = setup(host);
        Sandbox sandbox = setup.sandbox();
        McpSettings settings = setup.settings();
        McpJsonMapper json = McpJsonDefaults.getMapper();
        io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider transport =
                io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider.builder()
                        .jsonMapper(json).mcpEndpoint("/mcp").build();
        McpSyncServer mcp = build(McpServer.sync(transport), sandbox, settings, json, version);

        // requests (and the commands they wait for) run on virtual threads: a burst of calls costs no
        // platform threads, and the pool's few platform threads only accept and select
        org.eclipse.jetty.util.thread.QueuedThreadPool threads = new org.eclipse.jetty.util.thread.QueuedThreadPool(8, 2);
        threads.setName("mcp-http");
        threads.setIdleTimeout(2_000); // a burst leaves no idle platform threads behind for long (one retires per timeout)
        threads.setReservedThreads(0);
        threads.setVirtualThreadsExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server(threads);
        org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server);
        connector.setHost(address.getHostAddress()); // the address checked above, not a second lookup
        connector.setPort(port);
        server.addConnector(connector);
        org.eclipse.jetty.ee11.servlet.ServletContextHandler context = new org.eclipse.jetty.ee11.servlet.ServletContextHandler();
        context.addServlet(new org.eclipse.jetty.ee11.servlet.ServletHolder(transport), "/mcp");
        java.util.List<String> names = java.util.List.of("127.0.0.1", "localhost", "[::1]",
                bindHost.contains(":") ? "[" + bindHost + "]" : bindHost);
        context.addFilter(new org.eclipse.jetty.ee11.servlet.FilterHolder(
                        new HttpGuard(names, connector::getLocalPort, token)), "/*",
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        server.setHandler(context);
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
            public void close() throws Exception {
                mcp.closeGracefully();
                server.stop();
            }
        };
    }

    record Setup(Sandbox sandbox, McpSettings settings) {}

    /** The sandbox and settings from the environment; the backend is selected now, so that a required
     * sandbox that cannot run fails at start, not at the first call. */
    static Setup setup(HostEnvironment serverHost) throws SandboxException {
        // Commands work in a private scratch directory, never in the server's working directory:
        // 'aws s3 cp s3://x ./.git/config' must not plant files the user runs later (found in review).
        java.nio.file.Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("aws-sandbox-mcp-").toRealPath();
        } catch (java.io.IOException e) {
            throw new SandboxException(SandboxException.Kind.SYSTEM, "cannot create a scratch directory: " + e.getMessage(),
                    java.util.Optional.empty(), e);
        }
        java.util.Map<String, String> vars = new java.util.HashMap<>(serverHost.variables());
        vars.put("TMPDIR", scratch.toString());
        HostEnvironment host = serverHost.withVariables(vars).withWorkingDirectory(scratch);
        Sandbox configured = Sandbox.fromEnvironment(host);
        Sandbox sandbox = Sandbox.builder().host(host).mode(configured.mode())
                .policy(configured.policy().toBuilder(host).writePaths(java.util.List.of(scratch)).build())
                .build();
        try {
            McpSettings settings = McpSettings.fromEnvironment(host);
            sandbox.backend();
            return new Setup(sandbox, settings);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), java.util.Optional.empty());
        }
    }

    static McpSyncServer build(McpServer.SyncSpecification<?> spec, Sandbox sandbox, McpSettings settings,
                               McpJsonMapper json, String version) {
        // tools run on the thread that received the call (a virtual thread of the stdio transport or of
        // Jetty), not on Reactor's shared bounded-elastic pool
        spec.immediateExecution(true);
        CallGate gate = new CallGate(settings.maxConcurrentCalls());
        AwsTools tools = new AwsTools(sandbox, settings, gate);
        AwsResources resources = new AwsResources(sandbox, settings, json, gate);
        return spec.serverInfo(NAME, version)
                .instructions("The AWS CLI in a sandbox: aws_cli_help for documentation, aws_cli_pipeline to run"
                        + " 'aws …' optionally piped into text filters. No shell; only '|' joins commands.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).build())
                .requestTimeout(settings.maxTimeout().plus(Duration.ofSeconds(30)))
                .tools(tools.specifications())
                .resources(resources.resources())
                .resourceTemplates(resources.templates())
                .build();
    }
}
