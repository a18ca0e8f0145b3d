package dev.weft.engine.exec;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted actions one at a time, in order, on a shared pool: a run's state is touched only from here, so it
 * needs no locks, and no thread is held while nothing is queued.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable action) {
        queue.add(action);
        schedule();
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable next;
            while ((next = queue.poll()) != null) {
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
