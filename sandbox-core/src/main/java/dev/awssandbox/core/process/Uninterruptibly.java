package dev.awssandbox.core.process;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting that an interrupt does not cut short: after a timeout or a cancellation the engines
 * must still collect every child's exit, or they would leave zombies and lose exit statuses.
 */
final class Uninterruptibly {
    private Uninterruptibly() {}

    /** {@code future.get()}, retried when interrupted; the interrupt is set again before returning. */
    static <T> T get(Future<T> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
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
