package dev.weft.engine.expr;

import dev.weft.engine.expr.ExprNode.ArrayLiteral;
import dev.weft.engine.expr.ExprNode.Binary;
import dev.weft.engine.expr.ExprNode.Call;
import dev.weft.engine.expr.ExprNode.Closure;
import dev.weft.engine.expr.ExprNode.Conditional;
import dev.weft.engine.expr.ExprNode.Ident;
import dev.weft.engine.expr.ExprNode.Literal;
import dev.weft.engine.expr.ExprNode.MapLiteral;
import dev.weft.engine.expr.ExprNode.Member;
import dev.weft.engine.expr.ExprNode.Pointer;
import dev.weft.engine.expr.ExprNode.Slice;
import dev.weft.engine.expr.ExprNode.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A precedence-climbing parser for the subset of expr-lang that Argo workflows use, with expr-lang's operator
 * precedences: {@code ?:} lowest, then {@code || or}, {@code && and}, comparisons and {@code in}/{@code matches}/
 * {@code contains}/{@code startsWith}/{@code endsWith}, {@code ..}, {@code + -}, {@code * / %}, {@code ** ^},
 * {@code ??}; unary {@code ! not} bind at 50 and unary {@code - +} at 90.
 */
final class ExprParser {

    private record Op(int precedence, boolean rightAssociative) {
    }

    private static final Map<String, Op> BINARY = Map.ofEntries(
            Map.entry("or", new Op(10, false)), Map.entry("||", new Op(10, false)),
            Map.entry("and", new Op(15, false)), Map.entry("&&", new Op(15, false)),
            Map.entry("==", new Op(20, false)), Map.entry("!=", new Op(20, false)),
            Map.entry("<", new Op(20, false)), Map.entry(">", new Op(20, false)),
            Map.entry("<=", new Op(20, false)), Map.entry(">=", new Op(20, false)),
            Map.entry("in", new Op(20, false)), Map.entry("matches", new Op(20, false)),
            Map.entry("contains", new Op(20, false)), Map.entry("startsWith", new Op(20, false)),
            Map.entry("endsWith", new Op(20, false)),
            Map.entry("..", new Op(25, false)),
            Map.entry("+", new Op(30, false)), Map.entry("-", new Op(30, false)),
            Map.entry("*", new Op(60, false)), Map.entry("/", new Op(60, false)), Map.entry("%", new Op(60, false)),
            Map.entry("**", new Op(100, true)), Map.entry("^", new Op(100, true)),
            Map.entry("??", new Op(500, false)));

    private static final Set<String> WORD_OPERATORS =
            Set.of("or", "and", "in", "matches", "contains", "startsWith", "endsWith", "not");

    /** Built-ins whose second argument is a closure ({@code { # > 1 }} or a bare expression using {@code #}). */
    static final Set<String> CLOSURE_FUNCTIONS =
            Set.of("map", "filter", "all", "any", "none", "one", "count", "find", "findIndex", "findLast", "sum");

    private final String src;
    private final List<ExprToken> tokens;
    private int index;
    private final NestingGuard nesting;

    private ExprParser(String src) {
        this.src = src;
        this.tokens = ExprLexer.tokenize(src);
        this.nesting = new NestingGuard(src);
    }

    /** Parses a whole expression. */
    static ExprNode parse(String source) {
        ExprParser parser = new ExprParser(source);
        if (parser.peek().kind() == ExprToken.Kind.EOF) {
            throw new ExpressionException(source, 0, "empty expression");
        }
        ExprNode node = parser.ternary();
        ExprToken rest = parser.peek();
        if (rest.kind() != ExprToken.Kind.EOF) {
            throw parser.error(rest, "unexpected " + rest.describe());
        }
        return node;
    }

    private ExprToken peek() {
        return tokens.get(index);
    }

    private ExprToken peekAhead(int n) {
        return tokens.get(Math.min(index + n, tokens.size() - 1));
    }

    private ExprToken next() {
        ExprToken token = tokens.get(index);
        if (token.kind() != ExprToken.Kind.EOF) {
            index++;
        }
        return token;
    }

    private ExprToken expect(String operator) {
        ExprToken token = peek();
        if (!token.isOperator(operator)) {
            throw error(token, "expected '" + operator + "' but found " + token.describe());
        }
        return next();
    }

    private ExpressionException error(ExprToken at, String problem) {
        return new ExpressionException(src, at.pos(), problem);
    }

    private ExprNode ternary() {
        nesting.enter(peek().pos());
        try {
            return ternaryUnguarded();
        } finally {
            nesting.leave();
        }
    }

    private ExprNode ternaryUnguarded() {
        ExprNode cond = binary(0);
        if (peek().isOperator("?")) {
            ExprToken q = next();
            ExprNode then = ternary();
            expect(":");
            ExprNode otherwise = ternary();
            return new Conditional(cond, then, otherwise, q.pos());
        }
        return cond;
    }

    private ExprNode binary(int minPrecedence) {
        ExprNode left = unary();
        while (true) {
            ExprToken token = peek();
            String op = binaryOperator(token);
            boolean negated = false;
            if (op == null && token.is(ExprToken.Kind.IDENT, "not")) {
                // "not in", "not matches", ... negate the operator that follows
                String following = binaryOperator(peekAhead(1));
                if (following != null && peekAhead(1).kind() == ExprToken.Kind.IDENT) {
                    op = following;
                    negated = true;
                }
            }
            if (op == null) {
                return left;
            }
            Op info = BINARY.get(op);
            if (info.precedence() < minPrecedence) {
                return left;
            }
            next();
            if (negated) {
                next();
            }
            ExprNode right = binary(info.rightAssociative() ? info.precedence() : info.precedence() + 1);
            ExprNode node = new Binary(op, left, right, token.pos());
            left = negated ? new Unary("!", node, token.pos()) : node;
        }
    }

    private static String binaryOperator(ExprToken token) {
        if (token.kind() == ExprToken.Kind.OPERATOR || token.kind() == ExprToken.Kind.IDENT) {
            return BINARY.containsKey(token.text()) ? token.text() : null;
        }
        return null;
    }

    private ExprNode unary() {
        nesting.enter(peek().pos());
        try {
            return unaryUnguarded();
        } finally {
            nesting.leave();
        }
    }

    private ExprNode unaryUnguarded() {
        ExprToken token = peek();
        if (token.isOperator("!") || token.is(ExprToken.Kind.IDENT, "not")) {
            next();
            return postfix(new Unary("!", binary(50), token.pos()));
        }
        if (token.isOperator("-") || token.isOperator("+")) {
            next();
            return postfix(new Unary(token.text(), binary(90), token.pos()));
        }
        return postfix(primary());
    }

    private ExprNode primary() {
        ExprToken token = next();
        switch (token.kind()) {
            case NUMBER, STRING -> {
                return new Literal(token.value(), token.pos());
            }
            case POINTER -> {
                return new Pointer(token.text(), token.pos());
            }
            case IDENT -> {
                return identifier(token);
            }
            case EOF -> throw error(token, "unexpected end of expression");
            default -> {
                // operators that start a primary
            }
        }
        switch (token.text()) {
            case "(" -> {
                ExprNode inner = ternary();
                expect(")");
                return inner;
            }
            case "[" -> {
                List<ExprNode> items = new ArrayList<>();
                while (!peek().isOperator("]")) {
                    items.add(ternary());
                    if (!peek().isOperator("]")) {
                        expect(",");
                    }
                }
                next();
                return new ArrayLiteral(items, token.pos());
            }
            case "{" -> {
                return mapLiteral(token);
            }
            case "." -> {
                // ".name" inside a closure is short for "#.name"
                ExprToken name = next();
                if (name.kind() != ExprToken.Kind.IDENT) {
                    throw error(name, "expected a field name after '.' but found " + name.describe());
                }
                return new Member(new Pointer("", token.pos()), new Literal(name.text(), name.pos()), false,
                        token.pos());
            }
            default -> throw error(token, "unexpected " + token.describe());
        }
    }

    private ExprNode identifier(ExprToken token) {
        switch (token.text()) {
            case "true" -> {
                return new Literal(Boolean.TRUE, token.pos());
            }
            case "false" -> {
                return new Literal(Boolean.FALSE, token.pos());
            }
            case "nil" -> {
                return new Literal(null, token.pos());
            }
            default -> {
                if (WORD_OPERATORS.contains(token.text())) {
                    throw error(token, "unexpected operator '" + token.text() + "'");
                }
            }
        }
        if (peek().isOperator("(")) {
            return new Call(token.text(), arguments(token.text()), token.pos());
        }
        return new Ident(token.text(), token.pos());
    }

    private List<ExprNode> arguments(String function) {
        expect("(");
        List<ExprNode> args = new ArrayList<>();
        boolean closureFunction = CLOSURE_FUNCTIONS.contains(function);
        while (!peek().isOperator(")")) {
            if (closureFunction && args.size() == 1) {
                args.add(closure());
            } else {
                args.add(ternary());
            }
            if (!peek().isOperator(")")) {
                expect(",");
            }
        }
        next();
        return args;
    }

    private ExprNode closure() {
        ExprToken start = peek();
        if (start.isOperator("{")) {
            next();
            ExprNode body = ternary();
            expect("}");
            return new Closure(body, start.pos());
        }
        return new Closure(ternary(), start.pos());
    }

    private ExprNode mapLiteral(ExprToken open) {
        List<ExprNode> keys = new ArrayList<>();
        List<ExprNode> values = new ArrayList<>();
        while (!peek().isOperator("}")) {
            ExprToken keyToken = next();
            ExprNode key = switch (keyToken.kind()) {
                case IDENT -> new Literal(keyToken.text(), keyToken.pos());
                case STRING -> new Literal(keyToken.value(), keyToken.pos());
                case NUMBER -> new Literal(ValueText.render(keyToken.value()), keyToken.pos());
                default -> {
                    if (keyToken.isOperator("(")) {
                        ExprNode computed = ternary();
                        expect(")");
                        yield computed;
                    }
                    throw error(keyToken, "expected a map key but found " + keyToken.describe());
                }
            };
            expect(":");
            keys.add(key);
            values.add(ternary());
            if (!peek().isOperator("}")) {
                expect(",");
            }
        }
        next();
        return new MapLiteral(keys, values, open.pos());
    }

    private ExprNode postfix(ExprNode node) {
        ExprNode current = node;
        while (true) {
            ExprToken token = peek();
            if (token.isOperator(".") || token.isOperator("?.")) {
                next();
                ExprToken name = next();
                if (name.kind() != ExprToken.Kind.IDENT) {
                    throw error(name, "expected a field name after '" + token.text() + "' but found "
                            + name.describe());
                }
                if (peek().isOperator("(")) {
                    String function = calleeName(current, token) + "." + name.text();
                    current = new Call(function, arguments(function), current.pos());
                } else {
                    current = new Member(current, new Literal(name.text(), name.pos()), token.text().equals("?."),
                            token.pos());
                }
            } else if (token.isOperator("[")) {
                next();
                current = indexOrSlice(current, token);
            } else if (token.isOperator("(")) {
                throw error(token, "only named functions can be called");
            } else {
                return current;
            }
        }
    }

    private String calleeName(ExprNode receiver, ExprToken dot) {
        // Methods do not exist in expr-lang; a dotted call is a function in a namespace, e.g. sprig.trim(...)
        if (receiver instanceof Ident ident) {
            return ident.name();
        }
        throw error(dot, "only named functions can be called");
    }

    private ExprNode indexOrSlice(ExprNode object, ExprToken open) {
        ExprNode from = null;
        if (!peek().isOperator(":")) {
            from = ternary();
            if (peek().isOperator("]")) {
                next();
                return new Member(object, from, false, open.pos());
            }
        }
        expect(":");
        ExprNode to = peek().isOperator("]") ? null : ternary();
        expect("]");
        return new Slice(object, from, to, open.pos());
    }
}
