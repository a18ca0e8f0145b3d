package dev.weft.examples.embedding;

import dev.weft.engine.Engine;
import dev.weft.engine.RunResult;
import dev.weft.engine.spec.WorkflowReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Embedding example 1: run a YAML workflow from a Java application. */
public final class RunYamlWorkflow {

    private RunYamlWorkflow() {
    }

    /** Runs {@code file} with the embedded defaults and returns the result. */
    public static RunResult run(Path file) throws Exception {
        // begin:run-yaml
        try (Engine engine = Engine.builder().probeSandbox().build()) {
            var workflow = new WorkflowReader().read(file);
            RunResult result = engine.submit(workflow, Map.of()).await(Duration.ofMinutes(10));
            System.out.println(result.name() + " " + result.phase().argoName());
            return result;
        }
        // end:run-yaml
    }
}
