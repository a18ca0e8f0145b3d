package dev.weft.engine;

import dev.weft.engine.spec.Limits;
import dev.weft.engine.task.process.IsolationMode;
import dev.weft.engine.task.process.SandboxSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Engine settings.
 *
 * @param workRoot        where per-task sandbox directories are made
 * @param maxResultBytes  how much of a task's standard output becomes {@code outputs.result} (Argo: 256 KiB)
 * @param handlerThreads  threads for Java task handlers (tasks beyond this wait in a queue, not on a thread)
 * @param stopGrace       how long a stopped process gets between SIGTERM and the forced kill
 * @param commandAliases  command replacements, e.g. {@code python -> python3}
 * @param extraEnv        environment variables added to every process task
 * @param forcedIsolation use this isolation mode instead of probing
 * @param defaultDeadline a run-wide deadline for workflows that set no {@code activeDeadlineSeconds}
 * @param listeners       listeners added to every run
 * @param limits          sizes a document or run may not exceed (loop items, nodes, template depth, document size...)
 */
public record EngineConfig(Path workRoot, int maxResultBytes, int handlerThreads, Duration stopGrace,
                           Map<String, String> commandAliases, Map<String, String> extraEnv,
                           Optional<IsolationMode> forcedIsolation, Optional<Duration> defaultDeadline,
                           List<RunListener> listeners, Limits limits) {

    /** Settings with the {@linkplain Limits#defaults() default limits}. */
    public EngineConfig(Path workRoot, int maxResultBytes, int handlerThreads, Duration stopGrace,
                        Map<String, String> commandAliases, Map<String, String> extraEnv,
                        Optional<IsolationMode> forcedIsolation, Optional<Duration> defaultDeadline,
                        List<RunListener> listeners) {
        this(workRoot, maxResultBytes, handlerThreads, stopGrace, commandAliases, extraEnv, forcedIsolation,
                defaultDeadline, listeners, Limits.defaults());
    }

    /** Checks and copies. */
    public EngineConfig {
        Objects.requireNonNull(workRoot, "workRoot");
        if (maxResultBytes <= 0 || handlerThreads <= 0) {
            throw new IllegalArgumentException("maxResultBytes and handlerThreads must be positive");
        }
        Objects.requireNonNull(stopGrace, "stopGrace");
        commandAliases = Map.copyOf(commandAliases);
        extraEnv = Map.copyOf(extraEnv);
        Objects.requireNonNull(forcedIsolation, "forcedIsolation");
        Objects.requireNonNull(defaultDeadline, "defaultDeadline");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(limits, "limits");
    }

    /** Defaults: the sandbox's default work root ({@code /var/tmp/weft-<user>}), 256 KiB results, {@code python -> python3}. */
    public static EngineConfig defaults() {
        return new EngineConfig(SandboxSettings.defaultWorkRoot(), 256 * 1024,
                Math.max(4, Runtime.getRuntime().availableProcessors() * 2), Duration.ofSeconds(3),
                Map.of("python", "python3"), Map.of(), Optional.empty(), Optional.empty(), List.of());
    }

    /** A copy with another work root. */
    public EngineConfig withWorkRoot(Path root) {
        return new EngineConfig(root, maxResultBytes, handlerThreads, stopGrace, commandAliases, extraEnv,
                forcedIsolation, defaultDeadline, listeners, limits);
    }

    /** A copy with a default run deadline. */
    public EngineConfig withDefaultDeadline(Duration deadline) {
        return new EngineConfig(workRoot, maxResultBytes, handlerThreads, stopGrace, commandAliases, extraEnv,
                forcedIsolation, Optional.of(deadline), listeners, limits);
    }

    /** A copy with extra environment variables for process tasks. */
    public EngineConfig withExtraEnv(Map<String, String> env) {
        return new EngineConfig(workRoot, maxResultBytes, handlerThreads, stopGrace, commandAliases, env,
                forcedIsolation, defaultDeadline, listeners, limits);
    }

    /** A copy with one more listener. */
    public EngineConfig withListener(RunListener listener) {
        List<RunListener> all = new java.util.ArrayList<>(listeners);
        all.add(listener);
        return new EngineConfig(workRoot, maxResultBytes, handlerThreads, stopGrace, commandAliases, extraEnv,
                forcedIsolation, defaultDeadline, all, limits);
    }

    /** A copy with other limits, e.g. {@code config.withLimits(config.limits().with(Map.of("limits.loopItems", "50000")))}. */
    public EngineConfig withLimits(Limits value) {
        return new EngineConfig(workRoot, maxResultBytes, handlerThreads, stopGrace, commandAliases, extraEnv,
                forcedIsolation, defaultDeadline, listeners, value);
    }
}
