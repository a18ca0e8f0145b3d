package dev.weft.examples;

import static dev.weft.test.WorkflowAssertions.assertThat;

import dev.weft.engine.RunResult;
import dev.weft.engine.task.TaskOutput;
import dev.weft.test.WeftTest;
import dev.weft.test.WorkflowTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's example workflows, tested the way a user of {@code weft-test} would test their own. */
@WeftTest
class ExampleWorkflowsTest {

    private static Path workflow(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/workflows").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve("workflows").resolve(name))) {
                return dir.resolve("workflows").resolve(name);
            }
        }
        throw new IllegalStateException("no example workflow " + name);
    }

    @Test
    void theDiamondRunsBAndCBetweenAAndD(WorkflowTester tester) {
        RunResult run = tester.run(workflow("diamond.yaml"));

        assertThat(run).succeeded()
                .node("A").hasResult("A")
                .and().node("D").hasResult("D joins [B after A] and [C after A]")
                .and().ranInOrder("A", "B", "D")
                .ranInOrder("A", "C", "D");
    }

    @Test
    void theRetryExampleSucceedsOnItsThirdAttemptWithoutWaitingForBackoff(WorkflowTester tester) {
        RunResult run = tester.skipBackoff().run(workflow("retry-backoff.yaml"));

        assertThat(run).succeeded();
        assertThat(run).node(run.name() + "(0)").failed();
        assertThat(run).node(run.name() + "(2)").succeeded().hasResult("attempt 2: success");
    }

    @Test
    void theDiamondsEchoCanBeStubbed(WorkflowTester tester) {
        RunResult run = tester.stub("echo", ctx -> TaskOutput.result(ctx.parameters().get("message")
                .toUpperCase(java.util.Locale.ROOT))).run(workflow("diamond.yaml"));

        assertThat(run).succeeded().node("D").hasResult("D JOINS [B AFTER A] AND [C AFTER A]");
        org.assertj.core.api.Assertions.assertThat(tester.callsOf("echo")).hasSize(4);
    }
}
