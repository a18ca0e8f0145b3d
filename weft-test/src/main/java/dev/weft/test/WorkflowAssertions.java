package dev.weft.test;

import dev.weft.engine.RunResult;

/**
 * AssertJ entry points for runs: {@code assertThat(run).succeeded().node("transform(2)").hasOutputParameter("cents",
 * "450")}. Import statically next to AssertJ's own {@code Assertions.assertThat}.
 */
public final class WorkflowAssertions {

    private WorkflowAssertions() {
    }

    /** Assertions on a finished run. */
    public static RunResultAssert assertThat(RunResult actual) {
        return new RunResultAssert(actual);
    }
}
