package dev.weft.engine.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A workflow's spec.
 *
 * @param entrypoint            the template the run starts with
 * @param arguments             workflow parameters ({@code workflow.parameters.*}) and artifacts
 * @param templates             the templates
 * @param onExit                the template run after the entrypoint finishes (also Argo {@code hooks.exit})
 * @param parallelism           how many task processes/handlers may run at once in the whole run
 * @param activeDeadlineSeconds how long the whole run may take
 * @param templateDefaults      fields applied to every template that leaves them unset
 * @param artifactRepositoryRef the artifact repository to use
 */
public record WorkflowSpec(String entrypoint, Arguments arguments, List<Template> templates, Optional<String> onExit,
                           Optional<Integer> parallelism, Optional<Long> activeDeadlineSeconds,
                           Optional<Template> templateDefaults,
                           Optional<ArtifactRepositoryRef> artifactRepositoryRef) {

    /** Checks and copies. */
    public WorkflowSpec {
        Objects.requireNonNull(entrypoint, "entrypoint");
        Objects.requireNonNull(arguments, "arguments");
        templates = List.copyOf(templates);
        Objects.requireNonNull(onExit, "onExit");
        Objects.requireNonNull(parallelism, "parallelism");
        Objects.requireNonNull(activeDeadlineSeconds, "activeDeadlineSeconds");
        Objects.requireNonNull(templateDefaults, "templateDefaults");
        Objects.requireNonNull(artifactRepositoryRef, "artifactRepositoryRef");
    }

    /** The template with this name, with {@link #templateDefaults} applied. */
    public Optional<Template> template(String name) {
        return templates.stream().filter(t -> t.name().equals(name)).findFirst()
                .map(t -> templateDefaults.map(t::withDefaults).orElse(t));
    }
}
