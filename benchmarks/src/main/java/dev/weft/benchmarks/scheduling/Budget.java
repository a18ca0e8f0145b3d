package dev.weft.benchmarks.scheduling;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one measurement on its own thread with a time budget. dexecutor's state checks scan lists, so its cost
 * grows with the square of a node's fan-in and the wide shape at 10,000 tasks takes many minutes; such a run is
 * abandoned after the budget (the thread is stopped: a CPU-bound third-party loop cannot be interrupted, and it
 * would otherwise burn a core under every later measurement).
 */
final class Budget {

    private Budget() {
    }

    /** Seconds the task took, or empty when it exceeded {@code budgetSeconds} and was abandoned. */
    @SuppressWarnings({"deprecation", "removal"})
    static java.util.OptionalDouble run(DagRunner runner, DagShape shape, double budgetSeconds) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A deep stack: dexecutor validates the graph with a recursive depth-first search, one frame pair per node
        // of a 10,000-task chain.
        Thread thread = new Thread(null, () -> {
            try {
                runner.run(shape);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "budgeted-" + runner.label(), 256L << 20);
        thread.setDaemon(true);
        long t0 = System.nanoTime();
        thread.start();
        thread.join((long) (budgetSeconds * 1000));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (thread.isAlive()) {
            try {
                thread.stop();
                thread.join(10_000);
            } catch (UnsupportedOperationException jdk20AndLater) {
                // Thread.stop is gone since JDK 20: the daemon thread is left to run out and the note says so
                System.out.println("warning: " + thread.getName() + " could not be stopped on this JDK; it keeps a"
                        + " core busy until it ends, so later figures of this scenario are pessimistic");
            }
            return java.util.OptionalDouble.empty();
        }
        Throwable failed = failure.get();
        if (failed instanceof Exception e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(runner.label() + " failed on " + shape.name() + ": " + failed, failed);
        }
        return java.util.OptionalDouble.of(seconds);
    }
}
