package dev.weft.engine.exec;

import dev.weft.engine.expr.VariableResolver;
import dev.weft.engine.model.Artifact;
import dev.weft.engine.spec.JsonValues;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Variables visible at one point of a run: a chain of maps (template inputs, sibling task outputs, loop item) ending
 * in the run's dynamic workflow variables. Artifacts references are kept beside the variables. Finished siblings are
 * kept as nodes and their variables ({@code tasks.A.outputs.result}) read on demand, see
 * {@link FinishedNodeVariables}. Confined to the run's serial executor.
 */
final class Scope implements VariableResolver {

    private final Scope parent;
    private final Function<String, Optional<Object>> dynamic;
    // created on first use: most scopes (one per call, per attempt, per leaf) hold a variable or two, or none
    private Map<String, Object> vars;
    private Map<String, Artifact> artifacts;
    /** Finished tasks/steps by their variable prefix, e.g. {@code tasks.A}. */
    private Map<String, NodeState> finished;

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
        if (vars == null) {
            vars = new HashMap<>(4);
        }
        vars.put(name, value);
        return this;
    }

    /** Binds a variable computed only if an expression reads it (then remembered). */
    Scope putLazy(String name, Supplier<String> value) {
        return put(name, new Lazy(value));
    }

    Scope putArtifact(String name, Artifact artifact) {
        if (artifacts == null) {
            artifacts = new HashMap<>(4);
        }
        artifacts.put(name, artifact);
        return this;
    }

    /** Sizes the table of finished nodes for {@code count} more (a DAG knows its size up front). */
    Scope expectFinished(int count) {
        if (finished == null) {
            finished = new HashMap<>(Math.max(16, (int) (count / 0.75f) + 1));
        }
        return this;
    }

    /**
     * Makes a finished node's variables visible under {@code prefix} ({@code tasks.A} or {@code steps.B}): its id,
     * status, times, exit code, outputs and output artifacts.
     */
    Scope putFinished(String prefix, NodeState node) {
        if (finished == null) {
            finished = new HashMap<>();
        }
        finished.put(prefix, node);
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
            Object v = s.vars == null ? null : s.vars.get(name);
            if (v instanceof Lazy lazy) {
                v = lazy.get();
            }
            if (v == null && s.finished != null) {
                v = s.fromFinished(name, FinishedNodeVariables::value);
            }
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
            Artifact a = s.artifacts == null ? null : s.artifacts.get(name);
            if (a == null && s.finished != null) {
                a = s.fromFinished(name, FinishedNodeVariables::artifact);
            }
            if (a != null) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a finished node's variable: {@code field} of the node recorded under the name's prefix, or null. Names
     * may hold dots themselves, so each split of "tasks.<name>.<field>" is tried.
     */
    private <T> T fromFinished(String name, BiFunction<NodeState, String, T> field) {
        int dot = name.indexOf('.');
        for (int at = name.indexOf('.', dot + 1); dot > 0 && at > 0; at = name.indexOf('.', at + 1)) {
            NodeState n = finished.get(name.substring(0, at));
            if (n != null) {
                T v = field.apply(n, name.substring(at + 1));
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** A variable computed on first read. */
    private static final class Lazy {
        private Supplier<String> supplier;
        private String value;

        Lazy(Supplier<String> supplier) {
            this.supplier = supplier;
        }

        String get() {
            if (supplier != null) {
                value = supplier.get();
                supplier = null;
            }
            return value;
        }
    }
}
