package dev.weft.engine.task;

import java.util.Map;

/** What a {@link TaskHandler} gets. */
public interface TaskContext {

    /** The run's name. */
    String workflowName();

    /** The node's full name. */
    String nodeName();

    /** Input parameters, resolved. */
    Map<String, String> parameters();

    /** The plugin configuration from the template, with {@code {{...}}} substituted in strings. */
    Map<String, Object> config();

    /** Whether the node was cancelled or timed out; long handlers should stop when this turns true. */
    boolean isCancelled();
}
