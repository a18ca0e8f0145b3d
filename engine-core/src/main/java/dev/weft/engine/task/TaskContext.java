package dev.weft.engine.task;

import java.nio.file.Path;
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

    /** 0 for the first try, then 1, 2, ... under a {@code retryStrategy} (Argo's {@code {{retries}}}). */
    int attempt();

    /** The task's own log: its lines reach the node's log. */
    TaskLog log();

    /**
     * Where the input artifact {@code name} was placed before the handler started: a file or a directory (unpacked as
     * the template declares), in a directory that is this task's own. An optional artifact that was not supplied is
     * a path that does not exist.
     *
     * @throws IllegalArgumentException when the template declares no input artifact of that name
     */
    Path inputArtifact(String name);

    /**
     * Where the handler writes the output artifact {@code name} (a file, or a directory it creates); the engine
     * stores it after the handler returns, as the template declares it (archive, key). Its parent exists.
     *
     * @throws IllegalArgumentException when the template declares no output artifact of that name
     */
    Path outputArtifact(String name);
}
