package dev.weft.engine.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The common {@code sprig.*} functions (Masterminds sprig, as Argo exposes them). Sprig's conventions are kept:
 * the value being worked on is the <em>last</em> argument ({@code sprig.replace(old, new, s)}), conversions are
 * forgiving ({@code sprig.int('x')} is 0) and integer maths gives int64.
 */
final class SprigFunctions {

    private SprigFunctions() {
    }

    static Object call(FunctionCall c) {
        String name = c.name().substring("sprig.".length());
        switch (name) {
            // strings
            case "trim" -> {
                c.arity(1, 1);
                return str(c.arg(0)).strip();
            }
            case "trimAll" -> {
                c.arity(2, 2);
                return Strings.trimCutset(str(c.arg(1)), str(c.arg(0)));
            }
            case "trimPrefix" -> {
                c.arity(2, 2);
                return Strings.trimPrefix(str(c.arg(1)), str(c.arg(0)));
            }
            case "trimSuffix" -> {
                c.arity(2, 2);
                return Strings.trimSuffix(str(c.arg(1)), str(c.arg(0)));
            }
            case "upper" -> {
                c.arity(1, 1);
                return str(c.arg(0)).toUpperCase(Locale.ROOT);
            }
            case "lower" -> {
                c.arity(1, 1);
                return str(c.arg(0)).toLowerCase(Locale.ROOT);
            }
            case "title" -> {
                c.arity(1, 1);
                return title(str(c.arg(0)));
            }
            case "repeat" -> {
                c.arity(2, 2);
                return c.repeat(str(c.arg(1)), toInt64(c.arg(0)));
            }
            case "substr" -> {
                c.arity(3, 3);
                return substr((int) toInt64(c.arg(0)), (int) toInt64(c.arg(1)), str(c.arg(2)));
            }
            case "trunc" -> {
                c.arity(2, 2);
                return trunc((int) toInt64(c.arg(0)), str(c.arg(1)));
            }
            case "nospace" -> {
                c.arity(1, 1);
                return str(c.arg(0)).replaceAll("\\s+", "");
            }
            case "contains" -> {
                c.arity(2, 2);
                return str(c.arg(1)).contains(str(c.arg(0)));
            }
            case "hasPrefix" -> {
                c.arity(2, 2);
                return str(c.arg(1)).startsWith(str(c.arg(0)));
            }
            case "hasSuffix" -> {
                c.arity(2, 2);
                return str(c.arg(1)).endsWith(str(c.arg(0)));
            }
            case "replace" -> {
                c.arity(3, 3);
                return str(c.arg(2)).replace(str(c.arg(0)), str(c.arg(1)));
            }
            case "quote", "squote", "cat" -> {
                List<String> parts = new ArrayList<>();
                for (Object arg : c.args()) {
                    if (arg != null) {
                        String s = str(arg);
                        parts.add(switch (name) {
                            case "quote" -> ValueText.json(s);
                            case "squote" -> "'" + s + "'";
                            default -> s;
                        });
                    }
                }
                return String.join(" ", parts);
            }
            case "indent", "nindent" -> {
                c.arity(2, 2);
                String pad = c.repeat(" ", Math.min(toInt64(c.arg(0)), 10_000));
                String indented = pad + str(c.arg(1)).replace("\n", "\n" + pad);
                return name.equals("nindent") ? "\n" + indented : indented;
            }
            case "plural" -> {
                c.arity(3, 3);
                return toInt64(c.arg(2)) == 1 ? str(c.arg(0)) : str(c.arg(1));
            }
            case "splitList" -> {
                c.arity(2, 2);
                return Strings.split(str(c.arg(1)), str(c.arg(0)));
            }
            case "join" -> {
                c.arity(2, 2);
                Object v = c.arg(1);
                return v instanceof List<?> l ? Strings.join(l, str(c.arg(0))) : str(v);
            }
            case "b64enc" -> {
                c.arity(1, 1);
                return Base64.getEncoder().encodeToString(str(c.arg(0)).getBytes(StandardCharsets.UTF_8));
            }
            case "b64dec" -> {
                c.arity(1, 1);
                try {
                    return new String(Base64.getMimeDecoder().decode(str(c.arg(0)).strip()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw c.error("not valid base64: " + e.getMessage());
                }
            }
            case "sha256sum", "sha1sum" -> {
                c.arity(1, 1);
                return digest(name.equals("sha256sum") ? "SHA-256" : "SHA-1", str(c.arg(0)));
            }
            case "toString" -> {
                c.arity(1, 1);
                return str(c.arg(0));
            }
            case "toStrings" -> {
                c.arity(1, 1);
                List<Object> out = new ArrayList<>();
                for (Object o : c.list(0)) {
                    out.add(str(o));
                }
                return out;
            }
            case "toJson" -> {
                c.arity(1, 1);
                return ValueText.json(c.arg(0));
            }
            case "regexMatch" -> {
                c.arity(2, 2);
                return regex(c, str(c.arg(0))).matcher(str(c.arg(1))).find();
            }
            case "regexFind" -> {
                c.arity(2, 2);
                Matcher m = regex(c, str(c.arg(0))).matcher(str(c.arg(1)));
                return m.find() ? m.group() : "";
            }
            case "regexFindAll" -> {
                c.arity(3, 3);
                Matcher m = regex(c, str(c.arg(0))).matcher(str(c.arg(1)));
                long limit = toInt64(c.arg(2));
                List<Object> found = new ArrayList<>();
                while (m.find() && (limit < 0 || found.size() < limit)) {
                    found.add(m.group());
                }
                return found;
            }
            case "regexReplaceAll" -> {
                c.arity(3, 3);
                return regex(c, str(c.arg(0))).matcher(str(c.arg(1))).replaceAll(goReplacement(str(c.arg(2))));
            }
            case "regexReplaceAllLiteral" -> {
                c.arity(3, 3);
                return regex(c, str(c.arg(0))).matcher(str(c.arg(1))).replaceAll(Matcher.quoteReplacement(
                        str(c.arg(2))));
            }
            // conversions and defaults
            case "int", "int64", "atoi" -> {
                c.arity(1, 1);
                return toInt64(c.arg(0));
            }
            case "float64" -> {
                c.arity(1, 1);
                return toFloat64(c.arg(0));
            }
            case "default" -> {
                c.arity(1, 2);
                return c.count() == 1 || empty(c.arg(1)) ? c.arg(0) : c.arg(1);
            }
            case "empty" -> {
                c.arity(1, 1);
                return empty(c.arg(0));
            }
            case "coalesce" -> {
                for (Object arg : c.args()) {
                    if (!empty(arg)) {
                        return arg;
                    }
                }
                return null;
            }
            case "ternary" -> {
                c.arity(3, 3);
                if (!(c.arg(2) instanceof Boolean b)) {
                    throw c.error("the third argument must be a bool, not " + JsonValues.typeName(c.arg(2)));
                }
                return b ? c.arg(0) : c.arg(1);
            }
            // integer maths
            case "add" -> {
                long sum = 0;
                for (Object arg : c.args()) {
                    sum += toInt64(arg);
                }
                return sum;
            }
            case "add1" -> {
                c.arity(1, 1);
                return toInt64(c.arg(0)) + 1;
            }
            case "sub" -> {
                c.arity(2, 2);
                return toInt64(c.arg(0)) - toInt64(c.arg(1));
            }
            case "mul" -> {
                c.arity(1, Integer.MAX_VALUE);
                long product = 1;
                for (Object arg : c.args()) {
                    product *= toInt64(arg);
                }
                return product;
            }
            case "div", "mod" -> {
                c.arity(2, 2);
                long divisor = toInt64(c.arg(1));
                if (divisor == 0) {
                    throw c.error("integer divide by zero");
                }
                long a = toInt64(c.arg(0));
                return name.equals("div") ? a / divisor : a % divisor;
            }
            case "max", "biggest", "min" -> {
                c.arity(1, Integer.MAX_VALUE);
                boolean max = !name.equals("min");
                long best = toInt64(c.arg(0));
                for (Object arg : c.args()) {
                    long v = toInt64(arg);
                    best = max ? Math.max(best, v) : Math.min(best, v);
                }
                return best;
            }
            // float maths
            case "addf", "subf", "mulf", "divf", "maxf", "minf" -> {
                c.arity(1, Integer.MAX_VALUE);
                return floatFold(c, name);
            }
            case "floor" -> {
                c.arity(1, 1);
                return Math.floor(toFloat64(c.arg(0)));
            }
            case "ceil" -> {
                c.arity(1, 1);
                return Math.ceil(toFloat64(c.arg(0)));
            }
            case "round" -> {
                c.arity(2, 3);
                return round(toFloat64(c.arg(0)), toInt64(c.arg(1)), c.count() == 3 ? toFloat64(c.arg(2)) : 0.5);
            }
            // lists
            case "list" -> {
                return new ArrayList<>(c.args());
            }
            case "until" -> {
                c.arity(1, 1);
                long n = toInt64(c.arg(0));
                if (Math.abs(n) > 1_000_000) {
                    throw c.error("count " + n + " is too large");
                }
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < Math.abs(n); i++) {
                    out.add(n < 0 ? -i : i);
                }
                return out;
            }
            case "first", "last", "rest", "initial", "uniq", "compact", "sortAlpha", "reverse" -> {
                c.arity(1, 1);
                return listFunction(name, c.list(0));
            }
            case "append", "push" -> {
                c.arity(2, 2);
                List<Object> out = new ArrayList<>(c.list(0));
                out.add(c.arg(1));
                return out;
            }
            case "prepend" -> {
                c.arity(2, 2);
                List<Object> out = new ArrayList<>();
                out.add(c.arg(1));
                out.addAll(c.list(0));
                return out;
            }
            case "concat" -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < c.count(); i++) {
                    out.addAll(c.list(i));
                }
                return out;
            }
            case "has" -> {
                c.arity(2, 2);
                for (Object item : c.list(1)) {
                    if (JsonValues.equal(item, c.arg(0))) {
                        return true;
                    }
                }
                return false;
            }
            case "without" -> {
                c.arity(1, Integer.MAX_VALUE);
                List<Object> out = new ArrayList<>();
                for (Object item : c.list(0)) {
                    boolean omitted = false;
                    for (Object omit : c.args().subList(1, c.count())) {
                        omitted |= JsonValues.equal(item, omit);
                    }
                    if (!omitted) {
                        out.add(item);
                    }
                }
                return out;
            }
            // dicts
            case "dict" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < c.count(); i += 2) {
                    out.put(str(c.arg(i)), i + 1 < c.count() ? c.arg(i + 1) : "");
                }
                return out;
            }
            case "get" -> {
                c.arity(2, 2);
                Object v = dict(c, 0).get(str(c.arg(1)));
                return v == null ? "" : v;
            }
            case "hasKey" -> {
                c.arity(2, 2);
                return dict(c, 0).containsKey(str(c.arg(1)));
            }
            case "keys" -> {
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < c.count(); i++) {
                    out.addAll(dict(c, i).keySet());
                }
                return out;
            }
            case "values" -> {
                c.arity(1, 1);
                return new ArrayList<Object>(dict(c, 0).values());
            }
            case "env", "expandenv" -> throw c.error("is disabled, as in Argo");
            default -> throw c.error("unknown sprig function");
        }
    }

    /** Sprig's {@code strval}: strings as they are, everything else as Go's {@code %v} would print it. */
    static String str(Object value) {
        return value == null ? "<nil>" : ValueText.render(value);
    }

    /** Sprig's {@code toInt64} (spf13/cast): forgiving, 0 when the value cannot be read as a number. */
    static long toInt64(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Double d) {
            return d.longValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            String t = s.strip();
            // cast trims a zero decimal part: "3.0" is 3
            t = t.replaceFirst("^([+-]?\\d+)\\.0*$", "$1");
            try {
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    return Long.parseLong(t.substring(2), 16);
                }
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Sprig's {@code toFloat64}: forgiving, 0 when the value cannot be read as a number. */
    static double toFloat64(Object value) {
        if (JsonValues.isNumber(value)) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Sprig's {@code empty}: nil, zero numbers, false, and empty strings, lists and maps. */
    static boolean empty(Object value) {
        if (value == null) {
            return true;
        }
        if (value instanceof String s) {
            return s.isEmpty();
        }
        if (value instanceof Boolean b) {
            return !b;
        }
        if (JsonValues.isNumber(value)) {
            return ((Number) value).doubleValue() == 0;
        }
        if (value instanceof List<?> l) {
            return l.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return false;
    }

    private static Object listFunction(String name, List<?> list) {
        List<Object> items = new ArrayList<>(list);
        switch (name) {
            case "first" -> {
                return items.isEmpty() ? null : items.get(0);
            }
            case "last" -> {
                return items.isEmpty() ? null : items.get(items.size() - 1);
            }
            case "rest" -> {
                return items.isEmpty() ? items : new ArrayList<>(items.subList(1, items.size()));
            }
            case "initial" -> {
                return items.isEmpty() ? items : new ArrayList<>(items.subList(0, items.size() - 1));
            }
            case "uniq" -> {
                List<Object> out = new ArrayList<>();
                for (Object item : items) {
                    if (out.stream().noneMatch(o -> JsonValues.equal(o, item))) {
                        out.add(item);
                    }
                }
                return out;
            }
            case "compact" -> {
                items.removeIf(SprigFunctions::empty);
                return items;
            }
            case "sortAlpha" -> {
                List<Object> out = new ArrayList<>();
                items.forEach(i -> out.add(str(i)));
                out.sort((a, b) -> ((String) a).compareTo((String) b));
                return out;
            }
            default -> {
                Collections.reverse(items);
                return items;
            }
        }
    }

    private static Map<?, ?> dict(FunctionCall c, int i) {
        if (c.arg(i) instanceof Map<?, ?> m) {
            return m;
        }
        throw c.error("argument " + (i + 1) + " must be a dict, not " + JsonValues.typeName(c.arg(i)));
    }

    private static Object floatFold(FunctionCall c, String name) {
        // sprig does these with decimals, so 0.1 + 0.2 is 0.3
        BigDecimal acc = BigDecimal.valueOf(toFloat64(c.arg(0)));
        for (Object arg : c.args().subList(1, c.count())) {
            BigDecimal v = BigDecimal.valueOf(toFloat64(arg));
            acc = switch (name) {
                case "addf" -> acc.add(v);
                case "subf" -> acc.subtract(v);
                case "mulf" -> acc.multiply(v);
                case "divf" -> {
                    if (v.signum() == 0) {
                        throw c.error("division by zero");
                    }
                    yield acc.divide(v, MathContext.DECIMAL64);
                }
                case "maxf" -> acc.max(v);
                default -> acc.min(v);
            };
        }
        return acc.doubleValue();
    }

    private static double round(double value, long places, double roundOn) {
        double pow = Math.pow(10, places);
        double digit = pow * value;
        double fraction = digit - (long) digit;
        return (fraction >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
    }

    private static String substr(int start, int end, String s) {
        if (start < 0) {
            return s.substring(0, Math.max(0, Math.min(end, s.length())));
        }
        if (start > s.length()) {
            return "";
        }
        if (end < 0 || end > s.length()) {
            return s.substring(start);
        }
        return s.substring(start, Math.max(start, end));
    }

    private static String trunc(int count, String s) {
        if (count >= 0 && s.length() > count) {
            return s.substring(0, count);
        }
        if (count < 0 && s.length() > -count) {
            return s.substring(s.length() + count);
        }
        return s;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean startOfWord = true;
        for (char ch : s.toCharArray()) {
            out.append(startOfWord ? Character.toTitleCase(ch) : ch);
            startOfWord = Character.isWhitespace(ch);
        }
        return out.toString();
    }

    private static Pattern regex(FunctionCall c, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw c.error("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    /** Go writes group references as $1 or ${1}; Java understands only $1 for numbers. */
    private static String goReplacement(String replacement) {
        return replacement.replaceAll("\\$\\{(\\d+)}", "\\$$1");
    }

    private static String digest(String algorithm, String text) {
        try {
            byte[] hash = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
