package dev.weft.engine.exec;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted actions one at a time, in order, on a shared pool (or on the engine worker that just finished a
 * task, see {@link #onWorker()}): a run's state is touched only from here, so it needs no locks, and no thread is
 * held while nothing is queued.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Most actions drained in one go on a worker thread before the rest are handed to the pool. */
    private static final int INLINE_LIMIT = 256;

    private final Executor pool;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor onWorker = this::executeOnWorker;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable action) {
        queue.add(action);
        schedule();
    }

    /**
     * This executor for completions arriving on engine {@link WorkerThread}s: when nothing is draining, the
     * completing worker drains the queue itself (up to a limit) instead of waking a pool thread. Other threads
     * (process waiters, timers, callers) still hand off to the pool, so they never run scheduling work.
     */
    Executor onWorker() {
        return onWorker;
    }

    private void executeOnWorker(Runnable action) {
        queue.add(action);
        if (Thread.currentThread() instanceof WorkerThread && draining.compareAndSet(false, true)) {
            drain(INLINE_LIMIT);
        } else {
            schedule();
        }
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            pool.execute(() -> drain(Integer.MAX_VALUE));
        }
    }

    private void drain(int limit) {
        try {
            Runnable next;
            int ran = 0;
            while (ran++ < limit && (next = queue.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("internal error in run scheduling", e);
                }
            }
        } finally {
            draining.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }
}
