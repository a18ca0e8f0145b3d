package dev.weft.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.RunResult;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.task.TaskOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property tests over seeded random DAGs (seed in every message, so a failure is reproducible): every run
 * terminates (no deadlock), every task runs exactly once, and each task starts only after all its dependencies
 * finished.
 */
class RandomDagTest {

    private static final Map<String, Long> STARTED = new ConcurrentHashMap<>();
    private static final Map<String, Long> FINISHED = new ConcurrentHashMap<>();
    private static final AtomicLong CLOCK = new AtomicLong();
    private static final Engine ENGINE = Engine.builder().expressions(new DefaultExpressions())
            .handler("tick", ctx -> {
                String key = ctx.workflowName() + "/" + ctx.parameters().get("task");
                if (STARTED.putIfAbsent(key, CLOCK.incrementAndGet()) != null) {
                    throw new IllegalStateException("ran twice: " + key);
                }
                if (ctx.parameters().get("task").hashCode() % 3 == 0) {
                    Thread.yield();
                }
                FINISHED.put(key, CLOCK.incrementAndGet());
                return TaskOutput.empty();
            })
            .handler("no-op", ctx -> TaskOutput.empty())
            .build();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    static LongStream seeds() {
        return LongStream.range(0, 150);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomDagsTerminateAndRespectEveryEdge(long seed) throws Exception {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(40);
        List<List<Integer>> deps = new ArrayList<>();
        List<DagTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Integer> d = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(Math.max(1, i)) < 2) {
                    d.add(j);
                }
            }
            deps.add(d);
            DagTask.Builder b = DagTask.builder("t" + i, "tick").argument("task", "t" + i);
            if (!d.isEmpty()) {
                List<String> names = d.stream().map(x -> "t" + x).toList();
                if (random.nextBoolean()) {
                    b.depends(String.join(" && ", names));
                } else {
                    b.dependencies(names.toArray(String[]::new));
                }
            }
            tasks.add(b.build());
        }
        // shuffle declaration order: the scheduler must not depend on it
        java.util.Collections.shuffle(tasks, random);
        Workflow.Builder wf = Workflow.builder().name("seed-" + seed).entrypoint("main")
                .template(Template.builder("main").dag(tasks))
                .template(Template.builder("tick").input("task").plugin("tick", Map.of()));
        if (random.nextBoolean()) {
            wf.parallelism(1 + random.nextInt(4));
        }
        RunResult r = ENGINE.submit(wf.build(), Map.of()).await(Duration.ofSeconds(60));
        assertThat(r.phase()).as("seed %d", seed).isEqualTo(NodePhase.SUCCEEDED);
        for (int i = 0; i < n; i++) {
            String key = "seed-" + seed + "/t" + i;
            assertThat(STARTED).as("seed %d: t%d ran", seed, i).containsKey(key);
            for (int d : deps.get(i)) {
                assertThat(FINISHED.get("seed-" + seed + "/t" + d)).as("seed %d: t%d finished before t%d started",
                        seed, d, i).isLessThan(STARTED.get(key));
            }
        }
    }

    @Test
    void tenThousandTaskDagCompletesWithoutAThreadPerTask() throws Exception {
        int n = 10_000;
        Random random = new Random(42);
        List<DagTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DagTask.Builder b = DagTask.builder("t" + i, "noop");
            if (i > 0) {
                int deps = 1 + random.nextInt(3);
                List<String> names = new ArrayList<>();
                for (int k = 0; k < deps; k++) {
                    names.add("t" + random.nextInt(i));
                }
                b.depends(String.join(" && ", names.stream().distinct().toList()));
            }
            tasks.add(b.build());
        }
        Workflow wf = Workflow.builder().name("big").entrypoint("main")
                .template(Template.builder("main").dag(tasks))
                .template(Template.builder("noop").plugin("no-op", Map.of())).build();
        int threadsBefore = Thread.activeCount();
        RunResult r = ENGINE.submit(wf, Map.of()).await(Duration.ofMinutes(5));
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.nodes().stream().filter(x -> x.phase() == NodePhase.SUCCEEDED).count()).isEqualTo(n + 1);
        // bounded pools only: far fewer threads than tasks
        assertThat(Thread.activeCount()).isLessThan(threadsBefore + 64);
    }
}
