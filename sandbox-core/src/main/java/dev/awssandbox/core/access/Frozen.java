package dev.awssandbox.core.access;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Unchangeable copies backed by {@link HashSet} and {@link HashMap}, for the start-up readers' tables of names: the
 * JDK's {@code Set.copyOf} and {@code Map.copyOf} probe linearly without spreading the hash, and the names of a file
 * (3-letter variables: {@code abc=1}, 48,000 of them) fall into long runs, so each look-up walked thousands of slots
 * (outside test RT29, F1: a 288 KB {@code ~/.bashrc} took 8 minutes a plan).
 */
final class Frozen {
    private Frozen() {}

    static <T> Set<T> set(Collection<? extends T> values) {
        HashSet<T> copy = new HashSet<>(values);
        if (copy.contains(null)) {
            throw new NullPointerException("a null element"); // as Set.copyOf
        }
        return Collections.unmodifiableSet(copy);
    }

    static <K, V> Map<K, V> map(Map<? extends K, ? extends V> entries) {
        HashMap<K, V> copy = new HashMap<>(entries);
        if (copy.containsKey(null) || copy.containsValue(null)) {
            throw new NullPointerException("a null name or value"); // as Map.copyOf, at the copy, not at a later use
        }
        return Collections.unmodifiableMap(copy);
    }
}
