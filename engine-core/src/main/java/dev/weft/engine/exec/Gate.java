package dev.weft.engine.exec;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An asynchronous counting semaphore for parallelism limits: a waiting action is queued, not parked on a thread.
 * Confined to a run's serial executor.
 */
final class Gate {

    private int permits;
    private final Deque<Runnable> waiting = new ArrayDeque<>();

    Gate(int permits) {
        this.permits = permits;
    }

    /** Runs {@code action} now if a permit is free, else when one is released. The action must release it. */
    void acquire(Runnable action) {
        if (permits > 0) {
            permits--;
            action.run();
        } else {
            waiting.add(action);
        }
    }

    /** Hands the permit to the next waiter, or returns it. */
    void release(java.util.concurrent.Executor executor) {
        Runnable next = waiting.poll();
        if (next != null) {
            // through the executor, so a long chain of releases never deepens the stack
            executor.execute(next);
        } else {
            permits++;
        }
    }

    /** No limit. */
    static Gate open() {
        return new Gate(Integer.MAX_VALUE);
    }
}
