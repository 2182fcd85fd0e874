package dev.awssandbox.mcp;

import java.time.Duration;

/**
 * Progress notifications for a call that runs longer than a second, while it runs: once a second,
 * the seconds elapsed of the call's timeout. Only when the client sent a progress token; nothing
 * is sent once the call has ended ({@link #close()} waits for the reporter to stop).
 */
final class Progress implements AutoCloseable {
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Progress NONE = new Progress();

    private Thread reporter; // set before it starts; read by the caller's thread only
    private volatile boolean done;

    private Progress() {}

    /** Starts reporting on {@code call} for {@code what}, which may run until {@code timeout}. */
    static Progress start(Call call, String what, Duration timeout) {
        if (!call.wantsProgress()) {
            return NONE;
        }
        String shown = what.length() > 120 ? what.substring(0, 120) + "…" : what;
        long started = System.nanoTime();
        Progress running = new Progress();
        running.reporter = Thread.ofVirtual().name("mcp-progress")
                .unstarted(() -> running.report(call, shown, timeout, started));
        running.reporter.start();
        return running;
    }

    private void report(Call call, String what, Duration timeout, long started) {
        try {
            while (!done) {
                Thread.sleep(INTERVAL);
                if (done) {
                    return;
                }
                long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                call.progress(seconds, timeout.toSeconds(), "running " + what + ": " + seconds + " s (timeout "
                        + timeout.toSeconds() + " s)");
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    @Override
    public void close() {
        if (reporter == null) {
            return;
        }
        done = true;
        reporter.interrupt();
        Uninterruptibly.await(reporter::join);
    }
}
