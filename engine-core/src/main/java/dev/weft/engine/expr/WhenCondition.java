package dev.weft.engine.expr;

import dev.weft.engine.expr.WhenLexer.Kind;
import dev.weft.engine.expr.WhenLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses and evaluates a substituted {@code when} condition in govaluate's language, as Argo does: precedences from
 * loosest to tightest are {@code ?:}, {@code ||}, {@code &&}, comparisons ({@code == != < <= > >= =~ !~ in}),
 * {@code + -}, {@code * / %}, {@code **}, prefix {@code ! -}. Equality is strict about types (the number 1 is not
 * the string "1"); ordering needs two numbers or two strings; {@code =~} searches the left text with the right
 * regular expression.
 */
final class WhenCondition {

    /** A node of the parsed condition. */
    private sealed interface Node permits Value, Prefix, Infix, Choice, ListNode {
        int pos();
    }

    private record Value(Object value, int pos) implements Node {
    }

    private record Prefix(String op, Node operand, int pos) implements Node {
    }

    private record Infix(String op, Node left, Node right, int pos) implements Node {
    }

    private record Choice(Node cond, Node then, Node otherwise, int pos) implements Node {
    }

    /** {@code (a, b, c)}, the right side of {@code in}. */
    private record ListNode(List<Node> items, int pos) implements Node {
    }

    private final String src;
    private final List<Token> tokens;
    private int index;
    private final NestingGuard nesting;

    private WhenCondition(String src) {
        this.src = src;
        this.tokens = WhenLexer.tokenize(src);
        this.nesting = new NestingGuard(src);
    }

    /**
     * Evaluates the condition.
     *
     * @throws ExpressionException when it cannot be parsed, an operator gets the wrong types, or it does not give
     *                             a boolean
     */
    static boolean evaluate(String condition) {
        WhenCondition parser = new WhenCondition(condition);
        if (parser.peek().kind() == Kind.EOF) {
            throw new ExpressionException(condition, 0, "empty condition");
        }
        Node root = parser.ternary();
        Token rest = parser.peek();
        if (rest.kind() != Kind.EOF) {
            if (unsupported(rest)) {
                throw parser.error(rest.pos(), "operator '" + rest.text() + "' is not supported in when conditions");
            }
            throw parser.error(rest.pos(), "unexpected " + rest.describe() + " (hint: put values with spaces or"
                    + " special characters in quotes)");
        }
        Object result = parser.eval(root);
        if (result instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException(condition, -1, "expected a boolean result but got "
                + JsonValues.typeName(result) + " '" + ValueText.render(result) + "'");
    }

    private ExpressionException error(int pos, String problem) {
        return new ExpressionException(src, pos, problem);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    private boolean at(String... ops) {
        Token t = peek();
        for (String op : ops) {
            if (t.isOperator(op)) {
                return true;
            }
        }
        return false;
    }

    private Node ternary() {
        nesting.enter(peek().pos());
        try {
            return ternaryUnguarded();
        } finally {
            nesting.leave();
        }
    }

    private Node ternaryUnguarded() {
        Node cond = or();
        if (at("?")) {
            Token q = next();
            Node then = ternary();
            Node otherwise = null;
            if (at(":")) {
                next();
                otherwise = ternary();
            }
            return new Choice(cond, then, otherwise, q.pos());
        }
        return cond;
    }

    private Node or() {
        Node left = and();
        while (at("||")) {
            Token op = next();
            left = new Infix("||", left, and(), op.pos());
        }
        return left;
    }

    private Node and() {
        Node left = comparison();
        while (at("&&")) {
            Token op = next();
            left = new Infix("&&", left, comparison(), op.pos());
        }
        return left;
    }

    private Node comparison() {
        Node left = additive();
        while (at("==", "!=", "<", "<=", ">", ">=", "=~", "!~", "in")) {
            Token op = next();
            left = new Infix(op.text(), left, additive(), op.pos());
        }
        return left;
    }

    private Node additive() {
        Node left = multiplicative();
        while (at("+", "-")) {
            Token op = next();
            left = new Infix(op.text(), left, multiplicative(), op.pos());
        }
        return left;
    }

    private Node multiplicative() {
        Node left = exponential();
        while (at("*", "/", "%")) {
            Token op = next();
            left = new Infix(op.text(), left, exponential(), op.pos());
        }
        return left;
    }

    private Node exponential() {
        Node left = prefix();
        while (at("**")) {
            Token op = next();
            left = new Infix("**", left, prefix(), op.pos());
        }
        return left;
    }

    private Node prefix() {
        if (at("!", "-")) {
            Token op = next();
            nesting.enter(op.pos());
            try {
                return new Prefix(op.text(), prefix(), op.pos());
            } finally {
                nesting.leave();
            }
        }
        return primary();
    }

    private Node primary() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER, STRING, BOOLEAN -> {
                return new Value(t.value(), t.pos());
            }
            case EOF -> throw error(t.pos(), "unexpected end of condition");
            default -> {
                // an operator
            }
        }
        if (t.isOperator("(")) {
            List<Node> items = new ArrayList<>();
            items.add(ternary());
            while (at(",")) {
                next();
                items.add(ternary());
            }
            Token close = next();
            if (!close.isOperator(")")) {
                throw error(close.pos(), "expected ')' but found " + close.describe());
            }
            return items.size() == 1 ? items.get(0) : new ListNode(items, t.pos());
        }
        if (unsupported(t)) {
            throw error(t.pos(), "operator '" + t.text() + "' is not supported in when conditions");
        }
        throw error(t.pos(), "unexpected " + t.describe());
    }

    /** govaluate's bitwise and coalescing operators, which Weft does not implement. */
    private static boolean unsupported(Token t) {
        return t.kind() == Kind.OPERATOR && (t.text().length() == 1 && "&|^~".contains(t.text())
                || t.text().equals("<<") || t.text().equals(">>") || t.text().equals("??"));
    }

    private Object eval(Node node) {
        if (node instanceof Value v) {
            return v.value();
        }
        if (node instanceof ListNode list) {
            List<Object> values = new ArrayList<>();
            list.items().forEach(item -> values.add(eval(item)));
            return values;
        }
        if (node instanceof Prefix p) {
            Object operand = eval(p.operand());
            if (p.op().equals("!")) {
                if (operand instanceof Boolean b) {
                    return !b;
                }
                throw typeError(p, "!", operand, "a boolean");
            }
            if (operand instanceof Double d) {
                return -d;
            }
            throw typeError(p, "-", operand, "a number");
        }
        if (node instanceof Choice c) {
            Object cond = eval(c.cond());
            if (!(cond instanceof Boolean b)) {
                throw typeError(c, "?", cond, "a boolean");
            }
            if (b) {
                return eval(c.then());
            }
            return c.otherwise() == null ? null : eval(c.otherwise());
        }
        Infix infix = (Infix) node;
        String op = infix.op();
        if (op.equals("&&") || op.equals("||")) {
            boolean isOr = op.equals("||");
            Object left = eval(infix.left());
            if (!(left instanceof Boolean l)) {
                throw typeError(infix, op, left, "a boolean");
            }
            if (l == isOr) {
                return l;
            }
            Object right = eval(infix.right());
            if (!(right instanceof Boolean r)) {
                throw typeError(infix, op, right, "a boolean");
            }
            return r;
        }
        Object left = eval(infix.left());
        Object right = eval(infix.right());
        return switch (op) {
            case "==" -> strictEquals(left, right);
            case "!=" -> !strictEquals(left, right);
            case "<", "<=", ">", ">=" -> order(infix, left, right);
            case "=~", "!~" -> regex(infix, left, right) == op.equals("=~");
            case "in" -> in(left, right);
            case "+" -> {
                if (left instanceof String || right instanceof String) {
                    yield text(left) + text(right);
                }
                yield number(infix, left) + number(infix, right);
            }
            case "-" -> number(infix, left) - number(infix, right);
            case "*" -> number(infix, left) * number(infix, right);
            case "/" -> number(infix, left) / number(infix, right);
            case "%" -> number(infix, left) % number(infix, right);
            default -> Math.pow(number(infix, left), number(infix, right));
        };
    }

    /** govaluate compares with reflect.DeepEqual: values of different types are never equal. */
    private static boolean strictEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.getClass() == b.getClass() && JsonValues.equal(a, b);
    }

    private boolean order(Infix infix, Object left, Object right) {
        int c;
        if (left instanceof Double a && right instanceof Double b) {
            c = a < b ? -1 : a > b ? 1 : 0;
        } else if (left instanceof String a && right instanceof String b) {
            c = a.compareTo(b);
        } else {
            throw error(infix.pos(), "cannot compare " + describe(left) + " " + infix.op() + " " + describe(right)
                    + ": both sides must be numbers or both strings");
        }
        return switch (infix.op()) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private boolean regex(Infix infix, Object left, Object right) {
        String pattern = text(right);
        try {
            return Pattern.compile(pattern).matcher(text(left)).find();
        } catch (PatternSyntaxException e) {
            throw error(infix.right().pos(), "invalid regular expression '" + pattern + "': " + e.getDescription());
        }
    }

    private static boolean in(Object left, Object right) {
        if (right instanceof List<?> list) {
            for (Object item : list) {
                if (strictEquals(left, item)) {
                    return true;
                }
            }
            return false;
        }
        return strictEquals(left, right);
    }

    private double number(Infix infix, Object value) {
        if (value instanceof Double d) {
            return d;
        }
        throw typeError(infix, infix.op(), value, "a number");
    }

    private static String text(Object value) {
        return value == null ? "<nil>" : ValueText.render(value);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : text(value);
    }

    private ExpressionException typeError(Node at, String op, Object value, String expected) {
        // "my-task == my-task" reads as a subtraction in govaluate; say how to write it instead
        String hint = op.equals("-") && value instanceof String ? " (hint: quote values that contain '-')" : "";
        return error(at.pos(), "'" + op + "' needs " + expected + ", not " + JsonValues.typeName(value) + " "
                + describe(value) + hint);
    }
}
