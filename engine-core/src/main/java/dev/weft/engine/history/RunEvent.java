package dev.weft.engine.history;

import dev.weft.engine.NodePhase;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a run's append-only transition log.
 *
 * @param id      increasing in the store: the order the transitions were committed in
 * @param runName the run
 * @param nodeId  the node that changed, empty for a change of the run itself
 * @param phase   the phase it entered
 * @param message why, or empty
 * @param at      when, by the engine's clock
 */
public record RunEvent(long id, String runName, Optional<String> nodeId, NodePhase phase, String message,
                       Instant at) {

    /** Checks. */
    public RunEvent {
        Objects.requireNonNull(runName, "runName");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
