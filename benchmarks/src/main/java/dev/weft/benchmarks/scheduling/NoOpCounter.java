package dev.weft.benchmarks.scheduling;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The no-op every scheduler runs: it only counts, so a runner can check that all tasks ran. One counter per runner
 * instance; not static.
 */
final class NoOpCounter {

    private final AtomicInteger count = new AtomicInteger();

    void run() {
        count.incrementAndGet();
    }

    /** Resets and returns the count so far. */
    int take() {
        return count.getAndSet(0);
    }

    /** Fails unless exactly {@code expected} tasks ran since the last check. */
    void expect(String who, DagShape shape, int expected) {
        int ran = take();
        if (ran != expected) {
            throw new IllegalStateException(who + " ran " + ran + " of the " + expected + " tasks of " + shape.name());
        }
    }
}
