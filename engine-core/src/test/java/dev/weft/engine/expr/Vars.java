package dev.weft.engine.expr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link VariableResolver} over a fixed map, for tests. */
final class Vars implements VariableResolver {

    private final Map<String, Object> values;

    private Vars(Map<String, Object> values) {
        this.values = values;
    }

    static Vars of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Vars(map);
    }

    static Vars none() {
        return of();
    }

    @Override
    public Optional<Object> resolve(String name) {
        return Optional.ofNullable(values.get(name));
    }
}
