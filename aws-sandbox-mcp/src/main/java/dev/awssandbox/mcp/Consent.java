package dev.awssandbox.mcp;

import dev.awssandbox.mcp.policy.AwsCommandPolicy;
import dev.awssandbox.mcp.policy.ParamFile;
import dev.awssandbox.mcp.policy.Refused;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * Asks the user, through MCP elicitation, before a call the policy wants consent for. The model
 * sees a refusal when the client cannot ask (no elicitation capability), or the user declines,
 * cancels or does not tick the box. The question shows the canonical command that would run, and
 * what each of its parameter files says.
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
        StringBuilder message = new StringBuilder("The assistant wants to run ")
                .append(Printable.escape(decision.classification().label())).append(" (")
                .append(Printable.escape(decision.consent().orElseThrow())).append("):\n")
                .append(Printable.escape(SandboxRunner.display(decision.stages().getFirst())));
        for (ParamFile file : decision.paramFiles()) {
            message.append("\n").append(describe(file));
        }
        return message.toString();
    }

    /**
     * What a parameter file says, as the AWS CLI will read it: the command names the server's copy,
     * so {@code file://p} alone would tell the user nothing, and for {@code s3 rm file://p} the file
     * is the target (red team, mcp round 9, F1). Its text, escaped, up to
     * 2048 characters; a file that is not UTF-8
     * text by its size only.
     */
    static String describe(ParamFile file) {
        String head = Printable.escape(file.argument() + " " + file.given()) + " is read from the server's copy "
                + Printable.escape(file.copy().toString()) + ", " + file.bytes() + " bytes";
        if (file.start().isEmpty()) {
            return head + ", binary (not UTF-8 text), not shown";
        }
        return head + (file.whole() ? "; it says: " : "; its first " + file.start().get().length()
                + " characters (the rest is not shown) say: ") + Printable.escape(file.start().get());
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
