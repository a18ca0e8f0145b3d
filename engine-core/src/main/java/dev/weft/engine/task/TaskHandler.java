package dev.weft.engine.task;

/**
 * A JVM-native task, registered by name (Guice {@code MapBinder<String, TaskHandler>} or a PF4J extension) and
 * called from a template written as Argo's {@code plugin:} template:
 *
 * <pre>
 * - name: greet
 *   inputs: {parameters: [{name: who}]}
 *   plugin:
 *     greeter:            # the handler name; or: weft: {handler: greeter, ...config}
 *       greeting: hello   # config, with {{...}} substituted
 * </pre>
 *
 * Implementations must be thread-safe: one instance serves every task that names it. Return normally to succeed;
 * throw to fail the node (the exception message becomes the node message). A handler that runs long should check
 * {@link TaskContext#isCancelled()} or respond to interruption: cancellation and timeouts interrupt its thread.
 */
@FunctionalInterface
public interface TaskHandler {

    /** Runs the task. */
    TaskOutput run(TaskContext context) throws Exception;
}
