package dev.weft.engine.expr;

/**
 * Argo's expression languages, in one place:
 * <ul>
 *   <li>{@code {{...}}} substitution of variables in any string field, and the {@code {{= expr}}} form (expr-lang
 *       style: comparisons, {@code &&}/{@code ||}/{@code !}, ternary, {@code jsonpath(json, path)},
 *       {@code asInt}, {@code asFloat}, {@code string}, {@code toJson}, {@code sprig.*} for the common cases);</li>
 *   <li>{@code when} conditions in govaluate form (after substitution);</li>
 *   <li>{@code depends} expressions.</li>
 * </ul>
 * Implementations are stateless and thread-safe. Every error is an {@link ExpressionException} naming the expression
 * and the position.
 */
public interface Expressions {

    /**
     * Replaces every {@code {{name}}} and {@code {{= expr}}} in {@code text}. Whitespace inside the braces is
     * ignored ({@code {{ item }}} works).
     *
     * @throws ExpressionException when a variable is not defined in {@code vars} or an expression is malformed
     */
    String substitute(String text, VariableResolver vars);

    /**
     * Like {@link #substitute} but leaves a {@code {{name}}} whose variable is unknown as it is. Used where Argo
     * substitutes in several passes (e.g. workflow-level fields before task outputs exist).
     */
    String substitutePartially(String text, VariableResolver vars);

    /**
     * Evaluates a {@code when} condition: substitutes variables, then evaluates the result as a govaluate
     * expression (comparisons {@code == != < <= > >=}, {@code &&}, {@code ||}, {@code !}, {@code =~} regex match,
     * parentheses, numbers, quoted strings, and bare words as strings).
     *
     * @throws ExpressionException when the condition is malformed or does not give a boolean
     */
    boolean evaluateWhen(String when, VariableResolver vars);

    /**
     * Evaluates a {@code {{= ...}}} body (without the braces), e.g. for {@code retryStrategy.expression} or
     * {@code fromExpression}; returns a JSON-like value.
     */
    Object evaluate(String expression, VariableResolver vars);

    /**
     * Parses a {@code depends} expression.
     *
     * @throws ExpressionException when it is malformed (names the position) or uses an unknown result name
     */
    DependsExpression parseDepends(String depends);
}
