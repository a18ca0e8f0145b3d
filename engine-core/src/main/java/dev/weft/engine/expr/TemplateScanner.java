package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into literal runs and {@code {{...}}} tags, as Argo's template engine does: a tag whose opening
 * braces are followed by {@code =} is an expression and ends at the first closing double brace outside string
 * literals and braces (so map literals may appear inside); any other tag ends at the first closing double brace.
 */
final class TemplateScanner {

    /** One piece of a scanned text. */
    sealed interface Segment permits Literal, SimpleTag, ExpressionTag {
    }

    /** Text copied as it is. */
    record Literal(String text) implements Segment {
    }

    /**
     * A {@code {{name}}} tag.
     *
     * @param raw  the whole tag including braces, for leaving it in place
     * @param name the variable name with surrounding whitespace removed
     */
    record SimpleTag(String raw, String name, int start) implements Segment {
    }

    /**
     * A {@code {{= expr}}} tag.
     *
     * @param raw  the whole tag including braces
     * @param body the expression after {@code =}
     */
    record ExpressionTag(String raw, String body, int start) implements Segment {
    }

    private TemplateScanner() {
    }

    /** Whether the text has anything to substitute at all (the cheap common case is no). */
    static boolean hasTags(String text) {
        return text.contains("{{");
    }

    /**
     * Scans {@code text}.
     *
     * @param strict whether an unterminated tag (opening double brace without a closing one) is an error;
     *               otherwise it is kept as literal text
     */
    static List<Segment> scan(String text, boolean strict) {
        List<Segment> segments = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int open = text.indexOf("{{", pos);
            if (open < 0) {
                segments.add(new Literal(text.substring(pos)));
                break;
            }
            if (open > pos) {
                segments.add(new Literal(text.substring(pos, open)));
            }
            boolean expression = open + 2 < text.length() && text.charAt(open + 2) == '=';
            int close = expression ? expressionEnd(text, open + 3) : text.indexOf("}}", open + 2);
            if (close < 0) {
                if (strict) {
                    throw new ExpressionException(text, open, "'{{' without a closing '}}'");
                }
                segments.add(new Literal(text.substring(open)));
                break;
            }
            String raw = text.substring(open, close + 2);
            if (expression) {
                segments.add(new ExpressionTag(raw, text.substring(open + 3, close), open));
            } else {
                segments.add(new SimpleTag(raw, text.substring(open + 2, close).strip(), open));
            }
            pos = close + 2;
        }
        return segments;
    }

    /** The index of the closing double brace of an expression whose body starts at {@code from}, or -1. */
    private static int expressionEnd(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '{' -> depth++;
                case '}' -> {
                    if (depth == 0 && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                        return i;
                    }
                    if (depth > 0) {
                        depth--;
                    }
                }
                default -> {
                    // other characters do not affect where the tag ends
                }
            }
        }
        // An unbalanced body: fall back to Argo's plain rule so the parser can report the real problem.
        return text.indexOf("}}", from);
    }
}
