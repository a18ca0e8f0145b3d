package dev.weft.benchmarks.scheduling;

import com.github.dexecutor.core.DefaultDexecutor;
import com.github.dexecutor.core.DexecutorConfig;
import com.github.dexecutor.core.ExecutionConfig;
import com.github.dexecutor.core.task.ExecutionResults;
import com.github.dexecutor.core.task.Task;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The peer: dexecutor-core 2.1.2 given the same graph ({@code addDependency(before, after)}, {@code addIndependent}
 * for roots) and a fixed pool as large as the engine's handler pool, run with {@link ExecutionConfig#TERMINATING}.
 */
final class DexecutorRunner implements DagRunner {

    private final ExecutorService pool;
    private final NoOpCounter counter = new NoOpCounter();

    DexecutorRunner(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dexecutor-task");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String label() {
        return "dexecutor 2.1.2";
    }

    @Override
    public void run(DagShape shape) {
        counter.take(); // forget what an abandoned earlier run left behind
        DefaultDexecutor<Integer, Integer> dexecutor = new DefaultDexecutor<>(
                new DexecutorConfig<>(pool, id -> new NoOpTask(counter)));
        int[][] deps = shape.deps();
        for (int i = 0; i < deps.length; i++) {
            if (deps[i].length == 0) {
                dexecutor.addIndependent(i);
            }
            for (int d : deps[i]) {
                dexecutor.addDependency(d, i);
            }
        }
        ExecutionResults<Integer, Integer> results = dexecutor.execute(ExecutionConfig.TERMINATING);
        if (results.hasAnyResult() && !results.getErrored().isEmpty()) {
            throw new IllegalStateException("dexecutor: " + results.getErrored().size() + " tasks failed");
        }
        counter.expect(label(), shape, deps.length);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** dexecutor's task type; Task is Serializable, so the counter is transient. */
    private static final class NoOpTask extends Task<Integer, Integer> {
        private static final long serialVersionUID = 1L;
        private final transient NoOpCounter counter;

        NoOpTask(NoOpCounter counter) {
            this.counter = counter;
        }

        @Override
        public Integer execute() {
            counter.run();
            return 0;
        }
    }
}
