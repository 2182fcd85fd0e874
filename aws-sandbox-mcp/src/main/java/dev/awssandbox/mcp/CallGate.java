package dev.awssandbox.mcp;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.Semaphore;

/**
 * Bounds the calls that run commands at once, for every transport and client together. A call
 * beyond the cap is not queued: it gets a JSON-RPC error at once that says to retry, so a flood
 * of calls can neither exhaust the machine nor make the server stop answering.
 */
final class CallGate {
    /** The JSON-RPC error code of a refusal for being busy (implementation-defined server error). */
    static final int BUSY = -32000;

    private final int capacity;
    private final Semaphore permits;

    CallGate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the call cap must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    int capacity() {
        return capacity;
    }

    /** A held place; closing it frees the place. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** A place for one call, or an {@link McpError} (busy) the SDK sends to the client as is. */
    Permit enter() {
        if (!permits.tryAcquire()) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(BUSY,
                    "server busy: " + capacity + " calls are already running (AWS_MCP_MAX_CONCURRENT_CALLS);"
                            + " retry when some have finished", null));
        }
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    permits.release();
                }
            }
        };
    }
}
