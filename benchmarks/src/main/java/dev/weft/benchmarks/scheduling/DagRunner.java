package dev.weft.benchmarks.scheduling;

/** Runs a graph of no-op tasks to completion with one scheduler, checking that every task ran exactly once. */
interface DagRunner extends AutoCloseable {

    /** What the table calls it. */
    String label();

    /** Builds the scheduler's own representation of {@code shape}, runs it, and returns when every task is done. */
    void run(DagShape shape) throws Exception;

    @Override
    void close();
}
