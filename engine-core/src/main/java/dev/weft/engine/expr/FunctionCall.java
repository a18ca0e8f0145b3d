package dev.weft.engine.expr;

import java.util.List;

/**
 * One call of a named function with its evaluated arguments, and what is needed to report a problem with it.
 *
 * @param name the function's name as written, e.g. {@code asInt} or {@code sprig.trim}
 * @param args evaluated arguments
 * @param src  the whole expression
 * @param pos  offset of the call in {@code src}
 */
record FunctionCall(String name, List<Object> args, String src, int pos) {

    ExpressionException error(String problem) {
        return new ExpressionException(src, pos, name + ": " + problem);
    }

    /** Largest string a function may build (repeat, ...), so a typo cannot exhaust the heap. */
    static final int MAX_RESULT_CHARS = 10 * 1024 * 1024;

    /** {@code text} repeated {@code count} times, refusing results beyond {@link #MAX_RESULT_CHARS}. */
    String repeat(String text, long count) {
        if (count <= 0 || text.isEmpty()) {
            return "";
        }
        if (count > MAX_RESULT_CHARS / text.length()) {
            throw error("result of " + count + " repetitions would exceed " + MAX_RESULT_CHARS + " characters");
        }
        return text.repeat((int) count);
    }

    Object arg(int i) {
        return args.get(i);
    }

    int count() {
        return args.size();
    }

    /** Fails unless the call has between {@code min} and {@code max} arguments. */
    void arity(int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw error("expects " + expected + " argument" + (max == 1 && min == 1 ? "" : "s") + ", got "
                    + args.size());
        }
    }

    String string(int i) {
        Object v = args.get(i);
        if (v instanceof String s) {
            return s;
        }
        throw error("argument " + (i + 1) + " must be a string, not " + JsonValues.typeName(v));
    }

    long integer(int i) {
        Object v = args.get(i);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        throw error("argument " + (i + 1) + " must be an int, not " + JsonValues.typeName(v));
    }

    double number(int i) {
        Object v = args.get(i);
        if (v instanceof Long || v instanceof Double) {
            return ((Number) v).doubleValue();
        }
        throw error("argument " + (i + 1) + " must be a number, not " + JsonValues.typeName(v));
    }

    List<?> list(int i) {
        Object v = args.get(i);
        if (v instanceof String text) {
            v = JsonValues.parseContainer(text).orElse(v);
        }
        if (v instanceof List<?> l) {
            return l;
        }
        throw error("argument " + (i + 1) + " must be an array, not " + JsonValues.typeName(v));
    }
}
