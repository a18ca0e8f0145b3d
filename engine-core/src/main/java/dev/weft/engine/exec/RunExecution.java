package dev.weft.engine.exec;

import dev.weft.engine.EngineConfig;
import dev.weft.engine.NodeOutputs;
import dev.weft.engine.NodePhase;
import dev.weft.engine.NodeStatus;
import dev.weft.engine.NodeType;
import dev.weft.engine.RunListener;
import dev.weft.engine.RunOutcome;
import dev.weft.engine.RunResult;
import dev.weft.engine.WorkflowRun;
import dev.weft.engine.expr.Expressions;
import dev.weft.engine.history.LogStream;
import dev.weft.engine.history.NodeLogs;
import dev.weft.engine.history.RunStore;
import dev.weft.engine.history.StoredNode;
import dev.weft.engine.history.StoredRun;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.Backoff;
import dev.weft.engine.model.ContainerSpec;
import dev.weft.engine.model.EnvVar;
import dev.weft.engine.model.Invocation;
import dev.weft.engine.model.LifecycleHook;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.PluginSpec;
import dev.weft.engine.model.RetryStrategy;
import dev.weft.engine.model.Sequence;
import dev.weft.engine.model.Step;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.TemplateKind;
import dev.weft.engine.model.ValueFrom;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.spec.Durations;
import dev.weft.engine.spec.JsonValues;
import dev.weft.engine.task.NodeLogSink;
import dev.weft.engine.task.RunningTask;
import dev.weft.engine.task.TaskRequest;
import dev.weft.engine.task.TaskResult;
import dev.weft.engine.task.TaskRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a validated workflow: the node state machine. Event-driven: every state change happens on the run's
 * {@link SerialExecutor}, triggered by a task's completion, a timer or the API; nothing polls and no thread waits
 * for a task. DAG and steps templates run in {@link DagRun} and {@link StepsRun}, which call back into this class for
 * nodes, invocations and outputs.
 */
public final class RunExecution implements WorkflowRun {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

    /** What a run needs from the engine. */
    public record Services(EngineConfig config, Expressions expressions, List<TaskRunner> runners,
                           ArtifactStager stager, Executor pool, ScheduledExecutorService timer, RunStore store,
                           NodeLogs logs) {
    }

    /**
     * A run taken up again from the store after its engine stopped: the stored run and its nodes as they were.
     *
     * @param run   the stored run
     * @param nodes its stored nodes
     */
    public record Resumed(StoredRun run, List<StoredNode> nodes) {
        /** Copies. */
        public Resumed {
            java.util.Objects.requireNonNull(run, "run");
            nodes = List.copyOf(nodes);
        }
    }

    private final Workflow workflow;
    private final String name;
    private final Map<String, String> workflowParams;
    private final Services services;
    private final Expressions expr;
    private final SerialExecutor serial;
    private final List<RunListener> listeners;
    private final Gate workflowGate;
    private final Scope rootScope;
    private final ArtifactStager stager;
    /** Whether a leaf template's body has anything to substitute, by template name; see {@link #bodyHasTags}. */
    private final Map<String, Boolean> bodyHasTags = new HashMap<>();
    /** The spec's templates by name, template defaults applied once. */
    private final Map<String, Template> templates = new HashMap<>();

    private final Map<String, String> globalParams = new ConcurrentHashMap<>();
    private final Map<String, Artifact> globalArtifacts = new ConcurrentHashMap<>();
    private final CompletableFuture<RunResult> completion = new CompletableFuture<>();
    /** Every node in creation order; appended on the serial executor, read by {@link #nodes()} from any thread. */
    private final Queue<NodeState> allNodes = new ConcurrentLinkedQueue<>();
    private final Instant createdAt;
    /** When the run started (before a resume: when it first started), for its deadline. */
    private final Instant startedAt;
    private final RunJournal journal;
    /** The nodes of a resumed run as the store held them, by full name; empty for a new run. */
    private final Map<String, StoredNode> prior = new HashMap<>();
    private final boolean resumed;

    private volatile NodePhase phase = NodePhase.RUNNING;
    private long nextSeq;
    private String cancelReason;
    private NodeState entry;
    private String workflowStatus = "Running";
    private ScheduledFuture<?> deadlineTimer;
    private String deadlineMessage;
    private final RunLimits limits;
    /** Set when a run-time limit stopped the run: the run's message. */
    private String limitMessage;

    /**
     * @param workflow       a validated workflow
     * @param name           the run's name
     * @param workflowParams workflow parameters: the spec's arguments overridden by the caller's
     * @param listeners      listeners for this run
     * @param services       engine services
     */
    public RunExecution(Workflow workflow, String name, Map<String, String> workflowParams,
                        List<RunListener> listeners, Services services) {
        this(workflow, name, workflowParams, listeners, services, name, Optional.empty());
    }

    /**
     * A run, new or taken up again. A resumed run re-creates its nodes in order; a leaf the store holds as finished
     * is not run again (it keeps its stored phase and outputs), one it holds as running ends in Error, as Argo ends
     * a pod that vanished, and its retry strategy decides what follows.
     *
     * @param workflow       a validated workflow
     * @param name           the run's name
     * @param workflowParams workflow parameters: the spec's arguments overridden by the caller's
     * @param listeners      listeners for this run
     * @param services       engine services
     * @param source         the workflow's file name, for the messages of limits hit at run time
     * @param resumed        the stored state to continue from, or empty for a new run
     */
    public RunExecution(Workflow workflow, String name, Map<String, String> workflowParams,
                        List<RunListener> listeners, Services services, String source, Optional<Resumed> resumed) {
        this.limits = new RunLimits(services.config().limits(), source);
        this.resumed = resumed.isPresent();
        this.createdAt = resumed.map(r -> r.run().createdAt()).orElseGet(Instant::now);
        this.startedAt = resumed.flatMap(r -> r.run().startedAt()).orElse(createdAt);
        this.journal = new RunJournal(name, services.store(), services.logs());
        long maxSeq = -1;
        for (StoredNode n : resumed.map(Resumed::nodes).orElse(List.of())) {
            prior.put(n.name(), n);
            maxSeq = Math.max(maxSeq, n.seq());
        }
        this.nextSeq = maxSeq + 1; // new nodes never take a stored node's id
        this.workflow = workflow;
        this.name = name;
        this.workflowParams = Map.copyOf(workflowParams);
        this.services = services;
        this.expr = services.expressions();
        this.serial = new SerialExecutor(services.pool());
        this.listeners = List.copyOf(listeners);
        this.workflowGate = workflow.spec().parallelism().map(Gate::new).orElseGet(Gate::open);
        this.rootScope = Scope.root(this::workflowVariable);
        this.stager = services.stager().forRun(workflow, name, createdAt);
        for (Template t : workflow.spec().templates()) {
            workflow.spec().template(t.name()).ifPresent(resolved -> templates.putIfAbsent(t.name(), resolved));
        }
    }

    /** The run's expression language (for {@link DagRun} and {@link StepsRun}). */
    Expressions expressions() {
        return expr;
    }

    /** The executor every state change of this run happens on. */
    Executor serial() {
        return serial;
    }

    /** Starts the run; returns at once. */
    public RunExecution start() {
        serial.execute(this::begin);
        return this;
    }

    // ---------------------------------------------------------------------------------------------- public API

    @Override
    public String name() {
        return name;
    }

    @Override
    public NodePhase phase() {
        return phase;
    }

    @Override
    public List<NodeStatus> nodes() {
        List<NodeStatus> out = new ArrayList<>();
        for (NodeState n : allNodes) {
            out.add(n.snapshot);
        }
        return out;
    }

    @Override
    public Map<String, String> globalOutputs() {
        return Map.copyOf(globalParams);
    }

    @Override
    public Optional<RunResult> result() {
        return Optional.ofNullable(completion.getNow(null));
    }

    @Override
    public CompletableFuture<RunResult> completion() {
        return completion.thenApply(r -> r);
    }

    @Override
    public RunResult await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("run '" + name + "' failed internally", e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("run '" + name + "' has not finished within " + timeout);
        }
    }

    @Override
    public void cancel() {
        serial.execute(() -> {
            if (cancelReason == null && !completion.isDone()) {
                cancelReason = "Stopped: the run was cancelled";
                for (NodeState n : allNodes) {
                    if (!n.phase.isDone()) {
                        stopNode(n, cancelReason);
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------ run lifecycle

    private void begin() {
        if (!resumed) {
            journal.started(startedAt);
        }
        Optional<Duration> deadline = workflow.spec().activeDeadlineSeconds().map(Duration::ofSeconds)
                .or(services.config()::defaultDeadline);
        // a resumed run keeps its deadline: the time it ran before counts
        Duration ranBefore = Duration.between(startedAt, Instant.now());
        Template entryTemplate = template(workflow.spec().entrypoint());
        Map<String, String> args = new LinkedHashMap<>(workflowParams);
        entry = call(null, name, name, entryTemplate, args, Map.of());
        deadline.ifPresent(d -> deadlineTimer = services.timer().schedule(() -> serial.execute(() -> {
            if (!entry.phase.isDone()) {
                deadlineMessage = "Max duration limit exceeded (activeDeadlineSeconds " + d.toSeconds() + "s)";
                stopSubtree(entry, "Step exceeded its deadline: the workflow's activeDeadlineSeconds ("
                        + d.toSeconds() + "s) passed and the task was killed");
            }
        }), Math.max(0, d.minus(ranBefore).toMillis()), TimeUnit.MILLISECONDS));
        entry.done.whenCompleteAsync((n, e) -> entryDone(), serial);
    }

    private void entryDone() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
        }
        workflowStatus = workflowPhaseOf(entry.phase).argoName();
        Optional<String> onExit = workflow.spec().onExit();
        if (onExit.isPresent() && cancelReason == null) {
            NodeState exit = call(null, name + ".onExit", "onExit", template(onExit.get()),
                    new LinkedHashMap<>(workflowParams), Map.of());
            exit.done.whenCompleteAsync((n, e) -> finishRun(Optional.of(exit)), serial);
        } else {
            finishRun(Optional.empty());
        }
    }

    private void finishRun(Optional<NodeState> exit) {
        NodePhase result = workflowPhaseOf(entry.phase);
        String message = entry.phase.isDone() && result != NodePhase.SUCCEEDED ? entry.message : "";
        if (deadlineMessage != null && result != NodePhase.SUCCEEDED) {
            message = deadlineMessage;
        }
        RunOutcome outcome = result == NodePhase.SUCCEEDED ? RunOutcome.SUCCEEDED
                : result == NodePhase.ERROR ? RunOutcome.ERROR : RunOutcome.FAILED;
        if (deadlineMessage != null && result != NodePhase.SUCCEEDED) {
            outcome = RunOutcome.DEADLINE_EXCEEDED;
        }
        if (limitMessage != null && result != NodePhase.SUCCEEDED) {
            message = limitMessage;
        }
        if (cancelReason != null) {
            result = NodePhase.FAILED;
            outcome = RunOutcome.CANCELLED;
            message = cancelReason;
        }
        if (exit.isPresent() && workflowPhaseOf(exit.get().phase) != NodePhase.SUCCEEDED
                && result == NodePhase.SUCCEEDED) {
            result = NodePhase.FAILED;
            outcome = RunOutcome.FAILED;
            message = "exit handler failed: " + exit.get().message;
        }
        phase = result;
        RunResult r = new RunResult(name, result, outcome, message, nodes(), globalParams);
        for (RunListener l : listeners) {
            try {
                l.runFinished(r);
            } catch (RuntimeException e) {
                LOG.warn("run listener failed", e);
            }
        }
        // the caller hears of the end once it is durable: what await() returns, the store shows
        journal.finished(r, Instant.now()).whenComplete((v, e) -> completion.complete(r));
    }

    private static NodePhase workflowPhaseOf(NodePhase p) {
        return switch (p) {
            case FAILED -> NodePhase.FAILED;
            case ERROR -> NodePhase.ERROR;
            case PENDING, RUNNING -> NodePhase.RUNNING;
            default -> NodePhase.SUCCEEDED;
        };
    }

    private Optional<Object> workflowVariable(String var) {
        switch (var) {
            case "workflow.name":
                return Optional.of(name);
            case "workflow.namespace":
                return Optional.of("default");
            case "workflow.uid":
                return Optional.of(name);
            case "workflow.status":
                return Optional.of(workflowStatus);
            case "workflow.failures":
                return Optional.of(failuresJson());
            case "workflow.creationTimestamp":
                return Optional.of(createdAt.toString());
            case "workflow.duration":
                return Optional.of(Long.toString(Duration.between(createdAt, Instant.now()).toSeconds()));
            case "workflow.parameters":
                return Optional.of(JsonValues.toJson(workflowParams));
            case "workflow.mainEntrypoint":
                return Optional.of(workflow.spec().entrypoint());
            default:
                break;
        }
        if (var.startsWith("workflow.parameters.")) {
            return Optional.ofNullable(workflowParams.get(var.substring("workflow.parameters.".length())));
        }
        if (var.startsWith("workflow.outputs.parameters.")) {
            return Optional.ofNullable(globalParams.get(var.substring("workflow.outputs.parameters.".length())));
        }
        if (var.startsWith("workflow.labels.")) {
            return Optional.ofNullable(workflow.metadata().labels().get(var.substring("workflow.labels.".length())));
        }
        if (var.startsWith("workflow.annotations.")) {
            return Optional.ofNullable(
                    workflow.metadata().annotations().get(var.substring("workflow.annotations.".length())));
        }
        return Optional.empty();
    }

    private String failuresJson() {
        List<Map<String, Object>> failures = new ArrayList<>();
        for (NodeState n : allNodes) {
            if (n.type.isTask() && (n.phase == NodePhase.FAILED || n.phase == NodePhase.ERROR)) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("displayName", n.displayName);
                f.put("message", n.message);
                f.put("templateName", n.templateName);
                f.put("phase", n.phase.argoName());
                f.put("podName", n.name);
                f.put("finishedAt", n.finishedAt == null ? "" : n.finishedAt.toString());
                failures.add(f);
            }
        }
        return JsonValues.toJson(failures);
    }

    // ------------------------------------------------------------------------------------------ nodes

    NodeState newNode(NodeState parent, String nodeName, String display, NodeType type, String tmpl) {
        return newNode(parent, nodeName, display, type, tmpl, 0);
    }

    private NodeState newNode(NodeState parent, String nodeName, String display, NodeType type, String tmpl,
                              int attempt) {
        StoredNode before = prior.get(nodeName);
        long seq = before != null ? before.seq() : nextSeq++;
        NodeState n = new NodeState(seq, before != null ? before.id() : name + "-" + seq, nodeName, display, type,
                tmpl, parent, attempt);
        if (parent != null) {
            // the parent's snapshot picks up its children list at its next change (cheap for wide DAGs);
            // every child's snapshot names its parent at once
            parent.children.add(n);
        }
        changed(n);
        allNodes.add(n); // after its first snapshot: nodes() never sees a node without one
        return n;
    }

    private void changed(NodeState n) {
        NodeStatus s = n.takeSnapshot();
        n.lastWrite = journal.node(s, n.seq, n.attempt);
        for (RunListener l : listeners) {
            try {
                l.nodeChanged(name, s);
            } catch (RuntimeException e) {
                LOG.warn("run listener failed", e);
            }
        }
    }

    void running(NodeState n) {
        if (n.phase == NodePhase.PENDING) {
            n.phase = NodePhase.RUNNING;
            n.startedAt = Instant.now();
            changed(n);
        }
    }

    void finish(NodeState n, NodePhase p, String message) {
        finish(n, p, message, Instant.now());
    }

    private void finish(NodeState n, NodePhase p, String message, Instant at) {
        if (n.phase.isDone()) {
            return;
        }
        if (n.startedAt == null) {
            n.startedAt = at;
        }
        n.phase = p;
        n.message = message == null ? "" : message;
        n.finishedAt = at;
        changed(n);
        // Write-ahead: whatever waits on this node (dependants, the next retry, the parent) goes on only once the
        // store holds the node's end, so after a crash it never shows a dependant ahead of what it depended on.
        CompletableFuture<Void> write = n.lastWrite;
        if (write == null || write.isDone()) {
            n.done.complete(n);
        } else {
            write.whenCompleteAsync((v, e) -> n.done.complete(n), serial);
        }
    }

    private void stopNode(NodeState n, String reason) {
        if (n.stopReason == null) {
            n.stopReason = reason;
        }
        if (n.running != null) {
            n.running.stop();
        }
    }

    private void stopSubtree(NodeState root, String reason) {
        List<NodeState> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            NodeState n = stack.remove(stack.size() - 1);
            if (!n.phase.isDone()) {
                stopNode(n, reason);
                stack.addAll(n.children);
            }
        }
    }

    /** A run-time limit was hit: the run stops (running tasks are stopped) and ends with this message. */
    private void stopForLimit(String message) {
        LOG.warn("run {}: {}", name, message);
        if (limitMessage == null) {
            limitMessage = message;
            if (entry != null) {
                stopSubtree(entry, message);
            } else {
                // still inside the entry call (a loop expanding at once): stop once it has returned
                serial.execute(() -> stopSubtree(entry, message));
            }
        }
    }

    Optional<String> stopped(NodeState n) {
        return cancelReason != null ? Optional.of(cancelReason) : n.stopReason();
    }

    private Template template(String templateName) {
        Template t = templates.get(templateName);
        if (t == null) {
            throw new IllegalStateException("unknown template '" + templateName + "' (the workflow was not validated)");
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------ template calls

    /**
     * Calls a template: resolves its inputs, then runs its body (with retries when it has a retry strategy).
     *
     * @param argParams    parameter arguments, already substituted in the caller's scope
     * @param argArtifacts artifact arguments, resolved
     */
    private NodeState call(NodeState parent, String nodeName, String display, Template tmpl,
                           Map<String, String> argParams, Map<String, Artifact> argArtifacts) {
        NodeType type = tmpl.retryStrategy().isPresent() ? NodeType.RETRY : bodyType(tmpl);
        NodeState node = newNode(parent, nodeName, display, type, tmpl.name());
        // checked before the template's body creates anything below this node
        String refusal = Optional.ofNullable(limits.depthRefusal(parent, tmpl.name()))
                .orElseGet(() -> limits.nodeRefusal(nextSeq, tmpl.name()));
        if (refusal != null) {
            finish(node, NodePhase.ERROR, refusal);
            stopForLimit(refusal);
            return node;
        }
        Scope scope = rootScope.child();
        // most calls of a no-input template: no map to fill
        Map<String, String> inputs = tmpl.inputs().parameters().isEmpty() ? Map.of() : new LinkedHashMap<>();
        try {
            for (Parameter p : tmpl.inputs().parameters()) {
                String v = argParams.get(p.name());
                if (v == null) {
                    Optional<String> declared = p.value().or(p::defaultValue);
                    if (declared.isEmpty()) {
                        finish(node, NodePhase.ERROR, "input parameter '" + p.name() + "' of template '"
                                + tmpl.name() + "' was not supplied");
                        return node;
                    }
                    v = expr.substitute(declared.get(), scope);
                }
                inputs.put(p.name(), v);
                scope.put("inputs.parameters." + p.name(), v);
            }
        } catch (RuntimeException e) {
            finish(node, NodePhase.ERROR, "cannot resolve inputs of template '" + tmpl.name() + "': "
                    + e.getMessage());
            return node;
        }
        scope.putLazy("inputs.parameters", () -> JsonValues.toJson(inputs));
        Map<String, Artifact> inputArtifacts = tmpl.inputs().artifacts().isEmpty() ? Map.of()
                : new LinkedHashMap<>();
        for (Artifact a : tmpl.inputs().artifacts()) {
            Artifact src = argArtifacts.get(a.name());
            if (src == null && (a.raw().isPresent() || a.s3().isPresent())) {
                src = a;
            }
            if (src != null) {
                inputArtifacts.put(a.name(), src);
                scope.putArtifact("inputs.artifacts." + a.name(), src);
            } else if (!a.optional()) {
                finish(node, NodePhase.ERROR, "input artifact '" + a.name() + "' of template '" + tmpl.name()
                        + "' was not supplied");
                return node;
            }
        }
        Optional<Duration> limit;
        try {
            limit = timeLimit(tmpl, scope);
        } catch (RuntimeException e) {
            finish(node, NodePhase.ERROR, e.getMessage());
            return node;
        }
        if (tmpl.retryStrategy().isPresent()) {
            running(node);
            attempt(node, tmpl, scope, inputs, inputArtifacts, limit, 0, Instant.now());
        } else {
            body(node, tmpl, scope, inputs, inputArtifacts, limit);
        }
        return node;
    }

    private static NodeType bodyType(Template t) {
        return switch (t.kind()) {
            case DAG -> NodeType.DAG;
            case STEPS -> NodeType.STEPS;
            case PLUGIN -> NodeType.PLUGIN;
            default -> NodeType.POD;
        };
    }

    private Optional<Duration> timeLimit(Template tmpl, Scope scope) {
        Optional<Duration> limit = Optional.empty();
        if (tmpl.timeout().isPresent()) {
            String text = expr.substitute(tmpl.timeout().get(), scope);
            limit = Optional.of(Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                    "template '" + tmpl.name() + "': malformed timeout '" + text + "'")));
        }
        if (tmpl.activeDeadlineSeconds().isPresent()) {
            String text = expr.substitute(tmpl.activeDeadlineSeconds().get(), scope).trim();
            Duration d;
            try {
                d = Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("template '" + tmpl.name()
                        + "': malformed activeDeadlineSeconds '" + text + "'");
            }
            limit = Optional.of(limit.map(l -> l.compareTo(d) < 0 ? l : d).orElse(d));
        }
        return limit;
    }

    private void attempt(NodeState retryNode, Template tmpl, Scope scope, Map<String, String> inputs,
                         Map<String, Artifact> inputArtifacts, Optional<Duration> limit, int attempt,
                         Instant firstStart) {
        Optional<String> stop = stopped(retryNode);
        if (stop.isPresent()) {
            finish(retryNode, NodePhase.FAILED, stop.get());
            return;
        }
        NodeState child = newNode(retryNode, retryNode.name + "(" + attempt + ")",
                retryNode.displayName + "(" + attempt + ")", bodyType(tmpl), tmpl.name(), attempt);
        String refusal = limits.nodeRefusal(nextSeq, tmpl.name());
        if (refusal != null) {
            finish(child, NodePhase.ERROR, refusal);
            finish(retryNode, NodePhase.ERROR, refusal);
            stopForLimit(refusal);
            return;
        }
        Scope attemptScope = scope.child().put("retries", Integer.toString(attempt));
        body(child, tmpl, attemptScope, inputs, inputArtifacts, limit);
        child.done.whenCompleteAsync((c, e) -> {
            retryNode.outputs = c.outputs;
            if (c.phase == NodePhase.SUCCEEDED) {
                finish(retryNode, NodePhase.SUCCEEDED, "");
                return;
            }
            Optional<Duration> delay = retryDelay(tmpl.retryStrategy().orElseThrow(), c, attempt, firstStart,
                    attemptScope);
            if (delay.isEmpty() || stopped(retryNode).isPresent()) {
                finish(retryNode, c.phase, c.message + (attempt > 0 ? " (after " + (attempt + 1)
                        + " attempts)" : ""));
                return;
            }
            Runnable next = () -> attempt(retryNode, tmpl, scope, inputs, inputArtifacts, limit, attempt + 1,
                    firstStart);
            // the backoff counts from the attempt's end: an attempt restored after a crash has served part of it
            Duration wait = c.finishedAt == null ? delay.get()
                    : delay.get().minus(Duration.between(c.finishedAt, Instant.now()));
            if (wait.isNegative() || wait.isZero()) {
                next.run();
            } else {
                services.timer().schedule(() -> serial.execute(next), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }, serial);
    }

    /** The wait before the next attempt, or empty when the node is not to be retried. */
    private Optional<Duration> retryDelay(RetryStrategy rs, NodeState last, int attempt, Instant firstStart,
                                          Scope scope) {
        boolean matches = switch (rs.policy()) {
            case ALWAYS -> last.phase == NodePhase.FAILED || last.phase == NodePhase.ERROR;
            case ON_FAILURE -> last.phase == NodePhase.FAILED;
            case ON_ERROR -> last.phase == NodePhase.ERROR;
            case ON_TRANSIENT_ERROR -> last.phase == NodePhase.ERROR
                    && last.message.matches("(?is).*(transient|timeout|timed out|connection|temporar|unavailable"
                    + "|too many requests|reset).*");
        };
        if (!matches) {
            return Optional.empty();
        }
        try {
            if (rs.limit().isPresent()) {
                int limit = Integer.parseInt(expr.substitute(rs.limit().get(), scope).trim());
                if (attempt >= limit) {
                    return Optional.empty();
                }
            }
            if (rs.expression().isPresent()) {
                Scope s = scope.child()
                        .put("lastRetry.exitCode", last.outputs.exitCode().map(String::valueOf).orElse("-1"))
                        .put("lastRetry.status", last.phase.argoName())
                        .put("lastRetry.message", last.message)
                        .put("lastRetry.duration", Long.toString(Duration.between(
                                last.startedAt == null ? Instant.now() : last.startedAt,
                                last.finishedAt == null ? Instant.now() : last.finishedAt).toSeconds()));
                Object ok = expr.evaluate(rs.expression().get(), s);
                if (!Boolean.TRUE.equals(ok) && !"true".equals(String.valueOf(ok))) {
                    return Optional.empty();
                }
            }
            Duration delay = Duration.ZERO;
            if (rs.backoff().isPresent()) {
                Backoff b = rs.backoff().get();
                Optional<Duration> base = b.duration().map(d -> parseDuration(d, scope));
                double factor = b.factor().map(f -> Double.parseDouble(expr.substitute(f, scope).trim())).orElse(1d);
                if (base.isPresent()) {
                    delay = Duration.ofMillis((long) (base.get().toMillis() * Math.pow(factor, attempt)));
                }
                Optional<Duration> cap = b.cap().map(d -> parseDuration(d, scope));
                if (cap.isPresent() && delay.compareTo(cap.get()) > 0) {
                    delay = cap.get();
                }
                Optional<Duration> max = b.maxDuration().map(d -> parseDuration(d, scope));
                if (max.isPresent() && Duration.between(firstStart, Instant.now()).plus(delay)
                        .compareTo(max.get()) > 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(delay);
        } catch (RuntimeException e) {
            LOG.warn("run {}: node {}: retry strategy cannot be evaluated, not retrying: {}", name, last.name,
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Duration parseDuration(String text, Scope scope) {
        String s = expr.substitute(text, scope);
        return Durations.parse(s).orElseThrow(() -> new IllegalArgumentException("malformed duration '" + s + "'"));
    }

    private void body(NodeState node, Template tmpl, Scope scope, Map<String, String> inputs,
                      Map<String, Artifact> inputArtifacts, Optional<Duration> limit) {
        TemplateKind kind = tmpl.kind();
        if (kind == TemplateKind.DAG || kind == TemplateKind.STEPS) {
            running(node);
            limit.ifPresent(d -> {
                ScheduledFuture<?> t = services.timer().schedule(() -> serial.execute(() -> {
                    if (!node.phase.isDone()) {
                        stopSubtree(node, "timeout: template '" + tmpl.name() + "' exceeded its time limit of "
                                + d.toSeconds() + "s and was stopped");
                    }
                }), d.toMillis(), TimeUnit.MILLISECONDS);
                node.done.whenComplete((n, e) -> t.cancel(false));
            });
            Scope composite = scope.child();
            if (kind == TemplateKind.DAG) {
                new DagRun(this, node, tmpl, composite).start();
            } else {
                new StepsRun(this, node, tmpl, composite).start();
            }
        } else {
            leaf(node, tmpl, scope, inputs, inputArtifacts, limit);
        }
    }

    // ------------------------------------------------------------------------------------------ leaves

    private void leaf(NodeState node, Template tmpl, Scope scope, Map<String, String> inputs,
                      Map<String, Artifact> inputArtifacts, Optional<Duration> limit) {
        StoredNode before = prior.get(node.name);
        if (before != null && before.phase() != NodePhase.PENDING) {
            restore(node, tmpl, before);
            return;
        }
        workflowGate.acquire(() -> {
            Optional<String> stop = stopped(node);
            if (stop.isPresent()) {
                workflowGate.release(serial);
                finish(node, NodePhase.FAILED, stop.get());
                return;
            }
            Scope s = scope.child().put("pod.name", node.name).put("node.name", node.name);
            Template concrete;
            try {
                concrete = bodyHasTags(tmpl) ? substituteBody(tmpl, s) : tmpl;
            } catch (RuntimeException e) {
                workflowGate.release(serial);
                finish(node, NodePhase.ERROR, e.getMessage());
                return;
            }
            TaskRunner runner = services.runners().stream().filter(r -> r.supports(tmpl.kind())).findFirst()
                    .orElse(null);
            if (runner == null) {
                workflowGate.release(serial);
                finish(node, NodePhase.ERROR, noRunnerMessage(tmpl));
                return;
            }
            running(node);
            RunJournal.AttemptLog log = journal.attemptLog(node.id, attemptOf(s));
            RunningTask task;
            try {
                task = runner.start(new TaskRequest(name, node.id, node.name, concrete, inputs, inputArtifacts,
                        stager, attemptOf(s), logSink(node, log)));
            } catch (Exception e) {
                workflowGate.release(serial);
                log.line(LogStream.WEFT, "cannot start: " + e.getMessage());
                log.close();
                finish(node, NodePhase.ERROR, "cannot start: " + e.getMessage());
                return;
            }
            node.running = task;
            ScheduledFuture<?> timer = limit.map(d -> services.timer().schedule(() -> serial.execute(() -> {
                if (!node.phase.isDone()) {
                    stopNode(node, "timeout: template '" + tmpl.name() + "' exceeded its time limit of "
                            + d.toSeconds() + "s; " + (tmpl.kind() == TemplateKind.PLUGIN
                            ? "the handler was interrupted" : "the process was killed"));
                }
            }), d.toMillis(), TimeUnit.MILLISECONDS)).orElse(null);
            if (node.stopReason().isPresent() || cancelReason != null) {
                task.stop();
            }
            task.completion().whenCompleteAsync((r, e) -> {
                if (timer != null) {
                    timer.cancel(false);
                }
                node.running = null;
                workflowGate.release(serial);
                TaskResult res = r != null ? r : TaskResult.error("task runner failed: " + e);
                node.outputs = new NodeOutputs(res.parameters(), res.result(), res.exitCode(), res.artifacts());
                publishGlobals(tmpl, node.outputs);
                Optional<String> why = stopped(node);
                node.failureCause = res.cause().orElse(null);
                boolean stopped = why.isPresent() && res.phase() != NodePhase.SUCCEEDED;
                NodePhase end = stopped ? NodePhase.FAILED : res.phase();
                String message = stopped ? why.get() : res.message();
                if (end != NodePhase.SUCCEEDED) {
                    log.line(LogStream.WEFT, end.argoName() + ": " + message);
                }
                log.close();
                finish(node, end, message);
            }, serial.onWorker());
        });
    }

    private static String noRunnerMessage(Template tmpl) {
        String kind = tmpl.kind().name().toLowerCase(java.util.Locale.ROOT);
        String how = tmpl.kind() == TemplateKind.PLUGIN
                ? "register a TaskHandler with Engine.builder().handler(name, handler)"
                : "build the engine with Engine.builder().probeSandbox() (or processSandbox(...)) to run container"
                + " and script templates as local processes";
        return "no task runner for " + kind + " templates is configured (template '" + tmpl.name() + "'): " + how;
    }

    /** The attempt number of a leaf: Argo's {@code retries} variable, 0 outside a retry strategy. */
    private static int attemptOf(Scope scope) {
        return scope.resolve("retries").map(v -> Integer.parseInt(v.toString())).orElse(0);
    }

    /** Where one attempt's log goes: its log file, and handler lines to the listeners too. */
    private NodeLogSink logSink(NodeState node, RunJournal.AttemptLog log) {
        return new NodeLogSink() {
            @Override
            public void handlerLine(String line) {
                log.line(LogStream.HANDLER, line);
                taskLogLine(node, line);
            }

            @Override
            public void processOutput(java.nio.file.Path stdout, java.nio.file.Path stderr) {
                log.copy(stdout, LogStream.STDOUT);
                log.copy(stderr, LogStream.STDERR);
            }
        };
    }

    /**
     * A leaf of a resumed run that the store already holds: a finished one keeps its phase, message, times and
     * outputs (artifacts are found again by their stored locations) and is not run again; one that was running when
     * its engine stopped ends in Error, as Argo ends a node whose pod vanished.
     */
    private void restore(NodeState node, Template tmpl, StoredNode before) {
        if (!before.phase().isDone()) {
            finish(node, NodePhase.ERROR, "the engine running this node stopped before it finished (the run was"
                    + " resumed)");
            return;
        }
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (Artifact declared : tmpl.outputs().artifacts()) {
            dev.weft.engine.model.ArtifactLocation at = before.artifacts().get(declared.name());
            if (at != null) {
                artifacts.put(declared.name(), declared.withLocation(at));
            }
        }
        node.outputs = new NodeOutputs(before.parameters(), before.result(), before.exitCode(), artifacts);
        node.startedAt = before.startedAt().orElse(null);
        if (before.phase() == NodePhase.SUCCEEDED) {
            publishGlobals(tmpl, node.outputs);
        }
        finish(node, before.phase(), before.message(), before.finishedAt().orElseGet(Instant::now));
    }

    /** A line a task wrote to its log: to every listener, with the node it belongs to. */
    private void taskLogLine(NodeState node, String line) {
        for (RunListener l : listeners) {
            try {
                l.taskLog(name, node.id, node.name, line);
            } catch (RuntimeException e) {
                LOG.warn("run listener failed", e);
            }
        }
    }

    private void publishGlobals(Template tmpl, NodeOutputs outputs) {
        for (Parameter p : tmpl.outputs().parameters()) {
            String v = outputs.parameters().get(p.name());
            if (p.globalName().isPresent() && v != null) {
                globalParams.put(p.globalName().get(), v);
            }
        }
        for (Artifact a : tmpl.outputs().artifacts()) {
            Artifact v = outputs.artifacts().get(a.name());
            if (a.globalName().isPresent() && v != null) {
                globalArtifacts.put(a.globalName().get(), v);
            }
        }
    }

    /**
     * Whether a leaf template's body mentions any {@code {{...}}} at all (remembered per template): most do not, and
     * rebuilding a template per task only to find nothing to replace is a good part of a no-op task's cost.
     */
    private boolean bodyHasTags(Template t) {
        return bodyHasTags.computeIfAbsent(t.name(), n -> {
            List<Object> texts = new ArrayList<>();
            t.process().ifPresent(c -> {
                texts.addAll(c.command());
                texts.addAll(c.args());
                c.env().forEach(e -> texts.add(e.value()));
                c.image().ifPresent(texts::add);
                c.workingDir().ifPresent(texts::add);
                c.source().ifPresent(texts::add);
            });
            t.plugin().ifPresent(p -> texts.add(p.config()));
            t.outputs().parameters().forEach(p -> p.valueFrom().flatMap(ValueFrom::path).ifPresent(texts::add));
            return texts.stream().anyMatch(RunExecution::mentionsTags);
        });
    }

    private static boolean mentionsTags(Object value) {
        if (value instanceof String text) {
            return text.contains("{{");
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(RunExecution::mentionsTags);
        }
        if (value instanceof List<?> l) {
            return l.stream().anyMatch(RunExecution::mentionsTags);
        }
        return false;
    }

    /** Substitutes every {@code {{...}}} in a leaf template's body. */
    private Template substituteBody(Template t, Scope s) {
        Optional<ContainerSpec> container = t.container().map(c -> substitute(c, s));
        Optional<ContainerSpec> script = t.script().map(c -> substitute(c, s));
        Optional<PluginSpec> plugin = t.plugin().map(p -> new PluginSpec(p.handler(),
                castMap(substituteValue(p.config(), s))));
        List<Parameter> outs = new ArrayList<>();
        for (Parameter p : t.outputs().parameters()) {
            outs.add(p.valueFrom().isEmpty() ? p : new Parameter(p.name(), p.value(), p.defaultValue(),
                    Optional.of(new ValueFrom(p.valueFrom().get().path().map(x -> expr.substitute(x, s)),
                            p.valueFrom().get().defaultValue(), p.valueFrom().get().parameter(),
                            p.valueFrom().get().expression(), p.valueFrom().get().supplied())),
                    p.globalName(), p.enumValues(), p.description()));
        }
        return new Template(t.name(), t.inputs(), new dev.weft.engine.model.Arguments(outs, t.outputs().artifacts()),
                container, script, t.dag(), t.steps(), plugin, t.retryStrategy(), t.timeout(),
                t.activeDeadlineSeconds(), t.parallelism(), t.failFast());
    }

    private ContainerSpec substitute(ContainerSpec c, Scope s) {
        List<EnvVar> env = c.env().stream().map(e -> new EnvVar(e.name(), expr.substitute(e.value(), s))).toList();
        return new ContainerSpec(c.image().map(x -> expr.substitutePartially(x, s)),
                c.command().stream().map(x -> expr.substitute(x, s)).toList(),
                c.args().stream().map(x -> expr.substitute(x, s)).toList(), env,
                c.workingDir().map(x -> expr.substitute(x, s)), c.source().map(x -> expr.substitute(x, s)));
    }

    private Object substituteValue(Object v, Scope s) {
        if (v instanceof String str) {
            return expr.substitute(str, s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), substituteValue(x, s)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> substituteValue(x, s)).toList();
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    // ------------------------------------------------------------------------------------------ invocations

    /**
     * Runs one DAG task or step (expanding loops). The future completes with the task's node once it and its exit
     * hook are done; with {@code null} when failFast kept it from being created.
     */
    CompletableFuture<NodeState> invoke(NodeState parent, Invocation inv, Scope scope, Gate gate,
                                                String fullName, boolean failFast, String prefix) {
        CompletableFuture<NodeState> result = new CompletableFuture<>();
        if (!inv.isLoop()) {
            // completed on the serial executor, so the continuation runs there at once, without another queue trip
            single(parent, inv, scope, gate, fullName, inv.name(), () -> false).whenComplete((n, e) ->
                    afterTask(parent, inv, scope, prefix, n, result));
            return result;
        }
        NodeState group = newNode(parent, fullName, inv.name(), NodeType.TASK_GROUP, "");
        running(group);
        List<Object> items;
        try {
            items = loopItems(inv, scope);
        } catch (RunLimits.LoopTooLarge e) {
            String message = limits.loopMessage(parent, inv, e);
            finish(group, NodePhase.ERROR, message);
            stopForLimit(message);
            afterTask(parent, inv, scope, prefix, group, result);
            return result;
        } catch (RuntimeException e) {
            finish(group, NodePhase.ERROR, "cannot expand the loop of '" + inv.name() + "': " + e.getMessage());
            afterTask(parent, inv, scope, prefix, group, result);
            return result;
        }
        String tooMany = limits.expansionRefusal(nextSeq, items.size(), parent, inv);
        if (tooMany != null) {
            finish(group, NodePhase.ERROR, tooMany);
            stopForLimit(tooMany);
            afterTask(parent, inv, scope, prefix, group, result);
            return result;
        }
        if (items.isEmpty()) {
            finish(group, NodePhase.SUCCEEDED, "the loop has no items");
            afterTask(parent, inv, scope, prefix, group, result);
            return result;
        }
        NodeState[] children = new NodeState[items.size()];
        int[] remaining = {items.size()};
        boolean[] failed = {false};
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            Object item = items.get(i);
            String label = index + ":" + itemLabel(item);
            Scope itemScope = scope.child().putItem(item);
            single(group, inv, itemScope, gate, fullName + "(" + label + ")", inv.name() + "(" + label + ")",
                    () -> failFast && failed[0]).whenCompleteAsync((n, e) -> {
                        children[index] = n;
                        if (n != null && (n.phase == NodePhase.FAILED || n.phase == NodePhase.ERROR)) {
                            failed[0] = true;
                        }
                        if (--remaining[0] == 0) {
                            finishGroup(group, children);
                            afterTask(parent, inv, scope, prefix, group, result);
                        }
                    }, serial);
        }
        return result;
    }

    private void finishGroup(NodeState group, NodeState[] children) {
        List<String> results = new ArrayList<>();
        List<Object> resultValues = new ArrayList<>();
        Map<String, List<String>> params = new LinkedHashMap<>();
        List<Map<String, String>> paramMaps = new ArrayList<>();
        NodeState bad = null;
        for (NodeState c : children) {
            if (c == null) {
                continue;
            }
            if ((c.phase == NodePhase.FAILED || c.phase == NodePhase.ERROR) && bad == null) {
                bad = c;
            }
            if (c.phase == NodePhase.SUCCEEDED) {
                c.outputs.result().ifPresent(r -> {
                    results.add(r);
                    resultValues.add(jsonOrString(r));
                });
                if (!c.outputs.parameters().isEmpty()) {
                    paramMaps.add(c.outputs.parameters());
                    c.outputs.parameters().forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
        }
        Map<String, Object> agg = new HashMap<>();
        agg.put("outputs.result", JsonValues.toJson(resultValues));
        agg.put("outputs.parameters", JsonValues.toJson(paramMaps));
        params.forEach((k, v) -> agg.put("outputs.parameters." + k, JsonValues.toJson(v)));
        group.aggregate = agg;
        if (bad != null) {
            finish(group, bad.phase, "child '" + bad.displayName + "' " + bad.phase.argoName().toLowerCase()
                    + (bad.message.isEmpty() ? "" : ": " + bad.message));
        } else {
            finish(group, NodePhase.SUCCEEDED, "");
        }
    }

    private static Object jsonOrString(String s) {
        String t = s.trim();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JsonValues.parse(t);
            } catch (Exception e) {
                return s;
            }
        }
        return s;
    }

    /** One (possibly expanded) call: acquires the parent's parallelism permit, checks when, calls the template. */
    private CompletableFuture<NodeState> single(NodeState parent, Invocation inv, Scope scope, Gate gate,
                                                String fullName, String display,
                                                java.util.function.BooleanSupplier skipCreation) {
        CompletableFuture<NodeState> f = new CompletableFuture<>();
        gate.acquire(() -> {
            if (skipCreation.getAsBoolean()) {
                gate.release(serial);
                f.complete(null);
                return;
            }
            NodeState node = startCall(parent, inv, scope, fullName, display);
            // done completes on the serial executor (finish), so this runs there at once
            node.done.whenComplete((n, e) -> {
                // complete first: the caller's reaction (e.g. failFast) happens before the next waiter starts
                f.complete(n);
                gate.release(serial);
            });
        });
        return f;
    }

    private NodeState startCall(NodeState parent, Invocation inv, Scope scope, String fullName, String display) {
        Optional<String> stop = stopped(parent);
        if (stop.isPresent()) {
            NodeState n = newNode(parent, fullName, display, NodeType.SKIPPED, inv.template());
            finish(n, NodePhase.FAILED, stop.get());
            return n;
        }
        if (inv.when().isPresent()) {
            boolean run;
            try {
                run = expr.evaluateWhen(inv.when().get(), scope);
            } catch (RuntimeException e) {
                NodeState n = newNode(parent, fullName, display, NodeType.SKIPPED, inv.template());
                finish(n, NodePhase.ERROR, "cannot evaluate when of '" + inv.name() + "': " + e.getMessage());
                return n;
            }
            if (!run) {
                NodeState n = newNode(parent, fullName, display, NodeType.SKIPPED, inv.template());
                finish(n, NodePhase.SKIPPED, "when '" + inv.when().get() + "' evaluated false");
                return n;
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        try {
            resolveArguments(inv.arguments(), scope, params, artifacts);
        } catch (RuntimeException e) {
            NodeState n = newNode(parent, fullName, display, bodyType(template(inv.template())), inv.template());
            finish(n, NodePhase.ERROR, "cannot resolve arguments of '" + inv.name() + "': " + e.getMessage());
            return n;
        }
        return call(parent, fullName, display, template(inv.template()), params, artifacts);
    }

    private void resolveArguments(dev.weft.engine.model.Arguments args, Scope scope, Map<String, String> params,
                                  Map<String, Artifact> artifacts) {
        for (Parameter p : args.parameters()) {
            Optional<String> v = p.value().or(p::defaultValue);
            if (v.isPresent()) {
                params.put(p.name(), expr.substitute(v.get(), scope));
            }
        }
        for (Artifact a : args.artifacts()) {
            if (a.from().isPresent()) {
                String ref = a.from().get().trim();
                String key = ref.startsWith("{{") && ref.endsWith("}}")
                        ? ref.substring(2, ref.length() - 2).trim() : ref;
                Artifact src = scope.artifact(key).or(() -> globalArtifact(key)).orElseThrow(() ->
                        new IllegalArgumentException("artifact '" + ref + "' is not available"));
                artifacts.put(a.name(), a.subPath().isPresent() ? src.withSubPath(a.subPath()) : src);
            } else {
                artifacts.put(a.name(), a);
            }
        }
    }

    private Optional<Artifact> globalArtifact(String key) {
        String prefix = "workflow.outputs.artifacts.";
        return key.startsWith(prefix) ? Optional.ofNullable(globalArtifacts.get(key.substring(prefix.length())))
                : Optional.empty();
    }

    /** Records a finished task's outputs in its parent's scope, runs its exit hook, then completes. */
    private void afterTask(NodeState parent, Invocation inv, Scope scope, String prefix, NodeState node,
                           CompletableFuture<NodeState> result) {
        if (node == null) {
            result.complete(null);
            return;
        }
        scope.putFinished(prefix + "." + inv.name(), node);
        Optional<LifecycleHook> hook = inv.exitHook();
        if (hook.isEmpty() || cancelReason != null) {
            result.complete(node);
            return;
        }
        Scope hookScope = scope.child();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        try {
            resolveArguments(hook.get().arguments(), hookScope, params, artifacts);
        } catch (RuntimeException e) {
            NodeState n = newNode(parent, node.name + ".onExit", inv.name() + ".onExit",
                    bodyType(template(hook.get().template())), hook.get().template());
            finish(n, NodePhase.ERROR, "cannot resolve exit hook arguments: " + e.getMessage());
            result.complete(node);
            return;
        }
        NodeState hookNode = call(parent, node.name + ".onExit", inv.name() + ".onExit",
                template(hook.get().template()), params, artifacts);
        hookNode.done.whenCompleteAsync((h, e) -> result.complete(node), serial);
    }

    private List<Object> loopItems(Invocation inv, Scope scope) {
        if (!inv.withItems().isEmpty()) {
            limits.checkLoop(inv.withItems().size(), "withItems", "withItems of " + inv.withItems().size()
                    + " items");
            List<Object> out = new ArrayList<>();
            for (Object item : inv.withItems()) {
                out.add(item instanceof String s ? expr.substitute(s, scope) : item);
            }
            return out;
        }
        if (inv.withParam().isPresent()) {
            String json = expr.substitute(inv.withParam().get(), scope);
            Object parsed;
            try {
                parsed = JsonValues.parse(json);
            } catch (Exception e) {
                throw new IllegalArgumentException("withParam value is not JSON: '" + json + "'");
            }
            if (!(parsed instanceof List<?> list)) {
                throw new IllegalArgumentException("withParam value is not a JSON list: '" + json + "'");
            }
            limits.checkLoop(list.size(), "withParam", "withParam of " + list.size() + " items");
            return new ArrayList<>(list);
        }
        Sequence seq = inv.withSequence().orElseThrow();
        long start = seq.start().map(x -> parseLong(expr.substitute(x, scope), "start")).orElse(0L);
        List<Object> out = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        if (seq.count().isPresent()) {
            long count = parseLong(expr.substitute(seq.count().get(), scope), "count");
            limits.checkLoop(count, "withSequence.count", "withSequence count " + count);
            for (long i = 0; i < count; i++) {
                numbers.add(start + i);
            }
        } else {
            long end = parseLong(expr.substitute(seq.end().orElseThrow(), scope), "end");
            long size = dev.weft.engine.spec.LoopLimit.sequenceSize(start, end);
            limits.checkLoop(size, "withSequence.end", "withSequence from " + start + " to " + end + " (" + size
                    + " numbers)");
            if (end >= start) {
                for (long i = start; i <= end; i++) {
                    numbers.add(i);
                }
            } else {
                for (long i = start; i >= end; i--) {
                    numbers.add(i);
                }
            }
        }
        for (long n : numbers) {
            out.add(seq.format().map(f -> String.format(f, n)).orElse(Long.toString(n)));
        }
        return out;
    }

    private static long parseLong(String s, String field) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("withSequence." + field + " is not an integer: '" + s + "'");
        }
    }

    private static String itemLabel(Object item) {
        if (item instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            new java.util.TreeMap<>(m).forEach((k, v) -> parts.add(k + ":" + JsonValues.text(v)));
            return String.join(",", parts);
        }
        return JsonValues.text(item);
    }

    /** Sets the outputs of a finished composite template from its scope. */
    void compositeOutputs(NodeState node, Template tmpl, Scope scope) {
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Artifact> artifacts = new LinkedHashMap<>();
        for (Parameter p : tmpl.outputs().parameters()) {
            try {
                Optional<String> v = Optional.empty();
                if (p.valueFrom().isPresent()) {
                    ValueFrom vf = p.valueFrom().get();
                    if (vf.parameter().isPresent()) {
                        v = Optional.of(expr.substitute(vf.parameter().get(), scope));
                    } else if (vf.expression().isPresent()) {
                        v = Optional.of(JsonValues.text(expr.evaluate(vf.expression().get(), scope)));
                    }
                    if (v.isEmpty()) {
                        v = vf.defaultValue();
                    }
                } else if (p.value().isPresent()) {
                    v = Optional.of(expr.substitute(p.value().get(), scope));
                }
                v.ifPresent(x -> params.put(p.name(), x));
            } catch (RuntimeException e) {
                p.valueFrom().flatMap(ValueFrom::defaultValue).ifPresent(x -> params.put(p.name(), x));
            }
        }
        for (Artifact a : tmpl.outputs().artifacts()) {
            if (a.from().isPresent()) {
                String ref = a.from().get().trim();
                String key = ref.startsWith("{{") ? ref.substring(2, ref.length() - 2).trim() : ref;
                scope.artifact(key).ifPresent(x -> artifacts.put(a.name(), x));
            }
        }
        node.outputs = new NodeOutputs(params, Optional.empty(), Optional.empty(), artifacts);
        publishGlobals(tmpl, node.outputs);
    }

}
