package dev.weft.engine;

import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunEvent;
import dev.weft.engine.history.RunLogLine;
import dev.weft.engine.history.RunQuery;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runs an engine's run store holds, whichever engine ran them: what {@code argo list}, {@code get}, {@code logs},
 * {@code delete}, {@code retry} and {@code resume} do, for Java. Get it from {@link Engine#runs()}.
 *
 * <p>Unknown run names give {@link NoSuchElementException}; asking for something the run's state does not allow
 * (retrying a run that is still running, deleting one another engine holds) gives {@link IllegalStateException}
 * with the reason.
 */
public final class Runs {

    private final Engine engine;

    Runs(Engine engine) {
        this.engine = engine;
    }

    /** The runs that match, newest first. */
    public List<StoredRun> list(RunQuery query) {
        return store().list(query);
    }

    /** One run. */
    public Optional<StoredRun> get(String runName) {
        return store().get(runName);
    }

    /** A run's nodes in creation order (parents before children): its node tree. */
    public List<StoredNode> nodes(String runName) {
        existing(runName);
        return store().nodes(runName);
    }

    /** A run's transitions in the order they happened. */
    public List<RunEvent> events(String runName) {
        existing(runName);
        return store().events(runName);
    }

    /** Every log line of a run, node attempt by node attempt in creation order. */
    public Stream<RunLogLine> logs(String runName) {
        return logs(runName, nodes(runName));
    }

    /**
     * The log lines of one node of a run, by its name or display name (a retried node's attempts are nodes of their
     * own: {@code step(0)}, {@code step(1)}; the retry node itself has no log).
     */
    public Stream<RunLogLine> logs(String runName, String node) {
        List<StoredNode> matching = nodes(runName).stream()
                .filter(n -> n.name().equals(node) || n.displayName().equals(node)).toList();
        if (matching.isEmpty()) {
            throw new NoSuchElementException("run '" + runName + "' has no node named '" + node + "'");
        }
        return logs(runName, matching);
    }

    private Stream<RunLogLine> logs(String runName, List<StoredNode> nodes) {
        NodeLogs logs = engine.nodeLogs();
        return nodes.stream().flatMap(n -> logs.lines(runName, n.id(), n.attempt())
                .map(line -> new RunLogLine(n, line)));
    }

    /**
     * Deletes a finished run (or one whose engine stopped and left it unfinished), with its nodes, events and logs.
     * Its artifacts stay in the artifact repository.
     *
     * @return whether there was such a run
     * @throws IllegalStateException if an engine runs it now
     */
    public boolean delete(String runName) {
        Optional<StoredRun> run = store().get(runName);
        if (run.isEmpty()) {
            return false;
        }
        if (engine.runsHere(runName) || heldByAnother(run.get())) {
            throw new IllegalStateException("run '" + runName + "' is still running" + run.get().owner()
                    .map(o -> " (held by engine " + o + ")").orElse("") + "; cancel it or wait for it to end");
        }
        boolean deleted = store().delete(runName);
        engine.deleteLogs(runName);
        return deleted;
    }

    /**
     * Runs a failed or errored run again from where it failed, as {@code argo retry}: nodes that succeeded keep their
     * outputs and do not run again; failed, errored and never-reached nodes run (again), and so does what depends on
     * them. The new attempts' log lines follow the old ones in each node's log, after a line saying so.
     *
     * @throws IllegalStateException if the run has not finished, succeeded, or was built in Java (the store holds
     *                               no workflow text to run again)
     */
    public WorkflowRun retry(String runName) {
        StoredRun run = existing(runName);
        if (engine.runsHere(runName) || !run.finished()) {
            throw new IllegalStateException("run '" + runName + "' has not finished; only a finished run can be"
                    + " retried (an unfinished one whose engine stopped is resumed)");
        }
        if (run.outcome().filter(o -> o == RunOutcome.SUCCEEDED).isPresent()) {
            throw new IllegalStateException("run '" + runName + "' succeeded: there is nothing to retry");
        }
        try {
            engine.storedWorkflow(run); // refuse before the store changes
        } catch (RuntimeException e) {
            throw new IllegalStateException("run '" + runName + "' cannot be retried: " + e.getMessage(), e);
        }
        StoredRun reopened = store().reopen(runName, engine.instanceId(), engine.lease()).orElseThrow(() ->
                new IllegalStateException("run '" + runName + "' was retried by another engine at the same time"));
        String mark = "retried at " + Instant.now() + ": the lines below are from the new attempt";
        List<StoredNode> nodes = store().nodes(runName).stream().map(n -> {
            if (n.phase() == NodePhase.SUCCEEDED) {
                return n;
            }
            if (java.nio.file.Files.exists(engine.nodeLogs().file(runName, n.id(), n.attempt()))) {
                engine.nodeLogs().mark(runName, n.id(), n.attempt(), mark);
            }
            return n.toRunAgain();
        }).toList();
        return engine.continueRun(reopened, nodes);
    }

    /**
     * Takes up one unfinished run whose engine stopped (its lease ran out), as {@link Engine#resumeUnfinished()}
     * does for all of them.
     *
     * @throws IllegalStateException if the run has finished or another engine still holds it
     */
    public WorkflowRun resume(String runName) {
        StoredRun run = existing(runName);
        if (run.finished()) {
            throw new IllegalStateException("run '" + runName + "' has finished (" + run.phase().argoName()
                    + "); retry it to run its failed nodes again");
        }
        if (engine.runsHere(runName)) {
            throw new IllegalStateException("run '" + runName + "' is running in this engine");
        }
        StoredRun claimed = store().claim(runName, engine.instanceId(), engine.lease()).orElseThrow(() ->
                new IllegalStateException("run '" + runName + "' is held by engine " + run.owner().orElse("?")
                        + " until " + run.leaseUntil().map(Instant::toString).orElse("?")
                        + "; it can be resumed once that lease runs out"));
        return engine.continueRun(claimed, store().nodes(runName));
    }

    private boolean heldByAnother(StoredRun run) {
        return !run.finished() && run.owner().isPresent()
                && run.leaseUntil().map(u -> u.isAfter(Instant.now())).orElse(false);
    }

    private StoredRun existing(String runName) {
        return store().get(runName).orElseThrow(() -> new NoSuchElementException("no run named '" + runName
                + "' in the run store"));
    }

    private RunStore store() {
        return engine.runStore();
    }
}
