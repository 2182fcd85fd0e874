package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The legacy SSE transport's {@code POST /messages}: a request whose shape the SDK cannot bind is answered here, and a
 * notification the server does not use is taken here ({@link RequestShapes}), as on the other transports. The SDK's SSE
 * transport answered an {@code initialize} without params with {@code -32603} and a {@code NullPointerException}'s
 * text on the event stream, one with {@code "capabilities": []} with Jackson's, and held a
 * {@code notifications/roots/list_changed}'s POST until the client answered a roots question the server has no use
 * for (outside test RT10, F3). The answer to such a request cannot go on the event stream from here, so it is the
 * POST's answer, 400 with the JSON-RPC error, as the SDK answers a message it cannot parse.
 */
final class SseMessageShapes implements MethodFilter.Http {
    private final McpJsonMapper json;
    private final RequestShapes.Names names;

    SseMessageShapes(McpJsonMapper json, RequestShapes.Names names) {
        this.json = json;
        this.names = names;
    }

    @Override
    public void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        byte[] body = request.getInputStream().readNBytes(HttpCancellation.MAX_BODY + 1);
        HttpServletRequest replay = new HttpCancellation.Replay(request, body);
        if (body.length > HttpCancellation.MAX_BODY) {
            chain.doFilter(replay, response); // the SDK refuses it with its own error
            return;
        }
        Object message;
        try {
            message = json.readValue(body, Object.class);
        } catch (IOException | RuntimeException e) {
            // the SDK answered 500, "Failed to read value" (outside test RT11, F5)
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(null,
                    io.modelcontextprotocol.spec.McpSchema.ErrorCodes.PARSE_ERROR, "parse error: the body is not valid JSON"));
            return;
        }
        if (!(message instanceof java.util.Map<?, ?>)) { // null, a number, a batch (the SDK: 500)
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, new RequestShapes.Problem(null,
                    io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST,
                    "invalid request: a JSON-RPC message is an object (batches are not taken)"));
            return;
        }
        if (RequestShapes.isUnused(message)) {
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        Optional<RequestShapes.Problem> problem = RequestShapes.check(message, names);
        if (problem.isPresent()) {
            HttpCancellation.answerError(json, response, HttpServletResponse.SC_BAD_REQUEST, problem.get());
            return;
        }
        chain.doFilter(replay, response);
    }
}
