package dev.weft.engine.history;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that applies queued writes in batches, one transaction per batch, so that a 10,000-task DAG
 * costs a few hundred commits (fsyncs) rather than 40,000. After taking a write it takes what else is queued; while
 * writes keep arriving it waits for more, up to {@code linger} (or until {@code maxBatch} are queued), then commits
 * them together and completes their futures. A lone write is committed at once. A batch
 * that fails is retried one write at a time, so that one bad write fails alone.
 *
 * @param <T> what a batch is applied to (a JDBC connection, a map under a lock)
 */
final class GroupCommitWriter<T> implements AutoCloseable {

    /** Applies a batch of writes in one transaction. */
    interface Sink<T> {
        void apply(List<Write<T>> batch) throws Exception;
    }

    /** One write: what to do inside the transaction. */
    interface Write<T> {
        void applyTo(T target) throws Exception;
    }

    private record Pending<T>(Write<T> write, CompletableFuture<Void> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Sink<T> sink;
    private final long lingerNanos;
    /** How long a burst of writes may pause and still count as one burst. */
    private static final long BURST_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private final int maxBatch;
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    GroupCommitWriter(String name, Sink<T> sink, java.time.Duration linger, int maxBatch) {
        this.sink = sink;
        this.lingerNanos = linger.toNanos();
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<Void> submit(Write<T> write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IllegalStateException("run store is closed"));
            return done;
        }
        queue.add(new Pending<>(write, done));
        return done;
    }

    /** Completes once everything queued so far is committed (a no-op write queued behind them). */
    CompletableFuture<Void> flush() {
        return submit(t -> { });
    }

    long commits() {
        return commits.get();
    }

    private void loop() {
        List<Pending<T>> batch = new ArrayList<>();
        while (true) {
            try {
                Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < maxBatch) {
                    boolean more = queue.drainTo(batch, maxBatch - batch.size()) > 0;
                    long left = deadline - System.nanoTime();
                    // Wait only while writes keep arriving: a lone write (a chain of tasks, each waiting on its
                    // predecessor's commit) is committed at once instead of paying the whole linger every time.
                    // Writes that come during a commit form the next batch anyway.
                    if (!more || left <= 0 || batch.size() >= maxBatch) {
                        break;
                    }
                    Pending<T> next = queue.poll(Math.min(left, BURST_GAP_NANOS), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(new IllegalStateException("run store writer interrupted"));
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending<T>> batch) {
        try {
            sink.apply(batch.stream().map(Pending::write).toList());
            commits.incrementAndGet();
            batch.forEach(p -> p.done().complete(null));
        } catch (Exception batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(batchFailure);
                return;
            }
            for (Pending<T> p : batch) {
                try {
                    sink.apply(List.of(p.write()));
                    commits.incrementAndGet();
                    p.done().complete(null);
                } catch (Exception e) {
                    LOG.warn("Run store write failed: {}", e.toString());
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    private void failAll(Exception e) {
        List<Pending<T>> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(p -> p.done().completeExceptionally(e));
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new IllegalStateException("run store is closed"));
    }
}
