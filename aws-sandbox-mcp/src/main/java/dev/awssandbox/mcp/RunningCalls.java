package dev.awssandbox.mcp;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The calls an HTTP transport is running, by session and JSON-RPC id, each on the thread that received its POST (the
 * server executes tools immediately, so interrupting that thread kills the call's command: the core's cancellation).
 * The SDK (2.1.0) does not act on {@code notifications/cancelled} ("No handler registered"), on either HTTP transport;
 * the filters that see each POST do, through this.
 */
final class RunningCalls {
    private final Map<Key, Call> running = new ConcurrentHashMap<>();
    /** The call this thread is handling, from its start to its end. */
    private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

    /**
     * A call of {@code session} with {@code id} starts on this thread: empty when a call of that id is still running in
     * that session (as over stdio: a cancellation could not tell the two apart, and ended the first only: outside test
     * RT11, F10). {@link Call#end} the one returned when its request ends.
     */
    Optional<Call> start(String session, Object id) {
        Key key = new Key(session, StdioTransport.key(id));
        Call call = new Call(this, key);
        if (running.putIfAbsent(key, call) != null) {
            return Optional.empty();
        }
        CURRENT.set(call);
        return Optional.of(call);
    }

    /**
     * On the thread of a call whose tool or resource has returned, before the SDK sends its answer: no interruption from
     * now on, and one that came is cleared. Over SSE the answer goes on the session's one event stream, written by this
     * thread; a write that had to wait and was interrupted would break that stream for every later answer of the
     * session (review of the SSE cancellation). The interruption has done its work: the command is dead.
     */
    static void answering() {
        Call call = CURRENT.get();
        if (call != null) {
            call.answering();
        } else {
            Thread.interrupted(); // a transport without a registry (stdio: its reader's hand-off)
        }
    }

    /**
     * Whether {@code message} is a {@code notifications/cancelled}; if so, the call of {@code session} it names, if
     * running, is cancelled, and this waits (at most {@link #CANCELLED_CALL_END_WAIT_SECONDS}) for it to end, so that when
     * the cancellation's POST is answered its id is free again: a request that reused it at once had been refused as "in
     * use" while the command was being killed (outside test RT19, F8).
     */
    boolean cancelIfCancellation(String session, Object message) {
        if (!(message instanceof Map<?, ?> m && "notifications/cancelled".equals(m.get("method")))) {
            return false;
        }
        Object id = m.get("params") instanceof Map<?, ?> p ? p.get("requestId") : null;
        Call call = id == null ? null : running.get(new Key(session, StdioTransport.key(id)));
        if (call != null) {
            call.cancel();
            call.awaitEnd();
        }
        return true;
    }

    /** A bound, not a wait the client should see: a killed command's call ends within milliseconds. */
    static final long CANCELLED_CALL_END_WAIT_SECONDS = 5;

    /** The answer to a request whose id is that of a call still running in its session ({@link #start} was empty). */
    static RequestShapes.Problem inUse(Object id) {
        return new RequestShapes.Problem(id, io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST,
                "request id " + id + " is already in use by a call that has not finished");
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
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean ended;
        private volatile boolean cancelled;

        private boolean answering;
        private boolean interrupted;

        /** A call no client can name (no session or no id): interruptible by its client's departure only. */
        Call() {
            this(null, null);
            CURRENT.set(this);
        }

        private Call(RunningCalls calls, Key key) {
            this.calls = calls;
            this.key = key;
        }

        synchronized void interrupt() {
            if (!ended && !answering) {
                thread.interrupt();
            }
        }

        private synchronized void answering() {
            answering = true;
            interrupted |= Thread.interrupted();
        }

        /** The client's {@code notifications/cancelled}: the call is interrupted, and its answer not sent. */
        void cancel() {
            cancelled = true;
            interrupt();
        }

        boolean cancelled() {
            return cancelled;
        }

        /** Waits, boundedly, for {@link #end}; an interruption ends the wait and is kept. */
        private void awaitEnd() {
            try {
                done.await(CANCELLED_CALL_END_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** On the handling thread, as its request ends: no interruption from now on; whether one came (it is cleared). */
        boolean end() {
            if (calls != null) {
                calls.running.remove(key, this);
            }
            CURRENT.remove();
            done.countDown();
            synchronized (this) {
                ended = true;
                return Thread.interrupted() | interrupted;
            }
        }
    }
}
