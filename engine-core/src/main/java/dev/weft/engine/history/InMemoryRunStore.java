package dev.weft.engine.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A run store in memory, for embedders who want nothing on disk: gone when the JVM goes. Every write is applied at
 * once (there is nothing to make durable), so its futures come back completed and each write counts as one commit.
 */
public final class InMemoryRunStore implements RunStore {

    private final Clock clock;
    private final Map<String, StoredRun> runs = new HashMap<>();
    private final Map<String, Map<String, StoredNode>> nodes = new HashMap<>();
    private final Map<String, List<RunEvent>> events = new HashMap<>();
    private long eventIds;
    private long commits;
    private boolean closed;

    /** A store whose leases run by this clock. */
    public InMemoryRunStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<Void> createRun(StoredRun run) {
        return write(() -> {
            if (runs.containsKey(run.name())) {
                throw new IllegalStateException("a run named " + run.name() + " is already stored");
            }
            runs.put(run.name(), run);
            nodes.put(run.name(), new LinkedHashMap<>());
            events.put(run.name(), new ArrayList<>());
            event(run.name(), Optional.empty(), run.phase(), run.message(), run.createdAt());
        });
    }

    @Override
    public synchronized CompletableFuture<Void> updateRun(String runName, RunUpdate update) {
        return write(() -> {
            runs.put(runName, existing(runName).with(update));
            event(runName, Optional.empty(), update.phase(), update.message(), update.at());
        });
    }

    @Override
    public synchronized CompletableFuture<Void> saveNode(String runName, StoredNode node) {
        return write(() -> {
            existing(runName);
            nodes.get(runName).put(node.id(), node);
            Instant at = node.finishedAt().or(node::startedAt).orElseGet(clock::instant);
            event(runName, Optional.of(node.id()), node.phase(), node.message(), at);
        });
    }

    @Override
    public synchronized CompletableFuture<Void> flush() {
        return closed ? CompletableFuture.failedFuture(new IllegalStateException("run store is closed"))
                : CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> write(Runnable change) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("run store is closed"));
        }
        try {
            change.run();
            commits++;
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private StoredRun existing(String runName) {
        StoredRun run = runs.get(runName);
        if (run == null) {
            throw new IllegalArgumentException("no run named " + runName + " is stored");
        }
        return run;
    }

    private void event(String runName, Optional<String> nodeId, dev.weft.engine.NodePhase phase, String message,
                       Instant at) {
        events.get(runName).add(new RunEvent(++eventIds, runName, nodeId, phase, message, at));
    }

    @Override
    public synchronized Optional<StoredRun> get(String runName) {
        return Optional.ofNullable(runs.get(runName));
    }

    @Override
    public synchronized List<StoredRun> list(RunQuery query) {
        return runs.values().stream().filter(query::matches)
                .sorted(Comparator.comparing(StoredRun::createdAt).reversed().thenComparing(StoredRun::name))
                .limit(query.limit()).toList();
    }

    @Override
    public synchronized List<StoredNode> nodes(String runName) {
        return nodes.getOrDefault(runName, Map.of()).values().stream()
                .sorted(Comparator.comparingLong(StoredNode::seq)).toList();
    }

    @Override
    public synchronized List<RunEvent> events(String runName) {
        return List.copyOf(events.getOrDefault(runName, List.of()));
    }

    @Override
    public synchronized boolean delete(String runName) {
        nodes.remove(runName);
        events.remove(runName);
        return runs.remove(runName) != null;
    }

    @Override
    public synchronized List<StoredRun> claimUnfinished(String ownerId, Duration lease) {
        Instant now = clock.instant();
        List<StoredRun> claimed = new ArrayList<>();
        for (StoredRun run : runs.values().stream().sorted(Comparator.comparing(StoredRun::createdAt)).toList()) {
            boolean free = run.owner().isEmpty() || run.leaseUntil().map(u -> !u.isAfter(now)).orElse(true);
            if (!run.finished() && free) {
                StoredRun held = run.withLease(Optional.of(ownerId), Optional.of(now.plus(lease)));
                runs.put(run.name(), held);
                claimed.add(held);
            }
        }
        return claimed;
    }

    @Override
    public synchronized Optional<StoredRun> claim(String runName, String ownerId, Duration lease) {
        StoredRun run = runs.get(runName);
        Instant now = clock.instant();
        if (run == null || run.finished()
                || (run.owner().isPresent() && run.leaseUntil().map(u -> u.isAfter(now)).orElse(false))) {
            return Optional.empty();
        }
        StoredRun held = run.withLease(Optional.of(ownerId), Optional.of(now.plus(lease)));
        runs.put(runName, held);
        return Optional.of(held);
    }

    @Override
    public synchronized Optional<StoredRun> reopen(String runName, String ownerId, Duration lease) {
        StoredRun run = runs.get(runName);
        if (closed || run == null || !run.finished()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        StoredRun open = run.reopened(now).withLease(Optional.of(ownerId), Optional.of(now.plus(lease)));
        runs.put(runName, open);
        event(runName, Optional.empty(), open.phase(), "retried", now);
        return Optional.of(open);
    }

    @Override
    public synchronized boolean renewLease(String runName, String ownerId, Duration lease) {
        StoredRun run = runs.get(runName);
        Instant now = clock.instant();
        if (run == null || !run.owner().equals(Optional.of(ownerId))
                || run.leaseUntil().map(u -> !u.isAfter(now)).orElse(true)) {
            return false;
        }
        runs.put(runName, run.withLease(run.owner(), Optional.of(now.plus(lease))));
        return true;
    }

    @Override
    public synchronized long commits() {
        return commits;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "InMemoryRunStore";
    }
}
