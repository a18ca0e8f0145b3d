package dev.weft.engine.task.process;

import java.util.List;
import java.util.Optional;

/**
 * The result of probing the machine once: every mode, best first, and what was found about the host.
 *
 * @param modes       one entry per {@link IsolationMode}, in the enum's order (best first)
 * @param diagnostics host facts for the log: user, user namespace sysctls, tools found
 */
public record SandboxProbe(List<ModeProbe> modes, String diagnostics) {

    /** Copies the list. */
    public SandboxProbe {
        modes = List.copyOf(modes);
    }

    /** The modes the probe proved, best first. */
    public List<IsolationMode> availableModes() {
        return modes.stream().filter(ModeProbe::available).map(ModeProbe::mode).toList();
    }

    /** The probe's finding for one mode. */
    public ModeProbe of(IsolationMode mode) {
        return modes.stream().filter(m -> m.mode() == mode).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mode " + mode + " was not probed"));
    }

    /** The best proven mode, if any ({@link IsolationMode#PATH_REWRITE} always is). */
    public Optional<IsolationMode> best() {
        return availableModes().stream().findFirst();
    }
}
