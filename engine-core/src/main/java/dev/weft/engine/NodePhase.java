package dev.weft.engine;

/** The phase of one node of a run, as Argo names them. */
public enum NodePhase {
    /** Waiting for its dependencies or for a parallelism slot. */
    PENDING,
    /** Its task is running. */
    RUNNING,
    /** Its task ran and succeeded. */
    SUCCEEDED,
    /** Its task ran and failed (non-zero exit, handler failure). */
    FAILED,
    /** It could not run or finish for a reason other than the task's own result (setup error, timeout kill). */
    ERROR,
    /** Its {@code when} condition was false. */
    SKIPPED,
    /** Its {@code depends} expression ruled it out. */
    OMITTED;

    /** Whether the node has finished. */
    public boolean isDone() {
        return this != PENDING && this != RUNNING;
    }

    /** Argo's spelling: {@code Succeeded}, {@code Failed}, ... */
    public String argoName() {
        String lower = name().toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
