package dev.weft.engine;

/**
 * How a run ended, finer than its Argo phase: a cancelled run and a run past its deadline are both {@code Failed} in
 * Argo's terms, but a caller usually needs to tell them apart from a task that failed, without matching messages.
 */
public enum RunOutcome {
    /** Every node that had to succeed did (phase Succeeded). */
    SUCCEEDED,
    /** A task failed, or an exit handler did (phase Failed). */
    FAILED,
    /** A node could not run or finish for a reason other than its task's result (phase Error). */
    ERROR,
    /** {@link WorkflowRun#cancel()} stopped it (phase Failed, as Argo's {@code terminate}). */
    CANCELLED,
    /** {@code activeDeadlineSeconds} or the engine's default deadline passed (phase Failed, as in Argo). */
    DEADLINE_EXCEEDED
}
