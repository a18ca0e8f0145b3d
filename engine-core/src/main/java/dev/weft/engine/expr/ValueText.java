package dev.weft.engine.expr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders model values as text: strings as they are, integral numbers without {@code .0}, other numbers in their
 * shortest form (as Go prints them, since Argo is written in Go), lists and maps as compact JSON with map keys
 * sorted, as Go's {@code json.Marshal} (and so Argo's {@code {{item}}} and {@code toJson}) writes them.
 */
final class ValueText {

    private ValueText() {
    }

    /** The text a value is substituted as. */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof Map || value instanceof List) {
            return json(value);
        }
        return scalar(value);
    }

    /** Compact JSON for the value, map keys sorted. */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        writeJson(value, out);
        return out.toString();
    }

    private static void writeJson(Object value, StringBuilder out) {
        if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Map<?, ?> map) {
            List<Object> keys = new ArrayList<>(map.keySet());
            keys.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            out.append('{');
            boolean first = true;
            for (Object key : keys) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(String.valueOf(key), out);
                out.append(':');
                writeJson(map.get(key), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeJson(list.get(i), out);
            }
            out.append(']');
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            // JSON has no spelling for these; a string keeps the output valid JSON
            quote(scalar(d), out);
        } else {
            out.append(scalar(value));
        }
    }

    private static String scalar(Object value) {
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        if (value instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        return String.valueOf(value);
    }

    /** Go's shortest formatting: plain notation for 1e-6 <= |d| < 1e21, exponent notation outside. */
    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        double abs = Math.abs(d);
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return exact.toPlainString();
        }
        // e.g. 1e+21, 1.5e-07 like Go's strconv 'g' with shortest precision
        String unscaled = exact.unscaledValue().abs().toString();
        int exponent = unscaled.length() - 1 - exact.scale();
        String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
        String sign = d < 0 ? "-" : "";
        String expSign = exponent < 0 ? "-" : "+";
        int expAbs = Math.abs(exponent);
        return sign + mantissa + "e" + expSign + (expAbs < 10 ? "0" : "") + expAbs;
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
