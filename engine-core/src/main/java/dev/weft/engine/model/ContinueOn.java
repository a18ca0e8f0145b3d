package dev.weft.engine.model;

/**
 * Argo {@code continueOn}: lets the parent go on after this task failed or errored.
 *
 * @param error  continue when the task ends in Error
 * @param failed continue when the task ends in Failed
 */
public record ContinueOn(boolean error, boolean failed) {
    /** Neither. */
    public static final ContinueOn NEVER = new ContinueOn(false, false);
}
