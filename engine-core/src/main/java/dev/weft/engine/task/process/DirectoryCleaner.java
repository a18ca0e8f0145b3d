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
 * daemon thread, so a task's end does not wait for its directory's deletion. Nothing is left behind: a JVM shutdown
 * hook finishes what is still queued, and {@link #sweep} removes what a JVM that died left in a work root
 * ({@code ~} never occurs in a task directory's own name).
 */
final class DirectoryCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryCleaner.class);

    /** Appended to a task directory's name once it is doomed. */
    static final String DOOMED_SUFFIX = "~deleting";

    static final DirectoryCleaner INSTANCE = new DirectoryCleaner();

    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private final Deque<Path> queue = new ArrayDeque<>();
    /** Guarded by {@code this}: queued or being deleted. */
    private int pending;
    private Thread worker;
    private boolean hooked;

    private DirectoryCleaner() {
    }

    /** Queues an already renamed directory for deletion. */
    synchronized void delete(Path doomed) {
        queue.addLast(doomed);
        pending++;
        if (!hooked) {
            hooked = true;
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(this::drain, "weft-task-dir-cleaner-shutdown"));
            } catch (IllegalStateException shuttingDown) {
                // Already shutting down: the drain below still runs on the worker, as far as it gets.
            }
        }
        if (worker == null) {
            worker = new Thread(this::work, "weft-task-dir-cleaner");
            worker.setDaemon(true);
            worker.start();
        }
        notifyAll();
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
                while (queue.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // A daemon that is never interrupted on purpose; keep serving the queue.
                    }
                }
                next = queue.pollFirst();
            }
            deleteQuietly(next);
            synchronized (this) {
                pending--;
                notifyAll();
            }
        }
    }

    /**
     * At JVM shutdown: deletes what is still queued on the hook's thread, then waits (bounded) for the one the
     * worker may be deleting, since the JVM ends daemon threads wherever they are.
     */
    private void drain() {
        while (true) {
            Path next;
            synchronized (this) {
                next = queue.pollFirst();
            }
            if (next == null) {
                break;
            }
            deleteQuietly(next);
            synchronized (this) {
                pending--;
                notifyAll();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        synchronized (this) {
            long left;
            while (pending > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    return;
                }
            }
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
