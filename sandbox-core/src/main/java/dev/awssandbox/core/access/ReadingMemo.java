package dev.awssandbox.core.access;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What reading a text gave, kept for the same inputs: every plan reads the same start-up files and config commands, and
 * reading them word by word was a large part of a plan. Only for readings that are a function of their key alone (the
 * text, the variables and places it is read with; no file is looked at), so a kept reading is the one a fresh read
 * would give. Bounded: the least recently used goes first.
 */
final class ReadingMemo<K, V> {
    /**
     * The size of a memo kept per start-up file's text: more than the files one home's shells read (a stock oh-my-zsh
     * home: 360), which a plan reads up to eight times over. One of 64 had dropped every text before its next reading, and
     * an oh-my-zsh home's plan parsed each file at every reading (62 s a plan; 44 s with this size: docs/performance.md).
     */
    static final int PER_TEXT = 1024;

    private final Map<K, V> kept;

    ReadingMemo(int most) {
        this.kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > most;
            }
        };
    }

    synchronized V get(K key) {
        return kept.get(key);
    }

    synchronized void put(K key, V value) {
        kept.put(key, value);
    }

    /**
     * The kept value for {@code key}, else {@code read}'s, kept. Read outside the lock (a reading takes milliseconds; two
     * threads may both read the same key, and give the same value).
     */
    V get(K key, java.util.function.Function<K, V> read) {
        V value = get(key);
        if (value == null) {
            value = read.apply(key);
            put(key, value);
        }
        return value;
    }
}
