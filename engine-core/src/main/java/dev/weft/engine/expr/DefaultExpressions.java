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

    @Override
    public String substitute(String text, VariableResolver vars) {
        return substitute(text, vars, true);
    }

    @Override
    public String substitutePartially(String text, VariableResolver vars) {
        return substitute(text, vars, false);
    }

    private String substitute(String text, VariableResolver vars, boolean strict) {
        if (!TemplateScanner.hasTags(text)) {
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
        ExprNode tree = ExprParser.parse(tag.body());
        Object result;
        try {
            result = new ExprEvaluator(tag.body(), vars).evaluate(tree);
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

    @Override
    public boolean evaluateWhen(String when, VariableResolver vars) {
        return WhenCondition.evaluate(substitute(when, vars, true));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The result is a {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List},
     * {@code Map} or {@code null} (expr-lang's {@code nil}).
     */
    @Override
    public Object evaluate(String expression, VariableResolver vars) {
        return new ExprEvaluator(expression, vars).evaluate(ExprParser.parse(expression));
    }

    @Override
    public DependsExpression parseDepends(String depends) {
        return new ParsedDepends(depends, DependsParser.parse(depends));
    }
}
