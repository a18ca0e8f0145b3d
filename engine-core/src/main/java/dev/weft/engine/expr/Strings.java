package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/** String helpers with Go's semantics, shared by the expr-lang built-ins and the sprig functions. */
final class Strings {

    private Strings() {
    }

    /** Go's {@code strings.Trim(s, cutset)}: removes leading and trailing characters found in {@code cutset}. */
    static String trimCutset(String s, String cutset) {
        int start = 0;
        int end = s.length();
        while (start < end && cutset.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && cutset.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    static String trimPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    static String trimSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    /** Go's {@code strings.Split}: an empty separator splits into characters; no regex. */
    static List<Object> split(String s, String separator) {
        List<Object> parts = new ArrayList<>();
        if (separator.isEmpty()) {
            s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
            return parts;
        }
        int from = 0;
        while (true) {
            int at = s.indexOf(separator, from);
            if (at < 0) {
                parts.add(s.substring(from));
                return parts;
            }
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
    }

    static String join(List<?> items, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(ValueText.render(items.get(i)));
        }
        return out.toString();
    }
}
