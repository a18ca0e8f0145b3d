package dev.weft.engine.history;

import dev.weft.engine.NodePhase;
import dev.weft.engine.RunOutcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a run's phase.
 *
 * @param phase      the new phase
 * @param outcome    how it ended, when it has
 * @param message    why, or empty
 * @param startedAt  set once, when it starts (empty keeps the stored value)
 * @param finishedAt set once, when it ends (empty keeps the stored value)
 * @param at         when the change happened (the event's time)
 */
public record RunUpdate(NodePhase phase, Optional<RunOutcome> outcome, String message, Optional<Instant> startedAt,
                        Optional<Instant> finishedAt, Instant at) {

    /** Checks. */
    public RunUpdate {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(at, "at");
    }

    /** The run started. */
    public static RunUpdate started(Instant at) {
        return new RunUpdate(NodePhase.RUNNING, Optional.empty(), "", Optional.of(at), Optional.empty(), at);
    }

    /** The run ended. */
    public static RunUpdate finished(NodePhase phase, RunOutcome outcome, String message, Instant at) {
        return new RunUpdate(phase, Optional.of(outcome), message, Optional.empty(), Optional.of(at), at);
    }
}
