package dev.weft.engine.expr;

import dev.weft.engine.expr.TemplateScanner.ExpressionTag;
import dev.weft.engine.expr.TemplateScanner.Literal;
import dev.weft.engine.expr.TemplateScanner.Segment;
import dev.weft.engine.expr.TemplateScanner.SimpleTag;
import java.util.Optional;

/**
 * Weft's implementation of Argo's expression languages. Stateless and thread-safe: every call works only on its
 * arguments.
 *
 * <ul>
 *   <li>{@code {{name}}}: the variable from the {@link VariableResolver}; when the resolver does not know the whole
 *       dotted name, a known prefix whose value is a map, list or JSON text is walked into (so {@code item.key}
 *       works on a map item). Non-string values are rendered as JSON (integral numbers without {@code .0}).</li>
 *   <li>{@code {{= expr}}}: the expr-lang subset Argo workflows use, with Argo's functions ({@code asInt},
 *       {@code asFloat}, {@code string}, {@code toJson}, {@code jsonpath} via Jayway JsonPath), the common
 *       expr-lang built-ins ({@code map}, {@code filter}, {@code len}, ...) and the common {@code sprig.*}
 *       functions. A nil result is an error.</li>
 *   <li>{@code when}: substitution, then govaluate with bare words as strings.</li>
 *   <li>{@code depends}: Argo's task-result logic.</li>
 * </ul>
 */
public final class DefaultExpressions implements Expressions {

    /** Creates the (stateless) expression engine. */
    public DefaultExpressions() {
        // nothing to set up: every method works only on its arguments
    }

    /**
     * {@inheritDoc}
     *
     * <p>A null text gives null, so absent optional fields can be passed through unchanged.
     */
    @Override
    public String substitute(String text, VariableResolver vars) {
        return substitute(text, vars, true);
    }

    @Override
    public String substitutePartially(String text, VariableResolver vars) {
        return substitute(text, vars, false);
    }

    private String substitute(String text, VariableResolver vars, boolean strict) {
        if (text == null || !TemplateScanner.hasTags(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (Segment segment : TemplateScanner.scan(text, strict)) {
            if (segment instanceof Literal literal) {
                out.append(literal.text());
            } else if (segment instanceof SimpleTag tag) {
                Optional<Object> value = VariableLookup.find(tag.name(), vars);
                if (value.isPresent()) {
                    out.append(ValueText.render(value.get()));
                } else if (strict) {
                    throw new UnknownVariableException(text, tag.start(), tag.name());
                } else {
                    out.append(tag.raw());
                }
            } else {
                ExpressionTag tag = (ExpressionTag) segment;
                out.append(expressionTag(tag, vars, strict));
            }
        }
        return out.toString();
    }

    private String expressionTag(ExpressionTag tag, VariableResolver vars, boolean strict) {
        Object result;
        try {
            result = evaluateExpression(tag.body(), vars);
        } catch (UnknownVariableException e) {
            if (strict) {
                throw e;
            }
            return tag.raw();
        }
        if (result == null) {
            if (strict) {
                throw new ExpressionException(tag.body(), -1, "expression gave nil");
            }
            return tag.raw();
        }
        return ValueText.render(result);
    }

    /**
     * {@inheritDoc}
     *
     * <p>An absent or blank condition is true, as in Argo.
     */
    @Override
    public boolean evaluateWhen(String when, VariableResolver vars) {
        if (when == null || when.isBlank()) {
            return true;
        }
        String condition = substitute(when, vars, true);
        try {
            return WhenCondition.evaluate(condition);
        } catch (StackOverflowError e) {
            throw new ExpressionException(condition, -1, "condition too complex to evaluate");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code {{...}}} tags inside the expression are substituted first, as Argo substitutes the whole template
     * before it evaluates, e.g. {@code asInt(lastRetry.exitCode) > 1 && {{inputs.parameters.safe}} == true}
     * (expr-lang itself has no double braces). The result is a {@code String}, {@code Long}, {@code Double},
     * {@code Boolean}, {@code List}, {@code Map} or {@code null} (expr-lang's {@code nil}).
     */
    @Override
    public Object evaluate(String expression, VariableResolver vars) {
        return evaluateExpression(substitute(expression, vars, true), vars);
    }

    private static Object evaluateExpression(String expression, VariableResolver vars) {
        if (expression == null) {
            throw new ExpressionException("", 0, "empty expression");
        }
        try {
            return new ExprEvaluator(expression, vars).evaluate(ExprParser.parse(expression));
        } catch (StackOverflowError e) {
            // nesting is bounded while parsing, but a very long operator chain still builds a deep tree
            throw new ExpressionException(expression, -1, "expression too complex to evaluate");
        }
    }

    @Override
    public DependsExpression parseDepends(String depends) {
        return new ParsedDepends(depends, DependsParser.parse(depends));
    }
}
