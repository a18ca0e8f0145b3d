package dev.weft.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.model.ArchiveStrategy;
import dev.weft.engine.model.Arguments;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.model.ArtifactRepositoryRef;
import dev.weft.engine.model.Backoff;
import dev.weft.engine.model.ContainerSpec;
import dev.weft.engine.model.ContinueOn;
import dev.weft.engine.model.DagSpec;
import dev.weft.engine.model.DagTask;
import dev.weft.engine.model.EnvVar;
import dev.weft.engine.model.LifecycleHook;
import dev.weft.engine.model.Metadata;
import dev.weft.engine.model.Parameter;
import dev.weft.engine.model.PluginSpec;
import dev.weft.engine.model.RetryStrategy;
import dev.weft.engine.model.S3Location;
import dev.weft.engine.model.Sequence;
import dev.weft.engine.model.Step;
import dev.weft.engine.model.Template;
import dev.weft.engine.model.ValueFrom;
import dev.weft.engine.model.Workflow;
import dev.weft.engine.model.WorkflowSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Argo {@code Workflow} documents (YAML or JSON) into the model. Kubernetes-only fields are accepted and
 * ignored with a debug note; structural problems are collected with their field paths and thrown together as a
 * {@link WorkflowSpecException}. A syntax error is reported once, with its line and column. Reading does not
 * validate references (see {@link WorkflowValidator}).
 *
 * <p>Thread-safe and stateless apart from the shared Jackson mappers.
 */
public final class WorkflowReader {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowReader.class);
    private static final Set<String> UNSUPPORTED_KINDS =
            Set.of("resource", "http", "suspend", "containerSet", "data");

    private final Limits limits;
    private final BoundedTreeReader trees;

    /** A reader with the {@linkplain Limits#defaults() default limits}. */
    public WorkflowReader() {
        this(Limits.defaults());
    }

    /** A reader that refuses documents beyond these limits (size, scalars, keys, nesting, aliases). */
    public WorkflowReader(Limits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        this.trees = new BoundedTreeReader(limits);
    }

    /** Reads a file; {@code .json} files are read as JSON, everything else as YAML. */
    public Workflow read(Path file) throws IOException {
        String source = file.getFileName().toString();
        long size = Files.size(file);
        if (size > limits.documentSize()) {
            // refused before reading: a huge file never reaches the heap
            throw new WorkflowSpecException(List.of(new SpecError(source, "", "the file is " + size
                    + " bytes, above the limit of " + limits.documentSize() + " (" + Limits.PREFIX
                    + "documentSize)")));
        }
        String text = Files.readString(file);
        return read(text, source);
    }

    /**
     * Reads a document.
     *
     * @param text   the YAML or JSON text (JSON is valid YAML, but a {@code .json} source is parsed strictly)
     * @param source a name for messages, usually the file name
     * @throws WorkflowSpecException with every problem found
     */
    public Workflow read(String text, String source) {
        JsonNode root = trees.read(text, source, source.endsWith(".json"));
        Parse p = new Parse(source);
        Workflow workflow = p.workflow(root);
        if (!p.errors.isEmpty()) {
            throw new WorkflowSpecException(p.errors);
        }
        return workflow;
    }

    /** One read: the source name and the problems found so far. */
    private static final class Parse {
        private final String source;
        private final List<SpecError> errors = new ArrayList<>();

        Parse(String source) {
            this.source = source;
        }

        void error(String path, String message) {
            errors.add(new SpecError(source, path, message));
        }

        Workflow workflow(JsonNode root) {
            if (root == null || root.isMissingNode() || root.isNull()) {
                error("", "the document is empty");
                return null;
            }
            if (!root.isObject()) {
                error("", "expected a Workflow object, got " + describe(root));
                return null;
            }
            str(root, "apiVersion", "apiVersion").ifPresent(v -> {
                if (!v.equals("argoproj.io/v1alpha1")) {
                    error("apiVersion", "expected 'argoproj.io/v1alpha1', got '" + v + "'");
                }
            });
            str(root, "kind", "kind").ifPresent(v -> {
                if (!v.equals("Workflow")) {
                    error("kind", "Weft runs kind 'Workflow', got '" + v + "'");
                }
            });
            ignoreUnknown(root, "", Set.of("apiVersion", "kind", "metadata", "spec", "status"));
            Metadata metadata = metadata(root.path("metadata"));
            JsonNode spec = root.get("spec");
            if (spec == null || !spec.isObject()) {
                error("spec", spec == null ? "missing" : "expected an object, got " + describe(spec));
                return null;
            }
            return new Workflow(metadata, spec(spec));
        }

        Metadata metadata(JsonNode m) {
            if (!m.isObject()) {
                return new Metadata(Optional.empty(), Optional.empty(), Map.of(), Map.of());
            }
            return new Metadata(str(m, "name", "metadata.name"), str(m, "generateName", "metadata.generateName"),
                    stringMap(m.get("labels"), "metadata.labels"),
                    stringMap(m.get("annotations"), "metadata.annotations"));
        }

        WorkflowSpec spec(JsonNode s) {
            ignoreUnknown(s, "spec", Set.of("entrypoint", "arguments", "templates", "onExit", "parallelism",
                    "activeDeadlineSeconds", "templateDefaults", "artifactRepositoryRef", "hooks",
                    "workflowTemplateRef"));
            if (s.has("workflowTemplateRef")) {
                error("spec.workflowTemplateRef", "workflow templates are not supported; inline the templates");
            }
            String entrypoint = str(s, "entrypoint", "spec.entrypoint").orElse("");
            Arguments arguments = arguments(s.get("arguments"), "spec.arguments");
            List<Template> templates = new ArrayList<>();
            JsonNode ts = s.get("templates");
            if (ts == null || ts.isNull()) {
                error("spec.templates", "missing: a workflow needs at least one template");
            } else if (!ts.isArray()) {
                error("spec.templates", "expected a list, got " + describe(ts));
            } else {
                for (int i = 0; i < ts.size(); i++) {
                    Template t = template(ts.get(i), "spec.templates[" + label(ts.get(i), i) + "]", true);
                    if (t != null) {
                        templates.add(t);
                    }
                }
            }
            Optional<String> onExit = str(s, "onExit", "spec.onExit");
            JsonNode hooks = s.get("hooks");
            if (hooks != null && hooks.has("exit")) {
                onExit = onExit.or(() -> str(hooks.get("exit"), "template", "spec.hooks.exit.template"));
            }
            Optional<Template> defaults = Optional.ofNullable(s.get("templateDefaults"))
                    .map(d -> template(d, "spec.templateDefaults", false));
            Optional<ArtifactRepositoryRef> repoRef = Optional.ofNullable(s.get("artifactRepositoryRef"))
                    .map(r -> new ArtifactRepositoryRef(str(r, "configMap", "spec.artifactRepositoryRef.configMap"),
                            str(r, "key", "spec.artifactRepositoryRef.key")));
            return new WorkflowSpec(entrypoint, arguments, templates, onExit,
                    integer(s, "parallelism", "spec.parallelism"),
                    integer(s, "activeDeadlineSeconds", "spec.activeDeadlineSeconds").map(Integer::longValue),
                    defaults, repoRef);
        }

        Template template(JsonNode t, String path, boolean needsName) {
            if (t == null || !t.isObject()) {
                error(path, "expected a template object, got " + describe(t));
                return null;
            }
            Optional<String> name = str(t, "name", path + ".name");
            if (needsName && name.isEmpty()) {
                error(path + ".name", "missing: every template needs a name");
            }
            for (String kind : UNSUPPORTED_KINDS) {
                if (t.has(kind)) {
                    error(path + "." + kind, "template '" + name.orElse("?") + "' is of kind '" + kind
                            + "', which Weft cannot run (supported: container, script, dag, steps, plugin)");
                }
            }
            ignoreUnknown(t, path, Set.of("name", "inputs", "outputs", "container", "script", "dag", "steps",
                    "plugin", "retryStrategy", "timeout", "activeDeadlineSeconds", "parallelism", "failFast",
                    "resource", "http", "suspend", "containerSet", "data"));
            JsonNode inputs = t.path("inputs");
            JsonNode outputs = t.path("outputs");
            Arguments in = arguments(inputs.isMissingNode() ? null : inputs, path + ".inputs");
            Arguments out = arguments(outputs.isMissingNode() ? null : outputs, path + ".outputs");
            Optional<ContainerSpec> container = Optional.ofNullable(t.get("container"))
                    .map(c -> container(c, path + ".container", false));
            Optional<ContainerSpec> script = Optional.ofNullable(t.get("script"))
                    .map(c -> container(c, path + ".script", true));
            Optional<DagSpec> dag = Optional.ofNullable(t.get("dag")).map(d -> dag(d, path + ".dag"));
            Optional<List<List<Step>>> steps = Optional.ofNullable(t.get("steps")).map(s -> steps(s, path + ".steps"));
            Optional<PluginSpec> plugin = Optional.ofNullable(t.get("plugin")).map(p -> plugin(p, path + ".plugin"));
            Optional<RetryStrategy> retry = Optional.ofNullable(t.get("retryStrategy"))
                    .map(r -> retry(r, path + ".retryStrategy"));
            return new Template(name.orElse(""), in, out, container, script, dag, steps, plugin, retry,
                    str(t, "timeout", path + ".timeout"),
                    str(t, "activeDeadlineSeconds", path + ".activeDeadlineSeconds"),
                    integer(t, "parallelism", path + ".parallelism"), bool(t, "failFast", path + ".failFast"));
        }

        ContainerSpec container(JsonNode c, String path, boolean script) {
            if (!c.isObject()) {
                error(path, "expected an object, got " + describe(c));
                return ContainerSpec.container(List.of("true"), List.of());
            }
            ignoreUnknown(c, path, Set.of("image", "command", "args", "env", "workingDir", "source", "name"));
            List<EnvVar> env = new ArrayList<>();
            JsonNode e = c.get("env");
            if (e != null && e.isArray()) {
                for (int i = 0; i < e.size(); i++) {
                    JsonNode v = e.get(i);
                    String p = path + ".env[" + label(v, i) + "]";
                    Optional<String> n = str(v, "name", p + ".name");
                    if (n.isEmpty()) {
                        error(p + ".name", "missing");
                        continue;
                    }
                    if (v.has("valueFrom")) {
                        error(p + ".valueFrom", "environment variable '" + n.get()
                                + "': valueFrom (secrets, config maps, field refs) is not supported");
                        continue;
                    }
                    env.add(new EnvVar(n.get(), str(v, "value", p + ".value").orElse("")));
                }
            } else if (e != null && !e.isNull()) {
                error(path + ".env", "expected a list, got " + describe(e));
            }
            Optional<String> source = str(c, "source", path + ".source");
            if (script && source.isEmpty()) {
                error(path + ".source", "missing: a script template needs its source");
            }
            return new ContainerSpec(str(c, "image", path + ".image"), stringList(c.get("command"), path + ".command"),
                    stringList(c.get("args"), path + ".args"), env, str(c, "workingDir", path + ".workingDir"),
                    script ? source : Optional.empty());
        }

        DagSpec dag(JsonNode d, String path) {
            ignoreUnknown(d, path, Set.of("tasks", "target", "failFast"));
            List<DagTask> tasks = new ArrayList<>();
            JsonNode ts = d.get("tasks");
            if (ts == null || !ts.isArray()) {
                error(path + ".tasks", ts == null ? "missing" : "expected a list, got " + describe(ts));
            } else {
                for (int i = 0; i < ts.size(); i++) {
                    JsonNode t = ts.get(i);
                    String p = path + ".tasks[" + label(t, i) + "]";
                    if (!t.isObject()) {
                        error(p, "expected a task object, got " + describe(t));
                        continue;
                    }
                    ignoreUnknown(t, p, Set.of("name", "template", "arguments", "depends", "dependencies", "when",
                            "withItems", "withParam", "withSequence", "continueOn", "onExit", "hooks",
                            "templateRef", "inline"));
                    String name = required(t, "name", p);
                    String template = templateRef(t, p);
                    tasks.add(new DagTask(name, template, arguments(t.get("arguments"), p + ".arguments"),
                            str(t, "depends", p + ".depends"), stringList(t.get("dependencies"), p + ".dependencies"),
                            str(t, "when", p + ".when"), items(t.get("withItems"), p + ".withItems"),
                            str(t, "withParam", p + ".withParam"), sequence(t.get("withSequence"), p + ".withSequence"),
                            continueOn(t.get("continueOn"), p + ".continueOn"), hooks(t, p)));
                }
            }
            return new DagSpec(tasks, str(d, "target", path + ".target"), bool(d, "failFast", path + ".failFast"));
        }

        List<List<Step>> steps(JsonNode s, String path) {
            List<List<Step>> groups = new ArrayList<>();
            if (!s.isArray()) {
                error(path, "expected a list of step groups, got " + describe(s));
                return groups;
            }
            for (int g = 0; g < s.size(); g++) {
                JsonNode group = s.get(g);
                // Argo also accepts a group written as an object with a single step (rare); a list is the norm.
                List<JsonNode> members = new ArrayList<>();
                if (group.isArray()) {
                    group.forEach(members::add);
                } else if (group.isObject()) {
                    members.add(group);
                } else {
                    error(path + "[" + g + "]", "expected a list of steps, got " + describe(group));
                    continue;
                }
                List<Step> steps = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    JsonNode t = members.get(i);
                    String p = path + "[" + g + "][" + label(t, i) + "]";
                    if (!t.isObject()) {
                        error(p, "expected a step object, got " + describe(t));
                        continue;
                    }
                    ignoreUnknown(t, p, Set.of("name", "template", "arguments", "when", "withItems", "withParam",
                            "withSequence", "continueOn", "onExit", "hooks", "templateRef", "inline"));
                    String name = required(t, "name", p);
                    String template = templateRef(t, p);
                    steps.add(new Step(name, template, arguments(t.get("arguments"), p + ".arguments"),
                            str(t, "when", p + ".when"), items(t.get("withItems"), p + ".withItems"),
                            str(t, "withParam", p + ".withParam"), sequence(t.get("withSequence"), p + ".withSequence"),
                            continueOn(t.get("continueOn"), p + ".continueOn"), hooks(t, p)));
                }
                groups.add(steps);
            }
            return groups;
        }

        String templateRef(JsonNode t, String p) {
            if (t.has("templateRef")) {
                error(p + ".templateRef", "templateRef (WorkflowTemplate references) is not supported");
                return "";
            }
            if (t.has("inline")) {
                error(p + ".inline", "inline templates are not supported; declare the template in spec.templates");
                return "";
            }
            return required(t, "template", p);
        }

        Map<String, LifecycleHook> hooks(JsonNode t, String p) {
            Map<String, LifecycleHook> hooks = new LinkedHashMap<>();
            str(t, "onExit", p + ".onExit").ifPresent(x -> hooks.put("exit", LifecycleHook.of(x)));
            JsonNode h = t.get("hooks");
            if (h != null && h.isObject()) {
                h.fields().forEachRemaining(e -> {
                    String hp = p + ".hooks." + e.getKey();
                    hooks.put(e.getKey(), new LifecycleHook(required(e.getValue(), "template", hp),
                            arguments(e.getValue().get("arguments"), hp + ".arguments"),
                            str(e.getValue(), "expression", hp + ".expression")));
                });
            }
            return hooks;
        }

        PluginSpec plugin(JsonNode p, String path) {
            if (!p.isObject() || p.size() != 1) {
                error(path, "expected one key naming the handler (plugin: {my-handler: {...}}) or "
                        + "plugin: {weft: {handler: my-handler, ...}}");
                return new PluginSpec("", Map.of());
            }
            Map.Entry<String, JsonNode> only = p.fields().next();
            Map<String, Object> config = new LinkedHashMap<>();
            JsonNode body = only.getValue();
            if (body != null && body.isObject()) {
                body.fields().forEachRemaining(e -> config.put(e.getKey(), JsonValues.toJava(e.getValue())));
            }
            if (only.getKey().equals("weft")) {
                Object handler = config.remove("handler");
                if (!(handler instanceof String h) || h.isBlank()) {
                    error(path + ".weft.handler", "missing: name the TaskHandler to run");
                    return new PluginSpec("", config);
                }
                return new PluginSpec(h, config);
            }
            return new PluginSpec(only.getKey(), config);
        }

        RetryStrategy retry(JsonNode r, String path) {
            ignoreUnknown(r, path, Set.of("limit", "retryPolicy", "backoff", "expression", "affinity"));
            Optional<String> policyText = str(r, "retryPolicy", path + ".retryPolicy");
            RetryStrategy.RetryPolicy policy = RetryStrategy.RetryPolicy.ON_FAILURE;
            if (policyText.isPresent()) {
                Optional<RetryStrategy.RetryPolicy> parsed = RetryStrategy.RetryPolicy.parse(policyText.get());
                if (parsed.isEmpty()) {
                    error(path + ".retryPolicy", "unknown retry policy '" + policyText.get()
                            + "' (expected Always, OnFailure, OnError or OnTransientError)");
                } else {
                    policy = parsed.get();
                }
            }
            Optional<Backoff> backoff = Optional.ofNullable(r.get("backoff")).map(b -> new Backoff(
                    str(b, "duration", path + ".backoff.duration"), str(b, "factor", path + ".backoff.factor"),
                    str(b, "cap", path + ".backoff.cap").or(() -> str(b, "maxDelay", path + ".backoff.maxDelay")),
                    str(b, "maxDuration", path + ".backoff.maxDuration")));
            return new RetryStrategy(str(r, "limit", path + ".limit"), policy, backoff,
                    str(r, "expression", path + ".expression"));
        }

        Arguments arguments(JsonNode a, String path) {
            if (a == null || a.isNull()) {
                return Arguments.NONE;
            }
            if (!a.isObject()) {
                error(path, "expected an object with parameters/artifacts, got " + describe(a));
                return Arguments.NONE;
            }
            List<Parameter> params = new ArrayList<>();
            JsonNode ps = a.get("parameters");
            if (ps != null && ps.isArray()) {
                for (int i = 0; i < ps.size(); i++) {
                    Parameter p = parameter(ps.get(i), path + ".parameters[" + label(ps.get(i), i) + "]");
                    if (p != null) {
                        params.add(p);
                    }
                }
            } else if (ps != null && !ps.isNull()) {
                error(path + ".parameters", "expected a list, got " + describe(ps));
            }
            List<Artifact> artifacts = new ArrayList<>();
            JsonNode as = a.get("artifacts");
            if (as != null && as.isArray()) {
                for (int i = 0; i < as.size(); i++) {
                    Artifact art = artifact(as.get(i), path + ".artifacts[" + label(as.get(i), i) + "]");
                    if (art != null) {
                        artifacts.add(art);
                    }
                }
            } else if (as != null && !as.isNull()) {
                error(path + ".artifacts", "expected a list, got " + describe(as));
            }
            return new Arguments(params, artifacts);
        }

        Parameter parameter(JsonNode p, String path) {
            if (p == null || !p.isObject()) {
                error(path, "expected a parameter object, got " + describe(p));
                return null;
            }
            ignoreUnknown(p, path, Set.of("name", "value", "default", "valueFrom", "globalName", "enum",
                    "description"));
            String name = required(p, "name", path);
            Optional<ValueFrom> valueFrom = Optional.ofNullable(p.get("valueFrom")).map(v -> {
                ignoreUnknown(v, path + ".valueFrom", Set.of("path", "default", "parameter", "expression",
                        "supplied", "jsonPath", "jqFilter", "event", "configMapKeyRef"));
                for (String k : List.of("jsonPath", "jqFilter", "event", "configMapKeyRef")) {
                    if (v.has(k)) {
                        error(path + ".valueFrom." + k, "valueFrom." + k + " is not supported");
                    }
                }
                return new ValueFrom(str(v, "path", path + ".valueFrom.path"),
                        str(v, "default", path + ".valueFrom.default"),
                        str(v, "parameter", path + ".valueFrom.parameter"),
                        str(v, "expression", path + ".valueFrom.expression"),
                        Optional.ofNullable(v.get("supplied")).map(JsonNode::toString));
            });
            return new Parameter(name, scalarOrJson(p.get("value"), path + ".value"),
                    scalarOrJson(p.get("default"), path + ".default"), valueFrom,
                    str(p, "globalName", path + ".globalName"), stringList(p.get("enum"), path + ".enum"),
                    str(p, "description", path + ".description"));
        }

        Artifact artifact(JsonNode a, String path) {
            if (a == null || !a.isObject()) {
                error(path, "expected an artifact object, got " + describe(a));
                return null;
            }
            ignoreUnknown(a, path, Set.of("name", "path", "from", "fromExpression", "subPath", "mode", "optional",
                    "archive", "globalName", "s3", "raw", "artifactGC", "deleted", "recurseMode", "archiveLogs"));
            String name = required(a, "name", path);
            Optional<ArchiveStrategy> archive = Optional.ofNullable(a.get("archive")).map(x -> archive(x,
                    path + ".archive"));
            Optional<S3Location> s3 = Optional.ofNullable(a.get("s3")).map(x -> new S3Location(
                    str(x, "key", path + ".s3.key").orElse(""), str(x, "bucket", path + ".s3.bucket"),
                    str(x, "endpoint", path + ".s3.endpoint"), str(x, "region", path + ".s3.region"),
                    bool(x, "insecure", path + ".s3.insecure")));
            Optional<String> raw = Optional.ofNullable(a.get("raw")).flatMap(x -> str(x, "data", path + ".raw.data"));
            Optional<Integer> mode = integer(a, "mode", path + ".mode");
            return new Artifact(name, str(a, "path", path + ".path"), str(a, "from", path + ".from"),
                    str(a, "fromExpression", path + ".fromExpression"), str(a, "subPath", path + ".subPath"), mode,
                    bool(a, "optional", path + ".optional").orElse(false), archive,
                    str(a, "globalName", path + ".globalName"), s3, raw,
                    Optional.ofNullable(a.get("artifactRepositoryRef"))
                            .flatMap(x -> str(x, "key", path + ".artifactRepositoryRef.key")),
                    Optional.empty());
        }

        ArchiveStrategy archive(JsonNode x, String path) {
            if (!x.isObject() || x.size() != 1) {
                error(path, "expected exactly one of none, tar, zip");
                return ArchiveStrategy.defaultTar();
            }
            String kind = x.fieldNames().next();
            return switch (kind) {
                case "none" -> ArchiveStrategy.none();
                case "zip" -> new ArchiveStrategy(ArchiveStrategy.Kind.ZIP, Optional.empty());
                case "tar" -> {
                    Optional<Integer> level = integer(x.get("tar"), "compressionLevel",
                            path + ".tar.compressionLevel");
                    level.ifPresent(l -> {
                        if (l < -1 || l > 9) {
                            error(path + ".tar.compressionLevel", "expected -1..9, got " + l);
                        }
                    });
                    yield new ArchiveStrategy(ArchiveStrategy.Kind.TAR, level);
                }
                default -> {
                    error(path + "." + kind, "unknown archive kind '" + kind + "' (expected none, tar or zip)");
                    yield ArchiveStrategy.defaultTar();
                }
            };
        }

        List<Object> items(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                error(path, "expected a list, got " + describe(n));
                return List.of();
            }
            List<Object> items = new ArrayList<>();
            n.forEach(i -> items.add(JsonValues.toJava(i)));
            return items;
        }

        Optional<Sequence> sequence(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            ignoreUnknown(n, path, Set.of("count", "start", "end", "format"));
            Sequence s = new Sequence(str(n, "count", path + ".count"), str(n, "start", path + ".start"),
                    str(n, "end", path + ".end"), str(n, "format", path + ".format"));
            if (s.count().isPresent() && s.end().isPresent()) {
                error(path, "set either count or end, not both");
            }
            if (s.count().isEmpty() && s.end().isEmpty()) {
                error(path, "needs count or end");
            }
            return Optional.of(s);
        }

        ContinueOn continueOn(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return ContinueOn.NEVER;
            }
            return new ContinueOn(bool(n, "error", path + ".error").orElse(false),
                    bool(n, "failed", path + ".failed").orElse(false));
        }

        // ---- scalar helpers ------------------------------------------------------------------------------

        String required(JsonNode n, String field, String path) {
            Optional<String> v = str(n, field, path + "." + field);
            if (v.isEmpty() || v.get().isBlank()) {
                if (!n.has(field)) {
                    error(path + "." + field, "missing");
                }
                return "";
            }
            return v.get();
        }

        Optional<String> str(JsonNode n, String field, String path) {
            if (n == null) {
                return Optional.empty();
            }
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (v.isValueNode()) {
                return Optional.of(v.asText());
            }
            error(path, "expected a string, got " + describe(v));
            return Optional.empty();
        }

        /** A parameter value: scalars as text; a list or object (Argo allows it) as compact JSON. */
        Optional<String> scalarOrJson(JsonNode v, String path) {
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            return Optional.of(v.isValueNode() ? v.asText() : v.toString());
        }

        Optional<Integer> integer(JsonNode n, String field, String path) {
            if (n == null) {
                return Optional.empty();
            }
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (v.canConvertToInt() && v.isIntegralNumber()) {
                return Optional.of(v.intValue());
            }
            if (v.isTextual()) {
                try {
                    return Optional.of(Integer.parseInt(v.asText().trim()));
                } catch (NumberFormatException e) {
                    // fall through to the error
                }
            }
            error(path, "expected an integer, got " + describe(v));
            return Optional.empty();
        }

        Optional<Boolean> bool(JsonNode n, String field, String path) {
            if (n == null) {
                return Optional.empty();
            }
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return Optional.empty();
            }
            if (v.isBoolean()) {
                return Optional.of(v.booleanValue());
            }
            if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(v.asText()));
            }
            error(path, "expected true or false, got " + describe(v));
            return Optional.empty();
        }

        List<String> stringList(JsonNode n, String path) {
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                if (n.isTextual()) {
                    return List.of(n.asText());
                }
                error(path, "expected a list of strings, got " + describe(n));
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode v = n.get(i);
                if (v.isValueNode() && !v.isNull()) {
                    out.add(v.asText());
                } else {
                    error(path + "[" + i + "]", "expected a string, got " + describe(v));
                }
            }
            return out;
        }

        Map<String, String> stringMap(JsonNode n, String path) {
            Map<String, String> out = new LinkedHashMap<>();
            if (n != null && n.isObject()) {
                n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            }
            return out;
        }

        void ignoreUnknown(JsonNode n, String path, Set<String> known) {
            if (n == null || !n.isObject()) {
                return;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!known.contains(f)) {
                    LOG.debug("{}: {}{}: ignored (not used by Weft)", source, path.isEmpty() ? "" : path + ".", f);
                }
            }
        }

        static String label(JsonNode n, int index) {
            if (n != null && n.isObject() && n.hasNonNull("name") && n.get("name").isValueNode()) {
                return n.get("name").asText();
            }
            return Integer.toString(index);
        }

        static String describe(JsonNode n) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return "nothing";
            }
            if (n.isObject()) {
                return "an object";
            }
            if (n.isArray()) {
                return "a list";
            }
            return "'" + n.asText() + "'";
        }
    }
}
