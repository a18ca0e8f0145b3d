package dev.weft.engine.exec;

import dev.weft.engine.expr.VariableResolver;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.spec.JsonValues;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Variables visible at one point of a run: a chain of maps (template inputs, sibling task outputs, loop item) ending
 * in the run's dynamic workflow variables. Artifacts references are kept beside the variables.
 */
final class Scope implements VariableResolver {

    private final Scope parent;
    private final Function<String, Optional<Object>> dynamic;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Artifact> artifacts = new HashMap<>();

    private Scope(Scope parent, Function<String, Optional<Object>> dynamic) {
        this.parent = parent;
        this.dynamic = dynamic;
    }

    static Scope root(Function<String, Optional<Object>> dynamic) {
        return new Scope(null, dynamic);
    }

    Scope child() {
        return new Scope(this, null);
    }

    Scope put(String name, Object value) {
        vars.put(name, value);
        return this;
    }

    Scope putArtifact(String name, Artifact artifact) {
        artifacts.put(name, artifact);
        return this;
    }

    /** Binds {@code item} and, for a map item, {@code item.<key>}. */
    Scope putItem(Object item) {
        put("item", JsonValues.text(item));
        if (item instanceof Map<?, ?> m) {
            m.forEach((k, v) -> put("item." + k, JsonValues.text(v)));
        }
        return this;
    }

    @Override
    public Optional<Object> resolve(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v != null) {
                return Optional.of(v);
            }
            if (s.dynamic != null) {
                Optional<Object> d = s.dynamic.apply(name);
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }

    /** An artifact by reference name, e.g. {@code steps.gen.outputs.artifacts.out}. */
    Optional<Artifact> artifact(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Artifact a = s.artifacts.get(name);
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
