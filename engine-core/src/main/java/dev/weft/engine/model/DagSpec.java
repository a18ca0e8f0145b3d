package dev.weft.engine.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code dag} template body.
 *
 * @param tasks    the tasks
 * @param target   Argo {@code target}: space-separated task names to run (with their dependencies); empty = all
 * @param failFast stop scheduling new tasks after a failure (Argo's default: true)
 */
public record DagSpec(List<DagTask> tasks, Optional<String> target, Optional<Boolean> failFast) {

    /** Copies. */
    public DagSpec {
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(failFast, "failFast");
    }

    /** The task with this name. */
    public Optional<DagTask> task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
