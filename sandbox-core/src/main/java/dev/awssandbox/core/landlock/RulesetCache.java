package dev.awssandbox.core.landlock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built Landlock rulesets, reused across runs with the same rules. Building one costs a few
 * system calls per path; enforcing an existing one costs one. The key must identify the rules
 * completely, including each path's inode (a directory replaced by another must not inherit the
 * old rule). Entries are reference-counted, so an evicted ruleset is closed only when no spawn
 * is using it.
 */
public final class RulesetCache<K> {
    private final int capacity;
    private final Map<K, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final java.util.function.Consumer<LandlockRuleset> onEvict;

    /** @param onEvict called for each evicted ruleset (e.g. to end the thread that carries it) */
    public RulesetCache(int capacity, java.util.function.Consumer<LandlockRuleset> onEvict) {
        this.capacity = capacity;
        this.onEvict = onEvict;
    }

    /** A ruleset in use; {@link #close()} hands it back. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public LandlockRuleset ruleset() {
            return entry.ruleset;
        }

        @Override
        public void close() {
            synchronized (RulesetCache.this) {
                if (closed) {
                    return;
                }
                closed = true;
                entry.users--;
                if (entry.evicted && entry.users == 0) {
                    entry.ruleset.close();
                }
            }
        }
    }

    private static final class Entry {
        final LandlockRuleset ruleset;
        int users;
        boolean evicted;

        Entry(LandlockRuleset ruleset) {
            this.ruleset = ruleset;
        }
    }

    /** Functional interface for builders that may fail with a checked exception. */
    public interface Builder<E extends Exception> {
        LandlockRuleset build() throws E;
    }

    /** The cached ruleset for {@code key}, built with {@code builder} if absent. */
    public <E extends Exception> Lease lease(K key, Builder<E> builder) throws E {
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null) {
                entry.users++;
                return new Lease(entry);
            }
        }
        LandlockRuleset built = builder.build(); // outside the lock: it does I/O
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null) {
                built.close(); // another thread won the race
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
            onEvict.accept(eldest.ruleset);
            if (eldest.users == 0) {
                eldest.ruleset.close();
            }
        }
    }

    synchronized int size() {
        return entries.size();
    }

}
