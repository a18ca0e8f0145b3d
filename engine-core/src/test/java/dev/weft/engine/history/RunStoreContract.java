package dev.weft.engine.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.model.ArtifactLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do. A subclass supplies a fresh, empty store per test. Times are truncated to
 * milliseconds: that is what every backing database keeps.
 */
abstract class RunStoreContract {

    /** A YAML text with the layout a user submitted, comments and all, to check it comes back byte for byte. */
    static final String WORKFLOW = """
            # submitted as is
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: hello-   # trailing comment
            spec:
              entrypoint: main
              templates:
                - name: main
                  container: {image: alpine, command: [echo, "héllo ✓"]}
            """;

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");

    protected RunStore store;
    private final AtomicInteger names = new AtomicInteger();

    /** A new, empty store. */
    protected abstract RunStore newStore() throws Exception;

    /** Whether the store batches writes into shared transactions (the in-memory one has none to share). */
    protected abstract boolean groupCommits();

    @BeforeEach
    void open() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    String name(String prefix) {
        return prefix + names.incrementAndGet();
    }

    static StoredRun submitted(String name, Instant at, Map<String, String> labels) {
        return StoredRun.submitted(name, WORKFLOW, Map.of("message", "hi", "count", "3"), labels, at);
    }

    static StoredNode node(String id, long seq, NodePhase phase, Optional<String> parent) {
        return new StoredNode(id, seq, "wf." + id, id, NodeType.POD, "main", phase, "", parent, 0,
                Optional.of(T0), phase.isDone() ? Optional.of(T0.plusSeconds(1)) : Optional.empty(),
                phase.isDone() ? Optional.of(0) : Optional.empty(), Map.of(), Optional.empty(), Map.of());
    }

    @Test
    void aSubmittedRunComesBackAsSubmitted() {
        String n = name("hello-");
        StoredRun run = submitted(n, T0, Map.of("team", "data"));
        store.createRun(run).join();

        assertThat(store.get(n)).contains(run);
        assertThat(store.get(n).orElseThrow().workflow()).isEqualTo(WORKFLOW);
        assertThat(store.get("no-such-run")).isEmpty();
    }

    @Test
    void aSecondRunOfTheSameNameIsRefused() {
        String n = name("dup-");
        store.createRun(submitted(n, T0, Map.of())).join();

        assertThat(store.createRun(submitted(n, T0, Map.of()))).failsWithin(Duration.ofSeconds(30));
        assertThat(store.list(RunQuery.all().namedWith(n))).hasSize(1);
    }

    @Test
    void runPhaseChangesAreKeptWithTheirTimes() {
        String n = name("phases-");
        store.createRun(submitted(n, T0, Map.of())).join();
        store.updateRun(n, RunUpdate.started(T0.plusSeconds(1)));
        store.updateRun(n, RunUpdate.finished(NodePhase.FAILED, RunOutcome.CANCELLED, "cancelled by user",
                T0.plusSeconds(5))).join();

        StoredRun run = store.get(n).orElseThrow();
        assertThat(run.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(run.outcome()).contains(RunOutcome.CANCELLED);
        assertThat(run.message()).isEqualTo("cancelled by user");
        assertThat(run.startedAt()).contains(T0.plusSeconds(1));
        assertThat(run.finishedAt()).contains(T0.plusSeconds(5));
        assertThat(run.finished()).isTrue();
    }

    @Test
    void everyNodeFieldIsKeptAndTheLatestTransitionWins() {
        String n = name("nodes-");
        store.createRun(submitted(n, T0, Map.of())).join();
        ArtifactLocation loc = new ArtifactLocation("default", n + "/out.tgz", 42, "ab".repeat(32));
        StoredNode running = new StoredNode("n-2", 2, "wf.step(0:a)", "step(0:a)", NodeType.PLUGIN, "greet",
                NodePhase.RUNNING, "", Optional.of("n-1"), 1, Optional.of(T0), Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), Map.of());
        StoredNode done = new StoredNode("n-2", 2, "wf.step(0:a)", "step(0:a)", NodeType.PLUGIN, "greet",
                NodePhase.FAILED, "exit code 3", Optional.of("n-1"), 1, Optional.of(T0),
                Optional.of(T0.plusMillis(1500)), Optional.of(3), Map.of("greeting", "héllo", "empty", ""),
                Optional.of("line 1\nline 2"), Map.of("out", loc));
        store.saveNode(n, node("n-1", 1, NodePhase.RUNNING, Optional.empty()));
        store.saveNode(n, running);
        store.saveNode(n, done).join();

        assertThat(store.nodes(n)).containsExactly(node("n-1", 1, NodePhase.RUNNING, Optional.empty()), done);
        assertThat(store.nodes("no-such-run")).isEmpty();
    }

    @Test
    void theEventLogHoldsEveryTransitionInCommitOrder() {
        String n = name("events-");
        store.createRun(submitted(n, T0, Map.of())).join();
        store.updateRun(n, RunUpdate.started(T0));
        store.saveNode(n, node("a", 1, NodePhase.PENDING, Optional.empty()));
        store.saveNode(n, node("a", 1, NodePhase.RUNNING, Optional.empty()));
        store.saveNode(n, node("b", 2, NodePhase.PENDING, Optional.of("a")));
        store.saveNode(n, node("a", 1, NodePhase.SUCCEEDED, Optional.empty()));
        store.updateRun(n, RunUpdate.finished(NodePhase.SUCCEEDED, RunOutcome.SUCCEEDED, "", T0.plusSeconds(2)))
                .join();

        List<RunEvent> events = store.events(n);
        assertThat(events).extracting(e -> e.nodeId().orElse("run") + ":" + e.phase()).containsExactly(
                "run:PENDING", "run:RUNNING", "a:PENDING", "a:RUNNING", "b:PENDING", "a:SUCCEEDED",
                "run:SUCCEEDED");
        assertThat(events).extracting(RunEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> assertThat(e.runName()).isEqualTo(n));
    }

    @Test
    void aWriteForAnUnknownRunFailsAndNamesTheRun() {
        CompletableFuture<Void> f = store.updateRun("ghost-run", RunUpdate.started(T0));
        assertThatThrownBy(f::join).hasMessageContaining("ghost-run");
        // the writer goes on after a failed write
        String n = name("after-");
        store.createRun(submitted(n, T0, Map.of())).join();
        assertThat(store.get(n)).isPresent();
    }

    @Test
    void listFiltersByPhaseNamePrefixTimeAndLabelsNewestFirst() {
        store.createRun(submitted("etl-1", T0, Map.of("team", "data", "env", "prod"))).join();
        store.createRun(submitted("etl-2", T0.plusSeconds(10), Map.of("team", "data", "env", "test"))).join();
        store.createRun(submitted("etl_x", T0.plusSeconds(20), Map.of("team", "web"))).join();
        store.createRun(submitted("web-1", T0.plusSeconds(30), Map.of("team", "web"))).join();
        store.updateRun("etl-2", RunUpdate.started(T0.plusSeconds(11))).join();

        assertThat(names(store.list(RunQuery.all()))).containsExactly("web-1", "etl_x", "etl-2", "etl-1");
        assertThat(names(store.list(RunQuery.all().inPhase(NodePhase.RUNNING)))).containsExactly("etl-2");
        assertThat(names(store.list(RunQuery.all().inPhase(NodePhase.RUNNING, NodePhase.PENDING)))).hasSize(4);
        // '_' and '%' in a prefix are literal, not wildcards
        assertThat(names(store.list(RunQuery.all().namedWith("etl-")))).containsExactly("etl-2", "etl-1");
        assertThat(names(store.list(RunQuery.all().namedWith("etl_")))).containsExactly("etl_x");
        assertThat(names(store.list(RunQuery.all().namedWith("%")))).isEmpty();
        assertThat(names(store.list(RunQuery.all().createdBetween(T0.plusSeconds(10), T0.plusSeconds(30)))))
                .containsExactly("etl_x", "etl-2");
        assertThat(names(store.list(RunQuery.all().labelled("team", "data").labelled("env", "prod"))))
                .containsExactly("etl-1");
        assertThat(names(store.list(RunQuery.all().labelled("team", "web").limit(1)))).containsExactly("web-1");
        assertThat(store.list(RunQuery.all().namedWith("etl-1")).get(0).labels())
                .isEqualTo(Map.of("team", "data", "env", "prod"));
    }

    private static List<String> names(List<StoredRun> runs) {
        return runs.stream().map(StoredRun::name).toList();
    }

    @Test
    void deleteRemovesTheRunWithItsNodesAndEvents() {
        String n = name("del-");
        String other = name("keep-");
        store.createRun(submitted(n, T0, Map.of("a", "b"))).join();
        store.createRun(submitted(other, T0, Map.of())).join();
        store.saveNode(n, node("x", 1, NodePhase.RUNNING, Optional.empty())).join();

        assertThat(store.delete(n)).isTrue();
        assertThat(store.get(n)).isEmpty();
        assertThat(store.nodes(n)).isEmpty();
        assertThat(store.events(n)).isEmpty();
        assertThat(store.delete(n)).isFalse();
        assertThat(store.get(other)).isPresent();
        // the name is free again
        store.createRun(submitted(n, T0, Map.of())).join();
        assertThat(store.nodes(n)).isEmpty();
    }

    @Test
    void claimTakesUnfinishedUnownedRunsOnceUntilTheLeaseRunsOut() {
        String open1 = name("open-");
        String open2 = name("open-");
        String done = name("done-");
        store.createRun(submitted(open1, T0, Map.of())).join();
        store.createRun(submitted(open2, T0.plusSeconds(1), Map.of())).join();
        store.createRun(submitted(done, T0, Map.of())).join();
        store.updateRun(done, RunUpdate.finished(NodePhase.SUCCEEDED, RunOutcome.SUCCEEDED, "", T0)).join();

        List<StoredRun> claimed = store.claimUnfinished("engine-a", Duration.ofMinutes(10));

        assertThat(names(claimed)).containsExactly(open1, open2);
        assertThat(claimed).allSatisfy(r -> {
            assertThat(r.owner()).contains("engine-a");
            assertThat(r.leaseUntil()).isPresent();
        });
        assertThat(store.get(open1).orElseThrow().owner()).contains("engine-a");
        assertThat(store.claimUnfinished("engine-b", Duration.ofMinutes(10))).isEmpty();
        assertThat(store.renewLease(open1, "engine-a", Duration.ofMinutes(10))).isTrue();
        assertThat(store.renewLease(open1, "engine-b", Duration.ofMinutes(10))).isFalse();
    }

    @Test
    void oneRunIsClaimedByNameOnlyWhileUnfinishedAndFree() {
        String open = name("one-");
        String done = name("one-done-");
        store.createRun(submitted(open, T0, Map.of())).join();
        store.createRun(submitted(done, T0, Map.of())).join();
        store.updateRun(done, RunUpdate.finished(NodePhase.FAILED, RunOutcome.FAILED, "boom", T0)).join();

        assertThat(store.claim(open, "engine-a", Duration.ofMinutes(10))).get()
                .satisfies(r -> assertThat(r.owner()).contains("engine-a"));
        assertThat(store.claim(open, "engine-b", Duration.ofMinutes(10))).isEmpty();
        assertThat(store.claim(done, "engine-b", Duration.ofMinutes(10))).isEmpty();
        assertThat(store.claim(name("missing-"), "engine-b", Duration.ofMinutes(10))).isEmpty();
        assertThat(store.get(open).orElseThrow().owner()).contains("engine-a");
    }

    @Test
    void aFinishedRunIsReopenedAsRunningWithItsNodesKept() {
        String n = name("retry-");
        store.createRun(submitted(n, T0, Map.of())).join();
        store.updateRun(n, RunUpdate.started(T0)).join();
        store.saveNode(n, node("a", 0, NodePhase.SUCCEEDED, Optional.empty())).join();
        store.saveNode(n, node("b", 1, NodePhase.FAILED, Optional.of("a"))).join();
        store.updateRun(n, RunUpdate.finished(NodePhase.FAILED, RunOutcome.FAILED, "b failed", T0.plusSeconds(2)));

        StoredRun open = store.reopen(n, "engine-a", Duration.ofMinutes(10)).orElseThrow();

        assertThat(open.finished()).isFalse();
        assertThat(open.phase()).isEqualTo(NodePhase.RUNNING);
        assertThat(open.outcome()).isEmpty();
        assertThat(open.message()).isEmpty();
        assertThat(open.owner()).contains("engine-a");
        assertThat(open.startedAt()).isPresent();
        assertThat(store.get(n)).contains(open);
        assertThat(store.nodes(n)).extracting(StoredNode::phase).containsExactly(NodePhase.SUCCEEDED,
                NodePhase.FAILED);
        assertThat(store.events(n)).last().satisfies(e -> assertThat(e.message()).isEqualTo("retried"));
        assertThat(store.reopen(n, "engine-b", Duration.ofMinutes(10))).as("an unfinished run").isEmpty();
        assertThat(store.reopen(name("missing-"), "engine-b", Duration.ofMinutes(10))).isEmpty();
    }

    @Test
    void anExpiredLeaseLetsAnotherOwnerClaimTheRun() throws InterruptedException {
        String n = name("lease-");
        store.createRun(submitted(n, T0, Map.of())).join();
        // A lease of zero ends at the moment it is granted, by the store's clock: claimable by the next claim.
        assertThat(names(store.claimUnfinished("engine-a", Duration.ZERO))).containsExactly(n);
        assertThat(names(store.claimUnfinished("engine-b", Duration.ofMillis(200)))).containsExactly(n);
        assertThat(store.get(n).orElseThrow().owner()).contains("engine-b");
        assertThat(store.renewLease(n, "engine-a", Duration.ofMinutes(1))).isFalse();

        // A short lease runs out by the store's clock; wait for that rather than for a fixed time.
        List<StoredRun> taken = List.of();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (taken.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(50);
            taken = store.claimUnfinished("engine-c", Duration.ofMinutes(1));
        }
        assertThat(names(taken)).containsExactly(n);
        assertThat(store.renewLease(n, "engine-b", Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void concurrentWritesShareTransactions() throws Exception {
        String n = name("batch-");
        store.createRun(submitted(n, T0, Map.of())).join();
        long before = store.commits();
        int writers = 4;
        int perWriter = 250;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            List<java.util.concurrent.Future<?>> submitters = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int base = w * perWriter;
                submitters.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        all.add(store.saveNode(n, node("t" + (base + i), base + i, NodePhase.RUNNING,
                                Optional.empty())));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> s : submitters) {
                s.get();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        long commits = store.commits() - before;
        assertThat(store.nodes(n)).hasSize(writers * perWriter);
        assertThat(store.events(n)).hasSize(writers * perWriter + 1);
        if (groupCommits()) {
            assertThat(commits).as("transactions for 1000 node writes").isBetween(1L, 100L);
        } else {
            assertThat(commits).isEqualTo(writers * perWriter);
        }
    }

    @Test
    void aCompletedWriteIsVisibleToReadsAndFlushWaitsForEarlierWrites() {
        String n = name("flush-");
        store.createRun(submitted(n, T0, Map.of()));
        for (int i = 0; i < 50; i++) {
            store.saveNode(n, node("f" + i, i, NodePhase.SUCCEEDED, Optional.empty()));
        }
        store.flush().join();
        assertThat(store.nodes(n)).hasSize(50);
    }

    @Test
    void redactedArgumentsNeverReachTheStore() {
        String n = name("secret-");
        StoredRun run = StoredRun.submitted(n, WORKFLOW, Map.of("token", "s3cr3t-value", "user", "ann"), Map.of(), T0)
                .redacted(Set.of("token"));
        store.createRun(run).join();

        assertThat(store.get(n).orElseThrow().arguments())
                .isEqualTo(Map.of("token", StoredRun.REDACTED, "user", "ann"));
        assertThat(store.get(n).orElseThrow().toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void writesAfterCloseFail() {
        RunStore other;
        try {
            other = newStore();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        other.close();
        assertThat(other.createRun(submitted(name("late-"), T0, Map.of()))).failsWithin(Duration.ofSeconds(30));
    }
}
