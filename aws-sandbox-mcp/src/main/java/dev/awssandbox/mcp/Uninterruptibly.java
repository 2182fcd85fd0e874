package dev.awssandbox.mcp;

/**
 * Waits that a cancelled call must still see to the end (its audit line written, its progress
 * reporter stopped): an interrupt does not cut them short, and is set again once they are over,
 * so that the caller still sees it.
 */
final class Uninterruptibly {
    private Uninterruptibly() {}

    /** A wait that an interrupt would cut short: {@code Thread::join}, {@code Future::get}. */
    interface Wait {
        void await() throws InterruptedException;
    }

    /** Runs {@code wait} again after every interrupt until it returns. */
    static void await(Wait wait) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    wait.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
