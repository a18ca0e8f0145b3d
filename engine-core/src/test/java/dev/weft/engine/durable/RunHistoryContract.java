package dev.weft.engine.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.Engine;
import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.history.LogStream;
import dev.weft.engine.history.RunLogLine;
import dev.weft.engine.history.RunQuery;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import dev.weft.engine.spec.Limits;
import dev.weft.engine.task.TaskOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code engine.runs()} does over a durable store: list, get, logs, delete, retry and resume. A subclass gives
 * the store (H2 file, Postgres); the engine is real and so are its node logs.
 */
abstract class RunHistoryContract {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Calls per node name, to prove what ran again and what did not. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** How many more times the flaky task fails. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private Engine engine;

    /** A new, empty store. */
    protected abstract RunStore newStore() throws Exception;

    @BeforeEach
    void startEngine() throws Exception {
        Limits limits = Limits.defaults().with(Map.of("limits.nodeLogBytes", "4000"));
        engine = Engine.builder().config(EngineConfig.defaults().withWorkRoot(dir.resolve("work")).withLimits(limits))
                .runStore(newStore())
                .handler("count", ctx -> {
                    calls.computeIfAbsent(ctx.nodeName(), k -> new AtomicInteger()).incrementAndGet();
                    ctx.log().info("counting {}", ctx.nodeName());
                    return TaskOutput.result("done by " + ctx.nodeName());
                })
                .handler("flaky", ctx -> {
                    calls.computeIfAbsent(ctx.nodeName(), k -> new AtomicInteger()).incrementAndGet();
                    if (failuresLeft.getAndDecrement() > 0) {
                        ctx.log().info("failing this time");
                        throw new IllegalStateException("flaky failed");
                    }
                    ctx.log().info("working this time");
                    return TaskOutput.result("flaky worked");
                })
                .handler("chatty", ctx -> {
                    for (int i = 0; i < 1000; i++) {
                        ctx.log().info("line {} of a long log", i);
                    }
                    return TaskOutput.empty();
                })
                .handler("wait", ctx -> {
                    release.await();
                    return TaskOutput.empty();
                })
                .build();
    }

    @AfterEach
    void stopEngine() {
        release.countDown();
        engine.close();
    }

    private static String dag(String name) {
        return """
                metadata: {name: %s, labels: {team: data}}
                spec:
                  entrypoint: main
                  templates:
                  - name: main
                    dag:
                      tasks:
                      - {name: first, template: count}
                      - {name: flaky, template: flaky, depends: first}
                      - {name: after, template: count, depends: flaky}
                      - {name: aside, template: count, depends: first}
                  - {name: count, plugin: {count: {}}}
                  - {name: flaky, plugin: {flaky: {}}}
                """.formatted(name);
    }

    private RunResult run(String yaml) throws Exception {
        WorkflowRun run = engine.submitYaml(yaml, "test.yaml", Map.of(), List.of());
        return run.await(WAIT);
    }

    private int calls(String node) {
        AtomicInteger n = calls.get(node);
        return n == null ? 0 : n.get();
    }

    @Test
    void aFailedRunIsRetriedRunningOnlyWhatDidNotSucceed() throws Exception {
        failuresLeft.set(1);
        RunResult failed = run(dag("retry-me"));
        assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        String flakyId = failed.node("flaky").orElseThrow().id();

        RunResult retried = engine.runs().retry("retry-me").await(WAIT);

        assertThat(retried.outcome()).as(retried.message()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(calls("retry-me.first")).isEqualTo(1);
        assertThat(calls("retry-me.aside")).isEqualTo(1);
        assertThat(calls("retry-me.flaky")).isEqualTo(2);
        assertThat(calls("retry-me.after")).isEqualTo(1);
        assertThat(retried.node("first").orElseThrow().outputs().result()).contains("done by retry-me.first");
        assertThat(retried.node("flaky").orElseThrow().id()).as("the node keeps its id").isEqualTo(flakyId);

        StoredRun stored = engine.runs().get("retry-me").orElseThrow();
        assertThat(stored.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(stored.finished()).isTrue();
        assertThat(engine.runs().nodes("retry-me")).extracting(StoredNode::phase).containsOnly(NodePhase.SUCCEEDED);
        assertThat(engine.runs().events("retry-me")).extracting(e -> e.message()).contains("retried");
        // the failed attempt's lines stay, then a mark, then the new attempt's
        try (Stream<RunLogLine> log = engine.runs().logs("retry-me", "flaky")) {
            assertThat(log.map(l -> l.line().text()).toList()).satisfiesExactly(
                    l -> assertThat(l).isEqualTo("failing this time"),
                    l -> assertThat(l).contains("flaky failed"),
                    l -> assertThat(l).startsWith("retried at ").contains("new attempt"),
                    l -> assertThat(l).isEqualTo("working this time"));
        }
    }

    @Test
    void retryRefusesWhatItCannotRetryAndChangesNothing() throws Exception {
        RunResult ok = run(dag("all-good"));
        assertThat(ok.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        assertThatThrownBy(() -> engine.runs().retry("all-good")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("succeeded: there is nothing to retry");
        assertThatThrownBy(() -> engine.runs().retry("no-such-run")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no run named 'no-such-run'");
        assertThat(engine.runs().get("all-good").orElseThrow().phase()).isEqualTo(NodePhase.SUCCEEDED);

        WorkflowRun waiting = engine.submitYaml("""
                metadata: {name: still-running}
                spec:
                  entrypoint: w
                  templates: [{name: w, plugin: {wait: {}}}]
                """, "wait.yaml", Map.of(), List.of());
        assertThatThrownBy(() -> engine.runs().retry("still-running")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has not finished");
        assertThatThrownBy(() -> engine.runs().delete("still-running")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is still running");
        release.countDown();
        assertThat(waiting.await(WAIT).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    }

    @Test
    void aRunIsListedByLabelAndPrefixAndDeletedWithItsLogs() throws Exception {
        run(dag("list-a"));
        run(dag("list-b"));
        run("""
                metadata: {name: other}
                spec:
                  entrypoint: c
                  templates: [{name: c, plugin: {count: {}}}]
                """);

        assertThat(engine.runs().list(RunQuery.all().labelled("team", "data"))).extracting(StoredRun::name)
                .containsExactlyInAnyOrder("list-a", "list-b");
        assertThat(engine.runs().list(RunQuery.all().namedWith("oth"))).extracting(StoredRun::name)
                .containsExactly("other");
        Path logs = engine.nodeLogs().runDirectory("list-a");
        assertThat(logs).isDirectory();

        assertThat(engine.runs().delete("list-a")).isTrue();

        assertThat(engine.runs().get("list-a")).isEmpty();
        assertThat(logs).doesNotExist();
        assertThat(engine.runs().list(RunQuery.all())).extracting(StoredRun::name)
                .containsExactlyInAnyOrder("list-b", "other");
        assertThat(engine.runs().delete("list-a")).isFalse();
    }

    @Test
    void aLogOverItsCapKeepsItsStartAndSaysWhatWasDropped() throws Exception {
        RunResult result = run("""
                metadata: {name: chatty}
                spec:
                  entrypoint: c
                  templates: [{name: c, plugin: {chatty: {}}}]
                """);
        assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);

        StoredNode node = engine.runs().nodes("chatty").get(0);
        List<String> lines;
        try (Stream<RunLogLine> log = engine.runs().logs("chatty", "chatty")) {
            lines = log.map(l -> l.line().stream().tag() + " " + l.line().text()).toList();
        }
        assertThat(lines.get(0)).isEqualTo("h line 0 of a long log");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("! truncated: this log reached its cap of 4000"))
                .anySatisfy(l -> assertThat(l).matches("! dropped \\d+ lines \\(\\d+ bytes\\) over the cap"))
                .noneSatisfy(l -> assertThat(l).contains("line 999 "));
        assertThat(engine.nodeLogs().read("chatty", node.id(), node.attempt()).truncated()).isTrue();
        assertThat(Files.size(engine.nodeLogs().file("chatty", node.id(), node.attempt()))).isLessThan(4200);
    }

    @Test
    void anUnfinishedRunWhoseEngineStoppedIsResumedByName() throws Exception {
        String yaml = dag("orphan");
        // what an engine that died right after submitting leaves: the run, held by it with a lease that ran out
        engine.runStore().createRun(StoredRun.submitted("orphan", yaml, Map.of(), Map.of(), Instant.now())
                .ownedBy("dead-engine", Instant.now().minusSeconds(1))).join();

        assertThatThrownBy(() -> engine.runs().resume("no-such-run")).isInstanceOf(NoSuchElementException.class);
        RunResult resumed = engine.runs().resume("orphan").await(WAIT);

        assertThat(resumed.outcome()).as(resumed.message()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(calls("orphan.first")).isEqualTo(1);
        assertThat(engine.runs().get("orphan").orElseThrow().finished()).isTrue();
        assertThatThrownBy(() -> engine.runs().resume("orphan")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has finished");
        try (Stream<RunLogLine> log = engine.runs().logs("orphan")) {
            assertThat(log.filter(l -> l.line().stream() == LogStream.HANDLER).map(l -> l.node().displayName()))
                    .containsExactlyInAnyOrder("first", "flaky", "after", "aside");
        }
    }

    @Test
    void aResumedRetryDoesNotServeAgainTheBackoffItServedBeforeTheCrash() throws Exception {
        String yaml = """
                metadata: {name: backoff}
                spec:
                  entrypoint: flaky
                  templates:
                  - name: flaky
                    retryStrategy: {limit: 2, retryPolicy: Always, backoff: {duration: "1h"}}
                    plugin: {flaky: {}}
                """;
        Instant anHourAgo = Instant.now().minus(Duration.ofMinutes(61));
        // what an engine that died an hour into the backoff after attempt 0 failed leaves in the store
        RunStore store = engine.runStore();
        store.createRun(StoredRun.submitted("backoff", yaml, Map.of(), Map.of(), anHourAgo)
                .ownedBy("dead-engine", Instant.now().minusSeconds(1))).join();
        store.saveNode("backoff", new StoredNode("backoff-0", 0, "backoff", "backoff", dev.weft.engine.NodeType.RETRY,
                "flaky", NodePhase.RUNNING, "", java.util.Optional.empty(), 0, java.util.Optional.of(anHourAgo),
                java.util.Optional.empty(), java.util.Optional.empty(), Map.of(), java.util.Optional.empty(),
                Map.of())).join();
        store.saveNode("backoff", new StoredNode("backoff-1", 1, "backoff(0)", "backoff(0)",
                dev.weft.engine.NodeType.PLUGIN, "flaky", NodePhase.FAILED, "flaky failed",
                java.util.Optional.of("backoff-0"), 0, java.util.Optional.of(anHourAgo),
                java.util.Optional.of(anHourAgo), java.util.Optional.empty(), Map.of(), java.util.Optional.empty(),
                Map.of())).join();

        // were the hour served again, this would not end within the wait
        RunResult result = engine.runs().resume("backoff").await(WAIT);

        assertThat(result.outcome()).as(result.message()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(result.node("backoff(0)").orElseThrow().phase()).isEqualTo(NodePhase.FAILED);
        assertThat(result.node("backoff(1)").orElseThrow().outputs().result()).contains("flaky worked");
        assertThat(calls("backoff(1)")).isEqualTo(1);
        assertThat(calls("backoff(0)")).as("the failed attempt is not run again").isZero();
    }
}
