package dev.awssandbox.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a JSON-RPC request, checked before the MCP SDK binds it to its types. The SDK (2.1.0)
 * answered a request whose params had the wrong shape ({@code "arguments": ["x"]}, {@code "params":
 * "x"}, a tool's name that is no string) with {@code -32603} and Jackson's exception text, class
 * names and all, over stdio, and with an empty 200 over streamable HTTP, so that the client waited for
 * an answer that never came (MCP red team of 2026-12-06, MRT-1, MRT-2). A request that fails here is
 * answered {@code -32602 invalid params} or {@code -32600 invalid request}, in one plain sentence.
 */
final class RequestShapes {
    private RequestShapes() {}

    /** A request that cannot be handled: its id (null when that is what is wrong), the error's code and message. */
    record Problem(Object id, int code, String message) {}

    private static final Set<String> BY_URI = Set.of("resources/read", "resources/subscribe", "resources/unsubscribe");
    /**
     * The levels {@code logging/setLevel} takes (RFC 5424's names, as MCP has them): the SDK also bound a number to a
     * level by its position ({@code "level": 3} became {@code warning}), and any other word to none.
     */
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical", "alert",
            "emergency");

    /**
     * The tools and prompts a server has: a call of another name is answered here, naming those there are (the SDK said
     * "Unknown tool: invalid_tool_name" whatever the name, and "Invalid prompt name").
     */
    record Names(java.util.List<String> tools, java.util.List<String> prompts) {
        /** This server's. */
        static Names server() {
            return new Names(AwsTools.NAMES, AwsPrompts.ALL.stream().map(AwsPrompts.Def::name).toList());
        }
    }

    /** The mapper the SDK binds requests with (the server's, {@code AwsMcpServer}). */
    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    /**
     * Whether {@code message} is a notification this server takes and does nothing with:
     * {@code notifications/roots/list_changed}. The server uses no roots, and the SDK (2.1.0) answered the notification
     * by asking the client for its roots and waiting for the answer: over stdio on the thread that reads that answer, so
     * the server read nothing more, answered nothing and outlived its client; over streamable HTTP without the client's
     * GET stream, with a 500 "Stream unavailable" to a notification (a client that declares {@code roots} sends it).
     */
    static boolean isUnused(Object message) {
        return message instanceof Map<?, ?> m && !m.containsKey("id")
                && McpSchema.METHOD_NOTIFICATION_ROOTS_LIST_CHANGED.equals(m.get("method"));
    }

    /** What is wrong with {@code message} (a parsed JSON value) as a request; empty for anything else. */
    static Optional<Problem> check(Object message) {
        return check(message, null);
    }

    /** The same, and a tool or prompt that {@code names} (when given) does not have. */
    static Optional<Problem> check(Object message, Names names) {
        Optional<Problem> problem = checkShape(message);
        if (problem.isPresent() || names == null || !(message instanceof Map<?, ?> m) || !m.containsKey("id")
                || !(m.get("params") instanceof Map<?, ?> p) || !(p.get("name") instanceof String name)) {
            return problem;
        }
        if (McpSchema.METHOD_TOOLS_CALL.equals(m.get("method")) && !names.tools().contains(name)) {
            return invalidParams(m.get("id"), "this server has no tool named " + quoted(name) + "; its tools are "
                    + String.join(", ", names.tools()));
        }
        if (McpSchema.METHOD_PROMPT_GET.equals(m.get("method")) && !names.prompts().contains(name)) {
            return invalidParams(m.get("id"), "this server has no prompt named " + quoted(name) + "; its prompts are "
                    + String.join(", ", names.prompts()));
        }
        return Optional.empty();
    }

    /** A name as the model sent it, in quotes, cut at 100 characters, what a terminal acts on escaped ({@link Printable}). */
    private static String quoted(String name) {
        return "\"" + Printable.escape(name.length() > 100 ? name.substring(0, 100) + "…" : name) + "\"";
    }

    private static Optional<Problem> checkShape(Object message) {
        if (message instanceof Map<?, ?> m && m.get("method") != null && !(m.get("method") instanceof String)) {
            // a method that is not a string (a number, an object) makes no request: the SDK said "Method not found: 5"
            // (outside test RT19, F7)
            Object id = m.get("id") instanceof String || m.get("id") instanceof Integer || m.get("id") instanceof Long
                    ? m.get("id") : null;
            return invalidRequest(id, "a request's method must be a string");
        }
        if (!(message instanceof Map<?, ?> m) || !(m.get("method") instanceof String method) || !m.containsKey("id")) {
            return Optional.empty(); // not a request: a notification, a response, or not JSON-RPC (the SDK says so)
        }
        Object id = m.get("id");
        if (!(id instanceof String) && !(id instanceof Integer) && !(id instanceof Long)) { // past 64 bits too (R2-6)
            // a fraction or an integer past 64 bits is an id MCP's schema allows but this server does not take; said as
            // such (outside test RT33, F5: "must be a string or an integer" of an integer)
            return invalidRequest(null, "a request's id must be a string or an integer that fits in 64 bits (this server"
                    + " takes no other number)");
        }
        if (!"2.0".equals(m.get("jsonrpc"))) {
            return invalidRequest(id, "a request must say \"jsonrpc\": \"2.0\"");
        }
        Object params = m.get("params");
        if (params == null && method.equals(McpSchema.METHOD_INITIALIZE)) {
            return invalidParams(id, "initialize needs params: protocolVersion, capabilities and clientInfo");
        }
        if (params == null) {
            return method.equals(McpSchema.METHOD_TOOLS_CALL) || method.equals(McpSchema.METHOD_PROMPT_GET)
                    || method.equals(McpSchema.METHOD_LOGGING_SET_LEVEL) || BY_URI.contains(method)
                    ? invalidParams(id, method + " needs params") : Optional.empty();
        }
        if (!(params instanceof Map<?, ?> p)) {
            return invalidParams(id, "the params of " + method + " must be an object");
        }
        if (p.containsKey("_meta") && !(p.get("_meta") instanceof Map<?, ?>)) {
            return invalidParams(id, "params._meta must be an object");
        }
        if (p.get("_meta") instanceof Map<?, ?> meta && meta.containsKey("progressToken")
                && !(meta.get("progressToken") instanceof String) && !(meta.get("progressToken") instanceof Number)) {
            return invalidParams(id, "params._meta.progressToken must be a string or a number");
        }
        if (method.equals(McpSchema.METHOD_TOOLS_CALL) || method.equals(McpSchema.METHOD_PROMPT_GET)) {
            if (!(p.get("name") instanceof String)) {
                return invalidParams(id, "params.name of " + method + " must be a string");
            }
            if (p.get("arguments") != null && !(p.get("arguments") instanceof Map<?, ?>)) {
                return invalidParams(id, "params.arguments of " + method + " must be an object (names to values)");
            }
        }
        if (method.equals(McpSchema.METHOD_LOGGING_SET_LEVEL) && !(p.get("level") instanceof String level
                && LOG_LEVELS.contains(level))) {
            return invalidParams(id, "params.level of " + method + " must be one of " + String.join(", ",
                    new java.util.TreeSet<>(LOG_LEVELS)));
        }
        if (BY_URI.contains(method) && !(p.get("uri") instanceof String)) {
            return invalidParams(id, "params.uri of " + method + " must be a string");
        }
        if (method.equals(McpSchema.METHOD_INITIALIZE)) {
            return unbound(id, method, p, McpSchema.InitializeRequest.class);
        }
        return Optional.empty();
    }

    /**
     * Binds {@code params} as the SDK will: for {@code initialize}, whose params have more shapes than the checks above
     * name, and which the SDK answered with a 500 and a {@code NullPointerException}'s text (no params) or a 400 naming
     * Jackson's classes ({@code "capabilities": []}) (outside test RT10, F3). The sentence names the member that did
     * not bind and the JSON type it had.
     */
    private static Optional<Problem> unbound(Object id, String method, Map<?, ?> params, Class<?> type) {
        try {
            JSON.convertValue(params, type);
            return Optional.empty();
        } catch (RuntimeException e) {
            List<Object> path = pathOf(e);
            Object value = params;
            StringBuilder name = new StringBuilder("params");
            for (Object step : path) {
                name.append(step instanceof Integer i ? "[" + i + "]" : "." + step);
                value = value instanceof Map<?, ?> m ? m.get(step) : value instanceof List<?> l && step instanceof Integer i
                        && i < l.size() ? l.get(i) : null;
            }
            return invalidParams(id, name + " of " + method + " does not have the shape MCP gives it"
                    + (path.isEmpty() ? "" : " (it is " + jsonType(value) + ")"));
        }
    }

    /** The members (names and indexes) Jackson reports it was binding when {@code e} was thrown; empty if none. */
    private static List<Object> pathOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof tools.jackson.core.JacksonException j && !j.getPath().isEmpty()) {
                return j.getPath().stream().map(r -> r.getPropertyName() != null ? (Object) r.getPropertyName()
                        : (Object) r.getIndex()).toList();
            }
        }
        return List.of();
    }

    private static String jsonType(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    private static Optional<Problem> invalidRequest(Object id, String message) {
        return Optional.of(new Problem(id, McpSchema.ErrorCodes.INVALID_REQUEST, "invalid request: " + message));
    }

    private static Optional<Problem> invalidParams(Object id, String message) {
        return Optional.of(new Problem(id, McpSchema.ErrorCodes.INVALID_PARAMS, "invalid params: " + message));
    }
}
