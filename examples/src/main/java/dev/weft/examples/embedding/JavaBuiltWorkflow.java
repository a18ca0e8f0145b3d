package dev.weft.examples.embedding;

import dev.weft.engine.Engine;
import dev.weft.engine.RunResult;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.task.TaskOutput;
import java.time.Duration;
import java.util.Map;

/** Embedding example 2: a workflow built in Java whose tasks are Java handlers. */
public final class JavaBuiltWorkflow {

    private JavaBuiltWorkflow() {
    }

    /** Fetches a number, doubles it in two parallel branches and adds the results. */
    public static RunResult run() throws Exception {
        // begin:java-builder
        Workflow workflow = Workflow.builder()
                .generateName("numbers-")
                .entrypoint("main")
                .template(Template.builder("main").dag(
                        DagTask.builder("fetch", "fetch").build(),
                        DagTask.builder("left", "double").depends("fetch")
                                .argument("n", "{{tasks.fetch.outputs.result}}").build(),
                        DagTask.builder("right", "double").depends("fetch")
                                .argument("n", "{{tasks.fetch.outputs.result}}").build(),
                        DagTask.builder("sum", "add").depends("left && right")
                                .argument("a", "{{tasks.left.outputs.result}}")
                                .argument("b", "{{tasks.right.outputs.result}}").build()))
                .template(Template.builder("fetch").plugin("fetch", Map.of()))
                .template(Template.builder("double").input("n").plugin("double", Map.of()))
                .template(Template.builder("add").input("a").input("b").plugin("add", Map.of())
                        .output(Parameter.required("sum")))
                .build();

        try (Engine engine = Engine.builder()
                .handler("fetch", ctx -> TaskOutput.result("21"))
                .handler("double", ctx -> TaskOutput.result(
                        Integer.toString(2 * Integer.parseInt(ctx.parameters().get("n")))))
                .handler("add", ctx -> {
                    int sum = Integer.parseInt(ctx.parameters().get("a")) + Integer.parseInt(ctx.parameters().get("b"));
                    return new TaskOutput(Map.of("sum", Integer.toString(sum)), java.util.Optional.of("" + sum));
                })
                .build()) {
            RunResult result = engine.submit(workflow, Map.of()).await(Duration.ofMinutes(1));
            System.out.println("sum = " + result.node("sum").orElseThrow().outputs().parameters().get("sum"));
            return result;
        }
        // end:java-builder
    }
}
