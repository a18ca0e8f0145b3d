package dev.weft.engine.expr;

import java.util.List;

/** The syntax tree of an expr-lang expression; {@code pos} is the 0-based offset used in error messages. */
sealed interface ExprNode {

    int pos();

    /** A number, string, boolean or nil literal. */
    record Literal(Object value, int pos) implements ExprNode {
    }

    /** A name at the root of a variable path or a closure's variable. */
    record Ident(String name, int pos) implements ExprNode {
    }

    /** {@code #} (the current element in a closure) or {@code #index}. */
    record Pointer(String name, int pos) implements ExprNode {
    }

    /** {@code object.key}, {@code object[key]} and {@code object?.key}. */
    record Member(ExprNode object, ExprNode key, boolean optional, int pos) implements ExprNode {
    }

    /** {@code object[from:to]}; either bound may be null. */
    record Slice(ExprNode object, ExprNode from, ExprNode to, int pos) implements ExprNode {
    }

    /** A call of a built-in, Argo or {@code sprig.*} function by name. */
    record Call(String name, List<ExprNode> args, int pos) implements ExprNode {
    }

    /** The predicate argument of {@code map}, {@code filter} and friends. */
    record Closure(ExprNode body, int pos) implements ExprNode {
    }

    record Unary(String op, ExprNode operand, int pos) implements ExprNode {
    }

    record Binary(String op, ExprNode left, ExprNode right, int pos) implements ExprNode {
    }

    /** {@code cond ? then : otherwise}. */
    record Conditional(ExprNode cond, ExprNode then, ExprNode otherwise, int pos) implements ExprNode {
    }

    record ArrayLiteral(List<ExprNode> items, int pos) implements ExprNode {
    }

    /** A map literal; keys are evaluated (an identifier key is a string literal). */
    record MapLiteral(List<ExprNode> keys, List<ExprNode> values, int pos) implements ExprNode {
    }
}
