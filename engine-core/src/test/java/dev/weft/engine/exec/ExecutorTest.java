package dev.weft.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.Engine;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunListener;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.expr.DefaultExpressions;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.WorkflowReader;
import dev.weft.engine.spec.WorkflowSpecException;
import dev.weft.engine.task.TaskOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<String> order = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);
    private final List<String> captured = new CopyOnWriteArrayList<>();

    private final Engine engine = Engine.builder().expressions(new DefaultExpressions())
            .handler("record", ctx -> {
                order.add(ctx.parameters().getOrDefault("name", ctx.nodeName()));
                return TaskOutput.result(ctx.parameters().getOrDefault("name", "ok"));
            })
            .handler("echo", ctx -> TaskOutput.result(ctx.parameters().get("msg")))
            .handler("capture", ctx -> {
                captured.add(ctx.parameters().get("msg"));
                return TaskOutput.empty();
            })
            .handler("fail", ctx -> {
                throw new IllegalStateException("boom in " + ctx.nodeName());
            })
            .handler("flaky", ctx -> {
                int n = calls.computeIfAbsent(ctx.parameters().get("key"), k -> new AtomicInteger()).incrementAndGet();
                if (n <= Integer.parseInt(ctx.parameters().get("failures"))) {
                    throw new IllegalStateException("attempt " + n + " failed");
                }
                return TaskOutput.result("attempt " + n);
            })
            .handler("busy", ctx -> {
                int now = concurrent.incrementAndGet();
                maxConcurrent.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(30);
                } finally {
                    concurrent.decrementAndGet();
                }
                if ("fail".equals(ctx.parameters().get("msg"))) {
                    throw new IllegalStateException("asked to fail");
                }
                return TaskOutput.empty();
            })
            .handler("block", ctx -> {
                never.await();
                return TaskOutput.empty();
            })
            .handler("params", ctx -> TaskOutput.parameters(Map.of("p", "value-" + ctx.parameters().get("msg"))))
            .build();

    @AfterEach
    void close() {
        never.countDown();
        engine.close();
    }

    private RunResult run(String yaml) throws Exception {
        return run(yaml, Map.of());
    }

    private RunResult run(String yaml, Map<String, String> args) throws Exception {
        Workflow wf = new WorkflowReader().read(yaml, "test.yaml");
        return engine.submit(wf, args, "test.yaml", List.of()).await(WAIT);
    }

    private static List<NodeStatus> named(RunResult r, String prefix) {
        return r.nodes().stream().filter(n -> n.displayName().startsWith(prefix)).toList();
    }

    @Test
    void diamondRunsEachTaskAfterItsDependencies() throws Exception {
        Workflow wf = Workflow.builder().generateName("diamond-").entrypoint("diamond")
                .template(Template.builder("diamond").dag(
                        DagTask.builder("A", "rec").argument("name", "A").build(),
                        DagTask.builder("B", "rec").argument("name", "B").depends("A").build(),
                        DagTask.builder("C", "rec").argument("name", "C").depends("A").build(),
                        DagTask.builder("D", "rec").argument("name", "D").depends("B && C").build()))
                .template(Template.builder("rec").input("name").plugin("record", Map.of()))
                .build();
        RunResult r = engine.submit(wf, Map.of()).await(WAIT);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(order).containsExactlyInAnyOrder("A", "B", "C", "D");
        assertThat(order.indexOf("A")).isLessThan(order.indexOf("B")).isLessThan(order.indexOf("D"));
        assertThat(order.indexOf("C")).isLessThan(order.indexOf("D"));
        assertThat(r.name()).startsWith("diamond-").hasSize("diamond-".length() + 5);
        assertThat(r.node("D").orElseThrow().outputs().result()).contains("D");
    }

    @Test
    void falseWhenSkipsAndUnmetDependsOmits() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: A, template: fail}
                      - {name: B, template: ok, depends: A.Succeeded}
                      - {name: C, template: ok, depends: A.Failed}
                      - {name: S, template: ok, depends: C, when: "{{tasks.C.status}} == Failed"}
                  - {name: ok, plugin: {record: {}}}
                  - {name: fail, plugin: {fail: {}}}
                """);
        assertThat(r.node("A").orElseThrow().phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.node("A").orElseThrow().message()).contains("boom");
        assertThat(r.node("B").orElseThrow().phase()).isEqualTo(NodePhase.OMITTED);
        assertThat(r.node("C").orElseThrow().phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.node("S").orElseThrow().phase()).isEqualTo(NodePhase.SKIPPED);
        // Argo: an omitted leaf inherits its failed branch, so the DAG fails
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
    }

    @Test
    void aLongChainBehindAFailureIsOmittedWithoutDeepRecursion() throws Exception {
        // every omitted task makes the next one ready at once: launching them must not nest call upon call
        List<DagTask> tasks = new ArrayList<>();
        tasks.add(DagTask.builder("t0", "fail").build());
        for (int i = 1; i < 20_000; i++) {
            tasks.add(DagTask.builder("t" + i, "ok").dependencies("t" + (i - 1)).build());
        }
        Workflow wf = Workflow.builder().name("chain").entrypoint("main")
                .template(Template.builder("main").dag(tasks))
                .template(Template.builder("ok").plugin("record", Map.of()))
                .template(Template.builder("fail").plugin("fail", Map.of()))
                .build();
        RunResult r = engine.submit(wf, Map.of()).await(WAIT);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.message()).contains("task 't0' failed").contains("boom");
        assertThat(order).isEmpty();
        assertThat(r.node("t19999").orElseThrow().phase()).isEqualTo(NodePhase.OMITTED);
        assertThat(r.node("t1").orElseThrow().message()).isEqualTo("dependency 't0' failed, so the task was not run");
    }

    @Test
    void finishedTaskVariablesAreReadableByLaterTasksEvenWithDotsInNames() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: d
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: a.b, template: params, arguments: {parameters: [{name: msg, value: x}]}}
                      - {name: loop, template: echo, withItems: [1, 2],
                         arguments: {parameters: [{name: msg, value: "i{{item}}"}]}}
                      - name: C
                        template: capture
                        dependencies: [a.b]
                        arguments:
                          parameters:
                          - name: msg
                            value: "{{tasks.a.b.status}}|{{tasks.a.b.outputs.parameters.p}}|{{tasks.a.b.outputs.parameters}}"
                      - name: D
                        template: capture
                        dependencies: [a.b, loop]
                        arguments:
                          parameters:
                          - name: msg
                            value: "{{tasks.loop.outputs.result}}|{{tasks.loop.status}}|{{=len(tasks['a.b'].id) > 0}}"
                  - name: params
                    inputs: {parameters: [{name: msg}]}
                    outputs: {parameters: [{name: p}]}
                    plugin: {params: {}}
                  - {name: echo, inputs: {parameters: [{name: msg}]}, plugin: {echo: {}}}
                  - {name: capture, inputs: {parameters: [{name: msg}]}, plugin: {capture: {}}}
                """);
        assertThat(r.phase()).as(r.message()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(captured).containsExactlyInAnyOrder("Succeeded|value-x|{\"p\":\"value-x\"}",
                "[\"i1\",\"i2\"]|Succeeded|true");
    }

    @Test
    void loopsExpandIntoChildrenNamedLikeArgo() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  arguments: {parameters: [{name: list, value: '[{"k": "x"}, {"k": "y"}]'}]}
                  templates:
                  - name: s
                    steps:
                    - - {name: items, template: echo, arguments: {parameters: [{name: msg, value: "{{item}}"}]},
                         withItems: [a, b, c]}
                      - {name: seq, template: echo, arguments: {parameters: [{name: msg, value: "{{item}}"}]},
                         withSequence: {start: "5", end: "3"}}
                      - {name: par, template: echo, arguments: {parameters: [{name: msg, value: "{{item.k}}"}]},
                         withParam: "{{workflow.parameters.list}}"}
                    - - {name: after, template: echo,
                         arguments: {parameters: [{name: msg, value: "{{steps.par.outputs.result}}"}]}}
                  - name: echo
                    inputs: {parameters: [{name: msg}]}
                    plugin: {echo: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(named(r, "items(").stream().map(NodeStatus::displayName))
                .containsExactly("items(0:a)", "items(1:b)", "items(2:c)");
        assertThat(named(r, "seq(").stream().map(n -> n.outputs().result().orElseThrow()))
                .containsExactly("5", "4", "3");
        assertThat(named(r, "par(").stream().map(NodeStatus::displayName))
                .containsExactly("par(0:k:x)", "par(1:k:y)");
        assertThat(r.node("items").orElseThrow().type()).isEqualTo(NodeType.TASK_GROUP);
        assertThat(r.node("after").orElseThrow().outputs().result()).contains("[\"x\",\"y\"]");
    }

    @Test
    void retriesUntilTheTaskSucceeds() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: ok-later, template: flaky, arguments: {parameters: [{name: key, value: a},
                                                                                  {name: failures, value: "2"}]}}
                  - name: flaky
                    inputs: {parameters: [{name: key}, {name: failures}]}
                    retryStrategy: {limit: "3", retryPolicy: Always, backoff: {duration: "10ms", factor: "2"}}
                    plugin: {flaky: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        NodeStatus retry = r.node("ok-later").orElseThrow();
        assertThat(retry.type()).isEqualTo(NodeType.RETRY);
        assertThat(retry.children()).hasSize(3);
        assertThat(retry.outputs().result()).contains("attempt 3");
    }

    @Test
    void retriesStopAtTheLimit() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: flaky
                  arguments: {parameters: [{name: key, value: b}, {name: failures, value: "9"}]}
                  templates:
                  - name: flaky
                    inputs: {parameters: [{name: key}, {name: failures}]}
                    retryStrategy: {limit: 2}
                    plugin: {flaky: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(calls.get("b").get()).isEqualTo(3);
        assertThat(r.message()).contains("attempt 3 failed");
    }

    @Test
    void onErrorPolicyDoesNotRetryFailures() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: flaky
                  arguments: {parameters: [{name: key, value: c}, {name: failures, value: "1"}]}
                  templates:
                  - name: flaky
                    inputs: {parameters: [{name: key}, {name: failures}]}
                    retryStrategy: {limit: 5, retryPolicy: OnError}
                    plugin: {flaky: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(calls.get("c").get()).isEqualTo(1);
    }

    @Test
    void templateTimeoutStopsTheTaskAndSaysSo() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: slow, template: block}
                  - {name: block, timeout: 200ms, plugin: {block: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        NodeStatus slow = r.node("slow").orElseThrow();
        assertThat(slow.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(slow.message()).contains("timeout").contains("'block'");
    }

    @Test
    void workflowDeadlineStopsEverything() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: d
                  activeDeadlineSeconds: 1
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: a, template: block}
                      - {name: b, template: block, depends: a}
                  - {name: block, plugin: {block: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.message()).contains("activeDeadlineSeconds");
        assertThat(r.node("a").orElseThrow().message()).contains("deadline");
        assertThat(r.node("b").orElseThrow().phase()).isEqualTo(NodePhase.OMITTED);
    }

    @Test
    void exitHandlersSeeWorkflowStatusAndFailures() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  onExit: exit
                  templates:
                  - name: s
                    steps:
                    - - name: first
                        template: ok
                        hooks: {exit: {template: cap, arguments: {parameters: [{name: msg,
                                value: "hook saw {{steps.first.status}}"}]}}}
                    - - {name: second, template: fail}
                  - {name: ok, plugin: {record: {}}}
                  - {name: fail, plugin: {fail: {}}}
                  - name: exit
                    steps:
                    - - {name: report, template: cap, arguments: {parameters: [{name: msg,
                            value: "{{workflow.status}} {{workflow.failures}}"}]}}
                  - name: cap
                    inputs: {parameters: [{name: msg}]}
                    plugin: {capture: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(captured).hasSize(2);
        assertThat(captured.get(0)).isEqualTo("hook saw Succeeded");
        assertThat(captured.get(1)).startsWith("Failed [").contains("\"displayName\":\"second\"")
                .contains("boom");
    }

    @Test
    void templateParallelismLimitsConcurrentChildren() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    parallelism: 2
                    steps:
                    - - {name: work, template: busy, withSequence: {count: "8"}}
                  - {name: busy, plugin: {busy: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(named(r, "work(")).hasSize(8);
        assertThat(maxConcurrent.get()).isBetween(1, 2);
    }

    @Test
    void workflowParallelismLimitsConcurrentTasks() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: d
                  parallelism: 3
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: a, template: busy, withSequence: {count: "6"}}
                      - {name: b, template: busy, withSequence: {count: "6"}}
                  - {name: busy, plugin: {busy: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(maxConcurrent.get()).isBetween(1, 3);
    }

    @Test
    void failFastStopsStartingLoopChildrenAfterAFailure() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    parallelism: 1
                    failFast: true
                    steps:
                    - - {name: u, template: busy, arguments: {parameters: [{name: msg, value: "{{item}}"}]},
                         withItems: [ok, ok, fail, ok, ok]}
                  - {name: busy, inputs: {parameters: [{name: msg}]}, plugin: {busy: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(named(r, "u(").stream().map(NodeStatus::phase))
                .containsExactly(NodePhase.SUCCEEDED, NodePhase.SUCCEEDED, NodePhase.FAILED);
    }

    @Test
    void continueOnFailedLetsStepsGoOn() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: bad, template: fail, continueOn: {failed: true}}
                    - - {name: after, template: echo,
                         arguments: {parameters: [{name: msg, value: "{{steps.bad.status}}"}]}}
                  - {name: fail, plugin: {fail: {}}}
                  - {name: echo, inputs: {parameters: [{name: msg}]}, plugin: {echo: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.node("after").orElseThrow().outputs().result()).contains("Failed");
    }

    @Test
    void outputParametersFlowAndGlobalOutputsArePublished() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: make, template: make, arguments: {parameters: [{name: msg, value: hi}]}}
                    - - {name: use, template: echo,
                         arguments: {parameters: [{name: msg, value: "{{steps.make.outputs.parameters.p}}"}]}}
                    outputs:
                      parameters:
                      - {name: final, valueFrom: {parameter: "{{steps.use.outputs.result}}"}, globalName: final}
                  - name: make
                    inputs: {parameters: [{name: msg}]}
                    outputs: {parameters: [{name: p, globalName: g}]}
                    plugin: {params: {}}
                  - {name: echo, inputs: {parameters: [{name: msg}]}, plugin: {echo: {}}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(r.node("use").orElseThrow().outputs().result()).contains("value-hi");
        assertThat(r.globalOutputs()).containsEntry("g", "value-hi").containsEntry("final", "value-hi");
    }

    @Test
    void cancelStopsRunningTasksAndEndsTheRun() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        Workflow wf = new WorkflowReader().read("""
                spec:
                  entrypoint: d
                  onExit: exit
                  templates:
                  - name: d
                    dag:
                      tasks:
                      - {name: a, template: block}
                      - {name: b, template: block, depends: a}
                  - {name: block, plugin: {block: {}}}
                  - {name: exit, plugin: {record: {}}}
                """, "c.yaml");
        WorkflowRun run = engine.submit(wf, Map.of(), "c.yaml", List.of(new RunListener() {
            @Override
            public void nodeChanged(String runName, NodeStatus node) {
                events.add(node.displayName() + ":" + node.phase());
                if (node.displayName().equals("a") && node.phase() == NodePhase.RUNNING) {
                    started.countDown();
                }
            }
        }));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        run.cancel();
        RunResult r = run.await(WAIT);
        assertThat(r.phase()).isEqualTo(NodePhase.FAILED);
        assertThat(r.message()).contains("cancelled");
        assertThat(r.node("b").orElseThrow().phase()).isEqualTo(NodePhase.OMITTED);
        assertThat(order).isEmpty(); // the exit handler does not run after a cancel
        assertThat(events).contains("a:RUNNING", "a:FAILED");
    }

    @Test
    void invalidWorkflowsDoNotStart() {
        Workflow wf = new WorkflowReader().read("""
                spec:
                  entrypoint: t
                  templates:
                  - {name: t, plugin: {nosuchhandler: {}}}
                """, "bad.yaml");
        assertThatThrownBy(() -> engine.submit(wf, Map.of("x", "1"), "bad.yaml", List.of()))
                .isInstanceOf(WorkflowSpecException.class)
                .hasMessageContaining("bad.yaml: spec.templates[t].plugin: unknown Java handler 'nosuchhandler'")
                .hasMessageContaining("bad.yaml: arguments: unknown workflow parameter 'x'");
    }

    @Test
    void workflowArgumentsOverrideDefaultsAndReachTheEntrypoint() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: echo
                  arguments: {parameters: [{name: msg, value: default}]}
                  templates:
                  - {name: echo, inputs: {parameters: [{name: msg}]}, plugin: {echo: {}}}
                """, Map.of("msg", "given"));
        assertThat(r.nodes().get(0).outputs().result()).contains("given");
    }

    @Test
    void retryExpressionDecidesWhetherToTryAgain() throws Exception {
        RunResult r = run("""
                spec:
                  entrypoint: s
                  templates:
                  - name: s
                    steps:
                    - - {name: yes, template: flaky, arguments: {parameters: [{name: key, value: e1},
                                                                             {name: failures, value: "1"}]}}
                      - {name: no, template: never, arguments: {parameters: [{name: key, value: e2},
                                                                             {name: failures, value: "1"}]},
                         continueOn: {failed: true}}
                  - name: flaky
                    inputs: {parameters: [{name: key}, {name: failures}]}
                    retryStrategy: {limit: 3, expression: "lastRetry.status == 'Failed'"}
                    plugin: {flaky: {}}
                  - name: never
                    inputs: {parameters: [{name: key}, {name: failures}]}
                    retryStrategy: {limit: 3, expression: "lastRetry.status == 'Error'"}
                    plugin: {flaky: {}}
                """);
        assertThat(r.phase()).isEqualTo(NodePhase.SUCCEEDED);
        assertThat(calls.get("e1").get()).isEqualTo(2);
        assertThat(calls.get("e2").get()).isEqualTo(1);
    }
}
