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
        super(problem + " in " + excerpt(expression, position) + (position >= 0 ? " at position " + position : ""));
        this.expression = expression;
        this.position = position;
    }

    /** Longest expression quoted whole in the message; a long script is shown only around the problem. */
    static final int MAX_QUOTED = 160;

    private static final int CONTEXT = 60;

    /**
     * The expression in quotes, or for a long text (a whole script, say) the part around the position, so that
     * messages stay readable; {@link #expression()} always has the whole text.
     */
    private static String excerpt(String expression, int position) {
        if (expression == null) {
            return "''";
        }
        if (expression.length() <= MAX_QUOTED) {
            return "'" + expression + "'";
        }
        int center = Math.max(0, Math.min(position, expression.length()));
        int from = position < 0 ? 0 : Math.max(0, center - CONTEXT);
        int to = Math.min(expression.length(), (position < 0 ? 0 : center) + CONTEXT * (position < 0 ? 2 : 1));
        return "'" + (from > 0 ? "..." : "") + expression.substring(from, to)
                + (to < expression.length() ? "..." : "") + "'";
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
