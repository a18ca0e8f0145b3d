package dev.weft.benchmarks.scheduling;

import dev.weft.benchmarks.BenchContext;
import dev.weft.benchmarks.HeapPeak;
import dev.weft.benchmarks.Scenario;
import dev.weft.benchmarks.report.Goal;
import dev.weft.benchmarks.report.Row;
import dev.weft.benchmarks.report.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Scenario 1: scheduling overhead of 10,000 no-op Java tasks (2,000 with --quick) in three shapes, in one JVM:
 * Weft's {@code Engine} against a raw {@code CompletableFuture} graph (the floor) and dexecutor (the peer), all with
 * the same number of task threads. Reports µs per task (wall time / tasks, graph construction included for all
 * three) and the peak heap of a run. A dexecutor run that exceeds its budget is abandoned and reported as a lower
 * bound.
 */
public final class SchedulingScenario implements Scenario {

    @Override
    public String name() {
        return "scheduling";
    }

    @Override
    public String title() {
        return "1. Scheduling overhead (no-op Java tasks)";
    }

    @Override
    public String description() {
        return "10,000 no-op TaskHandler tasks wide/deep/random: Weft Engine vs CompletableFuture floor vs dexecutor";
    }

    @Override
    public List<Row> run(BenchContext context) throws Exception {
        int n = (int) context.size(10_000, 2_000);
        int runs = context.runs(5, 3);
        // Weft and the floor are warmed until the JIT has compiled their paths: Weft's wide run still gets faster
        // up to about the 30th run (51 µs per task cold, 11 after 10 runs, 2-5 after 30), the floor's tiny path is
        // compiled after a few. A run takes well under a second. dexecutor only twice: one wide run takes minutes.
        int warmups = context.options().quick() ? 3 : 30;
        int peerWarmups = 2;
        double budget = Double.parseDouble(System.getProperty("weft.bench.budget",
                context.options().quick() ? "20" : "30"));
        List<DagShape> shapes = List.of(DagShape.wide(n), DagShape.deep(n), DagShape.random(n, 42));
        List<Row> rows = new ArrayList<>();
        try (WeftRunner weft = new WeftRunner(context.scratch());
             FutureGraphRunner floor = new FutureGraphRunner(weft.handlerThreads());
             DexecutorRunner peer = new DexecutorRunner(weft.handlerThreads())) {
            for (DagShape shape : shapes) {
                List<DagRunner> runners = new ArrayList<>(List.of(weft, floor, peer));
                Map<DagRunner, List<Double>> micros = new LinkedHashMap<>();
                Map<DagRunner, List<Double>> heap = new LinkedHashMap<>();
                runners.forEach(r -> {
                    micros.put(r, new ArrayList<>());
                    heap.put(r, new ArrayList<>());
                });
                boolean peerFinished = true;
                for (int w = 0; w < warmups; w++) {
                    weft.run(shape);
                    floor.run(shape);
                    if (w < peerWarmups && peerFinished && Budget.run(peer, shape, budget).isEmpty()) {
                        peerFinished = false;
                        runners.remove(peer);
                        System.out.printf("%s: dexecutor did not finish within %.0f s; dropped for this shape%n",
                                shape.name(), budget);
                    }
                }
                for (int r = 0; r < runs; r++) {
                    // Rotate the order so no runner always follows the same one (GC debt, JIT, caches).
                    for (int k = 0; k < runners.size(); k++) {
                        DagRunner runner = runners.get((r + k) % runners.size());
                        HeapPeak.reset();
                        OptionalDouble seconds = Budget.run(runner, shape, runner == peer ? budget : 600);
                        if (seconds.isEmpty()) {
                            throw new IllegalStateException(runner.label() + " exceeded its budget on " + shape.name());
                        }
                        micros.get(runner).add(seconds.getAsDouble() * 1e6 / shape.size());
                        heap.get(runner).add(HeapPeak.peakMiB());
                    }
                }
                String what = shape.label();
                String note = String.format("%,d tasks, %,d edges; %d task threads", shape.size(), shape.edges(),
                        weft.handlerThreads());
                rows.add(Row.compared(name(), what + ": µs per task", "µs", new Samples(micros.get(weft)),
                        floor.label() + " (floor)", new Samples(micros.get(floor)), Goal.atMost(1.3), note));
                if (peerFinished) {
                    rows.add(Row.compared(name(), what + ": µs per task", "µs", new Samples(micros.get(weft)),
                            peer.label() + " (peer)", new Samples(micros.get(peer)), Goal.atMost(1.0),
                            "goal: faster than dexecutor"));
                } else {
                    rows.add(Row.compared(name(), what + ": µs per task", "µs", new Samples(micros.get(weft)),
                            peer.label() + " (peer)", Samples.of(budget * 1e6 / shape.size()), Goal.atMost(1.0),
                            String.format("dexecutor did not finish one run in %.0f s: its figure is a lower bound"
                                    + " (list scans per completed node, quadratic in fan-in)", budget)));
                }
                rows.add(Row.compared(name(), what + ": peak heap", "MiB", new Samples(heap.get(weft)),
                        floor.label() + " (floor)", new Samples(heap.get(floor)), Goal.none(),
                        peerFinished ? String.format("dexecutor: %.0f MiB", new Samples(heap.get(peer)).median())
                                : "includes the resting heap"));
                rows.subList(rows.size() - 3, rows.size()).forEach(System.out::println);
            }
        }
        return rows;
    }
}
