package dev.weft.engine.expr;

/**
 * One token of an expr-lang ({@code {{= ...}}}) expression.
 *
 * @param kind  what sort of token
 * @param text  operator or identifier text; for {@link Kind#POINTER} the name after {@code #} (often empty)
 * @param value the literal value of a number or string
 * @param pos   0-based offset in the expression
 */
record ExprToken(Kind kind, String text, Object value, int pos) {

    /** Token kinds. */
    enum Kind {
        NUMBER, STRING, IDENT, POINTER, OPERATOR, EOF
    }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOperator(String t) {
        return is(Kind.OPERATOR, t);
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of expression";
            case STRING -> "string " + text;
            case POINTER -> "'#" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
