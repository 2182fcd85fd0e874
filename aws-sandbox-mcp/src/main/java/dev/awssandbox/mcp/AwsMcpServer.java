package dev.awssandbox.mcp;

import dev.awssandbox.core.HostEnvironment;
import dev.awssandbox.core.SandboxException;
import dev.awssandbox.mcp.policy.AwsCli;
import dev.awssandbox.mcp.policy.PolicyConfig;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
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
            StdioTransport transport = new StdioTransport(json, in, out, RequestShapes.Names.server());
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

    /** The HTTP transports. */
    public enum HttpMode {
        /** Streamable HTTP at {@code /mcp}, with sessions ({@code Mcp-Session-Id}). */
        STREAMABLE("/mcp"),
        /**
         * Streamable HTTP at {@code /mcp} without sessions: any replica answers any request, so
         * several run behind an ordinary load balancer without sticky sessions. No server-to-client
         * requests (consent cannot be asked) and no notifications.
         */
        STATELESS("/mcp"),
        /** The legacy HTTP+SSE transport of older clients: events at {@code /sse}, messages posted to {@code /messages}. */
        SSE("/sse");

        private final String path;

        HttpMode(String path) {
            this.path = path;
        }

        /** Where a client connects. */
        public String path() {
            return path;
        }
    }

    /** The environment variable naming further Host values the HTTP transport answers to (deployments behind a name). */
    public static final String ALLOWED_HOSTS_ENV_VAR = "AWS_MCP_ALLOWED_HOSTS";

    /**
     * How long the HTTP transports keep a connection with no request in progress (Jetty's default is 30 s):
     * long enough that a request the server was too busy to read in time is still answered; clients close
     * their idle keep-alive connections much sooner (Node's fetch after 4 s, Python's httpx after 5 s).
     */
    static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** The path of the health endpoint of the HTTP transports (no token, no Host check; says nothing but "ok"). */
    public static final String HEALTH_PATH = "/health";

    /** Streamable HTTP with sessions: {@link #serveHttp(HostEnvironment, String, int, HttpMode, String)}. */
    public static HttpHandle serveHttp(HostEnvironment host, String bindHost, int port, String version) throws Exception {
        return serveHttp(host, bindHost, port, HttpMode.STREAMABLE, version);
    }

    /**
     * A token no client can send is refused (outside test WF29, F18): one of blanks only, or with blanks around it, had
     * started a server no client could use (HTTP strips them from a header's value), and a control character cannot be
     * sent at all. An empty one is none. A short one is said at start, where the server listens beyond loopback.
     */
    private static void checkToken(String token, boolean loopback) throws SandboxException {
        String why = token.isBlank() ? "is only blanks" : !token.equals(token.strip()) ? "has blanks around it, which HTTP strips"
                + " from the header a client sends it in" : token.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                ? "holds a control character, which no client sends in a header" : null;
        if (why != null) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, TOKEN_ENV_VAR + " " + why + "; set it to"
                    + " a random value (e.g. openssl rand -hex 32)", Optional.empty());
        }
        if (!loopback && token.length() < MIN_TOKEN_CHARS) {
            System.getLogger(AwsMcpServer.class.getName()).log(System.Logger.Level.WARNING, TOKEN_ENV_VAR + " has "
                    + token.length() + " characters, and the server listens beyond loopback: use at least "
                    + MIN_TOKEN_CHARS + " random ones (e.g. openssl rand -hex 32)");
        }
    }

    /** The shortest token that is not said at start to be too short for a server beyond loopback. */
    static final int MIN_TOKEN_CHARS = 32;

    /**
     * Serves MCP over HTTP at {@code http://HOST:PORT} + {@link HttpMode#path()}. A non-loopback host
     * requires a bearer token in {@link #TOKEN_ENV_VAR}; every MCP request must carry a Host naming
     * this server (or one of {@link #ALLOWED_HOSTS_ENV_VAR}) and, if it has an Origin, one of this
     * server's. With sessions, at most {@code AWS_MCP_MAX_SESSIONS} are held; one unused for
     * {@code AWS_MCP_SESSION_IDLE_TIMEOUT} ends. {@link #HEALTH_PATH} answers {@code {"status":"ok"}}.
     */
    public static HttpHandle serveHttp(HostEnvironment host, String bindHost, int port, HttpMode mode, String version)
            throws Exception {
        InetAddress address = InetAddress.getByName(bindHost);
        Optional<String> token = host.get(TOKEN_ENV_VAR);
        if (!address.isLoopbackAddress() && token.isEmpty()) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, "binding to " + bindHost
                    + " (not loopback) needs a bearer token: set " + TOKEN_ENV_VAR, Optional.empty());
        }
        if (token.isPresent()) {
            checkToken(token.get(), address.isLoopbackAddress());
        }
        List<String> allowedHosts = HttpGuard.allowedHosts(host.get(ALLOWED_HOSTS_ENV_VAR));
        ServerContext context = ServerContext.create(host);
        try {
            McpSettings settings = context.settings;
            McpJsonMapper json = McpJsonDefaults.getMapper();
            ServletContextHandler handler = new ServletContextHandler();
            // Jetty's own errors as JSON-RPC ones (RT19, F4); a path or method no servlet serves says what this server
            // serves (outside test WF29, F27: a client at /sse of a streamable-HTTP server got a bare 404)
            handler.setErrorHandler(new JsonRpcErrorPages.ForContext("this server serves MCP over " + (mode == HttpMode.SSE
                    ? "SSE: events at /sse, messages posted to /messages" : "streamable HTTP at /mcp")));
            Runnable closeMcp;
            List<String> guarded;
            switch (mode) {
                case STREAMABLE -> {
                    // the SDK drops a session that saw no request for a whole sweep interval (and has no open stream)
                    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
                            .builder().jsonMapper(json).mcpEndpoint("/mcp")
                            .sessionSweepInterval(settings.sessionIdleTimeout()).build();
                    McpSyncServer mcp = build(McpServer.sync(transport), context, json, version);
                    closeMcp = mcp::closeGracefully;
                    handler.addServlet(new ServletHolder(transport), "/mcp");
                    guarded = List.of("/mcp");
                }
                case STATELESS -> {
                    if (context.policy.config().requireConsent() || !context.policy.config().ask().isEmpty()) {
                        // said at start: every write had been refused without a word why (outside test WF29, F14)
                        System.getLogger(AwsMcpServer.class.getName()).log(System.Logger.Level.WARNING, "a stateless"
                                + " server cannot ask the user: every operation AWS_MCP_REQUIRE_CONSENT or AWS_MCP_ASK"
                                + " (or the policy file) puts to the user is refused; serve with sessions to ask");
                    }
                    HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                            .jsonMapper(json).messageEndpoint("/mcp").build();
                    McpStatelessSyncServer mcp = buildStateless(McpServer.sync(transport), context, json, version);
                    closeMcp = mcp::closeGracefully;
                    handler.addServlet(new ServletHolder(transport), "/mcp");
                    guarded = List.of("/mcp");
                }
                case SSE -> {
                    LegacySse sse = LegacySse.create(json);
                    McpSyncServer mcp = build(McpServer.sync(sse.provider()), context, json, version);
                    closeMcp = mcp::closeGracefully;
                    ServletHolder holder = new ServletHolder(sse.servlet());
                    handler.addServlet(holder, "/sse");
                    handler.addServlet(holder, "/messages");
                    guarded = List.of("/sse", "/messages");
                }
                default -> throw new IllegalStateException(mode.name());
            }
            handler.addServlet(new ServletHolder(new HealthServlet(version, mode)), HEALTH_PATH);

            // requests (and the commands they wait for) run on virtual threads: a burst of calls costs no
            // platform threads, and the pool's few platform threads only accept and select
            QueuedThreadPool threads = new QueuedThreadPool(8, 2);
            threads.setName("mcp-http");
            threads.setIdleTimeout(2_000); // a burst leaves no idle platform threads behind for long (one retires per timeout)
            threads.setReservedThreads(0);
            threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Server server = new Server(threads);
            server.setErrorHandler(new JsonRpcErrorPages.ForServer());
            ServerConnector connector = new ServerConnector(server);
            // Jetty closes a connection idle this long with no request in progress, and a request it has
            // not read yet counts as none: with Jetty's 30 s default, a request the server was too busy to
            // read within 30 s of the connection's last activity lost its connection unanswered (Node's
            // fetch: "fetch failed", other side closed). A request being handled is never cut by it.
            connector.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
            connector.setHost(address.getHostAddress()); // the address checked above, not a second lookup
            connector.setPort(port);
            server.addConnector(connector);
            List<String> names = List.of("127.0.0.1", "localhost", "[::1]", bindHost.contains(":") ? "[" + bindHost + "]" : bindHost);
            handler.addFilter(new FilterHolder(new HttpMethods()), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            for (String path : guarded) {
                handler.addFilter(new FilterHolder(new HttpGuard(names, connector::getLocalPort, token, allowedHosts)), path,
                        EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }
            for (String path : guarded) {
                handler.addFilter(new FilterHolder(new HttpErrorBodies()), path, EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }
            if (mode == HttpMode.SSE) {
                RunningCalls sseCalls = new RunningCalls(); // by session: a stream's end interrupts its calls
                SseMessageShapes messages = new SseMessageShapes(json, RequestShapes.Names.server(), sseCalls);
                handler.addFilter(new FilterHolder(new MethodFilter("GET", new SseSessionLimit(settings.maxSessions(),
                        messages))), "/sse",
                        EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(new FilterHolder(new MethodFilter("POST", messages)),
                        "/messages", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }
            if (mode == HttpMode.STREAMABLE) {
                handler.addFilter(new FilterHolder(new HttpSessionLimit(settings.maxSessions(), settings.sessionIdleTimeout())),
                        "/mcp", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }
            if (mode != HttpMode.SSE) { // SSE's calls end with their stream (SseSessionLimit) or a cancellation (SseMessageShapes)
                HttpCancellation cancellation = new HttpCancellation(json, RequestShapes.Names.server());
                handler.addFilter(new FilterHolder(new MethodFilter("POST", cancellation)), "/mcp",
                        EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(new FilterHolder(new MethodFilter("DELETE", cancellation::endSession)), "/mcp",
                        EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(new FilterHolder(new MethodFilter("GET", cancellation::openStream)), "/mcp",
                        EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            }
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
                        closeMcp.run();
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

    /**
     * The SDK's HTTP+SSE transport, the protocol of older clients. The SDK deprecates it with the
     * protocol (superseded by streamable HTTP), but it is the one those clients speak; it is used
     * here only, as the provider and the servlet it also is.
     */
    private record LegacySse(io.modelcontextprotocol.spec.McpServerTransportProvider provider,
                             jakarta.servlet.http.HttpServlet servlet) {
        @SuppressWarnings("deprecation")
        static LegacySse create(McpJsonMapper json) {
            io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider transport =
                    io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider.builder()
                            .jsonMapper(json).sseEndpoint("/sse").messageEndpoint("/messages")
                            .keepAliveInterval(Duration.ofSeconds(30)).build();
            return new LegacySse(transport, transport);
        }
    }

    /** {@code GET /health}: 200 and {@code {"status":"ok",...}} while the server runs. */
    private static final class HealthServlet extends jakarta.servlet.http.HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String body;

        HealthServlet(String version, HttpMode mode) {
            this.body = "{\"status\":\"ok\",\"server\":\"" + NAME + "\",\"version\":\"" + version.replace("\"", "")
                    + "\",\"transport\":\"" + mode.name().toLowerCase(java.util.Locale.ROOT) + "\"}";
        }

        @Override
        protected void doGet(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
                throws java.io.IOException {
            response.setStatus(200);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The effective policy with where each value came from, as {@code aws-sandbox mcp --print-policy} shows it. */
    public static Map<String, Object> effectivePolicy(HostEnvironment host) throws SandboxException {
        try {
            PolicyConfig config = PolicyConfig.load(host);
            // its patterns against the AWS CLI the server would run, where there is one (the server refuses to start
            // without it, saying so)
            Optional<java.nio.file.Path> data = AwsCli.locate(host);
            if (data.isPresent()) {
                config.requireCommandsOf(AwsCli.load(data.get()));
            }
            Map<String, Object> described = new java.util.LinkedHashMap<>(config.describe());
            // the server's own endpoints, which are allowed too (outside test WF30, F18: --print-policy had left them out)
            List<String> own = host.variables().entrySet().stream()
                    .filter(e -> e.getKey().equals("AWS_ENDPOINT_URL") || e.getKey().startsWith("AWS_ENDPOINT_URL_"))
                    .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
            if (!own.isEmpty()) {
                described.put("serverEndpoints", Map.of("value", own, "from", "the server's environment: the AWS CLI gets"
                        + " these variables, and --endpoint-url may name them too"));
            }
            return described;
        } catch (PolicyConfig.Invalid e) {
            throw new SandboxException(SandboxException.Kind.INVALID_REQUEST, e.getMessage(), Optional.empty());
        }
    }

    static McpSyncServer build(McpServer.SyncSpecification<?> spec, ServerContext context, McpJsonMapper json,
                               String version) {
        return build(spec, context, context.policy, json, version);
    }

    /**
     * The stateless server: the same tools, resources and prompts, each handler called without a
     * session (no progress, log notifications or consent questions can be sent).
     */
    static McpStatelessSyncServer buildStateless(McpServer.StatelessSyncSpecification spec, ServerContext context,
                                                 McpJsonMapper json, String version) {
        spec.immediateExecution(true);
        spec.validateToolInputs(false);
        CallGate gate = new CallGate(context.settings.maxConcurrentCalls());
        AwsTools tools = new AwsTools(context, context.policy, gate);
        AwsResources resources = new AwsResources(context, json, gate);
        return spec.serverInfo(NAME, version)
                .instructions(Instructions.of(context) + " This server is stateless: it cannot ask the user for consent.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false).build())
                .requestTimeout(context.settings.maxTimeout().plus(Duration.ofSeconds(30)))
                .tools(tools.specifications().stream().map(t -> McpStatelessServerFeatures.SyncToolSpecification.builder()
                        .tool(t.tool()).callHandler((ctx, request) -> t.callHandler().apply(null, request)).build()).toList())
                .resources(resources.resources().stream().map(r -> new McpStatelessServerFeatures.SyncResourceSpecification(
                        r.resource(), (ctx, request) -> r.readHandler().apply(null, request))).toList())
                .resourceTemplates(resources.templates().stream().map(r ->
                        new McpStatelessServerFeatures.SyncResourceTemplateSpecification(r.resourceTemplate(),
                                (ctx, request) -> r.readHandler().apply(null, request))).toList())
                .prompts(AwsPrompts.specifications(context.policy.config()).stream().map(p -> new McpStatelessServerFeatures.SyncPromptSpecification(
                        p.prompt(), (ctx, request) -> p.promptHandler().apply(null, request))).toList())
                .build();
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
                .prompts(AwsPrompts.specifications(context.policy.config()))
                .build();
    }
}
