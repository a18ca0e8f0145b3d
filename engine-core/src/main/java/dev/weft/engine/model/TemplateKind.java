package dev.weft.engine.model;

/** The template kinds Weft runs. */
public enum TemplateKind {
    /** {@code container}: a local process. */
    CONTAINER,
    /** {@code script}: a local process running a source file. */
    SCRIPT,
    /** {@code dag}: tasks with dependencies. */
    DAG,
    /** {@code steps}: groups of parallel steps run in sequence. */
    STEPS,
    /** {@code plugin}: a JVM-native {@code TaskHandler}. */
    PLUGIN
}
