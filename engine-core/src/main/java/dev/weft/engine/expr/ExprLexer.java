package dev.weft.engine.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits an expr-lang expression into {@link ExprToken}s. */
final class ExprLexer {

    private static final String[] OPERATORS = {
        "?.", "??", "**", "==", "!=", "<=", ">=", "&&", "||", "..",
        "+", "-", "*", "/", "%", "^", "<", ">", "!", "?", ":", ",", ".", "(", ")", "[", "]", "{", "}", "|",
    };

    private final String src;
    private int pos;

    private ExprLexer(String src) {
        this.src = src;
    }

    static List<ExprToken> tokenize(String source) {
        return new ExprLexer(source).run();
    }

    private List<ExprToken> run() {
        List<ExprToken> tokens = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                tokens.add(new ExprToken(ExprToken.Kind.EOF, "", null, pos));
                return tokens;
            }
            char c = src.charAt(pos);
            if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))
                    && !previousIsValue(tokens))) {
                tokens.add(number());
            } else if (c == '\'' || c == '"') {
                tokens.add(quoted(c));
            } else if (c == '`') {
                tokens.add(raw());
            } else if (isIdentStart(c)) {
                int start = pos;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                tokens.add(new ExprToken(ExprToken.Kind.IDENT, src.substring(start, pos), null, start));
            } else if (c == '#') {
                int start = pos++;
                while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                tokens.add(new ExprToken(ExprToken.Kind.POINTER, src.substring(start + 1, pos), null, start));
            } else {
                tokens.add(operator());
            }
        }
    }

    private boolean previousIsValue(List<ExprToken> tokens) {
        if (tokens.isEmpty()) {
            return false;
        }
        ExprToken last = tokens.get(tokens.size() - 1);
        return last.kind() == ExprToken.Kind.IDENT || last.isOperator(")") || last.isOperator("]");
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private ExprToken number() {
        int start = pos;
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
            pos += 2;
            while (pos < src.length() && (Character.digit(src.charAt(pos), 16) >= 0 || src.charAt(pos) == '_')) {
                pos++;
            }
            String digits = src.substring(start + 2, pos).replace("_", "");
            try {
                return new ExprToken(ExprToken.Kind.NUMBER, src.substring(start, pos), Long.parseLong(digits, 16),
                        start);
            } catch (NumberFormatException e) {
                throw new ExpressionException(src, start, "invalid number '" + src.substring(start, pos) + "'");
            }
        }
        boolean floating = false;
        digits();
        // "1..3" is a range, not the number "1." followed by ".3"
        if (pos < src.length() && src.charAt(pos) == '.' && !src.startsWith("..", pos)) {
            floating = true;
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                floating = true;
                digits();
            } else {
                pos = mark;
            }
        }
        String text = src.substring(start, pos);
        String clean = text.replace("_", "");
        try {
            Object value = floating ? (Object) Double.parseDouble(clean) : (Object) Long.parseLong(clean);
            return new ExprToken(ExprToken.Kind.NUMBER, text, value, start);
        } catch (NumberFormatException e) {
            throw new ExpressionException(src, start, "invalid number '" + text + "'");
        }
    }

    private void digits() {
        while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
    }

    private ExprToken quoted(char quote) {
        int start = pos++;
        StringBuilder out = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == quote) {
                return new ExprToken(ExprToken.Kind.STRING, src.substring(start, pos), out.toString(), start);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= src.length()) {
                break;
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case 'a' -> out.append('\u0007');
                case '0' -> out.append('\0');
                case 'u' -> {
                    if (pos + 4 > src.length()) {
                        throw new ExpressionException(src, pos - 2, "invalid \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw new ExpressionException(src, pos - 2, "invalid \\u escape");
                    }
                    pos += 4;
                }
                case '\\', '\'', '"', '/' -> out.append(e);
                default -> throw new ExpressionException(src, pos - 2, "invalid escape '\\" + e + "' in string");
            }
        }
        throw new ExpressionException(src, start, "unterminated string");
    }

    private ExprToken raw() {
        int start = pos;
        int end = src.indexOf('`', pos + 1);
        if (end < 0) {
            throw new ExpressionException(src, start, "unterminated string");
        }
        pos = end + 1;
        return new ExprToken(ExprToken.Kind.STRING, src.substring(start, pos), src.substring(start + 1, end), start);
    }

    private ExprToken operator() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                // "?.5" is a ternary followed by a number, not optional chaining
                if (op.equals("?.") && pos + 2 < src.length() && isDigit(src.charAt(pos + 2))) {
                    continue;
                }
                ExprToken token = new ExprToken(ExprToken.Kind.OPERATOR, op, null, pos);
                pos += op.length();
                return token;
            }
        }
        throw new ExpressionException(src, pos, "unexpected character '" + src.charAt(pos) + "'");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
