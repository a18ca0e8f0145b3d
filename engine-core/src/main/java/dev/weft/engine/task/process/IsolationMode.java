package dev.weft.engine.task.process;

/**
 * How local process tasks are kept apart. The engine probes the machine at start-up, picks the best mode the probe
 * proves, and says which (see {@code shared/design/sandbox.md}).
 */
public enum IsolationMode {
    /** bubblewrap with a per-task root: every path outside the host's read-only binds is the task's own. */
    BUBBLEWRAP,
    /** bubblewrap with {@code --unshare-user}, for root without CAP_SYS_ADMIN (container-like hosts). */
    BUBBLEWRAP_USERNS,
    /** {@code unshare} mount namespace with a private {@code /tmp} only; other declared paths are rewritten. */
    UNSHARE_TMP,
    /**
     * No namespaces: declared paths in the command, args and source are rewritten to the task's directory and
     * {@code TMPDIR} is set. Paths a command builds itself are shared between tasks.
     */
    PATH_REWRITE
}
