package dev.weft.engine.spec;

import dev.weft.engine.expr.ExpressionException;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Arguments;
import dev.weft.engine.model.Backoff;
import dev.weft.engine.model.DagSpec;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.Invocation;
import dev.weft.engine.model.LifecycleHook;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.Step;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.TemplateKind;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.model.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks a workflow before anything runs and reports every problem together, each with its field path:
 * missing or unknown entrypoint, unknown templates, duplicate names, templates without exactly one body, bad
 * {@code depends} syntax and unknown tasks in it, dependency cycles (naming the cycle), missing required input
 * parameters, unknown Java handlers, malformed durations and numbers, unbalanced {@code {{ }}}, and artifact
 * declarations without a path or source.
 *
 * <p>Values that contain {@code {{...}}} are checked after substitution, at run time.
 */
public final class WorkflowValidator {

    private final Expressions expressions;
    private final Limits limits;

    /** @param expressions used to parse {@code depends} expressions */
    public WorkflowValidator(Expressions expressions) {
        this(expressions, Limits.defaults());
    }

    /**
     * @param expressions used to parse {@code depends} expressions
     * @param limits      literal loops larger than {@link Limits#loopItems()} are refused here, before any run
     */
    public WorkflowValidator(Expressions expressions, Limits limits) {
        this.expressions = Objects.requireNonNull(expressions, "expressions");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Validates, and throws when anything is wrong.
     *
     * @param source       the file name for messages
     * @param knownHandler whether a Java handler name is registered
     * @throws WorkflowSpecException with every problem
     */
    public void check(Workflow workflow, String source, Predicate<String> knownHandler) {
        List<SpecError> errors = validate(workflow, source, knownHandler);
        if (!errors.isEmpty()) {
            throw new WorkflowSpecException(errors);
        }
    }

    /** Every problem found; empty when the workflow can run. */
    public List<SpecError> validate(Workflow workflow, String source, Predicate<String> knownHandler) {
        Run run = new Run(source, workflow.spec(), knownHandler);
        run.all();
        return run.errors;
    }

    private final class Run {
        private final String source;
        private final WorkflowSpec spec;
        private final Predicate<String> knownHandler;
        private final List<SpecError> errors = new ArrayList<>();
        private final Map<String, Template> templates = new LinkedHashMap<>();

        Run(String source, WorkflowSpec spec, Predicate<String> knownHandler) {
            this.source = source;
            this.spec = spec;
            this.knownHandler = knownHandler;
        }

        void error(String path, String message) {
            errors.add(new SpecError(source, path, message));
        }

        void all() {
            for (Template t : spec.templates()) {
                if (templates.putIfAbsent(t.name(), t) != null) {
                    error("spec.templates[" + t.name() + "]", "duplicate template name '" + t.name() + "'");
                }
            }
            if (spec.entrypoint().isBlank()) {
                error("spec.entrypoint", "missing: name the template the run starts with");
            } else if (!templates.containsKey(spec.entrypoint())) {
                error("spec.entrypoint", "unknown template '" + spec.entrypoint() + "'" + known());
            } else {
                requiredInputs(spec.entrypoint(), spec.arguments(), "spec.arguments", true);
            }
            spec.onExit().ifPresent(x -> {
                if (!templates.containsKey(x)) {
                    error("spec.onExit", "unknown template '" + x + "'" + known());
                } else {
                    requiredInputs(x, spec.arguments(), "spec.onExit", true);
                }
            });
            spec.parallelism().ifPresent(p -> positive(p, "spec.parallelism"));
            spec.activeDeadlineSeconds().ifPresent(p -> {
                if (p <= 0) {
                    error("spec.activeDeadlineSeconds", "expected a positive number of seconds, got " + p);
                }
            });
            Set<String> argNames = new HashSet<>();
            for (Parameter p : spec.arguments().parameters()) {
                if (!argNames.add(p.name())) {
                    error("spec.arguments.parameters[" + p.name() + "]", "duplicate parameter '" + p.name() + "'");
                }
                braces(p.value(), "spec.arguments.parameters[" + p.name() + "].value");
            }
            spec.templateDefaults().ifPresent(d -> common(d, "spec.templateDefaults"));
            for (Template t : spec.templates()) {
                template(t, "spec.templates[" + t.name() + "]");
            }
        }

        String known() {
            return templates.isEmpty() ? "" : " (templates: " + String.join(", ", templates.keySet()) + ")";
        }

        void template(Template t, String path) {
            List<TemplateKind> kinds = t.kinds();
            if (kinds.isEmpty()) {
                error(path, "template '" + t.name() + "' has no body: set one of container, script, dag, steps, "
                        + "plugin");
            } else if (kinds.size() > 1) {
                error(path, "template '" + t.name() + "' has several bodies " + kinds + ": set exactly one");
            }
            names(t.inputs().parameters().stream().map(Parameter::name).toList(), path + ".inputs.parameters",
                    "input parameter");
            names(t.inputs().artifacts().stream().map(Artifact::name).toList(), path + ".inputs.artifacts",
                    "input artifact");
            names(t.outputs().parameters().stream().map(Parameter::name).toList(), path + ".outputs.parameters",
                    "output parameter");
            names(t.outputs().artifacts().stream().map(Artifact::name).toList(), path + ".outputs.artifacts",
                    "output artifact");
            common(t, path);
            boolean leaf = t.container().isPresent() || t.script().isPresent();
            for (Artifact a : t.inputs().artifacts()) {
                if (leaf && a.path().isEmpty()) {
                    error(path + ".inputs.artifacts[" + a.name() + "].path",
                            "missing: input artifact '" + a.name() + "' needs the path to place it at");
                }
            }
            for (Artifact a : t.outputs().artifacts()) {
                String ap = path + ".outputs.artifacts[" + a.name() + "]";
                if (leaf && a.path().isEmpty()) {
                    error(ap + ".path", "missing: output artifact '" + a.name() + "' needs the path to collect");
                }
                if (!leaf && a.path().isEmpty() && a.from().isEmpty() && a.fromExpression().isEmpty()) {
                    error(ap, "output artifact '" + a.name() + "' of a composite template needs from or "
                            + "fromExpression");
                }
            }
            for (Parameter p : t.outputs().parameters()) {
                String pp = path + ".outputs.parameters[" + p.name() + "]";
                if (p.valueFrom().isEmpty() && p.value().isEmpty() && t.plugin().isEmpty()) {
                    error(pp + ".valueFrom", "missing: output parameter '" + p.name() + "' needs valueFrom");
                } else if (p.valueFrom().isPresent()) {
                    var vf = p.valueFrom().get();
                    if (leaf && vf.path().isEmpty() && vf.expression().isEmpty() && vf.defaultValue().isEmpty()) {
                        error(pp + ".valueFrom.path", "missing: where does '" + p.name() + "' come from?");
                    }
                    if (!leaf && vf.parameter().isEmpty() && vf.expression().isEmpty() && vf.path().isEmpty()) {
                        error(pp + ".valueFrom.parameter",
                                "missing: a composite template's output parameter needs valueFrom.parameter");
                    }
                }
            }
            for (Parameter p : t.inputs().parameters()) {
                braces(p.value(), path + ".inputs.parameters[" + p.name() + "].value");
            }
            t.process().ifPresent(c -> {
                String cp = path + (t.container().isPresent() ? ".container" : ".script");
                if (c.command().isEmpty() && c.source().isEmpty()) {
                    error(cp + ".command", "missing: Weft runs the command itself and cannot read an image's "
                            + "entrypoint");
                }
                for (int i = 0; i < c.command().size(); i++) {
                    braces(Optional.of(c.command().get(i)), cp + ".command[" + i + "]");
                }
                for (int i = 0; i < c.args().size(); i++) {
                    braces(Optional.of(c.args().get(i)), cp + ".args[" + i + "]");
                }
                braces(c.source(), cp + ".source");
            });
            t.plugin().ifPresent(p -> {
                if (!p.handler().isBlank() && !knownHandler.test(p.handler())) {
                    error(path + ".plugin", "unknown Java handler '" + p.handler() + "' in template '" + t.name()
                            + "' (register a TaskHandler under that name)");
                }
            });
            t.dag().ifPresent(d -> dag(t, d, path + ".dag"));
            t.steps().ifPresent(s -> steps(s, path + ".steps"));
        }

        void common(Template t, String path) {
            t.timeout().ifPresent(x -> duration(x, path + ".timeout"));
            t.activeDeadlineSeconds().ifPresent(x -> number(x, path + ".activeDeadlineSeconds", false));
            t.parallelism().ifPresent(p -> positive(p, path + ".parallelism"));
            t.retryStrategy().ifPresent(r -> {
                r.limit().ifPresent(x -> number(x, path + ".retryStrategy.limit", true));
                r.backoff().ifPresent(b -> backoff(b, path + ".retryStrategy.backoff"));
            });
        }

        void backoff(Backoff b, String path) {
            b.duration().ifPresent(x -> duration(x, path + ".duration"));
            b.cap().ifPresent(x -> duration(x, path + ".cap"));
            b.maxDuration().ifPresent(x -> duration(x, path + ".maxDuration"));
            b.factor().ifPresent(x -> {
                if (!Durations.isTemplated(x)) {
                    try {
                        if (Double.parseDouble(x.trim()) <= 0) {
                            error(path + ".factor", "expected a positive number, got '" + x + "'");
                        }
                    } catch (NumberFormatException e) {
                        error(path + ".factor", "expected a number, got '" + x + "'");
                    }
                }
            });
        }

        void duration(String text, String path) {
            if (!Durations.isTemplated(text) && Durations.parse(text).isEmpty()) {
                error(path, "malformed duration '" + text + "' (expected e.g. 30s, 1m30s, 2h or a number of "
                        + "seconds)");
            }
        }

        void number(String text, String path, boolean zeroOk) {
            if (Durations.isTemplated(text)) {
                return;
            }
            try {
                long n = Long.parseLong(text.trim());
                if (n < 0 || (!zeroOk && n == 0)) {
                    error(path, "expected a " + (zeroOk ? "non-negative" : "positive") + " integer, got '" + text
                            + "'");
                }
            } catch (NumberFormatException e) {
                error(path, "expected an integer, got '" + text + "'");
            }
        }

        void positive(int n, String path) {
            if (n <= 0) {
                error(path, "expected a positive integer, got " + n);
            }
        }

        void names(List<String> names, String path, String what) {
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (!seen.add(n)) {
                    error(path + "[" + n + "]", "duplicate " + what + " '" + n + "'");
                }
            }
        }

        void braces(Optional<String> text, String path) {
            if (text.isEmpty()) {
                return;
            }
            String s = text.get();
            if (s.contains("{{")) {
                // parses every {{= ...}} now; variables are unknown here, so they are left for run time
                try {
                    expressions.substitutePartially(s, name -> Optional.empty());
                } catch (ExpressionException e) {
                    error(path, e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    // evaluation problems without variables are not syntax errors; run time will tell
                }
            }
            int open = s.indexOf("{{");
            while (open >= 0) {
                int close = s.indexOf("}}", open + 2);
                if (close < 0) {
                    error(path, "unclosed '{{' at position " + open + " in '" + s + "'");
                    return;
                }
                open = s.indexOf("{{", close + 2);
            }
        }

        void invocation(Invocation inv, String path) {
            if (inv.template().isBlank()) {
                return; // reported by the reader
            }
            Template target = templates.get(inv.template());
            if (target == null) {
                error(path + ".template", "unknown template '" + inv.template() + "'" + known());
            } else {
                requiredInputs(inv.template(), inv.arguments(), path + ".arguments", false);
            }
            for (Parameter p : inv.arguments().parameters()) {
                braces(p.value(), path + ".arguments.parameters[" + p.name() + "].value");
            }
            for (Artifact a : inv.arguments().artifacts()) {
                if (a.from().isEmpty() && a.fromExpression().isEmpty() && a.raw().isEmpty() && a.s3().isEmpty()) {
                    error(path + ".arguments.artifacts[" + a.name() + "]",
                            "argument artifact '" + a.name() + "' needs from, fromExpression, raw or s3");
                }
            }
            inv.when().ifPresent(w -> braces(Optional.of(w), path + ".when"));
            inv.withParam().ifPresent(w -> braces(Optional.of(w), path + ".withParam"));
            int loops = (inv.withItems().isEmpty() ? 0 : 1) + (inv.withParam().isPresent() ? 1 : 0)
                    + (inv.withSequence().isPresent() ? 1 : 0);
            if (loops > 1) {
                error(path, "set only one of withItems, withParam, withSequence");
            }
            loopSize(inv, path);
            for (Map.Entry<String, LifecycleHook> h : inv.hooks().entrySet()) {
                String hp = path + ".hooks." + h.getKey() + ".template";
                if (!templates.containsKey(h.getValue().template())) {
                    error(hp, "unknown template '" + h.getValue().template() + "'" + known());
                } else {
                    requiredInputs(h.getValue().template(), h.getValue().arguments(), hp, false);
                }
            }
        }

        /** Literal loops (no {@code {{...}}}) that would expand beyond the limit; the rest is checked at run time. */
        void loopSize(Invocation inv, String path) {
            if (inv.withItems().size() > limits.loopItems()) {
                error(path + ".withItems", LoopLimit.message("withItems of " + inv.withItems().size() + " items",
                        limits));
            }
            inv.withSequence().ifPresent(seq -> {
                Optional<Long> start = literal(seq.start());
                Optional<Long> count = literal(seq.count());
                Optional<Long> end = literal(seq.end());
                if (count.isPresent() && count.get() > limits.loopItems()) {
                    error(path + ".withSequence.count", LoopLimit.message("withSequence count " + count.get(),
                            limits));
                } else if (end.isPresent() && (start.isPresent() || seq.start().isEmpty())) {
                    long size = LoopLimit.sequenceSize(start.orElse(0L), end.get());
                    if (size > limits.loopItems()) {
                        error(path + ".withSequence.end", LoopLimit.message("withSequence from "
                                + start.orElse(0L) + " to " + end.get() + " (" + size + " numbers)", limits));
                    }
                }
            });
        }

        Optional<Long> literal(Optional<String> text) {
            if (text.isEmpty() || text.get().contains("{{")) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseLong(text.get().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        void requiredInputs(String templateName, Arguments given, String path, boolean fromWorkflow) {
            Template t = templates.get(templateName);
            if (t == null) {
                return;
            }
            for (Parameter p : t.inputs().parameters()) {
                if (p.isRequired() && given.parameter(p.name()).isEmpty()) {
                    error(path, "template '" + templateName + "' requires input parameter '" + p.name()
                            + "' but " + (fromWorkflow ? "the workflow arguments do" : "the call does")
                            + " not supply it");
                }
            }
        }

        void dag(Template t, DagSpec dag, String path) {
            List<DagTask> tasks = dag.tasks();
            Map<String, Integer> byName = new HashMap<>(tasks.size() * 2);
            for (int i = 0; i < tasks.size(); i++) {
                DagTask task = tasks.get(i);
                if (byName.putIfAbsent(task.name(), i) != null) {
                    error(path + ".tasks[" + task.name() + "]", "duplicate task name '" + task.name() + "'");
                }
            }
            // edges[i]: the positions of the tasks task i depends on
            int[][] edges = new int[tasks.size()][];
            for (int i = 0; i < tasks.size(); i++) {
                DagTask task = tasks.get(i);
                String tp = path + ".tasks[" + task.name() + "]";
                invocation(task, tp);
                List<Integer> deps = new ArrayList<>();
                if (task.depends().isPresent() && !task.dependencies().isEmpty()) {
                    error(tp, "set either depends or dependencies, not both");
                }
                if (task.depends().isPresent()) {
                    String d = task.depends().get();
                    try {
                        for (String dep : expressions.parseDepends(d).tasks()) {
                            Integer at = byName.get(dep);
                            if (at == null) {
                                error(tp + ".depends", "unknown task '" + dep + "' in '" + d + "'");
                            } else {
                                deps.add(at);
                            }
                        }
                    } catch (ExpressionException e) {
                        error(tp + ".depends", e.getMessage());
                    }
                }
                for (String dep : task.dependencies()) {
                    Integer at = byName.get(dep);
                    if (at == null) {
                        error(tp + ".dependencies", "unknown task '" + dep + "'");
                    } else {
                        deps.add(at);
                    }
                }
                edges[i] = deps.stream().mapToInt(Integer::intValue).toArray();
            }
            dag.target().ifPresent(target -> {
                for (String name : target.trim().split("\\s+")) {
                    if (!name.isEmpty() && !Durations.isTemplated(name) && !byName.containsKey(name)) {
                        error(path + ".target", "unknown task '" + name + "'");
                    }
                }
            });
            cycles(tasks, edges, path);
        }

        /**
         * Reports every dependency cycle. A linear pass peels off the tasks whose dependencies can all finish; only
         * when some remain (a cycle) does the slower search that names the cycle run, over those that remain.
         */
        void cycles(List<DagTask> tasks, int[][] edges, String path) {
            int n = tasks.size();
            int[] unmet = new int[n];
            int[][] dependants = new int[n][];
            int[] fanOut = new int[n];
            for (int i = 0; i < n; i++) {
                unmet[i] = edges[i].length;
                for (int d : edges[i]) {
                    fanOut[d]++;
                }
            }
            for (int i = 0; i < n; i++) {
                dependants[i] = new int[fanOut[i]];
                fanOut[i] = 0;
            }
            for (int i = 0; i < n; i++) {
                for (int d : edges[i]) {
                    dependants[d][fanOut[d]++] = i;
                }
            }
            int[] queue = new int[n];
            int head = 0;
            int tail = 0;
            for (int i = 0; i < n; i++) {
                if (unmet[i] == 0) {
                    queue[tail++] = i;
                }
            }
            while (head < tail) {
                for (int dependant : dependants[queue[head++]]) {
                    if (--unmet[dependant] == 0) {
                        queue[tail++] = dependant;
                    }
                }
            }
            if (tail == n) {
                return;
            }
            Map<String, Set<String>> remaining = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                if (unmet[i] > 0) {
                    Set<String> deps = new LinkedHashSet<>();
                    for (int d : edges[i]) {
                        if (unmet[d] > 0) {
                            deps.add(tasks.get(d).name());
                        }
                    }
                    remaining.put(tasks.get(i).name(), deps);
                }
            }
            nameCycles(remaining, path);
        }

        void nameCycles(Map<String, Set<String>> edges, String path) {
            Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
            Set<String> reported = new HashSet<>();
            for (String start : edges.keySet()) {
                if (state.containsKey(start)) {
                    continue;
                }
                // iterative DFS so a 10,000-task chain cannot overflow the stack
                List<String> stack = new ArrayList<>();
                List<java.util.Iterator<String>> iters = new ArrayList<>();
                stack.add(start);
                iters.add(edges.getOrDefault(start, Set.of()).iterator());
                state.put(start, 1);
                while (!stack.isEmpty()) {
                    java.util.Iterator<String> it = iters.get(iters.size() - 1);
                    if (it.hasNext()) {
                        String next = it.next();
                        Integer s = state.get(next);
                        if (s == null) {
                            state.put(next, 1);
                            stack.add(next);
                            iters.add(edges.getOrDefault(next, Set.of()).iterator());
                        } else if (s == 1) {
                            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
                            if (reported.add(new java.util.TreeSet<>(cycle).toString())) {
                                // edges point from a task to what it depends on; print in run order
                                java.util.Collections.reverse(cycle);
                                java.util.Collections.rotate(cycle, -cycle.indexOf(next));
                                cycle.add(cycle.get(0));
                                error(path + ".tasks[" + next + "]", "dependency cycle: "
                                        + String.join(" -> ", cycle));
                            }
                        }
                    } else {
                        state.put(stack.remove(stack.size() - 1), 2);
                        iters.remove(iters.size() - 1);
                    }
                }
            }
        }

        void steps(List<List<Step>> groups, String path) {
            Set<String> seen = new HashSet<>();
            if (groups.isEmpty()) {
                error(path, "a steps template needs at least one group");
            }
            for (int g = 0; g < groups.size(); g++) {
                for (Step s : groups.get(g)) {
                    String sp = path + "[" + g + "][" + s.name() + "]";
                    if (!seen.add(s.name())) {
                        error(sp, "duplicate step name '" + s.name() + "'");
                    }
                    invocation(s, sp);
                }
            }
        }
    }
}
