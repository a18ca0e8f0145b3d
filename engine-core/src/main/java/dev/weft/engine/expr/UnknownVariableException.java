package dev.weft.engine.expr;

/**
 * A variable that the {@link VariableResolver} does not know. Kept apart from other errors because
 * {@link Expressions#substitutePartially} leaves such references in place for a later pass.
 */
final class UnknownVariableException extends ExpressionException {

    private static final long serialVersionUID = 1L;

    private final String variable;

    UnknownVariableException(String expression, int position, String variable) {
        super(expression, position, "unknown variable '" + variable + "'");
        this.variable = variable;
    }

    /** The dotted name that could not be resolved. */
    String variable() {
        return variable;
    }
}
