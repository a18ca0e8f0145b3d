package dev.weft.engine.expr;

import dev.weft.engine.expr.DependsNode.Check;
import dev.weft.engine.expr.DependsNode.Junction;
import dev.weft.engine.expr.DependsNode.Not;
import dev.weft.engine.expr.DependsNode.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A recursive-descent parser for {@code depends}: {@code ||} binds loosest, then {@code &&}, then prefix
 * {@code !}; parentheses group. Task names are letters, digits, {@code _} and {@code -}.
 */
final class DependsParser {

    private static final String RESULTS =
            Arrays.stream(Result.values()).map(Enum::name).collect(Collectors.joining(", "));

    private final String src;
    private final NestingGuard nesting;
    private int pos;

    private DependsParser(String src) {
        this.src = src;
        this.nesting = new NestingGuard(src);
    }

    static DependsNode parse(String source) {
        DependsParser parser = new DependsParser(source);
        parser.skipSpace();
        if (parser.pos >= source.length()) {
            throw new ExpressionException(source, 0, "empty depends expression");
        }
        DependsNode node = parser.or();
        parser.skipSpace();
        if (parser.pos < source.length()) {
            throw parser.error("unexpected '" + source.charAt(parser.pos) + "'");
        }
        return node;
    }

    private ExpressionException error(String problem) {
        return new ExpressionException(src, pos, problem);
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private boolean take(String op) {
        skipSpace();
        if (src.startsWith(op, pos)) {
            pos += op.length();
            return true;
        }
        return false;
    }

    private DependsNode or() {
        List<DependsNode> operands = new ArrayList<>();
        operands.add(and());
        while (take("||")) {
            operands.add(and());
        }
        return operands.size() == 1 ? operands.get(0) : new Junction(false, operands);
    }

    private DependsNode and() {
        List<DependsNode> operands = new ArrayList<>();
        operands.add(unary());
        while (take("&&")) {
            operands.add(unary());
        }
        return operands.size() == 1 ? operands.get(0) : new Junction(true, operands);
    }

    private DependsNode unary() {
        skipSpace();
        nesting.enter(pos);
        try {
            if (pos < src.length() && src.charAt(pos) == '!' && !src.startsWith("!=", pos)) {
                pos++;
                return new Not(unary());
            }
            return primary();
        } finally {
            nesting.leave();
        }
    }

    private DependsNode primary() {
        skipSpace();
        if (pos >= src.length()) {
            throw error("expected a task name but the expression ended");
        }
        if (src.charAt(pos) == '(') {
            pos++;
            DependsNode inner = or();
            skipSpace();
            if (pos >= src.length() || src.charAt(pos) != ')') {
                throw error(pos >= src.length() ? "missing ')'" : "expected ')' but found '" + src.charAt(pos) + "'");
            }
            pos++;
            return inner;
        }
        int start = pos;
        while (pos < src.length() && isNamePart(src.charAt(pos))) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a task name but found '" + src.charAt(pos) + "'");
        }
        String task = src.substring(start, pos);
        if (pos < src.length() && src.charAt(pos) == '.') {
            int resultStart = ++pos;
            while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
                pos++;
            }
            String name = src.substring(resultStart, pos);
            try {
                return new Check(task, Result.valueOf(name), src, start);
            } catch (IllegalArgumentException e) {
                pos = resultStart;
                throw error("unknown task result '" + name + "' for task '" + task + "' (expected one of "
                        + RESULTS + ")");
            }
        }
        return new Check(task, null, src, start);
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
