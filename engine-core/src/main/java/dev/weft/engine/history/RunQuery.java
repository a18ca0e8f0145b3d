package dev.weft.engine.history;

import dev.weft.engine.NodePhase;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which runs to list. Every filter that is set must hold; results come newest first.
 *
 * @param phases        runs in one of these phases (empty: any)
 * @param namePrefix    runs whose name starts with this (empty: any)
 * @param createdAfter  runs created at or after this
 * @param createdBefore runs created before this
 * @param labels        runs that carry every one of these labels with these values
 * @param limit         at most this many
 */
public record RunQuery(Set<NodePhase> phases, String namePrefix, Optional<Instant> createdAfter,
                       Optional<Instant> createdBefore, Map<String, String> labels, int limit) {

    /** Checks and copies. */
    public RunQuery {
        phases = Set.copyOf(phases);
        Objects.requireNonNull(namePrefix, "namePrefix");
        Objects.requireNonNull(createdAfter, "createdAfter");
        Objects.requireNonNull(createdBefore, "createdBefore");
        labels = Map.copyOf(labels);
        if (limit <= 0) {
            throw new IllegalArgumentException("RunQuery limit must be positive, was " + limit);
        }
    }

    /** Every run (up to 1000). */
    public static RunQuery all() {
        return new RunQuery(Set.of(), "", Optional.empty(), Optional.empty(), Map.of(), 1000);
    }

    /** Also in one of these phases. */
    public RunQuery inPhase(NodePhase... p) {
        return new RunQuery(Set.of(p), namePrefix, createdAfter, createdBefore, labels, limit);
    }

    /** Also named with this prefix. */
    public RunQuery namedWith(String prefix) {
        return new RunQuery(phases, prefix, createdAfter, createdBefore, labels, limit);
    }

    /** Also created in {@code [after, before)}. */
    public RunQuery createdBetween(Instant after, Instant before) {
        return new RunQuery(phases, namePrefix, Optional.of(after), Optional.of(before), labels, limit);
    }

    /** Also carrying this label. */
    public RunQuery labelled(String key, String value) {
        Map<String, String> l = new java.util.HashMap<>(labels);
        l.put(key, value);
        return new RunQuery(phases, namePrefix, createdAfter, createdBefore, l, limit);
    }

    /** At most this many. */
    public RunQuery limit(int max) {
        return new RunQuery(phases, namePrefix, createdAfter, createdBefore, labels, max);
    }

    /** Whether a run passes these filters (the in-memory store's test; the JDBC store says the same in SQL). */
    boolean matches(StoredRun run) {
        return (phases.isEmpty() || phases.contains(run.phase()))
                && run.name().startsWith(namePrefix)
                && createdAfter.map(a -> !run.createdAt().isBefore(a)).orElse(true)
                && createdBefore.map(b -> run.createdAt().isBefore(b)).orElse(true)
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(run.labels().get(e.getKey())));
    }
}
