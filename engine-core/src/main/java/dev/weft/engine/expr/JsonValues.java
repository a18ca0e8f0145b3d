package dev.weft.engine.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON-like value model shared by the expression languages: {@code String}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code List}, {@code Map<String, Object>} and {@code null}. Values from resolvers and from JSON
 * text are normalised into it so that arithmetic and equality need to know only two number types.
 */
final class JsonValues {

    /** Thread-safe once configured; used only to read JSON text. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonValues() {
    }

    /** Converts any JSON-like Java value (Integer, BigDecimal, arrays of collections...) into the model. */
    static Object normalize(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
        }
        if (value instanceof BigDecimal dec) {
            return dec.doubleValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(normalize(v)));
            return copy;
        }
        if (value instanceof Object[] array) {
            List<Object> copy = new ArrayList<>(array.length);
            for (Object v : array) {
                copy.add(normalize(v));
            }
            return copy;
        }
        return value.toString();
    }

    /** Parses JSON text into the model; empty when the text is not valid JSON. */
    static Optional<Object> parse(String json) {
        try {
            return Optional.ofNullable(normalize(MAPPER.readValue(json, Object.class)));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Parses JSON text when it looks like an object or array (so plain words are never mistaken for JSON). */
    static Optional<Object> parseContainer(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return parse(trimmed);
        }
        return Optional.empty();
    }

    /** Whether the value is a number of the model. */
    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }

    /**
     * Equality as both expression languages use it: numbers compare by value whatever their type, lists and maps
     * element by element.
     */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Long x && b instanceof Long y) {
                return x.longValue() == y.longValue();
            }
            return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A short name of the value's type for error messages, in expr-lang's words. */
    static String typeName(Object value) {
        if (value == null) {
            return "nil";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }
}
