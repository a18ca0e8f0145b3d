package dev.weft.engine.expr;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The functions available in {@code {{= ...}}} without a namespace: Argo's own ({@code asInt}, {@code asFloat},
 * {@code string}, {@code toJson}, {@code jsonpath}) and the common expr-lang built-ins ({@code len}, {@code int},
 * {@code float}, {@code upper}, {@code lower}, {@code trim}, {@code split}, {@code join}, ...). {@code map},
 * {@code filter} and the other predicate functions live in {@link ExprEvaluator}.
 */
final class ExprFunctions {

    /** JSONPath over plain Java maps and lists (as Jackson reads them); immutable and thread-safe. */
    private static final Configuration JSON_PATH = Configuration.builder()
            .jsonProvider(new JacksonJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .build();

    private ExprFunctions() {
    }

    static Object call(FunctionCall c) {
        switch (c.name()) {
            case "asInt" -> {
                c.arity(1, 1);
                return asInt(c);
            }
            case "asFloat" -> {
                c.arity(1, 1);
                return asFloat(c);
            }
            case "string" -> {
                c.arity(1, 1);
                return SprigFunctions.str(c.arg(0));
            }
            case "toJson" -> {
                c.arity(1, 1);
                return ValueText.json(c.arg(0));
            }
            case "fromJson", "fromJSON" -> {
                c.arity(1, 1);
                String text = c.string(0);
                return JsonValues.parse(text).orElseThrow(() -> c.error("not valid JSON: '" + text + "'"));
            }
            case "jsonpath" -> {
                c.arity(2, 2);
                return jsonPath(c);
            }
            case "len" -> {
                c.arity(1, 1);
                Object v = c.arg(0);
                if (v instanceof String s) {
                    return (long) s.codePointCount(0, s.length());
                }
                if (v instanceof List<?> l) {
                    return (long) l.size();
                }
                if (v instanceof Map<?, ?> m) {
                    return (long) m.size();
                }
                throw c.error("cannot take the length of " + JsonValues.typeName(v));
            }
            case "int" -> {
                c.arity(1, 1);
                return asInt(c);
            }
            case "float" -> {
                c.arity(1, 1);
                return asFloat(c);
            }
            case "type" -> {
                c.arity(1, 1);
                return JsonValues.typeName(c.arg(0));
            }
            case "upper" -> {
                c.arity(1, 1);
                return c.string(0).toUpperCase(java.util.Locale.ROOT);
            }
            case "lower" -> {
                c.arity(1, 1);
                return c.string(0).toLowerCase(java.util.Locale.ROOT);
            }
            case "trim" -> {
                c.arity(1, 2);
                return c.count() == 1 ? c.string(0).strip() : Strings.trimCutset(c.string(0), c.string(1));
            }
            case "trimPrefix" -> {
                c.arity(2, 2);
                return Strings.trimPrefix(c.string(0), c.string(1));
            }
            case "trimSuffix" -> {
                c.arity(2, 2);
                return Strings.trimSuffix(c.string(0), c.string(1));
            }
            case "hasPrefix" -> {
                c.arity(2, 2);
                return c.string(0).startsWith(c.string(1));
            }
            case "hasSuffix" -> {
                c.arity(2, 2);
                return c.string(0).endsWith(c.string(1));
            }
            case "indexOf" -> {
                c.arity(2, 2);
                return (long) c.string(0).indexOf(c.string(1));
            }
            case "replace" -> {
                c.arity(3, 3);
                return c.string(0).replace(c.string(1), c.string(2));
            }
            case "repeat" -> {
                c.arity(2, 2);
                return c.repeat(c.string(0), c.integer(1));
            }
            case "split" -> {
                c.arity(2, 2);
                return Strings.split(c.string(0), c.string(1));
            }
            case "join" -> {
                c.arity(1, 2);
                return Strings.join(c.list(0), c.count() == 2 ? c.string(1) : "");
            }
            case "toBase64" -> {
                c.arity(1, 1);
                return Base64.getEncoder().encodeToString(c.string(0).getBytes(StandardCharsets.UTF_8));
            }
            case "fromBase64" -> {
                c.arity(1, 1);
                try {
                    return new String(Base64.getDecoder().decode(c.string(0)), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw c.error("not valid base64");
                }
            }
            case "abs" -> {
                c.arity(1, 1);
                return c.arg(0) instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(c.number(0));
            }
            case "ceil" -> {
                c.arity(1, 1);
                return Math.ceil(c.number(0));
            }
            case "floor" -> {
                c.arity(1, 1);
                return Math.floor(c.number(0));
            }
            case "round" -> {
                c.arity(1, 1);
                return (double) Math.round(c.number(0));
            }
            case "max", "min" -> {
                c.arity(1, Integer.MAX_VALUE);
                return extreme(c, c.name().equals("max"));
            }
            case "first" -> {
                c.arity(1, 1);
                List<?> l = c.list(0);
                return l.isEmpty() ? null : l.get(0);
            }
            case "last" -> {
                c.arity(1, 1);
                List<?> l = c.list(0);
                return l.isEmpty() ? null : l.get(l.size() - 1);
            }
            case "reverse" -> {
                c.arity(1, 1);
                List<Object> copy = new ArrayList<>(c.list(0));
                Collections.reverse(copy);
                return copy;
            }
            case "keys", "values" -> {
                c.arity(1, 1);
                if (!(c.arg(0) instanceof Map<?, ?> m)) {
                    throw c.error("needs a map, not " + JsonValues.typeName(c.arg(0)));
                }
                return new ArrayList<Object>(c.name().equals("keys") ? m.keySet() : m.values());
            }
            default -> throw c.error("unknown function");
        }
    }

    private static Object extreme(FunctionCall c, boolean max) {
        List<?> values = c.count() == 1 && !JsonValues.isNumber(c.arg(0)) ? c.list(0) : c.args();
        if (values.isEmpty()) {
            throw c.error("needs at least one value");
        }
        Object best = null;
        for (Object v : values) {
            if (!JsonValues.isNumber(v)) {
                throw c.error("needs numbers, not " + JsonValues.typeName(v));
            }
            if (best == null) {
                best = v;
                continue;
            }
            double d = ((Number) v).doubleValue();
            double b = ((Number) best).doubleValue();
            if (max ? d > b : d < b) {
                best = v;
            }
        }
        return best;
    }

    /** Argo's {@code asInt}: truncates floats, parses decimal strings. */
    private static Object asInt(FunctionCall c) {
        Object v = c.arg(0);
        if (v instanceof Long) {
            return v;
        }
        if (v instanceof Double d) {
            return d.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw c.error("cannot convert '" + s + "' to int");
            }
        }
        throw c.error("cannot convert " + JsonValues.typeName(v) + " to int");
    }

    private static Object asFloat(FunctionCall c) {
        Object v = c.arg(0);
        if (JsonValues.isNumber(v)) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw c.error("cannot convert '" + s + "' to float");
            }
        }
        throw c.error("cannot convert " + JsonValues.typeName(v) + " to float");
    }

    /**
     * Argo's {@code jsonpath(json, path)}: parses the JSON text and applies the path with Jayway JsonPath. Definite
     * paths give the value, indefinite ones (filters, wildcards, slices) a list.
     */
    private static Object jsonPath(FunctionCall c) {
        Object document = c.arg(0);
        if (document instanceof String text) {
            Optional<Object> parsed = JsonValues.parse(text);
            if (parsed.isEmpty()) {
                throw c.error("the first argument is not valid JSON: '" + text + "'");
            }
            document = parsed.get();
        }
        String path = c.string(1);
        try {
            Object result = JsonPath.using(JSON_PATH).parse(document).read(path);
            return JsonValues.normalize(result);
        } catch (PathNotFoundException e) {
            throw c.error("JSONPath '" + path + "' found nothing: " + e.getMessage());
        } catch (InvalidPathException e) {
            throw c.error("invalid JSONPath '" + path + "': " + e.getMessage());
        } catch (JsonPathException | IllegalArgumentException | ClassCastException e) {
            throw c.error("JSONPath '" + path + "' failed: " + e.getMessage());
        }
    }
}
