package dev.weft.engine.task;

import dev.weft.engine.model.TemplateKind;

/** Internal SPI: runs leaf templates of some kinds. */
public interface TaskRunner {

    /** Whether this runner runs templates of {@code kind}. */
    boolean supports(TemplateKind kind);

    /**
     * Starts one attempt. Must not block for the task's duration.
     *
     * @throws Exception when the task cannot start (the node ends in Error with the message)
     */
    RunningTask start(TaskRequest request) throws Exception;
}
