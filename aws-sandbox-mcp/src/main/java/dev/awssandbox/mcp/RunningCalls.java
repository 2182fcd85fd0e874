package dev.awssandbox.mcp;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls an HTTP transport is running, by session and JSON-RPC id, each on the thread that received its POST (the
 * server executes tools immediately, so interrupting that thread kills the call's command: the core's cancellation).
 * The SDK (2.1.0) does not act on {@code notifications/cancelled} ("No handler registered"), on either HTTP transport;
 * the filters that see each POST do, through this.
 */
final class RunningCalls {
    private final Map<Key, Call> running = new ConcurrentHashMap<>();

    /**
     * A call of {@code session} with {@code id} starts on this thread: empty when a call of that id is still running in
     * that session (as over stdio: a cancellation could not tell the two apart, and ended the first only: outside test
     * RT11, F10). {@link Call#end} the one returned when its request ends.
     */
    Optional<Call> start(String session, Object id) {
        Key key = new Key(session, StdioTransport.key(id));
        Call call = new Call(this, key);
        return running.putIfAbsent(key, call) == null ? Optional.of(call) : Optional.empty();
    }

    /** The client's {@code notifications/cancelled} for {@code id} in {@code session}: that call, if running, is cancelled. */
    void cancel(String session, Object id) {
        Call call = running.get(new Key(session, StdioTransport.key(id)));
        if (call != null) {
            call.cancel();
        }
    }

    /** Every call of {@code session} is interrupted (the session was deleted). */
    void interruptAll(String session) {
        running.forEach((key, call) -> {
            if (key.session().equals(session)) {
                call.interrupt();
            }
        });
    }

    /**
     * A call by its session and id, the id as {@link StdioTransport#key}: the client's 7 and 7.0 are one, and the string
     * "7" another (outside test RT14: a key made by joining the two as text took 7 and "7" for one id).
     */
    private record Key(String session, Object id) {}

    /**
     * The thread handling one request, interruptible until the request ends and never after: an interruption that came
     * as the request ended must not reach whatever the thread does next.
     */
    static final class Call {
        private final RunningCalls calls;
        private final Key key;
        private final Thread thread = Thread.currentThread();
        private boolean ended;
        private volatile boolean cancelled;

        /** A call no client can name (no session or no id): interruptible by its client's departure only. */
        Call() {
            this(null, null);
        }

        private Call(RunningCalls calls, Key key) {
            this.calls = calls;
            this.key = key;
        }

        synchronized void interrupt() {
            if (!ended) {
                thread.interrupt();
            }
        }

        /** The client's {@code notifications/cancelled}: the call is interrupted, and its answer not sent. */
        void cancel() {
            cancelled = true;
            interrupt();
        }

        boolean cancelled() {
            return cancelled;
        }

        /** On the handling thread, as its request ends: no interruption from now on; whether one came (it is cleared). */
        boolean end() {
            if (calls != null) {
                calls.running.remove(key, this);
            }
            synchronized (this) {
                ended = true;
                return Thread.interrupted();
            }
        }
    }
}
