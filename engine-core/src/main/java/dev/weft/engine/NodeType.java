package dev.weft.engine;

/** The kind of a node in a run's node tree, as Argo names them. */
public enum NodeType {
    /** A container or script task, run as a process (Argo {@code Pod}). */
    POD,
    /** A Java handler task, a {@code plugin:} template (Argo {@code Plugin}). */
    PLUGIN,
    /** A steps template invocation. */
    STEPS,
    /** One group of parallel steps. */
    STEP_GROUP,
    /** A DAG template invocation. */
    DAG,
    /** The expansion of a looped task or step; its children are the items. */
    TASK_GROUP,
    /** A task with a retry strategy; its children are the attempts. */
    RETRY,
    /** A node that never ran (its when was false or its depends ruled it out). */
    SKIPPED;

    /** Whether this is a leaf task that ran (or was to run) something: a process or a Java handler. */
    public boolean isTask() {
        return this == POD || this == PLUGIN;
    }
}
