package dev.weft.engine.task.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes task directories that were already renamed out of the way ({@code <name>~deleting}), on one background
 * daemon thread, so a task's end does not wait for its directory's deletion. One per sandbox. Nothing is left
 * behind: {@link #close} (the engine's close) finishes what is still queued, and {@link #sweep} removes what a JVM
 * that ended without closing left in a work root ({@code ~} never occurs in a task directory's own name).
 */
final class DirectoryCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryCleaner.class);

    /** Appended to a task directory's name once it is doomed. */
    static final String DOOMED_SUFFIX = "~deleting";

    private static final long CLOSE_WAIT_SECONDS = 10;

    private final Deque<Path> queue = new ArrayDeque<>();
    /** Guarded by {@code this}: queued or being deleted. */
    private int pending;
    private Thread worker;
    private boolean closed;

    /** Queues an already renamed directory for deletion. */
    void delete(Path doomed) {
        synchronized (this) {
            if (!closed) {
                queue.addLast(doomed);
                pending++;
                startWorker();
                notifyAll();
                return;
            }
        }
        deleteQuietly(doomed); // after close: at once, on the caller's thread
    }

    private void startWorker() {
        if (worker == null) {
            worker = new Thread(this::work, "weft-task-dir-cleaner");
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** Queues every doomed directory found directly under {@code workRoot} (left by an earlier JVM). */
    void sweep(Path workRoot) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(workRoot, "*" + DOOMED_SUFFIX)) {
            for (Path entry : entries) {
                delete(entry);
            }
        } catch (IOException e) {
            // No work root yet, or unreadable: nothing of ours to sweep.
        }
    }

    /** Waits until every queued directory is deleted (tests, and the shutdown hook). */
    synchronized void awaitIdle() throws InterruptedException {
        while (pending > 0) {
            wait();
        }
    }

    private void work() {
        while (true) {
            Path next;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // A daemon that is never interrupted on purpose; keep serving the queue.
                    }
                }
                next = queue.pollFirst();
                if (next == null) {
                    return; // closed and nothing left
                }
            }
            deleteCounted(next);
        }
    }

    /**
     * Deletes what is still queued on the caller's thread, waits (bounded) for the one the worker may be deleting,
     * and lets the worker end. Deletions asked for afterwards happen at once.
     */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        while (true) {
            Path next;
            synchronized (this) {
                next = queue.pollFirst();
            }
            if (next == null) {
                break;
            }
            deleteCounted(next);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
        synchronized (this) {
            long left;
            while (pending > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Deletes a directory taken off the queue and tells the waiters. */
    private void deleteCounted(Path doomed) {
        deleteQuietly(doomed);
        synchronized (this) {
            pending--;
            notifyAll();
        }
    }

    private static void deleteQuietly(Path doomed) {
        try {
            TaskDirectory.deleteTree(doomed);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot delete task directory {}: {}", doomed, e.toString());
        }
    }
}
