package dev.weft.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An Argo {@code Workflow} document, read from YAML/JSON or built with {@link #builder()}.
 *
 * @param metadata name, generateName, labels, annotations
 * @param spec     the spec
 */
public record Workflow(Metadata metadata, WorkflowSpec spec) {

    /** Checks. */
    public Workflow {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
    }

    /** A fluent builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder for {@link Workflow}. */
    public static final class Builder {
        private String name;
        private String generateName;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private String entrypoint;
        private final List<Parameter> parameters = new ArrayList<>();
        private final List<Artifact> artifacts = new ArrayList<>();
        private final List<Template> templates = new ArrayList<>();
        private String onExit;
        private Integer parallelism;
        private Long activeDeadlineSeconds;
        private Template templateDefaults;
        private ArtifactRepositoryRef artifactRepositoryRef;

        private Builder() {
        }

        /** A fixed name. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** A name prefix. */
        public Builder generateName(String prefix) {
            this.generateName = prefix;
            return this;
        }

        /** A label. */
        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        /** The entry template. */
        public Builder entrypoint(String template) {
            this.entrypoint = template;
            return this;
        }

        /** A workflow parameter. */
        public Builder parameter(String param, String value) {
            parameters.add(Parameter.of(param, value));
            return this;
        }

        /** A workflow argument artifact. */
        public Builder artifact(Artifact artifact) {
            artifacts.add(artifact);
            return this;
        }

        /** Adds a template. */
        public Builder template(Template template) {
            templates.add(template);
            return this;
        }

        /** Adds a template built from a builder. */
        public Builder template(Template.Builder template) {
            return template(template.build());
        }

        /** Exit handler template. */
        public Builder onExit(String template) {
            this.onExit = template;
            return this;
        }

        /** Run-wide parallelism. */
        public Builder parallelism(int limit) {
            this.parallelism = limit;
            return this;
        }

        /** Run-wide deadline. */
        public Builder activeDeadlineSeconds(long seconds) {
            this.activeDeadlineSeconds = seconds;
            return this;
        }

        /** Template defaults. */
        public Builder templateDefaults(Template defaults) {
            this.templateDefaults = defaults;
            return this;
        }

        /** Artifact repository reference. */
        public Builder artifactRepositoryRef(ArtifactRepositoryRef ref) {
            this.artifactRepositoryRef = ref;
            return this;
        }

        /** Builds (not validated: pass the result to the validator or the engine). */
        public Workflow build() {
            return new Workflow(
                    new Metadata(Optional.ofNullable(name), Optional.ofNullable(generateName), labels, annotations),
                    new WorkflowSpec(entrypoint == null ? "" : entrypoint, new Arguments(parameters, artifacts),
                            templates, Optional.ofNullable(onExit), Optional.ofNullable(parallelism),
                            Optional.ofNullable(activeDeadlineSeconds), Optional.ofNullable(templateDefaults),
                            Optional.ofNullable(artifactRepositoryRef)));
        }
    }
}
