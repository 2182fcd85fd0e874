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
        return Collections.unmodifiableSet(new HashSet<>(values));
    }

    static <K, V> Map<K, V> map(Map<? extends K, ? extends V> entries) {
        return Collections.unmodifiableMap(new HashMap<>(entries));
    }
}
