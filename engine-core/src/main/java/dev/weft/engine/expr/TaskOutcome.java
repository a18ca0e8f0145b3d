package dev.weft.engine.expr;

import dev.weft.engine.NodePhase;
import java.util.List;

/**
 * What a {@code depends} expression needs to know about one finished (or unfinished) task.
 *
 * @param phase         the task node's phase
 * @param daemoned      whether the task ran as a daemon
 * @param childPhases   the phases of its expanded children when the task is a loop ({@code withItems}, ...), in
 *                      order; empty for a plain task. {@code .AnySucceeded} and {@code .AllFailed} look at these.
 */
public record TaskOutcome(NodePhase phase, boolean daemoned, List<NodePhase> childPhases) {

    /** Copies the list. */
    public TaskOutcome {
        childPhases = List.copyOf(childPhases);
    }

    /** A plain (non-loop, non-daemon) task in the given phase. */
    public static TaskOutcome of(NodePhase phase) {
        return new TaskOutcome(phase, false, List.of());
    }
}
