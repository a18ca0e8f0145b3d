package dev.weft.cli;

/** The exit codes of the {@code weft} command line (documented in the README). */
final class ExitCodes {

    /** The workflow succeeded / the command did what was asked. */
    static final int OK = 0;
    /** The workflow ran and ended Failed or Error. */
    static final int WORKFLOW_FAILED = 1;
    /** Bad usage or bad input: unknown option, invalid workflow or config file. */
    static final int USAGE = 2;
    /** The credential chain found no credentials. */
    static final int NO_CREDENTIALS = 3;
    /** The run was cancelled or hit its deadline. */
    static final int CANCELLED = 4;

    private ExitCodes() {
    }
}
