package dev.awssandbox.core.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built restrictions (Landlock rulesets with their seccomp filter), reused across runs with the
 * same rules. Building a ruleset costs a few system calls per path; enforcing an existing one
 * costs one. The key must identify the rules completely, including each path's inode (a
 * directory replaced by another must not inherit the old rule). Entries are reference-counted,
 * so an evicted one is closed only when no spawn is using it.
 */
final class RestrictionCache<K, V extends AutoCloseable> {
    private final int capacity;
    private final Map<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    RestrictionCache(int capacity) {
        this.capacity = capacity;
    }

    /** A value in use; {@link #close()} hands it back. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        V value() {
            return entry.value;
        }

        @Override
        public void close() {
            synchronized (RestrictionCache.this) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.users--;
                if (entry.evicted && entry.users == 0) {
                    closeQuietly(entry.value);
                }
            }
        }
    }

    private final class Entry {
        final V value;
        int users;
        boolean evicted;

        Entry(V value) {
            this.value = value;
        }
    }

    /** Functional interface for builders that may fail with a checked exception. */
    interface Builder<T, E extends Exception> {
        T build() throws E;
    }

    /** The cached value for {@code key}, built with {@code builder} if absent. */
    <E extends Exception> Lease lease(K key, Builder<V, E> builder) throws E {
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null) {
                entry.users++;
                return new Lease(entry);
            }
        }
        V built = builder.build(); // outside the lock: it does I/O
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null) {
                closeQuietly(built); // another thread won the race
            } else {
                entry = new Entry(built);
                entries.put(key, entry);
                evictBeyondCapacity();
            }
            entry.users++;
            return new Lease(entry);
        }
    }

    private void evictBeyondCapacity() {
        var it = entries.values().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            Entry eldest = it.next();
            it.remove();
            eldest.evicted = true;
            if (eldest.users == 0) {
                closeQuietly(eldest.value);
            }
        }
    }

    private static void closeQuietly(AutoCloseable value) {
        try {
            value.close();
        } catch (Exception e) {
            // a descriptor that does not close is not worth failing a command for
        }
    }
}
