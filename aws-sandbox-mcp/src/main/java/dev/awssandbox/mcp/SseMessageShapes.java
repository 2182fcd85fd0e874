package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The legacy SSE transport's {@code POST /messages}: a request whose shape the SDK cannot bind is answered here, and a
 * notification the server does not use is taken here ({@link RequestShapes}), as on the other transports. The SDK's SSE
 * transport answered an {@code initialize} without params with {@code -32603} and a {@code NullPointerException}'s
 * text on the event stream, one with {@code "capabilities": []} with Jackson's, and held a
 * {@code notifications/roots/list_changed}'s POST until the client answered a roots question the server has no use
 * for (outside test RT10, F3). The answer to such a request cannot go on the event stream from here, so it is the
 * POST's answer, 400 with the JSON-RPC error, as the SDK answers a message it cannot parse.
 * <p>
 * It also acts on {@code notifications/cancelled}, as {@link HttpCancellation} does for streamable HTTP: the SDK holds
 * a request's POST, on the thread that runs it, until its answer is on the event stream, so a cancellation interrupts
 * that thread ({@link RunningCalls}). So does the end of the session's event stream, its client's departure
 * ({@link SseSessionLimit}); a POST that ends first (a proxy's timeout) does not, since the answer goes on the stream.
 * <p>
 * A request other than {@code initialize} before its session's {@code notifications/initialized} is refused here, as the
 * stdio transport refuses it: the SDK held its POST until the client sent that notification, for ever if it never did,
 * and answered it 500 with an {@code InterruptedException}'s name when the stream ended (outside tests RT11, F3; RT22,
 * F3). A ping is refused too: over SSE its answer would go on the stream, which is the SDK's to write.
 */
final class SseMessageShapes implements MethodFilter.Http, SseSessionLimit.Sessions {
    private final McpJsonMapper json;
    private final RequestShapes.Names names;
    private final RunningCalls running;
    /** The open streams' sessions, each true once its client has posted {@code notifications/initialized}. */
    private final ConcurrentMap<String, Boolean> initialized = new ConcurrentHashMap<>();

    SseMessageShapes(McpJsonMapper json, RequestShapes.Names names, RunningCalls running) {
        this.json = json;
        this.names = names;
        this.running = running;
    }

    @Override
    public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // the SDK answered a body that is not JSON 500, "Failed to read value" (outside test RT11, F5)
        Optional<HttpCancellation.Post> post = HttpCancellation.Post.read(json, request, response, chain);
        if (post.isEmpty()) {
            return;
        }
        byte[] body = post.get().body();
        HttpServletRequest replay = post.get().replay();
        Object message = post.get().message();
        if (!(message instanceof Map<?, ?>)) { // null, a number, a batch (the SDK: 500)
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(null,
                    McpSchema.ErrorCodes.INVALID_REQUEST,
                    "invalid request: a JSON-RPC message is an object (batches are not taken)"));
            return;
        }
        if (RequestShapes.isUnused(message)) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        Optional<RequestShapes.Problem> problem = RequestShapes.check(message, names);
        if (problem.isEmpty() && !(((Map<?, ?>) message).get("method") instanceof String)
                && !HttpCancellation.bindsAsAMessage(json, body)) {
            // a response of the wrong shape ("error": null, an id that is an array): the SDK answered 500 with Jackson's
            // text, naming its classes (outside test RT16, F3); over streamable HTTP it is a 400 too
            problem = Optional.of(new RequestShapes.Problem(null, McpSchema.ErrorCodes
                    .INVALID_REQUEST, "invalid request: not a JSON-RPC request, notification or response"));
        }
        if (problem.isPresent()) {
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, problem.get());
            return;
        }
        Map<?, ?> m = (Map<?, ?>) message;
        String session = request.getParameter("sessionId");
        if (session == null) {
            chain.doFilter(replay, response); // the SDK says what is missing
            return;
        }
        // the SDK does not act on a cancellation ("No handler registered"), and the call ran to its end or its timeout
        // (outside test RT11, F11). Its answer, which goes on the event stream, is the tool's "cancelled" result: MCP asks
        // a server not to send one (SHOULD NOT), and that stream is the SDK's
        if (running.cancelIfCancellation(session, m)) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        Object id = m.get("method") != null ? m.get("id") : null;
        if (id == null && McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(m.get("method"))) {
            // taken as initialized before the SDK answers: a client may post its next request as soon as it has the answer
            initialized.replace(session, true);
        }
        if (id == null) {
            chain.doFilter(replay, response);
            return;
        }
        if (Boolean.FALSE.equals(initialized.get(session)) && !McpSchema.METHOD_INITIALIZE.equals(m.get("method"))) {
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(id,
                    McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: the session is not initialized; post"
                    + " notifications/initialized after the initialize answer, then this request again"));
            return;
        }
        // the SDK handles a POST on its own thread until the request's answer is sent: interrupting that thread ends the call
        Optional<RunningCalls.Call> call = running.start(session, id);
        if (call.isEmpty()) {
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, RunningCalls.inUse(id));
            return;
        }
        try {
            chain.doFilter(replay, response);
        } finally {
            call.get().end();
        }
    }

    @Override
    public void opened(String session) {
        initialized.putIfAbsent(session, false);
    }

    @Override
    public void ended(String session) {
        initialized.remove(session);
        running.interruptAll(session);
    }
}
