package dev.weft.engine.exec;

import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeType;
import dev.weft.engine.expr.DependsExpression;
import dev.weft.engine.expr.TaskOutcome;
import dev.weft.engine.model.DagSpec;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Template;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One DAG template's run. Tasks are numbered in spec order and every per-task table is an array indexed by that
 * number: a 10,000-task DAG pays no string hashing per edge.
 */
final class DagRun {
    private final RunExecution run;
    private final NodeState node;
    private final Template tmpl;
    private final Scope scope;
    private final Gate gate;
    /** The selected tasks (all, or those the target needs), in spec order. */
    private DagTask[] tasks;
    private Map<String, Integer> index;
    private int[][] deps;
    private int[][] dependants;
    private int[] waiting;
    /** A task's parsed {@code depends}, or null when it has plain {@code dependencies} (or none). */
    private DependsExpression[] depends;
    private NodeState[] results;
    private int open;
    /** Tasks whose dependencies are done, launched in order by {@link #drainReady()}: no recursion. */
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private boolean draining;

    DagRun(RunExecution run, NodeState node, Template tmpl, Scope scope) {
        this.run = run;
        this.node = node;
        this.tmpl = tmpl;
        this.scope = scope;
        this.gate = tmpl.parallelism().map(Gate::new).orElseGet(Gate::open);
    }

    void start() {
        DagSpec dag = tmpl.dag().orElseThrow();
        List<DagTask> all = dag.tasks();
        // what each task waits for, by position in the spec
        List<Collection<String>> depNames = new ArrayList<>(all.size());
        DependsExpression[] parsed = new DependsExpression[all.size()];
        try {
            for (int i = 0; i < all.size(); i++) {
                DagTask t = all.get(i);
                if (t.depends().isPresent() && !t.depends().get().isBlank()) {
                    parsed[i] = run.expressions().parseDepends(t.depends().get());
                    depNames.add(parsed[i].tasks());
                } else {
                    depNames.add(t.dependencies());
                }
            }
        } catch (RuntimeException e) {
            run.finish(node, NodePhase.ERROR, "cannot parse depends: " + e.getMessage());
            return;
        }
        int[] positions = select(dag, depNames);
        int count = positions.length;
        tasks = new DagTask[count];
        index = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            tasks[i] = all.get(positions[i]);
            index.put(tasks[i].name(), i);
        }
        deps = new int[count][];
        depends = new DependsExpression[count];
        waiting = new int[count];
        results = new NodeState[count];
        int[] fanOut = new int[count];
        for (int i = 0; i < count; i++) {
            Collection<String> names = depNames.get(positions[i]);
            int[] d = new int[names.size()];
            int k = 0;
            for (String dep : names) {
                Integer at = index.get(dep);
                if (at == null) {
                    run.finish(node, NodePhase.ERROR, "task '" + tasks[i].name() + "' depends on '" + dep
                            + "', which is not a task of this DAG");
                    return;
                }
                d[k++] = at;
                fanOut[at]++;
            }
            deps[i] = d;
            depends[i] = parsed[positions[i]];
            waiting[i] = d.length;
        }
        dependants = new int[count][];
        for (int i = 0; i < count; i++) {
            dependants[i] = new int[fanOut[i]];
        }
        int[] filled = new int[count];
        for (int i = 0; i < count; i++) {
            for (int d : deps[i]) {
                dependants[d][filled[d]++] = i;
            }
        }
        scope.expectFinished(count);
        open = count;
        if (open == 0) {
            run.finish(node, NodePhase.SUCCEEDED, "");
            return;
        }
        for (int i = 0; i < count; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        drainReady();
    }

    /**
     * The positions (in the spec) of the tasks to run: all of them, or the target's tasks and everything they
     * depend on.
     */
    private int[] select(DagSpec dag, List<Collection<String>> depNames) {
        List<DagTask> all = dag.tasks();
        Optional<String> target = dag.target().map(x -> run.expressions().substitute(x, scope))
                .filter(x -> !x.isBlank());
        if (target.isEmpty()) {
            return IntStream.range(0, all.size()).toArray();
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            positions.putIfAbsent(all.get(i).name(), i);
        }
        boolean[] selected = new boolean[all.size()];
        List<String> stack = new ArrayList<>(List.of(target.get().trim().split("\\s+")));
        while (!stack.isEmpty()) {
            Integer at = positions.get(stack.remove(stack.size() - 1));
            if (at != null && !selected[at]) {
                selected[at] = true;
                stack.addAll(depNames.get(at));
            }
        }
        return IntStream.range(0, all.size()).filter(i -> selected[i]).toArray();
    }

    private void drainReady() {
        if (draining) {
            return; // the loop below, further up the stack, picks it up
        }
        draining = true;
        try {
            Integer next;
            while ((next = ready.poll()) != null) {
                launch(next);
            }
        } finally {
            draining = false;
        }
    }

    private void launch(int at) {
        DagTask task = tasks[at];
        String taskName = task.name();
        String fullName = node.name + "." + taskName;
        String unmet;
        try {
            unmet = unmetCondition(at);
        } catch (RuntimeException e) {
            NodeState n = run.newNode(node, fullName, taskName, NodeType.SKIPPED, task.template());
            run.finish(n, NodePhase.ERROR, "cannot evaluate depends '" + depends[at].source() + "': "
                    + e.getMessage());
            done(at, n);
            return;
        }
        if (unmet != null) {
            NodeState n = run.newNode(node, fullName, taskName, NodeType.SKIPPED, task.template());
            run.finish(n, NodePhase.OMITTED, unmet);
            scope.putFinished("tasks." + taskName, n);
            done(at, n);
            return;
        }
        // completes on the run.serial() executor; a task finishing at once (skipped) lands in ready, not deeper
        run.invoke(node, task, scope, gate, fullName, tmpl.failFast().orElse(false), "tasks")
                .whenComplete((n, e) -> done(at, n));
    }

    /** Why task {@code at} is not to run (its depends is false), or null when it runs. */
    private String unmetCondition(int at) {
        DependsExpression de = depends[at];
        if (de != null) {
            return de.evaluate(this::outcome) ? null : "depends '" + de.source() + "' is false";
        }
        // plain dependencies: as Argo's "A && B", a bare name meaning Succeeded, Skipped or Daemoned
        for (int d : deps[at]) {
            NodePhase p = results[d] == null ? NodePhase.PENDING : results[d].phase;
            if (p != NodePhase.SUCCEEDED && p != NodePhase.SKIPPED) {
                return "dependency '" + tasks[d].name() + "' " + p.argoName().toLowerCase()
                        + ", so the task was not run";
            }
        }
        return null;
    }

    TaskOutcome outcome(String taskName) {
        Integer at = index.get(taskName);
        NodeState n = at == null ? null : results[at];
        if (n == null) {
            return TaskOutcome.of(NodePhase.PENDING);
        }
        List<NodePhase> children = n.type == NodeType.TASK_GROUP
                ? n.children.stream().map(c -> c.phase).toList() : List.of();
        return new TaskOutcome(n.phase, false, children);
    }

    void done(int at, NodeState n) {
        results[at] = n;
        for (int d : dependants[at]) {
            if (--waiting[d] == 0) {
                ready.add(d);
            }
        }
        if (--open == 0) {
            assess();
        } else {
            drainReady();
        }
    }

    /** Argo's rule: the DAG fails when a target (leaf) task's branch failed, omitted tasks inheriting it. */
    void assess() {
        // tasks are done in an order that respects every edge; spec order may not, so walk topologically
        NodePhase[] branch = new NodePhase[tasks.length];
        for (int t : topological()) {
            NodeState n = results[t];
            NodePhase p = n == null ? NodePhase.SUCCEEDED : n.phase;
            if (p == NodePhase.OMITTED) {
                NodePhase inherited = NodePhase.SUCCEEDED;
                for (int d : deps[t]) {
                    NodePhase bp = branch[d];
                    if (bp == NodePhase.FAILED || bp == NodePhase.ERROR) {
                        inherited = bp;
                        break;
                    }
                }
                p = inherited;
            }
            branch[t] = p;
        }
        Optional<String> target = tmpl.dag().orElseThrow().target().map(x -> run.expressions().substitute(x, scope))
                .filter(x -> !x.isBlank());
        List<Integer> targets = new ArrayList<>();
        if (target.isPresent()) {
            for (String t : target.get().trim().split("\\s+")) {
                Integer at = index.get(t);
                if (at != null) {
                    targets.add(at);
                }
            }
        } else {
            for (int t = 0; t < tasks.length; t++) {
                if (dependants[t].length == 0) {
                    targets.add(t);
                }
            }
        }
        for (int t : targets) {
            NodePhase bp = branch[t] == null ? NodePhase.SUCCEEDED : branch[t];
            DagTask task = tasks[t];
            if ((bp == NodePhase.FAILED && !task.continueOn().failed())
                    || (bp == NodePhase.ERROR && !task.continueOn().error())) {
                NodeState culprit = firstFailure();
                String msg = culprit == null ? "task '" + task.name() + "' " + bp.argoName().toLowerCase()
                        : "task '" + culprit.displayName + "' " + culprit.phase.argoName().toLowerCase()
                        + (culprit.message.isEmpty() ? "" : ": " + culprit.message);
                Optional<String> stop = run.stopped(node);
                run.finish(node, bp, stop.orElse(msg));
                return;
            }
        }
        run.compositeOutputs(node, tmpl, scope);
        run.finish(node, NodePhase.SUCCEEDED, "");
    }

    NodeState firstFailure() {
        for (NodeState n : results) {
            if (n != null && (n.phase == NodePhase.FAILED || n.phase == NodePhase.ERROR)) {
                return n;
            }
        }
        return null;
    }

    int[] topological() {
        int[] order = new int[tasks.length];
        int[] in = new int[tasks.length];
        int head = 0;
        int tail = 0;
        for (int t = 0; t < tasks.length; t++) {
            in[t] = deps[t].length;
            if (in[t] == 0) {
                order[tail++] = t;
            }
        }
        while (head < tail) {
            int t = order[head++];
            for (int d : dependants[t]) {
                if (--in[d] == 0) {
                    order[tail++] = d;
                }
            }
        }
        return Arrays.copyOf(order, tail);
    }
}
