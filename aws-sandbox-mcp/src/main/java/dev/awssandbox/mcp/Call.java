package dev.awssandbox.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Optional;

/**
 * One tool call as the tools see it: the session to report to (progress and log notifications,
 * elicitation for consent) and the progress token the client sent, when there are any. Reporting
 * never fails a call: a client that has gone away simply gets nothing.
 *
 * @param exchange      the call's session; null where there is none (stateless HTTP, tests)
 * @param progressToken the client's {@code _meta.progressToken}, or null when it wants no progress
 */
record Call(McpSyncServerExchange exchange, Object progressToken) {
    private static final System.Logger LOG = System.getLogger(Call.class.getName());

    /** The name under which log notifications are sent. */
    static final String LOGGER = "aws-sandbox";

    /** No session to report to. */
    static final Call NONE = new Call(null, null);

    static Call of(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        return new Call(exchange, request == null ? null : request.progressToken());
    }

    /** The MCP session id, where there is a session. */
    Optional<String> sessionId() {
        try {
            return exchange == null ? Optional.empty() : Optional.ofNullable(exchange.sessionId());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether progress can be reported: a session, and a token from the client. */
    boolean wantsProgress() {
        return exchange != null && progressToken != null;
    }

    void progress(double progress, double total, String message) {
        if (!wantsProgress()) {
            return;
        }
        try {
            // the message shows the command, the model's text: escaped as the consent question is
            exchange.progressNotification(McpSchema.ProgressNotification.builder(progressToken, progress).total(total)
                    .message(Printable.escape(message)).build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "progress notification not sent: " + e.getMessage());
        }
    }

    /** A log notification (the client's {@code logging/setLevel} decides whether it is sent); already redacted. */
    void log(McpSchema.LoggingLevel level, String message) {
        if (exchange == null) {
            return;
        }
        try {
            // a refusal or failure shows the command and its values, the model's text: escaped as the
            // consent question is, since a client may show log notifications to the user
            exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder(level, Printable.escape(message))
                    .logger(LOGGER).build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "log notification not sent: " + e.getMessage());
        }
    }
}
