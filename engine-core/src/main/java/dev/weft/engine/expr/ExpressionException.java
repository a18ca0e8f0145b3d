package dev.weft.engine.expr;

/**
 * A template or expression that cannot be parsed or evaluated. The message names the expression and, for parse
 * errors, the position (0-based character offset) where it went wrong.
 */
public class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String expression;
    private final int position;

    /**
     * @param expression the text being parsed or evaluated
     * @param position   0-based offset of the problem in {@code expression}, or -1 when not about one place
     * @param problem    what is wrong, in words
     */
    public ExpressionException(String expression, int position, String problem) {
        super(problem + " in '" + expression + "'" + (position >= 0 ? " at position " + position : ""));
        this.expression = expression;
        this.position = position;
    }

    /** The text that failed. */
    public String expression() {
        return expression;
    }

    /** 0-based offset of the problem, or -1. */
    public int position() {
        return position;
    }
}
