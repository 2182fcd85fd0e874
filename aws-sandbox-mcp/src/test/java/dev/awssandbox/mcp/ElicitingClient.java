package dev.awssandbox.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;

/** A client that can be asked (elicitation) and whose user gives {@code answer} after {@code wait}. */
final class ElicitingClient {
    private ElicitingClient() {}

    static McpSyncServerExchange answering(McpSchema.ElicitResult answer, Duration wait) {
        return answering(answer, wait, new java.util.ArrayList<>());
    }

    /** As {@link #answering(McpSchema.ElicitResult, Duration)}, each question's text kept in {@code asked}. */
    static McpSyncServerExchange answering(McpSchema.ElicitResult answer, Duration wait, java.util.List<String> asked) {
        return new McpSyncServerExchange(null) {
            @Override
            public McpSchema.ClientCapabilities getClientCapabilities() {
                return McpSchema.ClientCapabilities.builder().elicitation().build();
            }

            @Override
            public McpSchema.ElicitResult createElicitation(McpSchema.ElicitRequest request) {
                if (request instanceof McpSchema.ElicitFormRequest form) {
                    asked.add(form.message());
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return answer;
            }
        };
    }
}
