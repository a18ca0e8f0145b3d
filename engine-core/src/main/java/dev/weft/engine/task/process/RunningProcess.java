package dev.weft.engine.task.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A started sandboxed process. */
public interface RunningProcess {

    /** Completes when the process and everything it started have ended. Never completes exceptionally. */
    CompletableFuture<ProcessOutcome> completion();

    /**
     * Ends the process tree: SIGTERM to every descendant, then after {@code grace} a forced kill. Returns at once;
     * {@link #completion()} reports {@code stopped = true}.
     */
    void stop(Duration grace);
}
