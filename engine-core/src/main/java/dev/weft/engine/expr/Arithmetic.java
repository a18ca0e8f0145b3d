package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic and ordering over the JSON-like model, with expr-lang's rules: int op int stays int (except
 * {@code /}, which always gives a float), a float on either side gives a float, {@code +} also joins strings and
 * arrays, {@code %} needs ints.
 */
final class Arithmetic {

    /** Builds the error for a node; lets both languages report positions their own way. */
    @FunctionalInterface
    interface Errors<N> {
        ExpressionException at(N node, String problem);
    }

    private Arithmetic() {
    }

    static <N> Object apply(String op, Object left, Object right, Errors<N> errors, N at) {
        if (op.equals("+")) {
            if (left instanceof String a && right instanceof String b) {
                return a + b;
            }
            if (left instanceof List<?> a && right instanceof List<?> b) {
                List<Object> joined = new ArrayList<>(a);
                joined.addAll(b);
                return joined;
            }
        }
        if (!JsonValues.isNumber(left) || !JsonValues.isNumber(right)) {
            throw errors.at(at, "invalid operation: " + JsonValues.typeName(left) + " " + op + " "
                    + JsonValues.typeName(right));
        }
        if (left instanceof Long a && right instanceof Long b) {
            switch (op) {
                case "+":
                    return a + b;
                case "-":
                    return a - b;
                case "*":
                    return a * b;
                case "%":
                    if (b == 0) {
                        throw errors.at(at, "integer divide by zero");
                    }
                    return a % b;
                default:
                    break;
            }
        }
        double a = ((Number) left).doubleValue();
        double b = ((Number) right).doubleValue();
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "**", "^" -> Math.pow(a, b);
            case "%" -> throw errors.at(at, "invalid operation: " + JsonValues.typeName(left) + " % "
                    + JsonValues.typeName(right) + " (% needs ints)");
            default -> throw errors.at(at, "unknown operator '" + op + "'");
        };
    }

    /** Orders two numbers or two strings. */
    static <N> int compare(Object left, Object right, String op, Errors<N> errors, N at) {
        if (JsonValues.isNumber(left) && JsonValues.isNumber(right)) {
            if (left instanceof Long a && right instanceof Long b) {
                return Long.compare(a, b);
            }
            double a = ((Number) left).doubleValue();
            double b = ((Number) right).doubleValue();
            return a < b ? -1 : a > b ? 1 : 0;
        }
        if (left instanceof String a && right instanceof String b) {
            return a.compareTo(b);
        }
        throw errors.at(at, "invalid operation: " + JsonValues.typeName(left) + " " + op + " "
                + JsonValues.typeName(right));
    }
}
