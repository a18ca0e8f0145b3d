package dev.weft.engine.exec;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeType;
import dev.weft.engine.model.Step;
import dev.weft.engine.model.Template;
import java.util.List;
import java.util.Optional;

/**
 * One steps template's run: its groups one after another, the steps of a group in parallel; a group that fails
 * (without continueOn) fails the template.
 */
final class StepsRun {
    private final RunExecution run;
    private final NodeState node;
    private final Template tmpl;
    private final Scope scope;
    private final Gate gate;
    private final List<List<Step>> groups;

    StepsRun(RunExecution run, NodeState node, Template tmpl, Scope scope) {
        this.run = run;
        this.node = node;
        this.tmpl = tmpl;
        this.scope = scope;
        this.gate = tmpl.parallelism().map(Gate::new).orElseGet(Gate::open);
        this.groups = tmpl.steps().orElseThrow();
    }

    void start() {
        group(0);
    }

    void group(int index) {
        if (index >= groups.size()) {
            run.compositeOutputs(node, tmpl, scope);
            run.finish(node, NodePhase.SUCCEEDED, "");
            return;
        }
        Optional<String> stop = run.stopped(node);
        if (stop.isPresent()) {
            run.finish(node, NodePhase.FAILED, stop.get());
            return;
        }
        List<Step> steps = groups.get(index);
        String groupName = node.name + "[" + index + "]";
        NodeState groupNode = run.newNode(node, groupName, "[" + index + "]", NodeType.STEP_GROUP, "");
        run.running(groupNode);
        if (steps.isEmpty()) {
            run.finish(groupNode, NodePhase.SUCCEEDED, "");
            group(index + 1);
            return;
        }
        int[] remaining = {steps.size()};
        NodeState[] results = new NodeState[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            int at = i;
            Step step = steps.get(i);
            run.invoke(groupNode, step, scope, gate, groupName + "." + step.name(),
                    tmpl.failFast().orElse(false), "steps").whenCompleteAsync((n, e) -> {
                        results[at] = n;
                        if (--remaining[0] == 0) {
                            groupDone(index, groupNode, steps, results);
                        }
                    }, run.serial());
        }
    }

    void groupDone(int index, NodeState groupNode, List<Step> steps, NodeState[] results) {
        for (int i = 0; i < steps.size(); i++) {
            NodeState r = results[i];
            if (r == null) {
                continue;
            }
            boolean bad = (r.phase == NodePhase.FAILED && !steps.get(i).continueOn().failed())
                    || (r.phase == NodePhase.ERROR && !steps.get(i).continueOn().error());
            if (bad) {
                String msg = "child '" + r.name + "' " + r.phase.argoName().toLowerCase()
                        + (r.message.isEmpty() ? "" : ": " + r.message);
                run.finish(groupNode, NodePhase.FAILED, msg);
                run.finish(node, r.phase == NodePhase.ERROR ? NodePhase.ERROR : NodePhase.FAILED, msg);
                return;
            }
        }
        run.finish(groupNode, NodePhase.SUCCEEDED, "");
        group(index + 1);
    }
}
