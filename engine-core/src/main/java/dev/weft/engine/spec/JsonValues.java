package dev.weft.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts between Jackson trees, JSON text and plain Java values (String, Number, Boolean, List, Map). */
public final class JsonValues {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonValues() {
    }

    /** A plain Java value for a tree; {@code null} for JSON null. */
    public static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> m.put(e.getKey(), toJava(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(toJava(x)));
            return l;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    /** Parses JSON text into a plain Java value. */
    public static Object parse(String json) throws com.fasterxml.jackson.core.JsonProcessingException {
        return toJava(MAPPER.readTree(json));
    }

    /** Compact JSON for a plain Java value. */
    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Argo's text for a value: strings as they are, whole numbers without a fraction, the rest as JSON. */
    public static String text(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return toJson(value);
    }
}
