package dev.weft.engine.task.process;

/** The sandbox found before starting that a task's command cannot run; reported as a sandbox failure. */
final class SandboxSetupException extends Exception {

    private static final long serialVersionUID = 1L;

    SandboxSetupException(String message) {
        super(message);
    }
}
