package dev.weft.test;

import static dev.weft.test.WorkflowAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.RunResult;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.task.TaskOutput;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test kit on real runs: stubs replace templates, backoff is skipped, assertions pass and fail as they say. */
@WeftTest
class WorkflowTesterTest {

    /** Prices: a container step that would call a real service, a conversion per item, a total. */
    private static final String PRICES = """
            metadata: {name: prices}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - {name: fetch, template: fetch-prices}
                  - name: transform
                    template: to-cents
                    depends: fetch
                    arguments: {parameters: [{name: euros, value: "{{item}}"}]}
                    withItems: ["1.50", "2.25", "4.50"]
                  - {name: audit, template: audit, depends: fetch, when: "'{{tasks.fetch.outputs.parameters.mode}}' == 'audit'"}
              - name: fetch-prices
                container: {image: curlimages/curl, command: [sh, -c, "curl -s https://prices.example/ > /tmp/mode"]}
                outputs:
                  parameters: [{name: mode, valueFrom: {path: /tmp/mode}}]
              - name: to-cents
                inputs: {parameters: [{name: euros}]}
                outputs:
                  parameters: [{name: cents, valueFrom: {path: /tmp/cents}}]
                script:
                  image: python:3.12
                  command: [sh]
                  source: |
                    echo "{{inputs.parameters.euros}}" | awk '{printf "%d", $1 * 100}' > /tmp/cents
              - name: audit
                container: {image: alpine, command: [sh, -c, "echo audited"]}
            """;

    @Test
    void aStubReplacesAContainerStepAndTheRestRunsForReal(WorkflowTester tester) {
        RunResult run = tester.stub("fetch-prices", ctx -> TaskOutput.parameters(Map.of("mode", "quiet")))
                .runYaml(PRICES, Map.of());

        assertThat(run).succeeded()
                .node("fetch").succeeded().hasOutputParameter("mode", "quiet")
                .and().node("transform(2:4.50)").succeeded().hasOutputParameter("cents", "450")
                .and().node("audit").wasSkipped()
                .and().ranInOrder("fetch", "transform(0:1.50)");
        org.assertj.core.api.Assertions.assertThat(tester.callsOf("fetch-prices"))
                .extracting(StubCall::nodeName).containsExactly("prices.fetch");
    }

    @Test
    void assertionsFailWhenTheBehaviourTheyAssertChanges(WorkflowTester tester) {
        // the same run, with the stub mutated: every assertion of the test above that depends on it now fails
        RunResult run = tester.stub("fetch-prices", ctx -> TaskOutput.parameters(Map.of("mode", "audit")))
                .runYaml(PRICES, Map.of());

        assertThatThrownBy(() -> assertThat(run).node("fetch").hasOutputParameter("mode", "quiet"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected node fetch to output mode = 'quiet' but it was 'audit'");
        assertThatThrownBy(() -> assertThat(run).node("audit").wasSkipped())
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected node audit to be skipped");
        assertThatThrownBy(() -> assertThat(run).node("transform(2:4.50)").hasOutputParameter("cents", "451"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("but it was '450'");
        assertThatThrownBy(() -> assertThat(run).ranInOrder("transform(0:1.50)", "fetch"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("to run before fetch");
        assertThatThrownBy(() -> assertThat(run).failed())
                .isInstanceOf(AssertionError.class).hasMessageContaining("nodes of run prices:");
        assertThatThrownBy(() -> assertThat(run).node("nope"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("has none of that name");
    }

    @Test
    void aFailingStubIsRetriedAndSkippingBackoffDropsEveryWait(WorkflowTester tester) {
        String yaml = """
                metadata: {name: flaky}
                spec:
                  entrypoint: flaky
                  templateDefaults:
                    retryStrategy: {limit: 1, backoff: {duration: "1h"}}
                  templates:
                  - name: flaky
                    retryStrategy: {limit: 3, retryPolicy: Always, backoff: {duration: "1h", factor: "2"}}
                    container: {image: alpine, command: [sh, -c, "exit 1"]}
                """;
        AtomicInteger calls = new AtomicInteger();
        tester.skipBackoff().stub("flaky", ctx -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("not yet");
            }
            return TaskOutput.result("third time");
        });

        Workflow prepared = tester.prepare(new WorkflowReader().read(yaml, "flaky.yaml"));
        org.assertj.core.api.Assertions.assertThat(prepared.spec().templates().get(0).retryStrategy().orElseThrow()
                .backoff()).isEmpty();
        org.assertj.core.api.Assertions.assertThat(prepared.spec().templateDefaults().orElseThrow().retryStrategy()
                .orElseThrow().backoff()).isEmpty();

        // with an hour of backoff left in, this would not finish within the tester's timeout
        RunResult run = tester.run(prepared, Map.of());
        assertThat(run).succeeded().node("flaky(2)").hasResult("third time")
                .and().node("flaky(0)").failed().hasMessageContaining("not yet");
        org.assertj.core.api.Assertions.assertThat(tester.callsOf("flaky")).extracting(StubCall::attempt)
                .containsExactly(0, 1, 2);
    }

    @Test
    void aStubForATemplateTheWorkflowLacksIsAnError(WorkflowTester tester) {
        tester.stub("fetch-pricez", ctx -> TaskOutput.empty());

        assertThatThrownBy(() -> tester.runYaml(PRICES, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stub for template 'fetch-pricez'").hasMessageContaining("fetch-prices");
        org.assertj.core.api.Assertions.assertThat(tester.callsOf("fetch-pricez")).isEqualTo(List.of());
    }
}
