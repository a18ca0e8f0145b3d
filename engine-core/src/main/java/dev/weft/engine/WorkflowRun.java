package dev.weft.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** A handle on a submitted run. Thread-safe. */
public interface WorkflowRun {

    /** The run's name (from {@code metadata.name} or {@code generateName} plus a suffix). */
    String name();

    /** The workflow's current phase: Running until it ends. */
    NodePhase phase();

    /** A snapshot of every node so far, parents before children. */
    List<NodeStatus> nodes();

    /** Global output parameters so far. */
    Map<String, String> globalOutputs();

    /** The result, once the run has ended. */
    Optional<RunResult> result();

    /** Completes when the run ends. */
    CompletableFuture<RunResult> completion();

    /**
     * Waits for the end.
     *
     * @throws TimeoutException     when the run has not ended within {@code timeout}
     * @throws InterruptedException when interrupted
     */
    RunResult await(Duration timeout) throws TimeoutException, InterruptedException;

    /** Stops the run: running tasks are killed, nothing new starts, exit handlers do not run. Returns at once. */
    void cancel();
}
