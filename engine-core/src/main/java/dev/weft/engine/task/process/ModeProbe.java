package dev.weft.engine.task.process;

import java.util.Objects;

/**
 * What the start-up probe found out about one isolation mode.
 *
 * @param mode      the mode
 * @param available whether the probe proved it works here
 * @param detail    why it is unavailable, or how it was proven
 */
public record ModeProbe(IsolationMode mode, boolean available, String detail) {

    /** Checks the fields. */
    public ModeProbe {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(detail, "detail");
    }
}
