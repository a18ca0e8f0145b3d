package dev.weft.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One template of a workflow. Exactly one of {@code container}, {@code script}, {@code dag}, {@code steps} and
 * {@code plugin} is set.
 *
 * @param name                  the template name
 * @param inputs                input parameters and artifacts
 * @param outputs               output parameters and artifacts
 * @param container             a container body
 * @param script                a script body ({@link ContainerSpec#source()} set)
 * @param dag                   a DAG body
 * @param steps                 a steps body: parallel groups, run in order
 * @param plugin                a JVM-native handler call
 * @param retryStrategy         retries
 * @param timeout               Argo {@code timeout}: a duration ({@code "30s"}) for the whole node, may be templated
 * @param activeDeadlineSeconds Argo {@code activeDeadlineSeconds}: seconds the task may run, may be templated
 * @param parallelism           how many children of this (composite) template may run at once
 * @param failFast              for steps/DAG loops: stop starting children after a failure
 */
public record Template(String name, Arguments inputs, Arguments outputs, Optional<ContainerSpec> container,
                       Optional<ContainerSpec> script, Optional<DagSpec> dag, Optional<List<List<Step>>> steps,
                       Optional<PluginSpec> plugin, Optional<RetryStrategy> retryStrategy, Optional<String> timeout,
                       Optional<String> activeDeadlineSeconds, Optional<Integer> parallelism,
                       Optional<Boolean> failFast) {

    /** Checks and copies. */
    public Template {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(dag, "dag");
        steps = steps.map(groups -> groups.stream().map(List::copyOf).toList());
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(retryStrategy, "retryStrategy");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(activeDeadlineSeconds, "activeDeadlineSeconds");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(failFast, "failFast");
    }

    /** Which kinds of body are set (the validator requires exactly one). */
    public List<TemplateKind> kinds() {
        List<TemplateKind> kinds = new ArrayList<>();
        container.ifPresent(c -> kinds.add(TemplateKind.CONTAINER));
        script.ifPresent(c -> kinds.add(TemplateKind.SCRIPT));
        dag.ifPresent(c -> kinds.add(TemplateKind.DAG));
        steps.ifPresent(c -> kinds.add(TemplateKind.STEPS));
        plugin.ifPresent(c -> kinds.add(TemplateKind.PLUGIN));
        return kinds;
    }

    /** The single kind of this template; fails for an invalid template (validate first). */
    public TemplateKind kind() {
        // asked once per task at run time: no list for the usual single body
        int bodies = (container.isPresent() ? 1 : 0) + (script.isPresent() ? 1 : 0) + (dag.isPresent() ? 1 : 0)
                + (steps.isPresent() ? 1 : 0) + (plugin.isPresent() ? 1 : 0);
        if (bodies == 1) {
            return container.isPresent() ? TemplateKind.CONTAINER : script.isPresent() ? TemplateKind.SCRIPT
                    : dag.isPresent() ? TemplateKind.DAG : steps.isPresent() ? TemplateKind.STEPS
                    : TemplateKind.PLUGIN;
        }
        List<TemplateKind> kinds = kinds();
        throw new IllegalStateException("template '" + name + "' has " + kinds.size() + " bodies: " + kinds);
    }

    /** The container or script body, whichever is set. */
    public Optional<ContainerSpec> process() {
        return container.or(() -> script);
    }

    /** Whether this is a dag or steps template. */
    public boolean isComposite() {
        return dag.isPresent() || steps.isPresent();
    }

    /** A copy with fields taken from {@code defaults} where this template leaves them unset (Argo templateDefaults). */
    public Template withDefaults(Template defaults) {
        return new Template(name, inputs, outputs, container, script, dag, steps, plugin,
                retryStrategy.or(defaults::retryStrategy), timeout.or(defaults::timeout),
                activeDeadlineSeconds.or(defaults::activeDeadlineSeconds), parallelism.or(defaults::parallelism),
                failFast.or(defaults::failFast));
    }

    /** A builder for a template named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent builder for {@link Template}. */
    public static final class Builder {
        private final String name;
        private final List<Parameter> inputParameters = new ArrayList<>();
        private final List<Artifact> inputArtifacts = new ArrayList<>();
        private final List<Parameter> outputParameters = new ArrayList<>();
        private final List<Artifact> outputArtifacts = new ArrayList<>();
        private ContainerSpec container;
        private ContainerSpec script;
        private List<DagTask> dagTasks;
        private List<List<Step>> steps;
        private PluginSpec plugin;
        private RetryStrategy retryStrategy;
        private String timeout;
        private String activeDeadlineSeconds;
        private Integer parallelism;
        private Boolean failFast;

        private Builder(String name) {
            this.name = name;
        }

        /** Declares a required input parameter. */
        public Builder input(String param) {
            inputParameters.add(Parameter.required(param));
            return this;
        }

        /** Declares an input parameter with a default value. */
        public Builder input(String param, String defaultValue) {
            inputParameters.add(Parameter.of(param, defaultValue));
            return this;
        }

        /** Declares an input parameter. */
        public Builder input(Parameter param) {
            inputParameters.add(param);
            return this;
        }

        /** Declares an input artifact. */
        public Builder inputArtifact(Artifact artifact) {
            inputArtifacts.add(artifact);
            return this;
        }

        /** Declares an output parameter. */
        public Builder output(Parameter param) {
            outputParameters.add(param);
            return this;
        }

        /** Declares an output artifact. */
        public Builder outputArtifact(Artifact artifact) {
            outputArtifacts.add(artifact);
            return this;
        }

        /** A container body. */
        public Builder container(String... commandAndArgs) {
            this.container = ContainerSpec.container(List.of(commandAndArgs), List.of());
            return this;
        }

        /** A container body. */
        public Builder container(ContainerSpec spec) {
            this.container = spec;
            return this;
        }

        /** A script body. */
        public Builder script(List<String> command, String source) {
            this.script = ContainerSpec.script(command, source);
            return this;
        }

        /** A DAG body. */
        public Builder dag(DagTask... tasks) {
            this.dagTasks = List.of(tasks);
            return this;
        }

        /** A DAG body. */
        public Builder dag(List<DagTask> tasks) {
            this.dagTasks = List.copyOf(tasks);
            return this;
        }

        /** Appends one group of parallel steps (creates the steps body on first use). */
        public Builder stepGroup(Step... group) {
            if (steps == null) {
                steps = new ArrayList<>();
            }
            steps.add(List.of(group));
            return this;
        }

        /** A JVM-native handler body. */
        public Builder plugin(String handler, java.util.Map<String, Object> config) {
            this.plugin = new PluginSpec(handler, config);
            return this;
        }

        /** Retries. */
        public Builder retryStrategy(RetryStrategy strategy) {
            this.retryStrategy = strategy;
            return this;
        }

        /** Node timeout (Argo duration string). */
        public Builder timeout(String duration) {
            this.timeout = duration;
            return this;
        }

        /** Seconds the task may run. */
        public Builder activeDeadlineSeconds(long seconds) {
            this.activeDeadlineSeconds = Long.toString(seconds);
            return this;
        }

        /** Child parallelism limit. */
        public Builder parallelism(int limit) {
            this.parallelism = limit;
            return this;
        }

        /** failFast. */
        public Builder failFast(boolean value) {
            this.failFast = value;
            return this;
        }

        /** Builds. */
        public Template build() {
            return new Template(name, new Arguments(inputParameters, inputArtifacts),
                    new Arguments(outputParameters, outputArtifacts), Optional.ofNullable(container),
                    Optional.ofNullable(script),
                    Optional.ofNullable(dagTasks).map(t -> new DagSpec(t, Optional.empty(), Optional.empty())),
                    Optional.ofNullable(steps), Optional.ofNullable(plugin), Optional.ofNullable(retryStrategy),
                    Optional.ofNullable(timeout), Optional.ofNullable(activeDeadlineSeconds),
                    Optional.ofNullable(parallelism), Optional.ofNullable(failFast));
        }
    }
}
