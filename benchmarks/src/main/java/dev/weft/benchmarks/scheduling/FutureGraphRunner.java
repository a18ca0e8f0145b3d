package dev.weft.benchmarks.scheduling;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor: the same graph as raw {@link CompletableFuture}s, each no-op started with {@code thenRunAsync} on a
 * fixed pool as large as the engine's handler pool, once all its dependencies' futures completed. No names, no
 * states, no results: what any scheduler must at least do.
 */
final class FutureGraphRunner implements DagRunner {

    private final ExecutorService pool;
    private final NoOpCounter counter = new NoOpCounter();

    FutureGraphRunner(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "floor-task");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String label() {
        return "CompletableFuture graph";
    }

    @Override
    public void run(DagShape shape) {
        counter.take(); // forget what an abandoned earlier run left behind
        int[][] deps = shape.deps();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] futures = new CompletableFuture[deps.length];
        for (int i = 0; i < deps.length; i++) {
            int[] d = deps[i];
            if (d.length == 0) {
                futures[i] = CompletableFuture.runAsync(counter::run, pool);
            } else if (d.length == 1) {
                futures[i] = futures[d[0]].thenRunAsync(counter::run, pool);
            } else {
                CompletableFuture<?>[] before = new CompletableFuture[d.length];
                for (int k = 0; k < d.length; k++) {
                    before[k] = futures[d[k]];
                }
                futures[i] = CompletableFuture.allOf(before).thenRunAsync(counter::run, pool);
            }
        }
        CompletableFuture.allOf(futures).join();
        counter.expect(label(), shape, deps.length);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
