package dev.weft.engine.expr;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks a dotted variable name up through a {@link VariableResolver}: first the whole name, then ever shorter
 * prefixes whose value is walked into with the remaining segments. So {@code item.key} works when the resolver
 * knows only {@code item} and its value is a map (or JSON object text), and {@code tasks.A.outputs.parameters.p}
 * works when it knows the whole name.
 */
final class VariableLookup {

    private VariableLookup() {
    }

    /** The value of {@code name}, normalised into the JSON-like model, or empty when it cannot be found. */
    static Optional<Object> find(String name, VariableResolver vars) {
        Optional<Object> whole = vars.resolve(name);
        if (whole.isPresent()) {
            return whole.map(JsonValues::normalize);
        }
        String[] segments = name.split("\\.", -1);
        for (int prefixLength = segments.length - 1; prefixLength >= 1; prefixLength--) {
            String prefix = String.join(".", java.util.Arrays.copyOfRange(segments, 0, prefixLength));
            Optional<Object> base = vars.resolve(prefix);
            if (base.isPresent()) {
                Object value = JsonValues.normalize(base.get());
                for (int i = prefixLength; i < segments.length && value != null; i++) {
                    value = child(value, segments[i]).orElse(null);
                }
                if (value != null) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * One step into a value: a map key, a list index, or either of those in JSON text (Argo hands loop items and
     * outputs over as JSON strings).
     */
    static Optional<Object> child(Object value, String key) {
        Object container = value;
        if (value instanceof String text) {
            container = JsonValues.parseContainer(text).orElse(null);
        }
        if (container instanceof Map<?, ?> map) {
            return map.containsKey(key) ? Optional.ofNullable(map.get(key)) : Optional.empty();
        }
        if (container instanceof List<?> list && key.matches("\\d{1,9}")) {
            int index = Integer.parseInt(key);
            return index < list.size() ? Optional.ofNullable(list.get(index)) : Optional.empty();
        }
        return Optional.empty();
    }
}
