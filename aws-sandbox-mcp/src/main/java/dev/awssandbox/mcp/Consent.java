package dev.awssandbox.mcp;

import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Asks the user, through MCP elicitation, before a call the policy wants consent for. The model
 * sees a refusal when the client cannot ask (no elicitation capability), or the user declines,
 * cancels or does not tick the box. The question shows the canonical command that would run.
 */
final class Consent {
    private Consent() {}

    /**
     * The question: what runs and why it needs consent, then the canonical command. Every part is
     * escaped ({@link Printable#escape}): argument values are the model's text, and a carriage
     * return, a line feed, an ANSI sequence or a bidirectional override in one could redraw the
     * question as a read (red team, mcp round 8, F3). The one line break is the server's own.
     */
    static String message(AwsCommandPolicy.Decision decision) {
        return "The assistant wants to run " + Printable.escape(decision.classification().label()) + " ("
                + Printable.escape(decision.consent().orElseThrow()) + "):\n"
                + Printable.escape(SandboxRunner.display(decision.stages().getFirst()));
    }

    /** @param exchange the call's session, or null where there is none to ask (stateless HTTP, tests) */
    static void require(McpSyncServerExchange exchange, AwsCommandPolicy.Decision decision) throws Refused {
        String reason = decision.consent().orElseThrow();
        String what = decision.classification().label();
        McpSchema.ClientCapabilities capabilities = exchange == null ? null : exchange.getClientCapabilities();
        if (capabilities == null || capabilities.elicitation() == null) {
            throw new Refused(what + " needs the user's consent (" + reason + "), and this MCP client cannot ask"
                    + " (it has no elicitation support); it was not run");
        }
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("confirm", Map.of("type", "boolean", "title", "Run it",
                        "description", "Run this AWS CLI command against your account")),
                "required", List.of("confirm"));
        McpSchema.ElicitResult answer;
        try {
            answer = exchange.createElicitation(McpSchema.ElicitFormRequest.builder(message(decision), schema).build());
        } catch (RuntimeException e) {
            throw new Refused(what + " needs the user's consent, and asking failed (" + e.getMessage() + "); it was not run");
        }
        boolean confirmed = answer != null && answer.action() == McpSchema.ElicitResult.Action.ACCEPT
                && answer.content() != null && Boolean.TRUE.equals(answer.content().get("confirm"));
        if (!confirmed) {
            throw new Refused("the user did not consent to " + what + " ("
                    + (answer == null ? "no answer" : answer.action().name().toLowerCase(java.util.Locale.ROOT)) + ");"
                    + " it was not run");
        }
    }
}
