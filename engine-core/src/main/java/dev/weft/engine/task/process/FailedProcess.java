package dev.weft.engine.task.process;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A command that could not be started at all: its outcome is known at once. */
final class FailedProcess implements RunningProcess {

    private final CompletableFuture<ProcessOutcome> completion;

    FailedProcess(TaskDirectory dir, String message) {
        this.completion = CompletableFuture.completedFuture(
                new ProcessOutcome(ProcessOutcome.NOT_RUN, dir.stdout(), dir.stderr(), false, Optional.of(message)));
    }

    @Override
    public CompletableFuture<ProcessOutcome> completion() {
        return completion;
    }

    @Override
    public void stop(Duration grace) {
        // Nothing runs.
    }
}
