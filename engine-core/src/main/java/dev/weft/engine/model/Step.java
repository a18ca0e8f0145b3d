package dev.weft.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@code steps} template; steps are grouped in parallel groups that run one after another.
 *
 * @param name         the step name
 * @param template     the template it runs
 * @param arguments    its arguments
 * @param when         condition
 * @param withItems    loop items
 * @param withParam    loop JSON
 * @param withSequence loop sequence
 * @param continueOn   continue after failure
 * @param hooks        hooks ({@code exit})
 */
public record Step(String name, String template, Arguments arguments, Optional<String> when, List<Object> withItems,
                   Optional<String> withParam, Optional<Sequence> withSequence, ContinueOn continueOn,
                   Map<String, LifecycleHook> hooks) implements Invocation {

    /** Checks and copies. */
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(when, "when");
        withItems = List.copyOf(withItems);
        Objects.requireNonNull(withParam, "withParam");
        Objects.requireNonNull(withSequence, "withSequence");
        Objects.requireNonNull(continueOn, "continueOn");
        hooks = Map.copyOf(hooks);
    }

    /** A builder for a step named {@code name} running {@code template}. */
    public static Builder builder(String name, String template) {
        return new Builder(name, template);
    }

    /** Fluent builder for {@link Step}. */
    public static final class Builder {
        private final String name;
        private final String template;
        private final List<Parameter> parameters = new ArrayList<>();
        private final List<Artifact> artifacts = new ArrayList<>();
        private String when;
        private final List<Object> withItems = new ArrayList<>();
        private String withParam;
        private Sequence withSequence;
        private ContinueOn continueOn = ContinueOn.NEVER;
        private final Map<String, LifecycleHook> hooks = new LinkedHashMap<>();

        private Builder(String name, String template) {
            this.name = name;
            this.template = template;
        }

        /** Adds a parameter argument. */
        public Builder argument(String param, String value) {
            parameters.add(Parameter.of(param, value));
            return this;
        }

        /** Adds an artifact argument. */
        public Builder artifact(Artifact artifact) {
            artifacts.add(artifact);
            return this;
        }

        /** Sets the when condition. */
        public Builder when(String condition) {
            this.when = condition;
            return this;
        }

        /** Loops over items. */
        public Builder withItems(Object... items) {
            withItems.addAll(List.of(items));
            return this;
        }

        /** Loops over a JSON list. */
        public Builder withParam(String json) {
            this.withParam = json;
            return this;
        }

        /** Loops over a sequence. */
        public Builder withSequence(Sequence sequence) {
            this.withSequence = sequence;
            return this;
        }

        /** Sets continueOn. */
        public Builder continueOn(boolean error, boolean failed) {
            this.continueOn = new ContinueOn(error, failed);
            return this;
        }

        /** Runs {@code template} after this step. */
        public Builder onExit(String exitTemplate) {
            hooks.put("exit", LifecycleHook.of(exitTemplate));
            return this;
        }

        /** Builds. */
        public Step build() {
            return new Step(name, template, new Arguments(parameters, artifacts), Optional.ofNullable(when),
                    withItems, Optional.ofNullable(withParam), Optional.ofNullable(withSequence), continueOn, hooks);
        }
    }
}
