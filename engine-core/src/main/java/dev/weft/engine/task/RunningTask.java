package dev.weft.engine.task;

import java.util.concurrent.CompletableFuture;

/** A started leaf task attempt. */
public interface RunningTask {

    /** Completes with the result; never completes exceptionally. */
    CompletableFuture<TaskResult> completion();

    /** Asks the task to stop (timeout, deadline, cancel). Returns at once; the completion reports the end. */
    void stop();
}
