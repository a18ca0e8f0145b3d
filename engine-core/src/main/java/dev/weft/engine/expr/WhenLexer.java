package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a substituted {@code when} condition into tokens the way govaluate does, with Argo's twist that a bare
 * word (govaluate's "variable") is a string: {@code heads == heads} compares two strings. Numbers are floats, as
 * in govaluate; {@code true}/{@code false} are booleans; {@code [any text]} is govaluate's escaped name, so a string.
 */
final class WhenLexer {

    /** Token kinds. */
    enum Kind {
        NUMBER, STRING, BOOLEAN, OPERATOR, EOF
    }

    /**
     * @param value the number, string or boolean; null for operators and EOF
     * @param text  the token as written
     */
    record Token(Kind kind, String text, Object value, int pos) {

        boolean isOperator(String op) {
            return kind == Kind.OPERATOR && text.equals(op);
        }

        String describe() {
            return kind == Kind.EOF ? "end of condition" : "'" + text + "'";
        }
    }

    private static final String[] OPERATORS = {
        "==", "!=", ">=", "<=", "=~", "!~", "&&", "||", "**", "<<", ">>", "??",
        ">", "<", "!", "+", "-", "*", "/", "%", "?", ":", "(", ")", ",", "&", "|", "^", "~",
    };

    private final String src;
    private int pos;

    private WhenLexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String source) {
        return new WhenLexer(source).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
            if (pos >= src.length()) {
                tokens.add(new Token(Kind.EOF, "", null, pos));
                return tokens;
            }
            char c = src.charAt(pos);
            int start = pos;
            if (Character.isDigit(c)) {
                while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                    pos++;
                }
                String text = src.substring(start, pos);
                try {
                    tokens.add(new Token(Kind.NUMBER, text, Double.parseDouble(text), start));
                } catch (NumberFormatException e) {
                    throw new ExpressionException(src, start, "invalid number '" + text + "'");
                }
            } else if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && isWordPart(src.charAt(pos))) {
                    pos++;
                }
                String word = src.substring(start, pos);
                switch (word) {
                    case "true", "false" -> tokens.add(new Token(Kind.BOOLEAN, word, Boolean.valueOf(word), start));
                    case "in" -> tokens.add(new Token(Kind.OPERATOR, word, null, start));
                    default -> tokens.add(new Token(Kind.STRING, word, word, start));
                }
            } else if (c == '\'' || c == '"') {
                tokens.add(quoted(c));
            } else if (c == '[') {
                int end = src.indexOf(']', pos);
                if (end < 0) {
                    throw new ExpressionException(src, start, "unclosed '['");
                }
                String name = src.substring(start + 1, end);
                pos = end + 1;
                tokens.add(new Token(Kind.STRING, src.substring(start, pos), name, start));
            } else {
                tokens.add(operator());
            }
        }
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private Token quoted(char quote) {
        int start = pos++;
        StringBuilder out = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == quote) {
                return new Token(Kind.STRING, src.substring(start, pos), out.toString(), start);
            }
            if (c == '\\' && pos < src.length()) {
                // govaluate keeps the escaped character as it is
                out.append(src.charAt(pos++));
            } else {
                out.append(c);
            }
        }
        throw new ExpressionException(src, start, "unclosed quote");
    }

    private Token operator() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                Token token = new Token(Kind.OPERATOR, op, null, pos);
                pos += op.length();
                return token;
            }
        }
        throw new ExpressionException(src, pos, "invalid token '" + src.charAt(pos)
                + "' (hint: put values with special characters in quotes)");
    }
}
