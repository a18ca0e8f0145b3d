package dev.weft.engine.expr;

import java.util.Set;
import java.util.function.Function;

/**
 * A parsed Argo {@code depends} expression such as {@code (A.Succeeded || B.Failed) && !C.Skipped}.
 *
 * <p>A bare task name {@code A} means {@code (A.Succeeded || A.Skipped || A.Daemoned)}, as in Argo. Results:
 * {@code .Succeeded .Failed .Errored .Skipped .Omitted .Daemoned .AnySucceeded .AllFailed}.
 */
public interface DependsExpression {

    /** The expression as written. */
    String source();

    /** Every task name the expression mentions: the node waits until all of these are done. */
    Set<String> tasks();

    /**
     * Evaluates the expression once every task in {@link #tasks()} is done.
     *
     * @param outcomeOf the outcome of a task named in {@link #tasks()}
     */
    boolean evaluate(Function<String, TaskOutcome> outcomeOf);
}
