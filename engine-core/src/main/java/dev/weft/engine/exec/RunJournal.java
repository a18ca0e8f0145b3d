package dev.weft.engine.exec;

import dev.weft.engine.NodeStatus;
import dev.weft.engine.RunResult;
import dev.weft.engine.history.LogStream;
import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.RunUpdate;
import dev.weft.engine.history.StoredNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one run writes to the run store and the node logs. Store writes are asynchronous (group-committed); the
 * executor waits for a node's last write only before releasing what depends on the node (write-ahead, see
 * {@link RunExecution}). A store that fails is logged once per run and does not stop the run.
 */
final class RunJournal {

    private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);

    private final String runName;
    private final RunStore store;
    private final NodeLogs logs;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    RunJournal(String runName, RunStore store, NodeLogs logs) {
        this.runName = runName;
        this.store = store;
        this.logs = logs;
    }

    /** Records a node as it now is; the future completes once that is committed. */
    CompletableFuture<Void> node(NodeStatus status, long seq, int attempt) {
        return watch(store.saveNode(runName, StoredNode.of(status, seq, attempt)), "node " + status.name());
    }

    /** Records that the run has started. */
    void started(Instant at) {
        watch(store.updateRun(runName, RunUpdate.started(at)), "run start");
    }

    /** Records how the run ended; the future completes once everything written before is committed. */
    CompletableFuture<Void> finished(RunResult result, Instant at) {
        watch(store.updateRun(runName, RunUpdate.finished(result.phase(), result.outcome(), result.message(), at)),
                "run end");
        return watch(store.flush(), "flush");
    }

    /** A log for one node attempt, opened on its first line. */
    AttemptLog attemptLog(String nodeId, int attempt) {
        return new AttemptLog(nodeId, attempt);
    }

    private CompletableFuture<Void> watch(CompletableFuture<Void> write, String what) {
        return write.exceptionally(e -> {
            if (failureLogged.compareAndSet(false, true)) {
                // once per run: a broken store would otherwise log every node; the run itself goes on
                LOG.error("run {}: the run store failed to record {} (later failures of this run are not logged):"
                        + " {}", runName, what, e.getMessage());
            }
            return null;
        });
    }

    /** One attempt's log file; thread-safe (a handler may log from several threads). */
    final class AttemptLog {
        private final String nodeId;
        private final int attempt;
        private NodeLogs.Writer writer;
        private boolean broken;

        private AttemptLog(String nodeId, int attempt) {
            this.nodeId = nodeId;
            this.attempt = attempt;
        }

        synchronized void line(LogStream stream, String text) {
            NodeLogs.Writer w = writer();
            if (w != null) {
                try {
                    w.line(stream, text);
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }

        /** Copies a process's captured output, stdout first, then stderr (their interleaving is not kept). */
        void copy(Path file, LogStream stream) {
            if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            // InputStreamReader replaces malformed bytes instead of failing, as a log must
            try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file,
                    LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    line(stream, l);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                line(LogStream.WEFT, "cannot copy " + stream.name().toLowerCase(java.util.Locale.ROOT)
                        + " into the log: " + e.getMessage());
            }
        }

        synchronized void close() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (RuntimeException e) {
                    fail(e);
                }
                writer = null;
            }
        }

        private NodeLogs.Writer writer() {
            if (writer == null && !broken) {
                try {
                    writer = logs.open(runName, nodeId, attempt);
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
            return writer;
        }

        private void fail(RuntimeException e) {
            if (!broken) {
                broken = true;
                LOG.warn("run {}: node {}: cannot write its log: {}", runName, nodeId, e.getMessage());
            }
        }
    }
}
